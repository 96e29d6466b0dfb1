/* test-fail.c — fail.df: a failing `par` branch cancels the others, the
 * caller cancels, and every owned value is freed exactly once on every path
 * (the Token counters of e2e-common.c). */
#include <string.h>

#include "fail.h"
#include "runtime-wait.h"

static gint wait_calls, wait_cancelled, block_waits;
static GPtrArray *held;   /* gate_hold calls the test completes */

/* f_wait and f_wait_block wait for their cancellation when the flow fails
 * inside the par (x = 1, 2, 3) or is cancelled by the test (x = 9). */
static gboolean
waits (int x)
{
  return (x >= 1 && x <= 3) || x == 9;
}

static GError *
boom (const char *stage)
{
  return g_error_new (E2E_ERROR, E2E_ERROR_BOOM, "%s failed", stage);
}

/* ------------------------------------------------------------------ stages */

gboolean
f_pre (DfContext *ctx, int x, Token **p, GError **error)
{
  *p = token_new (100);
  return TRUE;
}

void
f_delay (DfCall *call, int x)
{
  e2e_return_token (f_delay_return, call, token_new (1));
}

gboolean
f_fail (DfContext *ctx, Token *d, int x, Token **e, GError **error)
{
  *e = token_new (2);   /* an output set before failing is freed too */
  if (x == 1)
    {
      g_propagate_error (error, boom ("f_fail"));
      return FALSE;
    }
  return TRUE;
}

void
f_fail_async (DfCall *call, int x)
{
  if (x == 2)
    e2e_fail (call, boom ("f_fail_async"));
  else
    e2e_return_token (f_fail_async_return, call, token_new (3));
}

gboolean
f_fail_block (DfContext *ctx, int x, Token **e, GError **error)
{
  g_assert_false (e2e_is_main_thread ());
  *e = token_new (4);
  if (x == 3)
    {
      g_propagate_error (error, boom ("f_fail_block"));
      return FALSE;
    }
  return TRUE;
}

static void
f_wait_finish (gpointer data)
{
  f_wait_return (data, token_new (5));
}

static void
f_wait_cancelled (GCancellable *cancellable, gpointer data)
{
  g_atomic_int_inc (&wait_cancelled);
  /* E2E_INLINE completes inside the cancellation itself. */
  e2e_defer (f_wait_finish, data);
}

void
f_wait (DfCall *call, int x)
{
  wait_calls++;
  if (!waits (x))
    {
      e2e_defer (f_wait_finish, call);
      return;
    }
  /* Waits for its cancellable: the flow failed elsewhere, or was cancelled. */
  g_cancellable_connect (df_call_get_cancellable (call), G_CALLBACK (f_wait_cancelled), call, NULL);
}

gboolean
f_wait_block (DfContext *ctx, int x, Token **b, GError **error)
{
  g_assert_false (e2e_is_main_thread ());
  GCancellable *cancellable = df_context_get_cancellable (ctx);
  if (waits (x))
    {
      g_atomic_int_inc (&block_waits);
      for (int i = 0; i < 20000 && !g_cancellable_is_cancelled (cancellable); i++)
        g_usleep (500);
      g_assert_true (g_cancellable_is_cancelled (cancellable));
    }
  *b = token_new (6);   /* returned after cancellation: discarded */
  return TRUE;
}

gboolean
f_ok (DfContext *ctx, int x, Token **o, GError **error)
{
  *o = token_new (7);
  return TRUE;
}

gboolean
f_sum (DfContext *ctx, Token *p, Token *e, Token *w, Token *b, Token *o, int x, int *s, Token **keep,
       GError **error)
{
  *s = p->value + e->value + w->value + b->value + o->value;
  *keep = token_new (*s);
  if (x == 4)
    {
      g_propagate_error (error, boom ("f_sum"));
      return FALSE;
    }
  return TRUE;
}

gboolean
f_sink (DfContext *ctx, Token *e2, Token *o2, Token *e3, int x, GError **error)
{
  g_assert_cmpint (e2->value + o2->value + e3->value, ==, 3 + 7 + 4);
  if (x == 5)
    {
      g_propagate_error (error, boom ("f_sink"));
      return FALSE;
    }
  return TRUE;
}

void
gate_hold (DfCall *call, int x)
{
  g_ptr_array_add (held, call);
}

static gint block_retry_attempts;

