/* files-lines.c — write_lines (std/files.df): each line and "\n" into one
 * file, kept open for the node's life. */
#include "dfstd.h"
#include "files-writer.h"

#include <string.h>

DFSTD_API gboolean
write_lines_open (DfContext *ctx, DfstdWriter **state, GError **error)
{
  *state = dfstd_writer_new ();
  return TRUE;
}

DFSTD_API void
write_lines_close (DfContext *ctx, DfstdWriter *state)
{
  dfstd_writer_free (state);
}

DFSTD_API gboolean
write_lines (DfContext *ctx, char *line, const char *path, gboolean append, GError **error)
{
  DfstdWriter *writer = df_context_get_state (ctx);
  GCancellable *cancellable = df_context_get_cancellable (ctx);
  return dfstd_writer_ensure_open (writer, path, append, cancellable, error)
         && dfstd_writer_write (writer, line, strlen (line), cancellable, error)
         && dfstd_writer_write (writer, "\n", 1, cancellable, error);
}
