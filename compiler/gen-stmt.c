/* gen-stmt.c — the statements of a flow as resumable C.
 *
 * A thread is one function, a `switch` on its program counter.  Straight
 * code runs between waits; each wait sets the counter to the state after
 * it and returns, and the state's `case` label is where the step resumes:
 *
 *     f->pc0 = BROKER_S1_ASK_A_WAIT;
 *     df_call_begin (&f->c1_ask_a.call);
 *     ask_a (&f->c1_ask_a.call, f->v0_query);
 *     if (!df_call_end_inline (&f->c1_ask_a.call))
 *       return THREAD_WAITS;
 *     G_GNUC_FALLTHROUGH;            // completed inside ask_a(): go on
 *   case BROKER_S1_ASK_A_WAIT:
 *     ...
 *
 * `if` and picks are plain jumps inside the switch; a `par` starts each
 * branch's thread in turn and waits for its join counter.
 */
#include <string.h>
#include "gen.h"

typedef struct {
  Gen *g;
  IrFlow *ir;
  Writer *w;
  guint thread;
  const char *flow;
  guint labels;
} Thread;

static void stmt (Thread *t, const IrStmt *ir);

/* ----------------------------------------------------------------- states */

static const char *
state (Thread *t, const IrCall *call, const char *what)
{
  return gen_call_state (t->g, t->ir->flow, call, what);
}

/* The states a call resumes at, one rule for the enum and for the code:
 * GO, where a retry starts the call again; HAVE, where a `limit` slot
 * became free; WAIT, where an async, blocking or flow call finished. */
static gboolean
resumes_at_go (const IrCall *call)
{
  return ir_call_retries (call);
}

static gboolean
resumes_at_have (const IrCall *call)
{
  return call->opts.has_limit;
}

static gboolean
resumes_at_wait (const IrCall *call)
{
  return call->kind != CALL_SYNC;
}

/* A flow's states as a named enum, so a debugger shows the program
 * counters by name: only the states some code resumes at. */
void
gen_states (Gen *g, IrFlow *ir)
{
  Writer *w = g->c;
  const AstFlow *flow = ir->flow;
  writer_line (w, "typedef enum {");
  writer_indent (w);
  writer_line (w, "%s,", gen_flow_state (g, flow, "START"));
  for (guint i = 0; i < ir->n_calls; i++)
    {
      const IrCall *call = ir->calls[i];
      static const char *const kinds[] = { "GO", "HAVE", "WAIT" };
      gboolean has[] = { resumes_at_go (call), resumes_at_have (call), resumes_at_wait (call) };
      gboolean first = TRUE;
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          if (!has[k])
            continue;
          const char *name = gen_call_state (g, flow, call, kinds[k]);
          if (first)
            writer_line (w, "%s,     /* %s:%u */", name, program_loc_path (g->program, call->ast->callee_loc),
                         call->ast->callee_loc.line);
          else
            writer_line (w, "%s,", name);
          first = FALSE;
        }
    }
  for (guint p = 0; p < ir->n_pars; p++)
    writer_line (w, "%s,", gen_join_state (g, flow, p));
  if (flow->repeat || flow->has_every)
    writer_line (w, "%s,", gen_flow_state (g, flow, "ROUND"));
  writer_dedent (w);
  writer_line (w, "} %s;", gen_state_type (g, ir->flow));
  writer_blank (w);
}

/* A `case` label reached from the code above it. */
static void
resume_point (Thread *t, const char *label)
{
  writer_line (t->w, "G_GNUC_FALLTHROUGH;");
  writer_dedent (t->w);
  writer_line (t->w, "case %s:", label);
  writer_indent (t->w);
}

static void
label (Thread *t, const char *name)
{
  writer_dedent (t->w);
  writer_line (t->w, "%s:;", name);
  writer_indent (t->w);
}

/* ------------------------------------------------------------------ calls */

static char *
call_args (Thread *t, const IrCall *call)
{
  GString *args = g_string_new (NULL);
  for (guint i = 0; i < call->n_args; i++)
    {
      if (call->args[i].slot != NULL)
        g_string_append_printf (args, ", f->%s", gen_slot_field (t->g, call->args[i].slot));
      else
        {
          g_autofree char *lit = gen_literal (call->args[i].lit, &call->args[i].param->type);
          g_string_append_printf (args, ", %s", lit);
        }
    }
  return g_string_free (args, FALSE);
}

