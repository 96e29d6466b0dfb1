/* test-data.c — data a library keeps per runtime (df_runtime_set_data):
 * set, get, replace and remove, each value destroyed exactly once; every
 * value left destroyed when the runtime is freed, also when its last
 * frame frees it and after df_runtime_shutdown (); a destroy function
 * that uses the runtime's data; and threads setting and getting at once. */
#include "rt-test.h"

/* A value that counts how often it was destroyed. */
typedef struct {
  gint destroyed;   /* atomic */
} Value;

static void
value_destroy (gpointer data)
{
  g_atomic_int_inc (&((Value *) data)->destroyed);
}

static void
test_set_get (void)
{
  DfRuntime *rt = df_runtime_new (NULL);
  Value a = { 0 }, b = { 0 }, c = { 0 };

  g_assert_null (df_runtime_get_data (rt, "test-a"));
  df_runtime_set_data (rt, "test-a", &a, value_destroy);
  df_runtime_set_data (rt, "test-c", &c, value_destroy);
  g_assert_true (df_runtime_get_data (rt, "test-a") == &a);
  g_assert_true (df_runtime_get_data (rt, "test-c") == &c);
  g_assert_null (df_runtime_get_data (rt, "test-b"));

  /* Replacing destroys the old value, not the new one. */
  df_runtime_set_data (rt, "test-a", &b, value_destroy);
  g_assert_cmpint (a.destroyed, ==, 1);
  g_assert_cmpint (b.destroyed, ==, 0);
  g_assert_true (df_runtime_get_data (rt, "test-a") == &b);

  /* NULL removes (and destroys); removing what is not there is nothing. */
  df_runtime_set_data (rt, "test-c", NULL, NULL);
  g_assert_cmpint (c.destroyed, ==, 1);
  g_assert_null (df_runtime_get_data (rt, "test-c"));
  df_runtime_set_data (rt, "test-c", NULL, NULL);

  /* A value without a destroy function is only forgotten. */
  Value plain = { 0 };
  df_runtime_set_data (rt, "test-plain", &plain, NULL);

  df_runtime_unref (rt);
  g_assert_cmpint (a.destroyed, ==, 1);
  g_assert_cmpint (b.destroyed, ==, 1);
  g_assert_cmpint (c.destroyed, ==, 1);
  g_assert_cmpint (plain.destroyed, ==, 0);
}

/* ------------------------------------ freed with the runtime, however */

static DfStageStats slow_stats = DF_STAGE_STATS_INIT ("slow");
static const DfCallSite slow_site = {
  .stage = "slow", .stats = &slow_stats, .discard = fetch_discard,
};

static gboolean
complete_later (gpointer call)
{
  fetch_return (call, g_strdup ("late page"));
  return G_SOURCE_REMOVE;
}

static void
fetch_in_10ms (DfCall *call, const char *url)
{
  g_timeout_add (10, complete_later, call);
}

static void
set_flag_done (DfFrame *frame, const GError *error, gpointer data)
{
  g_atomic_int_set ((gint *) data, 1);
}

/* The caller lets go of the runtime while a flow runs: the data stays
 * until the flow's frame, the runtime's last holder, is freed. */
