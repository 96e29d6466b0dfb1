/* lower.c — a checked flow to slots, threads and frees (see lower.h).
 *
 * Lowering applies no view rule: the checker applied them once and
 * recorded what it found (flow-facts.h).  This walks that record in the
 * order it was made, gives each value its slot the first time it meets
 * it (so slots are numbered in source order), numbers the call sites,
 * picks and `par` threads, and places the frees.
 */
#include <string.h>
#include "lower.h"

typedef struct {
  Program *program;
  IrFlow *ir;
  GPtrArray *slots;
  GPtrArray *calls;
  GPtrArray *picks;
  GPtrArray *thread_body; /* IrStmt * */
  GArray *thread_parent;  /* guint */
  GArray *thread_join;    /* guint */
  guint n_pars;
} Lower;

static IrStmt *lower_stmt (Lower *l, FactStmt *fact, guint thread);

/* ------------------------------------------------------------------ slots */

/* The slot of a recorded value, made the first time it is met.  A value
 * is met after its home sequence (an enclosing one) was lowered. */
static Slot *
slot_of (Lower *l, FactValue *v)
{
  if (v->lowered != NULL)
    return v->lowered;
  Slot *slot = arena_new0 (l->program->arena, Slot);
  slot->id = l->slots->len;
  slot->name = v->name;
  slot->type = v->type;
  slot->free_fn = types_free_fn (v->type);
  slot->is_input = v->is_input;
  slot->is_output = v->is_output;
  slot->moved = v->moved;
  slot->last_read = v->last_read;
  if (v->home != NULL)
    {
      g_assert (v->home->lowered != NULL);
      slot->home = v->home->lowered;
      slot->home_index = v->home_index;
    }
  g_ptr_array_add (l->slots, slot);
  v->lowered = slot;
  return slot;
}

static IrStmt *
ir_new (Lower *l, IrKind kind, const FactStmt *fact, Loc loc)
{
  IrStmt *ir = arena_new0 (l->program->arena, IrStmt);
  ir->kind = kind;
  ir->loc = loc;
  ir->first_pos = fact->first_pos;
  ir->last_pos = fact->last_pos;
  return ir;
}

static FactStmt *
child (const FactStmt *fact, guint i)
{
  g_assert (i < fact->children.n);
  return fact->children.items[i];
}

/* ------------------------------------------------------------------ calls */

AstCallOpts
lower_call_opts (const AstStage *stage, const AstCall *call)
{
  AstCallOpts opts = stage ? stage->opts : (AstCallOpts) { 0 };
  if (call == NULL)
    return opts;
  if (call->opts.has_timeout)
    {
      opts.has_timeout = TRUE;
      opts.timeout_us = call->opts.timeout_us;
    }
  if (call->opts.has_limit)
    {
      opts.has_limit = TRUE;
      opts.limit = call->opts.limit;
    }
  if (call->opts.retry.set)
    opts.retry = call->opts.retry;
  return opts;
}

gboolean
ir_call_retries (const IrCall *call)
{
  return call->opts.retry.set && call->opts.retry.count > 0;
}

static IrStmt *
lower_call (Lower *l, FactStmt *fact, guint thread)
{
  AstCall *call = &fact->ast->u.call;
  IrStmt *ir = ir_new (l, IR_CALL, fact, fact->ast->loc);
  IrCall *c = &ir->u.call;
  const AstParams *in;
  const AstStage *stage = NULL;

  c->callee = call->target;
  c->ast = call;
  c->thread = thread;
  if (call->target->kind == DECL_FLOW)
    {
      in = &((AstFlow *) call->target)->in;
      c->kind = CALL_FLOW;
    }
  else
    {
      stage = (const AstStage *) call->target;
      in = &stage->in;
      c->kind = stage->kind == STAGE_ASYNC ? CALL_ASYNC
                : stage->kind == STAGE_BLOCKING ? CALL_BLOCKING : CALL_SYNC;
    }
  c->opts = lower_call_opts (stage, call);
  c->has_call = c->kind != CALL_SYNC || c->opts.has_limit || ir_call_retries (c);
  c->site = l->calls->len;
  g_ptr_array_add (l->calls, c);

  g_assert (fact->n_reads == in->n);
  c->n_args = in->n;
  c->args = arena_newv (l->program->arena, IrArg, in->n);
  for (guint i = 0; i < in->n; i++)
    {
      c->args[i].param = in->items[i];
      if (fact->reads[i] != NULL)
        c->args[i].slot = slot_of (l, fact->reads[i]);
      else
        c->args[i].lit = &ast_binding_named (call->bindings, call->n_bindings, in->items[i]->name)->lit;
    }
  c->n_outs = fact->n_made;
  c->outs = arena_newv (l->program->arena, Slot *, MAX (fact->n_made, 1u));
  for (guint i = 0; i < fact->n_made; i++)
    c->outs[i] = slot_of (l, fact->made[i]);
  return ir;
}

