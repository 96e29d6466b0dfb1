/* test-clock.c — the virtual clock: timers fire in deadline order when a
 * test moves time, a whole flow with long back-offs and timeouts runs at
 * once under auto-advance, and the log's rate limit follows the clock.
 * No real time is waited for anywhere here. */
#include "rt-test.h"

#define START (G_GINT64_CONSTANT (1767225600) * G_TIME_SPAN_SECOND)  /* 2026-01-01 */

typedef struct {
  DfTimer    timer;
  DfRuntime *rt;
  gint64     fired_at;
  guint      order;
} Probe;

static guint fired;

static void
probe_fired (DfTimer *timer)
{
  Probe *p = DF_CONTAINER_OF (timer, Probe, timer);

  p->fired_at = df_runtime_get_time (p->rt);
  p->order = fired++;
}

/* A timer re-arming another for an earlier time than a third: the second
 * still fires before the third, at its own deadline. */
static void
probe_chain (DfTimer *timer)
{
  Probe *p = DF_CONTAINER_OF (timer, Probe, timer);

  probe_fired (timer);
  df_timer_start_in (p->rt, &p[1].timer, 5 * G_TIME_SPAN_SECOND);
}

static void
test_advance (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  Probe p[4] = { { .rt = rt }, { .rt = rt }, { .rt = rt }, { .rt = rt } };

  df_runtime_set_virtual_clock (rt, START, FALSE);
  g_assert_true (df_runtime_has_virtual_clock (rt));
  g_assert_cmpint (df_runtime_get_time (rt), ==, START);
  g_assert_cmpint (df_runtime_get_real_time (rt), ==, START);

  fired = 0;
  df_timer_init (&p[0].timer, probe_chain);     /* at 10 s, arms p[1] for 15 s */
  df_timer_init (&p[1].timer, probe_fired);
  df_timer_init (&p[2].timer, probe_fired);     /* at 20 s */
  df_timer_init (&p[3].timer, probe_fired);     /* at 30 s */
  df_timer_start_in (rt, &p[3].timer, 30 * G_TIME_SPAN_SECOND);
  df_timer_start_in (rt, &p[0].timer, 10 * G_TIME_SPAN_SECOND);
  df_timer_start_in (rt, &p[2].timer, 20 * G_TIME_SPAN_SECOND);

  /* The loop never fires a virtual timer by itself. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (fired, ==, 0);

  df_runtime_advance_clock (rt, 12 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (fired, ==, 1);
  g_assert_cmpint (p[0].fired_at, ==, START + 10 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (df_runtime_get_time (rt), ==, START + 12 * G_TIME_SPAN_SECOND);

  df_runtime_advance_clock (rt, 60 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (fired, ==, 4);
  g_assert_cmpuint (p[1].order, ==, 1);
  g_assert_cmpint (p[1].fired_at, ==, START + 15 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (p[2].order, ==, 2);
  g_assert_cmpint (p[2].fired_at, ==, START + 20 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (p[3].order, ==, 3);
  g_assert_cmpint (p[3].fired_at, ==, START + 30 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (df_runtime_get_time (rt), ==, START + 72 * G_TIME_SPAN_SECOND);
}

/* Setting the clock once timers exist would mix two clocks: refused. */
static void
test_set_late (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  Probe p = { .rt = rt };

  df_timer_init (&p.timer, probe_fired);
  df_timer_start_in (rt, &p.timer, G_TIME_SPAN_SECOND);
  g_test_expect_message ("dfrt", G_LOG_LEVEL_CRITICAL, "*before anything is scheduled*");
  df_runtime_set_virtual_clock (rt, START, TRUE);
  g_test_assert_expected_messages ();
  g_assert_false (df_runtime_has_virtual_clock (rt));
  df_timer_stop (rt, &p.timer);
}

/* ------------------------------------------------ whole flows, auto mode */

static guint failures_left;

static void
fetch_fail_n (DfCall *call, const char *url)
{
  if (failures_left > 0)
    {
      failures_left--;
      df_call_fail_literal (call, G_IO_ERROR, G_IO_ERROR_FAILED, "down");
      return;
    }
  fetch_return (call, g_strdup_printf ("page of %s", url));
}

/* Three failures, each followed by a 10 s back-off: 30 s of virtual time,
 * no real waiting. */
static void
test_auto_backoff (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &(DfCallSite) { .stage = "fetch", .discard = fetch_discard },
                         .fetch = fetch_fail_n, .retries = 5,
                         .backoff = 10 * G_TIME_SPAN_SECOND };
  TestResult r = { 0 };

  df_runtime_set_virtual_clock (rt, START, TRUE);
  failures_left = 3;
  df_frame_start (fetch_flow_new (rt, &spec, "a", &r));
  runtime_run_or_fail (rt, 60);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.page, ==, "page of a");
  g_assert_cmpuint (r.attempts, ==, 4);
  g_assert_cmpint (df_runtime_get_time (rt), ==, START + 30 * G_TIME_SPAN_SECOND);
  /* Nothing left: the shutdown has nothing to cancel, so this was no stop. */
  g_assert_true (df_runtime_shutdown (rt, 0, NULL));
  g_assert_false (df_runtime_is_stopping (rt));
  test_result_clear (&r);
}

