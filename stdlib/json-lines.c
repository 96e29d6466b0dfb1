/* json-lines.c — write_json_lines (std/json.df): each value as one
 * compact JSON document and "\n", into one file kept open for the node's
 * life (files-writer.h). */
#include "dfstd.h"
#include "files-writer.h"
#include "json-copy.h"
#include "json.h"

#include <string.h>

/* Appends @value compactly, members in their document order, as
 * json_to_string () would.  json_to_string () itself would take a
 * reference on @value's object or array, which json-glib counts without
 * atomics, from this worker thread; serialising a copy that shares
 * nothing leaves @value untouched. */
static void
append_value (GString *out, JsonNode *value)
{
  g_autoptr (JsonNode) copy = dfstd_json_deep_copy (value);
  g_autofree char *text = json_to_string (copy, FALSE);
  g_string_append (out, text);
}

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
  /* Compact, so a newline inside a string is written as "\n" and the
   * document is one line. */
  g_autoptr (GString) document = g_string_new (NULL);
  append_value (document, value);
  g_string_append_c (document, '\n');
  return dfstd_writer_write (writer, document->str, document->len, cancellable, error);
}
