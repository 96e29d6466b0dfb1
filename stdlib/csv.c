/* csv.c — RFC 4180 quoting (csv.h). */
#include "csv.h"

#include <string.h>

void
dfstd_csv_append_field (GString *out, const char *field)
{
  /* RFC 4180 §2.6: a field holding a line break, a double quote or a
   * comma is enclosed in double quotes; §2.7: a quote inside is doubled.
   * Anything else is written bare, so plain data stays plain. */
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
dfstd_csv_append_row (GString *out, const char *const *fields, guint n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      dfstd_csv_append_field (out, fields[i]);
    }
  /* §2.1: each record ends in CRLF. */
  g_string_append (out, "\r\n");
}

void
dfstd_csv_append_header (GString *out, const char *header)
{
  g_auto (GStrv) names = g_strsplit (header, ",", -1);
  dfstd_csv_append_row (out, (const char *const *) names, g_strv_length (names));
}

/* The number of columns @header names: one more than its commas. */
static guint
count_columns (const char *header)
{
  guint n = 1;
  for (const char *p = header; *p != '\0'; p++)
    n += *p == ',';
  return n;
}

/* A record is a row only if it has the header's number of fields and each
 * is UTF-8: a short row would shift the columns of every reader. */
gboolean
dfstd_csv_check_record (const char *const *record, const char *path, const char *header,
                        GError **error)
{
  if (record == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "cannot write to %s: the record is NULL", path);
      return FALSE;
    }
  guint n_fields = g_strv_length ((GStrv) record);
  if (header[0] != '\0' && n_fields != count_columns (header))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "cannot write to %s: a record of %u fields under a header of %u columns",
                   path, n_fields, count_columns (header));
      return FALSE;
    }
  for (guint i = 0; i < n_fields; i++)
    if (!g_utf8_validate (record[i], -1, NULL))
      {
        g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                     "cannot write to %s: field %u of the record is not valid UTF-8",
                     path, i + 1);
        return FALSE;
      }
  return TRUE;
}
