/* server-breweries.c — a fake Open Brewery DB: /breweries and /breweries/all.
 *
 * The list is made once from the brewery's index alone, so it is the same
 * in every run.  A few names are chosen to test a CSV writer: a comma,
 * double quotes, non-ASCII UTF-8, a line break; some breweries have no
 * website and no latitude (JSON null).
 */
#include "server.h"

#include <json-glib/json-glib.h>

#define PER_PAGE_DEFAULT 50
#define PER_PAGE_MAX 200

static JsonArray *breweries;

static const char *const special_names[] = {
  [1] = "Smith, Jones & Sons Brewing",
  [3] = "The \"Quoted\" Ale House",
  [5] = "Brasserie Éphémère — Zürich",
  [8] = "Two Line\nBrewing",
  [13] = "Ölbräu \"Nord\", Kiel",
};

static const char *const first_words[] = {
  "Copper", "Granite", "Hoppy", "River", "Old Mill", "Lantern", "Foggy", "Iron",
};
static const char *const last_words[] = {
  "Brewing Co.", "Ales", "Brewhouse", "Beer Works", "Taproom",
};
static const char *const types[] = {
  "micro", "brewpub", "regional", "nano", "large", "planning", "closed",
};
static const struct
{
  const char *city, *state, *country;
} places[] = {
  { "Portland", "Oregon", "United States" },
  { "Asheville", "North Carolina", "United States" },
  { "München", "Bayern", "Germany" },
  { "Dublin", "Leinster", "Ireland" },
  { "Québec", "Québec", "Canada" },
  { "San Diego", "California", "United States" },
};

static char *
brewery_name (guint i)
{
  if (i < G_N_ELEMENTS (special_names) && special_names[i] != NULL)
    return g_strdup (special_names[i]);
  return g_strdup_printf ("%s %s %u", first_words[i % G_N_ELEMENTS (first_words)],
                          last_words[i % G_N_ELEMENTS (last_words)], i);
}

static JsonObject *
brewery_new (guint i)
{
  JsonObject *b = json_object_new ();
  guint place = i % G_N_ELEMENTS (places);
  g_autofree char *id = g_strdup_printf ("brewery-%04u", i + 1);
  g_autofree char *name = brewery_name (i);

  json_object_set_string_member (b, "id", id);
  json_object_set_string_member (b, "name", name);
  json_object_set_string_member (b, "brewery_type", types[i % G_N_ELEMENTS (types)]);
  json_object_set_string_member (b, "city", places[place].city);
  json_object_set_string_member (b, "state", places[place].state);
  json_object_set_string_member (b, "country", places[place].country);
  if (i % 5 == 3)
    json_object_set_null_member (b, "website_url");
  else
    {
      g_autofree char *url = g_strdup_printf ("https://brewery-%04u.example", i + 1);
      json_object_set_string_member (b, "website_url", url);
    }
  if (i % 7 == 4)
    json_object_set_null_member (b, "latitude");
  else
    json_object_set_double_member (b, "latitude", 25.0 + (i * 37 % 2500) / 100.0);
  return b;
}

void
server_breweries_init (guint count)
{
  breweries = json_array_sized_new (count);
  for (guint i = 0; i < count; i++)
    json_array_add_object_element (breweries, brewery_new (i));
}

void
server_breweries_shutdown (void)
{
  g_clear_pointer (&breweries, json_array_unref);
}

static char *
serialise (JsonArray *array)
{
  g_autoptr (JsonNode) node = json_node_init_array (json_node_alloc (), array);

  return json_to_string (node, FALSE);
}

/* GET /breweries?page=N&per_page=M: page N (from 1) of M breweries. */
void
server_breweries_page (GHashTable *query, ServerAnswer *answer)
{
  g_autoptr (JsonArray) page = json_array_new ();
  guint number, per_page, length = json_array_get_length (breweries);

  if (!server_query_uint (query, "page", 1, &number, answer)
      || !server_query_uint (query, "per_page", PER_PAGE_DEFAULT, &per_page, answer))
    return;
  if (number == 0 || per_page == 0 || per_page > PER_PAGE_MAX)
    {
      server_answer_error (answer, SOUP_STATUS_BAD_REQUEST,
                           "page must be at least 1 and per_page from 1 to 200");
      return;
    }
  for (guint64 i = (guint64) (number - 1) * per_page;
       i < length && i < (guint64) number * per_page; i++)
    json_array_add_element (page, json_array_dup_element (breweries, i));
  server_answer_set (answer, SOUP_STATUS_OK, serialise (page));
}

/* GET /breweries/all: every brewery, what a test compares its CSV with. */
void
server_breweries_all (ServerAnswer *answer)
{
  server_answer_set (answer, SOUP_STATUS_OK, serialise (breweries));
}
