/* test-shapes.c — shapes.df: a non-linear graph with blocking and async
 * nodes (tasks 4), an async generator, flows as nodes, bindings to graph
 * inputs on inner nodes, `->` stages that fail after setting owned
 * outputs, zip with leftovers, batches, retries, a timeout, `limit`,
 * `every`; owned strings balanced and in == ok + err + dropped after
 * every run. */
#include <string.h>

#include "shapes.h"
#include "graph-check.h"

typedef struct {
  GArray    *seen;            /* int */
  GPtrArray *log;             /* strings the sinks saw */
  GArray    *batches;         /* guint: batch sizes */
  gint       running;         /* atomic: spread invocations now */
  gint       max_running;     /* atomic */
  gint       attempts[256];   /* flaky: per value */
  gint       fail_first;      /* flaky: fail the first N attempts */
  gint       src_paused;      /* atomic: burst is pausing */
  guint      flushed_while_paused;
  guint      ticks;
} T;

static void
t_init (T *t)
{
  memset (t, 0, sizeof *t);
  t->seen = g_array_new (FALSE, FALSE, sizeof (int));
  t->log = g_ptr_array_new_with_free_func (g_free);
  t->batches = g_array_new (FALSE, FALSE, sizeof (guint));
  strs_reset ();
}

static void
t_clear (T *t)
{
  g_array_unref (t->seen);
  g_ptr_array_unref (t->log);
  g_array_unref (t->batches);
}

static T *
t_of (DfContext *ctx)
{
  return df_context_get_user_data (ctx);
}

static gint
cmp_int (gconstpointer a, gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

static gboolean
log_has (GPtrArray *log, const char *s)
{
  for (guint i = 0; i < log->len; i++)
    if (strcmp (log->pdata[i], s) == 0)
      return TRUE;
  return FALSE;
}

/* ------------------------------------------------------------------ stages */

gboolean
count_up (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    count_up_emit (ctx, i);
  return TRUE;
}

gboolean
gather (DfContext *ctx, int v, GError **error)
{
  g_array_append_val (t_of (ctx)->seen, v);
  return TRUE;
}

gboolean
keep (DfContext *ctx, char *s, GError **error)
{
  g_ptr_array_add (t_of (ctx)->log, g_strdup (s));
  return TRUE;
}

gboolean
spread (DfContext *ctx, int v, GError **error)
{
  T *t = t_of (ctx);
  gint now = g_atomic_int_add (&t->running, 1) + 1;
  gint seen;
  while ((seen = g_atomic_int_get (&t->max_running)) < now
         && !g_atomic_int_compare_and_exchange (&t->max_running, seen, now))
    ;
  g_usleep (2000);
  g_atomic_int_add (&t->running, -1);
  spread_emit (ctx, v);
  spread_emit (ctx, v + 1000);
  return TRUE;
}

typedef struct {
  DfCall *call;
  int v;
} Job;

static void
fetch_finish (gpointer data)
{
  Job *job = data;
  fetch_return (job->call, 10 * job->v);
  g_free (job);
}

void
fetch (DfCall *call, int v)
{
  Job *job = g_new (Job, 1);
  *job = (Job) { call, v };
  gt_later (fetch_finish, job, 300);
}

static void
agen_run (gpointer data)
{
  Job *job = data;
  for (int i = 0; i < job->v; i++)
    agen_emit (df_call_get_context (job->call), str_new ("a%d", i));
  agen_return (job->call);
  g_free (job);
}

void
agen (DfCall *call, int n)
{
  Job *job = g_new (Job, 1);
  *job = (Job) { call, n };
  gt_later (agen_run, job, 0);
}

gboolean
inc (DfContext *ctx, int v, int *v2, GError **error)
{
  *v2 = v + 1;
  return TRUE;
}

gboolean
label (DfContext *ctx, int v, char **s, GError **error)
{
  *s = str_new ("l%d", v);
  return TRUE;
}

gboolean
add_k (DfContext *ctx, int v, int k, int *v_, GError **error)
{
  *v_ = v + k;
  return TRUE;
}

gboolean
name_it (DfContext *ctx, int v, const char *prefix, char **s, GError **error)
{
  *s = str_new ("%s%d", prefix, v);   /* freed by the runtime when failing */
  if (v % 4 == 3)
    {
      g_set_error (error, GT_ERROR, 1, "name_it: %d", v);
      return FALSE;
    }
  return TRUE;
}

gboolean
name_block (DfContext *ctx, int v, char **s, GError **error)
{
  *s = str_new ("b%d", v);
  if (v % 5 == 4)
    {
      g_set_error (error, GT_ERROR, 1, "name_block: %d", v);
      return FALSE;
    }
  return TRUE;
}

gboolean
nums (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    nums_emit (ctx, i);
  return TRUE;
}

gboolean
names (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n * 7 / 10; i++)
    names_emit (ctx, str_new ("s%d", i));
  return TRUE;
}

