/* test-flow.c — frames, async calls and their completion paths,
 * cancellation, par, yield and waiting, with hand-written frames shaped
 * like generated code. */
#include <string.h>

#include "rt-test.h"

static DfStageStats fetch_stats = DF_STAGE_STATS_INIT ("fetch");
static const DfCallSite fetch_site = {
  .stage = "fetch", .stats = &fetch_stats, .discard = fetch_discard,
};

/* ------------------------------------------------------- a sync chain */

/* flow chain(n: int) -> (text: Line) { twice; add_one; show; }
 * Three sync stages in one state: no trip through the loop between them. */
static DfStageStats twice_stats = DF_STAGE_STATS_INIT ("twice");
static DfStageStats add_one_stats = DF_STAGE_STATS_INIT ("add_one");
static DfStageStats show_stats = DF_STAGE_STATS_INIT ("show");

static gboolean
twice (DfContext *ctx, int n, int *m, GError **error)
{
  *m = 2 * n;
  return TRUE;
}

static gboolean
add_one (DfContext *ctx, int n, int *m, GError **error)
{
  if (n < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "negative: %d", n);
      return FALSE;
    }
  *m = n + 1;
  return TRUE;
}

static gboolean
show (DfContext *ctx, int n, char **text, GError **error)
{
  g_assert_true (df_context_get_user_data (ctx) == (gpointer) &show_stats);
  g_assert_null (df_context_get_stage_name (ctx));
  *text = g_strdup_printf ("%d", n);
  return TRUE;
}

typedef struct {
  DfFrame base;
  guint   pc;
  int     n, doubled, plus;
  char   *text;
  TestResult *result;
} ChainFrame;

static void
chain_step (DfFrame *frame, DfCall *resumed)
{
  ChainFrame *f = (ChainFrame *) frame;
  DfContext *ctx = df_frame_get_context (frame);
  GError *error = NULL;
  gint64 t;
  gboolean ok;

  g_assert_null (resumed);
  t = df_stage_stats_enter (&twice_stats);
  ok = twice (ctx, f->n, &f->doubled, &error);
  df_stage_stats_leave (&twice_stats, t, ok);
  if (!ok)
    goto fail;
  t = df_stage_stats_enter (&add_one_stats);
  ok = add_one (ctx, f->doubled, &f->plus, &error);
  df_stage_stats_leave (&add_one_stats, t, ok);
  if (!ok)
    goto fail;
  t = df_stage_stats_enter (&show_stats);
  ok = show (ctx, f->plus, &f->text, &error);
  df_stage_stats_leave (&show_stats, t, ok);
  if (!ok)
    goto fail;
  df_frame_return (frame);
  return;
fail:
  df_frame_fail (frame, df_error_ensure (error, "?"));
}

static void
chain_finalize (DfFrame *frame)
{
  g_free (((ChainFrame *) frame)->text);
}

static void
chain_done (DfFrame *frame, const GError *error, gpointer data)
{
  TestResult *r = data;

  r->done = TRUE;
  r->error = error ? g_error_copy (error) : NULL;
  r->page = g_steal_pointer (&((ChainFrame *) frame)->text);
}

static const DfFrameClass chain_class = {
  .name = "chain", .size = sizeof (ChainFrame),
  .step = chain_step, .finalize = chain_finalize,
};

static DfFrame *
chain_new (DfRuntime *rt, int n, TestResult *r)
{
  DfFrame *frame = df_frame_new (rt, &chain_class);

  ((ChainFrame *) frame)->n = n;
  df_frame_set_done (frame, chain_done, r);
  df_frame_set_user_data (frame, &show_stats);
  return frame;
}

static void
test_sync_chain (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  TestResult ok = { 0 }, bad = { 0 };
  DfStageStatsValues v;
  DfRuntimeCounters c;

  df_frame_start (chain_new (rt, 20, &ok));
  df_frame_start (chain_new (rt, -1, &bad));
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 2);
  runtime_run_or_fail (rt, 5);

  g_assert_true (ok.done);
  g_assert_no_error (ok.error);
  g_assert_cmpstr (ok.page, ==, "41");
  g_assert_error (bad.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (bad.page);
  /* One task per frame: its start.  The chain ran in one step. */
  df_runtime_get_counters (rt, &c);
  g_assert_cmpuint (c.tasks_run, ==, 2);
  df_stage_stats_get (&add_one_stats, &v);
  g_assert_cmpint (v.calls, ==, 2);
  g_assert_cmpint (v.failures, ==, 1);
  g_assert_cmpint (v.in_flight, ==, 0);
  df_stage_stats_get (&show_stats, &v);
  g_assert_cmpint (v.calls, ==, 1);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  test_result_clear (&ok);
  test_result_clear (&bad);
}

