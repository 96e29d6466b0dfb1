/* test-supervisor.c — restart on failure with exponential back-off.
 *
 * On an auto-advancing virtual clock: every delay is exact and no test
 * waits in real time. */
#include "rt-test.h"

#define MS G_TIME_SPAN_MILLISECOND

/* The supervised run: a flow whose stage fails a given number of times. */
static const DfCallSite run_site = { .stage = "work", .discard = fetch_discard };

typedef struct {
  DfRuntime *rt;
  guint      failures_left;   /* G_MAXUINT: fail forever */
  GTimeSpan  run_time;        /* how long each run lasts */
  guint      runs;
  gint64     started[16];
  GTimeSpan  reported[16];
  guint      n_reported;
  gboolean   done;
  GError    *error;
  TestResult result;
  FetchFlowSpec spec;
  DfCall    *call;            /* the run's call, completed by run_timer */
  DfTimer    run_timer;
  DfTimer    stop_timer;      /* df_runtime_cancel_all() at a given time */
  guint      progress_on_run; /* this run finishes a round before failing */
} Fixture;

static void
finish_run (DfTimer *timer)
{
  Fixture *fx = DF_CONTAINER_OF (timer, Fixture, run_timer);
  DfCall *call = fx->call;

  if (fx->failures_left > 0)
    {
      if (fx->failures_left != G_MAXUINT)
        fx->failures_left--;
      df_call_failf (call, G_IO_ERROR, G_IO_ERROR_FAILED, "run %u broke", fx->runs);
    }
  else
    fetch_return (call, g_strdup ("fine"));
}

static void
work (DfCall *call, const char *url)
{
  Fixture *fx = df_call_get_user_data (call);
  /* A run that gets this far "completes a round" first. */
  if (fx->runs == fx->progress_on_run)
    df_frame_round_done (df_call_get_frame (call));
  fx->call = call;
  df_timer_start_in (fx->rt, &fx->run_timer, fx->run_time);
}

static void
stop_now (DfTimer *timer)
{
  df_runtime_cancel_all (DF_CONTAINER_OF (timer, Fixture, stop_timer)->rt);
}

static void
stop_at (Fixture *fx, GTimeSpan delay)
{
  df_timer_start_in (fx->rt, &fx->stop_timer, delay);
}

static void
run_done (DfFrame *frame, const GError *error, gpointer sup)
{
  df_supervisor_run_finished (sup, error);
}

static void
start_run (DfSupervisor *sup, gpointer data)
{
  Fixture *fx = data;

  fx->started[MIN (fx->runs, 15)] = df_runtime_get_time (fx->rt);
  fx->runs++;
  DfFrame *frame = fetch_flow_new (fx->rt, &fx->spec, "run", &fx->result);
  df_frame_set_done (frame, run_done, sup);
  df_frame_start (frame);
}

static void
report (DfSupervisor *sup, const GError *error, guint restart, GTimeSpan delay, gpointer data)
{
  Fixture *fx = data;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (restart, ==, df_supervisor_get_restarts (sup));
  fx->reported[MIN (fx->n_reported, 15)] = delay;
  fx->n_reported++;
}

static void
sup_done (DfSupervisor *sup, const GError *error, gpointer data)
{
  Fixture *fx = data;

  fx->done = TRUE;
  fx->error = error ? g_error_copy (error) : NULL;
}

static DfSupervisor *
fixture_init (Fixture *fx, guint failures, GTimeSpan run_time)
{
  memset (fx, 0, sizeof *fx);
  fx->rt = df_runtime_new (NULL);
  df_runtime_set_virtual_clock (fx->rt, 0, TRUE);
  df_timer_init (&fx->run_timer, finish_run);
  df_timer_init (&fx->stop_timer, stop_now);
  fx->failures_left = failures;
  fx->run_time = run_time;
  fx->spec = (FetchFlowSpec) { .site = &run_site, .fetch = work, .user_data = fx };
  DfSupervisor *sup = df_supervisor_new (fx->rt, "ticker", start_run, fx);
  df_supervisor_set_report_func (sup, report, fx);
  df_supervisor_set_done_func (sup, sup_done, fx);
  return sup;
}

