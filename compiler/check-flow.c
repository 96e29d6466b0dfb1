/* check-flow.c — flows and tables: views, availability, merges, outputs.
 *
 * The rules are LANGUAGE.md §4 and §9 ("What a statement sees and what it
 * leaves").  A flow body is walked once, in source order, carrying the
 * *view* (the values the next statement may read) in one mutable hash
 * table, the environment.  Every statement is checked against the
 * environment as it finds it and returns its *outputs*; it leaves the
 * environment exactly as it found it.  The sequence that contains it then
 * advances the environment to the next statement's view:
 *
 *   none     the view becomes the statement's outputs;
 *   initial  the same, and the flow's inputs stay visible (a fallback
 *            table, never copied);
 *   all      the outputs are added to what was there.
 *
 * Changes are recorded in an undo log, so a block, a `par` branch or an
 * `if` arm can return the environment to its entry view in time
 * proportional to what it changed, never to the size of the view: a
 * 1,000-statement flow under `all` stays linear.
 *
 * A value is a Value: its producer (a call, or a flow input), its type and
 * whether anything read it.  Where paths meet (`if`/`else`, a dynamic
 * pick) a merged Value stands for the values of every path; a read of the
 * merged value counts as a read of each, which is settled at the end of
 * the flow for the unused-output warning.
 *
 * Table arms are statements checked in the view of each pick site; arms
 * that no pick reaches are checked once in a view where every name is
 * available, so that view-independent mistakes are still reported.
 */
#include <string.h>
#include "program.h"

/* ------------------------------------------------------------------ values */

/* Why a produced value did not reach a later statement (for the note that
 * explains a missing input). */
typedef enum {
  LOST_NONE,        /* nothing recorded: visibility hid it */
  LOST_IF_NO_ELSE,  /* produced inside an `if` without `else` */
  LOST_IF_PATHS,    /* produced on one side of an `if`/`else` only */
  LOST_PICK_PATHS,  /* produced by some arms of a dynamic pick only */
} LostReason;

typedef struct Value Value;
struct Value {
  Sym name;
  const AstTypeRef *type;   /* NULL when unknown */
  Loc loc;                  /* the producing call, or the input's declaration */
  Sym producer;             /* the callee; NULL for a flow input */
  Sym output;               /* the callee's output name (before renaming) */
  gboolean is_input;
  gboolean is_production;   /* a value a call published: may be unused */
  gboolean pick_renamed;    /* renamed by a pick's `=> (...)` */
  gboolean read;
  LostReason lost;
  Value **children;         /* a merged value: the values of each path */
  guint n_children;
};

/* What a statement leaves.  `any` means "unknown" (after an error such as
 * an unknown callee): every name is taken to be there, so that one mistake
 * is not echoed by every statement after it. */
typedef struct {
  ArenaVec vec;             /* Value * */
  gboolean any;
} Outs;

#define OUT(outs, i) ((Value *) (outs)->vec.items[(i)])

/* One undo record: `name` had `old` (NULL: absent) before the change.
 * A NULL name records the previous `env_any`. */
typedef struct {
  Sym name;
  Value *old;
  gboolean old_any;
} Undo;

/* A `par` being checked. */
typedef struct {
  GHashTable *snapshot;     /* its input view (none/initial), Sym -> Value * */
  GHashTable *siblings;     /* outputs of the branches checked so far */
  GHashTable *branch_of;    /* Sym -> branch index + 1 */
} ParFrame;

/* A table's keys, indexed once. */
typedef struct {
  KeyKind kind;             /* KEY_DEFAULT while no keyed arm */
  AstTableArm *default_arm;
  GHashTable *index;        /* GBytes key -> AstTableArm * */
} TableInfo;

typedef struct {
  Program *program;
  Arena *scratch;           /* Values, Outs: one flow's, freed after it */
  GHashTable *table_infos;  /* AstTable * -> TableInfo * */
  GHashTable *checked_arms; /* arms checked from some pick */
  GHashTable *active_tables;/* tables whose pick is being expanded */

  /* The flow being checked (NULL flow when checking unpicked arms). */
  AstFlow *flow;
  Visibility vis;
  gboolean all_any;         /* every name is available (unpicked arms) */
  GHashTable *env;          /* Sym -> Value *: the current view */
  gboolean env_any;
  GArray *undo;             /* Undo */
  GHashTable *inputs;       /* Sym -> Value *: the flow's inputs */
  GPtrArray *par_frames;    /* ParFrame *, innermost last */
  GHashTable *ever;         /* Sym -> Value *: the latest production */
  GPtrArray *values;        /* every Value, in creation order */
  Value any_value;          /* what a lookup finds in an `any` view */
} Checker;

static Outs *check_stmt (Checker *c, AstStmt *stmt);

static Outs *
outs_new (Checker *c)
{
  return arena_new0 (c->scratch, Outs);
}

static Outs *
outs_any (Checker *c)
{
  Outs *outs = outs_new (c);
  outs->any = TRUE;
  return outs;
}

static void
outs_push (Checker *c, Outs *outs, Value *v)
{
  arena_vec_push (c->scratch, &outs->vec, v);
}

static Value *
value_new (Checker *c, Sym name, const AstTypeRef *type, Loc loc)
{
  Value *v = arena_new0 (c->scratch, Value);
  v->name = name;
  v->type = type;
  v->loc = loc;
  g_ptr_array_add (c->values, v);
  return v;
}

/* A value published by a call; remembered for "produced here" notes. */
static Value *
production_new (Checker *c, Sym name, Sym output, const AstTypeRef *type, Loc loc, Sym producer)
{
  Value *v = value_new (c, name, type, loc);
  v->output = output;
  v->producer = producer;
  v->is_production = TRUE;
  g_hash_table_insert (c->ever, (gpointer) name, v);
  return v;
}

/* Record why `v` (and what it merges) stopped being visible, unless an
 * earlier reason is known. */
static void
lost_mark (Value *v, LostReason reason)
{
  if (v->lost != LOST_NONE)
    return;
  v->lost = reason;
  for (guint i = 0; i < v->n_children; i++)
    lost_mark (v->children[i], reason);
}

static const char *
callee_kind_name (const AstDecl *decl)
{
  return decl->kind == DECL_FLOW ? "flow" : decl->kind == DECL_TABLE ? "table" : "stage";
}

static const char *
visibility_name (Visibility vis)
{
  return vis == VIS_NONE ? "none" : vis == VIS_INITIAL ? "initial" : "all";
}

/* ------------------------------------------------------------- environment */

static Value *
env_lookup (Checker *c, Sym name)
{
  Value *v = g_hash_table_lookup (c->env, name);
  if (v == NULL && c->vis != VIS_NONE && c->inputs != NULL)
    v = g_hash_table_lookup (c->inputs, name);
  if (v == NULL && (c->env_any || c->all_any))
    v = &c->any_value;
  return v;
}

static void
env_set (Checker *c, Sym name, Value *v)
{
  Undo u = { .name = name, .old = g_hash_table_lookup (c->env, name) };
  g_array_append_val (c->undo, u);
  g_hash_table_insert (c->env, (gpointer) name, v);
}

static void
env_remove (Checker *c, Sym name)
{
  Undo u = { .name = name, .old = g_hash_table_lookup (c->env, name) };
  g_array_append_val (c->undo, u);
  g_hash_table_remove (c->env, name);
}

static void
env_set_any (Checker *c, gboolean any)
{
  Undo u = { .name = NULL, .old_any = c->env_any };
  g_array_append_val (c->undo, u);
  c->env_any = any;
}

static void
env_rollback (Checker *c, guint mark)
{
  while (c->undo->len > mark)
    {
      const Undo *u = &g_array_index (c->undo, Undo, c->undo->len - 1);
      if (u->name == NULL)
        c->env_any = u->old_any;
      else if (u->old != NULL)
        g_hash_table_insert (c->env, (gpointer) u->name, u->old);
      else
        g_hash_table_remove (c->env, u->name);
      g_array_set_size (c->undo, c->undo->len - 1);
    }
}

