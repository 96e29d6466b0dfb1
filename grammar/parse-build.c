/* parse-build.c — the tree of ast.h, built for the grammar's actions.
 *
 * parser.y's actions call these (see parse-build.h); each makes its node
 * in the program's arena.  Option values out of range and options given
 * twice are reported here (bad-option, duplicate-option), with the
 * keyword's place; a bad value is replaced by a harmless one so that the
 * checks after parsing see a complete tree.
 */
#include <string.h>
#include "parse-build.h"

/* ------------------------------------------------------------ helpers */

static Arena *
arena_of (Parser *p)
{
  return p->program->arena;
}

ArenaVec *
build_vec (Parser *p)
{
  return arena_new0 (arena_of (p), ArenaVec);
}

ArenaVec *
build_vec_push (Parser *p, ArenaVec *vec, gpointer item)
{
  arena_vec_push (arena_of (p), vec, item);
  return vec;
}

/* A Loc covering a whole rule when it sits on one line, else its start. */
static Loc
span (ParseLoc where)
{
  Loc loc = where.loc;
  if (where.end_line == loc.line && where.end_col > loc.col)
    loc.len = where.end_col - loc.col;
  return loc;
}

/* From the start of `first` to the end of `last`. */
Loc
build_span_between (ParseLoc first, ParseLoc last)
{
  first.end_line = last.end_line;
  first.end_col = last.end_col;
  return span (first);
}

/* The Loc of something not written. */
const Loc build_no_loc = { 0 };

Sym
build_sym (Parser *p, const char *s)
{
  return program_sym (p->program, s);
}

/* ------------------------------------------------------- option checks */

/* An option given a second time: the first one stays. */
static gboolean
first_time (Parser *p, gboolean seen, Loc first, Loc again, const char *option)
{
  if (!seen)
    return TRUE;
  Diag *d = diag_report (p->program->diags, DIAG_DUPLICATE_OPTION, again,
                         "option '%s' is given twice", option);
  diag_note (d, first, "'%s' first given here", option);
  return FALSE;
}

/* Two options that exclude each other (`async blocking`, `every` and
 * `cron`): the first one stays. */
static gboolean
no_conflict (Parser *p, gboolean other_set, Loc other_loc, const char *other, Loc here,
             const char *option)
{
  if (!other_set)
    return TRUE;
  Diag *d = diag_report (p->program->diags, DIAG_DUPLICATE_OPTION, here,
                         "'%s' conflicts with '%s'", option, other);
  diag_note (d, other_loc, "'%s' given here", other);
  return FALSE;
}

/* A count (`tasks N`, `retry N`, ...): from `min` up to G_MAXINT, which is
 * what the generated C stores it in.  Out of range: reported, and `min`
 * stands in. */
static gint64
check_count (Parser *p, const char *option, const AstLiteral *lit, gint64 min)
{
  if (lit->negative && lit->magnitude > 0 && min >= 0)
    {
      diag_report (p->program->diags, DIAG_BAD_OPTION, lit->loc,
                   "'%s' must be at least %" G_GINT64_FORMAT ", not %s", option, min, lit->text);
      return min;
    }
  if (lit->magnitude > G_MAXINT)
    {
      diag_report (p->program->diags, DIAG_BAD_OPTION, lit->loc,
                   "'%s' must be at most %d, not %s", option, G_MAXINT, lit->text);
      return min;
    }
  if ((gint64) lit->magnitude < min)
    {
      diag_report (p->program->diags, DIAG_BAD_OPTION, lit->loc,
                   "'%s' must be at least %" G_GINT64_FORMAT ", not %s", option, min, lit->text);
      return min;
    }
  return (gint64) lit->magnitude;
}

