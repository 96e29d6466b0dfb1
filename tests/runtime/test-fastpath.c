/* test-fastpath.c — the runtime's fast paths: frames reused from the
 * per-thread cache (zeroed, any size), frames created and freed inside a
 * dispatch (counted without atomics), the runtime kept alive by its frames
 * alone, completions inside a dispatch (no compare-and-swap), the ways a
 * task reaches the ready list (and when that wakes the loop), and per-stage
 * counters kept per thread.
 *
 * Built twice by meson: as runtime-fastpath with the frame cache on (no
 * G_SLICE=always-malloc), and with the other runtime tests' environment. */
#include <string.h>

#include "rt-test.h"

/* ------------------------------------------------------ frame reuse */

/* A frame with bytes nobody sets: each run checks they are zero, then
 * scribbles over them, so a reused block that was not zeroed shows. */
#define SCRIBBLE_FRAME(Name, n)                                   \
  typedef struct {                                               \
    DfFrame base;                                                \
    guint  *done;                                                \
    guint8  bytes[n];                                            \
  } Name

SCRIBBLE_FRAME (SmallFrame, 200);
SCRIBBLE_FRAME (NearFrame, 204);      /* most likely the same size class */
SCRIBBLE_FRAME (BigFrame, 3000);      /* beyond the cache's sizes */

static void
scribble (DfFrame *frame, guint8 *bytes, gsize n, guint *done)
{
  for (gsize i = 0; i < n; i++)
    if (bytes[i] != 0)
      {
        g_test_fail_printf ("byte %" G_GSIZE_FORMAT " of a new '%s' frame is %u",
                            i, frame->klass->name, bytes[i]);
        break;
      }
  memset (bytes, 0xab, n);
  (*done)++;
  df_frame_return (frame);
}

#define SCRIBBLE_STEP(Name, Type)                                 \
  static void                                                     \
  Name (DfFrame *frame, DfCall *resumed)                          \
  {                                                               \
    Type *f = (Type *) frame;                                     \
    scribble (frame, f->bytes, sizeof f->bytes, f->done);         \
  }

SCRIBBLE_STEP (small_step, SmallFrame)
SCRIBBLE_STEP (near_step, NearFrame)
SCRIBBLE_STEP (big_step, BigFrame)

/* finalize sees the scribbled bytes too: they must not leak into the
 * next frame either. */
static void
scribble_finalize (DfFrame *frame)
{
  memset ((char *) frame + sizeof (DfFrame), 0xcd,
          frame->klass->size - sizeof (DfFrame));
}

static const DfFrameClass small_class = {
  .name = "small", .size = sizeof (SmallFrame), .step = small_step,
  .finalize = scribble_finalize,
};
static const DfFrameClass near_class = {
  .name = "near", .size = sizeof (NearFrame), .step = near_step,
  .finalize = scribble_finalize,
};
static const DfFrameClass big_class = {
  .name = "big", .size = sizeof (BigFrame), .step = big_step,
  .finalize = scribble_finalize,
};

static void
start_scribbler (DfRuntime *rt, const DfFrameClass *klass, guint *done)
{
  DfFrame *frame = df_frame_new (rt, klass);

  /* done is the first field after base in every scribble frame. */
  *(guint **) ((char *) frame + sizeof (DfFrame)) = done;
  df_frame_start (frame);
}

static void
test_frame_reuse (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  const DfFrameClass *classes[] = { &small_class, &near_class, &big_class };
  guint done = 0, expected = 0;

  /* Rounds of a batch in flight (more than the cache holds: 5000 small
   * frames are over 1 MiB), each class mixed with the others. */
  for (guint round = 0; round < 4; round++)
    {
      guint n = round == 2 ? 5000 : 300;
      for (guint i = 0; i < n; i++)
        start_scribbler (rt, classes[(i + round) % G_N_ELEMENTS (classes)], &done);
      expected += n;
      runtime_run_or_fail (rt, 10);
      g_assert_cmpuint (done, ==, expected);
      g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
    }
}