static void
fixture_clear (Fixture *fx, DfSupervisor *sup)
{
  df_supervisor_free (sup);
  g_clear_error (&fx->error);
  df_runtime_unref (fx->rt);
}

/* Four failures, then success: delays 10, 20, 40, 40 ms (capped). */
static void
test_backoff (void)
{
  Fixture fx;
  DfSupervisor *sup = fixture_init (&fx, 4, 1 * MS);

  df_supervisor_set_backoff (sup, 10 * MS, 40 * MS);
  df_supervisor_start (sup);
  runtime_run_or_fail (fx.rt, 10);
  g_assert_true (fx.done);
  g_assert_no_error (fx.error);
  g_assert_cmpuint (fx.runs, ==, 5);
  g_assert_cmpuint (df_supervisor_get_restarts (sup), ==, 4);
  g_assert_cmpuint (fx.n_reported, ==, 4);
  static const GTimeSpan want[] = { 10 * MS, 20 * MS, 40 * MS, 40 * MS };
  for (guint i = 0; i < 4; i++)
    {
      g_assert_cmpint (fx.reported[i], ==, want[i]);
      /* Each restart came its delay after the previous run ended. */
      g_assert_cmpint (fx.started[i + 1] - fx.started[i], ==, 1 * MS + want[i]);
    }
  fixture_clear (&fx, sup);
}

