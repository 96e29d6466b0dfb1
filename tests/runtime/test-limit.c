/* test-limit.c — `limit N`: process-wide bound on calls in flight. */
#include "rt-test.h"

static DfLimit three = DF_LIMIT_INIT (3);
static DfStageStats limited_stats = DF_STAGE_STATS_INIT ("limited");
static const DfCallSite three_site = {
  .stage = "limited", .stats = &limited_stats, .limit = &three, .discard = fetch_discard,
};

static GQueue parked = G_QUEUE_INIT;
static guint max_parked;

static void
fetch_park (DfCall *call, const char *url)
{
  g_queue_push_tail (&parked, call);
  max_parked = MAX (max_parked, parked.length);
  g_assert_cmpuint (df_limit_get_used (&three), <=, 3);
}

/* Completes one parked call per idle iteration. */
static gboolean
complete_one (gpointer data)
{
  DfCall *call = g_queue_pop_head (&parked);

  if (call)
    fetch_return (call, g_strdup ("ok"));
  return G_SOURCE_CONTINUE;
}

static void
test_basic (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &three_site, .fetch = fetch_park };
  TestResult r[50] = { { 0 } };

  max_parked = 0;
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    df_frame_start (fetch_flow_new (rt, &spec, "x", &r[i]));
  guint id = g_idle_add (complete_one, NULL);
  runtime_run_or_fail (rt, 10);
  g_source_remove (id);
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    {
      g_assert_cmpstr (r[i].page, ==, "ok");
      test_result_clear (&r[i]);
    }
  g_assert_cmpuint (max_parked, ==, 3);
  g_assert_cmpuint (df_limit_get_used (&three), ==, 0);
}

/* ------------------------------------------ completions from threads */

static DfLimit four = DF_LIMIT_INIT (4);
static const DfCallSite four_site = { .stage = "four", .limit = &four, .discard = fetch_discard };
static gint in_stage, max_in_stage;
static TestQueue queue;

static void
fetch_to_thread (DfCall *call, const char *url)
{
  gint now = g_atomic_int_add (&in_stage, 1) + 1;
  if (now > g_atomic_int_get (&max_in_stage))
    g_atomic_int_set (&max_in_stage, now);
  test_queue_push (&queue, call);
}

static gpointer
completer (gpointer data)
{
  for (DfCall *call; (call = test_queue_pop (&queue)) != NULL;)
    {
      g_atomic_int_add (&in_stage, -1);
      fetch_return (call, NULL);
    }
  return NULL;
}

static void
count_ok (DfFrame *frame, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  (*(guint *) data)++;
}

static void
test_threads (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &four_site, .fetch = fetch_to_thread };
  TestResult unused = { 0 };
  GThread *threads[3];
  guint done = 0;

  test_queue_init (&queue);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("completer", completer, NULL);
  for (guint i = 0; i < 2000; i++)
    {
      DfFrame *frame = fetch_flow_new (rt, &spec, "x", &unused);
      df_frame_set_done (frame, count_ok, &done);
      df_frame_start (frame);
    }
  runtime_run_or_fail (rt, 30);
  test_queue_close (&queue);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  test_queue_clear (&queue);
  g_assert_cmpuint (done, ==, 2000);
  g_assert_cmpint (max_in_stage, <=, 4);
  g_assert_cmpuint (df_limit_get_used (&four), ==, 0);
}

/* -------------------------------------------- cancel while queued */

static DfLimit one = DF_LIMIT_INIT (1);
static const DfCallSite one_site = { .stage = "one", .limit = &one, .discard = fetch_discard };

static void
test_cancel_waiting (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &one_site, .fetch = fetch_park };
  TestResult a = { 0 }, b = { 0 }, c = { 0 };

  DfFrame *fa = fetch_flow_new (rt, &spec, "a", &a);
  DfFrame *fb = fetch_flow_new (rt, &spec, "b", &b);
  df_frame_start (fa);
  df_frame_start (fb);
  df_frame_start (fetch_flow_new (rt, &spec, "c", &c));
  while (parked.length < 1 || df_runtime_get_n_frames (rt) < 3)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (parked.length, ==, 1);       /* b and c wait for the slot */

  df_frame_cancel (fb);
  while (!b.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (b.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_assert_cmpuint (b.attempts, ==, 0);

  /* a's slot passes over the cancelled b to c. */
  guint id = g_idle_add (complete_one, NULL);
  runtime_run_or_fail (rt, 5);
  g_source_remove (id);
  g_assert_cmpstr (a.page, ==, "ok");
  g_assert_cmpstr (c.page, ==, "ok");
  g_assert_cmpuint (df_limit_get_used (&one), ==, 0);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  test_result_clear (&a);
  test_result_clear (&b);
  test_result_clear (&c);
}

static void
test_try_acquire (void)
{
  static DfLimit two = DF_LIMIT_INIT (2);

  g_assert_true (df_limit_try_acquire (&two));
  g_assert_true (df_limit_try_acquire (&two));
  g_assert_false (df_limit_try_acquire (&two));
  g_assert_cmpuint (df_limit_get_used (&two), ==, 2);
  df_limit_release (&two);
  g_assert_true (df_limit_try_acquire (&two));
  df_limit_release (&two);
  df_limit_release (&two);
  g_test_expect_message ("dfrt", G_LOG_LEVEL_CRITICAL, "*no slot*");
  df_limit_release (&two);
  g_test_assert_expected_messages ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runtime/limit/basic", test_basic);
  g_test_add_func ("/runtime/limit/threads", test_threads);
  g_test_add_func ("/runtime/limit/cancel-waiting", test_cancel_waiting);
  g_test_add_func ("/runtime/limit/try-acquire", test_try_acquire);
  return g_test_run ();
}