/* Frames allocated on another thread, freed on the runtime thread. */
static gpointer
start_from_thread (gpointer data)
{
  DfRuntime *rt = ((gpointer *) data)[0];
  guint *done = ((gpointer *) data)[1];

  for (guint i = 0; i < 200; i++)
    start_scribbler (rt, i % 2 ? &small_class : &near_class, done);
  return NULL;
}

static void
test_frame_reuse_threads (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  guint done = 0;
  gpointer args[] = { rt, &done };

  for (guint round = 0; round < 3; round++)
    {
      df_runtime_hold (rt);
      GThread *t = g_thread_new ("starter", start_from_thread, args);
      g_thread_join (t);
      df_runtime_release (rt);
      runtime_run_or_fail (rt, 10);
      g_assert_cmpuint (done, ==, 200 * (round + 1));
    }
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
}

/* ---------------------------------------- frames created in a dispatch */

typedef struct {
  DfFrame base;
  guint   n_children;
  guint  *children_done;
  guint   seen_frames;
} ParentFrame;

static void
child_done (DfFrame *frame, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  (*(guint *) data)++;
}

static void
parent_step (DfFrame *frame, DfCall *resumed)
{
  ParentFrame *p = (ParentFrame *) frame;
  DfRuntime *rt = df_frame_get_runtime (frame);
  guint before = df_runtime_get_n_frames (rt);

  for (guint i = 0; i < p->n_children; i++)
    {
      DfFrame *child = df_frame_new (rt, &small_class);
      static guint scratch;
      *(guint **) ((char *) child + sizeof (DfFrame)) = &scratch;
      df_frame_set_done (child, child_done, p->children_done);
      df_frame_start (child);
    }
  /* Exact inside the dispatch, pending counts included. */
  p->seen_frames = df_runtime_get_n_frames (rt) - before;
  g_assert_cmpuint (p->seen_frames, ==, p->n_children);
  df_frame_return (frame);
}

static const DfFrameClass parent_class = {
  .name = "parent", .size = sizeof (ParentFrame), .step = parent_step,
};

static void
test_frames_in_dispatch (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  guint children_done = 0;

  for (guint k = 0; k < 3; k++)
    {
      DfFrame *frame = df_frame_new (rt, &parent_class);
      ((ParentFrame *) frame)->n_children = 700;   /* several batches */
      ((ParentFrame *) frame)->children_done = &children_done;
      df_frame_start (frame);
    }
  /* run() goes on until the last child, created in a dispatch, is gone. */
  runtime_run_or_fail (rt, 10);
  g_assert_cmpuint (children_done, ==, 2100);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
}

/* --------------------------------- the frames keep the runtime alive */

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
  g_assert_no_error (error);
  g_atomic_int_set ((gint *) data, 1);
}

static void
test_runtime_outlives_caller (void)
{
  DfRuntime *rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &slow_site, .fetch = fetch_in_10ms };
  TestResult r = { 0 };
  gint flag = 0;
  DfFrame *frame = fetch_flow_new (rt, &spec, "u", &r);

  df_frame_set_done (frame, set_flag_done, &flag);
  df_frame_start (frame);
  /* The caller's last reference: the frame holds the runtime until it is
   * freed, and the loop still runs its steps. */
  df_runtime_unref (rt);
  iterate_until_flag (&flag, 5);
  /* A few more rounds: the runtime goes away with its last frame. */
  for (int i = 0; i < 3; i++)
    g_main_context_iteration (NULL, FALSE);
  test_result_clear (&r);
}

/* ----------------------------------- completions inside a dispatch */

/* stage hold(...) async: keeps the call for a sync stage of another flow
 * (running in a dispatch) to complete. */
static DfCall *held;

static void
fetch_hold (DfCall *call, const char *url)
{
  g_assert_null (held);
  held = call;
}

/* A flow whose only step completes the held call. */
typedef struct {
  DfFrame base;
  gboolean twice;
} ReleaserFrame;

