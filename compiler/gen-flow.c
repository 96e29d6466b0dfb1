/* gen-flow.c — one state machine per flow.
 *
 * A running flow is one heap frame (docs/runtime.md): DfFrame first, then
 * every value as a typed field, one call struct per waiting call site, a
 * program counter per thread (the body and each `par` branch) and a join
 * counter per `par`.  The step function runs threads until each waits:
 *
 *   static void ingest_step (DfFrame *frame, DfCall *resumed)
 *   {
 *     int t = resumed ? resume id of the call : 0;
 *     while (t >= 0)
 *       t = ingest_run_thread (f, t);   // a finished branch names its parent
 *   }
 *
 * The threads themselves are written by gen-stmt.c.
 */
#include "gen.h"

static gboolean
flow_repeats (const AstFlow *flow)
{
  return flow->repeat || flow->has_every;
}

/* ------------------------------------------------------------ the frame */

static void
frame_struct (Gen *g, IrFlow *ir)
{
  Writer *w = g->c;
  const AstFlow *flow = ir->flow;
  writer_line (w, "typedef struct {");
  writer_indent (w);
  writer_line (w, "DfFrame base;");
  for (guint i = 0; i < ir->n_slots; i++)
    {
      g_autofree char *decl = gen_decl (ir->slots[i]->type, gen_slot_field (g, ir->slots[i]), FALSE);
      writer_line (w, "%s;", decl);
    }
  for (guint i = 0; i < ir->n_calls; i++)
    {
      const IrCall *call = ir->calls[i];
      if (call->has_call)
        writer_line (w, "%s %s;", gen_call_type (g, call->callee), gen_site_field (g, call));
      if (ir_call_retries (call))
        writer_line (w, "guint tries%u;", call->site);
    }
  for (guint t = 0; t < ir->n_threads; t++)
    writer_line (w, "%s %s;", gen_state_type (g, flow), gen_pc_field (g, t));
  for (guint p = 0; p < ir->n_pars; p++)
    writer_line (w, "guint %s;", gen_join_field (g, p));
  if (flow_repeats (flow))
    writer_line (w, "DfCall round;");
  if (flow->has_every)
    writer_line (w, "gint64 round_start;");
  writer_line (w, "%s done;", gen_type_name (g, flow->decl.name, "DoneFunc"));
  writer_line (w, "gpointer done_data;");
  writer_dedent (w);
  writer_line (w, "} %s;", gen_frame_type (g, flow));
  writer_blank (w);
}

void
gen_flow_prologue (Gen *g, IrFlow *ir)
{
  const AstFlow *flow = ir->flow;
  const char *frame = gen_frame_type (g, flow);
  gen_states (g, ir);
  frame_struct (g, ir);
  writer_line (g->c, "static %s *%s (DfRuntime *rt);", frame, gen_flow_static (g, flow, "frame_new"));
  if (g_hash_table_contains (g->called, flow))
    {
      const char **names = gen_param_names (g, &flow->in, NULL);
      GString *params = g_string_new ("DfCall *call");
      for (guint i = 0; i < flow->in.n; i++)
        {
          g_autofree char *decl = gen_decl (&flow->in.items[i]->type, names[i], FALSE);
          g_string_append_printf (params, ", %s", decl);
        }
      writer_line (g->c, "static void %s (%s);", gen_flow_call_func (g, flow), params->str);
      g_string_free (params, TRUE);
    }
  for (guint t = 0; t < ir->n_threads; t++)
    writer_line (g->c, "static int %s (%s *f);", gen_thread_func (g, flow, t), frame);
  writer_blank (g->c);
}

/* ------------------------------------------------------------ call sites */

