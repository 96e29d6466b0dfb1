/* test-jobs.c — jobs.df: a blocking middle node that runs several queued
 * inputs per worker job in async mode.  Each input is its own call: a
 * skipped failure drops that input alone, a retried one is retried alone
 * (the inputs after it in the job run once it is over), a halt drops the
 * rest of the job.  Sync mode runs the same graphs, one input per call.
 * Every run checks in == ok + err + dropped at every node and that every
 * string was freed exactly once. */
#include <string.h>

#include "jobs.h"
#include "graph-check.h"

#define N 2000

typedef struct {
  GMutex  lock;
  GArray *seen;            /* int: what reached `keep` */
  guint   attempts[N];     /* per input, under lock */
} T;

static T *
t_of (DfContext *ctx)
{
  return df_context_get_user_data (ctx);
}

/* ------------------------------------------------------------------ stages */

gboolean
numbered (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    numbered_emit (ctx, str_new ("row %d", i), i);
  return TRUE;
}

gboolean
label (DfContext *ctx, char *row, int i, const char *pattern, char **label_, int *i_,
       GError **error)
{
  T *t = t_of (ctx);
  char c = pattern[i % strlen (pattern)];

  g_mutex_lock (&t->lock);
  guint attempt = t->attempts[i]++;
  g_mutex_unlock (&t->lock);
  if (c == 'x' || (c == 'r' && attempt == 0))
    {
      g_set_error (error, GT_ERROR, 1, "label failed on %s", row);
      return FALSE;
    }
  *label_ = str_new ("%s labelled", row);
  *i_ = i;
  return TRUE;
}

gboolean
keep (DfContext *ctx, char *label, int i, GError **error)
{
  g_array_append_val (t_of (ctx)->seen, i);
  return TRUE;
}

/* ------------------------------------------------------------------- runs */

typedef struct {
  gint64 calls, failures;
} Calls;

static void
add_label_calls (const DfStageStatsValues *v, gpointer data)
{
  if (strcmp (v->name, "label") == 0)
    *(Calls *) data = (Calls) { v->calls, v->failures };
}

/* The stage statistics of `label` so far (they are the process's). */
static Calls
label_calls (void)
{
  Calls c = { 0, 0 };
  df_stats_foreach (add_label_calls, &c);
  return c;
}

/* Runs @graph with a fresh @t; returns the graph's error (or NULL). */
static GError *
run (DfGraph *graph, T *t, DfGraphMode mode)
{
  GraphResult r = { 0 };

  memset (t, 0, sizeof *t);
  g_mutex_init (&t->lock);
  t->seen = g_array_new (FALSE, FALSE, sizeof (int));
  df_graph_set_mode (graph, mode);
  df_graph_set_user_data (graph, t);
  df_graph_set_quiet (graph, TRUE);
  graph_run (graph, &r, 60);
  graph_assert_accounting (graph);
  strs_assert_balanced ();
  return r.error;
}

static void
t_clear (T *t)
{
  g_array_unref (t->seen);
  g_mutex_clear (&t->lock);
}

