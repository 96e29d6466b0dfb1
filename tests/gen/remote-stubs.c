/* The stages of remote.df: a skeleton written by dfc --stubs.  Every function
 * fails with "not implemented yet" until you write it. */
#include "remote.h"

/* remote.df:11: stage read_rows (blocking: runs on a worker thread). */
gboolean
read_rows (DfContext *ctx G_GNUC_UNUSED, const char *path G_GNUC_UNUSED,
           GError **error)
{
  /* Emit each item with read_rows_emit (ctx, name, small, big, when, score, ok).
   * The emit waits while the consumers are full.
   * Return TRUE after the last one, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'read_rows' is not implemented yet");
  return FALSE;
}

/* remote.df:13: stage store (blocking: runs on a worker thread). */
gboolean
store (DfContext *ctx G_GNUC_UNUSED, char *name G_GNUC_UNUSED,
       gint8 small G_GNUC_UNUSED, guint64 big G_GNUC_UNUSED,
       GTimeSpan when G_GNUC_UNUSED, double score G_GNUC_UNUSED,
       gboolean ok G_GNUC_UNUSED, const char *dest G_GNUC_UNUSED,
       GError **error)
{
  /* Do the work and return TRUE, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'store' is not implemented yet");
  return FALSE;
}

/* remote.df:15: stage tally (sync: runs on the loop thread). */
gboolean
tally (DfContext *ctx G_GNUC_UNUSED, char *name G_GNUC_UNUSED, GError **error)
{
  /* Do the work and return TRUE, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'tally' is not implemented yet");
  return FALSE;
}
