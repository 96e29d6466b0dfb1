/* json-lines.c — write_json_lines (std/json.df): each value as one
 * compact JSON document and "\n", into one file kept open for the node's
 * life (files-writer.h). */
#include "dfstd.h"
#include "files-writer.h"
#include "json.h"

#include <string.h>

DFSTD_API gboolean
write_json_lines_open (DfContext *ctx, DfstdWriter **state, GError **error)
{
  *state = dfstd_writer_new ();
  return TRUE;
}

DFSTD_API void
write_json_lines_close (DfContext *ctx, DfstdWriter *state)
{
  dfstd_writer_free (state);
}

DFSTD_API gboolean
write_json_lines (DfContext *ctx, JsonNode *value, const char *path, gboolean append,
                  GError **error)
{
  DfstdWriter *writer = df_context_get_state (ctx);
  GCancellable *cancellable = df_context_get_cancellable (ctx);
  if (!dfstd_writer_ensure_open (writer, path, append, cancellable, error))
    return FALSE;
  /* Compact: the generator escapes a newline inside a string, so the
   * document is one line. */
  g_autofree char *document = json_to_string (value, FALSE);
  return dfstd_writer_write (writer, document, strlen (document), cancellable, error)
         && dfstd_writer_write (writer, "\n", 1, cancellable, error);
}
