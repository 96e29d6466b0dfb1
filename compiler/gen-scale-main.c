/* gen-scale-main.c — what main () adds when a graph it runs has remote
 * nodes (docs/scale-out.md).
 *
 * Three options beside the program's inputs: --nodes=A,B (the nodes this
 * process runs; all by default), --redis=HOST:PORT (the broker, default
 * 127.0.0.1:6379) and --metrics=HOST:PORT (serve the node counters).
 * main () connects to the broker, and every graph it makes gets the
 * Redis transport, the nodes to run here and the metrics endpoint before
 * it starts (main_graph_setup ()).  A broker that cannot be reached ends
 * the graphs with its error (exit status 1); a bad address or node name is
 * bad usage (status 2).  The program links dfscale.
 */
#include "gen.h"

gboolean
gen_main_runs_remote (Gen *g)
{
  AstFile *file = g->program->file;

  if (file->n_mains == 0)
    return FALSE;
  for (guint r = 0; r < file->mains[0]->n_runs; r++)
    {
      const AstRun *run = file->mains[0]->runs[r];
      if (run->decl->kind != DECL_GRAPH)
        continue;
      const AstGraph *graph = (const AstGraph *) run->decl;
      for (guint n = 0; n < graph->n_all_nodes; n++)
        if (graph->all_nodes[n]->remote)
          return TRUE;
    }
  return FALSE;
}

void
gen_scale_main_includes (Gen *g)
{
  if (!gen_main_runs_remote (g))
    return;
  writer_line (g->c, "#include <dfscale-graph.h>");
  writer_line (g->c, "#include <dfscale-metrics.h>");
}

void
gen_scale_main_options (Gen *g)
{
  Writer *w = g->c;

  if (!gen_main_runs_remote (g))
    return;
  writer_line (w, "{ .name = \"nodes\", .type = DF_OPTION_STRING, .value = &main_scale_nodes, "
                  ".arg = \"A,B\", .description = \"the nodes this process runs (default: all)\" },");
  writer_line (w, "{ .name = \"redis\", .type = DF_OPTION_STRING, .value = &main_scale_redis, "
                  ".arg = \"HOST:PORT\", .description = \"the Redis server of the remote nodes' "
                  "streams\" },");
  writer_line (w, "{ .name = \"metrics\", .type = DF_OPTION_STRING, .value = &main_scale_metrics, "
                  ".arg = \"HOST:PORT\", .description = \"serve the node counters at "
                  "/metrics (Prometheus) and /metrics.json\" },");
}

/* The globals the options fill and main_graph_setup () reads. */
void
gen_scale_main_helpers (Gen *g)
{
  Writer *w = g->c;

  if (!gen_main_runs_remote (g))
    return;
  writer_line (w, "static const char *main_scale_nodes;");
  writer_line (w, "static const char *main_scale_redis = \"127.0.0.1:6379\";");
  writer_line (w, "static const char *main_scale_metrics;");
  writer_line (w, "static DfRedis *main_redis;");
  writer_line (w, "static DfScaleTransport *main_transport;");
  writer_line (w, "static DfScaleMetrics *main_metrics;");
  writer_line (w, "static char **main_local_nodes;   /* NULL: all */");
  writer_blank (w);
  writer_line (w, "/* --redis, --nodes, --metrics: the broker, the nodes run here, the");
  writer_line (w, " * endpoint.  Bad usage exits 2. */");
  writer_line (w, "static void");
  writer_line (w, "main_scale_start (void)");
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "g_autoptr (GError) error = NULL;");
  writer_line (w, "g_autofree char *host = NULL;");
  writer_line (w, "guint16 port = 0;");
  writer_line (w, "if (!df_redis_parse_address (main_scale_redis, &host, &port, &error))");
  writer_line (w, "  {");
  writer_line (w, "    g_printerr (\"%%s: --redis: %%s\\n\", g_get_prgname (), error->message);");
  writer_line (w, "    exit (DF_EXIT_USAGE);");
  writer_line (w, "  }");
  writer_line (w, "main_redis = df_redis_connect (NULL, host, port, NULL, NULL);");
  writer_line (w, "/* This process, in every remote node's consumer group. */");
  writer_line (w, "g_autofree char *consumer = g_strdup_printf (\"%%s:%%d\", g_get_host_name (), (int) getpid ());");
  writer_line (w, "main_transport = df_scale_transport_new (main_redis, \"dfc\", consumer);");
  writer_line (w, "if (main_scale_nodes != NULL)");
  writer_line (w, "  main_local_nodes = g_strsplit (main_scale_nodes, \",\", -1);");
  writer_line (w, "if (main_scale_metrics != NULL)");
  writer_line (w, "  {");
  writer_line (w, "    main_metrics = df_scale_metrics_new (NULL, main_scale_metrics, &error);");
  writer_line (w, "    if (main_metrics == NULL)");
  writer_line (w, "      {");
  writer_line (w, "        g_printerr (\"%%s: --metrics: %%s\\n\", g_get_prgname (), error->message);");
  writer_line (w, "        exit (DF_EXIT_USAGE);");
  writer_line (w, "      }");
  writer_line (w, "  }");
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

/* In main_graph_setup (): the graph's remote nodes, before it starts. */
void
gen_scale_main_graph_setup (Gen *g)
{
  Writer *w = g->c;

  if (!gen_main_runs_remote (g))
    return;
  writer_line (w, "  g_autoptr (GError) error = NULL;");
  writer_line (w, "  df_scale_transport_attach (main_transport, graph);");
  writer_line (w, "  if (!df_graph_set_local_nodes (graph, (const char *const *) main_local_nodes, &error))");
  writer_line (w, "    {");
  writer_line (w, "      g_printerr (\"%%s: --nodes: %%s\\n\", g_get_prgname (), error->message);");
  writer_line (w, "      exit (DF_EXIT_USAGE);");
  writer_line (w, "    }");
  writer_line (w, "  if (main_metrics != NULL)");
  writer_line (w, "    df_scale_metrics_add_graph (main_metrics, graph);");
}

void
gen_scale_main_start (Gen *g)
{
  if (gen_main_runs_remote (g))
    writer_line (g->c, "main_scale_start ();");
}

/* After the runtime has run: the acknowledgements still out, then the
 * connections. */
void
gen_scale_main_finish (Gen *g)
{
  Writer *w = g->c;

  if (!gen_main_runs_remote (g))
    return;
  writer_line (w, "while (df_redis_pending (main_redis) > 0)");
  writer_line (w, "  g_main_context_iteration (NULL, TRUE);");
  writer_line (w, "g_clear_pointer (&main_metrics, df_scale_metrics_free);");
  writer_line (w, "g_clear_pointer (&main_transport, df_scale_transport_free);");
  writer_line (w, "g_clear_pointer (&main_redis, df_redis_free);");
  writer_line (w, "g_clear_pointer (&main_local_nodes, g_strfreev);");
}