/* Under none/initial the next view holds only the last outputs; the
 * table then holds one statement's outputs, so clearing it is cheap. */
static void
env_clear (Checker *c)
{
  guint n = g_hash_table_size (c->env);
  if (n == 0)
    return;
  Sym *names = g_new (Sym, n);
  GHashTableIter it;
  gpointer key;
  guint i = 0;
  g_hash_table_iter_init (&it, c->env);
  while (g_hash_table_iter_next (&it, &key, NULL))
    names[i++] = key;
  for (i = 0; i < n; i++)
    env_remove (c, names[i]);
  g_free (names);
}

/* From one statement's view to the next one's, in a sequence. */
static void
env_advance (Checker *c, const Outs *outs)
{
  if (c->vis != VIS_ALL)
    {
      env_clear (c);
      if (c->env_any != outs->any)
        env_set_any (c, outs->any);
    }
  else if (outs->any && !c->env_any)
    env_set_any (c, TRUE);
  for (guint i = 0; i < outs->vec.n; i++)
    env_set (c, OUT (outs, i)->name, OUT (outs, i));
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* diag_suggest, but not for names of one or two letters, where a single
 * edit makes an unrelated name. */
static const char *
suggest (const char *name, GPtrArray *candidates)
{
  if (strlen (name) < 3)
    return NULL;
  return diag_suggest (name, (const char *const *) candidates->pdata, candidates->len);
}

/* Would `v` fit a reader of type `want` (NULL: any reader)? */
static gboolean
fits (const Value *v, const AstTypeRef *want)
{
  return want == NULL || v->type == NULL || types_agree (v->type, want, NULL);
}

/* "did you mean": the visible name closest to `name` (of a type that fits
 * `want`).  Only on the error path, so walking the view is fine; sorted
 * for a deterministic pick. */
static const char *
suggest_from_view (Checker *c, Sym name, const AstTypeRef *want)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init (&it, c->env);
  while (g_hash_table_iter_next (&it, &key, &value))
    if (fits (value, want))
      g_ptr_array_add (names, key);
  if (c->vis != VIS_NONE && c->inputs != NULL)
    {
      g_hash_table_iter_init (&it, c->inputs);
      while (g_hash_table_iter_next (&it, &key, &value))
        if (!g_hash_table_contains (c->env, key) && fits (value, want))
          g_ptr_array_add (names, key);
    }
  g_ptr_array_sort (names, compare_names);
  return suggest (name, names);
}

/* --------------------------------------------------------------- notes */

static void
note_producer (Diag *d, const Value *v)
{
  if (v->is_input)
    diag_note (d, v->loc, "'%s' is a flow input declared here as '%s'", v->name, types_display (v->type));
  else if (v->type != NULL)
    diag_note (d, v->loc, "'%s' is produced here as '%s'", v->name, types_display (v->type));
  else
    diag_note (d, v->loc, "'%s' is produced here", v->name);
}

/* The par frame (innermost first) whose earlier branches produced `name`. */
static Value *
sibling_production (Checker *c, Sym name)
{
  for (guint i = c->par_frames->len; i-- > 0;)
    {
      ParFrame *f = c->par_frames->pdata[i];
      Value *v = g_hash_table_lookup (f->siblings, name);
      if (v != NULL)
        return v;
    }
  return NULL;
}

static gboolean
loc_before (Loc a, Loc b)
{
  return a.line < b.line || (a.line == b.line && a.col < b.col);
}

/* Does this call (a stage or flow) publish `name`, after its renames? */
static gboolean
call_publishes (Program *program, const AstCall *call, Sym name)
{
  AstDecl *decl = call->callee != NULL ? program_lookup (program, call->callee) : NULL;
  const AstParams *out = decl == NULL                ? NULL
                         : decl->kind == DECL_STAGE ? &((AstStage *) decl)->out
                         : decl->kind == DECL_FLOW  ? &((AstFlow *) decl)->out
                                                    : NULL;
  if (out == NULL || call->pick != PICK_NONE)
    return FALSE;
  for (guint i = 0; i < out->n; i++)
    {
      Sym published = out->items[i]->name;
      for (guint j = 0; j < call->n_renames; j++)
        if (call->renames[j]->output == out->items[i]->name)
          published = call->renames[j]->key;
      if (published == name)
        return TRUE;
    }
  return FALSE;
}

/* The first call after `after` in `stmt` that publishes `name`, or NULL:
 * for "produced only later".  Walks the tree, but only on an error. */
static const AstCall *
later_producer (Program *program, const AstStmt *stmt, Sym name, Loc after)
{
  switch (stmt->kind)
    {
    case STMT_CALL:
      return loc_before (after, stmt->loc) && call_publishes (program, &stmt->u.call, name) ? &stmt->u.call
                                                                                           : NULL;
    case STMT_BLOCK:
    case STMT_PAR:
      for (guint i = 0; i < stmt->u.block.n; i++)
        {
          const AstCall *found = stmt->u.block.items[i] != NULL
                                     ? later_producer (program, stmt->u.block.items[i], name, after)
                                     : NULL;
          if (found != NULL)
            return found;
        }
      return NULL;
    case STMT_IF:
      {
        const AstCall *found = stmt->u.if_.then_stmt != NULL
                                   ? later_producer (program, stmt->u.if_.then_stmt, name, after)
                                   : NULL;
        if (found == NULL && stmt->u.if_.else_stmt != NULL)
          found = later_producer (program, stmt->u.if_.else_stmt, name, after);
        return found;
      }
    }
  return NULL;
}

/* Why `name`, which the reader wanted, is not in its view: the help users
 * need is where the value was produced and which rule hid it.  `at_end`
 * phrases it for the end of the flow (a missing output). */
static void
explain_unavailable (Checker *c, Diag *d, Sym name, Loc reader, gboolean at_end)
{
  if (d == NULL)
    return;
  Value *v = sibling_production (c, name);
  if (v != NULL)
    {
      diag_note (d, v->loc,
                 "'%s' is produced here, in a concurrent branch of the same 'par'; it is visible only after the 'par'",
                 name);
      return;
    }
  v = g_hash_table_lookup (c->ever, name);
  if (v == NULL)
    {
      Value *input = c->inputs != NULL ? g_hash_table_lookup (c->inputs, name) : NULL;
      if (input != NULL && c->vis == VIS_NONE)
        {
          diag_note (d, input->loc, "'%s' is a flow input, but under 'visibility none' %s", name,
                     at_end ? "the end of the flow sees only the outputs of the last statement"
                            : "only the first statement sees the flow's inputs");
          return;
        }
      const AstCall *later = !at_end && c->flow != NULL && c->flow->body != NULL
                                 ? later_producer (c->program, c->flow->body, name, reader)
                                 : NULL;
      if (later != NULL)
        diag_note (d, later->callee_loc, "'%s' is produced only later, here", name);
      return;
    }
  switch (v->lost)
    {
    case LOST_IF_NO_ELSE:
      diag_note (d, v->loc, "'%s' is produced here, inside an 'if' without 'else', which leaves nothing", name);
      return;
    case LOST_IF_PATHS:
      diag_note (d, v->loc, "'%s' is produced here, but not on every path of the 'if'/'else'", name);
      return;
    case LOST_PICK_PATHS:
      diag_note (d, v->loc, "'%s' is produced here, but not by every arm of the dynamic pick", name);
      return;
    case LOST_NONE:
      break;
    }
  if (c->vis == VIS_NONE)
    diag_note (d, v->loc, "'%s' is produced here, but under 'visibility none' %s", name,
               at_end ? "only the outputs of the last statement reach the end of the flow"
                      : "a statement sees only the outputs of the statement right before it");
  else if (c->vis == VIS_INITIAL)
    diag_note (d, v->loc, "'%s' is produced here, but under 'visibility initial' %s", name,
               at_end ? "only the flow's inputs and the outputs of the last statement reach the end of the flow"
                      : "a statement sees only the flow's inputs and the outputs of the statement right before it");
  else
    diag_note (d, v->loc, "'%s' is produced here, but not on every path to this point", name);
}

