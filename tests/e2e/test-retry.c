/* test-retry.c — `on error retry` on whole flows (retry.df). */
#include "retry.h"

static int flaky_calls;
static GPtrArray *slow_calls;   /* DfCall *, completed by the test */

gboolean
flaky (DfContext *ctx, int n, char **msg, GError **error)
{
  if (++flaky_calls <= n)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "busy %d", flaky_calls);
      return FALSE;
    }
  *msg = g_strdup_printf ("ok after %d", flaky_calls);
  return TRUE;
}

void
shout (DfCall *call, char *msg)
{
  shout_return (call, g_ascii_strup (msg, -1));
}

void
slow (DfCall *call, int n)
{
  g_ptr_array_add (slow_calls, call);
}

gboolean
pair (DfContext *ctx, char *loud, int late, char **both, GError **error)
{
  *both = g_strdup_printf ("%s+%d", loud, late);
  return TRUE;
}

static gboolean
complete_slow (gpointer data)
{
  for (guint i = 0; i < slow_calls->len; i++)
    slow_return (slow_calls->pdata[i], 7);
  g_ptr_array_set_size (slow_calls, 0);
  return G_SOURCE_CONTINUE;
}

static void
test_retry_then_succeed (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  AttemptOut out;
  g_autoptr (GError) error = NULL;
  flaky_calls = 0;
  g_assert_true (attempt_run (rt, &(AttemptIn) { 2 }, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (out.loud, ==, "OK AFTER 3");
  g_assert_cmpint (flaky_calls, ==, 3);
  attempt_out_clear (&out);
}

static void
test_retries_exhausted (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  AttemptOut out;
  g_autoptr (GError) error = NULL;
  flaky_calls = 0;
  g_assert_false (attempt_run (rt, &(AttemptIn) { 100 }, &out, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_assert_cmpstr (error->message, ==, "busy 4");   /* the last attempt's error */
  g_assert_cmpint (flaky_calls, ==, 4);             /* 1 + retry 3 */
}

static void
racing_done (RacingOut *out, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  *(char **) data = g_steal_pointer (&out->both);
}

static void
test_retry_with_branch_in_flight (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  char *both = NULL;
  flaky_calls = 0;
  guint tick = g_timeout_add (2, complete_slow, NULL);
  racing_start (rt, &(RacingIn) { 1 }, NULL, racing_done, &both);
  df_runtime_run (rt);
  g_source_remove (tick);
  g_assert_cmpstr (both, ==, "OK AFTER 2+7");
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  g_free (both);
}

static void
cancelled_done (AttemptOut *out, const GError *error, gpointer data)
{
  g_assert_error (error, DF_ERROR, DF_ERROR_CANCELLED);
  (*(int *) data)++;
}

static void
test_cancel_not_retried (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  int done = 0;
  flaky_calls = 0;
  g_cancellable_cancel (cancellable);
  attempt_start (rt, &(AttemptIn) { 0 }, cancellable, cancelled_done, &done);
  df_runtime_run (rt);
  g_assert_cmpint (done, ==, 1);
  g_assert_cmpint (flaky_calls, <=, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  slow_calls = g_ptr_array_new ();
  g_test_add_func ("/e2e/retry/then-succeed", test_retry_then_succeed);
  g_test_add_func ("/e2e/retry/exhausted", test_retries_exhausted);
  g_test_add_func ("/e2e/retry/branch-in-flight", test_retry_with_branch_in_flight);
  g_test_add_func ("/e2e/retry/cancel-not-retried", test_cancel_not_retried);
  int status = g_test_run ();
  g_ptr_array_unref (slow_calls);
  return status;
}
