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
