/* test-compose.c — compose.df: flows calling flows, retry with backoff,
 * timeout (and the late completion), limit, repeat and every. */
#include <string.h>

#include "compose.h"
#include "runtime-wait.h"

/* Calls the test completes by hand. */
static GPtrArray *pending;

static void
pending_add (DfCall *call)
{
  g_assert_true (e2e_is_main_thread ());
  g_ptr_array_add (pending, call);
}

/* ------------------------------------------------------------------ stages */

void
k_async (DfCall *call, int x)
{
  e2e_return_token (k_async_return, call, token_new (x));
}

gboolean
k_sync (DfContext *ctx, Token *t, int *y, GError **error)
{
  *y = t->value + 1;
  return TRUE;
}

gboolean
k_fail (DfContext *ctx, int x, int *y, GError **error)
{
  if (x < 0)
    {
      g_set_error (error, E2E_ERROR, E2E_ERROR_BOOM, "boom %d", x);
      return FALSE;
    }
  *y = x;
  return TRUE;
}

gboolean
k_use (DfContext *ctx, int y, Token *t, int *z, GError **error)
{
  *z = y * 1000 + t->value;
  return TRUE;
}

static gpointer k_wait_user_data;

void
k_wait (DfCall *call, int x)
{
  k_wait_user_data = df_call_get_user_data (call);
  /* The cancellable must exist before it is cancelled to be checked. */
  g_assert_false (g_cancellable_is_cancelled (df_call_get_cancellable (call)));
  pending_add (call);
}

/* retry: key -> failures left, attempts made */
static gint budget[16], attempts[16];

void
r_flaky (DfCall *call, int key)
{
  g_atomic_int_inc (&attempts[key]);
  if (budget[key] > 0)
    {
      budget[key]--;
      e2e_fail (call, g_error_new (E2E_ERROR, E2E_ERROR_FLAKY, "flaky %d", attempts[key]));
    }
  else
    e2e_return_token (r_flaky_return, call, token_new (attempts[key]));
}

gboolean
r_flaky_sync (DfContext *ctx, int key, Token **v, GError **error)
{
  g_atomic_int_inc (&attempts[key]);
  /* Outputs set by a failed attempt are freed by the flow. */
  *v = token_new (-attempts[key]);
  if (budget[key] > 0)
    {
      budget[key]--;
      g_set_error (error, E2E_ERROR, E2E_ERROR_FLAKY, "flaky %d", attempts[key]);
      return FALSE;
    }
  (*v)->value = attempts[key];
  return TRUE;
}

gboolean
r_flaky_block (DfContext *ctx, int key, int *n, GError **error)
{
  g_assert_false (e2e_is_main_thread ());
  int made = g_atomic_int_add (&attempts[key], 1) + 1;
  if (g_atomic_int_add (&budget[key], -1) > 0)
    {
      g_set_error (error, E2E_ERROR, E2E_ERROR_FLAKY, "flaky %d", made);
      return FALSE;
    }
  g_atomic_int_set (&budget[key], 0);
  *n = made;
  return TRUE;
}

/* timeout */
static gboolean slow_completes;   /* t_slow completes inline, else never */
static gint late_calls;

void
t_slow (DfCall *call, int x)
{
  g_assert_false (g_cancellable_is_cancelled (df_call_get_cancellable (call)));
  if (slow_completes)
    t_slow_return (call, token_new (x));
  else
    pending_add (call);
}

gboolean
t_slow_block (DfContext *ctx, int x, int *y, GError **error)
{
  GCancellable *cancellable = df_context_get_cancellable (ctx);
  g_assert_false (e2e_is_main_thread ());
  /* A cooperative stage: returns soon after its timeout cancels it. */
  for (int i = 0; i < 10000 && !g_cancellable_is_cancelled (cancellable); i++)
    g_usleep (1000);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  *y = x;
  return TRUE;
}

/* The first invocation of t_late comes back `late_after` after it began
 * (on the runtime's clock, virtual in the test); G_MAXINT64: never. */
static GTimeSpan late_after;
static DfTimer late_timer;
static DfCall *late_call;

static void
t_late_finish (DfTimer *timer)
{
  t_late_return (late_call, token_new (-1));   /* after the timeout: discarded */
}

