/* test-timers.c — the timer heap, call timeouts, late completions and
 * retry back-off.  The heap tests run on the real clock (they test its
 * GSource); the flow tests on an auto-advancing virtual one, so their
 * delays are asserted exactly and cost no waiting. */
#include "rt-test.h"

/* ------------------------------------------------------------ the heap */

typedef struct {
  DfTimer timer;
  gint64  deadline;
  gint64  fired_at;
  guint   order;
} Probe;

static guint fired;

static void
probe_fired (DfTimer *timer)
{
  Probe *p = DF_CONTAINER_OF (timer, Probe, timer);

  p->fired_at = g_get_monotonic_time ();
  p->order = fired++;
}

static void
test_order (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  enum { N = 2000 };
  Probe *probes = g_new0 (Probe, N);
  gint64 now = g_get_monotonic_time ();

  fired = 0;
  for (guint i = 0; i < N; i++)
    {
      df_timer_init (&probes[i].timer, probe_fired);
      probes[i].deadline = now + g_random_int_range (0, 50000);
      df_timer_start (rt, &probes[i].timer, probes[i].deadline);
    }
  /* Stop every third, move every fifth later. */
  for (guint i = 0; i < N; i += 3)
    df_timer_stop (rt, &probes[i].timer);
  for (guint i = 1; i < N; i += 5)
    {
      if (i % 3 == 0)
        continue;
      probes[i].deadline += 10000;
      df_timer_start (rt, &probes[i].timer, probes[i].deadline);
    }
  guint expected = N - (N + 2) / 3;
  g_assert_cmpuint (df_runtime_get_n_timers (rt), ==, expected);
  while (df_runtime_get_n_timers (rt) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (fired, ==, expected);

  /* Fired in deadline order, never early. */
  for (guint i = 0; i < N; i++)
    {
      if (i % 3 == 0)
        {
          g_assert_cmpint (probes[i].fired_at, ==, 0);
          continue;
        }
      g_assert_cmpint (probes[i].fired_at, >=, probes[i].deadline);
      for (guint j = 0; j < N; j++)
        if (j % 3 && probes[j].order < probes[i].order)
          g_assert_cmpint (probes[j].deadline, <=, probes[i].deadline);
      if (i > 200)
        break;     /* the quadratic check on a sample is enough */
    }
  g_free (probes);
}

static gboolean
noop (gpointer data)
{
  return G_SOURCE_REMOVE;
}

/* 100,000 timers are one source: the next source id after arming them is
 * the one right after the id before. */
static void
test_100k_one_source (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  enum { N = 100000 };
  Probe *probes = g_new0 (Probe, N);
  gint64 now = g_get_monotonic_time ();
  DfRuntimeCounters c;

  fired = 0;
  guint before = g_idle_add (noop, NULL);
  for (guint i = 0; i < N; i++)
    {
      df_timer_init (&probes[i].timer, probe_fired);
      probes[i].deadline = now + 20000 + (i % 1000) * 50;
      df_timer_start (rt, &probes[i].timer, probes[i].deadline);
    }
  guint after = g_idle_add (noop, NULL);
  g_assert_cmpuint (after, ==, before + 1);
  g_assert_cmpuint (df_runtime_get_n_timers (rt), ==, N);

  gint64 t0 = g_get_monotonic_time ();
  while (df_runtime_get_n_timers (rt) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (fired, ==, N);
  df_runtime_get_counters (rt, &c);
  g_test_message ("100000 timers over 50ms: %" G_GUINT64_FORMAT " dispatches, %.1f ms",
                  c.timer_dispatches, (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_cmpuint (c.timer_dispatches, <, 2000);
  g_free (probes);
}

/* ----------------------------------------------------------- timeouts */

static DfStageStats slow_stats = DF_STAGE_STATS_INIT ("slow");
static const DfCallSite slow_site = {
  .stage = "slow", .stats = &slow_stats, .timeout = 20 * G_TIME_SPAN_MILLISECOND,
  .discard = fetch_discard,
};

static GPtrArray *held;

static void
fetch_hold (DfCall *call, const char *url)
{
  g_ptr_array_add (held, call);
}

/* The call times out; its late completion is accepted without a critical
 * and its page freed (LeakSanitizer would see it otherwise). */
static void
test_timeout_late_completion (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &slow_site, .fetch = fetch_hold };
  TestResult r = { 0 };
  DfStageStatsValues v;

  held = g_ptr_array_new ();
  df_runtime_set_virtual_clock (rt, 0, TRUE);
  gint64 start = df_runtime_get_time (rt);
  df_frame_start (fetch_flow_new (rt, &spec, "a", &r));
  runtime_run_or_fail (rt, 5);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_assert_cmpint (df_runtime_get_time (rt) - start, ==, 20 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (held->len, ==, 1);
  g_assert_true (g_cancellable_is_cancelled (df_call_get_cancellable (held->pdata[0])));
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 1);

  fetch_return (held->pdata[0], g_strdup ("late"));
  runtime_run_or_fail (rt, 5);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  df_stage_stats_get (&slow_stats, &v);
  g_assert_cmpint (v.timeouts, ==, 1);
  g_assert_cmpint (v.failures, ==, 1);
  g_assert_cmpint (v.in_flight, ==, 0);
  g_ptr_array_unref (held);
  test_result_clear (&r);
}

/* A completion that wins the race against its timeout is kept. */
static void
fetch_in_time (DfCall *call, const char *url)
{
  fetch_return (call, g_strdup ("in time"));
}

static gint64 late_returned_at;
static gint64 second_attempt_at;
static DfRuntime *late_rt;
static DfTimer late_timer;

static void
return_late (DfTimer *timer)
{
  late_returned_at = df_runtime_get_time (late_rt);
  fetch_return (held->pdata[0], g_strdup ("first, late"));
}

/* First attempt: hangs for 30 ms (times out at 20).  Second: at once. */
static void
fetch_slow_then_fast (DfCall *call, const char *url)
{
  if (late_returned_at == 0 && second_attempt_at == 0 && held->len == 0)
    {
      g_ptr_array_add (held, call);
      df_timer_start_in (late_rt, &late_timer, 30 * G_TIME_SPAN_MILLISECOND);
      return;
    }
  second_attempt_at = df_runtime_get_time (late_rt);
  fetch_return (call, g_strdup ("second"));
}

/* retry after a timeout: the call is reused only after the abandoned
 * invocation returned, even though the back-off (5 ms) ended before (on
 * the virtual clock: exactly at 30 ms, within the grace of one more
 * timeout after the back-off). */
static void
test_timeout_retry (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &slow_site, .fetch = fetch_slow_then_fast, .retries = 2,
                         .backoff = 5 * G_TIME_SPAN_MILLISECOND };
  FetchFlowSpec quick = { .site = &slow_site, .fetch = fetch_in_time };
  TestResult r = { 0 }, q = { 0 };

  df_runtime_set_virtual_clock (rt, 0, TRUE);
  late_rt = rt;
  df_timer_init (&late_timer, return_late);
  held = g_ptr_array_new ();
  late_returned_at = second_attempt_at = 0;
  gint64 start = df_runtime_get_time (rt);
  df_frame_start (fetch_flow_new (rt, &spec, "a", &r));
  df_frame_start (fetch_flow_new (rt, &quick, "b", &q));
  runtime_run_or_fail (rt, 5);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.page, ==, "second");
  g_assert_cmpuint (r.attempts, ==, 2);
  g_assert_cmpint (late_returned_at, ==, start + 30 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (second_attempt_at, ==, late_returned_at);
  g_assert_cmpstr (q.page, ==, "in time");
  g_ptr_array_unref (held);
  test_result_clear (&r);
  test_result_clear (&q);
}

static guint failures_left;

static void
fetch_flaky (DfCall *call, const char *url)
{
  if (failures_left > 0)
    {
      failures_left--;
      df_call_fail_literal (call, G_IO_ERROR, G_IO_ERROR_BUSY, "busy");
      return;
    }
  fetch_return (call, g_strdup ("at last"));
}

static void
test_retry_backoff (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  static const DfCallSite site = { .stage = "flaky", .discard = fetch_discard };
  FetchFlowSpec spec = { .site = &site, .fetch = fetch_flaky, .retries = 3,
                         .backoff = 15 * G_TIME_SPAN_MILLISECOND };
  FetchFlowSpec spec2 = spec;
  TestResult r = { 0 }, r2 = { 0 };

  df_runtime_set_virtual_clock (rt, 0, TRUE);
  failures_left = 2;
  gint64 start = df_runtime_get_time (rt);
  df_frame_start (fetch_flow_new (rt, &spec, "a", &r));
  runtime_run_or_fail (rt, 5);
  g_assert_cmpstr (r.page, ==, "at last");
  g_assert_cmpuint (r.attempts, ==, 3);
  g_assert_cmpint (df_runtime_get_time (rt) - start, ==, 30 * G_TIME_SPAN_MILLISECOND);

  /* Out of retries: the last error is the flow's. */
  failures_left = 10;
  spec2.retries = 1;
  df_frame_start (fetch_flow_new (rt, &spec2, "b", &r2));
  runtime_run_or_fail (rt, 5);
  g_assert_error (r2.error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_cmpuint (r2.attempts, ==, 2);
  test_result_clear (&r);
  test_result_clear (&r2);
}

/* --------------------------------------------------------- every D */

/* flow poll() every 10ms { ... } — five rounds paced by a sleeping call. */
typedef struct {
  DfFrame base;
  DfCall  tick;
  guint   rounds;
  gint64  times[5];
} EveryFrame;

static const DfCallSite tick_site = { .stage = "every" };

static void
every_step (DfFrame *frame, DfCall *resumed)
{
  EveryFrame *f = (EveryFrame *) frame;

  f->times[f->rounds++] = df_runtime_get_time (frame->runtime);
  if (f->rounds == 5)
    df_frame_return (frame);
  else
    df_call_sleep (&f->tick, 10 * G_TIME_SPAN_MILLISECOND);
}

static void
every_done (DfFrame *frame, const GError *error, gpointer data)
{
  EveryFrame *f = (EveryFrame *) frame;

  for (guint i = 1; i < 5; i++)
    g_assert_cmpint (f->times[i] - f->times[i - 1], ==, 10 * G_TIME_SPAN_MILLISECOND);
  *(gboolean *) data = TRUE;
}

static const DfFrameClass every_class = { .name = "poll", .size = sizeof (EveryFrame),
                                          .step = every_step };

static void
test_every (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  df_runtime_set_virtual_clock (rt, 0, TRUE);
  DfFrame *frame = df_frame_new (rt, &every_class);
  gboolean done = FALSE;

  df_call_init (&((EveryFrame *) frame)->tick, frame, &tick_site, 0);
  df_frame_set_done (frame, every_done, &done);
  df_frame_start (frame);
  runtime_run_or_fail (rt, 5);
  g_assert_true (done);
}

/* A sleeping flow that is cancelled frees at once. */
static void
test_cancel_sleeping (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  static const DfCallSite site = { .stage = "flaky", .discard = fetch_discard };
  FetchFlowSpec spec = { .site = &site, .fetch = fetch_flaky, .retries = 3,
                         .backoff = 10 * G_TIME_SPAN_SECOND };
  TestResult r = { 0 };

  failures_left = 1;
  DfFrame *frame = fetch_flow_new (rt, &spec, "a", &r);
  df_frame_start (frame);
  while (r.attempts == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (df_runtime_get_n_timers (rt), ==, 1);
  df_frame_cancel (frame);
  runtime_run_or_fail (rt, 5);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_assert_cmpuint (df_runtime_get_n_timers (rt), ==, 0);
  test_result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runtime/timers/order", test_order);
  g_test_add_func ("/runtime/timers/100k-one-source", test_100k_one_source);
  g_test_add_func ("/runtime/timers/timeout-late-completion", test_timeout_late_completion);
  g_test_add_func ("/runtime/timers/timeout-retry", test_timeout_retry);
  g_test_add_func ("/runtime/timers/retry-backoff", test_retry_backoff);
  g_test_add_func ("/runtime/timers/every", test_every);
  g_test_add_func ("/runtime/timers/cancel-sleeping", test_cancel_sleeping);
  return g_test_run ();
}
