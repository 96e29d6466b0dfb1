/* lower.c — a checked flow to slots, threads and frees (see lower.h).
 *
 * The view rules are the checker's (check-flow.h); here they run on a
 * program known to be valid, so every lookup succeeds and nothing is
 * reported.  A view is a hash table from value name to slot; what a
 * statement leaves is an ordered list of (name, slot) pairs, so that
 * everything generated from it comes out in source order.
 */
#include <string.h>
#include "lower.h"

typedef struct {
  Sym name;
  Slot *slot;
} Named;

typedef GArray Outs;      /* Named, in the order the values were made */

typedef struct {
  Program *program;
  IrFlow *ir;
  Visibility vis;
  GHashTable *inputs;     /* Sym -> Slot * */
  GPtrArray *slots;
  GPtrArray *calls;
  GPtrArray *picks;
  GPtrArray *thread_body; /* IrStmt * */
  GArray *thread_parent;  /* guint */
  GArray *thread_join;    /* guint */
  guint n_pars;
  guint pos;              /* read positions, from 1 */
} Lower;

static IrStmt *lower_stmt (Lower *l, AstStmt *stmt, GHashTable *view, guint thread, Outs *outs);

/* ------------------------------------------------------------------ slots */

static Slot *
slot_new (Lower *l, Sym name, const AstTypeRef *type)
{
  Slot *slot = arena_new0 (l->program->arena, Slot);
  slot->id = l->slots->len;
  slot->name = name;
  slot->type = type;
  slot->free_fn = types_free_fn (type);
  g_ptr_array_add (l->slots, slot);
  return slot;
}

static void
slot_read (Lower *l, Slot *slot)
{
  slot->last_read = ++l->pos;
}

static Outs *
outs_new (void)
{
  return g_array_new (FALSE, FALSE, sizeof (Named));
}

static void
outs_add (Outs *outs, Sym name, Slot *slot)
{
  for (guint i = 0; i < outs->len; i++)
    if (g_array_index (outs, Named, i).name == name)
      {
        g_array_index (outs, Named, i).slot = slot;
        return;
      }
  Named named = { name, slot };
  g_array_append_val (outs, named);
}

/* outs_add for a name known to be new: a checked program never produces
 * one name twice on one path under `visibility all`, nor in two branches
 * of one `par`, so those append without the search (which made a
 * 20,000-statement flow quadratic). */
static void
outs_append (Outs *outs, Sym name, Slot *slot)
{
  Named named = { name, slot };
  g_array_append_val (outs, named);
}

static Slot *
outs_find (const Outs *outs, Sym name)
{
  for (guint i = 0; i < outs->len; i++)
    if (g_array_index (outs, Named, i).name == name)
      return g_array_index (outs, Named, i).slot;
  return NULL;
}

static IrStmt *
ir_new (Lower *l, IrKind kind, Loc loc)
{
  IrStmt *ir = arena_new0 (l->program->arena, IrStmt);
  ir->kind = kind;
  ir->loc = loc;
  ir->first_pos = l->pos + 1;
  return ir;
}

