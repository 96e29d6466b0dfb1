/* json-elements.c — json_elements (std/json.df): an array, one element
 * at a time. */
#include "dfstd.h"
#include "json-describe.h"
#include "json.h"

DFSTD_API gboolean
json_elements (DfContext *ctx, JsonNode *array, GError **error)
{
  if (!JSON_NODE_HOLDS_ARRAY (array))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   "json_elements: %s is not an array", dfstd_json_describe (array));
      return FALSE;
    }
  JsonArray *elements = json_node_get_array (array);
  guint count = json_array_get_length (elements);
  for (guint i = 0; i < count; i++)
    json_elements_emit (ctx, json_node_ref (json_array_get_element (elements, i)));
  return TRUE;
}
