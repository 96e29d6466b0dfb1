/* server-backends.c — the request broker's two backends over HTTP:
 * GET /weather?city=C and GET /population?city=C, from one fixed table.
 * A city the table lacks is a 404 with {"error": "unknown city: C"}.
 */
#include "server.h"

#include <json-glib/json-glib.h>
#include <string.h>

static const struct
{
  const char *city;
  const char *weather;
  int celsius;
  gint64 population;
} cities[] = {
  { "Paris", "sunny", 21, 2102650 },
  { "Berlin", "cloudy", 14, 3755251 },
  { "Tokyo", "rainy", 18, 13960000 },
  { "Lagos", "humid", 30, 15388000 },
  { "São Paulo", "stormy", 24, 11451999 },
};

/* The row of the query's city= or NULL, with a 400 or 404 in `answer`. */
static gssize
find_city (GHashTable *query, ServerAnswer *answer)
{
  const char *city = query != NULL ? g_hash_table_lookup (query, "city") : NULL;
  g_autofree char *message = NULL;

  if (city == NULL || *city == '\0')
    {
      server_answer_error (answer, SOUP_STATUS_BAD_REQUEST, "city= is missing");
      return -1;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (cities); i++)
    if (strcmp (cities[i].city, city) == 0)
      return (gssize) i;
  message = g_strdup_printf ("unknown city: %s", city);
  server_answer_error (answer, SOUP_STATUS_NOT_FOUND, message);
  return -1;
}

static void
answer_object (ServerAnswer *answer, JsonObject *object)
{
  g_autoptr (JsonNode) root = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  server_answer_set (answer, SOUP_STATUS_OK, json_to_string (root, FALSE));
}

/* {"city": C, "weather": W, "celsius": N} */
void
server_weather (GHashTable *query, ServerAnswer *answer)
{
  gssize i = find_city (query, answer);
  JsonObject *object;

  if (i < 0)
    return;
  object = json_object_new ();
  json_object_set_string_member (object, "city", cities[i].city);
  json_object_set_string_member (object, "weather", cities[i].weather);
  json_object_set_int_member (object, "celsius", cities[i].celsius);
  answer_object (answer, object);
}

/* {"city": C, "population": N} */
void
server_population (GHashTable *query, ServerAnswer *answer)
{
  gssize i = find_city (query, answer);
  JsonObject *object;

  if (i < 0)
    return;
  object = json_object_new ();
  json_object_set_string_member (object, "city", cities[i].city);
  json_object_set_int_member (object, "population", cities[i].population);
  answer_object (answer, object);
}