/* retry N backoff A..B: A after the first failure, doubling up to B. */
static char *
backoff_delay (const IrCall *call)
{
  const AstRetry *retry = &call->opts.retry;
  if (!retry->has_backoff)
    return g_strdup ("0");
  return g_strdup_printf ("MIN (G_GINT64_CONSTANT (%" G_GINT64_FORMAT "), "
                          "G_GINT64_CONSTANT (%" G_GINT64_FORMAT ") << MIN (f->tries%u - 1, 30))",
                          retry->backoff_max_us, retry->backoff_min_us, call->site);
}

/* The error is in `error`: retry if tries are left, else fail the flow.
 * `first` (nullable) is a line to run before deciding. */
static void
on_failure (Thread *t, const IrCall *call, gboolean free_outs, const char *first)
{
  Writer *w = t->w;
  writer_line (w, "  {");
  writer_indent (w);
  writer_indent (w);
  if (first != NULL)
    writer_line (w, "%s", first);
  /* `retry 0` (overriding a stage's retry at a call site) never retries. */
  if (resumes_at_go (call))
    {
      g_autofree char *delay = backoff_delay (call);
      const char *go = state (t, call, "GO");
      g_autofree char *expr = gen_site_call (t->g, call);
      writer_line (w, "if (f->tries%u < %" G_GINT64_FORMAT ")", call->site, call->opts.retry.count);
      writer_line (w, "  {");
      writer_line (w, "    f->tries%u++;", call->site);
      writer_line (w, "    df_call_log_retry (%s, error, f->tries%u, %" G_GINT64_FORMAT ", %s);",
                   expr, call->site, call->opts.retry.count, delay);
      writer_line (w, "    g_clear_error (&error);");
      for (guint i = 0; free_outs && i < call->n_outs; i++)
        if (call->outs[i]->free_fn != NULL)
          writer_line (w, "    g_clear_pointer (&f->%s, %s);", gen_slot_field (t->g, call->outs[i]),
                       call->outs[i]->free_fn);
      writer_line (w, "    f->%s = %s;", gen_pc_field (t->g, t->thread), go);
      writer_line (w, "    df_call_sleep (%s, %s);", expr, delay);
      writer_line (w, "    return THREAD_WAITS;");
      writer_line (w, "  }");
    }
  writer_line (w, "goto fail;");
  writer_dedent (w);
  writer_dedent (w);
  writer_line (w, "  }");
  if (resumes_at_go (call))
    writer_line (w, "f->tries%u = 0;", call->site);
}

/* Re-entry for retries, then the slot of a `limit`. */
static void
call_entry (Thread *t, const IrCall *call)
{
  g_autofree char *expr = gen_site_call (t->g, call);
  if (resumes_at_go (call))
    {
      const char *go = state (t, call, "GO");
      resume_point (t, go);
    }
  if (resumes_at_have (call))
    {
      const char *have = state (t, call, "HAVE");
      writer_line (t->w, "f->%s = %s;", gen_pc_field (t->g, t->thread), have);
      writer_line (t->w, "if (!df_call_acquire (%s))", expr);
      writer_line (t->w, "  return THREAD_WAITS;");
      resume_point (t, have);
    }
}

static void
sync_call (Thread *t, const IrCall *call)
{
  Writer *w = t->w;
  const char *stage = call->callee->name;
  g_autofree char *args = call_args (t, call);
  GString *outs = g_string_new (NULL);
  for (guint i = 0; i < call->n_outs; i++)
    g_string_append_printf (outs, ", &f->%s", gen_slot_field (t->g, call->outs[i]));

  call_entry (t, call);
  writer_line (w, "started = df_stage_stats_enter (&%s);", gen_stats_name (t->g, call->callee));
  writer_at_source (w, call->ast->callee_loc.file, call->ast->callee_loc.line);
  writer_line (w, "ok = %s (df_frame_get_context (&f->base)%s%s, &error);", gen_name (t->g, stage), args,
               outs->str);
  writer_at_self (w);
  writer_line (w, "df_stage_stats_leave (&%s, started, ok);", gen_stats_name (t->g, call->callee));
  if (call->opts.has_limit)
    {
      g_autofree char *expr = gen_site_call (t->g, call);
      writer_line (w, "df_call_release_slot (%s);", expr);
    }
  writer_line (w, "if (!ok)");
  g_autofree char *ensure = g_strdup_printf ("error = df_error_ensure (error, \"%s\");", stage);
  on_failure (t, call, TRUE, ensure);
  g_string_free (outs, TRUE);
}

