/* json-parse.c — parse_json (std/json.df): one JSON document from text. */
#include "dfstd.h"
#include "json.h"

/* Whether @text is one value and nothing after it.  json-glib rejects
 * most text after a value ("expected end of file") but takes "{} {}" or
 * "[1] [2]" for a sequence of statements and keeps only the first.  As
 * the elements of an array, such a sequence is missing its commas. */
static gboolean
is_one_value (const char *text)
{
  g_autofree char *wrapped = g_strconcat ("[", text, "]", NULL);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, wrapped, -1, NULL))
    return FALSE;
  JsonNode *root = json_parser_get_root (parser);
  return root != NULL && json_array_get_length (json_node_get_array (root)) == 1;
}

DFSTD_API gboolean
parse_json (DfContext *ctx, char *text, JsonNode **value, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  /* json-glib's message says where: "<data>:LINE:COL: Parse error: …",
   * lines and columns from 1. */
  if (!json_parser_load_from_data (parser, text, -1, error))
    {
      g_prefix_error (error, "invalid JSON: ");
      return FALSE;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "invalid JSON: the text holds no value");
      return FALSE;
    }
  /* Parsed again only when it holds an object or an array: a scalar
   * followed by anything is already an error. */
  if (!JSON_NODE_HOLDS_VALUE (root) && !JSON_NODE_HOLDS_NULL (root) && !is_one_value (text))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           "invalid JSON: another value follows the first");
      return FALSE;
    }
  *value = json_node_ref (root);
  return TRUE;
}