void
t_late (DfCall *call, int x)
{
  if (late_calls++ > 0)
    {
      t_late_return (call, token_new (x));
      return;
    }
  late_call = call;
  if (late_after != G_MAXINT64)
    {
      df_timer_init (&late_timer, t_late_finish);
      df_timer_start_in (df_context_get_runtime (df_call_get_context (call)), &late_timer,
                         late_after);
    }
}

/* limit */
typedef struct {
  gint now;
  gint max;
  gint calls;
} Gauge;

static Gauge g_async, g_block, g_sync, g_plain;

static void
gauge_enter (Gauge *g)
{
  gint now = g_atomic_int_add (&g->now, 1) + 1;
  gint max;
  while ((max = g_atomic_int_get (&g->max)) < now && !g_atomic_int_compare_and_exchange (&g->max, max, now))
    ;
  g_atomic_int_inc (&g->calls);
}

static void
gauge_leave (Gauge *g)
{
  g_atomic_int_add (&g->now, -1);
}

static void
gauge_reset (Gauge *g)
{
  memset (g, 0, sizeof *g);
}

typedef struct {
  DfCall *call;
  int x;
  Gauge *gauge;
  E2eReturnInt ret;
} LimitJob;

static void
limit_finish (gpointer data)
{
  LimitJob *job = data;
  gauge_leave (job->gauge);   /* before returning: the slot is free after */
  job->ret (job->call, job->x * 2);
  g_free (job);
}

static gboolean
limit_finish_later (gpointer data)
{
  limit_finish (data);
  return G_SOURCE_REMOVE;
}

static void
limit_call (DfCall *call, int x, Gauge *gauge, E2eReturnInt ret)
{
  LimitJob *job = g_new (LimitJob, 1);
  job->call = call;
  job->x = x;
  job->gauge = gauge;
  job->ret = ret;
  gauge_enter (gauge);
  if (e2e_mode == E2E_LATER)
    g_timeout_add (1, limit_finish_later, job);
  else
    e2e_defer (limit_finish, job);
}

void
l_async (DfCall *call, int x)
{
  limit_call (call, x, &g_async, l_async_return);
}

void
l_plain (DfCall *call, int x)
{
  limit_call (call, x, &g_plain, l_plain_return);
}

gboolean
l_block (DfContext *ctx, int x, int *y, GError **error)
{
  g_assert_false (e2e_is_main_thread ());
  gauge_enter (&g_block);
  g_usleep (2000);
  gauge_leave (&g_block);
  *y = x * 2;
  return TRUE;
}

gboolean
l_sync (DfContext *ctx, int x, int *y, GError **error)
{
  gauge_enter (&g_sync);
  gauge_leave (&g_sync);
  *y = x * 2;
  return TRUE;
}

/* repeat / every */
#define ROUNDS 5
static gint rounds;
static gint64 round_times[64];
static GCancellable *stop;

gboolean
e_tick (DfContext *ctx, int n, Token **t, GError **error)
{
  g_assert_true (df_context_get_user_data (ctx) == stop);
  *t = token_new (rounds);
  return TRUE;
}

gboolean
e_tock (DfContext *ctx, Token *t, GError **error)
{
  g_assert_cmpint (t->value, ==, rounds);
  g_assert_cmpint (tokens_live (), ==, 1);   /* the previous rounds' are freed */
  if (rounds >= 0 && rounds < (gint) G_N_ELEMENTS (round_times))
    round_times[rounds] = df_runtime_get_time (df_context_get_runtime (ctx));
  if (++rounds == ROUNDS)
    g_cancellable_cancel (stop);
  return TRUE;
}

void
e_spin (DfCall *call, int n)
{
  e2e_return_token (e_spin_return, call, token_new (n));
}

gboolean
e_see (DfContext *ctx, Token *v, GError **error)
{
  g_assert_cmpint (tokens_live (), ==, 1);
  if (++rounds == 50)
    g_cancellable_cancel (stop);
  return TRUE;
}

/* ------------------------------------------------------- flows in flows */

