/* gen-flow-retry.c — `on error retry N [backoff A..B]` on a flow.
 *
 * A failure anywhere in a flow may leave other branches running, so a
 * retry cannot reuse the failed frame.  The flow's entry points start a
 * small wrapper frame instead, which runs the flow itself as a child (the
 * way one flow calls another, call_FLOW) and, after each failure that is
 * not a cancellation, waits out the back-off and starts a fresh child.
 */
#include "gen.h"

gboolean
gen_flow_retries (const AstFlow *flow)
{
  return flow->on_error.kind == ON_ERROR_RETRY && flow->on_error.retry.count > 0;
}

static const char *
retry_type (Gen *g, const AstFlow *flow)
{
  return gen_type_name (g, flow->decl.name, "RetryFrame");
}

static char *
retry_delay (const AstRetry *retry)
{
  if (!retry->has_backoff)
    return g_strdup ("0");
  return g_strdup_printf ("MIN (G_GINT64_CONSTANT (%" G_GINT64_FORMAT "), "
                          "G_GINT64_CONSTANT (%" G_GINT64_FORMAT ") << MIN (r->tries - 1, 30))",
                          retry->backoff_max_us, retry->backoff_min_us);
}

static void
retry_struct (Gen *g, const AstFlow *flow)
{
  Writer *w = g->c;
  const char *name = flow->decl.name;
  writer_line (w, "typedef struct {");
  writer_indent (w);
  writer_line (w, "DfFrame base;");
  writer_line (w, "%s in;", gen_type_name (g, name, "In"));
  writer_line (w, "%s body;   /* the flow itself, run as a child */", gen_call_type (g, &flow->decl));
  writer_line (w, "guint tries;");
  writer_line (w, "guint pc;");
  writer_line (w, "%s done;", gen_type_name (g, name, "DoneFunc"));
  writer_line (w, "gpointer done_data;");
  writer_dedent (w);
  writer_line (w, "} %s;", retry_type (g, flow));
  writer_blank (w);
  gboolean discard = gen_has_discard (&flow->decl);
  writer_line (w, "static const DfCallSite %s = { .stage = \"%s\"%s%s };",
               gen_flow_static (g, flow, "retry_site"), name, discard ? ", .discard = " : "",
               discard ? gen_discard_name (g, &flow->decl) : "");
  writer_blank (w);
}

static void
retry_step (Gen *g, const AstFlow *flow)
{
  Writer *w = g->c;
  const char *type = retry_type (g, flow);
  g_autofree char *delay = retry_delay (&flow->on_error.retry);
  GString *args = g_string_new ("&r->body.call");
  for (guint i = 0; i < flow->in.n; i++)
    g_string_append_printf (args, ", r->in.%s", flow->in.items[i]->name);

  writer_line (w, "static void");
  writer_line (w, "%s (DfFrame *frame, DfCall *resumed)", gen_flow_static (g, flow, "retry_step"));
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "%s *r = (%s *) frame;", type, type);
  writer_line (w, "GError *error = NULL;");
  writer_line (w, "(void) resumed;");
  writer_line (w, "switch (r->pc)");
  writer_line (w, "  {");
  writer_line (w, "  case 0:");
  writer_line (w, "  attempt:");
  writer_line (w, "    r->pc = 1;");
  writer_line (w, "    df_call_begin (&r->body.call);");
  writer_line (w, "    %s (%s);", gen_flow_call_func (g, flow), args->str);
  writer_line (w, "    if (!df_call_end_inline (&r->body.call))");
  writer_line (w, "      return;");
  writer_line (w, "    G_GNUC_FALLTHROUGH;");
  writer_line (w, "  case 1:");
  writer_line (w, "    if ((error = df_call_take_error (&r->body.call)) != NULL)");
  writer_line (w, "      {");
  writer_line (w, "        if (r->tries < %" G_GINT64_FORMAT " && !g_error_matches (error, DF_ERROR, DF_ERROR_CANCELLED))",
               flow->on_error.retry.count);
  writer_line (w, "          {");
  writer_line (w, "            r->tries++;");
  writer_line (w, "            df_call_log_retry (&r->body.call, error, r->tries, %" G_GINT64_FORMAT ", %s);",
               flow->on_error.retry.count, delay);
  writer_line (w, "            g_clear_error (&error);");
  writer_line (w, "            r->pc = 2;");
  writer_line (w, "            df_call_sleep (&r->body.call, %s);", delay);
  writer_line (w, "            return;");
  writer_line (w, "          }");
  writer_line (w, "        df_frame_fail (frame, error);");
  writer_line (w, "        return;");
  writer_line (w, "      }");
  writer_line (w, "    df_frame_return (frame);");
  writer_line (w, "    return;");
  writer_line (w, "  case 2:");
  writer_line (w, "    goto attempt;");
  writer_line (w, "  }");
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
  g_string_free (args, TRUE);
}

