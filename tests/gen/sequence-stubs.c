/* The stages of sequence.df: a skeleton written by dfc --stubs.  Every function
 * fails with "not implemented yet" until you write it. */
#include "sequence.h"

/* sequence.df:14: stage fetch (async: starts work that finishes later). */
void
fetch (DfCall *call, const char *url G_GNUC_UNUSED, int attempt G_GNUC_UNUSED)
{
  /* Start the work and return.  df_call_get_cancellable (call) is cancelled
   * on a time-out, a drain or a cancel.
   * Finish exactly once, from any thread, with
   * fetch_return (call, page) or df_call_fail (call, error). */
  df_call_failf (call, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "stage 'fetch' is not implemented yet");
}

/* sequence.df:15: stage parse (sync: runs on the loop thread). */
gboolean
parse (DfContext *ctx G_GNUC_UNUSED, char *page G_GNUC_UNUSED,
       gboolean strict G_GNUC_UNUSED, double ratio G_GNUC_UNUSED,
       int *rows G_GNUC_UNUSED, char **title G_GNUC_UNUSED, GError **error)
{
  /* Set *rows, *title (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'parse' is not implemented yet");
  return FALSE;
}

/* sequence.df:16: stage store (blocking: runs on a worker thread). */
gboolean
store (DfContext *ctx G_GNUC_UNUSED, int rows G_GNUC_UNUSED,
       const char *dest G_GNUC_UNUSED, GTimeSpan period G_GNUC_UNUSED,
       int *status G_GNUC_UNUSED, GError **error)
{
  /* Set *status (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'store' is not implemented yet");
  return FALSE;
}

/* sequence.df:17: stage audit (sync: runs on the loop thread). */
gboolean
audit (DfContext *ctx G_GNUC_UNUSED, int status G_GNUC_UNUSED,
       char *who G_GNUC_UNUSED, GError **error)
{
  /* Do the work and return TRUE, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'audit' is not implemented yet");
  return FALSE;
}

/* sequence.df:18: stage notify (async: starts work that finishes later). */
void
notify (DfCall *call, int status G_GNUC_UNUSED)
{
  /* Start the work and return.  df_call_get_cancellable (call) is cancelled
   * on a time-out, a drain or a cancel.
   * Finish exactly once, from any thread, with
   * notify_return (call, sent) or df_call_fail (call, error). */
  df_call_failf (call, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "stage 'notify' is not implemented yet");
}
