/* The stages of control.df: a skeleton written by dfc --stubs.  Every function
 * fails with "not implemented yet" until you write it. */
#include "control.h"

/* control.df:8: stage load (async: starts work that finishes later). */
void
load (DfCall *call, const char *key G_GNUC_UNUSED)
{
  /* Start the work and return.  df_call_get_cancellable (call) is cancelled
   * on a time-out, a drain or a cancel.
   * Finish exactly once, from any thread, with
   * load_return (call, blob) or df_call_fail (call, error). */
  df_call_failf (call, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "stage 'load' is not implemented yet");
}

/* control.df:9: stage size (sync: runs on the loop thread). */
gboolean
size (DfContext *ctx G_GNUC_UNUSED, GBytes *blob G_GNUC_UNUSED,
      gsize *n G_GNUC_UNUSED, GError **error)
{
  /* Set *n (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'size' is not implemented yet");
  return FALSE;
}

/* control.df:10: stage hash (blocking: runs on a worker thread). */
gboolean
hash (DfContext *ctx G_GNUC_UNUSED, GBytes *blob G_GNUC_UNUSED,
      guint *h G_GNUC_UNUSED, GError **error)
{
  /* Set *h (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'hash' is not implemented yet");
  return FALSE;
}

/* control.df:11: stage check (sync: runs on the loop thread). */
gboolean
check (DfContext *ctx G_GNUC_UNUSED, gsize n G_GNUC_UNUSED,
       guint h G_GNUC_UNUSED, gboolean *ok G_GNUC_UNUSED, GError **error)
{
  /* Set *ok (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'check' is not implemented yet");
  return FALSE;
}

/* control.df:12: stage fix (async: starts work that finishes later). */
void
fix (DfCall *call, GBytes *blob G_GNUC_UNUSED)
{
  /* Start the work and return.  df_call_get_cancellable (call) is cancelled
   * on a time-out, a drain or a cancel.
   * Finish exactly once, from any thread, with
   * fix_return (call, fixed) or df_call_fail (call, error). */
  df_call_failf (call, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "stage 'fix' is not implemented yet");
}

/* control.df:13: stage keep (sync: runs on the loop thread). */
gboolean
keep (DfContext *ctx G_GNUC_UNUSED, GBytes *blob G_GNUC_UNUSED,
      GBytes **fixed G_GNUC_UNUSED, GError **error)
{
  /* Set *fixed (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'keep' is not implemented yet");
  return FALSE;
}

/* control.df:14: stage log_it (sync: runs on the loop thread). */
gboolean
log_it (DfContext *ctx G_GNUC_UNUSED, gsize n G_GNUC_UNUSED, GError **error)
{
  /* Do the work and return TRUE, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'log_it' is not implemented yet");
  return FALSE;
}

/* control.df:16: stage small (sync: runs on the loop thread). */
gboolean
small (DfContext *ctx G_GNUC_UNUSED, gsize n G_GNUC_UNUSED,
       const char **label G_GNUC_UNUSED, GError **error)
{
  /* Set *label (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'small' is not implemented yet");
  return FALSE;
}

/* control.df:17: stage medium (async: starts work that finishes later). */
void
medium (DfCall *call, gsize n G_GNUC_UNUSED)
{
  /* Start the work and return.  df_call_get_cancellable (call) is cancelled
   * on a time-out, a drain or a cancel.
   * Finish exactly once, from any thread, with
   * medium_return (call, label) or df_call_fail (call, error). */
  df_call_failf (call, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "stage 'medium' is not implemented yet");
}

/* control.df:18: stage large (blocking: runs on a worker thread). */
gboolean
large (DfContext *ctx G_GNUC_UNUSED, gsize n G_GNUC_UNUSED,
       const char **label G_GNUC_UNUSED, GError **error)
{
  /* Set *label (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'large' is not implemented yet");
  return FALSE;
}

/* control.df:19: stage unknown (sync: runs on the loop thread). */
gboolean
unknown (DfContext *ctx G_GNUC_UNUSED, gsize n G_GNUC_UNUSED,
         const char **label G_GNUC_UNUSED, GError **error)
{
  /* Set *label (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'unknown' is not implemented yet");
  return FALSE;
}
