/* server-quotes.c — a fake stock quote: GET /quote?symbol=S.
 *
 * The price and the time come from the request's number among the
 * /quote requests (the first is 1), not from a clock, so the rows a
 * poller writes can be checked: price = 100 + (n * 7 mod 50) + (n mod 4) / 4,
 * time = 2026-01-01T00:00:00Z plus n seconds.
 */
#include "server.h"

#include <json-glib/json-glib.h>

void
server_quote (GHashTable *query, guint64 request, ServerAnswer *answer)
{
  const char *symbol = query != NULL ? g_hash_table_lookup (query, "symbol") : NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (GDateTime) epoch = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr (GDateTime) time = g_date_time_add_seconds (epoch, (gdouble) request);
  g_autofree char *stamp = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr (JsonNode) root = NULL;

  if (symbol == NULL || *symbol == '\0')
    {
      server_answer_error (answer, SOUP_STATUS_BAD_REQUEST, "symbol= is missing");
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "symbol");
  json_builder_add_string_value (builder, symbol);
  json_builder_set_member_name (builder, "price");
  json_builder_add_double_value (builder, 100 + (request * 7 % 50) + (request % 4) / 4.0);
  json_builder_set_member_name (builder, "time");
  json_builder_add_string_value (builder, stamp);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  server_answer_set (answer, SOUP_STATUS_OK, json_to_string (root, FALSE));
}