static void
retry_done (Gen *g, const AstFlow *flow)
{
  Writer *w = g->c;
  const char *name = flow->decl.name;
  const char *type = retry_type (g, flow);
  writer_line (w, "static void");
  writer_line (w, "%s (DfFrame *frame, const GError *error, gpointer data)",
               gen_flow_static (g, flow, "retry_done"));
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "%s *r = (%s *) frame;", type, type);
  writer_line (w, "%s out = { 0 };", gen_type_name (g, name, "Out"));
  writer_line (w, "(void) data;");
  writer_line (w, "if (error != NULL)");
  writer_line (w, "  {");
  writer_line (w, "    r->done (NULL, error, r->done_data);");
  writer_line (w, "    return;");
  writer_line (w, "  }");
  for (guint i = 0; i < flow->out.n; i++)
    {
      const char *field = flow->out.items[i]->name;
      if (types_free_fn (&flow->out.items[i]->type) != NULL)
        writer_line (w, "out.%s = g_steal_pointer (&r->body.%s);", field, field);
      else
        writer_line (w, "out.%s = r->body.%s;", field, field);
    }
  writer_line (w, "r->done (&out, NULL, r->done_data);");
  writer_line (w, "%s (&out);", gen_entry_name (g, name, "out_clear"));
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

void
gen_flow_retry (Gen *g, const AstFlow *flow)
{
  const char *name = flow->decl.name;
  Writer *w = g->c;
  retry_struct (g, flow);
  retry_step (g, flow);
  if (gen_has_discard (&flow->decl))
    {
      writer_line (w, "static void");
      writer_line (w, "%s (DfFrame *frame)", gen_flow_static (g, flow, "retry_finalize"));
      writer_line (w, "{");
      writer_line (w, "  %s (&((%s *) frame)->body.call);", gen_discard_name (g, &flow->decl), retry_type (g, flow));
      writer_line (w, "}");
      writer_blank (w);
    }
  writer_line (w, "static const DfFrameClass %s = {", gen_flow_static (g, flow, "retry_class"));
  writer_line (w, "  .name = \"%s\",", name);
  writer_line (w, "  .size = sizeof (%s),", retry_type (g, flow));
  writer_line (w, "  .step = %s,", gen_flow_static (g, flow, "retry_step"));
  if (gen_has_discard (&flow->decl))
    writer_line (w, "  .finalize = %s,", gen_flow_static (g, flow, "retry_finalize"));
  writer_line (w, "};");
  writer_blank (w);
  retry_done (g, flow);
}

void
gen_flow_retry_start (Gen *g, const AstFlow *flow)
{
  Writer *w = g->c;
  const char *type = retry_type (g, flow);
  writer_line (w, "%s *r = (%s *) df_frame_new (rt, &%s);",
               type, type, gen_flow_static (g, flow, "retry_class"));
  writer_line (w, "r->in = *in;");
  writer_line (w, "df_call_init (&r->body.call, &r->base, &%s, 0);", gen_flow_static (g, flow, "retry_site"));
  writer_line (w, "r->done = done;");
  writer_line (w, "r->done_data = done_data;");
  writer_line (w, "df_frame_set_user_data (&r->base, stage_data);");
  writer_line (w, "df_frame_set_done (&r->base, %s, NULL);", gen_flow_static (g, flow, "retry_done"));
  writer_line (w, "df_frame_set_cancellable (&r->base, cancellable);");
  writer_line (w, "df_frame_start (&r->base);");
}
