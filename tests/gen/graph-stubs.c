/* The stages of graph.df: a skeleton written by dfc --stubs.  Every function
 * fails with "not implemented yet" until you write it. */
#include "graph.h"

/* graph.df:11: stage lines (blocking: runs on a worker thread). */
gboolean
lines (DfContext *ctx G_GNUC_UNUSED, const char *path G_GNUC_UNUSED,
       GError **error)
{
  /* Emit each item with lines_emit (ctx, line).
   * The emit waits while the consumers are full.
   * Return TRUE after the last one, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'lines' is not implemented yet");
  return FALSE;
}

/* graph.df:12: stage split (sync: runs on the loop thread). */
gboolean
split (DfContext *ctx G_GNUC_UNUSED, char *line G_GNUC_UNUSED,
       const char *sep G_GNUC_UNUSED, GError **error)
{
  /* Emit each item with split_emit (ctx, word, pos).
   * Return TRUE after the last one, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'split' is not implemented yet");
  return FALSE;
}

/* graph.df:13: stage tick (sync: runs on the loop thread). */
gboolean
tick (DfContext *ctx G_GNUC_UNUSED, GError **error)
{
  /* Emit each item with tick_emit (ctx).
   * Return TRUE after the last one, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'tick' is not implemented yet");
  return FALSE;
}

/* graph.df:14: stage fetch (async: starts work that finishes later). */
void
fetch (DfCall *call, char *word G_GNUC_UNUSED)
{
  /* Start the work and return.  df_call_get_cancellable (call) is cancelled
   * on a time-out, a drain or a cancel.
   * Finish exactly once, from any thread, with
   * fetch_return (call, size, body) or df_call_fail (call, error). */
  df_call_failf (call, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "stage 'fetch' is not implemented yet");
}

/* graph.df:15: stage measure (blocking: runs on a worker thread). */
gboolean
measure (DfContext *ctx G_GNUC_UNUSED, char *word G_GNUC_UNUSED,
         int *len G_GNUC_UNUSED, GError **error)
{
  /* Set *len (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'measure' is not implemented yet");
  return FALSE;
}

/* graph.df:16: stage upper (sync: runs on the loop thread). */
gboolean
upper (DfContext *ctx G_GNUC_UNUSED, char *word G_GNUC_UNUSED,
       char **word_ G_GNUC_UNUSED, GError **error)
{
  /* Set *word_ (what you set passes to the runtime) and return TRUE,
   * or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'upper' is not implemented yet");
  return FALSE;
}

/* graph.df:17: stage later (async: starts work that finishes later). */
void
later (DfCall *call, int n G_GNUC_UNUSED)
{
  /* Start the work and return.  df_call_get_cancellable (call) is cancelled
   * on a time-out, a drain or a cancel.
   * Emit each item with later_emit (df_call_get_context (call), n),
   * from any thread; then finish exactly once, from any thread, with
   * later_return (call) or df_call_fail (call, error). */
  df_call_failf (call, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                 "stage 'later' is not implemented yet");
}

/* graph.df:18: stage store (sync: runs on the loop thread). */
gboolean
store (DfContext *ctx G_GNUC_UNUSED, int *len G_GNUC_UNUSED,
       gsize len_len G_GNUC_UNUSED, GError **error)
{
  /* Do the work and return TRUE, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'store' is not implemented yet");
  return FALSE;
}

/* graph.df:19: stage pack (sync: runs on the loop thread). */
gboolean
pack (DfContext *ctx G_GNUC_UNUSED, char **word G_GNUC_UNUSED,
      gsize word_len G_GNUC_UNUSED, int *pos G_GNUC_UNUSED,
      gsize pos_len G_GNUC_UNUSED, const char *tag G_GNUC_UNUSED,
      int limit_ G_GNUC_UNUSED, GError **error)
{
  /* Do the work and return TRUE, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'pack' is not implemented yet");
  return FALSE;
}

/* graph.df:20: stage pair (sync: runs on the loop thread). */
gboolean
pair (DfContext *ctx G_GNUC_UNUSED, int size G_GNUC_UNUSED, int n G_GNUC_UNUSED,
      GError **error)
{
  /* Do the work and return TRUE, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'pair' is not implemented yet");
  return FALSE;
}

/* graph.df:21: stage sink (sync: runs on the loop thread). */
gboolean
sink (DfContext *ctx G_GNUC_UNUSED, char *word G_GNUC_UNUSED, GError **error)
{
  /* Do the work and return TRUE, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'sink' is not implemented yet");
  return FALSE;
}

/* graph.df:22: stage note (sync: runs on the loop thread). */
gboolean
note (DfContext *ctx G_GNUC_UNUSED, GError **error)
{
  /* Do the work and return TRUE, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'note' is not implemented yet");
  return FALSE;
}

/* graph.df:23: stage keep (blocking: runs on a worker thread). */
gboolean
keep (DfContext *ctx G_GNUC_UNUSED, char *word G_GNUC_UNUSED,
      int pos G_GNUC_UNUSED, GError **error)
{
  /* Do the work and return TRUE, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'keep' is not implemented yet");
  return FALSE;
}

/* The state of one task of a node running keep: made before its first
 * item (FALSE with @error halts the graph), freed once after its last. */
gboolean
keep_open (DfContext *ctx G_GNUC_UNUSED, GString **state, GError **error G_GNUC_UNUSED)
{
  *state = NULL;
  return TRUE;
}

void
keep_close (DfContext *ctx G_GNUC_UNUSED, GString *state G_GNUC_UNUSED)
{
}

/* graph.df:24: stage reject (sync: runs on the loop thread). */
gboolean
reject (DfContext *ctx G_GNUC_UNUSED, char *word G_GNUC_UNUSED,
        char *why G_GNUC_UNUSED, GError **error)
{
  /* Do the work and return TRUE, or set @error and return FALSE. */
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "stage 'reject' is not implemented yet");
  return FALSE;
}

/* main's user data: made once the options are parsed (@error set: main
 * prints it and exits with status 1), freed after the last run. */
GPtrArray *
main_user_data_new (int argc G_GNUC_UNUSED, char **argv G_GNUC_UNUSED, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "main_user_data_new () is not implemented yet");
  return NULL;
}

void
main_user_data_free (GPtrArray *data G_GNUC_UNUSED)
{
}