static int
cmp_int (gconstpointer a, gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

/* What reached `keep`, sorted (four tasks finish out of order), is every
 * i below N whose pattern character is not in @dropped. */
static void
assert_kept (T *t, const char *pattern, const char *dropped)
{
  guint k = 0;

  g_array_sort (t->seen, cmp_int);
  for (int i = 0; i < N; i++)
    {
      if (strchr (dropped, pattern[i % strlen (pattern)]))
        continue;
      g_assert_cmpuint (k, <, t->seen->len);
      g_assert_cmpint (g_array_index (t->seen, int, k), ==, i);
      k++;
    }
  g_assert_cmpuint (k, ==, t->seen->len);
}

static void
test_skipped (gconstpointer data)
{
  const char *pattern = "..x....x.x...";
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  SkippedIn in = { .n = N, .pattern = pattern };
  T t;

  g_autoptr (DfGraph) g = skipped_new (rt, &in, NULL);
  Calls before = label_calls ();
  g_assert_no_error (run (g, &t, GPOINTER_TO_INT (data)));
  Calls after = label_calls ();
  assert_kept (&t, pattern, "x");
  DfGraphNodeStats s = graph_node_stats (g, "l");
  gint64 failing = (N / 13) * 3 + 3;    /* the 'x's in N characters of the cycle */
  g_assert_cmpint (s.in, ==, N);
  g_assert_cmpint (s.err, ==, failing);
  g_assert_cmpint (s.ok, ==, N - failing);
  g_assert_cmpint (s.out, ==, N - failing);
  g_assert_cmpint (graph_node_stats (g, "keep").ok, ==, N - failing);
  /* One call per input, however many inputs a job ran. */
  g_assert_cmpint (after.calls - before.calls, ==, N);
  g_assert_cmpint (after.failures - before.failures, ==, failing);
  t_clear (&t);
}

static void
test_retried (gconstpointer data)
{
  const char *pattern = ".r...r..x.";
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  RetriedIn in = { .n = N, .pattern = pattern };
  T t;

  g_autoptr (DfGraph) g = retried_new (rt, &in, NULL);
  Calls before = label_calls ();
  g_assert_no_error (run (g, &t, GPOINTER_TO_INT (data)));
  Calls after = label_calls ();
  assert_kept (&t, pattern, "x");
  DfGraphNodeStats s = graph_node_stats (g, "l");
  g_assert_cmpint (s.in, ==, N);
  g_assert_cmpint (s.err, ==, N / 10);
  g_assert_cmpint (s.ok, ==, N - N / 10);
  /* Each 'r' once, each 'x' twice (both retries used up). */
  g_assert_cmpint (s.retries, ==, 2 * (N / 10) + 2 * (N / 10));
  for (int i = 0; i < N; i++)
    g_assert_cmpuint (t.attempts[i], ==, pattern[i % 10] == '.' ? 1 : pattern[i % 10] == 'r' ? 2 : 3);
  g_assert_cmpint (after.calls - before.calls, ==, N + s.retries);
  g_assert_cmpint (after.failures - before.failures, ==, 2 * (N / 10) + 3 * (N / 10));
  t_clear (&t);
}

static void
test_halted (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  /* Input 1500 fails: well after the first jobs, inside a later one. */
  g_autofree char *pattern = g_strnfill (N, '.');
  pattern[1500] = 'x';
  HaltedIn in = { .n = N, .pattern = pattern };
  T t;

  g_autoptr (DfGraph) g = halted_new (rt, &in, NULL);
  g_autoptr (GError) error = run (g, &t, GPOINTER_TO_INT (data));
  g_assert_error (error, DF_ERROR, DF_ERROR_HALTED);
  DfGraphNodeStats s = graph_node_stats (g, "l");
  g_assert_cmpint (s.err, ==, 1);
  g_assert_cmpint (s.ok, ==, graph_node_stats (g, "keep").in);
  for (guint k = 0; k < t.seen->len; k++)
    g_assert_cmpint (g_array_index (t.seen, int, k), !=, 1500);
  t_clear (&t);
}

int
main (int argc, char **argv)
{
  gt_init (&argc, &argv);
  g_test_add_data_func ("/jobs/skipped/async", GINT_TO_POINTER (DF_GRAPH_ASYNC), test_skipped);
  g_test_add_data_func ("/jobs/skipped/sync", GINT_TO_POINTER (DF_GRAPH_SYNC), test_skipped);
  g_test_add_data_func ("/jobs/retried/async", GINT_TO_POINTER (DF_GRAPH_ASYNC), test_retried);
  g_test_add_data_func ("/jobs/retried/sync", GINT_TO_POINTER (DF_GRAPH_SYNC), test_retried);
  g_test_add_data_func ("/jobs/halted/async", GINT_TO_POINTER (DF_GRAPH_ASYNC), test_halted);
  g_test_add_data_func ("/jobs/halted/sync", GINT_TO_POINTER (DF_GRAPH_SYNC), test_halted);
  return g_test_run ();
}
