/* files-csv.c — write_csv (std/files.df): records as RFC 4180 rows under
 * a header row, into one file kept open for the node's life. */
#include "dfstd.h"
#include "csv.h"
#include "files-writer.h"

DFSTD_API gboolean
write_csv_open (DfContext *ctx, DfstdWriter **state, GError **error)
{
  *state = dfstd_writer_new ();
  return TRUE;
}

DFSTD_API void
write_csv_close (DfContext *ctx, DfstdWriter *state)
{
  dfstd_writer_free (state);
}

/* Writes @fields as one row. */
static gboolean
write_row (DfstdWriter *writer, const char *const *fields, guint n_fields,
           GCancellable *cancellable, GError **error)
{
  g_autoptr (GString) row = g_string_new (NULL);
  dfstd_csv_append_row (row, fields, n_fields);
  return dfstd_writer_write (writer, row->str, row->len, cancellable, error);
}

/* Opens the file at the first record and writes the header row first,
 * unless the file is appended to and already holds something. */
static gboolean
ensure_open (DfstdWriter *writer, const char *path, const char *header, gboolean append,
             GCancellable *cancellable, GError **error)
{
  gboolean opened = writer->out != NULL;
  if (!dfstd_writer_ensure_open (writer, path, append, cancellable, error))
    return FALSE;
  if (opened || header[0] == '\0' || !writer->was_empty)
    return TRUE;
  g_autoptr (GString) row = g_string_new (NULL);
  dfstd_csv_append_header (row, header);
  return dfstd_writer_write (writer, row->str, row->len, cancellable, error);
}

DFSTD_API gboolean
write_csv (DfContext *ctx, GStrv record, const char *path, const char *header, gboolean append,
           GError **error)
{
  DfstdWriter *writer = df_context_get_state (ctx);
  GCancellable *cancellable = df_context_get_cancellable (ctx);
  if (!dfstd_csv_check_record ((const char *const *) record, path, header, error))
    return FALSE;
  if (!ensure_open (writer, path, header, append, cancellable, error))
    return FALSE;
  guint n_fields = g_strv_length (record);
  return write_row (writer, (const char *const *) record, n_fields, cancellable, error);
}