/* The slot a name has in the view; the program is valid, so it is there. */
static Slot *
view_get (GHashTable *view, Sym name)
{
  Slot *slot = g_hash_table_lookup (view, name);
  g_assert (slot != NULL);
  return slot;
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

/* The name an output is published under: its rename, NULL if dropped. */
static Sym
published_name (const AstRename *const *renames, guint n, Sym output)
{
  for (guint i = 0; i < n; i++)
    if (renames[i]->output == output)
      return renames[i]->key;
  return output;
}

static void
lower_args (Lower *l, IrCall *c, const AstCall *call, const AstParams *in, GHashTable *view)
{
  c->n_args = in->n;
  c->args = arena_newv (l->program->arena, IrArg, in->n);
  for (guint i = 0; i < in->n; i++)
    {
      const AstParam *param = in->items[i];
      const AstBinding *b = ast_binding_named (call->bindings, call->n_bindings, param->name);
      c->args[i].param = param;
      if (b != NULL && b->is_literal)
        c->args[i].lit = &b->lit;
      else
        {
          c->args[i].slot = view_get (view, b ? b->key : param->name);
          slot_read (l, c->args[i].slot);
        }
    }
}

static IrStmt *
lower_call (Lower *l, AstStmt *stmt, GHashTable *view, guint thread, Outs *outs)
{
  AstCall *call = &stmt->u.call;
  IrStmt *ir = ir_new (l, IR_CALL, stmt->loc);
  IrCall *c = &ir->u.call;
  const AstParams *in, *out;
  const AstStage *stage = NULL;

  c->callee = call->target;
  c->ast = call;
  c->thread = thread;
  if (call->target->kind == DECL_FLOW)
    {
      AstFlow *flow = (AstFlow *) call->target;
      in = &flow->in;
      out = &flow->out;
      c->kind = CALL_FLOW;
    }
  else
    {
      stage = (const AstStage *) call->target;
      in = &stage->in;
      out = &stage->out;
      c->kind = stage->kind == STAGE_ASYNC ? CALL_ASYNC
                : stage->kind == STAGE_BLOCKING ? CALL_BLOCKING : CALL_SYNC;
    }
  c->opts = lower_call_opts (stage, call);
  c->has_call = c->kind != CALL_SYNC || c->opts.has_limit || ir_call_retries (c);
  c->site = l->calls->len;
  g_ptr_array_add (l->calls, c);

  lower_args (l, c, call, in, view);
  c->n_outs = out->n;
  c->outs = arena_newv (l->program->arena, Slot *, out->n);
  for (guint i = 0; i < out->n; i++)
    {
      const AstParam *param = out->items[i];
      Sym key = published_name ((const AstRename *const *) call->renames, call->n_renames, param->name);
      c->outs[i] = slot_new (l, key ? key : param->name, &param->type);
      if (key != NULL)
        outs_add (outs, key, c->outs[i]);
    }
  ir->last_pos = l->pos;
  return ir;
}

/* ------------------------------------------------------------------ paths */

/* The names every path leaves, each merged into one new slot that every
 * path moves its own value into. */
static void
merge_paths (Lower *l, Outs **paths, IrMoves *moves, guint n, Outs *outs)
{
  for (guint k = 0; k < n; k++)
    {
      moves[k].items = arena_newv (l->program->arena, IrMove, paths[0]->len + 1);
      moves[k].n = 0;
    }
  for (guint i = 0; i < paths[0]->len; i++)
    {
      Named first = g_array_index (paths[0], Named, i);
      gboolean everywhere = TRUE;
      for (guint k = 1; k < n && everywhere; k++)
        everywhere = outs_find (paths[k], first.name) != NULL;
      if (!everywhere)
        continue;
      Slot *merged = slot_new (l, first.name, first.slot->type);
      for (guint k = 0; k < n; k++)
        {
          Slot *src = outs_find (paths[k], first.name);
          g_assert (src != NULL);
          src->moved = TRUE;
          moves[k].items[moves[k].n++] = (IrMove) { merged, src };
        }
      outs_add (outs, first.name, merged);
    }
}

static IrStmt *
lower_if (Lower *l, AstStmt *stmt, GHashTable *view, guint thread, Outs *outs)
{
  AstIf *if_ = &stmt->u.if_;
  IrStmt *ir = ir_new (l, IR_IF, stmt->loc);
  ir->u.if_.cond = view_get (view, if_->cond);
  ir->u.if_.negate = if_->negate;
  slot_read (l, ir->u.if_.cond);

  g_autoptr (GArray) then_outs = outs_new ();
  ir->u.if_.then_stmt = lower_stmt (l, if_->then_stmt, view, thread, then_outs);
  if (if_->else_stmt != NULL)
    {
      g_autoptr (GArray) else_outs = outs_new ();
      ir->u.if_.else_stmt = lower_stmt (l, if_->else_stmt, view, thread, else_outs);
      Outs *paths[] = { then_outs, else_outs };
      IrMoves moves[2];
      merge_paths (l, paths, moves, 2, outs);
      ir->u.if_.then_moves = moves[0];
      ir->u.if_.else_moves = moves[1];
    }
  ir->last_pos = l->pos;
  return ir;
}

/* A pick's renames apply to its arm's outputs. */
static void
rename_arm_outs (const AstCall *call, const Outs *arm, Outs *outs)
{
  for (guint i = 0; i < arm->len; i++)
    {
      Named named = g_array_index (arm, Named, i);
      Sym key = published_name ((const AstRename *const *) call->renames, call->n_renames, named.name);
      if (key != NULL)
        outs_add (outs, key, named.slot);
    }
}

static IrStmt *
lower_static_pick (Lower *l, AstStmt *stmt, GHashTable *view, guint thread, Outs *outs)
{
  g_autoptr (GArray) arm_outs = outs_new ();
  IrStmt *ir = lower_stmt (l, stmt->u.call.arm->stmt, view, thread, arm_outs);
  rename_arm_outs (&stmt->u.call, arm_outs, outs);
  return ir;
}

static IrStmt *
lower_dynamic_pick (Lower *l, AstStmt *stmt, GHashTable *view, guint thread, Outs *outs)
{
  AstCall *call = &stmt->u.call;
  AstTable *table = (AstTable *) call->target;
  IrStmt *ir = ir_new (l, IR_PICK, stmt->loc);
  IrPick *pick = &ir->u.pick;
  Arena *arena = l->program->arena;

  pick->table = table;
  pick->key = view_get (view, call->pick_key);
  slot_read (l, pick->key);
  pick->n = table->n_arms;
  pick->arms = arena_newv (arena, IrStmt *, table->n_arms);
  pick->ast_arms = table->arms;
  pick->moves = arena_newv (arena, IrMoves, table->n_arms);
  pick->default_arm = -1;
  pick->id = l->picks->len;
  g_ptr_array_add (l->picks, pick);

  Outs **paths = g_new0 (Outs *, table->n_arms);
  for (guint i = 0; i < table->n_arms; i++)
    {
      AstTableArm *arm = table->arms[i];
      if (arm->kind == KEY_DEFAULT)
        pick->default_arm = i;
      else
        pick->string_keys = arm->kind == KEY_STRING;
      g_autoptr (GArray) arm_outs = outs_new ();
      pick->arms[i] = lower_stmt (l, arm->stmt, view, thread, arm_outs);
      paths[i] = outs_new ();
      rename_arm_outs (call, arm_outs, paths[i]);
    }
  merge_paths (l, paths, pick->moves, table->n_arms, outs);
  for (guint i = 0; i < table->n_arms; i++)
    g_array_unref (paths[i]);
  g_free (paths);
  ir->last_pos = l->pos;
  return ir;
}

/* ------------------------------------------------------------- sequences */

/* After statement `i` of `seq`: slots made inside it and not homed deeper
 * are homed here, and so is everything it leaves (a value that leaves a
 * block or a branch is homed in the sequence that can still see it). */
static void
home_slots (Lower *l, IrSeq *seq, guint i, guint first_slot, const Outs *outs)
{
  for (guint s = first_slot; s < l->slots->len; s++)
    {
      Slot *slot = l->slots->pdata[s];
      if (slot->home == NULL)
        {
          slot->home = seq;
          slot->home_index = i;
        }
    }
  for (guint k = 0; k < outs->len; k++)
    {
      Slot *slot = g_array_index (outs, Named, k).slot;
      if (!slot->is_input)
        {
          slot->home = seq;
          slot->home_index = i;
        }
    }
}

static GHashTable *
view_copy (GHashTable *view)
{
  GHashTable *copy = g_hash_table_new (g_direct_hash, g_direct_equal);
  GHashTableIter iter;
  gpointer key, value;
  if (view == NULL)
    return copy;
  g_hash_table_iter_init (&iter, view);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, key, value);
  return copy;
}

