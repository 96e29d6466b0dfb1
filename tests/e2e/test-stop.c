/* test-stop.c — real signals to the program generated from stop.df
 * ($E2E_STOP): the first SIGINT or SIGTERM drains flows under `every`,
 * `repeat` and `restart on failure`; the exit status says whether
 * anything failed; a blocking stage that never returns delays the end by
 * the shutdown grace only; a second signal ends it at once.
 *
 * No timing: the test signals once the program has printed "ready all"
 * (every run has called its stage) and, for the second signal, once it
 * has reported the first. */
#include <signal.h>
#include <string.h>

#include <gio/gio.h>

#include "program-run.h"

typedef struct {
  int   status;      /* exit status, or 128 + signal */
  char *output;      /* stdout and stderr, merged */
} Stop;

/* Reads merged output up to and including a line containing @marker. */
static void
read_until (GDataInputStream *in, GString *all, const char *marker)
{
  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
      g_assert_no_error (error);
      if (line == NULL)
        g_error ("the program ended before printing '%s':\n%s", marker, all->str);
      g_string_append_printf (all, "%s\n", line);
      if (strstr (line, marker))
        return;
    }
}

static Stop
run_stop (const char *const *args, int first, int second)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc = program_spawn ("E2E_STOP", args, NULL, G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr (GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  GString *all = g_string_new (NULL);

  read_until (in, all, "ready all");
  g_subprocess_send_signal (proc, first);
  if (second)
    {
      read_until (in, all, "stopping");
      g_subprocess_send_signal (proc, second);
    }
  /* The rest of the output, then the status. */
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, &error);
      g_assert_no_error (error);
      if (line == NULL)
        break;
      g_string_append_printf (all, "%s\n", line);
    }
  /* A second signal may end the program by the signal itself. */
  Stop s = { .status = program_wait_status (proc, PROGRAM_KILLED_IS_STATUS) };
  s.output = g_string_free (all, FALSE);
  return s;
}

#define QUIET_RUNS "--ms=5", "--upto=1000000"

/* Every run drains: the `every` round's call fails with
 * G_IO_ERROR_CANCELLED because of the drain, which is not a failure. */
static void
test_drain (gconstpointer data)
{
  int signum = GPOINTER_TO_INT (data);
  const char *args[] = { QUIET_RUNS, "--no-stuck", "--no-broken", NULL };
  Stop s = run_stop (args, signum, 0);

  g_assert_cmpint (s.status, ==, 0);
  g_assert_nonnull (strstr (s.output, "stopping (send it again to exit at once)"));
  g_assert_null (strstr (s.output, "cancelled"));
  g_assert_null (strstr (s.output, "failed"));
  g_free (s.output);
}

/* The supervised run failed before the signal and waits out a 10 s
 * back-off: the signal ends the wait, and the program exits 1. */
static void
test_failed_before_signal (void)
{
  const char *args[] = { QUIET_RUNS, "--no-stuck", "--broken", NULL };
  Stop s = run_stop (args, SIGINT, 0);

  g_assert_cmpint (s.status, ==, 1);
  g_assert_nonnull (strstr (s.output, "flaky: run failed: flaky failed; restart 1 in 10s"));
  g_assert_nonnull (strstr (s.output, "flaky: flaky failed\n"));
  g_free (s.output);
}

/* An `every` flow that failed on its own, before the signal: exit 1. */
static void
test_every_failed (void)
{
  const char *args[] = { "--ms=5", "--upto=0", "--no-stuck", "--no-broken", NULL };
  Stop s = run_stop (args, SIGINT, 0);

  g_assert_cmpint (s.status, ==, 1);
  g_assert_nonnull (strstr (s.output, "counter: count 1 passed 0\n"));
  g_free (s.output);
}

/* A blocking stage that never returns: the drain ends every other run,
 * the shutdown waits its grace (1 s), names the stage and exits 1. */
static void
test_stuck (void)
{
  const char *args[] = { QUIET_RUNS, "--stuck", "--no-broken", NULL };
  Stop s = run_stop (args, SIGINT, 0);

  g_assert_cmpint (s.status, ==, 1);
  g_assert_nonnull (strstr (s.output, ": stage 'st_stuck' did not return; exiting\n"));
  g_free (s.output);
}

/* The second signal exits at once, stuck stage or not. */
static void
test_second_signal (void)
{
  const char *args[] = { QUIET_RUNS, "--stuck", "--no-broken", NULL };
  Stop s = run_stop (args, SIGINT, SIGINT);

  g_assert_cmpint (s.status, ==, 128 + SIGINT);
  g_assert_nonnull (strstr (s.output, "again, exiting now"));
  g_assert_null (strstr (s.output, "did not return"));
  g_free (s.output);
}

