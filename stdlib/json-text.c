/* json-text.c — json_text (std/json.df): a scalar as the text a CSV
 * field holds. */
#include "dfstd.h"
#include "json-describe.h"
#include "json.h"

DFSTD_API gboolean
json_text (DfContext *ctx, JsonNode *value, char **text, GError **error)
{
  switch (json_node_get_node_type (value))
    {
    case JSON_NODE_NULL:
      *text = g_strdup ("");
      return TRUE;
    case JSON_NODE_VALUE:
      /* A string is its characters; a number or a boolean is what the
       * generator writes for it, so 1e3 and 0.5 keep JSON's form. */
      *text = json_node_get_value_type (value) == G_TYPE_STRING
                ? json_node_dup_string (value)
                : json_to_string (value, FALSE);
      return TRUE;
    case JSON_NODE_OBJECT:
    case JSON_NODE_ARRAY:
      break;
    }
  g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
               "json_text: %s is not a scalar", dfstd_json_describe (value));
  return FALSE;
}
