/* gen-graph-main.c — what main () does for `run GRAPH;`.
 *
 * The graph's unbound inputs are command-line options like a flow's
 * (gen-main.c).  Each run makes its graph with GRAPH_new (), sets the
 * delivery mode (--mode), periodic statistics (--stats-interval) and
 * drain-on-stop, and starts it; `restart on failure` puts it under a
 * DfSupervisor as for flows.  The first SIGINT/SIGTERM
 * (df_runtime_cancel_all (), the default signal action) drains every
 * graph: start nodes stop, queued work finishes, the graph ends normally
 * and main says what was left; flows are cancelled as before, and a
 * second signal exits at once.  At the end --stats prints each graph's
 * table (df_graph_format_stats ()).  Exit status 1 when a run failed or
 * halted, for a supervised run also when its last run halted and a signal
 * stopped the supervisor during the back-off, and when a run ended but a
 * start node's invocation failed (its input was lost).
 */
#include "gen.h"

static gboolean
main_runs (Gen *g, DeclKind kind)
{
  AstFile *file = g->program->file;
  if (file->n_mains == 0)
    return FALSE;
  for (guint r = 0; r < file->mains[0]->n_runs; r++)
    if (file->mains[0]->runs[r]->decl->kind == kind)
      return TRUE;
  return FALSE;
}

gboolean
gen_main_runs_graphs (Gen *g)
{
  return main_runs (g, DECL_GRAPH);
}

gboolean
gen_main_runs_flows (Gen *g)
{
  return main_runs (g, DECL_FLOW);
}

void
gen_graph_main_helpers (Gen *g)
{
  Writer *w = g->c;
  if (!gen_main_runs_graphs (g))
    return;
  writer_line (w, "static DfGraphMode main_graph_mode;");
  writer_line (w, "static GTimeSpan main_stats_interval;");
  writer_blank (w);
  writer_line (w, "/* A graph of a run, before it starts: --mode, --stats-interval,");
  writer_line (w, " * and the first signal drains it (df_runtime_cancel_all ()). */");
  writer_line (w, "static void");
  writer_line (w, "main_graph_setup (DfGraph *graph)");
  writer_line (w, "{");
  gen_scale_main_graph_setup (g);
  writer_line (w, "  df_graph_set_mode (graph, main_graph_mode);");
  writer_line (w, "  df_graph_set_drain_on_stop (graph, TRUE);");
  if (g->program->file->mains[0]->user_data != NULL)
    writer_line (w, "  df_graph_set_user_data (graph, main_user_data);");
  writer_line (w, "  if (main_stats_interval > 0)");
  writer_line (w, "    df_graph_set_stats_interval (graph, main_stats_interval, NULL, NULL);");
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "/* Keeps the message of a node's errors, oldest first: the last wins. */");
  writer_line (w, "static void");
  writer_line (w, "main_graph_last_error (guint node, gint64 time, const GError *error, gpointer data)");
  writer_line (w, "{");
  writer_line (w, "  (void) node;");
  writer_line (w, "  (void) time;");
  writer_line (w, "  g_free (*(char **) data);");
  writer_line (w, "  *(char **) data = g_strdup (error->message);");
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "/* A start node's failed invocation lost the input it was made from (a");
  writer_line (w, " * file that cannot be read): the run has failed, even though the graph");
  writer_line (w, " * went on under `on error skip`.  Items skipped at other nodes are their");
  writer_line (w, " * policy's, and logged: they do not change the exit status. */");
  writer_line (w, "static void");
  writer_line (w, "main_graph_check_start_nodes (const char *run, DfGraph *graph)");
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "for (guint i = 0; i < df_graph_get_n_nodes (graph); i++)");
  writer_line (w, "  {");
  writer_line (w, "    DfGraphNodeStats s;");
  writer_line (w, "    df_graph_get_node_stats (graph, i, &s);");
  writer_line (w, "    if (!df_graph_node_is_start (graph, i) || s.err == 0)");
  writer_line (w, "      continue;");
  writer_line (w, "    g_autofree char *last = NULL;");
  writer_line (w, "    df_graph_foreach_error (graph, i, main_graph_last_error, &last);");
  writer_line (w, "    g_printerr (\"%%s: start node '%%s' failed (%%\" G_GINT64_FORMAT \" of %%\" G_GINT64_FORMAT");
  writer_line (w, "                \" invocations); its input was lost: %%s\\n\", run, s.name, s.err, s.in,");
  writer_line (w, "                last != NULL ? last : \"(no error kept)\");");
  writer_line (w, "    main_failures++;");
  writer_line (w, "  }");
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "/* A graph run ended.  After a signal it was drained: say what was left. */");
  writer_line (w, "static void");
  writer_line (w, "main_graph_ended (const char *run, DfGraph *graph, const GError *error, gboolean supervised)");
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "if (error == NULL && df_runtime_is_stopping (main_runtime))");
  writer_line (w, "  {");
  writer_line (w, "    gint64 dropped = 0;");
  writer_line (w, "    for (guint i = 0; i < df_graph_get_n_nodes (graph); i++)");
  writer_line (w, "      {");
  writer_line (w, "        DfGraphNodeStats s;");
  writer_line (w, "        df_graph_get_node_stats (graph, i, &s);");
  writer_line (w, "        dropped += s.dropped;");
  writer_line (w, "      }");
  writer_line (w, "    g_printerr (\"%%s: drained: the queued work finished; %%\" G_GINT64_FORMAT");
  writer_line (w, "                \" input(s) dropped\\n\", run, dropped);");
  writer_line (w, "  }");
  writer_line (w, "if (error != NULL && !supervised)");
  writer_line (w, "  main_report (run, error);");
  writer_line (w, "if (error == NULL)");
  writer_line (w, "  main_graph_check_start_nodes (run, graph);");
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