/* The view of the statement after one that left `outs`.  Under `all` the
 * view only grows, and the sequence owns it: it grows in place rather
 * than being copied per statement. */
static GHashTable *
next_view (Lower *l, GHashTable *view, const Outs *outs)
{
  GHashTable *next = l->vis == VIS_ALL ? g_hash_table_ref (view)
                                       : view_copy (l->vis == VIS_INITIAL ? l->inputs : NULL);
  for (guint k = 0; k < outs->len; k++)
    g_hash_table_insert (next, (gpointer) g_array_index (outs, Named, k).name,
                         g_array_index (outs, Named, k).slot);
  return next;
}

static IrStmt *
lower_seq (Lower *l, AstStmt *stmt, GHashTable *view_in, guint thread, Outs *outs)
{
  IrStmt *ir = ir_new (l, IR_SEQ, stmt->loc);
  IrSeq *seq = &ir->u.seq;
  AstBlock *block = &stmt->u.block;

  seq->n = block->n;
  seq->items = arena_newv (l->program->arena, IrStmt *, block->n);
  GHashTable *view = view_copy (view_in);
  g_autoptr (GArray) last = outs_new ();
  for (guint i = 0; i < block->n; i++)
    {
      guint first_slot = l->slots->len;
      g_array_set_size (last, 0);
      seq->items[i] = lower_stmt (l, block->items[i], view, thread, last);
      home_slots (l, seq, i, first_slot, last);
      for (guint k = 0; k < last->len && l->vis == VIS_ALL; k++)
        outs_append (outs, g_array_index (last, Named, k).name, g_array_index (last, Named, k).slot);
      GHashTable *next = next_view (l, view, last);
      g_hash_table_unref (view);
      view = next;
    }
  if (l->vis != VIS_ALL)
    for (guint k = 0; k < last->len; k++)
      outs_add (outs, g_array_index (last, Named, k).name, g_array_index (last, Named, k).slot);
  g_hash_table_unref (view);
  ir->last_pos = l->pos;
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
lower_par (Lower *l, AstStmt *stmt, GHashTable *view, guint thread, Outs *outs)
{
  IrStmt *ir = ir_new (l, IR_PAR, stmt->loc);
  IrPar *par = &ir->u.par;
  AstBlock *block = &stmt->u.block;

  par->id = l->n_pars++;
  par->n = block->n;
  par->branches = arena_newv (l->program->arena, IrStmt *, block->n);
  par->threads = arena_newv (l->program->arena, guint, block->n);
  for (guint i = 0; i < block->n; i++)
    {
      par->threads[i] = thread_new (l, thread, par->id);
      g_autoptr (GArray) branch_outs = outs_new ();
      par->branches[i] = lower_stmt (l, block->items[i], view, par->threads[i], branch_outs);
      l->thread_body->pdata[par->threads[i]] = par->branches[i];
      for (guint k = 0; k < branch_outs->len; k++)
        outs_append (outs, g_array_index (branch_outs, Named, k).name,
                     g_array_index (branch_outs, Named, k).slot);
    }
  ir->last_pos = l->pos;
  return ir;
}

static IrStmt *
lower_stmt (Lower *l, AstStmt *stmt, GHashTable *view, guint thread, Outs *outs)
{
  IrStmt *ir;
  switch (stmt->kind)
    {
    case STMT_CALL:
      if (stmt->u.call.target->kind != DECL_TABLE)
        ir = lower_call (l, stmt, view, thread, outs);
      else if (stmt->u.call.pick == PICK_VALUE)
        ir = lower_dynamic_pick (l, stmt, view, thread, outs);
      else
        ir = lower_static_pick (l, stmt, view, thread, outs);
      break;
    case STMT_BLOCK:
      ir = lower_seq (l, stmt, view, thread, outs);
      break;
    case STMT_PAR:
      ir = lower_par (l, stmt, view, thread, outs);
      break;
    case STMT_IF:
      ir = lower_if (l, stmt, view, thread, outs);
      break;
    default:
      g_assert_not_reached ();
    }
  return ir;
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
lower_outputs (Lower *l, AstFlow *flow, const Outs *body_outs)
{
  IrFlow *ir = l->ir;
  ir->outputs = arena_newv (l->program->arena, Slot *, flow->out.n);
  for (guint i = 0; i < flow->out.n; i++)
    {
      Sym name = flow->out.items[i]->name;
      Slot *slot = outs_find (body_outs, name);
      if (slot == NULL)
        slot = g_hash_table_lookup (l->inputs, name);
      g_assert (slot != NULL);
      slot->is_output = TRUE;
      ir->outputs[i] = slot;
    }
}

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
  IrFlow *ir = arena_new0 (arena, IrFlow);
  Lower l = {
    .program = program,
    .ir = ir,
    .vis = flow->visibility,
    .inputs = g_hash_table_new (g_direct_hash, g_direct_equal),
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
    {
      Slot *slot = slot_new (&l, flow->in.items[i]->name, &flow->in.items[i]->type);
      slot->is_input = TRUE;
      ir->inputs[i] = slot;
      g_hash_table_insert (l.inputs, (gpointer) slot->name, slot);
    }

  /* The body's outputs under `none` / `initial` are its last statement's;
   * the flow's outputs may also be inputs under `initial` and `all`. */
  g_autoptr (GArray) body_outs = outs_new ();
  ir->body = lower_seq (&l, flow->body, l.inputs, 0, body_outs);
  l.thread_body->pdata[0] = ir->body;
  lower_outputs (&l, flow, body_outs);
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
  g_hash_table_unref (l.inputs);
  return ir;
}
