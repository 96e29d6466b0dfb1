/* server-answer.c — an answer's status and body, and query numbers. */
#include "server.h"

#include <json-glib/json-glib.h>

void
server_answer_set (ServerAnswer *answer, guint status, char *body)
{
  g_free (answer->body);
  answer->status = status;
  answer->body = body;
}

/* {"error": message}, as the fake APIs report what they refuse. */
void
server_answer_error (ServerAnswer *answer, guint status, const char *message)
{
  g_autoptr (JsonNode) root = json_node_init_object (json_node_alloc (), NULL);
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "error", message);
  json_node_take_object (root, object);
  server_answer_set (answer, status, json_to_string (root, FALSE));
}

void
server_answer_clear (ServerAnswer *answer)
{
  g_clear_pointer (&answer->body, g_free);
}

gboolean
server_query_uint (GHashTable *query, const char *name, guint fallback, guint *value,
                   ServerAnswer *answer)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  guint64 number;

  *value = fallback;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &number, NULL))
    {
      g_autofree char *message = g_strdup_printf ("%s=%s is not a number", name, text);

      server_answer_error (answer, SOUP_STATUS_BAD_REQUEST, message);
      return FALSE;
    }
  *value = (guint) number;
  return TRUE;
}