/* --------------------------------------------- async completion paths */

static void
fetch_inline (DfCall *call, const char *url)
{
  g_assert_cmpstr (df_call_get_stage_name (call), ==, "fetch");
  fetch_return (call, g_strdup (url));
}

static void
test_async_inline (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &fetch_site, .fetch = fetch_inline };
  TestResult r = { 0 };
  DfRuntimeCounters c;

  df_frame_start (fetch_flow_new (rt, &spec, "a", &r));
  runtime_run_or_fail (rt, 5);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.page, ==, "a");
  g_assert_cmpuint (r.inline_completions, ==, 1);
  df_runtime_get_counters (rt, &c);
  g_assert_cmpuint (c.tasks_run, ==, 1);     /* the start only */
  test_result_clear (&r);
}

static gboolean
complete_from_idle (gpointer data)
{
  DfCall *call = data;
  fetch_return (call, g_strdup (df_call_get_user_data (call)));
  return G_SOURCE_REMOVE;
}

static void
fetch_later (DfCall *call, const char *url)
{
  g_idle_add (complete_from_idle, call);
}

static void
test_async_later (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &fetch_site, .fetch = fetch_later, .user_data = "later" };
  TestResult r = { 0 };
  DfRuntimeCounters c;

  df_frame_start (fetch_flow_new (rt, &spec, "b", &r));
  runtime_run_or_fail (rt, 5);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.page, ==, "later");
  g_assert_cmpuint (r.inline_completions, ==, 0);
  df_runtime_get_counters (rt, &c);
  g_assert_cmpuint (c.tasks_run, ==, 2);     /* start + completion */
  /* No wake-up: the start was queued before any thread iterated the
   * context (the first prepare() finds it), and the completion came on
   * the loop's thread and went straight to the ready list. */
  g_assert_cmpuint (c.wakeups, ==, 0);
  test_result_clear (&r);
}

static gpointer
complete_thread (gpointer data)
{
  fetch_return (data, g_strdup ("from a thread"));
  return NULL;
}

static gint step_returned;

static gboolean
mark_step_returned (gpointer data)
{
  g_atomic_int_set (&step_returned, 1);
  return G_SOURCE_REMOVE;
}

/* Completes from another thread once the loop runs again, i.e. surely
 * after the step returned: the completion must come through the queue. */
static gpointer
complete_thread_later (gpointer data)
{
  while (!g_atomic_int_get (&step_returned))
    g_usleep (100);
  fetch_return (data, g_strdup ("from a thread"));
  return NULL;
}

static void
fetch_thread (DfCall *call, const char *url)
{
  g_atomic_int_set (&step_returned, 0);
  g_idle_add (mark_step_returned, NULL);
  g_thread_unref (g_thread_new ("completer", complete_thread_later, call));
}

/* Another thread completes while the user's function is still running:
 * it joins the thread before returning, so the step continues inline. */
static void
fetch_thread_joined (DfCall *call, const char *url)
{
  g_thread_join (g_thread_new ("completer", complete_thread, call));
}

static void
test_async_thread (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec later = { .site = &fetch_site, .fetch = fetch_thread };
  FetchFlowSpec joined = { .site = &fetch_site, .fetch = fetch_thread_joined };
  TestResult r1 = { 0 }, r2 = { 0 };
  DfRuntimeCounters c;

  df_frame_start (fetch_flow_new (rt, &later, "c", &r1));
  df_frame_start (fetch_flow_new (rt, &joined, "d", &r2));
  runtime_run_or_fail (rt, 5);
  g_assert_cmpstr (r1.page, ==, "from a thread");
  g_assert_cmpuint (r1.inline_completions, ==, 0);
  g_assert_cmpstr (r2.page, ==, "from a thread");
  g_assert_cmpuint (r2.inline_completions, ==, 1);
  df_runtime_get_counters (rt, &c);
  g_assert_cmpuint (c.wakeups, >=, 1);
  test_result_clear (&r1);
  test_result_clear (&r2);
}