/* Async stage, blocking stage or flow: start it, wait for it, take its
 * outputs out of the call struct. */
static void
waiting_call (Thread *t, const IrCall *call)
{
  Writer *w = t->w;
  g_autofree char *expr = gen_site_call (t->g, call);
  const char *wait = state (t, call, "WAIT");
  g_autofree char *args = call_args (t, call);

  call_entry (t, call);
  writer_line (w, "f->%s = %s;", gen_pc_field (t->g, t->thread), wait);
  if (call->kind == CALL_BLOCKING)
    {
      writer_line (w, "df_call_run_blocking (%s, %s);", expr, gen_blocking_func (t->g, t->ir->flow, call));
      writer_line (w, "return THREAD_WAITS;");
      writer_dedent (w);
      writer_line (w, "case %s:", wait);
      writer_indent (w);
    }
  else
    {
      const char *func = call->kind == CALL_FLOW ? gen_flow_call_func (t->g, (const AstFlow *) call->callee)
                                                 : gen_name (t->g, call->callee->name);
      writer_line (w, "df_call_begin (%s);", expr);
      writer_at_source (w, call->ast->callee_loc.file, call->ast->callee_loc.line);
      writer_line (w, "%s (%s%s);", func, expr, args);
      writer_at_self (w);
      writer_line (w, "if (!df_call_end_inline (%s))", expr);
      writer_line (w, "  return THREAD_WAITS;");
      resume_point (t, wait);
    }
  writer_line (w, "if ((error = df_call_take_error (%s)) != NULL)", expr);
  on_failure (t, call, FALSE, NULL);

  const char *site = gen_site_field (t->g, call);
  const AstParams *out = ast_decl_outputs (call->callee);
  for (guint i = 0; i < call->n_outs; i++)
    {
      const char *field = gen_slot_field (t->g, call->outs[i]);
      if (call->outs[i]->free_fn != NULL)
        writer_line (w, "f->%s = g_steal_pointer (&f->%s.%s);", field, site, out->items[i]->name);
      else
        writer_line (w, "f->%s = f->%s.%s;", field, site, out->items[i]->name);
    }
}

static void
call_stmt (Thread *t, const IrCall *call)
{
  writer_line (t->w, "/* %s:%u: %s */", program_loc_path (t->g->program, call->ast->callee_loc),
               call->ast->callee_loc.line, call->callee->name);
  if (call->kind == CALL_SYNC)
    sync_call (t, call);
  else
    waiting_call (t, call);
}

/* --------------------------------------------------------- control flow */

static void
moves (Thread *t, const IrMoves *m)
{
  for (guint i = 0; i < m->n; i++)
    {
      const char *dst = gen_slot_field (t->g, m->items[i].dst);
      const char *src = gen_slot_field (t->g, m->items[i].src);
      if (m->items[i].src->free_fn != NULL)
        writer_line (t->w, "f->%s = g_steal_pointer (&f->%s);", dst, src);
      else
        writer_line (t->w, "f->%s = f->%s;", dst, src);
    }
}

static void
if_stmt (Thread *t, const IrStmt *ir)
{
  const IrIf *if_ = &ir->u.if_;
  guint n = t->labels++;
  const char *field = gen_slot_field (t->g, if_->cond);
  gboolean pointer = types_classify (types_ctype (if_->cond->type)).klass == CTYPE_POINTER;
  writer_line (t->w, "/* %s:%u: if (%s%s) */", program_loc_path (t->g->program, ir->loc), ir->loc.line,
               if_->negate ? "!" : "",
               if_->cond->name);
  writer_line (t->w, "if (%s(f->%s%s))", if_->negate ? "" : "!", field, pointer ? " != NULL" : " != 0");
  writer_line (t->w, "  goto if%u_%s;", n, if_->else_stmt ? "else" : "end");
  stmt (t, if_->then_stmt);
  moves (t, &if_->then_moves);
  if (if_->else_stmt != NULL)
    {
      writer_line (t->w, "goto if%u_end;", n);
      g_autofree char *else_label = g_strdup_printf ("if%u_else", n);
      label (t, else_label);
      stmt (t, if_->else_stmt);
      moves (t, &if_->else_moves);
    }
  g_autofree char *end_label = g_strdup_printf ("if%u_end", n);
  label (t, end_label);
}