/* ------------------------------------------------------------ agreement */

/* A reader of `v` expects `type`: report at the reader, note at the
 * producer.  `reader` describes the reader ("input 'x' of stage 'y'"). */
static void
check_agreement (Checker *c, Loc at, const Value *v, const AstTypeRef *type, const char *reader)
{
  const char *why = NULL;
  if (v->type == NULL || types_agree (v->type, type, &why))
    return;
  Diag *d;
  if (why != NULL && strcmp (why, "ownership") == 0)
    d = diag_report (c->program->diags, DIAG_OWNERSHIP_CONFLICT, at,
                     "'%s' is '%s' freed with '%s', but %s is '%s' freed with '%s'", v->name,
                     types_display (v->type), types_free_fn (v->type), reader, types_display (type),
                     types_free_fn (type));
  else
    d = diag_report (c->program->diags, DIAG_TYPE_MISMATCH, at, "'%s' is '%s', but %s is '%s'", v->name,
                     types_display (v->type), reader, types_display (type));
  note_producer (d, v);
}

/* ------------------------------------------------------------- producing */

/* A statement publishes `v`: under initial it may not replace an input,
 * under all nothing visible, and inside a `par` nothing the par sees. */
static void
check_reproduce (Checker *c, const Value *v, Loc at, const char *kind, Sym callee)
{
  if (c->all_any)
    return;
  Diags *diags = c->program->diags;
  if (c->vis == VIS_INITIAL)
    {
      Value *input = g_hash_table_lookup (c->inputs, v->name);
      if (input != NULL)
        {
          Diag *d = diag_report (diags, DIAG_MERGE_CONFLICT, at,
                                 "%s '%s' produces '%s', which is a flow input; under 'visibility initial' "
                                 "the inputs stay visible and cannot be replaced",
                                 kind, callee, v->name);
          note_producer (d, input);
          return;
        }
    }
  else if (c->vis == VIS_ALL)
    {
      Value *old = env_lookup (c, v->name);
      if (old != NULL && old != &c->any_value)
        {
          Diag *d = diag_report (diags, DIAG_MERGE_CONFLICT, at,
                                 "%s '%s' produces '%s', which is already visible; under 'visibility all' "
                                 "a name cannot be produced twice on one path",
                                 kind, callee, v->name);
          note_producer (d, old);
          return;
        }
    }
  for (guint i = c->par_frames->len; i-- > 0;)
    {
      ParFrame *f = c->par_frames->pdata[i];
      Value *old = f->snapshot != NULL ? g_hash_table_lookup (f->snapshot, v->name) : NULL;
      if (old == NULL)
        continue;
      Diag *d = diag_report (diags, DIAG_MERGE_CONFLICT, at,
                             "%s '%s' produces '%s', which the enclosing 'par' already sees; "
                             "a concurrent branch may be reading it",
                             kind, callee, v->name);
      note_producer (d, old);
      return;
    }
}

/* ------------------------------------------------------------------ calls */

static gint
param_index (const AstParams *params, Sym name)
{
  for (guint i = 0; i < params->n; i++)
    if (params->items[i]->name == name)
      return (gint) i;
  return -1;
}

static const char *
suggest_param (const AstParams *params, Sym name)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  for (guint i = 0; i < params->n; i++)
    g_ptr_array_add (names, (gpointer) params->items[i]->name);
  return suggest (name, names);
}

/* ", did you mean 'x'?" or "". */
static char *
hint (const char *suggestion)
{
  return suggestion != NULL ? g_strdup_printf ("; did you mean '%s'?", suggestion) : g_strdup ("");
}

static void
report_missing_input (Checker *c, const AstCall *call, const AstDecl *callee, const AstParam *param,
                      const AstBinding *binding)
{
  Sym key = binding != NULL ? binding->key : param->name;
  const char *kind = callee_kind_name (callee);
  const char *suggestion = suggest_from_view (c, key, &param->type);
  Diag *d;
  if (binding != NULL)
    {
      g_autofree char *h = hint (suggestion);
      d = diag_report (c->program->diags, DIAG_MISSING_INPUT, call->callee_loc,
                       "input '%s' of %s '%s' reads '%s', which is not available here%s", param->name, kind,
                       callee->name, key, h);
    }
  else if (suggestion != NULL)
    d = diag_report (c->program->diags, DIAG_MISSING_INPUT, call->callee_loc,
                     "%s '%s' needs input '%s', which is not available here; did you mean to bind it, "
                     "as in '%s(%s = %s)'?",
                     kind, callee->name, key, callee->name, key, suggestion);
  else
    d = diag_report (c->program->diags, DIAG_MISSING_INPUT, call->callee_loc,
                     "%s '%s' needs input '%s', which is not available here", kind, callee->name, key);
  explain_unavailable (c, d, key, call->callee_loc, FALSE);
}

/* One input of a call, read from the view (by its own name, or through
 * `param = key`). */
static void
read_input (Checker *c, const AstCall *call, const AstDecl *callee, const AstParam *param,
            const AstBinding *binding)
{
  Sym key = binding != NULL ? binding->key : param->name;
  Value *v = env_lookup (c, key);
  if (v == NULL)
    {
      report_missing_input (c, call, callee, param, binding);
      return;
    }
  if (v == &c->any_value)
    return;
  v->read = TRUE;
  if (v->type == NULL || types_agree (v->type, &param->type, NULL))
    return;
  g_autofree char *reader = g_strdup_printf ("input '%s' of %s '%s'", param->name,
                                             callee_kind_name (callee), callee->name);
  check_agreement (c, call->callee_loc, v, &param->type, reader);
}

/* The bindings of a call: each names a parameter once; a literal must fit,
 * a key must be visible.  Fills bound[] (by parameter index), and
 * guessed[] with the parameters that misspelt bindings meant. */
static void
check_bindings (Checker *c, const AstCall *call, const AstDecl *callee, const AstParams *in,
                const AstBinding **bound, const AstBinding **guessed)
{
  Diags *diags = c->program->diags;
  for (guint i = 0; i < call->n_bindings; i++)
    {
      const AstBinding *b = call->bindings[i];
      gint idx = param_index (in, b->param);
      if (idx < 0)
        {
          const char *suggestion = suggest_param (in, b->param);
          g_autofree char *h = hint (suggestion);
          Diag *d = diag_report (diags, DIAG_UNKNOWN_PARAM, b->loc, "%s '%s' has no parameter '%s'%s",
                                 callee_kind_name (callee), callee->name, b->param, h);
          diag_note (d, callee->loc, "'%s' declared here", callee->name);
          /* The misspelt parameter is meant: do not also call it missing. */
          gint meant = suggestion != NULL ? param_index (in, suggestion) : -1;
          if (meant >= 0 && guessed[meant] == NULL)
            guessed[meant] = b;
          continue;
        }
      if (bound[idx] != NULL)
        {
          Diag *d = diag_report (diags, DIAG_DUPLICATE_BINDING, b->loc, "parameter '%s' is bound twice",
                                 b->param);
          diag_note (d, bound[idx]->loc, "first bound here");
          continue;
        }
      bound[idx] = b;
      const AstParam *param = in->items[idx];
      if (param->is_batch)
        continue;
      if (b->is_literal)
        types_check_literal (c->program, &b->lit, &param->type, param->name);
      else
        read_input (c, call, callee, param, b);
    }
}