/* ------------------------------------------------------------------ paths */

/* Each path moves its value of every merged name into the merge's slot:
 * `moves[k]` are path k's. */
static void
lower_merges (Lower *l, const FactStmt *fact, IrMoves *moves, guint n_paths)
{
  for (guint k = 0; k < n_paths; k++)
    {
      moves[k].items = arena_newv (l->program->arena, IrMove, fact->merges.n + 1);
      moves[k].n = 0;
    }
  for (guint i = 0; i < fact->merges.n; i++)
    {
      const FactMerge *m = fact->merges.items[i];
      Slot *merged = slot_of (l, m->merged);
      for (guint k = 0; k < n_paths; k++)
        moves[k].items[moves[k].n++] = (IrMove) { merged, slot_of (l, m->sources[k]) };
    }
}

static IrStmt *
lower_if (Lower *l, FactStmt *fact, guint thread)
{
  AstIf *if_ = &fact->ast->u.if_;
  IrStmt *ir = ir_new (l, IR_IF, fact, fact->ast->loc);
  ir->u.if_.cond = slot_of (l, fact->reads[0]);
  ir->u.if_.negate = if_->negate;
  ir->u.if_.then_stmt = lower_stmt (l, child (fact, 0), thread);
  if (if_->else_stmt != NULL)
    {
      ir->u.if_.else_stmt = lower_stmt (l, child (fact, 1), thread);
      IrMoves moves[2];
      lower_merges (l, fact, moves, 2);
      ir->u.if_.then_moves = moves[0];
      ir->u.if_.else_moves = moves[1];
    }
  return ir;
}

static IrStmt *
lower_dynamic_pick (Lower *l, FactStmt *fact, guint thread)
{
  AstTable *table = (AstTable *) fact->ast->u.call.target;
  IrStmt *ir = ir_new (l, IR_PICK, fact, fact->ast->loc);
  IrPick *pick = &ir->u.pick;
  Arena *arena = l->program->arena;

  pick->table = table;
  pick->key = slot_of (l, fact->reads[0]);
  pick->n = table->n_arms;
  pick->arms = arena_newv (arena, IrStmt *, table->n_arms);
  pick->ast_arms = table->arms;
  pick->moves = arena_newv (arena, IrMoves, table->n_arms);
  pick->default_arm = -1;
  pick->id = l->picks->len;
  g_ptr_array_add (l->picks, pick);
  for (guint i = 0; i < table->n_arms; i++)
    {
      if (table->arms[i]->kind == KEY_DEFAULT)
        pick->default_arm = i;
      else
        pick->string_keys = table->arms[i]->kind == KEY_STRING;
      pick->arms[i] = lower_stmt (l, child (fact, i), thread);
    }
  lower_merges (l, fact, pick->moves, table->n_arms);
  return ir;
}

/* ------------------------------------------------------------- sequences */

static IrStmt *
lower_seq (Lower *l, FactStmt *fact, guint thread)
{
  IrStmt *ir = ir_new (l, IR_SEQ, fact, fact->ast->loc);
  IrSeq *seq = &ir->u.seq;
  fact->lowered = seq;
  seq->n = fact->children.n;
  seq->items = arena_newv (l->program->arena, IrStmt *, MAX (seq->n, 1u));
  for (guint i = 0; i < seq->n; i++)
    seq->items[i] = lower_stmt (l, child (fact, i), thread);
  return ir;
}

static guint
thread_new (Lower *l, guint parent, guint join)
{
  guint id = l->thread_parent->len;
  g_ptr_array_add (l->thread_body, NULL);
  g_array_append_val (l->thread_parent, parent);
  g_array_append_val (l->thread_join, join);
  return id;
}

static IrStmt *
lower_par (Lower *l, FactStmt *fact, guint thread)
{
  IrStmt *ir = ir_new (l, IR_PAR, fact, fact->ast->loc);
  IrPar *par = &ir->u.par;

  par->id = l->n_pars++;
  par->n = fact->children.n;
  par->branches = arena_newv (l->program->arena, IrStmt *, par->n);
  par->threads = arena_newv (l->program->arena, guint, par->n);
  for (guint i = 0; i < par->n; i++)
    {
      par->threads[i] = thread_new (l, thread, par->id);
      par->branches[i] = lower_stmt (l, child (fact, i), par->threads[i]);
      l->thread_body->pdata[par->threads[i]] = par->branches[i];
    }
  return ir;
}