static void
call_site (Gen *g, IrFlow *ir, const IrCall *call)
{
  Writer *w = g->c;
  gboolean stage = call->callee->kind == DECL_STAGE;
  const AstStage *decl = stage ? (const AstStage *) call->callee : NULL;

  /* A limit written at the call site is that site's own. */
  const char *limit = NULL;
  if (call->ast->opts.has_limit)
    {
      limit = gen_site_static (g, ir->flow, call, "limit");
      writer_line (w, "static DfLimit %s = DF_LIMIT_INIT (%" G_GINT64_FORMAT ");", limit, call->opts.limit);
    }
  else if (decl != NULL && decl->opts.has_limit)
    limit = gen_limit_name (g, call->callee);

  writer_line (w, "static const DfCallSite %s = {", gen_site_static (g, ir->flow, call, "site"));
  writer_indent (w);
  writer_line (w, ".stage = \"%s\",", call->callee->name);
  if (stage)
    writer_line (w, ".stats = &%s,", gen_stats_name (g, call->callee));
  if (limit != NULL)
    writer_line (w, ".limit = &%s,", limit);
  if (call->opts.has_timeout && call->kind != CALL_SYNC)
    writer_line (w, ".timeout = G_GINT64_CONSTANT (%" G_GINT64_FORMAT "),", call->opts.timeout_us);
  if (call->kind != CALL_SYNC && gen_has_discard (call->callee))
    writer_line (w, ".discard = %s,", gen_discard_name (g, call->callee));
  writer_dedent (w);
  writer_line (w, "};");
}

/* A blocking stage runs on a worker: this reads its inputs from the frame
 * and leaves its outputs in the call struct. */
static void
blocking_thunk (Gen *g, IrFlow *ir, const IrCall *call)
{
  Writer *w = g->c;
  const AstStage *stage = (const AstStage *) call->callee;
  const char *type = gen_call_type (g, call->callee);
  GString *args = g_string_new ("df_call_get_context (call)");
  gboolean reads_frame = FALSE;
  for (guint i = 0; i < call->n_args; i++)
    {
      reads_frame |= call->args[i].slot != NULL;
      if (call->args[i].slot != NULL)
        g_string_append_printf (args, ", f->%s", gen_slot_field (g, call->args[i].slot));
      else
        {
          g_autofree char *lit = gen_literal (call->args[i].lit, &call->args[i].param->type);
          g_string_append_printf (args, ", %s", lit);
        }
    }
  for (guint i = 0; i < stage->out.n; i++)
    g_string_append_printf (args, ", &((%s *) call)->%s", type, stage->out.items[i]->name);

  writer_line (w, "static gboolean");
  writer_line (w, "%s (DfCall *call, GError **error)", gen_blocking_func (g, ir->flow, call));
  writer_line (w, "{");
  writer_indent (w);
  /* A stage with no inputs from the frame (none, or constants only) does
   * not need the frame. */
  if (reads_frame)
    writer_line (w, "%s *f = (%s *) df_call_get_frame (call);", gen_frame_type (g, ir->flow),
                 gen_frame_type (g, ir->flow));
  if (!gen_has_discard (call->callee))
    {
      writer_at_source (w, call->ast->callee_loc.file, call->ast->callee_loc.line);
      writer_line (w, "return %s (%s, error);", gen_name (g, call->callee->name), args->str);
      writer_at_self (w);
    }
  else
    {
      /* The runtime drops a failed call's error, not its outputs: free what
       * a failing stage left there before it is retried or forgotten. */
      writer_at_source (w, call->ast->callee_loc.file, call->ast->callee_loc.line);
      writer_line (w, "if (%s (%s, error))", gen_name (g, call->callee->name), args->str);
      writer_at_self (w);
      writer_line (w, "  return TRUE;");
      writer_line (w, "%s (call);", gen_discard_name (g, call->callee));
      writer_line (w, "return FALSE;");
    }
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
  g_string_free (args, TRUE);
}

static void
call_sites (Gen *g, IrFlow *ir)
{
  gboolean any = FALSE;
  for (guint i = 0; i < ir->n_calls; i++)
    if (ir->calls[i]->has_call)
      {
        call_site (g, ir, ir->calls[i]);
        any = TRUE;
      }
  if (flow_repeats (ir->flow))
    {
      writer_line (g->c, "static const DfCallSite %s = { .stage = \"%s\" };",
                   gen_flow_static (g, ir->flow, "round_site"), ir->flow->decl.name);
      any = TRUE;
    }
  if (any)
    writer_blank (g->c);
  for (guint i = 0; i < ir->n_calls; i++)
    if (ir->calls[i]->kind == CALL_BLOCKING)
      blocking_thunk (g, ir, ir->calls[i]);
}