/* The renames of a call: each names an output once.  Fills renamed[]; a
 * misspelt output is then applied to the output it most likely meant (if
 * no rename names that one), so that readers of the new name are not
 * reported as well. */
static void
check_call_renames (Checker *c, const AstCall *call, const AstDecl *callee, const AstParams *out,
                    const AstRename **renamed)
{
  Diags *diags = c->program->diags;
  g_autoptr (GPtrArray) guesses = g_ptr_array_new ();
  for (guint i = 0; i < call->n_renames; i++)
    {
      const AstRename *r = call->renames[i];
      gint idx = param_index (out, r->output);
      if (idx < 0)
        {
          const char *suggestion = suggest_param (out, r->output);
          g_autofree char *h = hint (suggestion);
          Diag *d = diag_report (diags, DIAG_UNKNOWN_OUTPUT, r->output_loc, "%s '%s' has no output '%s'%s",
                                 callee_kind_name (callee), callee->name, r->output, h);
          diag_note (d, callee->loc, "'%s' declared here", callee->name);
          if (suggestion != NULL)
            {
              g_ptr_array_add (guesses, (gpointer) r);
              g_ptr_array_add (guesses, (gpointer) suggestion);
            }
          continue;
        }
      if (renamed[idx] != NULL)
        {
          Diag *d = diag_report (diags, DIAG_DUPLICATE_BINDING, r->output_loc, "output '%s' is renamed twice",
                                 r->output);
          diag_note (d, renamed[idx]->output_loc, "first renamed here");
          continue;
        }
      renamed[idx] = r;
    }
  for (guint i = 0; i < guesses->len; i += 2)
    {
      gint idx = param_index (out, guesses->pdata[i + 1]);
      if (idx >= 0 && renamed[idx] == NULL)
        renamed[idx] = guesses->pdata[i];
    }
}

/* Two outputs of one call under one name (`x = y` next to an output `x`). */
static gboolean
report_name_clash (Checker *c, const Outs *outs, Sym name, Loc at)
{
  for (guint i = 0; i < outs->vec.n; i++)
    if (OUT (outs, i)->name == name)
      {
        diag_report (c->program->diags, DIAG_MERGE_CONFLICT, at, "this call would produce '%s' twice", name);
        return TRUE;
      }
  return FALSE;
}

/* A stage or flow invoked from a flow: inputs from bindings or the view,
 * outputs after renames. */
static Outs *
check_invocation (Checker *c, AstStmt *stmt, AstDecl *callee, const AstParams *in, const AstParams *out)
{
  AstCall *call = &stmt->u.call;
  Diags *diags = c->program->diags;
  const char *kind = callee_kind_name (callee);

  if (callee->kind == DECL_STAGE)
    {
      AstStage *stage = (AstStage *) callee;
      if (stage->emits)
        {
          Diag *d = diag_report (diags, DIAG_GENERATOR_IN_FLOW, call->callee_loc,
                                 "generator stage '%s' cannot be called from a flow; only a graph node may "
                                 "run a stage that emits",
                                 callee->name);
          diag_note (d, callee->loc, "'%s' declared here", callee->name);
        }
      for (guint i = 0; i < in->n; i++)
        if (in->items[i]->is_batch)
          {
            Diag *d = diag_report (diags, DIAG_BATCH_PARAM, call->callee_loc,
                                   "stage '%s' takes a batch '%s[]' and cannot be called from a flow; "
                                   "only a graph node with 'batch' can feed it",
                                   callee->name, in->items[i]->name);
            diag_note (d, in->items[i]->batch_loc, "batch parameter declared here");
            break;
          }
    }

  /* Most calls bind nothing and rename nothing: no tables for them. */
  const AstBinding **bound = NULL, **guessed = NULL;
  if (call->n_bindings > 0)
    {
      bound = arena_newv (c->scratch, const AstBinding *, in->n + 1);
      guessed = arena_newv (c->scratch, const AstBinding *, in->n + 1);
      check_bindings (c, call, callee, in, bound, guessed);
    }
  for (guint i = 0; i < in->n; i++)
    if ((bound == NULL || (bound[i] == NULL && guessed[i] == NULL)) && !in->items[i]->is_batch)
      read_input (c, call, callee, in->items[i], NULL);

  const AstRename **renamed = NULL;
  if (call->n_renames > 0)
    {
      renamed = arena_newv (c->scratch, const AstRename *, out->n + 1);
      check_call_renames (c, call, callee, out, renamed);
    }

  Outs *outs = outs_new (c);
  if (out->n > 0)
    {
      outs->vec.items = arena_newv (c->scratch, gpointer, out->n);
      outs->vec.cap = out->n;
    }
  for (guint i = 0; i < out->n; i++)
    {
      const AstParam *param = out->items[i];
      const AstRename *r = renamed != NULL ? renamed[i] : NULL;
      if (r != NULL && r->key == NULL)
        continue; /* `_ = output`: dropped */
      Sym name = r != NULL ? r->key : param->name;
      if (call->n_renames > 0 && report_name_clash (c, outs, name, r != NULL ? r->loc : call->callee_loc))
        continue;
      Value *v = production_new (c, name, param->name, &param->type, call->callee_loc, callee->name);
      check_reproduce (c, v, call->callee_loc, kind, callee->name);
      outs_push (c, outs, v);
    }
  return outs;
}

/* ----------------------------------------------------------------- merges */

/* One name across the paths being merged. */
typedef struct {
  ArenaVec values;          /* Value *, one per path that has it */
  guint last_path;          /* path index + 1 that added last */
} Tally;

/* The names every path produces (if/else, a dynamic pick): one merged
 * value each; the rest are lost to `reason`.  Paths whose outputs are
 * unknown (`any`) do not constrain the result. */
static Outs *
intersect (Checker *c, Outs **paths, guint n, LostReason reason)
{
  Outs *result = outs_new (c);
  guint known = 0;
  Outs *first = NULL;
  for (guint i = 0; i < n; i++)
    if (!paths[i]->any)
      {
        known++;
        if (first == NULL)
          first = paths[i];
      }
  if (known == 0)
    {
      result->any = n > 0;
      return result;
    }

  GHashTable *tallies = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; !paths[i]->any && j < paths[i]->vec.n; j++)
      {
        Value *v = OUT (paths[i], j);
        Tally *t = g_hash_table_lookup (tallies, v->name);
        if (t == NULL)
          {
            t = arena_new0 (c->scratch, Tally);
            g_hash_table_insert (tallies, (gpointer) v->name, t);
          }
        if (t->last_path == i + 1)
          continue;
        t->last_path = i + 1;
        arena_vec_push (c->scratch, &t->values, v);
      }

  for (guint j = 0; j < first->vec.n; j++)
    {
      Tally *t = g_hash_table_lookup (tallies, OUT (first, j)->name);
      if (t->values.n != known || t->last_path == 0)
        continue;
      t->last_path = 0; /* emitted */
      Value *v0 = t->values.items[0];
      if (known == 1)
        {
          outs_push (c, result, v0);
          continue;
        }
      Value *merged = value_new (c, v0->name, v0->type, v0->loc);
      merged->producer = v0->producer;
      merged->output = v0->output;
      merged->children = (Value **) t->values.items;
      merged->n_children = t->values.n;
      merged->pick_renamed = v0->pick_renamed;
      for (guint k = 1; k < t->values.n; k++)
        {
          Value *vk = t->values.items[k];
          if (v0->type != NULL && vk->type != NULL)
            check_agreement (c, vk->loc, v0, vk->type, "on another path it");
        }
      outs_push (c, result, merged);
    }

  for (guint i = 0; i < n; i++)
    for (guint j = 0; !paths[i]->any && j < paths[i]->vec.n; j++)
      {
        Value *v = OUT (paths[i], j);
        Tally *t = g_hash_table_lookup (tallies, v->name);
        if (t->values.n != known)
          lost_mark (v, reason);
      }
  g_hash_table_destroy (tallies);
  return result;
}

