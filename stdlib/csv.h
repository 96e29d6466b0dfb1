/* csv.h — RFC 4180 rows: the quoting of write_csv, apart from its file so
 * the unit tests can run it on strings. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @field to @out, in double quotes if it holds a comma, a double
 * quote, a CR or an LF (each double quote doubled), else as it is. */
void dfstd_csv_append_field (GString *out, const char *field);

/* Appends the @n_fields fields of @fields, separated by commas, and CRLF. */
void dfstd_csv_append_row (GString *out, const char *const *fields, guint n_fields);

G_END_DECLS
