/* breweries-stages.c — the one stage of examples/breweries.df that is not
 * in the standard library: a brewery (a JSON object) as a CSV record. */
#include "breweries.h"

static const char *const columns[] = {
  "id", "name", "brewery_type", "city", "state", "country", "website_url" };

/* Each column's string; a missing member, null or a non-string is "". */
gboolean
brewery_row (DfContext *ctx, JsonNode *value, GStrv *record, GError **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (value))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a brewery is not an object");
      return FALSE;
    }
  *record = g_new0 (char *, G_N_ELEMENTS (columns) + 1);
  for (gsize i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      JsonNode *field = json_object_get_member (json_node_get_object (value), columns[i]);
      const char *text = field != NULL ? json_node_get_string (field) : NULL;
      (*record)[i] = g_strdup (text != NULL ? text : "");
    }
  return TRUE;
}
