/* http-broker-stages.c — the two stages of examples/http-broker.df that
 * are not in the standard library: the request as a query, and the answer
 * from both backends' parts. */
#include "http-broker.h"

/* "  Paris " -> "city=Paris", escaped for a URL's query. */
gboolean
receive (DfContext *ctx, const char *request, char **query, GError **error)
{
  g_autofree char *city = g_strstrip (g_strdup (request));
  g_autofree char *escaped = g_uri_escape_string (city, NULL, FALSE);
  *query = g_strconcat ("city=", escaped, NULL);
  return TRUE;
}

gboolean
compose (DfContext *ctx, char *city, char *sky, char *people, char **response, GError **error)
{
  *response = g_strdup_printf ("%s: weather %s; population %s", city, sky, people);
  return TRUE;
}
