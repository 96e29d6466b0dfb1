/* test-policy.c — policy.df: `halt after N` below and at its threshold, a
 * success resetting the count, retries counting once per item, and the
 * failure log (its lines, and df_graph_set_quiet ()).  Both graph modes;
 * every run checks in == ok + err + dropped at every node and that every
 * row string was freed exactly once. */
#include <string.h>

#include "policy.h"
#include "graph-check.h"

typedef struct {
  GArray *seen;       /* int: what reached the sink */
  guint   attempts[64];
} T;

static T *
t_of (DfContext *ctx)
{
  return df_context_get_user_data (ctx);
}

/* ------------------------------------------------------------------ stages */

gboolean
rows (DfContext *ctx, const char *pattern, GError **error)
{
  for (int i = 0; pattern[i] != '\0'; i++)
    rows_emit (ctx, str_new ("row %d", i), i);
  return TRUE;
}

gboolean
parse (DfContext *ctx, char *row, int i, const char *pattern, int *i_, GError **error)
{
  guint attempt = t_of (ctx)->attempts[i]++;
  if (pattern[i] == 'x' || (pattern[i] == 'r' && attempt == 0))
    {
      g_set_error (error, GT_ERROR, 1, "parse failed on %s", row);
      return FALSE;
    }
  *i_ = i;
  return TRUE;
}

gboolean
sink (DfContext *ctx, int i, GError **error)
{
  g_array_append_val (t_of (ctx)->seen, i);
  return TRUE;
}

/* ------------------------------------------------------------------- runs */

/* Runs @graph with a fresh T; returns the graph's error (or NULL). */
static GError *
run (DfGraph *graph, T *t, DfGraphMode mode)
{
  GraphResult r = { 0 };
  memset (t, 0, sizeof *t);
  t->seen = g_array_new (FALSE, FALSE, sizeof (int));
  df_graph_set_mode (graph, mode);
  df_graph_set_user_data (graph, t);
  graph_run (graph, &r, 30);
  graph_assert_accounting (graph);
  strs_assert_balanced ();
  return r.error;
}

static void
assert_seen (T *t, const char *expected)
{
  GString *s = g_string_new (NULL);
  for (guint k = 0; k < t->seen->len; k++)
    g_string_append_printf (s, "%s%d", k ? " " : "", g_array_index (t->seen, int, k));
  g_assert_cmpstr (s->str, ==, expected);
  g_string_free (s, TRUE);
  g_array_unref (t->seen);
}

/* Two failures in a row, never three: every failure is skipped. */
static void
test_below (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  ThresholdIn in = { .pattern = "..xx..xx.x.." };
  T t;

  strs_reset ();
  g_autoptr (DfGraph) g = threshold_new (rt, &in, NULL);
  df_graph_set_quiet (g, TRUE);
  GError *error = run (g, &t, GPOINTER_TO_INT (data));
  g_assert_no_error (error);
  DfGraphNodeStats s = graph_node_stats (g, "p");
  g_assert_cmpint (s.in, ==, 12);
  g_assert_cmpint (s.ok, ==, 7);
  g_assert_cmpint (s.err, ==, 5);
  g_assert_cmpint (graph_node_stats (g, "sink").in, ==, 7);
  assert_seen (&t, "0 1 4 5 8 10 11");
}

/* The third failure in a row halts, with the reason. */
static void
test_halt (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  ThresholdIn in = { .pattern = "..x.xxx....." };
  T t;

  strs_reset ();
  g_autoptr (DfGraph) g = threshold_new (rt, &in, NULL);
  df_graph_set_quiet (g, TRUE);
  g_autoptr (GError) error = run (g, &t, GPOINTER_TO_INT (data));
  g_assert_error (error, DF_ERROR, DF_ERROR_HALTED);
  g_assert_cmpstr (error->message, ==, "graph 'threshold' halted: node 'p' failed: "
                   "3 times in a row; last error: parse failed on row 6");
  DfGraphNodeStats s = graph_node_stats (g, "p");
  g_assert_cmpint (s.ok, ==, 3);
  g_assert_cmpint (s.err, ==, 4);
  g_assert_cmpint (s.dropped, ==, s.in - 7);   /* the rows after the halt */
  if (GPOINTER_TO_INT (data) == DF_GRAPH_SYNC)
    assert_seen (&t, "0 1 3");   /* depth-first: delivered before the halt */
  else
    g_array_unref (t.seen);
}

/* Retries: an item counts once, after its last attempt; an item that
 * succeeds on a retry resets the count. */
static void
test_retries (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  RetriedIn in = { .pattern = "x.xrx" };
  T t;

  strs_reset ();
  g_autoptr (DfGraph) g = retried_new (rt, &in, NULL);
  df_graph_set_quiet (g, TRUE);
  GError *error = run (g, &t, GPOINTER_TO_INT (data));
  g_assert_no_error (error);
  DfGraphNodeStats s = graph_node_stats (g, "p");
  g_assert_cmpint (s.in, ==, 5);
  g_assert_cmpint (s.ok, ==, 2);
  g_assert_cmpint (s.err, ==, 3);
  g_assert_cmpint (s.retries, ==, 7);
  assert_seen (&t, "1 3");
}

/* The log, in a subprocess whose stderr the test reads. */
static void
test_log (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
      RetriedIn in = { .pattern = ".x" };
      T t;
      g_autoptr (DfGraph) g = retried_new (rt, &in, NULL);
      g_autoptr (GError) error = run (g, &t, DF_GRAPH_SYNC);
      g_assert_no_error (error);
      g_array_unref (t.seen);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*graph 'retried': node 'p' failed, retry 1 of 2: parse failed on row 1\n"
                             "*graph 'retried': node 'p' failed, retry 2 of 2: parse failed on row 1\n"
                             "*graph 'retried': node 'p' failed, skipped (1 of 2 in a row halt the graph): "
                             "parse failed on row 1\n");
}

static void
test_quiet (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
      RetriedIn in = { .pattern = ".x" };
      T t;
      g_autoptr (DfGraph) g = retried_new (rt, &in, NULL);
      df_graph_set_quiet (g, TRUE);
      g_autoptr (GError) error = run (g, &t, DF_GRAPH_ASYNC);
      g_assert_no_error (error);
      g_array_unref (t.seen);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*failed*");
}

int
main (int argc, char **argv)
{
  gt_init (&argc, &argv);
  static const struct { const char *name; GTestDataFunc func; } tests[] = {
    { "below", test_below },
    { "halt", test_halt },
    { "retries", test_retries },
  };
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    for (int mode = DF_GRAPH_ASYNC; mode <= DF_GRAPH_SYNC; mode++)
      {
        g_autofree char *path = g_strdup_printf ("/policy/threshold/%s/%s", tests[i].name,
                                                 mode == DF_GRAPH_SYNC ? "sync" : "async");
        g_test_add_data_func (path, GINT_TO_POINTER (mode), tests[i].func);
      }
  g_test_add_func ("/policy/log/lines", test_log);
  g_test_add_func ("/policy/log/quiet", test_quiet);
  return g_test_run ();
}
