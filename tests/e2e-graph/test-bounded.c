/* test-bounded.c — bounded.df: 10,000,000 items from a blocking source
 * into a slower sink through `queue 100`; the queue never holds more than
 * 100 items, and every item arrives (sum checked).  DF_BOUNDED_ITEMS in
 * the environment changes the count. */
#include <stdlib.h>

#include "bounded.h"
#include "graph-check.h"

static gint64 sum, count;

gboolean
firehose (DfContext *ctx, gint64 n, GError **error)
{
  for (gint64 i = 0; i < n; i++)
    firehose_emit (ctx, i);
  return TRUE;
}

gboolean
slow_sink (DfContext *ctx, gint64 v, GError **error)
{
  volatile guint64 x = (guint64) v;
  for (int k = 0; k < 20; k++)
    x = x * 31 + k;
  sum += v;
  count++;
  return TRUE;
}

static void
test_bounded (void)
{
  const char *env = g_getenv ("DF_BOUNDED_ITEMS");
  gint64 n = env ? g_ascii_strtoll (env, NULL, 10) : 10000000;
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  BoundedIn in = { .n = n };
  GraphResult r = { 0 };
  DfRuntimeCounters c;

  g_autoptr (DfGraph) g = bounded_new (rt, &in, NULL);
  gint64 start = g_get_monotonic_time ();
  graph_run (g, &r, 280);
  g_assert_no_error (r.error);
  g_test_message ("%" G_GINT64_FORMAT " items in %.2fs", n,
                  (g_get_monotonic_time () - start) / 1e6);
  DfGraphNodeStats s = graph_node_stats (g, "sink");
  g_assert_cmpint (s.in, ==, n);
  g_assert_cmpint (s.ok, ==, n);
  g_assert_cmpint (s.queue_size, ==, 100);
  g_assert_cmpint (s.queue_max, <=, 100);
  g_assert_cmpint (s.queue_max, >=, 50);   /* it did fill up */
  g_assert_cmpint (count, ==, n);
  g_assert_cmpint (sum, ==, n * (n - 1) / 2);
  graph_assert_accounting (g);
  /* Batched: far fewer dispatches than items. */
  df_runtime_get_counters (rt, &c);
  g_assert_cmpuint (c.ready_dispatches, <, (guint64) n / 10);
}

int
main (int argc, char **argv)
{
  gt_init (&argc, &argv);
  g_test_add_func ("/graph/memory-bounded", test_bounded);
  return g_test_run ();
}
