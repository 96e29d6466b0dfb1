/* files-read.c — read_lines (std/files.df): every line of a file or of
 * standard input, emitted one by one from a worker thread. */
#include "dfstd.h"
#include "files.h"

#include <string.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>

/* The stream read_lines reads: standard input for "-", else the file. */
static GInputStream *
open_input (const char *path, GCancellable *cancellable, GError **error)
{
  if (strcmp (path, "-") == 0)
    return g_unix_input_stream_new (0, FALSE);
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (path);
  return G_INPUT_STREAM (g_file_read (file, cancellable, error));
}

/* Takes one line (NULL at the end of the input), its "\n" removed by GIO
 * and a "\r" before it by us.  An error is given the path and the line
 * number, except a cancellation, which the runtime must see unchanged to
 * take it for the end of the input. */
static char *
next_line (GDataInputStream *in, const char *path, guint64 number,
           GCancellable *cancellable, GError **error)
{
  GError *local = NULL;
  char *line = g_data_input_stream_read_line_utf8 (in, NULL, cancellable, &local);
  if (local != NULL)
    {
      if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&local, "%s:%" G_GUINT64_FORMAT ": ", path, number);
      g_propagate_error (error, local);
      return NULL;
    }
  if (line != NULL)
    {
      size_t len = strlen (line);
      if (len > 0 && line[len - 1] == '\r')
        line[len - 1] = '\0';
    }
  return line;
}

DFSTD_API gboolean
read_lines (DfContext *ctx, const char *path, GError **error)
{
  GCancellable *cancellable = df_context_get_cancellable (ctx);
  g_autoptr (GInputStream) raw = open_input (path, cancellable, error);
  if (raw == NULL)
    return FALSE;
  g_autoptr (GDataInputStream) in = g_data_input_stream_new (raw);
  /* "\n" ends a line; a "\r" before it is taken off by next_line (). */
  g_data_input_stream_set_newline_type (in, G_DATA_STREAM_NEWLINE_TYPE_LF);

  GError *local = NULL;
  char *line;
  for (guint64 number = 1;
       (line = next_line (in, path, number, cancellable, &local)) != NULL;
       number++)
    /* Waits while the node's consumers are full: one line at a time in
     * memory, however long the file. */
    read_lines_emit (ctx, line);

  /* Closing a read-only stream loses nothing: its error, if any, is not
   * worth failing a complete read for. */
  g_input_stream_close (raw, NULL, NULL);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}