/* ----------------------------- thousands of completions from threads */

#define N_THREADS 4
#define N_CALLS   10000

static TestQueue completer_queue;

static void
fetch_queued (DfCall *call, const char *url)
{
  test_queue_push (&completer_queue, call);
}

static gpointer
completer_main (gpointer data)
{
  for (DfCall *call; (call = test_queue_pop (&completer_queue)) != NULL;)
    {
      const char *url = df_call_get_user_data (call);
      if (g_str_has_suffix (url, "7"))
        df_call_failf (call, G_IO_ERROR, G_IO_ERROR_FAILED, "unlucky %s", url);
      else
        fetch_return (call, g_strdup ("ok"));
    }
  return NULL;
}

static void
test_many_threads (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec *specs = g_new0 (FetchFlowSpec, N_CALLS);
  TestResult *results = g_new0 (TestResult, N_CALLS);
  char **urls = g_new0 (char *, N_CALLS + 1);
  GThread *threads[N_THREADS];
  DfRuntimeCounters c;
  guint failed = 0;

  test_queue_init (&completer_queue);
  for (guint i = 0; i < N_THREADS; i++)
    threads[i] = g_thread_new ("completer", completer_main, NULL);
  for (guint i = 0; i < N_CALLS; i++)
    {
      urls[i] = g_strdup_printf ("u%u", i);
      specs[i] = (FetchFlowSpec) { .site = &fetch_site, .fetch = fetch_queued,
                                   .user_data = urls[i] };
      df_frame_start (fetch_flow_new (rt, &specs[i], urls[i], &results[i]));
    }
  runtime_run_or_fail (rt, 60);
  test_queue_close (&completer_queue);
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);
  test_queue_clear (&completer_queue);

  for (guint i = 0; i < N_CALLS; i++)
    {
      g_assert_true (results[i].done);
      if (results[i].error)
        {
          g_assert_error (results[i].error, G_IO_ERROR, G_IO_ERROR_FAILED);
          failed++;
        }
      else
        g_assert_cmpstr (results[i].page, ==, "ok");
      test_result_clear (&results[i]);
    }
  g_assert_cmpuint (failed, ==, N_CALLS / 10);
  df_runtime_get_counters (rt, &c);
  /* One wake-up serves a whole batch of completions. */
  g_assert_cmpuint (c.wakeups, <=, N_CALLS);
  g_test_message ("%d completions from %d threads: %" G_GUINT64_FORMAT " wake-ups, %"
                  G_GUINT64_FORMAT " dispatches", N_CALLS, N_THREADS, c.wakeups,
                  c.ready_dispatches);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  g_strfreev (urls);
  g_free (results);
  g_free (specs);
}

/* ---------------------------------------- 100,000 frames in flight */

#define N_FRAMES 100000

static GPtrArray *parked;

static void
fetch_park (DfCall *call, const char *url)
{
  g_ptr_array_add (parked, call);
}

static gpointer
complete_all_thread (gpointer data)
{
  GPtrArray *calls = data;
  for (guint i = 0; i < calls->len; i++)
    fetch_return (calls->pdata[i], NULL);
  return NULL;
}

static void
count_done (DfFrame *frame, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  (*(guint *) data)++;
}

static void
test_100k_frames (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &fetch_site, .fetch = fetch_park };
  TestResult unused = { 0 };
  guint done = 0;
  gint all_parked = 0;

  parked = g_ptr_array_new ();
  for (guint i = 0; i < N_FRAMES; i++)
    {
      DfFrame *frame = fetch_flow_new (rt, &spec, "x", &unused);
      df_frame_set_done (frame, count_done, &done);
      df_frame_start (frame);
    }
  /* Run the starts (in batches) until every frame waits on its call. */
  while (parked->len < N_FRAMES)
    g_main_context_iteration (NULL, TRUE);
  g_atomic_int_set (&all_parked, 1);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, N_FRAMES);
  g_assert_cmpuint (done, ==, 0);

  GThread *t = g_thread_new ("complete-all", complete_all_thread, parked);
  runtime_run_or_fail (rt, 120);
  g_thread_join (t);
  g_assert_cmpuint (done, ==, N_FRAMES);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  g_ptr_array_unref (parked);
}