/* ----------------------------------------------------------------- tables */

/* The identity of a key: kind and value, `-0` being `0`. */
static GBytes *
key_bytes (KeyKind kind, const AstLiteral *lit)
{
  GByteArray *bytes = g_byte_array_new ();
  if (kind == KEY_STRING)
    {
      g_byte_array_append (bytes, (const guint8 *) "s", 1);
      if (lit->str != NULL)
        g_byte_array_append (bytes, (const guint8 *) lit->str, lit->str_len);
    }
  else
    {
      char buf[40];
      int len = g_snprintf (buf, sizeof buf, "i%s%" G_GUINT64_FORMAT,
                            lit->negative && lit->magnitude > 0 ? "-" : "", lit->magnitude);
      g_byte_array_append (bytes, (const guint8 *) buf, len);
    }
  return g_byte_array_free_to_bytes (bytes);
}

static const char *
key_kind_name (KeyKind kind)
{
  return kind == KEY_STRING ? "string" : "integer";
}

static void
table_info_free (gpointer p)
{
  TableInfo *info = p;
  g_hash_table_destroy (info->index);
  g_free (info);
}

/* A table on its own: arms, one kind of key, each key once. */
static void
check_table_decl (Checker *c, AstTable *table)
{
  Diags *diags = c->program->diags;
  TableInfo *info = g_new0 (TableInfo, 1);
  info->kind = KEY_DEFAULT;
  info->index = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  g_hash_table_insert (c->table_infos, table, info);

  if (table->n_arms == 0)
    diag_report (diags, DIAG_EMPTY_BLOCK, table->open_loc, "table '%s' has no arms", table->decl.name);

  const AstTableArm *first_keyed = NULL;
  for (guint i = 0; i < table->n_arms; i++)
    {
      AstTableArm *arm = table->arms[i];
      if (arm->kind == KEY_DEFAULT)
        {
          if (info->default_arm != NULL)
            {
              Diag *d = diag_report (diags, DIAG_TABLE_KEYS, arm->loc, "table '%s' has two 'default' arms",
                                     table->decl.name);
              diag_note (d, info->default_arm->loc, "first 'default' here");
            }
          else
            info->default_arm = arm;
          continue;
        }
      if (first_keyed == NULL)
        {
          first_keyed = arm;
          info->kind = arm->kind;
        }
      else if (arm->kind != info->kind)
        {
          Diag *d = diag_report (diags, DIAG_TABLE_KEYS, arm->loc,
                                 "table '%s' mixes string and integer keys: %s is %s key", table->decl.name,
                                 arm->lit.text, arm->kind == KEY_STRING ? "a string" : "an integer");
          diag_note (d, first_keyed->loc, "the first key, %s, makes it a table of %s keys", first_keyed->lit.text,
                     key_kind_name (info->kind));
          continue;
        }
      GBytes *key = key_bytes (arm->kind, &arm->lit);
      AstTableArm *earlier = g_hash_table_lookup (info->index, key);
      if (earlier != NULL)
        {
          Diag *d = diag_report (diags, DIAG_TABLE_KEYS, arm->loc, "key %s appears twice in table '%s'",
                                 arm->lit.text, table->decl.name);
          diag_note (d, earlier->loc, "first appears here");
          g_bytes_unref (key);
          continue;
        }
      g_hash_table_insert (info->index, key, arm);
    }
}

/* A dynamic pick's key: visible, and of the table's kind of key. */
static void
check_dispatch_key (Checker *c, const AstCall *call, const AstTable *table, const TableInfo *info)
{
  Diags *diags = c->program->diags;
  Value *v = env_lookup (c, call->pick_key);
  if (v == NULL)
    {
      g_autofree char *h = hint (suggest_from_view (c, call->pick_key, NULL));
      Diag *d = diag_report (diags, DIAG_UNAVAILABLE_VALUE, call->pick_loc,
                             "dispatch key '%s' is not available here%s", call->pick_key, h);
      explain_unavailable (c, d, call->pick_key, call->pick_loc, FALSE);
      return;
    }
  if (v == &c->any_value)
    return;
  v->read = TRUE;
  if (v->type == NULL)
    return;
  CTypeInfo ti = types_classify (types_ctype (v->type));
  gboolean integer = ti.klass == CTYPE_SIGNED || ti.klass == CTYPE_UNSIGNED;
  gboolean ok = info->kind == KEY_STRING ? ti.is_char_ptr
                : info->kind == KEY_INT  ? integer
                                         : ti.is_char_ptr || integer;
  if (ok)
    return;
  Diag *d;
  if (info->kind == KEY_DEFAULT)
    d = diag_report (diags, DIAG_PICK_KIND, call->pick_loc,
                     "dispatch key '%s' is '%s'; a dispatch key must be a string ('const char *' or 'char *') "
                     "or an integer",
                     v->name, types_display (v->type));
  else
    d = diag_report (diags, DIAG_PICK_KIND, call->pick_loc,
                     "dispatch key '%s' is '%s', but table '%s' has %s keys%s", v->name,
                     types_display (v->type), table->decl.name, key_kind_name (info->kind),
                     info->kind == KEY_STRING ? " (it needs 'const char *' or 'char *')" : "");
  note_producer (d, v);
}

/* A static pick's arm: the key's arm, else `default`, else an error. */
static AstTableArm *
static_arm (Checker *c, const AstCall *call, const AstTable *table, const TableInfo *info)
{
  Diags *diags = c->program->diags;
  KeyKind kind = call->pick == PICK_STRING ? KEY_STRING : KEY_INT;
  if (info->kind != KEY_DEFAULT && info->kind != kind)
    {
      Diag *d = diag_report (diags, DIAG_PICK_KIND, call->pick_loc,
                             "%s key %s for table '%s', which has %s keys", key_kind_name (kind),
                             call->pick_lit.text, table->decl.name, key_kind_name (info->kind));
      diag_note (d, table->decl.loc, "'%s' declared here", table->decl.name);
      return NULL;
    }
  GBytes *key = key_bytes (kind, &call->pick_lit);
  AstTableArm *arm = g_hash_table_lookup (info->index, key);
  g_bytes_unref (key);
  if (arm == NULL)
    arm = info->default_arm;
  if (arm != NULL)
    return arm;

  const char *suggestion = NULL;
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  if (kind == KEY_STRING)
    {
      for (guint i = 0; i < table->n_arms; i++)
        if (table->arms[i]->kind == KEY_STRING && table->arms[i]->lit.str != NULL)
          g_ptr_array_add (keys, (gpointer) table->arms[i]->lit.str);
      if (call->pick_lit.str != NULL)
        suggestion = suggest (call->pick_lit.str, keys);
    }
  g_autofree char *h = suggestion != NULL ? g_strdup_printf ("; did you mean \"%s\"?", suggestion) : g_strdup ("");
  Diag *d = diag_report (diags, DIAG_DISPATCH_KEY, call->pick_loc, "table '%s' has no key %s and no default%s",
                         table->decl.name, call->pick_lit.text, h);
  diag_note (d, table->decl.loc, "'%s' declared here", table->decl.name);
  return NULL;
}

/* The rename for arm output `name`, or NULL. */
static const AstRename *
pick_rename (const AstCall *call, const AstRename **valid, Sym name)
{
  for (guint i = 0; i < call->n_renames; i++)
    if (valid[i] != NULL && valid[i]->output == name)
      return valid[i];
  return NULL;
}

/* Does some arm produce `name`? */
static gboolean
arms_produce (Outs **arm_outs, guint n, Sym name)
{
  for (guint i = 0; i < n; i++)
    {
      if (arm_outs[i]->any)
        return TRUE;
      for (guint j = 0; j < arm_outs[i]->vec.n; j++)
        if (OUT (arm_outs[i], j)->name == name)
          return TRUE;
    }
  return FALSE;
}