static void
releaser_step (DfFrame *frame, DfCall *resumed)
{
  ReleaserFrame *f = (ReleaserFrame *) frame;
  DfCall *call = g_steal_pointer (&held);

  g_assert_nonnull (call);
  fetch_return (call, g_strdup ("released"));
  if (f->twice)
    {
      /* The call is DONE (queued), not in flight: refused, output freed. */
      g_test_expect_message ("dfrt", G_LOG_LEVEL_CRITICAL, "*completed twice*");
      fetch_return (call, g_strdup ("again"));
      g_test_assert_expected_messages ();
    }
  df_frame_return (frame);
}

static const DfFrameClass releaser_class = {
  .name = "releaser", .size = sizeof (ReleaserFrame), .step = releaser_step,
};

static void
start_releaser (DfRuntime *rt, gboolean twice)
{
  DfFrame *frame = df_frame_new (rt, &releaser_class);
  ((ReleaserFrame *) frame)->twice = twice;
  df_frame_start (frame);
}

static void
test_complete_in_dispatch (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &slow_site, .fetch = fetch_hold };
  TestResult r = { 0 };
  DfStageStatsValues before, after;

  df_stage_stats_get (&slow_stats, &before);
  for (int twice = 0; twice < 2; twice++)
    {
      /* Started in this order: the hold flow's call is pending when the
       * releaser's step (same dispatch) completes it. */
      df_frame_start (fetch_flow_new (rt, &spec, "h", &r));
      start_releaser (rt, twice);
      runtime_run_or_fail (rt, 5);
      g_assert_no_error (r.error);
      g_assert_cmpstr (r.page, ==, "released");
      g_assert_cmpuint (r.inline_completions, ==, 0);
      test_result_clear (&r);
    }
  df_stage_stats_get (&slow_stats, &after);
  g_assert_cmpint (after.calls - before.calls, ==, 2);
  g_assert_cmpint (after.in_flight, ==, 0);
  g_assert_cmpint (after.failures, ==, before.failures);
}

/* timeout 5ms; the late completion comes from another flow's step. */
static DfStageStats late_stats = DF_STAGE_STATS_INIT ("late");
static const DfCallSite late_site = {
  .stage = "late", .stats = &late_stats, .timeout = 5 * G_TIME_SPAN_MILLISECOND,
  .discard = fetch_discard,
};

static void
test_late_in_dispatch (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  FetchFlowSpec spec = { .site = &late_site, .fetch = fetch_hold };
  TestResult r = { 0 };
  DfStageStatsValues v;

  df_frame_start (fetch_flow_new (rt, &spec, "t", &r));
  /* The flow times out after 5 ms and ends; its frame waits for the
   * call.  Then a releaser flow completes it: LATE, discarded. */
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 1);
  start_releaser (rt, FALSE);
  runtime_run_or_fail (rt, 5);
  g_assert_null (held);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  df_stage_stats_get (&late_stats, &v);
  g_assert_cmpint (v.calls, ==, 1);
  g_assert_cmpint (v.timeouts, ==, 1);
  g_assert_cmpint (v.in_flight, ==, 0);
  test_result_clear (&r);
}

/* ---------------------------------------------- how tasks are queued */

static void
fetch_now (DfCall *call, const char *url)
{
  fetch_return (call, g_strdup (url));
}

static DfStageStats now_stats = DF_STAGE_STATS_INIT ("now");
static const DfCallSite now_site = {
  .stage = "now", .stats = &now_stats, .discard = fetch_discard,
};
static const FetchFlowSpec now_spec = { .site = &now_site, .fetch = fetch_now };

typedef struct {
  DfRuntime  *rt;
  gint        looping;
  TestResult  results[10];
} Starter;

/* A user's GSource on the loop thread: not a dispatch of the runtime's,
 * but the thread owns the context, so the starts join the ready list. */
static gboolean
start_from_idle (gpointer data)
{
  Starter *s = data;

  for (guint i = 0; i < G_N_ELEMENTS (s->results); i++)
    df_frame_start (fetch_flow_new (s->rt, &now_spec, "idle", &s->results[i]));
  df_runtime_release (s->rt);
  return G_SOURCE_REMOVE;
}