/* ---------------------------------------------- double completion */

static void
fetch_twice (DfCall *call, const char *url)
{
  fetch_return (call, g_strdup ("first"));
  g_test_expect_message ("dfrt", G_LOG_LEVEL_CRITICAL, "*completed twice*");
  fetch_return (call, g_strdup ("second"));
  g_test_expect_message ("dfrt", G_LOG_LEVEL_CRITICAL, "*completed twice*");
  df_call_fail (call, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "third"));
  g_test_assert_expected_messages ();
}

static DfCall *kept_call;

static void
fetch_fail_then_keep (DfCall *call, const char *url)
{
  kept_call = call;
  df_call_fail_literal (call, G_IO_ERROR, G_IO_ERROR_FAILED, "try again");
}

/* During the retry back-off the call is idle: a stray completion of the
 * finished invocation is refused. */
static gboolean
stray_completion (gpointer data)
{
  g_test_expect_message ("dfrt", G_LOG_LEVEL_CRITICAL, "*completed twice*");
  fetch_return (kept_call, g_strdup ("stray"));
  g_test_assert_expected_messages ();
  return G_SOURCE_REMOVE;
}

static void
test_double_completion (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec twice_spec = { .site = &fetch_site, .fetch = fetch_twice };
  FetchFlowSpec stray_spec = { .site = &fetch_site, .fetch = fetch_fail_then_keep,
                               .retries = 1, .backoff = 100 * G_TIME_SPAN_MILLISECOND };
  TestResult r1 = { 0 }, r2 = { 0 };

  df_frame_start (fetch_flow_new (rt, &twice_spec, "a", &r1));
  runtime_run_or_fail (rt, 5);
  g_assert_cmpstr (r1.page, ==, "first");

  df_frame_start (fetch_flow_new (rt, &stray_spec, "b", &r2));
  g_timeout_add (20, stray_completion, NULL);
  runtime_run_or_fail (rt, 5);
  g_assert_error (r2.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_cmpuint (r2.attempts, ==, 2);
  test_result_clear (&r1);
  test_result_clear (&r2);
}

/* ---------------------------------------------------------- par */

/* flow both() -> (a: Line, b: Line) { par { fetch_a; fetch_b; } }
 * Each branch has its pc; a join counter continues after the last. */
typedef struct {
  DfFrame   base;
  guint     pc[2];
  guint     join;
  char     *out[2];
  FetchCall branch[2];
  TestFetchFunc fetch[2];
  TestResult *result;
} ParFrame;

static void
par_branch_done (ParFrame *f, guint b)
{
  GError *error = df_call_take_error (&f->branch[b].call);

  if (error)
    {
      /* Fails the whole flow: the other branch is cancelled. */
      df_frame_fail (&f->base, error);
      return;
    }
  f->out[b] = g_steal_pointer (&f->branch[b].page);
  if (--f->join == 0)
    df_frame_return (&f->base);
}

static void
par_step (DfFrame *frame, DfCall *resumed)
{
  ParFrame *f = (ParFrame *) frame;

  if (resumed)
    {
      par_branch_done (f, df_call_get_resume_id (resumed));
      return;
    }
  f->join = 2;
  for (guint b = 0; b < 2; b++)
    {
      DfCall *call = &f->branch[b].call;
      df_call_begin (call);
      f->fetch[b] (call, b ? "b" : "a");
      if (df_call_end_inline (call))
        {
          par_branch_done (f, b);
          if (df_frame_is_finished (frame))
            return;
        }
    }
}

static void
par_finalize (DfFrame *frame)
{
  ParFrame *f = (ParFrame *) frame;
  g_free (f->out[0]);
  g_free (f->out[1]);
}

static void
par_done (DfFrame *frame, const GError *error, gpointer data)
{
  ParFrame *f = (ParFrame *) frame;
  TestResult *r = data;

  r->done = TRUE;
  r->error = error ? g_error_copy (error) : NULL;
  if (!error)
    r->page = g_strconcat (f->out[0], "+", f->out[1], NULL);
}

static const DfFrameClass par_class = {
  .name = "both", .size = sizeof (ParFrame), .step = par_step, .finalize = par_finalize,
};

static DfFrame *
par_new (DfRuntime *rt, TestFetchFunc a, TestFetchFunc b, TestResult *r)
{
  DfFrame *frame = df_frame_new (rt, &par_class);
  ParFrame *f = (ParFrame *) frame;

  f->fetch[0] = a;
  f->fetch[1] = b;
  for (guint i = 0; i < 2; i++)
    df_call_init (&f->branch[i].call, frame, &fetch_site, i);
  df_frame_set_done (frame, par_done, r);
  df_frame_set_user_data (frame, "later");
  return frame;
}

static void
test_par_join (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  TestResult r1 = { 0 }, r2 = { 0 };

  df_frame_start (par_new (rt, fetch_inline, fetch_thread, &r1));
  df_frame_start (par_new (rt, fetch_later, fetch_inline, &r2));
  runtime_run_or_fail (rt, 5);
  g_assert_cmpstr (r1.page, ==, "a+from a thread");
  g_assert_cmpstr (r2.page, ==, "later+b");
  test_result_clear (&r1);
  test_result_clear (&r2);
}

static DfCall *pending_call;
static GCancellable *pending_cancellable;

static void
fetch_hold (DfCall *call, const char *url)
{
  pending_call = call;
  pending_cancellable = g_object_ref (df_call_get_cancellable (call));
  g_assert_false (g_cancellable_is_cancelled (pending_cancellable));
}

static gboolean
fail_call (gpointer data)
{
  df_call_fail_literal (data, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no such page");
  return G_SOURCE_REMOVE;
}

static void
fetch_fail_later (DfCall *call, const char *url)
{
  g_timeout_add (10, fail_call, call);
}

/* Branch b fails while branch a waits: the flow fails at once, a's call
 * is cancelled, and its late result is discarded when it comes. */
static void
test_par_failure_cancels (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  TestResult r = { 0 };

  df_frame_start (par_new (rt, fetch_hold, fetch_fail_later, &r));
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_cancellable_is_cancelled (pending_cancellable));
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 1);   /* a is still out */

  fetch_return (pending_call, g_strdup ("too late"));       /* discarded */
  runtime_run_or_fail (rt, 5);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  g_clear_object (&pending_cancellable);
  test_result_clear (&r);
}

