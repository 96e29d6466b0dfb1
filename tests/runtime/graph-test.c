/* graph-test.c — see graph-test.h. */
#include "graph-test.h"

gint test_str_allocs;
gint test_str_frees;

char *
test_str_new (const char *fmt, ...)
{
  va_list args;

  va_start (args, fmt);
  char *s = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_atomic_int_inc (&test_str_allocs);
  return s;
}

char *
test_str_copy (const char *s)
{
  if (s == NULL)
    return NULL;
  g_atomic_int_inc (&test_str_allocs);
  return g_strdup (s);
}

void
test_str_free (char *s)
{
  if (s == NULL)
    return;
  g_atomic_int_inc (&test_str_frees);
  g_free (s);
}

void
test_str_reset (void)
{
  g_atomic_int_set (&test_str_allocs, 0);
  g_atomic_int_set (&test_str_frees, 0);
}

void
test_str_assert_balanced (void)
{
  g_assert_cmpint (g_atomic_int_get (&test_str_allocs), ==, g_atomic_int_get (&test_str_frees));
}

void
int_emit (DfContext *ctx, gint64 v)
{
  IntItem item = { v };
  df_graph_emit (ctx, &item);
}

void
str_emit (DfContext *ctx, char *s)
{
  StrItem item = { s };
  df_graph_emit (ctx, &item);
}

void
str_item_free (gpointer item)
{
  test_str_free (((StrItem *) item)->s);
}

void
str_edge_copy (gpointer src, gpointer dst)
{
  ((StrItem *) dst)->s = test_str_copy (((StrItem *) src)->s);
}

void
str_edge_move (gpointer src, gpointer dst)
{
  ((StrItem *) dst)->s = g_steal_pointer (&((StrItem *) src)->s);
}

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
  /* The graph keeps df_runtime_run() going until it ends. */
  test_run (df_graph_get_runtime (graph), seconds);
  g_assert_true (result->done);
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
        g_test_fail_printf ("node %s: in %" G_GINT64_FORMAT " != ok %" G_GINT64_FORMAT
                            " + err %" G_GINT64_FORMAT " + dropped %" G_GINT64_FORMAT,
                            s.name, s.in, s.ok, s.err, s.dropped);
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

  g_assert_cmpint (i, >=, 0);
  df_graph_get_node_stats (graph, (guint) i, &s);
  return s;
}