static gboolean
mark_looping (gpointer data)
{
  g_atomic_int_set (&((Starter *) data)->looping, 1);
  return G_SOURCE_REMOVE;
}

static gpointer
start_from_other_thread (gpointer data)
{
  Starter *s = data;

  /* The loop has iterated (and stays in run(), held): a thread iterates
   * the context from now on, so the first push must wake it. */
  while (!g_atomic_int_get (&s->looping))
    g_usleep (1000);
  g_usleep (10000);
  for (guint i = 0; i < G_N_ELEMENTS (s->results); i++)
    df_frame_start (fetch_flow_new (s->rt, &now_spec, "thread", &s->results[i]));
  df_runtime_release (s->rt);
  return NULL;
}

static void
check_results (Starter *s, const char *page)
{
  for (guint i = 0; i < G_N_ELEMENTS (s->results); i++)
    {
      g_assert_true (s->results[i].done);
      g_assert_cmpstr (s->results[i].page, ==, page);
      test_result_clear (&s->results[i]);
    }
}

static void
test_schedule_paths (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  Starter s = { .rt = rt };
  DfRuntimeCounters c;

  /* Before the loop ever ran, and again after run() returned: queued
   * without waking anybody (nobody iterates the context). */
  for (int round = 0; round < 2; round++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (s.results); i++)
        df_frame_start (fetch_flow_new (rt, &now_spec, "before", &s.results[i]));
      runtime_run_or_fail (rt, 5);
      check_results (&s, "before");
    }
  df_runtime_get_counters (rt, &c);
  g_assert_cmpuint (c.wakeups, ==, 0);

  /* From a user's source on the loop thread: no wake-up either. */
  df_runtime_hold (rt);
  g_idle_add (start_from_idle, &s);
  runtime_run_or_fail (rt, 5);
  check_results (&s, "idle");
  df_runtime_get_counters (rt, &c);
  g_assert_cmpuint (c.wakeups, ==, 0);

  /* From another thread while the loop sleeps: one wake-up for the
   * batch (the first push onto the empty queue). */
  df_runtime_hold (rt);
  g_idle_add (mark_looping, &s);
  GThread *t = g_thread_new ("starter", start_from_other_thread, &s);
  runtime_run_or_fail (rt, 5);
  g_thread_join (t);
  check_results (&s, "thread");
  df_runtime_get_counters (rt, &c);
  g_assert_cmpuint (c.wakeups, >=, 1);
  g_assert_cmpuint (c.wakeups, <=, G_N_ELEMENTS (s.results));
}

/* ------------------------------------------ counters kept per thread */

#define N_STAGES 40

static DfStageStats many[N_STAGES];
static char *many_names[N_STAGES];

typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t  cond;
  guint           step;      /* what the main thread asked for */
  guint           acked;     /* what the worker has done */
} Lockstep;

static void
lockstep_wait (Lockstep *l, guint *field, guint value)
{
  pthread_mutex_lock (&l->lock);
  while (*field < value)
    pthread_cond_wait (&l->cond, &l->lock);
  pthread_mutex_unlock (&l->lock);
}

static void
lockstep_set (Lockstep *l, guint *field, guint value)
{
  pthread_mutex_lock (&l->lock);
  *field = value;
  pthread_cond_broadcast (&l->cond);
  pthread_mutex_unlock (&l->lock);
}

static void
use_stages (guint from, guint to, guint times)
{
  for (guint i = from; i < to; i++)
    for (guint k = 0; k < times; k++)
      df_stage_stats_leave (&many[i], df_stage_stats_enter (&many[i]), k % 10 != 0);
}

static gpointer
stats_worker (gpointer data)
{
  Lockstep *l = data;

  use_stages (0, N_STAGES / 2, 100);            /* registers the first half */
  lockstep_set (l, &l->acked, 1);
  lockstep_wait (l, &l->step, 2);
  use_stages (0, N_STAGES, 100);                /* its block must grow */
  lockstep_set (l, &l->acked, 2);
  lockstep_wait (l, &l->step, 3);
  return NULL;                                  /* folds its counts */
}

