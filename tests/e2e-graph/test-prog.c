/* test-prog.c — runs the standalone programs generated from prog.df
 * ($GRAPH_PROG) and restart.df ($GRAPH_RESTART): graph inputs as options,
 * --mode=sync's deterministic order, --stats, exit status 1 on a halt,
 * the first SIGINT drains (exit 0), a second one exits at once (130),
 * `restart on failure` until the run succeeds or gives up; faults.df
 * ($GRAPH_FAULTS): the log of skipped failures, its rate limit, --quiet,
 * and `halt after N`; lines.df ($GRAPH_LINES): a start node that fails
 * under `on error skip` makes the exit status 1. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "program-run.h"

typedef struct {
  GSubprocess *proc;
  const guint *signal_ms;
  GCancellable *done;
} Signaller;

/* SIGINT at each of signal_ms (milliseconds from the start), unless the
 * program has ended. */
static gpointer
signaller (gpointer data)
{
  Signaller *s = data;
  gint64 start = g_get_monotonic_time ();
  for (guint i = 0; s->signal_ms[i] != 0; i++)
    {
      while (!g_cancellable_is_cancelled (s->done)
             && g_get_monotonic_time () - start < (gint64) s->signal_ms[i] * 1000)
        g_usleep (1000);
      if (g_cancellable_is_cancelled (s->done))
        break;
      g_subprocess_send_signal (s->proc, SIGINT);
    }
  return NULL;
}

/* Runs $@env with @args, with SIGINTs at @signal_ms (0-terminated,
 * nullable). */
static ProgramRun
run_prog (const char *env, const char *const *args, const guint *signal_ms)
{
  g_autoptr (GSubprocess) proc = program_spawn (env, args, NULL, G_SUBPROCESS_FLAGS_NONE);
  g_autoptr (GCancellable) done = g_cancellable_new ();
  Signaller s = { proc, signal_ms, done };
  GThread *thread = signal_ms ? g_thread_new ("signals", signaller, &s) : NULL;
  /* The second SIGINT may end the program by the signal itself. */
  ProgramRun r = program_finish_full (proc, PROGRAM_KILLED_IS_STATUS);
  g_cancellable_cancel (done);
  if (thread != NULL)
    g_thread_join (thread);
  return r;
}

static guint
count_lines (const char *text, const char *prefix)
{
  guint n = 0;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    n += lines[i][0] != '\0' && g_str_has_prefix (lines[i], prefix);
  return n;
}

static void
test_sync_order (void)
{
  const char *args[] = { "--n=3", "--bad=-1", "--pause=0", "--mode=sync", NULL };
  ProgramRun r = run_prog ("GRAPH_PROG", args, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "a 0\nb 0\na 1\nb 1\na 2\nb 2\n");
  g_assert_cmpstr (r.err, ==, "");
  program_run_clear (&r);
}

static void
test_async (void)
{
  const char *args[] = { "--n=1000", "--bad=-1", "--pause=0", NULL };
  ProgramRun r = run_prog ("GRAPH_PROG", args, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (count_lines (r.out, "a "), ==, 1000);
  g_assert_cmpuint (count_lines (r.out, "b "), ==, 1000);
  g_assert_nonnull (strstr (r.out, "a 999\n"));
  g_assert_cmpstr (r.err, ==, "");
  program_run_clear (&r);
}

static void
test_stats (void)
{
  const char *args[] = { "--n=10", "--bad=-1", "--pause=0", "--stats", NULL };
  ProgramRun r = run_prog ("GRAPH_PROG", args, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.err, "graph numbers\n"));
  g_assert_true (g_regex_match_simple ("\nsrc +1 +10 +1 +0 +0 +0 +0 0/0\n", r.err, 0, 0));
  g_assert_true (g_regex_match_simple ("\nchk +10 +10 +10 +0 +0 +0 +0 [0-9]+/10000\n", r.err, 0, 0));
  g_assert_true (g_regex_match_simple ("\na +10 +0 +10 +0 +0 +0 +0 [0-9]+/10000\n", r.err, 0, 0));
  program_run_clear (&r);
}

