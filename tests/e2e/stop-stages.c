/* stop-stages.c — the stages of stop.df.  Each prints "ready NAME" on
 * stdout the first time it runs, so the test knows when to signal. */
#include <stdio.h>

#include "stop.h"

static void
ready (const char *name)
{
  static gint seen;
  printf ("ready %s\n", name);
  fflush (stdout);
  if (g_atomic_int_add (&seen, 1) == 3)
    {
      printf ("ready all\n");
      fflush (stdout);
    }
}

typedef struct {
  DfCall *call;
  GSource *timer;
  gulong cancel_id;
  GCancellable *cancellable;
  int ms;
} Wait;

static void
wait_finish (Wait *w, gboolean cancelled)
{
  g_source_destroy (w->timer);
  g_source_unref (w->timer);
  if (cancelled)
    df_call_fail_literal (w->call, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  else
    st_wait_return (w->call, w->ms);
  g_object_unref (w->cancellable);
  g_free (w);
}

static gboolean
wait_over (gpointer data)
{
  Wait *w = data;
  g_cancellable_disconnect (w->cancellable, w->cancel_id);
  wait_finish (w, FALSE);
  return G_SOURCE_REMOVE;
}

/* Like a GIO call: on cancellation it fails with G_IO_ERROR_CANCELLED,
 * from an idle (cancel handlers may not disconnect themselves). */
static gboolean
wait_cancelled_idle (gpointer data)
{
  wait_finish (data, TRUE);
  return G_SOURCE_REMOVE;
}

static void
wait_cancelled (GCancellable *cancellable, gpointer data)
{
  g_idle_add (wait_cancelled_idle, data);
}

void
st_wait (DfCall *call, int ms)
{
  static gboolean once;
  if (!once)
    {
      once = TRUE;
      ready ("poll");
    }
  Wait *w = g_new0 (Wait, 1);
  w->call = call;
  w->ms = ms;
  w->cancellable = g_object_ref (df_call_get_cancellable (call));
  w->timer = g_timeout_source_new ((guint) ms);
  g_source_set_callback (w->timer, wait_over, w, NULL);
  g_source_attach (w->timer, NULL);
  w->cancel_id = g_cancellable_connect (w->cancellable, G_CALLBACK (wait_cancelled), w, NULL);
}

gboolean
st_stuck (DfContext *ctx, gboolean stuck, GError **error)
{
  static gint once;
  if (g_atomic_int_compare_and_exchange (&once, 0, 1))
    ready ("spin");
  if (stuck)
    for (;;)
      g_usleep (G_USEC_PER_SEC);
  g_usleep (1000);
  return TRUE;
}

gboolean
st_count (DfContext *ctx, int upto, int *counted, GError **error)
{
  static int count;
  if (count++ == 0)
    ready ("counter");
  if (count > upto)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "count %d passed %d", count, upto);
      return FALSE;
    }
  *counted = count;
  return TRUE;
}

gboolean
st_flaky (DfContext *ctx, gboolean broken, GError **error)
{
  static int calls;
  if (calls++ == 0)
    ready ("flaky");
  if (broken && calls == 1)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "flaky failed");
      return FALSE;
    }
  return TRUE;
}
