/* csv.h — RFC 4180 rows: the quoting and the record rules of write_csv
 * and append_csv, apart from their files so the unit tests can run them on
 * strings and both writers share one copy. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Appends @field to @out, in double quotes if it holds a comma, a double
 * quote, a CR or an LF (each double quote doubled), else as it is. */
void dfstd_csv_append_field (GString *out, const char *field);

/* Appends the @n_fields fields of @fields, separated by commas, and CRLF. */
void dfstd_csv_append_row (GString *out, const char *const *fields, guint n_fields);

/* Appends the header row of @header, comma-separated column names (not
 * "", which is no header), quoted as any row. */
void dfstd_csv_append_header (GString *out, const char *header);

/* Whether @record may be written under @header ("" for none): not NULL,
 * as many fields as the header names, each valid UTF-8.  The error names
 * @path: "cannot write to PATH: …". */
gboolean dfstd_csv_check_record (const char *const *record, const char *path,
                                 const char *header, GError **error);

G_END_DECLS