static void
test_max_restarts (void)
{
  Fixture fx;
  DfSupervisor *sup = fixture_init (&fx, G_MAXUINT, 1 * MS);

  df_supervisor_set_backoff (sup, 5 * MS, 10 * MS);
  df_supervisor_set_max_restarts (sup, 2);
  df_supervisor_start (sup);
  runtime_run_or_fail (fx.rt, 10);
  g_assert_error (fx.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (fx.runs, ==, 3);
  g_assert_cmpuint (fx.n_reported, ==, 3);
  g_assert_cmpint (fx.reported[2], <, 0);       /* "giving up" */
  fixture_clear (&fx, sup);
}

/* `on error skip halt after 3`: failures in a row end it; a round finished by
 * run 3 starts the row again, so it ends at run 5, not 3. */
static void
test_failures_in_row (void)
{
  Fixture fx;
  DfSupervisor *sup = fixture_init (&fx, G_MAXUINT, 1 * MS);

  df_supervisor_set_backoff (sup, 10 * MS, 10 * MS);
  df_supervisor_set_max_failures_in_row (sup, 3);
  fx.progress_on_run = 3;
  df_supervisor_start (sup);
  runtime_run_or_fail (fx.rt, 10);
  g_assert_error (fx.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (fx.error->message, ==, "run 5 broke");
  g_assert_cmpuint (fx.runs, ==, 5);
  g_assert_cmpuint (df_supervisor_get_failures_in_row (sup), ==, 3);
  g_assert_cmpint (fx.reported[4], <, 0);       /* "giving up" */
  fixture_clear (&fx, sup);
}

/* Runs that last at least the maximum delay are healthy: the delay does
 * not grow. */
static void
test_healthy_resets (void)
{
  Fixture fx;
  DfSupervisor *sup = fixture_init (&fx, 3, 25 * MS);

  df_supervisor_set_backoff (sup, 5 * MS, 20 * MS);
  df_supervisor_start (sup);
  runtime_run_or_fail (fx.rt, 10);
  g_assert_no_error (fx.error);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (fx.reported[i], ==, 5 * MS);
  fixture_clear (&fx, sup);
}

/* Stopping the runtime during the back-off ends the supervisor at once,
 * with the failure it was waiting to restart after: the program failed,
 * the stop only cut the wait short. */
static void
test_stop_while_waiting (void)
{
  Fixture fx;
  DfSupervisor *sup = fixture_init (&fx, G_MAXUINT, 1 * MS);

  df_supervisor_set_backoff (sup, 10 * G_TIME_SPAN_SECOND, 20 * G_TIME_SPAN_SECOND);
  gint64 start = df_runtime_get_time (fx.rt);
  df_supervisor_start (sup);
  stop_at (&fx, 30 * MS);
  runtime_run_or_fail (fx.rt, 5);
  g_assert_error (fx.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpstr (fx.error->message, ==, "run 1 broke");
  g_assert_cmpuint (fx.runs, ==, 1);
  g_assert_cmpint (df_runtime_get_time (fx.rt), ==, start + 30 * MS);
  fixture_clear (&fx, sup);
}

/* Stopping while a run is in progress: the run is cancelled and the
 * supervisor does not restart it. */
static void
test_stop_while_running (void)
{
  Fixture fx;
  DfSupervisor *sup = fixture_init (&fx, G_MAXUINT, 1000 * MS);

  df_supervisor_start (sup);
  stop_at (&fx, 10 * MS);
  runtime_run_or_fail (fx.rt, 5);
  g_assert_error (fx.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_assert_cmpuint (fx.runs, ==, 1);
  /* The stage's own timer still holds the call: the shutdown lets it
   * finish (at 1 s on the virtual clock) and discards its result. */
  g_assert_true (df_runtime_shutdown (fx.rt, 10 * G_TIME_SPAN_SECOND, NULL));
  g_assert_cmpuint (df_runtime_get_n_frames (fx.rt), ==, 0);
  fixture_clear (&fx, sup);
}

/* The default report: one line per failure on stderr. */
static void
test_default_report (void)
{
  if (g_test_subprocess ())
    {
      Fixture fx;
      DfSupervisor *sup = fixture_init (&fx, 2, 1 * MS);
      df_supervisor_set_report_func (sup, NULL, NULL);
      df_supervisor_set_backoff (sup, 2 * MS, 3 * MS);
      df_supervisor_set_max_restarts (sup, 1);
      df_supervisor_start (sup);
      runtime_run_or_fail (fx.rt, 5);
      fixture_clear (&fx, sup);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("ticker: run failed: run 1 broke; restart 1 in 2ms\n"
                             "ticker: run failed: run 2 broke; giving up after 1 restart\n");
}

/* The same through the runtime's log: --quiet silences it. */
static void
test_quiet_report (void)
{
  if (g_test_subprocess ())
    {
      Fixture fx;
      DfSupervisor *sup = fixture_init (&fx, 2, 1 * MS);
      df_runtime_set_quiet (fx.rt, TRUE);
      df_supervisor_set_report_func (sup, NULL, NULL);
      df_supervisor_set_backoff (sup, 2 * MS, 3 * MS);
      df_supervisor_set_max_failures_in_row (sup, 2);
      df_supervisor_start (sup);
      runtime_run_or_fail (fx.rt, 5);
      g_assert_cmpuint (df_runtime_get_n_logged (fx.rt), ==, 2);
      fixture_clear (&fx, sup);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runtime/supervisor/backoff", test_backoff);
  g_test_add_func ("/runtime/supervisor/max-restarts", test_max_restarts);
  g_test_add_func ("/runtime/supervisor/healthy-resets", test_healthy_resets);
  g_test_add_func ("/runtime/supervisor/stop-while-waiting", test_stop_while_waiting);
  g_test_add_func ("/runtime/supervisor/stop-while-running", test_stop_while_running);
  g_test_add_func ("/runtime/supervisor/default-report", test_default_report);
  g_test_add_func ("/runtime/supervisor/failures-in-row", test_failures_in_row);
  g_test_add_func ("/runtime/supervisor/quiet-report", test_quiet_report);
  return g_test_run ();
}