/* ------------------------------------------- on error skip, virtual clock */

/* Runs $E2E_SKIP with DF_VIRTUAL_CLOCK=1 (no signals). */
static Stop
run_skip (const char *pattern, char **err)
{
  g_autofree char *arg = g_strdup_printf ("--pattern=%s", pattern);
  g_autoptr (GSubprocess) proc = program_spawn ("E2E_SKIP", PROGRAM_ARGS (arg),
                                                PROGRAM_ARGS ("DF_VIRTUAL_CLOCK=1"),
                                                G_SUBPROCESS_FLAGS_NONE);
  ProgramRun r = program_finish (proc);
  Stop s = { .status = r.status, .output = g_steal_pointer (&r.out) };
  *err = g_steal_pointer (&r.err);
  return s;
}

/* Failed rounds are logged and skipped, the next round comes 10 s later
 * as always; a successful round ends a row; the third failure in a row
 * ends the program with status 1.  90 s of the program's time, exactly. */
static void
test_skip_threshold (void)
{
  g_autofree char *err = NULL;
  Stop s = run_skip ("sfsffsfff", &err);

  g_assert_cmpint (s.status, ==, 1);
  g_assert_cmpstr (s.output, ==,
                   "round 1 at +0s\n"
                   "round 3 at +20s\n"
                   "round 6 at +50s\n");
  g_assert_cmpstr (err, ==,
                   "poll: run failed: round 2 failed at +10s; restart 1 in 10s (1 of 3 failures in a row)\n"
                   "poll: run failed: round 4 failed at +30s; restart 2 in 10s (1 of 3 failures in a row)\n"
                   "poll: run failed: round 5 failed at +40s; restart 3 in 10s (2 of 3 failures in a row)\n"
                   "poll: run failed: round 7 failed at +60s; restart 4 in 10s (1 of 3 failures in a row)\n"
                   "poll: run failed: round 8 failed at +70s; restart 5 in 10s (2 of 3 failures in a row)\n"
                   "poll: run failed: round 9 failed at +80s; giving up after 3 failures in a row\n"
                   "poll: round 9 failed at +80s\n");
  g_free (s.output);
}

/* Time-outs end calls that never complete, and main ends: each flow
 * fails with its time-out (the retried one after one more timeout), and
 * the shutdown names both stages after its grace.  Real clock. */
static void
test_timeouts_end (void)
{
  ProgramRun r = program_run ("E2E_HANG", PROGRAM_ARGS (NULL));
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, "once: stage 'hg_never' timed out after 50ms\n"));
  g_assert_nonnull (strstr (r.err, "twice: stage 'hg_never_retry' timed out after 50ms; retry 1 of 1 in 0s\n"));
  g_assert_nonnull (strstr (r.err, "twice: stage 'hg_never_retry' timed out after 50ms and did not return; "
                                   "not retried\n"));
  g_assert_nonnull (strstr (r.err, ": stage 'hg_never"));
  g_assert_nonnull (strstr (r.err, "did not complete; exiting\n"));
  program_run_clear (&r);
}

/* A bad DF_VIRTUAL_CLOCK is a usage error. */
static void
test_bad_clock (void)
{
  g_autoptr (GSubprocess) proc = program_spawn ("E2E_SKIP", PROGRAM_ARGS ("--pattern=s"),
                                                PROGRAM_ARGS ("DF_VIRTUAL_CLOCK=yesterday"),
                                                G_SUBPROCESS_FLAGS_NONE);
  ProgramRun r = program_finish (proc);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "DF_VIRTUAL_CLOCK=yesterday: expected 1, 0 or a date-time"));
  program_run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/stop/drain-sigint", GINT_TO_POINTER (SIGINT), test_drain);
  g_test_add_data_func ("/stop/drain-sigterm", GINT_TO_POINTER (SIGTERM), test_drain);
  g_test_add_func ("/stop/failed-before-signal", test_failed_before_signal);
  g_test_add_func ("/stop/every-failed", test_every_failed);
  g_test_add_func ("/stop/stuck", test_stuck);
  g_test_add_func ("/stop/second-signal", test_second_signal);
  g_test_add_func ("/stop/skip-threshold", test_skip_threshold);
  g_test_add_func ("/stop/bad-clock", test_bad_clock);
  g_test_add_func ("/stop/timeouts-end", test_timeouts_end);
  return g_test_run ();
}