static void
test_halt (void)
{
  const char *args[] = { "--n=10", "--bad=5", "--pause=0", "--mode=sync", NULL };
  ProgramRun r = run_prog ("GRAPH_PROG", args, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "a 0\nb 0\na 1\nb 1\na 2\nb 2\na 3\nb 3\na 4\nb 4\n");
  g_assert_cmpstr (r.err, ==, "numbers: graph 'numbers' halted: node 'chk' failed: check failed on 5\n");
  program_run_clear (&r);
}

static void
test_usage (void)
{
  const char *args[] = { "--n=3", NULL };
  ProgramRun r = run_prog ("GRAPH_PROG", args, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "bad"));
  program_run_clear (&r);

  /* --stats-interval out of range is bad usage, not an overflow */
  static const char *const intervals[] = { "--stats-interval=-1", "--stats-interval=9223372036854775807",
                                           "--stats-interval=1e300", "--stats-interval=9223372036854775807us" };
  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    {
      const char *bad[] = { "--n=3", "--bad=-1", "--pause=0", intervals[i], NULL };
      r = run_prog ("GRAPH_PROG", bad, NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_true (g_str_has_prefix (r.err, "e2e-graph-prog: invalid value '"));
      g_assert_nonnull (strstr (r.err, "' for --stats-interval: expected 0 (off) or seconds"));
      g_assert_cmpstr (r.out, ==, "");
      program_run_clear (&r);
    }

  const char *help[] = { "--help", NULL };
  r = run_prog ("GRAPH_PROG", help, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--pause"));
  g_assert_nonnull (strstr (r.out, "--mode"));
  program_run_clear (&r);
}

/* The first SIGINT drains: the source stops, what was queued is shown,
 * exit 0; periodic statistics meanwhile.  In both modes, and with a
 * source that then fails with G_IO_ERROR_CANCELLED (as a GIO read does):
 * the end of its input, not a failure. */
static void
test_drain (gconstpointer data)
{
  const char *mode = data;
  for (int n = -1; n >= -2; n--)
    {
      g_autofree char *n_arg = g_strdup_printf ("--n=%d", n);
      const char *args[] = { n_arg, "--bad=-1", "--pause=0", "--stats-interval=0.05", mode, NULL };
      const guint signals[] = { 300, 0 };
      ProgramRun r = run_prog ("GRAPH_PROG", args, signals);
      g_assert_cmpint (r.status, ==, 0);
      guint a = count_lines (r.out, "a "), b = count_lines (r.out, "b ");
      g_assert_cmpuint (a, >, 0);
      g_assert_cmpuint (a, ==, b);
      /* the runtime's message starts with the program's name, not dfrt's */
      g_assert_nonnull (strstr (r.err, "e2e-graph-prog: Interrupt, stopping"));
      g_assert_nonnull (strstr (r.err, "numbers: drained: the queued work finished; 0 input(s) dropped\n"));
      g_assert_null (strstr (r.err, "cancelled"));
      g_assert_nonnull (strstr (r.err, "graph numbers\n"));   /* --stats-interval */
      program_run_clear (&r);
    }
}

/* A start node that ignores the drain's cancellation and never returns
 * (--n=-3) cannot hang the program: the graph gives it up
 * DF_SHUTDOWN_GRACE after the signal (its input dropped), the queued work
 * finishes, and main's shutdown names the stage and exits 1.  The second
 * SIGINT, 20 s later, is only the test's time limit: a program that hung
 * would end with 130. */
static void
stuck_start (const char *mode, gboolean virtual_clock)
{
  const char *args[] = { "--n=-3", "--bad=-1", "--pause=0", mode, NULL };
  const guint signals[] = { 300, 20000, 0 };
  if (virtual_clock)
    g_setenv ("DF_VIRTUAL_CLOCK", "1", TRUE);
  ProgramRun r = run_prog ("GRAPH_PROG", args, signals);
  g_unsetenv ("DF_VIRTUAL_CLOCK");
  g_assert_cmpint (r.status, ==, 1);
  guint a = count_lines (r.out, "a "), b = count_lines (r.out, "b ");
  g_assert_cmpuint (a, >, 0);
  g_assert_cmpuint (a, ==, b);
  g_assert_nonnull (strstr (r.err, "e2e-graph-prog: Interrupt, stopping"));
  g_assert_nonnull (strstr (r.err, "numbers: drained: the queued work finished; 1 input(s) dropped\n"));
  g_assert_true (g_str_has_suffix (r.err, "e2e-graph-prog: stage 'source' did not return; exiting\n"));
  g_assert_null (strstr (r.err, "again, exiting now"));
  program_run_clear (&r);
}

static void
test_stuck_start (gconstpointer data)
{
  stuck_start (data, FALSE);
}

/* The same on an auto-advancing virtual clock, which stands still while
 * the stuck stage runs: the grace is real time there. */
static void
test_stuck_start_virtual (gconstpointer data)
{
  stuck_start (data, TRUE);
}

/* A second SIGINT while the drain is still working exits at once, also
 * while a blocking node is busy in sync mode (each show pauses 100 s). */
static void
test_second_signal (gconstpointer data)
{
  const char *args[] = { "--n=-1", "--bad=-1", "--pause=100000", data, NULL };
  const guint signals[] = { 300, 600, 0 };
  ProgramRun r = run_prog ("GRAPH_PROG", args, signals);
  g_assert_cmpint (r.status, ==, 128 + SIGINT);
  g_assert_nonnull (strstr (r.err, "Interrupt, stopping"));
  g_assert_nonnull (strstr (r.err, "again, exiting now"));
  program_run_clear (&r);
}

static void
test_restart (void)
{
  const char *none[] = { NULL };
  g_setenv ("FLAKY_FAILS", "2", TRUE);
  ProgramRun r = run_prog ("GRAPH_RESTART", none, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "0\n1\n");
  g_assert_cmpstr (r.err, ==,
                   "flaky: run failed: graph 'flaky' halted: node 'flaky_source' failed: run 1 fails; restart 1 in 10ms\n"
                   "flaky: run failed: graph 'flaky' halted: node 'flaky_source' failed: run 2 fails; restart 2 in 20ms\n");
  program_run_clear (&r);

  g_setenv ("FLAKY_FAILS", "10", TRUE);
  r = run_prog ("GRAPH_RESTART", none, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_nonnull (strstr (r.err, "run 4 fails; giving up after 3 restarts\n"));
  program_run_clear (&r);
}

/* The log lines of skipped failures, and the count the rate limit held
 * back, add up to the failures. */
static void
test_failure_log (void)
{
  const char *modes[] = { "--mode=sync", "--mode=async" };
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      const char *args[] = { "--n=100", "--period=4", "--from=1000", modes[m], NULL };
      ProgramRun r = run_prog ("GRAPH_FAULTS", args, NULL);
      g_assert_cmpint (r.status, ==, 0);
      /* The lines start with the program's name once it has one. */
      guint shown = 0, hidden = 0;
      g_auto (GStrv) lines = g_strsplit (r.err, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          const char *more = strstr (lines[i], "graph 'faults': ");
          guint n;
          char tail[64];
          if (lines[i][0] == '\0')
            continue;
          g_assert_nonnull (more);
          more += strlen ("graph 'faults': ");
          if (sscanf (more, "%u more failures of node 'chk' %63[a-z ]", &n, tail) == 2)
            {
              g_assert_cmpstr (tail, ==, "not shown");
              hidden += n;
            }
          else
            {
              g_assert_true (g_str_has_prefix (more, "node 'chk' failed, skipped (1 of 3 in a row "
                                                     "halt the graph): no good: "));
              shown++;
            }
        }
      /* 0, 4, ... 96; the first ten always shown. */
      g_assert_cmpuint (shown + hidden, ==, 25);
      g_assert_cmpuint (shown, >=, 10);
      g_assert_nonnull (strstr (r.err, "skipped (1 of 3 in a row halt the graph): no good: 0\n"));
      program_run_clear (&r);

      const char *quiet[] = { "--n=100", "--period=4", "--from=1000", "--quiet", modes[m], NULL };
      r = run_prog ("GRAPH_FAULTS", quiet, NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpstr (r.err, ==, "");
      program_run_clear (&r);
    }
}

/* On the virtual clock (DF_VIRTUAL_CLOCK=1) the whole run takes no time
 * on the runtime's clock, so the rate limit's split is exact: the first
 * ten failures shown, the other fifteen counted in one line when the node
 * ends. */
static void
test_failure_log_virtual (gconstpointer data)
{
  const char *args[] = { "--n=100", "--period=4", "--from=1000", data, NULL };
  g_setenv ("DF_VIRTUAL_CLOCK", "1", TRUE);
  ProgramRun r = run_prog ("GRAPH_FAULTS", args, NULL);
  g_unsetenv ("DF_VIRTUAL_CLOCK");
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (GString) expected = g_string_new (NULL);
  for (int v = 0; v < 40; v += 4)
    g_string_append_printf (expected, "e2e-graph-faults: graph 'faults': node 'chk' failed, skipped "
                                      "(1 of 3 in a row halt the graph): no good: %d\n", v);
  g_string_append (expected, "e2e-graph-faults: graph 'faults': 15 more failures of node 'chk' not shown\n");
  g_assert_cmpstr (r.err, ==, expected->str);
  program_run_clear (&r);
}

/* Three failures in a row halt the run: status 1 and the reason. */
static void
test_failure_threshold (void)
{
  const char *args[] = { "--n=100", "--period=1000", "--from=50", "--quiet", "--mode=sync", NULL };
  ProgramRun r = run_prog ("GRAPH_FAULTS", args, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.err, ==, "faults: graph 'faults' halted: node 'chk' failed: 3 times in a row; "
                              "last error: no good: 52\n");
  program_run_clear (&r);
}

/* A start node that fails under `on error skip` (lines.df's reader on a
 * missing file): logged with the node and the error, and the run exits 1
 * although the graph completed; --quiet keeps the last line, which says
 * why the status is 1.  With a good file, a line that the inner node
 * skips is logged but the status stays 0. */
static void
test_start_node_fails (gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("graph-lines-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.txt", NULL);
  g_autofree char *good = g_build_filename (dir, "good.txt", NULL);
  g_assert_true (g_file_set_contents (good, "1\nx\n3\n", -1, NULL));

  g_autofree char *missing_arg = g_strdup_printf ("--path=%s", missing);
  g_autofree char *lost = g_strdup_printf ("lines: start node 'src' failed (1 of 1 invocations); "
                                           "its input was lost: Failed to open file “%s”: "
                                           "No such file or directory\n", missing);
  const char *args[] = { missing_arg, data, NULL };
  ProgramRun r = run_prog ("GRAPH_LINES", args, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_autofree char *logged = g_strdup_printf ("e2e-graph-lines: graph 'lines': node 'src' failed, skipped: "
                                             "Failed to open file “%s”: No such file or directory\n",
                                             missing);
  g_autofree char *both = g_strconcat (logged, lost, NULL);
  g_assert_cmpstr (r.err, ==, both);
  program_run_clear (&r);

  const char *quiet[] = { missing_arg, "--quiet", data, NULL };
  r = run_prog ("GRAPH_LINES", quiet, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.err, ==, lost);
  program_run_clear (&r);

  g_autofree char *good_arg = g_strdup_printf ("--path=%s", good);
  const char *fine[] = { good_arg, data, NULL };
  r = run_prog ("GRAPH_LINES", fine, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "1\n3\n");
  g_assert_cmpstr (r.err, ==, "e2e-graph-lines: graph 'lines': node 'p' failed, skipped: not a number: x\n");
  program_run_clear (&r);

  g_remove (good);
  g_rmdir (dir);
}

/* main (App *): made before the runs, freed after them, seen by the
 * stages of a graph and of a flow; a state per run, closed after it, also
 * when the supervisor restarts a failed run. */
static void
test_user_data (void)
{
  const char *modes[] = { "--mode=sync", "--mode=async" };
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      const char *args[] = { "--n=5", "--fails=2", modes[m], NULL };
      ProgramRun r = run_prog ("GRAPH_SESSION", args, NULL);
      g_assert_cmpint (r.status, ==, 0);
      /* The flow's line comes whenever the flow ends; the graph's in order. */
      const char *flow_line = "greeting=hello from 4 arguments\n";
      char *at = strstr (r.out, flow_line);
      g_assert_nonnull (at);
      memmove (at, at + strlen (flow_line), strlen (at + strlen (flow_line)) + 1);
      g_assert_cmpstr (r.out, ==, "run 1 closed after 3\n"
                                  "run 2 closed after 3\n"
                                  "run 3 closed after 5\n"
                                  "opens=3 closes=3 delivered=11\n");
      program_run_clear (&r);
    }
}

/* A user data that cannot be made: its message, status 1, nothing runs. */
static void
test_user_data_fails (void)
{
  g_autoptr (GSubprocess) proc = program_spawn ("GRAPH_SESSION", PROGRAM_ARGS ("--n=5", "--fails=0"),
                                                PROGRAM_ARGS ("SESSION_NO_APP=1"), G_SUBPROCESS_FLAGS_NONE);
  ProgramRun r = program_finish (proc);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_true (g_str_has_suffix (r.err, ": no app today\n"));
  program_run_clear (&r);
}

/* A signal during a 20 s restart back-off ends the program at once; the
 * run before failed, so the status is 1. */
static void
test_signal_in_backoff (void)
{
  const char *none[] = { NULL };
  const guint signals[] = { 300, 0 };
  g_setenv ("FLAKY_FAILS", "10", TRUE);
  ProgramRun r = run_prog ("GRAPH_RESTART_LONG", none, signals);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "run 1 fails; restart 1 in 20s\n"));
  g_assert_nonnull (strstr (r.err, "Interrupt, stopping"));
  g_assert_null (strstr (r.err, "run 2"));
  program_run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/graph-prog/sync-order", test_sync_order);
  g_test_add_func ("/graph-prog/async", test_async);
  g_test_add_func ("/graph-prog/stats", test_stats);
  g_test_add_func ("/graph-prog/halt", test_halt);
  g_test_add_func ("/graph-prog/usage", test_usage);
  g_test_add_data_func ("/graph-prog/drain/async", "--mode=async", test_drain);
  g_test_add_data_func ("/graph-prog/drain/sync", "--mode=sync", test_drain);
  g_test_add_func ("/graph-prog/signal-in-backoff", test_signal_in_backoff);
  g_test_add_data_func ("/graph-prog/stuck-start/async", "--mode=async", test_stuck_start);
  g_test_add_data_func ("/graph-prog/stuck-start/sync", "--mode=sync", test_stuck_start);
  g_test_add_data_func ("/graph-prog/stuck-start-virtual/async", "--mode=async", test_stuck_start_virtual);
  g_test_add_data_func ("/graph-prog/stuck-start-virtual/sync", "--mode=sync", test_stuck_start_virtual);
  g_test_add_data_func ("/graph-prog/second-signal/async", "--mode=async", test_second_signal);
  g_test_add_data_func ("/graph-prog/second-signal/sync", "--mode=sync", test_second_signal);
  g_test_add_func ("/graph-prog/restart", test_restart);
  g_test_add_func ("/graph-prog/failure-log", test_failure_log);
  g_test_add_data_func ("/graph-prog/failure-log-virtual/sync", "--mode=sync", test_failure_log_virtual);
  g_test_add_data_func ("/graph-prog/failure-log-virtual/async", "--mode=async", test_failure_log_virtual);
  g_test_add_func ("/graph-prog/failure-threshold", test_failure_threshold);
  g_test_add_data_func ("/graph-prog/start-node-fails/sync", "--mode=sync", test_start_node_fails);
  g_test_add_data_func ("/graph-prog/start-node-fails/async", "--mode=async", test_start_node_fails);
  g_test_add_func ("/graph-prog/user-data", test_user_data);
  g_test_add_func ("/graph-prog/user-data-fails", test_user_data_fails);
  return g_test_run ();
}
