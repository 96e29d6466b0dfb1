/* test-stats.c — per-stage counters, the registry and the report. */
#include <string.h>

#include "rt-test.h"

static DfStageStats alpha = DF_STAGE_STATS_INIT ("alpha");
static DfStageStats beta = DF_STAGE_STATS_INIT ("beta");

static void
collect (const DfStageStatsValues *v, gpointer data)
{
  g_ptr_array_add (data, (gpointer) v->name);
}

static gpointer
hammer (gpointer data)
{
  for (int i = 0; i < 10000; i++)
    {
      gint64 t = df_stage_stats_enter (&beta);
      df_stage_stats_leave (&beta, t, i % 100 != 0);
    }
  return NULL;
}

static void
test_counters (void)
{
  GThread *threads[4];
  DfStageStatsValues v;

  df_stats_set_timing (TRUE);
  gint64 t = df_stage_stats_enter (&alpha);
  g_usleep (2000);
  df_stage_stats_leave (&alpha, t, TRUE);
  df_stats_set_timing (FALSE);
  df_stage_stats_get (&alpha, &v);
  g_assert_cmpstr (v.name, ==, "alpha");
  g_assert_cmpint (v.calls, ==, 1);
  g_assert_cmpint (v.time_us, >=, 2000);

  /* Updated from four threads at once without a lock, nothing lost. */
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("hammer", hammer, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  df_stage_stats_get (&beta, &v);
  g_assert_cmpint (v.calls, ==, 40000);
  g_assert_cmpint (v.failures, ==, 400);
  g_assert_cmpint (v.in_flight, ==, 0);
  g_assert_cmpint (v.time_us, ==, 0);

  /* Registered once each, in order of first use. */
  GPtrArray *names = g_ptr_array_new ();
  df_stats_foreach (collect, names);
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_cmpstr (names->pdata[0], ==, "alpha");
  g_assert_cmpstr (names->pdata[1], ==, "beta");
  g_ptr_array_unref (names);

  char *text = df_stats_format ();
  g_assert_true (g_str_has_prefix (text, "stage "));
  g_assert_nonnull (strstr (text, "\nbeta                          40000       400"));
  g_free (text);
}

static gboolean
release_later (gpointer rt)
{
  df_runtime_release (rt);
  return G_SOURCE_REMOVE;
}

static void
test_log_interval (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
      df_stage_stats_leave (&alpha, df_stage_stats_enter (&alpha), TRUE);
      df_runtime_log_stats (rt, 5 * G_TIME_SPAN_MILLISECOND);
      df_runtime_hold (rt);
      g_timeout_add (30, release_later, rt);
      runtime_run_or_fail (rt, 5);
      df_runtime_log_stats (rt, 0);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("stage *alpha *1 *0*stage *alpha*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runtime/stats/counters", test_counters);
  g_test_add_func ("/runtime/stats/log-interval", test_log_interval);
  return g_test_run ();
}