static DfCall *held_call;

static void
fetch_never (DfCall *call, const char *url)
{
  held_call = call;
}

/* A call that never completes times out on the virtual clock, and the
 * ended flow does not keep df_runtime_run() going. */
static void
test_auto_timeout (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DfCallSite site = { .stage = "hang", .timeout = 5 * G_TIME_SPAN_SECOND,
                      .discard = fetch_discard };
  FetchFlowSpec spec = { .site = &site, .fetch = fetch_never };
  TestResult r = { 0 };

  df_runtime_set_virtual_clock (rt, START, TRUE);
  df_frame_start (fetch_flow_new (rt, &spec, "a", &r));
  runtime_run_or_fail (rt, 60);
  g_assert_true (r.done);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_assert_cmpstr (r.error->message, ==, "stage 'hang' timed out after 5s");
  g_assert_cmpint (df_runtime_get_time (rt), ==, START + 5 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 1);   /* the late call */

  /* Its late completion is discarded (the page freed by the discard). */
  fetch_return (held_call, g_strdup ("too late"));
  g_autoptr (GError) error = NULL;
  g_assert_true (df_runtime_shutdown (rt, 10 * G_TIME_SPAN_SECOND, &error));
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  test_result_clear (&r);
}

/* `timeout 5s retry 1 backoff 1s` on a stage that never returns: the
 * retry waits one more timeout for the abandoned call, then the flow
 * fails instead of waiting for ever. */
static void
test_retry_never_returns (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DfCallSite site = { .stage = "hang", .timeout = 5 * G_TIME_SPAN_SECOND,
                      .discard = fetch_discard };
  FetchFlowSpec spec = { .site = &site, .fetch = fetch_never, .retries = 1,
                         .backoff = G_TIME_SPAN_SECOND };
  TestResult r = { 0 };

  df_runtime_set_virtual_clock (rt, START, TRUE);
  df_frame_start (fetch_flow_new (rt, &spec, "a", &r));
  runtime_run_or_fail (rt, 60);
  g_assert_true (r.done);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_assert_cmpstr (r.error->message, ==,
                   "stage 'hang' timed out after 5s and did not return; not retried");
  g_assert_cmpuint (r.attempts, ==, 1);
  g_assert_cmpint (df_runtime_get_time (rt), ==, START + 11 * G_TIME_SPAN_SECOND);

  g_autoptr (GError) error = NULL;
  g_assert_false (df_runtime_shutdown (rt, 0, &error));
  g_assert_cmpstr (error->message, ==, "stage 'hang' did not complete");
  fetch_return (held_call, g_strdup ("too late"));
  g_clear_error (&error);
  g_assert_true (df_runtime_shutdown (rt, 10 * G_TIME_SPAN_SECOND, &error));
  test_result_clear (&r);
}