/* ------------------------------------------------- cancellation */

static void
on_cancelled_complete (GCancellable *c, gpointer call)
{
  df_call_fail (call, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped"));
}

/* A well-behaved async stage: completes when its cancellable fires. */
static void
fetch_cancellable (DfCall *call, const char *url)
{
  g_cancellable_connect (df_call_get_cancellable (call), G_CALLBACK (on_cancelled_complete),
                         call, NULL);
}

static gpointer
cancel_thread (gpointer data)
{
  g_usleep (10000);
  g_cancellable_cancel (data);
  return NULL;
}

static void
test_cancel_external (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GCancellable) already = g_cancellable_new ();
  FetchFlowSpec spec = { .site = &fetch_site, .fetch = fetch_cancellable };
  FetchFlowSpec never = { .site = &fetch_site, .fetch = fetch_inline };
  TestResult r1 = { 0 }, r2 = { 0 };

  DfFrame *frame = fetch_flow_new (rt, &spec, "a", &r1);
  df_frame_set_cancellable (frame, cancellable);
  df_frame_start (frame);
  GThread *t = g_thread_new ("cancel", cancel_thread, cancellable);

  g_cancellable_cancel (already);
  frame = fetch_flow_new (rt, &never, "b", &r2);
  df_frame_set_cancellable (frame, already);
  df_frame_start (frame);

  runtime_run_or_fail (rt, 5);
  g_thread_join (t);
  g_assert_error (r1.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_assert_error (r2.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_assert_cmpuint (r2.attempts, ==, 0);      /* never ran */
  test_result_clear (&r1);
  test_result_clear (&r2);
}

static void
test_cancel_all (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &fetch_site, .fetch = fetch_cancellable };
  FetchFlowSpec quick = { .site = &fetch_site, .fetch = fetch_inline };
  TestResult r[10] = { { 0 } };
  TestResult late = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    df_frame_start (fetch_flow_new (rt, &spec, "x", &r[i]));
  while (r[0].attempts == 0 || r[9].attempts == 0)
    g_main_context_iteration (NULL, TRUE);
  df_runtime_cancel_all (rt);
  g_assert_true (df_runtime_is_stopping (rt));
  df_frame_start (fetch_flow_new (rt, &quick, "late", &late));
  runtime_run_or_fail (rt, 5);
  for (guint i = 0; i < G_N_ELEMENTS (r); i++)
    {
      g_assert_error (r[i].error, DF_ERROR, DF_ERROR_CANCELLED);
      test_result_clear (&r[i]);
    }
  g_assert_error (late.error, DF_ERROR, DF_ERROR_CANCELLED);
  test_result_clear (&late);
}

/* df_frame_cancel() from the done callback of another flow, and the
 * frame's own cancellable for sync stages. */
static void
test_cancel_frame (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &fetch_site, .fetch = fetch_cancellable };
  TestResult r = { 0 };
  DfFrame *frame = fetch_flow_new (rt, &spec, "x", &r);
  GCancellable *ctx_cancellable = df_context_get_cancellable (df_frame_get_context (frame));

  df_frame_start (frame);
  while (r.attempts == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (g_cancellable_is_cancelled (ctx_cancellable));
  g_object_ref (ctx_cancellable);
  df_frame_cancel (frame);
  df_frame_cancel (frame);          /* idempotent */
  runtime_run_or_fail (rt, 5);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_assert_true (g_cancellable_is_cancelled (ctx_cancellable));
  g_object_unref (ctx_cancellable);
  test_result_clear (&r);
}

/* ------------------------------------------------------ yield */

/* flow tick() repeat { count; } — 1000 rounds of a sync stage, yielding
 * between rounds so other sources keep running. */
typedef struct {
  DfFrame base;
  guint   rounds;
} TickFrame;

static void
tick_step (DfFrame *frame, DfCall *resumed)
{
  TickFrame *f = (TickFrame *) frame;

  if (++f->rounds == 1000)
    df_frame_return (frame);
  else
    df_frame_yield (frame);
}

static const DfFrameClass tick_class = { .name = "tick", .size = sizeof (TickFrame), .step = tick_step };

static gboolean
count_idle (gpointer data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
tick_done (DfFrame *frame, const GError *error, gpointer data)
{
  *(guint *) data = ((TickFrame *) frame)->rounds;
}

static void
test_yield (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  guint rounds = 0, idles = 0;
  DfFrame *frame = df_frame_new (rt, &tick_class);
  guint id = g_idle_add_full (G_PRIORITY_DEFAULT, count_idle, &idles, NULL);

  df_frame_set_done (frame, tick_done, &rounds);
  df_frame_start (frame);
  runtime_run_or_fail (rt, 5);
  g_source_remove (id);
  g_assert_cmpuint (rounds, ==, 1000);
  /* The other source ran between rounds: the flow did not starve it. */
  g_assert_cmpuint (idles, >, 1);
}

/* ------------------------------------------------------ waiting */

typedef struct {
  GMainContext *context;
  DfRuntime    *rt;
  gint          running;
  gint          stop;
} LoopThread;

static gpointer
loop_thread_main (gpointer data)
{
  LoopThread *lt = data;

  g_assert_true (g_main_context_acquire (lt->context));
  g_atomic_int_set (&lt->running, 1);
  while (!g_atomic_int_get (&lt->stop))
    g_main_context_iteration (lt->context, TRUE);
  g_main_context_release (lt->context);
  return NULL;
}

static void
done_to_wait (DfFrame *frame, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  df_wait_done (data);
}

/* Starts `frame` and waits for its end, as the generated NAME_run () does. */
static void
start_and_wait (DfRuntime *rt, DfFrame *frame)
{
  DfWait wait;
  df_wait_init (&wait);
  df_frame_set_done (frame, done_to_wait, &wait);
  df_frame_start (frame);
  df_runtime_wait (rt, &wait);
  df_wait_clear (&wait);
}

/* A program whose loop runs in another thread calls a flow and blocks until
 * it ends (the generated NAME_run() from a foreign thread). */
static void
fetch_thread_now (DfCall *call, const char *url)
{
  g_thread_unref (g_thread_new ("completer", complete_thread, call));
}

static void
test_wait_other_thread (void)
{
  LoopThread lt = { g_main_context_new (), NULL, 0, 0 };
  FetchFlowSpec spec = { .site = &fetch_site, .fetch = fetch_thread_now };
  TestResult r = { 0 };

  lt.rt = df_runtime_new (lt.context);
  GThread *t = g_thread_new ("loop", loop_thread_main, &lt);
  while (!g_atomic_int_get (&lt.running))
    g_usleep (100);
  start_and_wait (lt.rt, fetch_flow_new (lt.rt, &spec, "w", &r));

  g_atomic_int_set (&lt.stop, 1);
  g_main_context_wakeup (lt.context);
  g_thread_join (t);
  /* The frame may still be unwinding on the loop thread: drain here. */
  while (df_runtime_get_n_frames (lt.rt) > 0)
    g_main_context_iteration (lt.context, TRUE);
  df_runtime_unref (lt.rt);
  g_main_context_unref (lt.context);
}

static void
test_wait_same_thread (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &fetch_site, .fetch = fetch_later, .user_data = "w" };
  TestResult r = { 0 };

  start_and_wait (rt, fetch_flow_new (rt, &spec, "w", &r));
  runtime_run_or_fail (rt, 5);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
}

/* A source that counts how often the context was iterated. */
typedef struct {
  GSource source;
  guint prepares;
} ProbeSource;

static gboolean
probe_prepare (GSource *source, gint *timeout)
{
  ((ProbeSource *) source)->prepares++;
  *timeout = -1;
  return FALSE;
}

static GSourceFuncs probe_funcs = { .prepare = probe_prepare };

/* A flow that never waits (its call completes inside the stage) is
 * waited for without an iteration of the main loop and without a
 * wake-up: what NAME_run () of an all-sync flow costs. */
static void
test_wait_never_waits (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &fetch_site, .fetch = fetch_inline };
  TestResult r = { 0 };
  ProbeSource *probe = (ProbeSource *) g_source_new (&probe_funcs, sizeof (ProbeSource));
  g_source_attach (&probe->source, NULL);
  DfRuntimeCounters c;

  start_and_wait (rt, fetch_flow_new (rt, &spec, "n", &r));
  g_assert_cmpuint (probe->prepares, ==, 0);
  df_runtime_get_counters (rt, &c);
  g_assert_cmpuint (c.wakeups, ==, 0);
  runtime_run_or_fail (rt, 5);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  g_source_destroy (&probe->source);
  g_source_unref (&probe->source);
  test_result_clear (&r);
}

