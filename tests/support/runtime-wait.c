/* runtime-wait.c — see runtime-wait.h. */
#include "runtime-wait.h"

typedef struct {
  DfRuntime *rt;
  guint      frames_left;
  gboolean   expired;
} RunGuard;

static gboolean
run_deadline (gpointer data)
{
  RunGuard *guard = data;
  guard->expired = TRUE;
  guard->frames_left = df_runtime_get_n_frames (guard->rt);
  df_runtime_quit (guard->rt);
  return G_SOURCE_REMOVE;
}

void
runtime_run_or_fail (DfRuntime *rt, double seconds)
{
  RunGuard guard = { rt, 0, FALSE };
  GSource *timer = g_timeout_source_new ((guint) (seconds * 1000));
  g_source_set_callback (timer, run_deadline, &guard, NULL);
  g_source_attach (timer, df_runtime_get_context (rt));
  g_assert_true (df_runtime_run (rt));
  g_source_destroy (timer);
  g_source_unref (timer);
  /* Fatal: what a test checks after the run would only add noise. */
  if (guard.expired)
    g_error ("the flows did not end in %.1fs (%u frames left)", seconds, guard.frames_left);
}

static gboolean
flag_deadline (gpointer data)
{
  g_atomic_int_set ((gint *) data, 1);
  return G_SOURCE_REMOVE;
}

void
iterate_until_flag (const gint *flag, double seconds)
{
  gint expired = 0;
  guint id = g_timeout_add ((guint) (seconds * 1000), flag_deadline, &expired);
  while (!g_atomic_int_get (flag) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("timed out after %.1fs", seconds);
  g_source_remove (id);
}