/* A miss: the table's default arm, or DF_ERROR_DISPATCH. */
static void
pick_miss (Thread *t, const IrPick *pick, guint n)
{
  Writer *w = t->w;
  const char *key = gen_slot_field (t->g, pick->key);
  if (pick->default_arm >= 0)
    {
      writer_line (w, "default: goto pick%u_%d;", n, pick->default_arm);
      return;
    }
  writer_line (w, "default:");
  writer_line (w, "  {");
  if (pick->string_keys)
    writer_line (w, "    error = df_error_new_dispatch (\"%s\", f->%s);", pick->table->decl.name, key);
  else
    {
      gboolean is_unsigned = types_classify (types_ctype (pick->key->type)).klass == CTYPE_UNSIGNED;
      writer_line (w, "    char key[32];");
      writer_line (w, "    g_snprintf (key, sizeof key, \"%%\" %s, (%s) f->%s);", is_unsigned ? "G_GUINT64_FORMAT" : "G_GINT64_FORMAT",
                   is_unsigned ? "guint64" : "gint64", key);
      writer_line (w, "    error = df_error_new_dispatch (\"%s\", key);", pick->table->decl.name);
    }
  writer_line (w, "    goto fail;");
  writer_line (w, "  }");
}

/* Can a value of the key's C type equal this integer key?  A key out of
 * the type's range never matches, and as a case label it would be
 * converted into some other value's label. */
static gboolean
int_key_fits (const AstLiteral *lit, const CTypeInfo *info)
{
  if (info->klass != CTYPE_SIGNED && info->klass != CTYPE_UNSIGNED && info->klass != CTYPE_BOOL)
    return TRUE;
  if (!lit->negative || lit->magnitude == 0)
    return lit->magnitude <= info->max;
  return info->min < 0 && lit->magnitude - 1 <= (guint64) -(info->min + 1);
}

/* An integer key as a case label that is warning-free for any type it fits. */
static char *
int_case_label (const AstLiteral *lit)
{
  if (lit->negative && lit->magnitude > (guint64) G_MAXINT64)
    return g_strdup ("G_MININT64");
  if (lit->negative)
    return g_strdup_printf ("-%" G_GUINT64_FORMAT, lit->magnitude);
  if (lit->magnitude > (guint64) G_MAXINT64)
    return g_strdup_printf ("G_GUINT64_CONSTANT (%" G_GUINT64_FORMAT ")", lit->magnitude);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, lit->magnitude);
}

static void
pick_stmt (Thread *t, const IrStmt *ir)
{
  const IrPick *pick = &ir->u.pick;
  Writer *w = t->w;
  guint n = t->labels++;
  const char *key = gen_slot_field (t->g, pick->key);
  CTypeInfo key_info = types_classify (types_ctype (pick->key->type));

  writer_line (w, "/* %s:%u: %s[%s] */", program_loc_path (t->g->program, ir->loc), ir->loc.line,
               pick->table->decl.name,
               pick->key->name);
  if (pick->string_keys)
    writer_line (w, "switch (%s (f->%s))", gen_match_func (t->g, pick->table), key);
  else
    writer_line (w, "switch (f->%s)", key);
  writer_line (w, "  {");
  writer_indent (w);
  for (guint i = 0; i < pick->n; i++)
    {
      const AstTableArm *arm = pick->ast_arms[i];
      if (arm->kind == KEY_STRING)
        writer_line (w, "case %u: goto pick%u_%u;", i, n, i);
      else if (arm->kind == KEY_INT && int_key_fits (&arm->lit, &key_info))
        {
          g_autofree char *value = int_case_label (&arm->lit);
          writer_line (w, "case %s: goto pick%u_%u;", value, n, i);
        }
    }
  pick_miss (t, pick, n);
  writer_dedent (w);
  writer_line (w, "  }");
  for (guint i = 0; i < pick->n; i++)
    {
      const AstTableArm *arm = pick->ast_arms[i];
      gboolean unreachable = arm->kind == KEY_INT && !int_key_fits (&arm->lit, &key_info);
      g_autofree char *arm_label = g_strdup_printf ("pick%u_%u", n, i);
      if (unreachable)
        {
          writer_dedent (w);
          writer_line (w, "%s: G_GNUC_UNUSED;   /* a key of the table the key's type cannot hold */", arm_label);
          writer_indent (w);
        }
      else
        label (t, arm_label);
      stmt (t, pick->arms[i]);
      moves (t, &pick->moves[i]);
      writer_line (w, "goto pick%u_end;", n);
    }
  g_autofree char *end_label = g_strdup_printf ("pick%u_end", n);
  label (t, end_label);
}