gboolean
letters (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    letters_emit (ctx, i);
  return TRUE;
}

gboolean
pair3 (DfContext *ctx, int v, char *s, int c, GError **error)
{
  g_autofree char *want = g_strdup_printf ("s%d", v);
  g_assert_cmpstr (s, ==, want);
  g_assert_cmpint (c, ==, v);
  g_array_append_val (t_of (ctx)->seen, v);
  return TRUE;
}

gboolean
burst (DfContext *ctx, GError **error)
{
  T *t = t_of (ctx);
  for (int i = 0; i < 10; i++)
    burst_emit (ctx, i);
  g_atomic_int_set (&t->src_paused, 1);
  g_usleep (300000);
  g_atomic_int_set (&t->src_paused, 0);
  for (int i = 10; i < 13; i++)
    burst_emit (ctx, i);
  return TRUE;
}

gboolean
sum_batch (DfContext *ctx, int *v, gsize v_len, GError **error)
{
  T *t = t_of (ctx);
  guint len = (guint) v_len;
  g_assert_cmpuint (len, >=, 1);
  g_assert_cmpuint (len, <=, 4);
  g_array_append_val (t->batches, len);
  g_array_append_vals (t->seen, v, len);
  if (len < 4 && g_atomic_int_get (&t->src_paused))
    t->flushed_while_paused++;
  return TRUE;
}

gboolean
pairs (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    pairs_emit (ctx, i, str_new ("p%d", i));
  return TRUE;
}

gboolean
take_batch (DfContext *ctx, int *v, gsize v_len, char **s, gsize s_len, const char *tag, GError **error)
{
  T *t = t_of (ctx);
  guint len = (guint) v_len;
  g_assert_cmpstr (tag, ==, "T");
  g_assert_cmpuint (v_len, ==, s_len);
  for (gsize i = 0; i < v_len; i++)
    {
      g_autofree char *want = g_strdup_printf ("p%d", v[i]);
      g_assert_cmpstr (s[i], ==, want);
      g_array_append_val (t->seen, v[i]);
    }
  g_array_append_val (t->batches, len);
  return TRUE;
}

gboolean
flaky (DfContext *ctx, int v, int *v_, GError **error)
{
  T *t = t_of (ctx);
  if (t->attempts[v % 256]++ < t->fail_first)
    {
      g_set_error (error, GT_ERROR, 2, "flaky %d, attempt %d", v, t->attempts[v % 256]);
      return FALSE;
    }
  *v_ = v;
  return TRUE;
}

static void
slow_finish (gpointer data)
{
  Job *job = data;
  slow_return (job->call, str_new ("late%d", job->v));   /* discarded */
  g_free (job);
}

void
slow (DfCall *call, int v)
{
  if (v % 2 == 0)
    {
      slow_return (call, str_new ("s%d", v));   /* at once */
      return;
    }
  Job *job = g_new (Job, 1);
  *job = (Job) { call, v };
  gt_later (slow_finish, job, 200000);
}

