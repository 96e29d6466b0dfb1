/* The stages of compose.df: a skeleton written by dfc --stubs.  Every function
 * fails with "not implemented yet" until you write it. */
#include "compose.h"

/* compose.df:9: stage read (blocking: runs on a worker thread). */
gboolean
app_read (DfContext *ctx G_GNUC_UNUSED, const char *path G_GNUC_UNUSED,
          char **text G_GNUC_UNUSED, GError **error)
{
  /* Set *text (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'read' is not implemented yet");
  return FALSE;
}

/* compose.df:10: stage count (sync: runs on the loop thread). */
gboolean
app_count (DfContext *ctx G_GNUC_UNUSED, char *text G_GNUC_UNUSED,
           int *words G_GNUC_UNUSED, GError **error)
{
  /* Set *words (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'count' is not implemented yet");
  return FALSE;
}

/* compose.df:11: stage report (sync: runs on the loop thread). */
gboolean
app_report (DfContext *ctx G_GNUC_UNUSED, int words G_GNUC_UNUSED,
            GError **error)
{
  /* Do the work and return TRUE, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'report' is not implemented yet");
  return FALSE;
}

/* compose.df:12: stage poll (async: starts work that finishes later). */
void
app_poll (DfCall *call, int n G_GNUC_UNUSED)
{
  /* Start the work and return.  df_call_get_cancellable (call) is cancelled
   * on a time-out, a drain or a cancel.
   * Finish exactly once, from any thread, with
   * app_poll_return (call, ready) or df_call_fail (call, error). */
  df_call_failf (call, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "stage 'poll' is not implemented yet");
}