/* ------------------------------------------------------------------ step */

static void
step_function (Gen *g, IrFlow *ir)
{
  Writer *w = g->c;
  const char *frame = gen_frame_type (g, ir->flow);

  if (ir->n_threads > 1)
    {
      writer_line (w, "static int");
      writer_line (w, "%s (%s *f, int thread)", gen_flow_static (g, ir->flow, "run_thread"), frame);
      writer_line (w, "{");
      writer_indent (w);
      writer_line (w, "switch (thread)");
      writer_line (w, "  {");
      for (guint t = 0; t < ir->n_threads; t++)
        writer_line (w, "  case %u: return %s (f);", t, gen_thread_func (g, ir->flow, t));
      writer_line (w, "  default: g_assert_not_reached ();");
      writer_line (w, "  }");
      writer_dedent (w);
      writer_line (w, "}");
      writer_blank (w);
    }
  writer_line (w, "static void");
  writer_line (w, "%s (DfFrame *frame, DfCall *resumed)", gen_flow_static (g, ir->flow, "step"));
  writer_line (w, "{");
  writer_indent (w);
  if (ir->n_threads > 1)
    {
      writer_line (w, "/* A branch that finishes last names its parent, which goes on. */");
      writer_line (w, "int thread = resumed != NULL ? (int) df_call_get_resume_id (resumed) : 0;");
      writer_line (w, "while (thread >= 0)");
      writer_line (w, "  thread = %s ((%s *) frame, thread);",
                   gen_flow_static (g, ir->flow, "run_thread"), frame);
    }
  else
    {
      writer_line (w, "(void) resumed;");
      writer_line (w, "(void) %s ((%s *) frame);", gen_thread_func (g, ir->flow, 0), frame);
    }
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

/* Owned values the flow still holds when it ends (failure, cancellation,
 * or values that were outputs and not taken). */
static void
finalize_function (Gen *g, IrFlow *ir)
{
  Writer *w = g->c;
  const char *frame = gen_frame_type (g, ir->flow);
  writer_line (w, "static void");
  writer_line (w, "%s (DfFrame *frame)", gen_flow_static (g, ir->flow, "finalize"));
  writer_line (w, "{");
  writer_indent (w);
  gboolean owns = FALSE;
  for (guint i = 0; i < ir->n_slots; i++)
    owns |= ir->slots[i]->free_fn != NULL && !ir->slots[i]->is_input;
  if (!owns)
    writer_line (w, "(void) frame;   /* the flow holds no owned value */");
  else
    writer_line (w, "%s *f = (%s *) frame;", frame, frame);
  for (guint i = 0; i < ir->n_slots; i++)
    {
      const Slot *slot = ir->slots[i];
      if (slot->free_fn != NULL && !slot->is_input)
        writer_line (w, "g_clear_pointer (&f->%s, %s);", gen_slot_field (g, slot), slot->free_fn);
    }
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

static void
frame_new (Gen *g, IrFlow *ir)
{
  Writer *w = g->c;
  const char *flow = ir->flow->decl.name;
  const char *frame = gen_frame_type (g, ir->flow);

  writer_line (w, "static const DfFrameClass %s = {", gen_flow_static (g, ir->flow, "class"));
  writer_line (w, "  .name = \"%s\",", flow);
  writer_line (w, "  .size = sizeof (%s),", frame);
  writer_line (w, "  .step = %s,", gen_flow_static (g, ir->flow, "step"));
  writer_line (w, "  .finalize = %s,", gen_flow_static (g, ir->flow, "finalize"));
  writer_line (w, "};");
  writer_blank (w);
  writer_line (w, "static %s *", frame);
  writer_line (w, "%s (DfRuntime *rt)", gen_flow_static (g, ir->flow, "frame_new"));
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "%s *f = (%s *) df_frame_new (rt, &%s);",
               frame, frame, gen_flow_static (g, ir->flow, "class"));
  for (guint i = 0; i < ir->n_calls; i++)
    {
      const IrCall *call = ir->calls[i];
      if (!call->has_call)
        continue;
      g_autofree char *expr = gen_site_call (g, call);
      writer_line (w, "df_call_init (%s, &f->base, &%s, %u);", expr, gen_site_static (g, ir->flow, call, "site"),
                   call->thread);
    }
  if (flow_repeats (ir->flow))
    writer_line (w, "df_call_init (&f->round, &f->base, &%s, 0);",
                 gen_flow_static (g, ir->flow, "round_site"));
  writer_line (w, "return f;");
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

/* ---------------------------------------------------------- entry points */

/* out.NAME = the frame's value, taken from the frame. */
static void
take_outputs (Gen *g, IrFlow *ir, const char *target)
{
  const AstParams *out = &ir->flow->out;
  for (guint i = 0; i < out->n; i++)
    {
      const Slot *slot = ir->outputs[i];
      const char *field = gen_slot_field (g, slot);
      Sym copy_fn = types_copy_fn (slot->type);
      if (slot->is_input && slot->free_fn != NULL)
        /* An owned input passed through: the caller still owns the input. */
        writer_line (g->c, "%s%s = %s (f->%s);", target, out->items[i]->name, copy_fn, field);
      else if (slot->free_fn != NULL)
        writer_line (g->c, "%s%s = g_steal_pointer (&f->%s);", target, out->items[i]->name, field);
      else
        writer_line (g->c, "%s%s = f->%s;", target, out->items[i]->name, field);
    }
}

static void
done_function (Gen *g, IrFlow *ir)
{
  Writer *w = g->c;
  const char *flow = ir->flow->decl.name;
  const char *frame = gen_frame_type (g, ir->flow);
  const char *out = gen_type_name (g, flow, "Out");

  writer_line (w, "static void");
  writer_line (w, "%s (DfFrame *frame, const GError *error, gpointer data)",
               gen_flow_static (g, ir->flow, "frame_done"));
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "%s *f = (%s *) frame;", frame, frame);
  writer_line (w, "%s out = { 0 };", out);
  writer_line (w, "(void) data;");
  writer_line (w, "if (error != NULL)");
  writer_line (w, "  {");
  writer_line (w, "    f->done (NULL, error, f->done_data);");
  writer_line (w, "    return;");
  writer_line (w, "  }");
  take_outputs (g, ir, "out.");
  writer_line (w, "f->done (&out, NULL, f->done_data);");
  writer_line (w, "%s (&out);", gen_entry_name (g, flow, "out_clear"));
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

/* The frame's inputs from `source` (with names[i] as the input's name), or
 * from the parameters `names` when source is "". */
static void
set_inputs (Gen *g, IrFlow *ir, const char *source, const char *const *names)
{
  for (guint i = 0; i < ir->flow->in.n; i++)
    writer_line (g->c, "f->%s = %s%s;", gen_slot_field (g, ir->inputs[i]), source,
                 names != NULL ? names[i] : ir->flow->in.items[i]->name);
}

static void start_frame (Gen *g, IrFlow *ir);

static void
start_function (Gen *g, IrFlow *ir)
{
  Writer *w = g->c;
  const char *flow = ir->flow->decl.name;
  const char *start = gen_entry_name (g, flow, "start");

  writer_line (w, "static void");
  writer_line (w, "%s (DfRuntime *rt, const %s *in, GCancellable *cancellable,",
               gen_flow_static (g, ir->flow, "start_full"), gen_type_name (g, flow, "In"));
  writer_line (w, "     %*s %s done, gpointer done_data, gpointer stage_data)", (int) strlen (flow), "",
               gen_type_name (g, flow, "DoneFunc"));
  writer_line (w, "{");
  writer_indent (w);
  if (gen_flow_retries (ir->flow))
    gen_flow_retry_start (g, ir->flow);
  else
    start_frame (g, ir);
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);

  writer_line (w, "void");
  writer_line (w, "%s (DfRuntime *rt, const %s *in, GCancellable *cancellable,", start,
               gen_type_name (g, flow, "In"));
  writer_line (w, "%*s %s done, gpointer user_data)", (int) strlen (start) + 1, "",
               gen_type_name (g, flow, "DoneFunc"));
  writer_line (w, "{");
  writer_line (w, "  %s (rt, in, cancellable, done, user_data, user_data);",
               gen_flow_static (g, ir->flow, "start_full"));
  writer_line (w, "}");
  writer_blank (w);
}

/* The body of FLOW_start_full () for a flow without `on error retry`. */
static void
start_frame (Gen *g, IrFlow *ir)
{
  Writer *w = g->c;
  const char *frame = gen_frame_type (g, ir->flow);
  writer_line (w, "%s *f = %s (rt);", frame, gen_flow_static (g, ir->flow, "frame_new"));
  if (ir->flow->in.n == 0)
    writer_line (w, "(void) in;   /* no inputs */");
  set_inputs (g, ir, "in->", NULL);
  writer_line (w, "f->done = done;");
  writer_line (w, "f->done_data = done_data;");
  writer_line (w, "df_frame_set_user_data (&f->base, stage_data);");
  writer_line (w, "df_frame_set_done (&f->base, %s, NULL);", gen_flow_static (g, ir->flow, "frame_done"));
  writer_line (w, "df_frame_set_cancellable (&f->base, cancellable);");
  writer_line (w, "df_frame_start (&f->base);");
}

static void
run_function (Gen *g, IrFlow *ir)
{
  Writer *w = g->c;
  const char *flow = ir->flow->decl.name;
  const char *out = gen_type_name (g, flow, "Out");

  writer_line (w, "typedef struct {");
  writer_line (w, "  DfWait wait;");
  writer_line (w, "  %s *out;", out);
  writer_line (w, "  GError *error;");
  writer_line (w, "} %s;", gen_type_name (g, flow, "Run"));
  writer_blank (w);
  writer_line (w, "static void");
  writer_line (w, "%s (%s *out, const GError *error, gpointer data)",
               gen_flow_static (g, ir->flow, "run_done"), out);
  writer_line (w, "{");
  writer_line (w, "  %s *run = data;", gen_type_name (g, flow, "Run"));
  writer_line (w, "  if (error != NULL)");
  writer_line (w, "    run->error = g_error_copy (error);");
  writer_line (w, "  else");
  writer_line (w, "    {");
  writer_line (w, "      *run->out = *out;");
  writer_line (w, "      memset (out, 0, sizeof *out);   /* taken: nothing left to free */");
  writer_line (w, "    }");
  writer_line (w, "  df_wait_done (&run->wait);");
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "gboolean");
  writer_line (w, "%s (DfRuntime *rt, const %s *in, %s *out, GError **error)", gen_entry_name (g, flow, "run"),
               gen_type_name (g, flow, "In"), out);
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "%s run = { .out = out };", gen_type_name (g, flow, "Run"));
  writer_line (w, "memset (out, 0, sizeof *out);");
  writer_line (w, "df_wait_init (&run.wait);");
  writer_line (w, "%s (rt, in, NULL, %s, &run, NULL);",
               gen_flow_static (g, ir->flow, "start_full"), gen_flow_static (g, ir->flow, "run_done"));
  writer_line (w, "df_runtime_wait (rt, &run.wait);");
  writer_line (w, "df_wait_clear (&run.wait);");
  writer_line (w, "if (run.error != NULL)");
  writer_line (w, "  {");
  writer_line (w, "    g_propagate_error (error, run.error);");
  writer_line (w, "    return FALSE;");
  writer_line (w, "  }");
  writer_line (w, "return TRUE;");
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