static IrStmt *
lower_stmt (Lower *l, FactStmt *fact, guint thread)
{
  switch (fact->kind)
    {
    case FACT_CALL: return lower_call (l, fact, thread);
    case FACT_SEQ: return lower_seq (l, fact, thread);
    case FACT_PAR: return lower_par (l, fact, thread);
    case FACT_IF: return lower_if (l, fact, thread);
    case FACT_PICK: return lower_dynamic_pick (l, fact, thread);
    case FACT_STATIC_PICK: return lower_stmt (l, child (fact, 0), thread);
    }
  g_assert_not_reached ();
}

/* ------------------------------------------------------------------ frees */

/* The statement of `seq` whose reads include position `pos`: the last one
 * that starts at or before it. */
static guint
stmt_at (const IrSeq *seq, guint from, guint pos)
{
  guint lo = from, hi = seq->n;
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;
      if (seq->items[mid]->first_pos <= pos)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

static void
place_frees (Lower *l)
{
  for (guint i = 0; i < l->slots->len; i++)
    {
      Slot *slot = l->slots->pdata[i];
      if (slot->free_fn == NULL || slot->is_input || slot->is_output || slot->moved)
        continue;
      g_assert (slot->home != NULL);
      guint at = slot->home_index;
      if (slot->last_read >= slot->home->items[at]->first_pos)
        at = stmt_at (slot->home, at, slot->last_read);
      IrStmt *after = slot->home->items[at];
      arena_vec_push (l->program->arena, &after->frees_after, slot);
    }
}

/* --------------------------------------------------------------- flows */

static void
free_array (GPtrArray *array, gpointer **items, guint *n, Arena *arena)
{
  *n = array->len;
  *items = arena_newv (arena, gpointer, MAX (array->len, 1u));
  if (array->len > 0)
    memcpy (*items, array->pdata, array->len * sizeof (gpointer));
  g_ptr_array_unref (array);
}

IrFlow *
lower_flow (Program *program, AstFlow *flow)
{
  Arena *arena = program->arena;
  FlowFacts *facts = flow->facts;
  g_assert (facts != NULL);
  IrFlow *ir = arena_new0 (arena, IrFlow);
  Lower l = {
    .program = program,
    .ir = ir,
    .slots = g_ptr_array_new (),
    .calls = g_ptr_array_new (),
    .picks = g_ptr_array_new (),
    .thread_body = g_ptr_array_new (),
    .thread_parent = g_array_new (FALSE, FALSE, sizeof (guint)),
    .thread_join = g_array_new (FALSE, FALSE, sizeof (guint)),
  };
  ir->flow = flow;
  thread_new (&l, 0, 0);

  ir->inputs = arena_newv (arena, Slot *, MAX (flow->in.n, 1u));
  for (guint i = 0; i < flow->in.n; i++)
    ir->inputs[i] = slot_of (&l, facts->inputs[i]);
  ir->body = lower_seq (&l, facts->body, 0);
  l.thread_body->pdata[0] = ir->body;
  ir->outputs = arena_newv (arena, Slot *, MAX (flow->out.n, 1u));
  for (guint i = 0; i < flow->out.n; i++)
    ir->outputs[i] = slot_of (&l, facts->outputs[i]);
  place_frees (&l);

  ir->n_threads = l.thread_parent->len;
  ir->thread_parent = arena_newv (arena, guint, ir->n_threads);
  ir->thread_join = arena_newv (arena, guint, ir->n_threads);
  memcpy (ir->thread_parent, l.thread_parent->data, ir->n_threads * sizeof (guint));
  memcpy (ir->thread_join, l.thread_join->data, ir->n_threads * sizeof (guint));
  ir->n_pars = l.n_pars;
  guint n_bodies;
  free_array (l.thread_body, (gpointer **) &ir->thread_body, &n_bodies, arena);
  free_array (l.slots, (gpointer **) &ir->slots, &ir->n_slots, arena);
  free_array (l.calls, (gpointer **) &ir->calls, &ir->n_calls, arena);
  free_array (l.picks, (gpointer **) &ir->picks, &ir->n_picks, arena);
  g_array_unref (l.thread_parent);
  g_array_unref (l.thread_join);
  return ir;
}