/* Start every branch; go on once the last one has finished. */
static void
par_stmt (Thread *t, const IrStmt *ir)
{
  const IrPar *par = &ir->u.par;
  Writer *w = t->w;
  writer_line (w, "/* %s:%u: par */", program_loc_path (t->g->program, ir->loc), ir->loc.line);
  writer_line (w, "f->%s = %u;", gen_join_field (t->g, par->id), par->n);
  writer_line (w, "f->%s = %s;", gen_pc_field (t->g, t->thread), gen_join_state (t->g, t->ir->flow, par->id));
  for (guint i = 0; i < par->n; i++)
    {
      writer_line (w, "f->%s = %s;", gen_pc_field (t->g, par->threads[i]),
                   gen_flow_state (t->g, t->ir->flow, "START"));
      writer_line (w, "if (%s (f) == FRAME_GONE)", gen_thread_func (t->g, t->ir->flow, par->threads[i]));
      writer_line (w, "  return FRAME_GONE;");
    }
  writer_line (w, "if (f->%s > 0)", gen_join_field (t->g, par->id));
  writer_line (w, "  return THREAD_WAITS;");
  resume_point (t, gen_join_state (t->g, t->ir->flow, par->id));
}

static void
frees (Thread *t, const IrStmt *ir)
{
  for (guint i = 0; i < ir->frees_after.n; i++)
    {
      const Slot *slot = ir->frees_after.items[i];
      writer_line (t->w, "g_clear_pointer (&f->%s, %s);   /* after its last reader */",
                   gen_slot_field (t->g, slot), slot->free_fn);
    }
}

static void
stmt (Thread *t, const IrStmt *ir)
{
  switch (ir->kind)
    {
    case IR_CALL:
      call_stmt (t, &ir->u.call);
      break;
    case IR_SEQ:
      for (guint i = 0; i < ir->u.seq.n; i++)
        {
          stmt (t, ir->u.seq.items[i]);
          frees (t, ir->u.seq.items[i]);
        }
      break;
    case IR_PAR:
      par_stmt (t, ir);
      break;
    case IR_IF:
      if_stmt (t, ir);
      break;
    case IR_PICK:
      pick_stmt (t, ir);
      break;
    }
}

/* ----------------------------------------------------------------- ends */

/* The span between the starts of an `every` flow's rounds, as C: the
 * constant, or the input that `every NAME` names. */
static char *
every_span (Gen *g, const IrFlow *ir)
{
  const AstFlow *flow = ir->flow;
  if (flow->every_input == NULL)
    return g_strdup_printf ("G_GINT64_CONSTANT (%" G_GINT64_FORMAT ")", flow->every_us);
  gint i = ast_param_index (&flow->in, flow->every_input);
  return g_strdup_printf ("(gint64) f->%s", gen_slot_field (g, ir->inputs[i]));
}

/* `every NAME`: a span that is not positive fails the flow before its
 * first round, as `every 0s` would be refused at build time. */
static void
every_input_check (Thread *t)
{
  Writer *w = t->w;
  g_autofree char *every = every_span (t->g, t->ir);
  writer_line (w, "if (%s <= 0)", every);
  writer_line (w, "  {");
  writer_line (w, "    error = g_error_new_literal (DF_ERROR, DF_ERROR_USAGE,");
  writer_line (w, "                                 \"flow '%s': 'every %s' must be a positive duration\");",
               t->ir->flow->decl.name, t->ir->flow->every_input);
  writer_line (w, "    goto fail;");
  writer_line (w, "  }");
}