/* The renames of a pick, against what its arms produce. */
static const AstRename **
check_pick_renames (Checker *c, const AstCall *call, const AstTable *table, Outs **arm_outs, guint n)
{
  Diags *diags = c->program->diags;
  const AstRename **valid = arena_newv (c->scratch, const AstRename *, call->n_renames + 1);
  for (guint i = 0; i < call->n_renames; i++)
    {
      const AstRename *r = call->renames[i];
      if (!arms_produce (arm_outs, n, r->output))
        {
          Diag *d;
          if (call->pick == PICK_VALUE)
            d = diag_report (diags, DIAG_UNKNOWN_OUTPUT, r->output_loc, "no arm of table '%s' produces '%s'",
                             table->decl.name, r->output);
          else
            d = diag_report (diags, DIAG_UNKNOWN_OUTPUT, r->output_loc,
                             "the arm %s picks from table '%s' does not produce '%s'", call->pick_lit.text,
                             table->decl.name, r->output);
          diag_note (d, table->decl.loc, "'%s' declared here", table->decl.name);
          continue;
        }
      const AstRename *first = pick_rename (call, valid, r->output);
      if (first != NULL)
        {
          Diag *d = diag_report (diags, DIAG_DUPLICATE_BINDING, r->output_loc, "output '%s' is renamed twice",
                                 r->output);
          diag_note (d, first->output_loc, "first renamed here");
          continue;
        }
      valid[i] = r;
    }
  return valid;
}

/* An arm's outputs after the pick's renames, as stand-ins that point back
 * at the arm's values (dropped ones count as read). */
static Outs *
rename_arm_outputs (Checker *c, const AstCall *call, const AstRename **valid, Outs *arm)
{
  if (arm->any || call->n_renames == 0)
    return arm;
  Outs *outs = outs_new (c);
  for (guint j = 0; j < arm->vec.n; j++)
    {
      Value *v = OUT (arm, j);
      const AstRename *r = pick_rename (call, valid, v->name);
      if (r == NULL)
        {
          outs_push (c, outs, v);
          continue;
        }
      if (r->key == NULL)
        {
          v->read = TRUE;
          continue;
        }
      Value *renamed = value_new (c, r->key, v->type, v->loc);
      renamed->producer = v->producer;
      renamed->output = v->output;
      renamed->children = arena_newv (c->scratch, Value *, 1);
      renamed->children[0] = v;
      renamed->n_children = 1;
      renamed->pick_renamed = TRUE;
      outs_push (c, outs, renamed);
    }
  return outs;
}

/* What a pick leaves: the arms' outputs after renames (intersected over
 * the arms of a dynamic pick), published by the pick itself. */
static Outs *
pick_outputs (Checker *c, AstStmt *stmt, AstTable *table, Outs **arm_outs, guint n)
{
  AstCall *call = &stmt->u.call;
  const AstRename **valid = check_pick_renames (c, call, table, arm_outs, n);
  Outs **renamed = arena_newv (c->scratch, Outs *, n);
  for (guint i = 0; i < n; i++)
    renamed[i] = rename_arm_outputs (c, call, valid, arm_outs[i]);
  Outs *merged = intersect (c, renamed, n, LOST_PICK_PATHS);

  Outs *outs = outs_new (c);
  outs->any = merged->any;
  for (guint i = 0; i < merged->vec.n; i++)
    {
      Value *m = OUT (merged, i);
      m->read = TRUE; /* consumed by the pick, which publishes it anew */
      Value *v = production_new (c, m->name, m->output, m->type, call->callee_loc, table->decl.name);
      /* Arm calls checked their own outputs; a pick's rename is new. */
      if (m->pick_renamed)
        check_reproduce (c, v, call->callee_loc, "table", table->decl.name);
      outs_push (c, outs, v);
    }
  return outs;
}

static TableInfo *
table_info (Checker *c, AstTable *table)
{
  return g_hash_table_lookup (c->table_infos, table);
}

/* `table[key]`: a static pick checks its arm, a dynamic pick every arm,
 * each in the pick's own view. */
static Outs *
check_pick (Checker *c, AstStmt *stmt, AstTable *table)
{
  AstCall *call = &stmt->u.call;
  Diags *diags = c->program->diags;
  call->target = &table->decl;
  if (call->pick == PICK_NONE)
    {
      Diag *d = diag_report (diags, DIAG_TABLE_CALL, call->callee_loc,
                             "table '%s' is called without a key; pick an arm with '%s[key]'", table->decl.name,
                             table->decl.name);
      diag_note (d, table->decl.loc, "'%s' declared here", table->decl.name);
      return outs_any (c);
    }
  if (call->n_bindings > 0)
    diag_report (diags, DIAG_TABLE_CALL, call->bindings[0]->loc,
                 "a pick of table '%s' takes no bindings; its arms read their inputs from the view",
                 table->decl.name);

  TableInfo *info = table_info (c, table);
  if (info == NULL)
    return outs_any (c);
  AstTableArm *one = NULL;
  AstTableArm **arms;
  guint n;
  if (call->pick == PICK_VALUE)
    {
      check_dispatch_key (c, call, table, info);
      arms = table->arms;
      n = table->n_arms;
    }
  else
    {
      one = static_arm (c, call, table, info);
      if (one == NULL)
        return outs_any (c);
      call->arm = one;
      arms = &one;
      n = 1;
    }
  if (n == 0)
    return outs_any (c);
  if (g_hash_table_contains (c->active_tables, table))
    {
      diag_report (diags, DIAG_TABLE_CALL, call->callee_loc, "table '%s' is picked inside its own arms",
                   table->decl.name);
      return outs_any (c);
    }

  g_hash_table_add (c->active_tables, table);
  Outs **arm_outs = arena_newv (c->scratch, Outs *, n);
  for (guint i = 0; i < n; i++)
    {
      g_hash_table_add (c->checked_arms, arms[i]);
      arm_outs[i] = arms[i]->stmt != NULL ? check_stmt (c, arms[i]->stmt) : outs_any (c);
    }
  g_hash_table_remove (c->active_tables, table);
  return pick_outputs (c, stmt, table, arm_outs, n);
}

/* A call statement: resolve the callee, then by its kind. */
static Outs *
check_call (Checker *c, AstStmt *stmt)
{
  AstCall *call = &stmt->u.call;
  Program *program = c->program;
  if (call->callee == NULL)
    return outs_any (c);
  AstDecl *decl = program_lookup (program, call->callee);
  if (decl == NULL)
    {
      guint mask = (1u << DECL_STAGE) | (1u << DECL_FLOW) | (1u << DECL_TABLE);
      g_autofree char *h = hint (program_suggest_decl (program, call->callee, mask));
      diag_report (program->diags, DIAG_UNKNOWN_CALLEE, call->callee_loc, "unknown stage '%s'%s", call->callee,
                   h);
      return outs_any (c);
    }
  switch (decl->kind)
    {
    case DECL_TYPE:
      {
        Diag *d = diag_report (program->diags, DIAG_NOT_CALLABLE, call->callee_loc,
                               "'%s' is a type, not a stage, flow or table", decl->name);
        diag_note (d, decl->loc, "'%s' declared here", decl->name);
        return outs_any (c);
      }
    case DECL_GRAPH:
      {
        Diag *d = diag_report (program->diags, DIAG_GRAPH_IN_FLOW, call->callee_loc,
                               "graph '%s' cannot be called from a flow; run it from 'main' or the C API",
                               decl->name);
        diag_note (d, decl->loc, "'%s' declared here", decl->name);
        return outs_any (c);
      }
    case DECL_TABLE:
      return check_pick (c, stmt, (AstTable *) decl);
    case DECL_STAGE:
    case DECL_FLOW:
      break;
    }
  if (call->pick != PICK_NONE)
    {
      Diag *d = diag_report (program->diags, DIAG_NOT_A_TABLE, call->callee_loc, "'%s' is a %s, not a table",
                             decl->name, callee_kind_name (decl));
      diag_note (d, decl->loc, "'%s' declared here", decl->name);
    }
  call->target = decl;
  if (decl->kind == DECL_STAGE)
    {
      AstStage *stage = (AstStage *) decl;
      return check_invocation (c, stmt, decl, &stage->in, &stage->out);
    }
  AstFlow *flow = (AstFlow *) decl;
  return check_invocation (c, stmt, decl, &flow->in, &flow->out);
}