gboolean
f_block_retry (DfContext *ctx, int x, Token **e, GError **error)
{
  int n = g_atomic_int_add (&block_retry_attempts, 1) + 1;
  *e = token_new (n);
  if (n <= x)
    {
      g_propagate_error (error, boom ("f_block_retry"));
      return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------- tests */

static void
reset (void)
{
  wait_calls = 0;
  g_atomic_int_set (&wait_cancelled, 0);
  g_atomic_int_set (&block_waits, 0);
}

static const char *const failing_stage[] = { NULL, "f_fail", "f_fail_async", "f_fail_block", "f_sum", "f_sink" };

static void
check_result (gboolean ok, GError *error, int x, int s, Token *keep)
{
  if (failing_stage[x] == NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpint (s, ==, 100 + 2 + 5 + 6 + 7);
      g_assert_nonnull (keep);
      g_assert_cmpint (keep != NULL ? keep->value : -1, ==, s);
      return;
    }
  g_assert_false (ok);
  /* The failing stage's own error reaches the caller, not a cancellation. */
  g_assert_error (error, E2E_ERROR, E2E_ERROR_BOOM);
  g_autofree char *message = g_strdup_printf ("%s failed", failing_stage[x]);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_par_fail (gconstpointer data)
{
  static const int xs[] = { 0, 1, 4 };   /* par_fail has no f_fail_async / f_fail_block */
  for (guint i = 0; i < G_N_ELEMENTS (xs); i++)
    {
      int x = xs[i];
      DfRuntime *rt = e2e_runtime_new ();
      e2e_mode = GPOINTER_TO_INT (data);
      reset ();
      ParFailIn in = { .x = x };
      ParFailOut out = { 0 };
      GError *error = NULL;
      gboolean ok = par_fail_run (rt, &in, &out, &error);
      check_result (ok, error, x, out.s, out.keep);
      g_clear_error (&error);
      par_fail_out_clear (&out);
      e2e_runtime_finish (rt);   /* every token freed once, no frame left */
      if (x == 1)
        /* f_wait, if it started, was cancelled by f_fail's failure */
        g_assert_cmpint (g_atomic_int_get (&wait_cancelled), ==, wait_calls);
    }
}

static void
test_par_fail_nested (gconstpointer data)
{
  for (int x = 0; x <= 5; x++)
    {
      DfRuntime *rt = e2e_runtime_new ();
      e2e_mode = GPOINTER_TO_INT (data);
      reset ();
      ParFailNestedIn in = { .x = x };
      ParFailNestedOut out = { 0 };
      GError *error = NULL;
      gboolean ok = par_fail_nested_run (rt, &in, &out, &error);
      check_result (ok, error, x, out.s, out.keep);
      g_clear_error (&error);
      par_fail_nested_out_clear (&out);
      e2e_runtime_finish (rt);
      if (x >= 1 && x <= 3)
        g_assert_cmpint (g_atomic_int_get (&wait_cancelled), ==, wait_calls);
    }
}

typedef struct {
  gint done;
  GError *error;
  int s;
} Result;

static void
par_fail_nested_done (ParFailNestedOut *out, const GError *error, gpointer data)
{
  Result *r = data;
  g_assert_true (e2e_is_main_thread ());
  g_assert_false (r->done);
  if (error != NULL)
    r->error = g_error_copy (error);
  else
    r->s = out->s;
  r->done = TRUE;
}

/* Every failure at once, many times over. */
static void
test_many_failures (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  reset ();
  enum { N = 120 };
  Result *results = g_new0 (Result, N);
  ParFailNestedIn in[6];
  for (int x = 0; x < 6; x++)
    in[x].x = x;
  for (int i = 0; i < N; i++)
    par_fail_nested_start (rt, &in[i % 6], NULL, par_fail_nested_done, &results[i]);
  e2e_runtime_finish (rt);
  for (int i = 0; i < N; i++)
    {
      g_assert_true (results[i].done);
      if (i % 6 == 0)
        g_assert_cmpint (results[i].s, ==, 120);
      else
        check_result (FALSE, results[i].error, i % 6, 0, NULL);
      g_clear_error (&results[i].error);
    }
  g_free (results);
}

static void
cancel_me_done (CancelMeOut *out, const GError *error, gpointer data)
{
  Result *r = data;
  g_assert_false (r->done);
  if (error != NULL)
    r->error = g_error_copy (error);
  else
    r->s = out->s;
  g_atomic_int_set (&r->done, TRUE);
}

/* Every branch of cancel_me of *n flows waits. */
static gboolean
all_waiting (gpointer data)
{
  guint n = *(guint *) data;
  return held->len >= n && (guint) wait_calls >= n && (guint) g_atomic_int_get (&block_waits) >= n;
}

static gpointer
cancel_thread (gpointer data)
{
  g_cancellable_cancel (data);
  return NULL;
}

/* The caller cancels a flow whose stages all wait: DF_ERROR_CANCELLED,
 * every stage sees its cancellable cancelled, every value is freed. */
static void
test_cancel (gconstpointer data)
{
  int how = GPOINTER_TO_INT (data);   /* 0: from the loop, 1: another thread */
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = E2E_MIXED;
  reset ();
  GCancellable *cancellable = g_cancellable_new ();
  Result r = { 0 };
  CancelMeIn in = { .x = 9 };
  cancel_me_start (rt, &in, cancellable, cancel_me_done, &r);
  /* until every branch waits */
  guint one = 1;
  e2e_iterate_until_true (all_waiting, &one, 30);
  GCancellable *hold_cancellable = g_object_ref (df_call_get_cancellable (held->pdata[0]));
  g_assert_false (r.done);
  if (how == 0)
    g_cancellable_cancel (cancellable);
  else
    g_thread_join (g_thread_new ("cancel", cancel_thread, cancellable));
  iterate_until_flag (&r.done, 30);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_true (g_cancellable_is_cancelled (hold_cancellable));
  g_object_unref (hold_cancellable);
  /* gate_hold is still owed its completion; it is discarded. */
  DfCall *call = g_ptr_array_steal_index (held, 0);
  e2e_return_token (gate_hold_return, call, token_new (8));
  e2e_runtime_finish (rt);
  g_assert_cmpint (g_atomic_int_get (&wait_cancelled), ==, 1);
  g_object_unref (cancellable);
}

static void
test_cancel_before_start (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  reset ();
  GCancellable *cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  Result r = { 0 };
  CancelMeIn in = { .x = 9 };
  cancel_me_start (rt, &in, cancellable, cancel_me_done, &r);
  iterate_until_flag (&r.done, 30);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_clear_error (&r.error);
  while (held->len > 0)
    {
      DfCall *call = g_ptr_array_steal_index (held, 0);
      gate_hold_return (call, token_new (8));
    }
  e2e_runtime_finish (rt);
  g_object_unref (cancellable);
}

/* Cancelling after the end changes nothing. */
static void
test_cancel_after_end (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  reset ();
  GCancellable *cancellable = g_cancellable_new ();
  Result r = { 0 };
  ParFailNestedIn in = { .x = 0 };
  par_fail_nested_start (rt, &in, cancellable, par_fail_nested_done, &r);
  runtime_run_or_fail (rt, 30);
  g_assert_true (r.done);
  g_assert_no_error (r.error);
  g_cancellable_cancel (cancellable);
  e2e_runtime_finish (rt);
  g_object_unref (cancellable);
}

/* df_runtime_cancel_all() ends every flow with DF_ERROR_CANCELLED. */
static void
test_cancel_all (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = E2E_LATER;
  reset ();
  enum { N = 10 };   /* fewer than the workers: every f_wait_block runs */
  Result results[N] = { { 0 } };
  CancelMeIn in = { .x = 9 };
  for (int i = 0; i < N; i++)
    cancel_me_start (rt, &in, NULL, cancel_me_done, &results[i]);
  guint n = N;
  e2e_iterate_until_true (all_waiting, &n, 30);
  df_runtime_cancel_all (rt);
  for (int i = 0; i < N; i++)
    {
      iterate_until_flag (&results[i].done, 30);
      g_assert_error (results[i].error, DF_ERROR, DF_ERROR_CANCELLED);
      g_clear_error (&results[i].error);
    }
  while (held->len > 0)
    {
      DfCall *call = g_ptr_array_steal_index (held, 0);
      e2e_return_token (gate_hold_return, call, token_new (8));
    }
  e2e_runtime_finish (rt);
  g_assert_cmpint (g_atomic_int_get (&wait_cancelled), ==, N);
}

/* A blocking stage's outputs from failed attempts are freed. */
static void
test_block_retry (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  GError *error = NULL;
  g_atomic_int_set (&block_retry_attempts, 0);
  BlockRetryIn in = { .x = 2 };
  BlockRetryOut out;
  g_assert_true (block_retry_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.e->value, ==, 3);
  g_assert_cmpint (tokens_live (), ==, 1);
  block_retry_out_clear (&out);

  g_atomic_int_set (&block_retry_attempts, 0);
  in.x = 3;
  g_assert_false (block_retry_run (rt, &in, &out, &error));
  g_assert_error (error, E2E_ERROR, E2E_ERROR_BOOM);
  g_clear_error (&error);
  g_assert_cmpint (block_retry_attempts, ==, 3);
  e2e_runtime_finish (rt);
}

int
main (int argc, char **argv)
{
  e2e_init (&argc, &argv);
  held = g_ptr_array_new ();
  for (int m = 0; m < E2E_N_MODES; m++)
    {
      g_autofree char *flat = g_strdup_printf ("/fail/par/%s", e2e_mode_names[m]);
      g_autofree char *nested = g_strdup_printf ("/fail/par-nested/%s", e2e_mode_names[m]);
      g_autofree char *many = g_strdup_printf ("/fail/many/%s", e2e_mode_names[m]);
      g_test_add_data_func (flat, GINT_TO_POINTER (m), test_par_fail);
      g_test_add_data_func (nested, GINT_TO_POINTER (m), test_par_fail_nested);
      g_test_add_data_func (many, GINT_TO_POINTER (m), test_many_failures);
    }
  g_test_add_data_func ("/fail/cancel/loop", GINT_TO_POINTER (0), test_cancel);
  g_test_add_data_func ("/fail/cancel/thread", GINT_TO_POINTER (1), test_cancel);
  g_test_add_func ("/fail/cancel/before-start", test_cancel_before_start);
  g_test_add_func ("/fail/cancel/after-end", test_cancel_after_end);
  g_test_add_func ("/fail/cancel/all", test_cancel_all);
  g_test_add_func ("/fail/blocking-retry-outputs", test_block_retry);
  int status = g_test_run ();
  g_assert_cmpuint (held->len, ==, 0);
  g_ptr_array_unref (held);
  return status;
}