static void
test_compose (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  GError *error = NULL;

  ParentIn in = { .x = 7 };
  ParentOut out;
  g_assert_true (parent_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.z, ==, 8 * 1000 + 7);
  g_assert_cmpint (tokens_live (), ==, 0);

  GrandparentIn gin = { .x = 3 };
  GrandparentOut gout;
  g_assert_true (grandparent_run (rt, &gin, &gout, &error));
  g_assert_no_error (error);
  g_assert_cmpint (gout.z, ==, 4003);
  g_assert_cmpint (gout.z2, ==, 4003);

  /* A child's owned output reaches the caller of the child. */
  ChildIn cin = { .x = 5 };
  ChildOut cout;
  g_assert_true (child_run (rt, &cin, &cout, &error));
  g_assert_cmpint (cout.y, ==, 6);
  g_assert_cmpint (cout.t->value, ==, 5);
  child_out_clear (&cout);

  /* A child's failure fails the parent with the child's error. */
  ParentFailIn fin = { .x = -3 };
  ParentFailOut fout;
  g_assert_false (parent_fail_run (rt, &fin, &fout, &error));
  g_assert_error (error, E2E_ERROR, E2E_ERROR_BOOM);
  g_assert_cmpstr (error->message, ==, "boom -3");
  g_clear_error (&error);
  fin.x = 3;
  g_assert_true (parent_fail_run (rt, &fin, &fout, &error));
  g_assert_cmpint (fout.y, ==, 3);
  g_assert_cmpint (fout.t->value, ==, 3);
  parent_fail_out_clear (&fout);
  e2e_runtime_finish (rt);
}

typedef struct {
  gint done;
  GError *error;
  int w;
} WaitResult;

static void
parent_wait_done (ParentWaitOut *out, const GError *error, gpointer data)
{
  WaitResult *r = data;
  if (error != NULL)
    r->error = g_error_copy (error);
  else
    r->w = out->w;
  g_atomic_int_set (&r->done, 1);
}

static void
parent_timeout_done (ParentTimeoutOut *out, const GError *error, gpointer data)
{
  parent_wait_done ((ParentWaitOut *) out, error, data);
}

/* The child of a flow sees the caller's user data, completes normally, or
 * is cancelled with its parent. */