/* ------------------------------------------------------------- statements */

/* A sequence: each statement sees what the one before it left (per the
 * visibility).  Leaves the environment as it found it. */
static Outs *
check_seq (Checker *c, AstStmt **items, guint n)
{
  guint mark = c->undo->len;
  Outs *result = c->vis == VIS_ALL ? outs_new (c) : NULL;
  Outs *last = NULL;
  for (guint i = 0; i < n; i++)
    {
      last = items[i] != NULL ? check_stmt (c, items[i]) : outs_any (c);
      if (result != NULL)
        {
          result->any |= last->any;
          for (guint j = 0; j < last->vec.n; j++)
            outs_push (c, result, OUT (last, j));
        }
      if (i + 1 < n)
        env_advance (c, last);
    }
  env_rollback (c, mark);
  if (result != NULL)
    return result;
  return last != NULL ? last : outs_new (c);
}

static Outs *
check_block (Checker *c, AstStmt *stmt)
{
  if (stmt->u.block.n == 0)
    {
      diag_report (c->program->diags, DIAG_EMPTY_BLOCK, stmt->loc, "empty block");
      return outs_new (c);
    }
  return check_seq (c, stmt->u.block.items, stmt->u.block.n);
}

static GHashTable *
copy_table (GHashTable *table)
{
  GHashTable *copy = g_hash_table_new (g_direct_hash, g_direct_equal);
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init (&it, table);
  while (g_hash_table_iter_next (&it, &key, &value))
    g_hash_table_insert (copy, key, value);
  return copy;
}

/* `par { ... }`: every branch sees the par's view; the outputs are the
 * union, and two branches may not produce one name. */
static Outs *
check_par (Checker *c, AstStmt *stmt)
{
  Diags *diags = c->program->diags;
  if (stmt->u.block.n == 0)
    {
      diag_report (diags, DIAG_EMPTY_BLOCK, stmt->loc, "empty 'par'");
      return outs_new (c);
    }
  ParFrame frame = {
    /* Under `all` a statement sees everything the par sees, so the
     * visibility rule already covers re-producing those names. */
    .snapshot = c->vis != VIS_ALL && !c->all_any ? copy_table (c->env) : NULL,
    .siblings = g_hash_table_new (g_direct_hash, g_direct_equal),
    .branch_of = g_hash_table_new (g_direct_hash, g_direct_equal),
  };
  g_ptr_array_add (c->par_frames, &frame);

  Outs *result = outs_new (c);
  for (guint i = 0; i < stmt->u.block.n; i++)
    {
      AstStmt *branch = stmt->u.block.items[i];
      Outs *outs = branch != NULL ? check_stmt (c, branch) : outs_any (c);
      result->any |= outs->any;
      for (guint j = 0; j < outs->vec.n; j++)
        {
          Value *v = OUT (outs, j);
          guint from = GPOINTER_TO_UINT (g_hash_table_lookup (frame.branch_of, v->name));
          if (from == i + 1)
            continue;
          if (from != 0)
            {
              v->read = TRUE; /* reported once: not also unused */
              Diag *d = diag_report (diags, DIAG_MERGE_CONFLICT, v->loc,
                                     "'%s' is produced by two concurrent branches of one 'par'", v->name);
              diag_note (d, ((Value *) g_hash_table_lookup (frame.siblings, v->name))->loc,
                         "'%s' is also produced here", v->name);
              continue;
            }
          g_hash_table_insert (frame.branch_of, (gpointer) v->name, GUINT_TO_POINTER (i + 1));
          outs_push (c, result, v);
        }
      /* Only now do later branches count this one as a sibling. */
      for (guint j = 0; j < outs->vec.n; j++)
        if (!g_hash_table_contains (frame.siblings, OUT (outs, j)->name))
          g_hash_table_insert (frame.siblings, (gpointer) OUT (outs, j)->name, OUT (outs, j));
    }

  g_ptr_array_set_size (c->par_frames, c->par_frames->len - 1);
  if (frame.snapshot != NULL)
    g_hash_table_destroy (frame.snapshot);
  g_hash_table_destroy (frame.siblings);
  g_hash_table_destroy (frame.branch_of);
  return result;
}

/* `if (x)`: x visible, and a boolean, integer or pointer. */
static void
check_condition (Checker *c, const AstIf *if_)
{
  Diags *diags = c->program->diags;
  if (if_->cond == NULL)
    return;
  Value *v = env_lookup (c, if_->cond);
  if (v == NULL)
    {
      g_autofree char *h = hint (suggest_from_view (c, if_->cond, NULL));
      Diag *d = diag_report (diags, DIAG_UNAVAILABLE_VALUE, if_->cond_loc, "condition '%s' is not available here%s",
                             if_->cond, h);
      explain_unavailable (c, d, if_->cond, if_->cond_loc, FALSE);
      return;
    }
  if (v == &c->any_value)
    return;
  v->read = TRUE;
  if (v->type == NULL)
    return;
  CTypeInfo info = types_classify (types_ctype (v->type));
  if (info.klass != CTYPE_FLOAT && info.klass != CTYPE_OTHER)
    return;
  Diag *d = diag_report (diags, DIAG_CONDITION_TYPE, if_->cond_loc,
                         "condition '%s' is '%s', which is neither boolean, integer nor pointer", v->name,
                         types_display (v->type));
  note_producer (d, v);
}

/* `if (x) s [else s]`: only what every path produces remains. */
static Outs *
check_if (Checker *c, AstStmt *stmt)
{
  AstIf *if_ = &stmt->u.if_;
  check_condition (c, if_);
  Outs *then_outs = if_->then_stmt != NULL ? check_stmt (c, if_->then_stmt) : outs_any (c);
  if (if_->else_stmt == NULL)
    {
      for (guint i = 0; i < then_outs->vec.n; i++)
        lost_mark (OUT (then_outs, i), LOST_IF_NO_ELSE);
      return outs_new (c);
    }
  Outs *paths[2] = { then_outs, check_stmt (c, if_->else_stmt) };
  return intersect (c, paths, 2, LOST_IF_PATHS);
}

static Outs *
check_stmt (Checker *c, AstStmt *stmt)
{
  switch (stmt->kind)
    {
    case STMT_CALL: return check_call (c, stmt);
    case STMT_BLOCK: return check_block (c, stmt);
    case STMT_PAR: return check_par (c, stmt);
    case STMT_IF: return check_if (c, stmt);
    }
  return outs_any (c);
}

/* ------------------------------------------------------------------ flows */

static void
begin_scope (Checker *c, AstFlow *flow, Visibility vis, gboolean all_any)
{
  c->scratch = arena_new ();
  c->flow = flow;
  c->vis = vis;
  c->all_any = all_any;
  c->env = g_hash_table_new (g_direct_hash, g_direct_equal);
  c->env_any = FALSE;
  c->inputs = g_hash_table_new (g_direct_hash, g_direct_equal);
  c->ever = g_hash_table_new (g_direct_hash, g_direct_equal);
  c->values = g_ptr_array_new ();
  g_array_set_size (c->undo, 0);
}