static guint hang_calls;

/* The first invocation hangs until the test returns it late; the second
 * completes at once. */
static void
fetch_hang_first (DfCall *call, const char *url)
{
  if (hang_calls++ == 0)
    held_call = call;
  else
    fetch_return (call, g_strdup ("second"));
}

static void
late_return_probe (DfTimer *timer)
{
  fetch_return (held_call, g_strdup ("late first"));   /* discarded */
  (void) timer;
}

/* The abandoned call comes back within the grace: the retry runs, and
 * only its result is delivered. */
static void
test_retry_after_late_return (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DfCallSite site = { .stage = "hang", .timeout = 5 * G_TIME_SPAN_SECOND,
                      .discard = fetch_discard };
  FetchFlowSpec spec = { .site = &site, .fetch = fetch_hang_first, .retries = 1 };
  TestResult r = { 0 };
  DfTimer late;

  hang_calls = 0;
  df_runtime_set_virtual_clock (rt, START, TRUE);
  df_timer_init (&late, late_return_probe);
  df_timer_start_in (rt, &late, 7 * G_TIME_SPAN_SECOND);
  df_frame_start (fetch_flow_new (rt, &spec, "a", &r));
  runtime_run_or_fail (rt, 60);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.page, ==, "second");
  g_assert_cmpuint (r.attempts, ==, 2);
  g_assert_cmpint (df_runtime_get_time (rt), ==, START + 7 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  test_result_clear (&r);
}

/* ------------------------------------------------------------- the log */

static GString *printed;

static void
capture_printerr (const char *text)
{
  g_string_append (printed, text);
}

static guint
count_lines (const char *text, const char *needle)
{
  guint n = 0;
  for (const char *p = text; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

static void
test_log_rate (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GPrintFunc old = g_set_printerr_handler (capture_printerr);

  printed = g_string_new (NULL);
  g_set_prgname ("prog");
  df_runtime_set_virtual_clock (rt, START, FALSE);
  for (int i = 0; i < 15; i++)
    df_runtime_log (rt, "prog: node 'n': item %d failed; skipped", i);
  g_assert_cmpuint (count_lines (printed->str, "; skipped\n"), ==, 10);
  g_assert_nonnull (strstr (printed->str, "prog: node 'n': item 9 failed; skipped\n"));
  g_assert_null (strstr (printed->str, "item 10 failed"));

  df_runtime_advance_clock (rt, G_TIME_SPAN_SECOND);
  df_runtime_log (rt, "prog: node 'n': item %d failed; skipped", 15);
  g_assert_nonnull (strstr (printed->str, "prog: 5 more messages suppressed\nprog: node 'n': item 15 failed"));

  /* --quiet: nothing printed, everything counted. */
  g_string_truncate (printed, 0);
  df_runtime_set_quiet (rt, TRUE);
  g_assert_true (df_runtime_get_quiet (rt));
  df_runtime_log (rt, "silenced");
  df_runtime_log_flush (rt);
  g_assert_cmpstr (printed->str, ==, "");
  g_assert_cmpuint (df_runtime_get_n_logged (rt), ==, 17);

  g_set_printerr_handler (old);
  g_string_free (printed, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runtime/clock/advance", test_advance);
  g_test_add_func ("/runtime/clock/set-late", test_set_late);
  g_test_add_func ("/runtime/clock/auto-backoff", test_auto_backoff);
  g_test_add_func ("/runtime/clock/auto-timeout", test_auto_timeout);
  g_test_add_func ("/runtime/clock/retry-never-returns", test_retry_never_returns);
  g_test_add_func ("/runtime/clock/retry-after-late-return", test_retry_after_late_return);
  g_test_add_func ("/runtime/clock/log-rate", test_log_rate);
  return g_test_run ();
}