gboolean
poller (DfContext *ctx, GError **error)
{
  T *t = t_of (ctx);
  poller_emit (ctx, (int) t->ticks++);
  if (t->ticks == 10)
    df_graph_drain (df_context_get_graph (ctx));
  return TRUE;
}

/* ------------------------------------------------------------------ tests */

static DfGraph *
make (DfGraph *graph, T *t, DfGraphMode mode)
{
  g_assert_nonnull (graph);
  df_graph_set_user_data (graph, t);
  df_graph_set_mode (graph, mode);
  return graph;
}

/* Runs @graph; every string balanced, accounting exact. */
static void
run_ok (DfGraph *graph)
{
  GraphResult r = { 0 };
  graph_run (graph, &r, 60);
  g_assert_no_error (r.error);
  graph_assert_accounting (graph);
}

static void
test_nonlinear (gconstpointer data)
{
  DfGraphMode mode = GPOINTER_TO_INT (data);
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  NonlinearIn in = { .n = 40 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (nonlinear_new (rt, &in, NULL), &t, mode);
  run_ok (g);
  gt_later_drain ();
  /* spread: v, v + 1000; fetch: 10 v. */
  g_assert_cmpuint (t.seen->len, ==, 120);
  g_array_sort (t.seen, cmp_int);
  g_assert_cmpint (g_array_index (t.seen, int, 119), ==, 1039);
  DfGraphNodeStats s = graph_node_stats (g, "gather");
  g_assert_cmpint (s.in, ==, 120);
  g_assert_cmpint (s.queue_max, <=, 10000);
  g_assert_cmpint (graph_node_stats (g, "spread").queue_max, <=, 4);
  g_assert_cmpint (graph_node_stats (g, "fetch").out, ==, 40);
  /* tasks 4: blocking calls overlap in async mode, one at a time in sync. */
  if (mode == DF_GRAPH_ASYNC)
    g_assert_cmpint (t.max_running, >, 1);
  g_assert_cmpint (t.max_running, <=, mode == DF_GRAPH_ASYNC ? 4 : 1);
  t_clear (&t);
}

static void
test_async_gen (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  AsyncGenIn in = { .n = 500 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (async_gen_new (rt, &in, NULL), &t, GPOINTER_TO_INT (data));
  run_ok (g);
  gt_later_drain ();
  g_assert_cmpuint (t.log->len, ==, 500);
  g_assert_true (log_has (t.log, "a499"));
  g_assert_cmpint (graph_node_stats (g, "agen").out, ==, 500);
  strs_assert_balanced ();
  t_clear (&t);
}

static void
test_flows (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  WithFlowsIn in = { .n = 50 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (with_flows_new (rt, &in, NULL), &t, GPOINTER_TO_INT (data));
  run_ok (g);
  g_array_sort (t.seen, cmp_int);
  g_assert_cmpuint (t.seen->len, ==, 50);
  for (int i = 0; i < 50; i++)
    g_assert_cmpint (g_array_index (t.seen, int, i), ==, i + 1);
  g_assert_cmpuint (t.log->len, ==, 50);
  g_assert_true (log_has (t.log, "l49"));
  g_assert_cmpint (graph_node_stats (g, "labelled").ok, ==, 50);
  strs_assert_balanced ();
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  t_clear (&t);
}

static void
test_bound (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  BoundIn in = { .n = 20, .base = 100, .prefix = "x" };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (bound_new (rt, &in, NULL), &t, GPOINTER_TO_INT (data));
  run_ok (g);
  g_array_sort (t.seen, cmp_int);
  g_assert_cmpuint (t.seen->len, ==, 20);
  g_assert_cmpint (g_array_index (t.seen, int, 0), ==, 100);
  g_assert_cmpint (g_array_index (t.seen, int, 19), ==, 119);
  /* name_it fails on 3, 7, 11, 15, 19; name_block on 4, 9, 14, 19. */
  g_assert_cmpint (graph_node_stats (g, "nm").err, ==, 5);
  g_assert_cmpint (graph_node_stats (g, "name_block").err, ==, 4);
  g_assert_cmpuint (t.log->len, ==, 15 + 16);
  g_assert_true (log_has (t.log, "x0"));
  g_assert_false (log_has (t.log, "x3"));
  g_assert_true (log_has (t.log, "b3"));
  g_assert_false (log_has (t.log, "b4"));
  strs_assert_balanced ();
  t_clear (&t);
}

static void
test_zip (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  Zip3In in = { .n = 100 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (zip3_new (rt, &in, NULL), &t, GPOINTER_TO_INT (data));
  run_ok (g);
  g_assert_cmpuint (t.seen->len, ==, 70);
  for (int i = 0; i < 70; i++)
    g_assert_cmpint (g_array_index (t.seen, int, i), ==, i);
  /* Rows 70..99 never complete: 30 numbers and 30 letters dropped. */
  DfGraphNodeStats s = graph_node_stats (g, "p");
  g_assert_cmpint (s.ok, ==, 70);
  g_assert_cmpint (s.dropped, ==, 60);
  g_assert_cmpint (s.in, ==, 130);
  g_assert_cmpint (s.queue_max, <=, 4);
  strs_assert_balanced ();
  t_clear (&t);
}

static void
test_batch_within (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  BatchingIn in = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (batching_new (rt, &in, NULL), &t, DF_GRAPH_ASYNC);
  run_ok (g);
  g_assert_cmpuint (t.seen->len, ==, 13);
  for (int i = 0; i < 13; i++)
    g_assert_cmpint (g_array_index (t.seen, int, i), ==, i);
  /* 4 + 4, the 2 left flushed by `within` during the pause, then 3. */
  g_assert_cmpuint (t.batches->len, >=, 4);
  g_assert_cmpuint (g_array_index (t.batches, guint, 0), ==, 4);
  g_assert_cmpuint (g_array_index (t.batches, guint, 1), ==, 4);
  g_assert_cmpuint (g_array_index (t.batches, guint, 2), ==, 2);
  g_assert_cmpuint (t.flushed_while_paused, ==, 1);
  g_assert_cmpint (graph_node_stats (g, "s").ok, ==, 13);
  t_clear (&t);
}

static void
test_batch_copied (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  Batching2In in = { .n = 10 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (batching2_new (rt, &in, NULL), &t, GPOINTER_TO_INT (data));
  run_ok (g);
  g_assert_cmpuint (t.seen->len, ==, 10);
  /* batch 3: 3, 3, 3 and the last one at the end of input */
  guint total = 0;
  for (guint i = 0; i < t.batches->len; i++)
    {
      g_assert_cmpuint (g_array_index (t.batches, guint, i), <=, 3);
      total += g_array_index (t.batches, guint, i);
    }
  g_assert_cmpuint (total, ==, 10);
  g_assert_cmpuint (g_array_index (t.batches, guint, 0), ==, 3);
  strs_assert_balanced ();
  t_clear (&t);
}

static void
test_retry (gconstpointer data)
{
  DfGraphMode mode = GPOINTER_TO_INT (data);
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  T t;

  /* The stage's retry 2: two failures, then it works. */
  t_init (&t);
  t.fail_first = 2;
  RetryingIn in = { .n = 10 };
  g_autoptr (DfGraph) g = make (retrying_new (rt, &in, NULL), &t, mode);
  run_ok (g);
  g_assert_cmpuint (t.seen->len, ==, 10);
  DfGraphNodeStats s = graph_node_stats (g, "flaky");
  g_assert_cmpint (s.retries, ==, 20);
  g_assert_cmpint (s.errors, ==, 20);
  g_assert_cmpint (s.ok, ==, 10);
  g_assert_cmpint (s.err, ==, 0);
  t_clear (&t);

  /* Used up: skipped (the graph does not halt). */
  t_init (&t);
  t.fail_first = 3;
  g_autoptr (DfGraph) g2 = make (retrying_new (rt, &in, NULL), &t, mode);
  run_ok (g2);
  g_assert_cmpuint (t.seen->len, ==, 0);
  g_assert_cmpint (graph_node_stats (g2, "flaky").err, ==, 10);
  t_clear (&t);

  /* The node's retry 3 backoff 1ms..4ms under halt_on_error: 3 failures
   * are retried; 4 halt the graph. */
  t_init (&t);
  t.fail_first = 3;
  RetryNodeIn in3 = { .n = 5 };
  g_autoptr (DfGraph) g3 = make (retry_node_new (rt, &in3, NULL), &t, mode);
  run_ok (g3);
  g_assert_cmpuint (t.seen->len, ==, 5);
  g_assert_cmpint (graph_node_stats (g3, "f").retries, ==, 15);
  t_clear (&t);

  t_init (&t);
  t.fail_first = 4;
  g_autoptr (DfGraph) g4 = make (retry_node_new (rt, &in3, NULL), &t, mode);
  GraphResult r = { 0 };
  graph_run (g4, &r, 30);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_HALTED);
  g_assert_nonnull (strstr (r.error->message, "node 'f' failed: flaky 0, attempt 4"));
  graph_assert_accounting (g4);
  graph_result_clear (&r);
  t_clear (&t);
}

static void
test_timeout (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  TimeoutsIn in = { .n = 8 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (timeouts_new (rt, &in, NULL), &t, DF_GRAPH_ASYNC);
  run_ok (g);
  gt_later_drain ();
  /* Let the late completions come back and be discarded. */
  while (df_runtime_get_n_frames (rt) > 0)
    g_main_context_iteration (df_runtime_get_context (rt), TRUE);
  g_assert_cmpuint (t.log->len, ==, 4);
  DfGraphNodeStats s = graph_node_stats (g, "s");
  g_assert_cmpint (s.ok, ==, 4);
  g_assert_cmpint (s.err, ==, 4);
  g_autofree char *errors = gt_errors (g, "s");
  g_assert_nonnull (strstr (errors, "timed out"));
  strs_assert_balanced ();
  t_clear (&t);
}

static void
test_limit (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  LimitedIn in = { .n = 12 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (limited_new (rt, &in, NULL), &t, DF_GRAPH_ASYNC);
  run_ok (g);
  g_assert_cmpuint (t.seen->len, ==, 24);
  g_assert_cmpint (t.max_running, ==, 1);
  t_clear (&t);
}

static void
test_every (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  PollingIn in = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (polling_new (rt, &in, NULL), &t, DF_GRAPH_ASYNC);
  gint64 start = g_get_monotonic_time ();
  run_ok (g);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 18 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (t.ticks, ==, 10);
  g_assert_cmpuint (t.seen->len, ==, 10);
  t_clear (&t);
}

int
main (int argc, char **argv)
{
  static const char *const mode_names[] = { "async", "sync" };
  gt_init (&argc, &argv);
  for (int m = 0; m < 2; m++)
    {
      gpointer mode = GINT_TO_POINTER (m == 0 ? DF_GRAPH_ASYNC : DF_GRAPH_SYNC);
#define ADD(name, func) \
      do { \
        g_autofree char *path = g_strdup_printf ("/graph/%s/%s", name, mode_names[m]); \
        g_test_add_data_func (path, mode, func); \
      } while (0)
      ADD ("nonlinear", test_nonlinear);
      ADD ("async-generator", test_async_gen);
      ADD ("flows", test_flows);
      ADD ("bound", test_bound);
      ADD ("zip", test_zip);
      ADD ("batch-copied", test_batch_copied);
      ADD ("retry", test_retry);
#undef ADD
    }
  g_test_add_func ("/graph/batch-within", test_batch_within);
  g_test_add_func ("/graph/timeout", test_timeout);
  g_test_add_func ("/graph/limit", test_limit);
  g_test_add_func ("/graph/every", test_every);
  return g_test_run ();
}