static void
out_clear_function (Gen *g, IrFlow *ir)
{
  Writer *w = g->c;
  const AstParams *out = &ir->flow->out;
  writer_line (w, "void");
  writer_line (w, "%s (%s *out)", gen_entry_name (g, ir->flow->decl.name, "out_clear"),
               gen_type_name (g, ir->flow->decl.name, "Out"));
  writer_line (w, "{");
  writer_indent (w);
  gboolean owns = FALSE;
  for (guint i = 0; i < out->n; i++)
    owns |= types_free_fn (&out->items[i]->type) != NULL;
  if (!owns)
    writer_line (w, "(void) out;   /* no owned output */");
  for (guint i = 0; i < out->n; i++)
    {
      Sym free_fn = types_free_fn (&out->items[i]->type);
      if (free_fn != NULL)
        writer_line (w, "g_clear_pointer (&out->%s, %s);", out->items[i]->name, free_fn);
    }
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

/* When another flow calls this one: a child frame whose end completes the
 * caller's call site, outputs in the site's call struct. */
static void
child_call_functions (Gen *g, IrFlow *ir)
{
  Writer *w = g->c;
  const AstFlow *flow = ir->flow;
  const char *frame = gen_frame_type (g, flow);
  const char *call_type = gen_call_type (g, &flow->decl);
  const char *func = gen_flow_call_func (g, flow);

  writer_line (w, "static void");
  writer_line (w, "%s (DfFrame *frame, const GError *error, gpointer data)", gen_flow_call_done (g, flow));
  writer_line (w, "{");
  writer_indent (w);
  if (flow->out.n > 0)
    writer_line (w, "%s *f = (%s *) frame;", frame, frame);
  else
    writer_line (w, "(void) frame;   /* no outputs to take */");
  writer_line (w, "DfCall *call = data;");
  writer_line (w, "if (error != NULL)");
  writer_line (w, "  {");
  writer_line (w, "    df_call_fail (call, g_error_copy (error));");
  writer_line (w, "    return;");
  writer_line (w, "  }");
  writer_line (w, "if (!df_call_claim (call))");
  writer_line (w, "  return;");
  g_autofree char *target = g_strdup_printf ("((%s *) call)->", call_type);
  take_outputs (g, ir, target);
  writer_line (w, "df_call_complete_claimed (call);");
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);

  const char **names = gen_param_names (g, &flow->in, NULL);
  GString *params = g_string_new ("DfCall *call");
  for (guint i = 0; i < flow->in.n; i++)
    {
      g_autofree char *decl = gen_decl (&flow->in.items[i]->type, names[i], FALSE);
      g_string_append_printf (params, ", %s", decl);
    }
  writer_line (w, "static void");
  writer_line (w, "%s (%s)", func, params->str);
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "%s *f = %s (df_context_get_runtime (df_call_get_context (call)));",
               frame, gen_flow_static (g, flow, "frame_new"));
  set_inputs (g, ir, "", names);
  writer_line (w, "df_frame_set_user_data (&f->base, df_call_get_user_data (call));");
  writer_line (w, "df_frame_set_done (&f->base, %s, call);", gen_flow_call_done (g, flow));
  writer_line (w, "df_frame_set_cancellable (&f->base, df_call_get_cancellable (call));");
  writer_line (w, "df_frame_start (&f->base);");
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
  g_string_free (params, TRUE);
}

void
gen_flow (Gen *g, IrFlow *ir)
{
  writer_line (g->c, "/* ---- flow %s (%s:%u) ---- */", ir->flow->decl.name, program_loc_path (g->program, ir->flow->decl.loc),
               ir->flow->decl.loc.line);
  writer_blank (g->c);
  call_sites (g, ir);
  for (guint t = 0; t < ir->n_threads; t++)
    gen_thread (g, ir, t);
  step_function (g, ir);
  finalize_function (g, ir);
  frame_new (g, ir);
  out_clear_function (g, ir);
  if (g_hash_table_contains (g->called, ir->flow))
    child_call_functions (g, ir);
  if (gen_flow_retries (ir->flow))
    gen_flow_retry (g, ir->flow);
  else
    done_function (g, ir);
  start_function (g, ir);
  run_function (g, ir);
}