void
gen_graph_run_functions (Gen *g, const AstRun *run, guint r)
{
  Writer *w = g->c;
  const AstGraph *graph = (const AstGraph *) run->decl;

  writer_line (w, "/* %s:%u: run %s */", program_loc_path (g->program, run->loc), run->loc.line, graph->decl.name);
  writer_line (w, "static %s run%u_in;", gen_type_name (g, graph->decl.name, "In"), r);
  writer_line (w, "static DfGraph *run%u_graph;", r);
  if (run->restart)
    {
      writer_line (w, "static DfSupervisor *run%u_supervisor;", r);
      writer_line (w, "static gboolean run%u_last_failed;", r);
    }
  writer_blank (w);
  writer_line (w, "static void");
  writer_line (w, "run%u_done (DfGraph *graph, const GError *error, gpointer data)", r);
  writer_line (w, "{");
  writer_line (w, "  (void) data;");
  writer_line (w, "  main_graph_ended (\"%s\", graph, error, %s);", graph->decl.name,
               run->restart ? "TRUE" : "FALSE");
  if (run->restart)
    {
      writer_line (w, "  run%u_last_failed = error != NULL;", r);
      writer_line (w, "  df_supervisor_run_finished (run%u_supervisor, error);", r);
    }
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "static void");
  writer_line (w, "run%u_start (DfSupervisor *supervisor, gpointer data)", r);
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "GError *error = NULL;");
  writer_line (w, "(void) supervisor;");
  writer_line (w, "g_clear_pointer (&run%u_graph, df_graph_unref);   /* the last run's */", r);
  writer_line (w, "run%u_graph = %s (data, &run%u_in, &error);", r, gen_entry_name (g, graph->decl.name, "new"), r);
  writer_line (w, "if (run%u_graph == NULL)", r);
  writer_line (w, "  {");
  writer_line (w, "    main_report (\"%s\", error);", graph->decl.name);
  if (run->restart)
    writer_line (w, "    df_supervisor_run_finished (run%u_supervisor, error);", r);
  writer_line (w, "    g_error_free (error);");
  writer_line (w, "    return;");
  writer_line (w, "  }");
  writer_line (w, "main_graph_setup (run%u_graph);", r);
  writer_line (w, "df_graph_start (run%u_graph, run%u_done, NULL);", r, r);
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

void
gen_graph_main_setup (Gen *g)
{
  Writer *w = g->c;
  if (!gen_main_runs_graphs (g))
    return;
  writer_line (w, "main_graph_mode = standard.mode == DF_MODE_SYNC ? DF_GRAPH_SYNC : DF_GRAPH_ASYNC;");
  writer_line (w, "main_stats_interval = standard.stats_interval;");
}

void
gen_graph_main_finish (Gen *g)
{
  Writer *w = g->c;
  const AstMain *main_ = g->program->file->mains[0];
  for (guint r = 0; r < main_->n_runs; r++)
    {
      if (main_->runs[r]->decl->kind != DECL_GRAPH)
        continue;
      if (main_->runs[r]->restart)
        {
          writer_line (w, "/* The last run failed: so did the program, also when a signal then");
          writer_line (w, " * stopped the supervisor during its back-off. */");
          writer_line (w, "if (run%u_last_failed)", r);
          writer_line (w, "  main_failures++;");
        }
      writer_line (w, "if (standard.stats && run%u_graph != NULL)", r);
      writer_line (w, "  {");
      writer_line (w, "    g_autofree char *stats = df_graph_format_stats (run%u_graph);", r);
      writer_line (w, "    g_printerr (\"%%s\", stats);");
      writer_line (w, "  }");
      writer_line (w, "g_clear_pointer (&run%u_graph, df_graph_unref);", r);
    }
}