static void
thread_end (Thread *t)
{
  Writer *w = t->w;
  const AstFlow *flow = t->ir->flow;
  if (t->thread != 0)
    {
      guint join = t->ir->thread_join[t->thread];
      writer_line (w, "if (--f->%s == 0)", gen_join_field (t->g, join));
      writer_line (w, "  return %u;   /* the last branch: the parent goes on */", t->ir->thread_parent[t->thread]);
      writer_line (w, "return THREAD_WAITS;");
      return;
    }
  if (!flow->repeat && !flow->has_every)
    {
      writer_line (w, "df_frame_return (&f->base);");
      writer_line (w, "return FRAME_GONE;");
      return;
    }
  writer_line (w, "df_frame_round_done (&f->base);   /* a supervised run made progress */");
  writer_line (w, "f->pc0 = %s;", gen_flow_state (t->g, t->ir->flow, "ROUND"));
  if (flow->has_every)
    {
      g_autofree char *every = every_span (t->g, t->ir);
      writer_line (w, "df_call_sleep (&f->round, MAX (0, f->round_start + %s"
                      " - df_runtime_get_time (f->base.runtime)));", every);
    }
  else
    writer_line (w, "df_frame_yield (&f->base);   /* let the loop breathe between rounds */");
  writer_line (w, "return THREAD_WAITS;");
  writer_dedent (w);
  writer_line (w, "case %s:", gen_flow_state (t->g, t->ir->flow, "ROUND"));
  writer_indent (w);
  writer_line (w, "goto round;");
}

/* What a thread's code needs declared: `error` and the `fail:` label
 * where something can fail (a call; a pick whose table has no default
 * arm), `ok` and `started` where a sync stage runs.  A par branch's calls
 * are its own thread's. */
typedef struct {
  gboolean fails;
  gboolean sync_calls;
} ThreadUses;

static void
thread_uses (const IrStmt *ir, ThreadUses *uses)
{
  switch (ir->kind)
    {
    case IR_CALL:
      uses->fails = TRUE;
      uses->sync_calls |= ir->u.call.kind == CALL_SYNC;
      break;
    case IR_SEQ:
      for (guint i = 0; i < ir->u.seq.n; i++)
        thread_uses (ir->u.seq.items[i], uses);
      break;
    case IR_PAR:
      break;
    case IR_IF:
      thread_uses (ir->u.if_.then_stmt, uses);
      if (ir->u.if_.else_stmt != NULL)
        thread_uses (ir->u.if_.else_stmt, uses);
      break;
    case IR_PICK:
      uses->fails |= ir->u.pick.default_arm < 0;
      for (guint i = 0; i < ir->u.pick.n; i++)
        thread_uses (ir->u.pick.arms[i], uses);
      break;
    }
}

void
gen_thread (Gen *g, IrFlow *ir, guint thread)
{
  Thread t = { .g = g, .ir = ir, .w = g->c, .thread = thread, .flow = ir->flow->decl.name };
  Writer *w = g->c;
  gboolean rounds = thread == 0 && (ir->flow->repeat || ir->flow->has_every);

  writer_line (w, "static int");
  writer_line (w, "%s (%s *f)", gen_thread_func (g, ir->flow, thread), gen_frame_type (g, ir->flow));
  writer_line (w, "{");
  writer_indent (w);
  ThreadUses uses = { FALSE, FALSE };
  thread_uses (ir->thread_body[thread], &uses);
  uses.fails |= rounds && ir->flow->every_input != NULL;   /* every_input_check () */
  if (uses.fails)
    writer_line (w, "GError *error = NULL;");
  if (uses.sync_calls)
    {
      writer_line (w, "gboolean ok;");
      writer_line (w, "gint64 started;");
    }
  writer_line (w, "switch (f->%s)", gen_pc_field (g, thread));
  writer_line (w, "  {");
  writer_line (w, "  case %s:", gen_flow_state (g, ir->flow, "START"));
  writer_indent (w);
  writer_indent (w);
  if (rounds && ir->flow->every_input != NULL)
    every_input_check (&t);
  if (rounds)
    {
      label (&t, "round");
      if (ir->flow->has_every)
        writer_line (w, "f->round_start = df_runtime_get_time (f->base.runtime);");
    }
  stmt (&t, ir->thread_body[thread]);
  thread_end (&t);
  writer_dedent (w);
  /* The states of the flow's other threads: never this one's counter. */
  if (ir->n_threads > 1)
    {
      writer_line (w, "default:");
      writer_line (w, "  break;");
    }
  writer_dedent (w);
  writer_line (w, "  }");
  writer_line (w, "g_assert_not_reached ();");
  writer_dedent (w);
  if (uses.fails)
    {
      writer_line (w, "fail:");
      writer_line (w, "  df_frame_fail (&f->base, error);");
      writer_line (w, "  return FRAME_GONE;");
    }
  writer_line (w, "}");
  writer_blank (w);
}