/* Timeouts, periods and back-off delays: zero or less means nothing. */
static gint64
check_duration (Parser *p, const char *option, const AstLiteral *lit)
{
  if (lit->duration_us > 0)
    return lit->duration_us;
  diag_report (p->program->diags, DIAG_BAD_OPTION, lit->loc,
               "'%s' must be a positive duration, not %s", option, lit->text);
  return G_USEC_PER_SEC;
}

void
build_set_count (Parser *p, const char *option, gboolean *has, Loc *loc, gint64 *value, Loc kw,
           const AstLiteral *lit, gint64 min)
{
  if (!first_time (p, *has, *loc, kw, option))
    return;
  *has = TRUE;
  *loc = kw;
  *value = check_count (p, option, lit, min);
}

void
build_set_duration (Parser *p, const char *option, gboolean *has, Loc *loc, gint64 *value, Loc kw,
              const AstLiteral *lit)
{
  if (!first_time (p, *has, *loc, kw, option))
    return;
  *has = TRUE;
  *loc = kw;
  *value = check_duration (p, option, lit);
}

void
build_set_timeout (Parser *p, AstCallOpts *opts, Loc kw, const AstLiteral *lit)
{
  build_set_duration (p, "timeout", &opts->has_timeout, &opts->timeout_loc, &opts->timeout_us, kw, lit);
}

void
build_set_limit (Parser *p, AstCallOpts *opts, Loc kw, const AstLiteral *lit)
{
  build_set_count (p, "limit", &opts->has_limit, &opts->limit_loc, &opts->limit, kw, lit, 1);
}

void
build_set_retry (Parser *p, AstRetry *dst, const AstRetry *retry)
{
  if (first_time (p, dst->set, dst->loc, retry->loc, "retry"))
    *dst = *retry;
}

/* `backoff D [.. D]`: both positive, the first no longer than the second
 * (reported at the second). */
static void
check_backoff (Parser *p, const ParseBackoff *b, gint64 *min_us, gint64 *max_us)
{
  *min_us = check_duration (p, "backoff", b->min);
  *max_us = b->max == b->min ? *min_us : check_duration (p, "backoff", b->max);
  if (*min_us > *max_us)
    {
      diag_report (p->program->diags, DIAG_BAD_OPTION, b->max->loc,
                   "backoff maximum %s is less than its minimum %s", b->max->text, b->min->text);
      *max_us = *min_us;
    }
}

AstRetry *
build_retry (Parser *p, Loc kw, const AstLiteral *count, const ParseBackoff *backoff)
{
  AstRetry *r = arena_new0 (arena_of (p), AstRetry);
  r->set = TRUE;
  r->loc = kw;
  r->count = check_count (p, "retry", count, 0);
  if (backoff != NULL)
    {
      r->has_backoff = TRUE;
      check_backoff (p, backoff, &r->backoff_min_us, &r->backoff_max_us);
    }
  return r;
}

ParseBackoff *
build_backoff (Parser *p, AstLiteral *min, AstLiteral *max)
{
  ParseBackoff *b = arena_new0 (arena_of (p), ParseBackoff);
  b->min = min;
  b->max = max != NULL ? max : min;
  return b;
}

/* `on error ...` on a flow (fail | retry) or a node (halt | skip | retry). */
void
build_set_on_error (Parser *p, AstOnError *on, OnErrorKind kind, Loc kw, Loc kind_loc,
              const AstRetry *retry, gboolean on_node)
{
  if (!first_time (p, on->kind != ON_ERROR_DEFAULT, on->loc, kw, "on error"))
    return;
  if (on_node && kind == ON_ERROR_FAIL)
    {
      diag_report (p->program->diags, DIAG_BAD_OPTION, kind_loc,
                   "a node takes 'on error halt', 'skip' or 'retry', not 'fail'");
      kind = ON_ERROR_HALT;
    }
  else if (!on_node && (kind == ON_ERROR_HALT || kind == ON_ERROR_SKIP))
    {
      diag_report (p->program->diags, DIAG_BAD_OPTION, kind_loc,
                   "a flow takes 'on error fail' or 'retry', not '%s' (that is for graph nodes)",
                   kind == ON_ERROR_HALT ? "halt" : "skip");
      kind = ON_ERROR_FAIL;
    }
  on->kind = kind;
  on->loc = kw;
  if (retry != NULL)
    on->retry = *retry;
}

