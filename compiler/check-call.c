/* check-call.c — calls in a flow (model: check-flow.h).
 *
 * A stage or flow called from a flow: its bindings and renames, its inputs
 * read from the view, its outputs published (without replacing what the
 * visibility or an enclosing `par` forbids), the types agreeing between
 * producer and reader; and the notes that say why a value a reader wanted
 * is not in its view.
 */
#include <string.h>
#include "check-flow.h"

/* --------------------------------------------------------------- notes */

void
flowchk_note_producer (Diag *d, const Value *v)
{
  if (v->is_input)
    diag_note (d, v->loc, "'%s' is a flow input declared here as '%s'", v->name, types_display (v->type));
  else if (v->type != NULL)
    diag_note (d, v->loc, "'%s' is produced here as '%s'", v->name, types_display (v->type));
  else
    diag_note (d, v->loc, "'%s' is produced here", v->name);
}

/* The par frame (innermost first) whose earlier branches produced `name`. */
Value *
flowchk_sibling_production (Checker *c, Sym name)
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

/* Every name a call (a stage or flow) publishes, after its renames, is
 * appended to `producers` (Sym -> GPtrArray of AstStmt *). */
static void
index_call (Program *program, GHashTable *producers, AstStmt *stmt)
{
  const AstCall *call = &stmt->u.call;
  AstDecl *decl = call->callee != NULL ? program_lookup (program, call->callee) : NULL;
  const AstParams *out = decl == NULL                ? NULL
                         : decl->kind == DECL_STAGE ? &((AstStage *) decl)->out
                         : decl->kind == DECL_FLOW  ? &((AstFlow *) decl)->out
                                                    : NULL;
  if (out == NULL || call->pick != PICK_NONE)
    return;
  for (guint i = 0; i < out->n; i++)
    {
      Sym published = out->items[i]->name;
      for (guint j = 0; j < call->n_renames; j++)
        if (call->renames[j]->output == out->items[i]->name)
          published = call->renames[j]->key;
      GPtrArray *list = g_hash_table_lookup (producers, published);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (producers, (gpointer) published, list);
        }
      if (list->len == 0 || list->pdata[list->len - 1] != stmt)
        g_ptr_array_add (list, stmt);
    }
}

/* The calls of `stmt`, in source order. */
static void
index_producers (Program *program, GHashTable *producers, AstStmt *stmt)
{
  if (stmt == NULL)
    return;
  switch (stmt->kind)
    {
    case STMT_CALL:
      index_call (program, producers, stmt);
      return;
    case STMT_BLOCK:
    case STMT_PAR:
      for (guint i = 0; i < stmt->u.block.n; i++)
        index_producers (program, producers, stmt->u.block.items[i]);
      return;
    case STMT_IF:
      index_producers (program, producers, stmt->u.if_.then_stmt);
      index_producers (program, producers, stmt->u.if_.else_stmt);
      return;
    }
}

/* The first call after `after` in the flow body that publishes `name`, or
 * NULL: for "produced only later".  The producers of every name are
 * indexed once per flow, on its first error that asks, so a flow of
 * 20,000 statements with 20,000 missing inputs stays linear. */
static const AstCall *
later_producer (Checker *c, Sym name, Loc after)
{
  if (c->producers == NULL)
    {
      c->producers = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            (GDestroyNotify) g_ptr_array_unref);
      index_producers (c->program, c->producers, c->flow->body);
    }
  GPtrArray *list = g_hash_table_lookup (c->producers, name);
  if (list == NULL)
    return NULL;
  /* In source order: the first one after `after`, by bisection. */
  guint lo = 0, hi = list->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (loc_before (after, ((AstStmt *) list->pdata[mid])->loc))
        hi = mid;
      else
        lo = mid + 1;
    }
  return lo < list->len ? &((AstStmt *) list->pdata[lo])->u.call : NULL;
}

/* Why `name`, which the reader wanted, is not in its view: the help users
 * need is where the value was produced and which rule hid it.  `at_end`
 * phrases it for the end of the flow (a missing output). */
