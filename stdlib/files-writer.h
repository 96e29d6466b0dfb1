/* files-writer.h — the output file that write_lines and write_csv keep as
 * their node state: opened at the first item (the state's open has no
 * parameters to learn the path from), written through a buffer, flushed
 * and closed once when the runtime closes the state. */
#pragma once

#include <gio/gio.h>

#include "files.h"

G_BEGIN_DECLS

struct _DfstdWriter {
  char *path;               /* as the node was given it; NULL until opened */
  GOutputStream *out;       /* buffered; NULL until opened */
  gboolean was_empty;       /* nothing was in the file before we wrote */
};

DfstdWriter *dfstd_writer_new (void);

/* Opens @path on the first call (truncated, or appended to with @append;
 * "-" is standard output) and after that checks that @path is the same.
 * The error names the path. */
gboolean dfstd_writer_ensure_open (DfstdWriter *writer, const char *path, gboolean append,
                                   GCancellable *cancellable, GError **error);

/* Writes all of @data; the error names the path. */
gboolean dfstd_writer_write (DfstdWriter *writer, const char *data, gsize len,
                             GCancellable *cancellable, GError **error);

/* Flushes and closes the file if it was opened, and frees @writer.  A
 * failure is logged with g_warning: the runtime's close has no error to
 * return, and data that did not reach the file must not vanish silently. */
void dfstd_writer_free (DfstdWriter *writer);

G_END_DECLS
