/* graph-check.c — see graph-check.h. */
#include "graph-check.h"
#include "runtime-wait.h"

static void
graph_done (DfGraph *graph, const GError *error, gpointer data)
{
  GraphResult *r = data;
  g_assert_false (r->done);
  r->done = TRUE;
  r->error = error ? g_error_copy (error) : NULL;
}

void
graph_run (DfGraph *graph, GraphResult *result, double seconds)
{
  df_graph_start (graph, graph_done, result);
  /* The graph keeps df_runtime_run () going until it ends. */
  runtime_run_or_fail (df_graph_get_runtime (graph), seconds);
  if (!result->done)
    g_error ("graph '%s' did not end", df_graph_get_name (graph));
}

void
graph_result_clear (GraphResult *result)
{
  g_clear_error (&result->error);
  result->done = FALSE;
}

void
graph_assert_accounting (DfGraph *graph)
{
  for (guint i = 0; i < df_graph_get_n_nodes (graph); i++)
    {
      DfGraphNodeStats s;
      df_graph_get_node_stats (graph, i, &s);
      if (s.in != s.ok + s.err + s.dropped)
        g_test_fail_printf ("graph %s, node %s: in %" G_GINT64_FORMAT " != ok %" G_GINT64_FORMAT
                            " + err %" G_GINT64_FORMAT " + dropped %" G_GINT64_FORMAT,
                            df_graph_get_name (graph), s.name, s.in, s.ok, s.err, s.dropped);
      g_assert_cmpint (s.queued, ==, 0);
      g_assert_cmpint (s.in_flight, ==, 0);
      g_assert_cmpint (s.queue_max, <=, s.queue_size);
    }
}

DfGraphNodeStats
graph_node_stats (DfGraph *graph, const char *name)
{
  DfGraphNodeStats s = { 0 };
  gint i = df_graph_find_node (graph, name);
  if (i < 0)
    g_error ("graph '%s' has no node '%s'", df_graph_get_name (graph), name);
  df_graph_get_node_stats (graph, (guint) i, &s);
  return s;
}