void
flowchk_explain_unavailable (Checker *c, Diag *d, Sym name, Loc reader, gboolean at_end)
{
  if (d == NULL)
    return;
  Value *v = flowchk_sibling_production (c, name);
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
                                 ? later_producer (c, name, reader)
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
void
flowchk_agreement (Checker *c, Loc at, const Value *v, const AstTypeRef *type, const char *reader)
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
  flowchk_note_producer (d, v);
}

/* ------------------------------------------------------------- producing */

/* A statement publishes `v`: under initial it may not replace an input,
 * under all nothing visible, and inside a `par` nothing the par sees. */
void
flowchk_reproduce (Checker *c, const Value *v, Loc at, const char *kind, Sym callee)
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
          flowchk_note_producer (d, input);
          return;
        }
    }
  else if (c->vis == VIS_ALL)
    {
      Value *old = flow_env_lookup (c, v->name);
      if (old != NULL && old != &c->any_value)
        {
          Diag *d = diag_report (diags, DIAG_MERGE_CONFLICT, at,
                                 "%s '%s' produces '%s', which is already visible; under 'visibility all' "
                                 "a name cannot be produced twice on one path",
                                 kind, callee, v->name);
          flowchk_note_producer (d, old);
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
      flowchk_note_producer (d, old);
      return;
    }
}

/* ------------------------------------------------------------------ calls */

