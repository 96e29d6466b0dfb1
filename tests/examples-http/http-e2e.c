/* http-e2e.c — see http-e2e.h. */
#include "http-e2e.h"

#include <json-glib/json-glib.h>

/* One field from `*p`, which it moves past the field (not past the comma
 * or CRLF after it). */
static char *
csv_field (const char **p, const char *end, GError **error)
{
  g_autoptr (GString) field = g_string_new (NULL);
  const char *s = *p;

  if (s < end && *s == '"')
    {
      for (s++;; s++)
        {
          if (s == end)
            {
              g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   "a quoted field is not closed");
              return NULL;
            }
          if (*s == '"' && (s + 1 == end || s[1] != '"'))
            break;
          if (*s == '"')
            s++;
          g_string_append_c (field, *s);
        }
      s++;
    }
  else
    for (; s < end && *s != ',' && *s != '\r' && *s != '\n' && *s != '"'; s++)
      g_string_append_c (field, *s);
  *p = s;
  return g_string_free (g_steal_pointer (&field), FALSE);
}

GPtrArray *
csv_parse (const char *text, gsize length, GError **error)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *p = text, *end = text + length;

  while (p < end)
    {
      g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);

      for (;;)
        {
          char *field = csv_field (&p, end, error);

          if (field == NULL)
            return NULL;
          g_ptr_array_add (fields, field);
          if (p < end && *p == ',')
            {
              p++;
              continue;
            }
          if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
            break;
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "record %u does not end in CRLF", records->len + 1);
          return NULL;
        }
      p += 2;
      g_ptr_array_add (fields, NULL);
      g_ptr_array_add (records, g_ptr_array_steal (fields, NULL));
    }
  return g_steal_pointer (&records);
}

GPtrArray *
csv_read (const char *path)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr (GError) error = NULL;
  GPtrArray *records;

  g_assert_true (g_file_get_contents (path, &text, &length, &error));
  g_assert_no_error (error);
  records = csv_parse (text, length, &error);
  g_assert_no_error (error);
  return records;
}

gint64
server_count (TestServer *server, const char *group, const char *name)
{
  g_autoptr (GError) error = NULL;
  guint status = 0;
  g_autoptr (GBytes) body = test_server_get (server, "stats", &status, &error);
  g_autoptr (JsonNode) stats = NULL;
  g_autofree char *text = NULL;
  JsonObject *members;

  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, 200);
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  stats = json_from_string (text, &error);
  g_assert_no_error (error);
  members = json_object_get_object_member (json_node_get_object (stats), group);
  return json_object_get_int_member_with_default (members, name, 0);
}

TestServer *
server_start (const char *const *args)
{
  g_autoptr (GError) error = NULL;
  TestServer *server = test_server_start (args, &error);

  g_assert_no_error (error);
  return server;
}

void
server_stop (TestServer *server)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (test_server_stop (server, &error));
  g_assert_no_error (error);
}
