/* test-signals.c — SIGINT/SIGTERM: the first drains, the second exits. */
#include <signal.h>

#include "rt-test.h"

static const DfCallSite site = { .stage = "wait", .discard = fetch_discard };

static void
on_cancelled (GCancellable *c, gpointer call)
{
  df_call_fail (call, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped"));
}

static void
fetch_until_cancelled (DfCall *call, const char *url)
{
  g_cancellable_connect (df_call_get_cancellable (call), G_CALLBACK (on_cancelled), call, NULL);
}

static gboolean
raise_later (gpointer data)
{
  raise (GPOINTER_TO_INT (data));
  return G_SOURCE_REMOVE;
}

static void
test_first_signal_drains (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &site, .fetch = fetch_until_cancelled };
  TestResult r[3] = { { 0 } };

  if (g_test_subprocess ())
    {
      df_runtime_watch_signals (rt, NULL, NULL);
      for (guint i = 0; i < G_N_ELEMENTS (r); i++)
        df_frame_start (fetch_flow_new (rt, &spec, "x", &r[i]));
      g_timeout_add (20, raise_later, GINT_TO_POINTER (SIGTERM));
      runtime_run_or_fail (rt, 5);
      for (guint i = 0; i < G_N_ELEMENTS (r); i++)
        {
          g_assert_error (r[i].error, DF_ERROR, DF_ERROR_CANCELLED);
          test_result_clear (&r[i]);
        }
      g_assert_true (df_runtime_is_stopping (rt));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*Terminated, stopping (send it again to exit at once)*");
}

static void
count_signal (DfRuntime *rt, int signum, gpointer data)
{
  g_assert_cmpint (signum, ==, SIGINT);
  (*(guint *) data)++;
  df_runtime_quit (rt);
}

/* The child: a custom handler for the first SIGINT, then a second. */
static int
child (const char *mode)
{
  DfRuntime *rt = df_runtime_new (NULL);
  guint seen = 0;

  df_runtime_watch_signals (rt, count_signal, &seen);
  df_runtime_hold (rt);
  g_timeout_add (10, raise_later, GINT_TO_POINTER (SIGINT));
  df_runtime_run (rt);
  if (seen != 1)
    return 3;
  g_timeout_add (10, raise_later, GINT_TO_POINTER (SIGINT));
  df_runtime_run (rt);
  return 4;   /* not reached: the second signal exits */
}

static void
test_second_signal_exits (void)
{
  ProgramRun r = test_spawn_child ("signals");

  g_assert_cmpint (r.status, ==, 128 + SIGINT);
  g_assert_true (g_pattern_match_simple ("*Interrupt, stopping*Interrupt again, exiting now*",
                                         r.err));
  program_run_clear (&r);
}

int
main (int argc, char **argv)
{
  test_child_main (argc, argv, child);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runtime/signals/first-drains", test_first_signal_drains);
  g_test_add_func ("/runtime/signals/second-exits", test_second_signal_exits);
  return g_test_run ();
}