static void
report_missing_input (Checker *c, const AstCall *call, const AstDecl *callee, const AstParam *param,
                      const AstBinding *binding)
{
  Sym key = binding != NULL ? binding->key : param->name;
  const char *kind = ast_decl_kind_name (callee->kind);
  const char *suggestion = flow_suggest_from_view (c, key, &param->type);
  Diag *d;
  if (binding != NULL)
    {
      g_autofree char *h = diag_hint (suggestion);
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
  flowchk_explain_unavailable (c, d, key, call->callee_loc, FALSE);
}

/* One input of a call, read from the view (by its own name, or through
 * `param = key`). */
static void
read_input (Checker *c, const AstCall *call, const AstDecl *callee, guint index, const AstParam *param,
            const AstBinding *binding)
{
  Sym key = binding != NULL ? binding->key : param->name;
  Value *v = flow_env_lookup (c, key);
  if (v == NULL)
    {
      report_missing_input (c, call, callee, param, binding);
      return;
    }
  if (v == &c->any_value)
    return;
  v->read = TRUE;
  flow_record_read (c, index, v);
  if (v->type == NULL || types_input_accepts (v->type, &param->type))
    return;
  g_autofree char *reader = g_strdup_printf ("input '%s' of %s '%s'", param->name,
                                             ast_decl_kind_name (callee->kind), callee->name);
  flowchk_agreement (c, call->callee_loc, v, &param->type, reader);
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
      gint idx = ast_param_index (in, b->param);
      if (idx < 0)
        {
          const char *suggestion = program_suggest_param (in, b->param);
          g_autofree char *h = diag_hint (suggestion);
          Diag *d = diag_report (diags, DIAG_UNKNOWN_PARAM, b->loc, "%s '%s' has no parameter '%s'%s",
                                 ast_decl_kind_name (callee->kind), callee->name, b->param, h);
          diag_note (d, callee->loc, "'%s' declared here", callee->name);
          /* The misspelt parameter is meant: do not also call it missing. */
          gint meant = suggestion != NULL ? ast_param_index (in, suggestion) : -1;
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
        read_input (c, call, callee, idx, param, b);
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
      gint idx = ast_param_index (out, r->output);
      if (idx < 0)
        {
          const char *suggestion = program_suggest_param (out, r->output);
          g_autofree char *h = diag_hint (suggestion);
          Diag *d = diag_report (diags, DIAG_UNKNOWN_OUTPUT, r->output_loc, "%s '%s' has no output '%s'%s",
                                 ast_decl_kind_name (callee->kind), callee->name, r->output, h);
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
      gint idx = ast_param_index (out, guesses->pdata[i + 1]);
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
  const char *kind = ast_decl_kind_name (callee->kind);

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
      if (stage->state != NULL)
        {
          Diag *d = diag_report (diags, DIAG_STATE_IN_FLOW, call->callee_loc,
                                 "stage '%s' keeps a state per graph node and cannot be called "
                                 "from a flow; run it as a node of a graph",
                                 callee->name);
          diag_note (d, stage->state_loc, "'state' declared here");
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

  FactStmt *parent = flow_record_open (c, FACT_CALL, stmt, in->n, out->n);

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
      read_input (c, call, callee, i, in->items[i], NULL);

  const AstRename **renamed = NULL;
  if (call->n_renames > 0)
    {
      renamed = arena_newv (c->scratch, const AstRename *, out->n + 1);
      check_call_renames (c, call, callee, out, renamed);
    }

  Outs *outs = flow_outs_new (c);
  if (out->n > 0)
    {
      outs->vec.items = arena_newv (c->scratch, gpointer, out->n);
      outs->vec.cap = out->n;
    }
  for (guint i = 0; i < out->n; i++)
    {
      const AstParam *param = out->items[i];
      const AstRename *r = renamed != NULL ? renamed[i] : NULL;
      Sym name = r != NULL && r->key != NULL ? r->key : param->name;
      /* The stage writes a dropped output too: the record has it. */
      FactValue *fact = flow_record_value (c, name, &param->type);
      if (fact != NULL)
        c->fact_stmt->made[i] = fact;
      if (r != NULL && r->key == NULL)
        continue; /* `_ = output`: dropped */
      if (call->n_renames > 0 && report_name_clash (c, outs, name, r != NULL ? r->loc : call->callee_loc))
        continue;
      Value *v = flow_production_new (c, name, param->name, &param->type, call->callee_loc, callee->name);
      v->fact = fact;
      flowchk_reproduce (c, v, call->callee_loc, kind, callee->name);
      flow_outs_push (c, outs, v);
    }
  flow_record_close (c, parent);
  return outs;
}

/* A call statement: resolve the callee, then by its kind. */
Outs *
flowchk_call (Checker *c, AstStmt *stmt)
{
  AstCall *call = &stmt->u.call;
  Program *program = c->program;
  if (call->callee == NULL)
    return flow_outs_any (c);
  AstDecl *decl = program_lookup (program, call->callee);
  if (decl == NULL)
    {
      guint mask = (1u << DECL_STAGE) | (1u << DECL_FLOW) | (1u << DECL_TABLE);
      g_autofree char *h = diag_hint (program_suggest_decl (program, call->callee, mask));
      diag_report (program->diags, DIAG_UNKNOWN_CALLEE, call->callee_loc, "unknown stage '%s'%s", call->callee,
                   h);
      return flow_outs_any (c);
    }
  switch (decl->kind)
    {
    case DECL_TYPE:
      {
        Diag *d = diag_report (program->diags, DIAG_NOT_CALLABLE, call->callee_loc,
                               "'%s' is a type, not a stage, flow or table", decl->name);
        diag_note (d, decl->loc, "'%s' declared here", decl->name);
        return flow_outs_any (c);
      }
    case DECL_GRAPH:
      {
        Diag *d = diag_report (program->diags, DIAG_GRAPH_IN_FLOW, call->callee_loc,
                               "graph '%s' cannot be called from a flow; run it from 'main' or the C API",
                               decl->name);
        diag_note (d, decl->loc, "'%s' declared here", decl->name);
        return flow_outs_any (c);
      }
    case DECL_TABLE:
      return flowchk_pick (c, stmt, (AstTable *) decl);
    case DECL_STAGE:
    case DECL_FLOW:
      break;
    }
  if (call->pick != PICK_NONE)
    {
      Diag *d = diag_report (program->diags, DIAG_NOT_A_TABLE, call->callee_loc, "'%s' is a %s, not a table",
                             decl->name, ast_decl_kind_name (decl->kind));
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
