/* test-blocking.c — blocking stages on the worker pool. */
#include "rt-test.h"

static DfStageStats store_stats = DF_STAGE_STATS_INIT ("store");
static const DfCallSite store_site = {
  .stage = "store", .stats = &store_stats, .discard = fetch_discard,
};
static const DfCallSite slow_site = {
  .stage = "slow", .timeout = 20 * G_TIME_SPAN_MILLISECOND, .discard = fetch_discard,
};

static GThread *main_thread;
static gint running, max_running;

static void
enter_stage (void)
{
  gint now = g_atomic_int_add (&running, 1) + 1;
  gint seen;
  while ((seen = g_atomic_int_get (&max_running)) < now
         && !g_atomic_int_compare_and_exchange (&max_running, seen, now))
    ;
}

static gboolean
store_ok (DfContext *ctx, const char *url, char **page, GError **error)
{
  g_assert_true (g_thread_self () != main_thread);
  g_assert_cmpstr (df_context_get_stage_name (ctx), ==, "store");
  enter_stage ();
  g_usleep (5000);
  g_atomic_int_add (&running, -1);
  *page = g_strdup_printf ("stored %s", url);
  return TRUE;
}

static void
test_basic (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &store_site, .blocking = TRUE };
  TestResult r[64] = { { 0 } };
  DfStageStatsValues v;

  test_blocking_fetch = store_ok;
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    df_frame_start (fetch_flow_new (rt, &spec, "x", &r[i]));
  runtime_run_or_fail (rt, 30);
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    {
      g_assert_no_error (r[i].error);
      g_assert_cmpstr (r[i].page, ==, "stored x");
      test_result_clear (&r[i]);
    }
  df_stage_stats_get (&store_stats, &v);
  g_assert_cmpint (v.calls, ==, 64);
  g_assert_cmpint (v.in_flight, ==, 0);
}

static void
test_max_workers (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &store_site, .blocking = TRUE };
  TestResult r[40] = { { 0 } };
  DfRuntimeCounters c;

  g_assert_cmpuint (df_runtime_get_max_workers (rt), >=, 16);
  df_runtime_set_max_workers (rt, 3);
  test_blocking_fetch = store_ok;
  g_atomic_int_set (&max_running, 0);
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    df_frame_start (fetch_flow_new (rt, &spec, "y", &r[i]));
  runtime_run_or_fail (rt, 30);
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    {
      g_assert_no_error (r[i].error);
      test_result_clear (&r[i]);
    }
  df_runtime_get_counters (rt, &c);
  g_assert_cmpuint (c.workers_started, <=, 3);
  g_assert_cmpint (g_atomic_int_get (&max_running), <=, 3);
  g_assert_cmpint (g_atomic_int_get (&max_running), >=, 2);
}

static gboolean
store_fail (DfContext *ctx, const char *url, char **page, GError **error)
{
  if (g_str_equal (url, "silent"))
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "disk full for %s", url);
  return FALSE;
}

static void
test_failure (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &store_site, .blocking = TRUE };
  TestResult r1 = { 0 }, r2 = { 0 };

  test_blocking_fetch = store_fail;
  df_frame_start (fetch_flow_new (rt, &spec, "a", &r1));
  df_frame_start (fetch_flow_new (rt, &spec, "silent", &r2));
  runtime_run_or_fail (rt, 10);
  g_assert_error (r1.error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_error (r2.error, DF_ERROR, DF_ERROR_STAGE_FAILED);
  g_assert_nonnull (strstr (r2.error->message, "'store'"));
  test_result_clear (&r1);
  test_result_clear (&r2);
}

static gint saw_cancel, release_worker;

/* Slow: returns only when the test lets it, then reports whether its
 * cancellable was cancelled by then. */
static gboolean
store_slow (DfContext *ctx, const char *url, char **page, GError **error)
{
  GCancellable *c = df_context_get_cancellable (ctx);

  for (int i = 0; i < 10000 && !g_atomic_int_get (&release_worker); i++)
    g_usleep (1000);
  g_atomic_int_set (&saw_cancel, g_cancellable_is_cancelled (c));
  *page = g_strdup ("late page");       /* discarded by the runtime */
  return TRUE;
}

/* The timeout ends the flow while the worker is still busy; the worker
 * sees its cancellable cancelled, returns, and its output is freed. */
static void
test_timeout (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &slow_site, .blocking = TRUE };
  TestResult r = { 0 };

  test_blocking_fetch = store_slow;
  g_atomic_int_set (&release_worker, 0);
  df_frame_start (fetch_flow_new (rt, &spec, "a", &r));
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_assert_cmpstr (r.error->message, ==, "stage 'slow' timed out after 20ms");
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 1);   /* the worker holds it */

  /* The ended flow does not keep df_runtime_run() going... */
  runtime_run_or_fail (rt, 10);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 1);

  /* ...the shutdown waits for the worker and frees its output. */
  g_autoptr (GError) error = NULL;
  g_atomic_int_set (&release_worker, 1);
  g_assert_true (df_runtime_shutdown (rt, 10 * G_TIME_SPAN_SECOND, &error));
  g_assert_no_error (error);
  g_assert_true (g_atomic_int_get (&saw_cancel));
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  test_result_clear (&r);
}

static gint stuck_release, stuck_entered;

/* Never returns on its own: ignores its cancellable until the test ends. */
static gboolean
store_stuck (DfContext *ctx, const char *url, char **page, GError **error)
{
  g_atomic_int_set (&stuck_entered, 1);
  while (!g_atomic_int_get (&stuck_release))
    g_usleep (1000);
  *page = g_strdup ("stuck page");
  return TRUE;
}

/* A blocking stage that never returns cannot hang the end: the shutdown
 * gives up after its grace period and names the stage; the runtime is
 * then kept (the worker holds it) rather than freed under the worker. */
static void
test_stuck_shutdown (void)
{
  DfRuntime *rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &store_site, .blocking = TRUE };
  TestResult r = { 0 };
  g_autoptr (GError) error = NULL;

  test_blocking_fetch = store_stuck;
  g_atomic_int_set (&stuck_release, 0);
  df_frame_start (fetch_flow_new (rt, &spec, "a", &r));
  while (!g_atomic_int_get (&stuck_entered))
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (df_runtime_shutdown (rt, 50 * G_TIME_SPAN_MILLISECOND, &error));
  g_assert_error (error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_assert_cmpstr (error->message, ==, "stage 'store' did not return");
  /* The flow itself was cancelled by the shutdown. */
  g_assert_true (r.done);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 1);

  /* Let the worker go so the test leaves nothing behind. */
  g_atomic_int_set (&stuck_release, 1);
  g_clear_error (&error);
  g_assert_true (df_runtime_shutdown (rt, 10 * G_TIME_SPAN_SECOND, &error));
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  df_runtime_unref (rt);
  test_result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  main_thread = g_thread_self ();
  g_test_add_func ("/runtime/blocking/basic", test_basic);
  g_test_add_func ("/runtime/blocking/max-workers", test_max_workers);
  g_test_add_func ("/runtime/blocking/failure", test_failure);
  g_test_add_func ("/runtime/blocking/timeout", test_timeout);
  g_test_add_func ("/runtime/blocking/stuck-shutdown", test_stuck_shutdown);
  return g_test_run ();
}