static void
end_scope (Checker *c)
{
  g_hash_table_destroy (c->env);
  g_hash_table_destroy (c->inputs);
  g_hash_table_destroy (c->ever);
  g_ptr_array_unref (c->values);
  c->env = c->inputs = c->ever = NULL;
  c->values = NULL;
  c->flow = NULL;
  /* A fresh arena per flow: the memory of the last one is reused rather
   * than touched anew, which is what a 10,000-flow file spends its time on. */
  arena_free (c->scratch);
  c->scratch = NULL;
}

/* Flow options: `repeat` and `every` exclude each other; a repeating flow
 * never finishes, so it has no outputs.  TRUE when outputs are moot. */
static gboolean
check_flow_options (Checker *c, const AstFlow *flow)
{
  Diags *diags = c->program->diags;
  if (flow->repeat && flow->has_every)
    {
      gboolean every_second = flow->every_loc.line > flow->repeat_loc.line
                              || (flow->every_loc.line == flow->repeat_loc.line
                                  && flow->every_loc.col > flow->repeat_loc.col);
      Loc second = every_second ? flow->every_loc : flow->repeat_loc;
      Loc first = every_second ? flow->repeat_loc : flow->every_loc;
      Diag *d = diag_report (diags, DIAG_DUPLICATE_OPTION, second,
                             "'%s' conflicts with '%s' ('every' already repeats the flow)",
                             every_second ? "every" : "repeat", every_second ? "repeat" : "every");
      diag_note (d, first, "'%s' given here", every_second ? "repeat" : "every");
    }
  if ((flow->repeat || flow->has_every) && flow->out.n > 0)
    {
      Loc at = flow->repeat ? flow->repeat_loc : flow->every_loc;
      Diag *d = diag_report (diags, DIAG_REPEAT_OUTPUTS, at,
                             "flow '%s' repeats forever and cannot have outputs", flow->decl.name);
      diag_note (d, flow->out.items[0]->loc, "output '%s' declared here", flow->out.items[0]->name);
      return TRUE;
    }
  return FALSE;
}

/* The declared outputs must be in the view at the end of the body. */
static void
check_flow_outputs (Checker *c, const AstFlow *flow, const Outs *body)
{
  env_advance (c, body);
  for (guint i = 0; i < flow->out.n; i++)
    {
      const AstParam *param = flow->out.items[i];
      Value *v = env_lookup (c, param->name);
      if (v == &c->any_value)
        continue;
      if (v != NULL)
        {
          v->read = TRUE;
          g_autofree char *reader = g_strdup_printf ("output '%s' of flow '%s'", param->name, flow->decl.name);
          check_agreement (c, param->loc, v, &param->type, reader);
          continue;
        }
      Diag *d;
      if (g_hash_table_contains (c->ever, param->name) || sibling_production (c, param->name) != NULL
          || g_hash_table_contains (c->inputs, param->name))
        d = diag_report (c->program->diags, DIAG_MISSING_OUTPUT, param->loc,
                         "output '%s' of flow '%s' is not available at the end of the flow (visibility %s)",
                         param->name, flow->decl.name, visibility_name (c->vis));
      else
        d = diag_report (c->program->diags, DIAG_MISSING_OUTPUT, param->loc,
                         "output '%s' of flow '%s' is never produced", param->name, flow->decl.name);
      explain_unavailable (c, d, param->name, param->loc, TRUE);
    }
}

static gboolean
is_flow_output (const AstFlow *flow, GHashTable *outputs, Sym name)
{
  if (outputs != NULL)
    return g_hash_table_contains (outputs, name);
  return param_index (&flow->out, name) >= 0;
}

/* Produced values nobody read: a read of a merged value reads each of its
 * paths, settled here newest first (merges come after what they merge). */
static void
report_unused (Checker *c, const AstFlow *flow)
{
  for (guint i = c->values->len; i-- > 0;)
    {
      Value *v = c->values->pdata[i];
      for (guint k = 0; v->read && k < v->n_children; k++)
        v->children[k]->read = TRUE;
    }
  if (c->all_any || flow == NULL)
    return;
  g_autoptr (GHashTable) outputs = NULL;
  if (flow->out.n > 8)
    {
      outputs = g_hash_table_new (g_direct_hash, g_direct_equal);
      for (guint i = 0; i < flow->out.n; i++)
        g_hash_table_add (outputs, (gpointer) flow->out.items[i]->name);
    }
  for (guint i = 0; i < c->values->len; i++)
    {
      const Value *v = c->values->pdata[i];
      if (!v->is_production || v->read || is_flow_output (flow, outputs, v->name))
        continue;
      diag_report (c->program->diags, DIAG_UNUSED_OUTPUT, v->loc,
                   "value '%s' produced by '%s' is never read (drop it with '=> (_ = %s)')", v->name,
                   v->producer, v->output != NULL ? v->output : v->name);
    }
}

static void
check_flow (Checker *c, AstFlow *flow)
{
  gboolean outputs_moot = check_flow_options (c, flow);
  if (flow->body == NULL)
    return;
  begin_scope (c, flow, flow->visibility, FALSE);
  for (guint i = 0; i < flow->in.n; i++)
    {
      AstParam *param = flow->in.items[i];
      if (g_hash_table_contains (c->inputs, param->name))
        continue;
      Value *v = value_new (c, param->name, &param->type, param->loc);
      v->is_input = TRUE;
      g_hash_table_insert (c->inputs, (gpointer) param->name, v);
      if (c->vis == VIS_NONE)
        env_set (c, param->name, v);
    }

  AstStmt *body = flow->body;
  gboolean empty = body->kind == STMT_BLOCK && body->u.block.n == 0;
  if (empty)
    diag_report (c->program->diags, DIAG_EMPTY_BLOCK, body->loc, "flow '%s' has an empty body", flow->decl.name);
  else
    {
      Outs *outs = body->kind == STMT_BLOCK ? check_seq (c, body->u.block.items, body->u.block.n)
                                            : check_stmt (c, body);
      if (!outputs_moot)
        check_flow_outputs (c, flow, outs);
    }
  report_unused (c, flow);
  end_scope (c);
}

/* Arms no pick reached: checked once where every name is available, so
 * that mistakes independent of the view (an unknown stage, a bad
 * constant) are still reported. */
static void
check_unpicked_arms (Checker *c, AstFile *file)
{
  begin_scope (c, NULL, VIS_NONE, TRUE);
  for (guint i = 0; i < file->n_tables; i++)
    {
      AstTable *table = file->tables[i];
      for (guint j = 0; j < table->n_arms; j++)
        {
          AstTableArm *arm = table->arms[j];
          if (arm->stmt == NULL || g_hash_table_contains (c->checked_arms, arm))
            continue;
          g_hash_table_add (c->checked_arms, arm);
          g_hash_table_add (c->active_tables, table);
          check_stmt (c, arm->stmt);
          g_hash_table_remove (c->active_tables, table);
        }
    }
  report_unused (c, NULL);
  end_scope (c);
}

void
check_flows (Program *program)
{
  AstFile *file = program->file;
  if (file == NULL)
    return;
  Checker c = {
    .program = program,
    .table_infos = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, table_info_free),
    .checked_arms = g_hash_table_new (g_direct_hash, g_direct_equal),
    .active_tables = g_hash_table_new (g_direct_hash, g_direct_equal),
    .undo = g_array_new (FALSE, FALSE, sizeof (Undo)),
    .par_frames = g_ptr_array_new (),
  };
  for (guint i = 0; i < file->n_tables; i++)
    check_table_decl (&c, file->tables[i]);
  for (guint i = 0; i < file->n_flows; i++)
    check_flow (&c, file->flows[i]);
  check_unpicked_arms (&c, file);

  g_ptr_array_unref (c.par_frames);
  g_array_unref (c.undo);
  g_hash_table_destroy (c.active_tables);
  g_hash_table_destroy (c.checked_arms);
  g_hash_table_destroy (c.table_infos);
}