static void
test_compose_wait (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = E2E_LATER;
  WaitResult r = { 0 };
  ParentWaitIn in = { .x = 1 };
  parent_wait_start (rt, &in, NULL, parent_wait_done, &r);
  while (pending->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (k_wait_user_data == &r);
  k_wait_return (g_ptr_array_steal_index (pending, 0), 42);
  iterate_until_flag (&r.done, 30);
  g_assert_no_error (r.error);
  g_assert_cmpint (r.w, ==, 42);

  /* cancelled by the caller while the child waits */
  GCancellable *cancellable = g_cancellable_new ();
  WaitResult c = { 0 };
  parent_wait_start (rt, &in, cancellable, parent_wait_done, &c);
  while (pending->len == 0)
    g_main_context_iteration (NULL, TRUE);
  DfCall *call = g_ptr_array_steal_index (pending, 0);
  GCancellable *child_cancellable = g_object_ref (df_call_get_cancellable (call));
  g_cancellable_cancel (cancellable);
  iterate_until_flag (&c.done, 30);
  g_assert_error (c.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_clear_error (&c.error);
  g_assert_true (g_cancellable_is_cancelled (child_cancellable));
  g_object_unref (child_cancellable);
  /* The call is still owed its completion: the child's frame waits for it
   * (the parent's is gone: the cancelled child completed its call). */
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 1);
  k_wait_return (call, 5);
  e2e_runtime_finish (rt);
  g_object_unref (cancellable);
}

static void
limit_child_done (LimitChildOut *out, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  g_assert_cmpint (out->w, ==, 9);
  (*(gint *) data)++;
}

static gboolean
one_pending (gpointer data)
{
  return pending->len == 1;
}

/* `limit 1` on a call of a flow: its children run one at a time. */
static void
test_compose_limit (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  gint done = 0;
  LimitChildIn in = { .x = 1 };
  for (int i = 0; i < 5; i++)
    limit_child_start (rt, &in, NULL, limit_child_done, &done);
  for (int i = 0; i < 5; i++)
    {
      e2e_iterate_until_true (one_pending, NULL, 30);
      /* a few more iterations: no second child starts meanwhile */
      for (int k = 0; k < 10; k++)
        g_main_context_iteration (NULL, FALSE);
      g_assert_cmpuint (pending->len, ==, 1);
      k_wait_return (g_ptr_array_steal_index (pending, 0), 9);
    }
  e2e_runtime_finish (rt);
  g_assert_cmpint (done, ==, 5);
}

/* A flow called with `timeout`: the child is cancelled when it fires. */
static void
test_compose_timeout (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  WaitResult r = { 0 };
  ParentTimeoutIn in = { .x = 1 };
  df_runtime_set_virtual_clock (rt, 0, TRUE);
  gint64 start = df_runtime_get_time (rt);
  parent_timeout_start (rt, &in, NULL, parent_timeout_done, &r);
  e2e_iterate_rt_until (rt, &r.done, 30);
  g_assert_cmpint (df_runtime_get_time (rt) - start, ==, 30 * G_TIME_SPAN_MILLISECOND);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (r.error->message, "child_wait"));
  g_clear_error (&r.error);
  g_assert_cmpuint (pending->len, ==, 1);
  DfCall *call = g_ptr_array_steal_index (pending, 0);
  /* The child is cancelled soon after (from the loop). */
  GCancellable *child = df_call_get_cancellable (call);
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  while (!g_cancellable_is_cancelled (child) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (g_cancellable_is_cancelled (child));
  k_wait_return (call, 5);   /* late: discarded */
  e2e_runtime_finish (rt);
}

/* ------------------------------------------------------------------ retry */

static void
test_retry (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  GError *error = NULL;
  memset (attempts, 0, sizeof attempts);

  /* fails twice, then succeeds: backoff 5ms then 10ms */
  budget[0] = 2;
  RetryAsyncIn in = { .key = 0 };
  RetryAsyncOut out;
  df_runtime_set_virtual_clock (rt, 0, TRUE);
  gint64 start = df_runtime_get_time (rt);
  g_assert_true (retry_async_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (df_runtime_get_time (rt) - start, ==, 15 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (attempts[0], ==, 3);
  g_assert_cmpint (out.v->value, ==, 3);
  retry_async_out_clear (&out);

  /* fails three times: retry 2 gives up with the last error */
  budget[1] = 3;
  in.key = 1;
  g_assert_false (retry_async_run (rt, &in, &out, &error));
  g_assert_error (error, E2E_ERROR, E2E_ERROR_FLAKY);
  g_assert_cmpstr (error->message, ==, "flaky 3");
  g_clear_error (&error);
  g_assert_cmpint (attempts[1], ==, 3);

  /* `retry 4` at the call site overrides the stage's `retry 2` */
  budget[2] = 4;
  RetryAsyncMoreIn min = { .key = 2 };
  RetryAsyncMoreOut mout;
  g_assert_true (retry_async_more_run (rt, &min, &mout, &error));
  g_assert_cmpint (mout.v->value, ==, 5);
  retry_async_more_out_clear (&mout);
  budget[3] = 5;
  min.key = 3;
  g_assert_false (retry_async_more_run (rt, &min, &mout, &error));
  g_assert_error (error, E2E_ERROR, E2E_ERROR_FLAKY);
  g_clear_error (&error);
  g_assert_cmpint (attempts[3], ==, 5);

  /* sync stage: the outputs of failed attempts are freed */
  budget[4] = 2;
  RetrySyncIn sin = { .key = 4 };
  RetrySyncOut sout;
  g_assert_true (retry_sync_run (rt, &sin, &sout, &error));
  g_assert_cmpint (sout.v->value, ==, 3);
  g_assert_cmpint (tokens_live (), ==, 1);
  retry_sync_out_clear (&sout);
  budget[5] = 3;
  sin.key = 5;
  g_assert_false (retry_sync_run (rt, &sin, &sout, &error));
  g_assert_error (error, E2E_ERROR, E2E_ERROR_FLAKY);
  g_clear_error (&error);
  g_assert_cmpint (attempts[5], ==, 3);
  g_assert_cmpint (tokens_live (), ==, 0);

  /* blocking stage */
  budget[6] = 3;
  RetryBlockIn bin = { .key = 6 };
  RetryBlockOut bout;
  g_assert_true (retry_block_run (rt, &bin, &bout, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bout.n, ==, 4);
  budget[7] = 4;
  bin.key = 7;
  g_assert_false (retry_block_run (rt, &bin, &bout, &error));
  g_assert_error (error, E2E_ERROR, E2E_ERROR_FLAKY);
  g_clear_error (&error);
  g_assert_cmpint (attempts[7], ==, 4);

  /* a flow called with `retry 2` whose stage has `retry 3`: 3 x 4 attempts */
  budget[8] = 5;
  RetryChildIn cin = { .key = 8 };
  RetryChildOut cout;
  g_assert_true (retry_child_run (rt, &cin, &cout, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cout.n, ==, 6);
  budget[9] = 12;
  cin.key = 9;
  g_assert_false (retry_child_run (rt, &cin, &cout, &error));
  g_assert_error (error, E2E_ERROR, E2E_ERROR_FLAKY);
  g_clear_error (&error);
  g_assert_cmpint (attempts[9], ==, 12);
  e2e_runtime_finish (rt);
}

/* ---------------------------------------------------------------- timeout */

static void
test_timeout (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  GError *error = NULL;
  TimeoutAsyncIn in = { .x = 1 };
  TimeoutAsyncOut out;

  slow_completes = TRUE;
  g_assert_true (timeout_async_run (rt, &in, &out, &error));
  g_assert_cmpint (out.t->value, ==, 1);
  timeout_async_out_clear (&out);

  slow_completes = FALSE;
  gint64 start = g_get_monotonic_time ();
  g_assert_false (timeout_async_run (rt, &in, &out, &error));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 30 * G_TIME_SPAN_MILLISECOND);
  g_assert_error (error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "t_slow"));
  g_clear_error (&error);
  /* The frame waits for the late completion, which must not crash. */
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 1);
  g_assert_cmpuint (pending->len, ==, 1);
  DfCall *call = g_ptr_array_steal_index (pending, 0);
  g_assert_true (g_cancellable_is_cancelled (df_call_get_cancellable (call)));
  t_slow_return (call, token_new (99));   /* discarded and freed */
  runtime_run_or_fail (rt, 30);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  g_assert_cmpint (tokens_live (), ==, 0);

  /* `timeout 10ms` at the call site; completed late from another thread */
  TimeoutSiteIn sin = { .x = 2 };
  TimeoutSiteOut sout;
  g_assert_false (timeout_site_run (rt, &sin, &sout, &error));
  g_assert_error (error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "10ms"));
  g_clear_error (&error);
  call = g_ptr_array_steal_index (pending, 0);
  e2e_mode = E2E_THREAD;
  e2e_return_token (t_slow_return, call, token_new (98));

  /* a blocking stage past its timeout: cancelled, its result discarded */
  TimeoutBlockIn bin = { .x = 3 };
  TimeoutBlockOut bout;
  g_assert_false (timeout_block_run (rt, &bin, &bout, &error));
  g_assert_error (error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_clear_error (&error);

  e2e_runtime_finish (rt);
}

/* `timeout 30ms retry 1` on the virtual clock.  The first attempt times
 * out at 30 ms; the retry waits for it at most one more timeout. */
static void
test_timeout_retry (void)
{
  TimeoutRetryIn rin = { .x = 4 };
  TimeoutRetryOut rout;
  GError *error = NULL;

  /* It comes back at 45 ms: discarded, and the retry succeeds then. */
  DfRuntime *rt = e2e_runtime_new ();
  df_runtime_set_virtual_clock (rt, 0, TRUE);
  late_calls = 0;
  late_after = 45 * G_TIME_SPAN_MILLISECOND;
  gint64 start = df_runtime_get_time (rt);
  g_assert_true (timeout_retry_run (rt, &rin, &rout, &error));
  g_assert_no_error (error);
  g_assert_cmpint (df_runtime_get_time (rt) - start, ==, 45 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (late_calls, ==, 2);
  g_assert_cmpint (rout.t->value, ==, 4);
  timeout_retry_out_clear (&rout);
  e2e_runtime_finish (rt);

  /* It never comes back: the flow fails at 60 ms instead of waiting for
   * ever; the straggler is discarded whenever it returns. */
  rt = e2e_runtime_new ();
  df_runtime_set_virtual_clock (rt, 0, TRUE);
  late_calls = 0;
  late_after = G_MAXINT64;
  start = df_runtime_get_time (rt);
  g_assert_false (timeout_retry_run (rt, &rin, &rout, &error));
  g_assert_error (error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_assert_cmpstr (error->message, ==,
                   "stage 't_late' timed out after 30ms and did not return; not retried");
  g_clear_error (&error);
  g_assert_cmpint (df_runtime_get_time (rt) - start, ==, 60 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (late_calls, ==, 1);
  t_late_return (late_call, token_new (-1));
  e2e_runtime_finish (rt);
}

/* ------------------------------------------------------------------ limit */

typedef struct {
  gint pending;
  gint bad;
} Count;

static void
limit_async_done (LimitAsyncOut *out, const GError *error, gpointer data)
{
  Count *c = data;
  c->bad += error != NULL || out->y != 2 * 5;
  c->pending--;
}

static void
limit_block_done (LimitBlockOut *out, const GError *error, gpointer data)
{
  limit_async_done ((LimitAsyncOut *) out, error, data);
}

static void
limit_sync_done (LimitSyncOut *out, const GError *error, gpointer data)
{
  limit_async_done ((LimitAsyncOut *) out, error, data);
}

static void
limit_site_done (LimitSiteOut *out, const GError *error, gpointer data)
{
  limit_async_done ((LimitAsyncOut *) out, error, data);
}

static void
limit_par_done (LimitParOut *out, const GError *error, gpointer data)
{
  Count *c = data;
  c->bad += error != NULL || out->y1 != 10 || out->y2 != 10 || out->y3 != 10;
  c->pending--;
}

static void
test_limit (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  Count c = { 0 };
  gauge_reset (&g_async);
  gauge_reset (&g_block);
  gauge_reset (&g_sync);
  gauge_reset (&g_plain);
  LimitAsyncIn ain = { .x = 5 };
  LimitBlockIn bin = { .x = 5 };
  LimitSyncIn sin = { .x = 5 };
  LimitSiteIn lin = { .x = 5 };
  for (int i = 0; i < 20; i++)
    {
      c.pending += 4;
      limit_async_start (rt, &ain, NULL, limit_async_done, &c);
      limit_block_start (rt, &bin, NULL, limit_block_done, &c);
      limit_sync_start (rt, &sin, NULL, limit_sync_done, &c);
      limit_site_start (rt, &lin, NULL, limit_site_done, &c);
    }
  e2e_runtime_finish (rt);
  g_assert_cmpint (c.pending, ==, 0);
  g_assert_cmpint (c.bad, ==, 0);
  g_assert_cmpint (g_async.calls, ==, 20);
  g_assert_cmpint (g_async.max, ==, 1);
  g_assert_cmpint (g_block.calls, ==, 20);
  g_assert_cmpint (g_block.max, <=, 2);
  g_assert_cmpint (g_sync.max, ==, 1);
  g_assert_cmpint (g_plain.calls, ==, 20);
  g_assert_cmpint (g_plain.max, ==, 1);

  /* two branches of one flow (and of many) share the stage's limit */
  rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  gauge_reset (&g_async);
  LimitParIn pin = { .x = 5 };
  for (int i = 0; i < 10; i++)
    {
      c.pending++;
      limit_par_start (rt, &pin, NULL, limit_par_done, &c);
    }
  e2e_runtime_finish (rt);
  g_assert_cmpint (c.pending, ==, 0);
  g_assert_cmpint (c.bad, ==, 0);
  g_assert_cmpint (g_async.calls, ==, 20);
  g_assert_cmpint (g_async.max, ==, 1);
}

/* --------------------------------------------------------- repeat / every */

typedef struct {
  gint done;
  GError *error;
} EndResult;

static void
ticker_done (TickerOut *out, const GError *error, gpointer data)
{
  EndResult *r = data;
  g_assert_null (out);
  r->error = g_error_copy (error);
  g_atomic_int_set (&r->done, 1);
}

static void
spinner_done (SpinnerOut *out, const GError *error, gpointer data)
{
  ticker_done ((TickerOut *) out, error, data);
}

static void
every_done (TickerOut *out, const GError *error, gpointer data)
{
  EndResult *r = g_object_get_data (G_OBJECT (data), "result");
  ticker_done (out, error, r);
}

static void
test_every_rounds (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  EndResult r = { 0 };
  rounds = 0;
  stop = g_cancellable_new ();
  g_object_set_data (G_OBJECT (stop), "result", &r);
  TickerIn in = { .n = 1 };
  df_runtime_set_virtual_clock (rt, 0, TRUE);
  ticker_start (rt, &in, stop, every_done, stop);
  e2e_iterate_rt_until (rt, &r.done, 30);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_clear_error (&r.error);
  /* On the virtual clock: exactly ROUNDS rounds, exactly 10 ms apart. */
  g_assert_cmpint (rounds, ==, ROUNDS);
  for (guint i = 1; i < ROUNDS && i < G_N_ELEMENTS (round_times); i++)
    g_assert_cmpint (round_times[i] - round_times[i - 1], ==, 10 * G_TIME_SPAN_MILLISECOND);
  e2e_runtime_finish (rt);
  g_clear_object (&stop);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* Cancelled from outside while it sleeps between rounds. */
static void
test_every_cancel_sleeping (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  EndResult r = { 0 };
  rounds = -1000;   /* never reaches ROUNDS */
  stop = g_cancellable_new ();
  g_object_set_data (G_OBJECT (stop), "result", &r);
  TickerIn in = { .n = 1 };
  ticker_start (rt, &in, stop, every_done, stop);
  g_timeout_add (35, cancel_later, stop);
  iterate_until_flag (&r.done, 30);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_cmpint (rounds, >, -1000);
  e2e_runtime_finish (rt);
  g_clear_object (&stop);
}

static void
test_repeat (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  EndResult r = { 0 };
  rounds = 0;
  stop = g_cancellable_new ();
  SpinnerIn in = { .n = 3 };
  spinner_start (rt, &in, stop, spinner_done, &r);
  iterate_until_flag (&r.done, 30);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_cmpint (rounds, >=, 50);
  g_assert_cmpint (rounds, <=, 51);
  e2e_runtime_finish (rt);
  g_clear_object (&stop);
}

int
main (int argc, char **argv)
{
  e2e_init (&argc, &argv);
  pending = g_ptr_array_new ();
  for (int m = 0; m < E2E_N_MODES; m++)
    {
      g_autofree char *compose = g_strdup_printf ("/compose/flows/%s", e2e_mode_names[m]);
      g_autofree char *retry = g_strdup_printf ("/compose/retry/%s", e2e_mode_names[m]);
      g_autofree char *limit = g_strdup_printf ("/compose/limit/%s", e2e_mode_names[m]);
      g_autofree char *repeat = g_strdup_printf ("/compose/repeat/%s", e2e_mode_names[m]);
      g_test_add_data_func (compose, GINT_TO_POINTER (m), test_compose);
      g_test_add_data_func (retry, GINT_TO_POINTER (m), test_retry);
      g_test_add_data_func (limit, GINT_TO_POINTER (m), test_limit);
      g_test_add_data_func (repeat, GINT_TO_POINTER (m), test_repeat);
    }
  g_test_add_func ("/compose/flows/wait-and-cancel", test_compose_wait);
  g_test_add_func ("/compose/flows/timeout", test_compose_timeout);
  g_test_add_func ("/compose/flows/limit", test_compose_limit);
  g_test_add_func ("/compose/timeout", test_timeout);
  g_test_add_func ("/compose/timeout-retry", test_timeout_retry);
  g_test_add_func ("/compose/every/rounds", test_every_rounds);
  g_test_add_func ("/compose/every/cancel-sleeping", test_every_cancel_sleeping);
  int status = g_test_run ();
  g_assert_cmpuint (pending->len, ==, 0);
  g_ptr_array_unref (pending);
  return status;
}