static void
check_stage (guint i, gint64 calls)
{
  DfStageStatsValues v;

  df_stage_stats_get (&many[i], &v);
  g_assert_cmpstr (v.name, ==, many_names[i]);
  g_assert_cmpint (v.calls, ==, calls);
  g_assert_cmpint (v.failures, ==, calls / 10);
  g_assert_cmpint (v.in_flight, ==, 0);
}

static void
test_stats_per_thread (void)
{
  Lockstep l = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };

  for (guint i = 0; i < N_STAGES; i++)
    {
      many_names[i] = g_strdup_printf ("many%u", i);
      many[i] = (DfStageStats) DF_STAGE_STATS_INIT (many_names[i]);
    }

  GThread *t = g_thread_new ("stats", stats_worker, &l);
  lockstep_wait (&l, &l.acked, 1);
  /* A live thread's counts are visible. */
  for (guint i = 0; i < N_STAGES / 2; i++)
    check_stage (i, 100);
  /* Stages registered here, after the worker's block was sized. */
  use_stages (N_STAGES / 2, N_STAGES, 10);
  lockstep_set (&l, &l.step, 2);
  lockstep_wait (&l, &l.acked, 2);
  for (guint i = 0; i < N_STAGES; i++)
    check_stage (i, i < N_STAGES / 2 ? 200 : 110);
  lockstep_set (&l, &l.step, 3);
  g_thread_join (t);
  /* Folded into the static structs when the thread ended. */
  for (guint i = 0; i < N_STAGES; i++)
    check_stage (i, i < N_STAGES / 2 ? 200 : 110);

  /* An in-flight call counts until it returns. */
  gint64 token = df_stage_stats_enter (&many[0]);
  DfStageStatsValues v;
  df_stage_stats_get (&many[0], &v);
  g_assert_cmpint (v.in_flight, ==, 1);
  df_stage_stats_leave (&many[0], token, TRUE);
  check_stage (0, 201);   /* 20 failures */
}

/* ------------------------------------------------------------- misuse */

static DfCall *kept_call;
static guint misuse_calls;

/* Call 1 (flow a) completes at once and is kept by the "stage"; call 2
 * (flow b's first try) fails; call 3 (b's retry) succeeds. */
static void
fetch_misuse (DfCall *call, const char *url)
{
  switch (++misuse_calls)
    {
    case 1:
      kept_call = call;
      fetch_return (call, g_strdup ("a"));
      break;
    case 2:
      df_call_fail_literal (call, G_IO_ERROR, G_IO_ERROR_FAILED, "first try");
      break;
    default:
      fetch_return (call, g_strdup ("b"));
    }
}

/* A stage keeps the DfCall of a flow that ended and completes it again
 * while a later flow, which may have the very same frame (the frame
 * cache hands it back at once), waits at that call site: refused with a
 * g_critical, the output freed, the later flow unaffected. */
static void
test_stale_call (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DfCallSite site = { .stage = "fetch", .discard = fetch_discard };
  FetchFlowSpec spec = { .site = &site, .fetch = fetch_misuse, .retries = 1,
                         .backoff = G_TIME_SPAN_SECOND };
  TestResult a = { 0 }, b = { 0 };

  df_runtime_set_virtual_clock (rt, 0, FALSE);
  misuse_calls = 0;
  df_frame_start (fetch_flow_new (rt, &spec, "a", &a));
  df_runtime_advance_clock (rt, 0);
  g_assert_cmpstr (a.page, ==, "a");
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);

  DfFrame *frame_b = fetch_flow_new (rt, &spec, "b", &b);
  df_frame_start (frame_b);
  df_runtime_advance_clock (rt, 0);          /* b failed once, sleeps 1 s */
  g_assert_false (b.done);
  /* Otherwise flow a's frame is freed memory, and touching it is not a
   * misuse the runtime can catch (valgrind and ASan do). */
  if (fetch_flow_call (frame_b) != kept_call)
    {
      g_test_skip ("flow b did not get flow a's frame (no frame cache)");
      df_runtime_advance_clock (rt, G_TIME_SPAN_SECOND);
      test_result_clear (&a);
      test_result_clear (&b);
      return;
    }

  g_test_expect_message ("dfrt", G_LOG_LEVEL_CRITICAL, "*completed twice (or was not in flight)*");
  fetch_return (kept_call, g_strdup ("stale"));   /* refused, freed */
  g_test_assert_expected_messages ();

  df_runtime_advance_clock (rt, G_TIME_SPAN_SECOND);
  g_assert_true (b.done);
  g_assert_no_error (b.error);
  g_assert_cmpstr (b.page, ==, "b");
  g_assert_cmpuint (b.attempts, ==, 2);
  test_result_clear (&a);
  test_result_clear (&b);
}