/* ---------------------------------------------------------------- types */

static gboolean
is_ctype_keyword (Sym word)
{
  static const char *const keywords[] = {
    "const", "volatile", "signed", "unsigned", "short", "long", "char", "int",
    "float", "double", "void", "_Bool", "struct", "union", "enum",
  };
  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (strcmp (word, keywords[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The spelling documented in ast.h: words joined by one space, then the
 * pointer levels: " *" after a word, "*" after another star, "const"
 * right after the star it qualifies ("char **", "char *const *"). */
static Sym
ctype_spelling (Parser *p, const ArenaVec *words, const ArenaVec *stars)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < words->n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, words->items[i]);
    }
  for (guint i = 0; i < stars->n; i++)
    {
      g_string_append (s, s->str[s->len - 1] == '*' ? "*" : " *");
      if (GPOINTER_TO_INT (stars->items[i]) == 2)
        g_string_append (s, "const");
    }
  Sym spelling = program_intern (p->program, s->str, s->len);
  g_string_free (s, TRUE);
  return spelling;
}

AstCType *
build_ctype (Parser *p, ArenaVec *words, ArenaVec *stars, ParseLoc where)
{
  AstCType *t = arena_new0 (arena_of (p), AstCType);
  t->loc = span (where);
  t->words = (Sym *) words->items;
  t->n_words = words->n;
  t->n_pointers = stars->n;
  t->spelling = ctype_spelling (p, words, stars);
  return t;
}

static void
typeref_init (AstTypeRef *ref, AstCType *ctype)
{
  ref->loc = ctype->loc;
  ref->ctype = ctype;
  if (ctype->n_words == 1 && ctype->n_pointers == 0 && !is_ctype_keyword (ctype->words[0]))
    ref->ident = ctype->words[0];
}

AstParam *
build_param (Parser *p, Sym name, Loc loc, AstCType *ctype)
{
  AstParam *param = arena_new0 (arena_of (p), AstParam);
  param->name = name;
  param->loc = loc;
  typeref_init (&param->type, ctype);
  return param;
}

AstParams *
build_params (Parser *p, ArenaVec *list, Loc open)
{
  AstParams *params = arena_new0 (arena_of (p), AstParams);
  params->loc = open;
  if (list != NULL)
    {
      params->items = (AstParam **) list->items;
      params->n = list->n;
    }
  return params;
}

AstTypeDecl *
build_typedecl (Parser *p, Sym name, Loc loc, AstCType *ctype, ArenaVec *options)
{
  AstTypeDecl *t = arena_new0 (arena_of (p), AstTypeDecl);
  t->decl.kind = DECL_TYPE;
  t->decl.name = name;
  t->decl.loc = loc;
  t->ctype = ctype;
  if (options != NULL)
    {
      t->options = (AstTypeOption **) options->items;
      t->n_options = options->n;
    }
  return t;
}

AstTypeOption *
build_type_option (Parser *p, Sym key, Loc key_loc, Sym value, Loc value_loc)
{
  AstTypeOption *o = arena_new0 (arena_of (p), AstTypeOption);
  o->key = key;
  o->key_loc = key_loc;
  o->value = value;
  o->value_loc = value_loc;
  return o;
}

/* --------------------------------------------------------------- stages */

AstStage *
build_stage (Parser *p, Sym name, Loc loc, AstParams *in, AstParams *out)
{
  AstStage *s = arena_new0 (arena_of (p), AstStage);
  s->decl.kind = DECL_STAGE;
  s->decl.name = name;
  s->decl.loc = loc;
  s->in = *in;
  if (out != NULL)
    s->out = *out;
  return s;
}

void
build_stage_set_kind (Parser *p, AstStage *s, StageKind kind, Loc kw)
{
  const char *name = kind == STAGE_ASYNC ? "async" : "blocking";
  if (s->kind == kind)
    {
      first_time (p, TRUE, s->kind_loc, kw, name);
      return;
    }
  const char *other = s->kind == STAGE_ASYNC ? "async" : "blocking";
  if (!no_conflict (p, s->kind != STAGE_SYNC, s->kind_loc, other, kw, name))
    return;
  s->kind = kind;
  s->kind_loc = kw;
}

void
build_stage_set_state (Parser *p, AstStage *s, Loc kw, AstParam *state)
{
  if (!first_time (p, s->state != NULL, s->state_loc, kw, "state"))
    return;
  s->state = state;
  s->state_loc = kw;
}

/* ----------------------------------------------------------- statements */

static AstStmt *
stmt_new (Parser *p, StmtKind kind, Loc loc)
{
  AstStmt *s = arena_new0 (arena_of (p), AstStmt);
  s->kind = kind;
  s->loc = loc;
  return s;
}

AstStmt *
build_block (Parser *p, StmtKind kind, Loc loc, ArenaVec *items)
{
  AstStmt *s = stmt_new (p, kind, loc);
  s->u.block.items = (AstStmt **) items->items;
  s->u.block.n = items->n;
  return s;
}

AstStmt *
build_if (Parser *p, Loc kw, AstIf *cond, AstStmt *then_stmt, Loc else_loc, AstStmt *else_stmt)
{
  AstStmt *s = stmt_new (p, STMT_IF, kw);
  s->u.if_ = *cond;
  s->u.if_.then_stmt = then_stmt;
  s->u.if_.else_stmt = else_stmt;
  s->u.if_.else_loc = else_loc;
  return s;
}

AstIf *
build_cond (Parser *p, gboolean negate, Sym name, Loc loc)
{
  AstIf *c = arena_new0 (arena_of (p), AstIf);
  c->negate = negate;
  c->cond = name;
  c->cond_loc = loc;
  return c;
}

static AstBinding *
binding_new (Parser *p, Sym param, Loc loc)
{
  AstBinding *b = arena_new0 (arena_of (p), AstBinding);
  b->param = param;
  b->loc = loc;
  return b;
}

AstBinding *
build_binding_key (Parser *p, Sym param, Loc loc, Sym key, Loc key_loc)
{
  AstBinding *b = binding_new (p, param, loc);
  b->key = key;
  b->key_loc = key_loc;
  return b;
}

AstBinding *
build_binding_literal (Parser *p, Sym param, Loc loc, const AstLiteral *lit)
{
  AstBinding *b = binding_new (p, param, loc);
  b->is_literal = TRUE;
  b->lit = *lit;
  return b;
}

AstLiteral *
build_literal_bool (Parser *p, gboolean value, Loc loc)
{
  AstLiteral *lit = arena_new0 (arena_of (p), AstLiteral);
  lit->kind = LIT_BOOL;
  lit->loc = loc;
  lit->b = value;
  lit->text = value ? "true" : "false";
  return lit;
}

AstRename *
build_rename (Parser *p, Sym key, Loc loc, Sym output, Loc output_loc)
{
  AstRename *r = arena_new0 (arena_of (p), AstRename);
  r->key = key;
  r->loc = loc;
  r->output = output;
  r->output_loc = output_loc;
  return r;
}

ParsePick *
build_pick (Parser *p, PickKind kind, Loc loc)
{
  ParsePick *pick = arena_new0 (arena_of (p), ParsePick);
  pick->kind = kind;
  pick->loc = loc;
  return pick;
}

AstStmt *
build_call (Parser *p, Sym callee, Loc loc, const ParsePick *pick, ArenaVec *args, ArenaVec *renames)
{
  AstStmt *s = stmt_new (p, STMT_CALL, loc);
  AstCall *c = &s->u.call;
  c->callee = callee;
  c->callee_loc = loc;
  if (pick != NULL)
    {
      c->pick = pick->kind;
      c->pick_loc = pick->loc;
      if (pick->lit != NULL)
        c->pick_lit = pick->lit;
      c->pick_key = pick->key;
    }
  if (args != NULL)
    {
      c->has_parens = TRUE;
      c->bindings = (AstBinding **) args->items;
      c->n_bindings = args->n;
    }
  if (renames != NULL)
    {
      c->renames = (AstRename **) renames->items;
      c->n_renames = renames->n;
    }
  return s;
}

/* ---------------------------------------------------------------- tables */

AstTableArm *
build_arm (Parser *p, KeyKind kind, Loc loc, const AstLiteral *lit)
{
  AstTableArm *arm = arena_new0 (arena_of (p), AstTableArm);
  arm->kind = kind;
  arm->loc = loc;
  if (lit != NULL)
    arm->lit = *lit;
  return arm;
}

AstTable *
build_table (Parser *p, Sym name, Loc loc, Loc open, ArenaVec *arms)
{
  AstTable *t = arena_new0 (arena_of (p), AstTable);
  t->decl.kind = DECL_TABLE;
  t->decl.name = name;
  t->decl.loc = loc;
  t->open_loc = open;
  t->arms = (AstTableArm **) arms->items;
  t->n_arms = arms->n;
  return t;
}

/* ----------------------------------------------------------------- flows */

AstFlow *
build_flow (Parser *p, Sym name, Loc loc, AstParams *in, AstParams *out)
{
  AstFlow *f = arena_new0 (arena_of (p), AstFlow);
  f->decl.kind = DECL_FLOW;
  f->decl.name = name;
  f->decl.loc = loc;
  f->in = *in;
  if (out != NULL)
    {
      f->out = *out;
      f->has_arrow = TRUE;
    }
  return f;
}

void
build_flow_set_visibility (Parser *p, AstFlow *f, Visibility visibility, Loc kw)
{
  if (!first_time (p, f->has_visibility, f->visibility_loc, kw, "visibility"))
    return;
  f->has_visibility = TRUE;
  f->visibility = visibility;
  f->visibility_loc = kw;
}

void
build_flow_set_repeat (Parser *p, AstFlow *f, Loc kw)
{
  if (!first_time (p, f->repeat, f->repeat_loc, kw, "repeat"))
    return;
  f->repeat = TRUE;
  f->repeat_loc = kw;
}

/* `every NAME`: the flow's input NAME (a GTimeSpan) paces its rounds;
 * the checks make sure it is one. */
void
build_flow_set_every_input (Parser *p, AstFlow *f, Loc kw, Sym input, Loc input_loc)
{
  if (!first_time (p, f->has_every, f->every_loc, kw, "every"))
    return;
  f->has_every = TRUE;
  f->every_loc = kw;
  f->every_input = input;
  f->every_input_loc = input_loc;
}

/* ---------------------------------------------------------------- graphs */

/* A name with its place: edge groups keep both. */
typedef struct {
  Sym name;
  Loc loc;
} ParseName;

AstNode *
build_node (Parser *p, Sym name, Loc loc, Sym stage, Loc stage_loc, ArenaVec *args)
{
  AstNode *n = arena_new0 (arena_of (p), AstNode);
  n->name = name;
  n->loc = loc;
  n->stage = stage;
  n->stage_loc = stage_loc;
  if (args != NULL)
    {
      n->bindings = (AstBinding **) args->items;
      n->n_bindings = args->n;
    }
  return n;
}

void
build_node_set_every (Parser *p, AstNode *n, Loc kw, const AstLiteral *lit)
{
  if (no_conflict (p, n->has_cron, n->cron_loc, "cron", kw, "every"))
    build_set_duration (p, "every", &n->has_every, &n->every_loc, &n->every_us, kw, lit);
}

void
build_node_set_cron (Parser *p, AstNode *n, Loc kw, const AstLiteral *lit)
{
  if (!no_conflict (p, n->has_every, n->every_loc, "every", kw, "cron")
      || !first_time (p, n->has_cron, n->cron_loc, kw, "cron"))
    return;
  n->has_cron = TRUE;
  n->cron_loc = kw;
  n->cron = lit->str;
}

void
build_node_set_remote (Parser *p, AstNode *n, Loc kw)
{
  if (!first_time (p, n->remote, n->remote_loc, kw, "remote"))
    return;
  n->remote = TRUE;
  n->remote_loc = kw;
}

void
build_node_set_batch (Parser *p, AstNode *n, Loc kw, const AstLiteral *size, const AstLiteral *within)
{
  if (!first_time (p, n->has_batch, n->batch_loc, kw, "batch"))
    return;
  build_set_count (p, "batch", &n->has_batch, &n->batch_loc, &n->batch, kw, size, 1);
  if (within != NULL)
    {
      n->has_within = TRUE;
      n->within_us = check_duration (p, "within", within);
    }
}

AstEdgeGroup *
build_group (Parser *p, gboolean zip, Loc loc, const ArenaVec *names)
{
  AstEdgeGroup *g = arena_new0 (arena_of (p), AstEdgeGroup);
  g->zip = zip;
  g->loc = loc;
  g->n = names->n;
  g->names = arena_newv (arena_of (p), Sym, names->n);
  g->name_locs = arena_newv (arena_of (p), Loc, names->n);
  for (guint i = 0; i < names->n; i++)
    {
      const ParseName *name = names->items[i];
      g->names[i] = name->name;
      g->name_locs[i] = name->loc;
    }
  return g;
}

ArenaVec *
build_names_push (Parser *p, ArenaVec *names, Sym name, Loc loc)
{
  ParseName *n = arena_new0 (arena_of (p), ParseName);
  n->name = name;
  n->loc = loc;
  return build_vec_push (p, names, n);
}

AstEdge *
build_edge (Parser *p, ArenaVec *groups, ArenaVec *mappings)
{
  AstEdge *e = arena_new0 (arena_of (p), AstEdge);
  e->groups = (AstEdgeGroup **) groups->items;
  e->n_groups = groups->n;
  e->loc = e->groups[0]->loc;
  if (mappings != NULL)
    {
      e->mappings = (AstBinding **) mappings->items;
      e->n_mappings = mappings->n;
    }
  return e;
}

AstEdge *
build_dead_letters (Parser *p, Sym from, Loc from_loc, Loc bang, Sym to, Loc to_loc,
                    ArenaVec *mappings)
{
  ArenaVec *groups = build_vec (p);
  build_vec_push (p, groups, build_group (p, FALSE, from_loc,
                                          build_names_push (p, build_vec (p), from, from_loc)));
  build_vec_push (p, groups, build_group (p, FALSE, to_loc,
                                          build_names_push (p, build_vec (p), to, to_loc)));
  AstEdge *e = build_edge (p, groups, mappings);
  e->dead_letters = TRUE;
  e->bang_loc = bang;
  return e;
}

AstGraph *
build_graph (Parser *p, Sym name, Loc loc, AstParams *in)
{
  AstGraph *g = arena_new0 (arena_of (p), AstGraph);
  g->decl.kind = DECL_GRAPH;
  g->decl.name = name;
  g->decl.loc = loc;
  g->in = *in;
  return g;
}

ParseGraphBody *
build_graph_body (Parser *p)
{
  return arena_new0 (arena_of (p), ParseGraphBody);
}

AstGraph *
build_graph_finish (AstGraph *g, Loc open, ParseGraphBody *body)
{
  g->open_loc = open;
  g->nodes = (AstNode **) body->nodes.items;
  g->n_nodes = body->nodes.n;
  g->edges = (AstEdge **) body->edges.items;
  g->n_edges = body->edges.n;
  return g;
}

/* ------------------------------------------------------------------ main */

AstRun *
build_run_restart (Parser *p, Loc kw, const ParseBackoff *backoff, const AstLiteral *max)
{
  AstRun *run = arena_new0 (arena_of (p), AstRun);
  run->restart = TRUE;
  run->restart_loc = kw;
  if (backoff != NULL)
    {
      run->has_backoff = TRUE;
      check_backoff (p, backoff, &run->backoff_min_us, &run->backoff_max_us);
    }
  if (max != NULL)
    {
      run->has_max = TRUE;
      run->max = check_count (p, "max", max, 1);
    }
  return run;
}

AstRun *
build_run_threshold (Parser *p, AstRun *run, Loc kw, const AstLiteral *max)
{
  if (run == NULL)
    run = arena_new0 (arena_of (p), AstRun);
  run->has_threshold = TRUE;
  run->threshold_loc = kw;
  run->threshold = check_count (p, "max", max, 1);
  return run;
}

AstRun *
build_run_finish (Parser *p, AstRun *run, Loc kw, Sym target, Loc loc, ArenaVec *args)
{
  if (run == NULL)
    run = arena_new0 (arena_of (p), AstRun);
  run->run_loc = kw;
  run->target = target;
  run->loc = loc;
  if (args != NULL)
    {
      run->bindings = (AstBinding **) args->items;
      run->n_bindings = args->n;
    }
  return run;
}

AstMain *
build_main (Parser *p, Loc kw, AstParam *user_data, ArenaVec *runs)
{
  AstMain *m = arena_new0 (arena_of (p), AstMain);
  m->loc = kw;
  m->user_data = user_data;
  m->runs = (AstRun **) runs->items;
  m->n_runs = runs->n;
  return m;
}

/* ------------------------------------------------------------------ file */

void
build_add_item (Parser *p, ItemKind kind, gpointer what)
{
  AstItem *item = arena_new0 (arena_of (p), AstItem);
  item->kind = kind;
  switch (kind)
    {
    case ITEM_CBLOCK:
      item->u.cblock = what;
      break;
    case ITEM_DECL:
      item->u.decl = what;
      break;
    case ITEM_MAIN:
      item->u.main = what;
      break;
    }
  build_vec_push (p, &p->items, item);
}

void
build_add_decl (Parser *p, AstDecl *decl, ArenaVec *by_kind)
{
  build_add_item (p, ITEM_DECL, decl);
  build_vec_push (p, by_kind, decl);
}

void
build_import (Parser *p, const AstLiteral *name)
{
  AstImport *import = arena_new0 (arena_of (p), AstImport);
  import->loc = name->loc;
  import->name = name->str;
  import->name_len = name->str_len;
  build_vec_push (p, &p->imports, import);
}

AstFile *
build_file (Parser *p)
{
  AstFile *file = arena_new0 (arena_of (p), AstFile);
  file->path = program_file (p->program, p->file)->path;
  file->n_items = p->items.n;
  file->items = arena_newv (arena_of (p), AstItem, p->items.n);
  for (guint i = 0; i < p->items.n; i++)
    file->items[i] = *(AstItem *) p->items.items[i];
#define TAKE(field, Type)                                \
  file->field = (Type **) p->field.items;                \
  file->n_##field = p->field.n
  TAKE (types, AstTypeDecl);
  TAKE (stages, AstStage);
  TAKE (tables, AstTable);
  TAKE (flows, AstFlow);
  TAKE (graphs, AstGraph);
  TAKE (mains, AstMain);
  TAKE (cblocks, AstCBlock);
  TAKE (imports, AstImport);
#undef TAKE
  return file;
}