/* --------------------------------------------------- hold / quit */

static gboolean
release_later (gpointer rt)
{
  df_runtime_release (rt);
  return G_SOURCE_REMOVE;
}

static gboolean
quit_later (gpointer rt)
{
  df_runtime_quit (rt);
  return G_SOURCE_REMOVE;
}

static void
test_hold_quit (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);

  df_runtime_hold (rt);
  g_timeout_add (10, release_later, rt);
  runtime_run_or_fail (rt, 5);

  df_runtime_hold (rt);
  g_timeout_add (10, quit_later, rt);
  runtime_run_or_fail (rt, 5);
  df_runtime_release (rt);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runtime/flow/sync-chain", test_sync_chain);
  g_test_add_func ("/runtime/flow/async-inline", test_async_inline);
  g_test_add_func ("/runtime/flow/async-later", test_async_later);
  g_test_add_func ("/runtime/flow/async-thread", test_async_thread);
  g_test_add_func ("/runtime/flow/many-threads", test_many_threads);
  g_test_add_func ("/runtime/flow/100k-frames", test_100k_frames);
  g_test_add_func ("/runtime/flow/double-completion", test_double_completion);
  g_test_add_func ("/runtime/flow/par-join", test_par_join);
  g_test_add_func ("/runtime/flow/par-failure-cancels", test_par_failure_cancels);
  g_test_add_func ("/runtime/flow/cancel-external", test_cancel_external);
  g_test_add_func ("/runtime/flow/cancel-all", test_cancel_all);
  g_test_add_func ("/runtime/flow/cancel-frame", test_cancel_frame);
  g_test_add_func ("/runtime/flow/yield", test_yield);
  g_test_add_func ("/runtime/flow/wait-other-thread", test_wait_other_thread);
  g_test_add_func ("/runtime/flow/wait-same-thread", test_wait_same_thread);
  g_test_add_func ("/runtime/flow/wait-never-waits", test_wait_never_waits);
  g_test_add_func ("/runtime/flow/hold-quit", test_hold_quit);
  return g_test_run ();
}