static gboolean open_during_call;

static void
fetch_check_open (DfCall *call, const char *url)
{
  open_during_call = df_call_is_open (call);
  held = call;
}

/* df_call_is_open(): while the stage runs and until its completion; not
 * after a timeout abandoned it, nor after the completion. */
static void
test_call_is_open (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DfCallSite site = { .stage = "open", .timeout = G_TIME_SPAN_SECOND, .discard = fetch_discard };
  FetchFlowSpec spec = { .site = &site, .fetch = fetch_check_open };
  TestResult r = { 0 };

  df_runtime_set_virtual_clock (rt, 0, FALSE);
  DfFrame *frame = fetch_flow_new (rt, &spec, "a", &r);
  df_frame_start (frame);
  df_runtime_advance_clock (rt, 0);
  g_assert_true (open_during_call);
  DfCall *call = g_steal_pointer (&held);
  g_assert_true (df_call_is_open (call));           /* pending */
  df_runtime_advance_clock (rt, G_TIME_SPAN_SECOND);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_assert_false (df_call_is_open (call));          /* abandoned */
  fetch_return (call, g_strdup ("late"));           /* still fine: discarded */
  g_assert_true (df_runtime_shutdown (rt, G_TIME_SPAN_SECOND, NULL));
  test_result_clear (&r);
}

/* NAME_return (NULL, ...) and df_call_fail (NULL, ...): g_critical, the
 * outputs and the error freed (leak checkers see it), nothing else. */
static void
test_null_call (void)
{
  g_test_expect_message ("dfrt", G_LOG_LEVEL_CRITICAL, "*NULL call*");
  fetch_return (NULL, g_strdup ("nobody's"));
  g_test_assert_expected_messages ();

  g_test_expect_message ("dfrt", G_LOG_LEVEL_CRITICAL, "*NULL call (error: lost)*");
  df_call_fail (NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "lost"));
  g_test_assert_expected_messages ();

  g_test_expect_message ("dfrt", G_LOG_LEVEL_CRITICAL, "*NULL call*");
  df_call_complete (NULL);
  g_test_assert_expected_messages ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* First, while the frame cache is empty: the next frame reuses the
   * last one freed. */
  g_test_add_func ("/runtime/fastpath/stale-call", test_stale_call);
  g_test_add_func ("/runtime/fastpath/frame-reuse", test_frame_reuse);
  g_test_add_func ("/runtime/fastpath/frame-reuse-threads", test_frame_reuse_threads);
  g_test_add_func ("/runtime/fastpath/frames-in-dispatch", test_frames_in_dispatch);
  g_test_add_func ("/runtime/fastpath/runtime-outlives-caller", test_runtime_outlives_caller);
  g_test_add_func ("/runtime/fastpath/complete-in-dispatch", test_complete_in_dispatch);
  g_test_add_func ("/runtime/fastpath/late-in-dispatch", test_late_in_dispatch);
  g_test_add_func ("/runtime/fastpath/schedule-paths", test_schedule_paths);
  g_test_add_func ("/runtime/fastpath/stats-per-thread", test_stats_per_thread);
  g_test_add_func ("/runtime/fastpath/null-call", test_null_call);
  g_test_add_func ("/runtime/fastpath/call-is-open", test_call_is_open);
  return g_test_run ();
}
