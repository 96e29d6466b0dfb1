/* files-writer.c — the output file of write_lines and write_csv
 * (files-writer.h). */
#include "files-writer.h"

#include <string.h>

#include <gio/gunixoutputstream.h>

DfstdWriter *
dfstd_writer_new (void)
{
  return g_new0 (DfstdWriter, 1);
}

/* Whether the file at @file has no bytes (or does not exist yet). */
static gboolean
file_is_empty (GFile *file, GCancellable *cancellable)
{
  g_autoptr (GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                  G_FILE_QUERY_INFO_NONE, cancellable, NULL);
  return info == NULL || g_file_info_get_size (info) == 0;
}

static GOutputStream *
open_output (const char *path, gboolean append, gboolean *was_empty,
             GCancellable *cancellable, GError **error)
{
  *was_empty = TRUE;
  if (strcmp (path, "-") == 0)
    return g_unix_output_stream_new (1, FALSE);
  g_autoptr (GFile) file = g_file_new_for_commandline_arg (path);
  if (append)
    {
      *was_empty = file_is_empty (file, cancellable);
      return G_OUTPUT_STREAM (g_file_append_to (file, G_FILE_CREATE_NONE, cancellable, error));
    }
  return G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                          cancellable, error));
}

gboolean
dfstd_writer_ensure_open (DfstdWriter *writer, const char *path, gboolean append,
                          GCancellable *cancellable, GError **error)
{
  if (writer->out != NULL)
    {
      /* A node's path is a constant or a graph input, so it never
       * changes; an edge mapped onto it would, and would silently write
       * to the first file only. */
      if (strcmp (writer->path, path) == 0)
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "cannot write to %s: this node already writes to %s", path, writer->path);
      return FALSE;
    }
  g_autoptr (GOutputStream) raw = open_output (path, append, &writer->was_empty,
                                               cancellable, error);
  if (raw == NULL)
    return FALSE;
  writer->out = g_buffered_output_stream_new (raw);
  writer->path = g_strdup (path);
  return TRUE;
}

gboolean
dfstd_writer_write (DfstdWriter *writer, const char *data, gsize len,
                    GCancellable *cancellable, GError **error)
{
  if (g_output_stream_write_all (writer->out, data, len, NULL, cancellable, error))
    return TRUE;
  g_prefix_error (error, "cannot write to %s: ", writer->path);
  return FALSE;
}

void
dfstd_writer_free (DfstdWriter *writer)
{
  if (writer == NULL)
    return;
  if (writer->out != NULL)
    {
      /* Not cancellable: by now the graph has ended, and what was
       * written must still reach the file. */
      g_autoptr (GError) error = NULL;
      if (!g_output_stream_close (writer->out, NULL, &error))
        g_warning ("cannot close %s: %s", writer->path, error->message);
      g_object_unref (writer->out);
    }
  g_free (writer->path);
  g_free (writer);
}