static void
test_freed_by_last_frame (void)
{
  DfRuntime *rt = df_runtime_new (NULL);
  Value v = { 0 };
  FetchFlowSpec spec = { .site = &slow_site, .fetch = fetch_in_10ms };
  TestResult r = { 0 };
  gint flag = 0;

  df_runtime_set_data (rt, "test-session", &v, value_destroy);
  DfFrame *frame = fetch_flow_new (rt, &spec, "u", &r);
  df_frame_set_done (frame, set_flag_done, &flag);
  df_frame_start (frame);
  df_runtime_unref (rt);
  g_assert_cmpint (v.destroyed, ==, 0);
  iterate_until_flag (&flag, 5);
  for (int i = 0; i < 10 && g_atomic_int_get (&v.destroyed) == 0; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (v.destroyed, ==, 1);
  test_result_clear (&r);
}

/* df_runtime_shutdown () cancels the flow and waits for its call; the
 * data outlives it (the runtime is still referenced) and goes with the
 * last reference. */
static void
test_freed_after_shutdown (void)
{
  DfRuntime *rt = df_runtime_new (NULL);
  Value v = { 0 };
  FetchFlowSpec spec = { .site = &slow_site, .fetch = fetch_in_10ms };
  TestResult r = { 0 };

  df_runtime_set_data (rt, "test-session", &v, value_destroy);
  df_frame_start (fetch_flow_new (rt, &spec, "u", &r));
  GError *error = NULL;
  g_assert_true (df_runtime_shutdown (rt, 5 * G_TIME_SPAN_SECOND, &error));
  g_assert_no_error (error);
  g_assert_true (r.done);
  g_assert_cmpint (v.destroyed, ==, 0);
  g_assert_true (df_runtime_get_data (rt, "test-session") == &v);
  df_runtime_unref (rt);
  g_assert_cmpint (v.destroyed, ==, 1);
  test_result_clear (&r);
}

/* A destroy function that uses the runtime's data while the runtime is
 * freed: it reads NULL, and what it sets is destroyed at once. */
typedef struct {
  DfRuntime *rt;
  gboolean   saw_null;
  Value      late;
} Reentrant;

static void
reentrant_destroy (gpointer data)
{
  Reentrant *re = data;
  re->saw_null = df_runtime_get_data (re->rt, "test-other") == NULL;
  df_runtime_set_data (re->rt, "test-late", &re->late, value_destroy);
}

static void
test_destroy_uses_data (void)
{
  Reentrant re = { .rt = df_runtime_new (NULL) };
  Value other = { 0 };

  df_runtime_set_data (re.rt, "test-reentrant", &re, reentrant_destroy);
  df_runtime_set_data (re.rt, "test-other", &other, value_destroy);
  df_runtime_unref (re.rt);
  g_assert_true (re.saw_null);
  g_assert_cmpint (re.late.destroyed, ==, 1);
  g_assert_cmpint (other.destroyed, ==, 1);
}

/* ------------------------------------------------------------- threads */

#define N_THREADS 4
#define N_ROUNDS 2000

typedef struct {
  DfRuntime *rt;
  guint      index;
  Value      values[N_ROUNDS];
} Setter;

/* Each thread replaces its own key N_ROUNDS times and reads it back, and
 * reads a key every thread shares. */
static gpointer
setter_thread (gpointer data)
{
  Setter *s = data;
  g_autofree char *key = g_strdup_printf ("test-thread-%u", s->index);
  for (guint i = 0; i < N_ROUNDS; i++)
    {
      df_runtime_set_data (s->rt, key, &s->values[i], value_destroy);
      g_assert_true (df_runtime_get_data (s->rt, key) == &s->values[i]);
      g_assert_nonnull (df_runtime_get_data (s->rt, "test-shared"));
    }
  return NULL;
}

static void
test_threads (void)
{
  DfRuntime *rt = df_runtime_new (NULL);
  Value shared = { 0 };
  Setter *setters = g_new0 (Setter, N_THREADS);
  GThread *threads[N_THREADS];

  df_runtime_set_data (rt, "test-shared", &shared, value_destroy);
  for (guint t = 0; t < N_THREADS; t++)
    {
      setters[t].rt = rt;
      setters[t].index = t;
      threads[t] = g_thread_new ("setter", setter_thread, &setters[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    g_thread_join (threads[t]);
  /* Every value but each thread's last was replaced, so destroyed. */
  for (guint t = 0; t < N_THREADS; t++)
    for (guint i = 0; i < N_ROUNDS; i++)
      g_assert_cmpint (setters[t].values[i].destroyed, ==, i + 1 < N_ROUNDS ? 1 : 0);
  df_runtime_unref (rt);
  for (guint t = 0; t < N_THREADS; t++)
    g_assert_cmpint (setters[t].values[N_ROUNDS - 1].destroyed, ==, 1);
  g_assert_cmpint (shared.destroyed, ==, 1);
  g_free (setters);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runtime/data/set-get", test_set_get);
  g_test_add_func ("/runtime/data/freed-by-last-frame", test_freed_by_last_frame);
  g_test_add_func ("/runtime/data/freed-after-shutdown", test_freed_after_shutdown);
  g_test_add_func ("/runtime/data/destroy-uses-data", test_destroy_uses_data);
  g_test_add_func ("/runtime/data/threads", test_threads);
  return g_test_run ();
}
