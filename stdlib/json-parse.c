/* json-parse.c — parse_json (std/json.df): one JSON document from text. */
#include "dfstd.h"
#include "json.h"

#include <string.h>

static const char json_space[] = " \t\n\r";

/* Where the first value of @text ends, found lexically: after its
 * matching bracket, its closing quote or its last character.  json-glib
 * takes a value followed by an object or an array ("{} {}", "1 [2]") for
 * a sequence of statements, keeps only the first and leaks the others,
 * so the text after the first value must be found before json-glib sees
 * it.  Text that is not JSON gives some end; json-glib then says why. */
static const char *
first_value_end (const char *text)
{
  const char *p = text + strspn (text, json_space);
  if (*p != '{' && *p != '[' && *p != '"')
    {
      /* A number or a literal: up to the first character that cannot be
       * in one.  A stray "}", "]", "," or ":" is its own token, for
       * json-glib to reject. */
      size_t len = strcspn (p, " \t\n\r{}[],:\"");
      return *p != '\0' && len == 0 ? p + 1 : p + len;
    }
  guint depth = 0;
  gboolean in_string = FALSE;
  for (; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          else if (*p == '"')
            {
              in_string = FALSE;
              if (depth == 0)
                return p + 1;
            }
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '{' || *p == '[')
        depth++;
      else if ((*p == '}' || *p == ']') && --depth == 0)
        return p + 1;
    }
  return p;
}

/* "LINE:COL" of @at in @text, both from 1, as json-glib counts them. */
static char *
describe_position (const char *text, const char *at)
{
  guint line = 1;
  const char *line_start = text;
  for (const char *p = text; p < at; p++)
    if (*p == '\n')
      {
        line++;
        line_start = p + 1;
      }
  return g_strdup_printf ("%u:%ld", line, g_utf8_pointer_to_offset (line_start, at) + 1);
}

DFSTD_API gboolean
parse_json (DfContext *ctx, char *text, JsonNode **value, GError **error)
{
  const char *end = first_value_end (text);
  const char *after = end + strspn (end, json_space);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  /* Only the first value goes to json-glib, whose message says where it
   * fails: "<data>:LINE:COL: Parse error: …", lines and columns from 1
   * (a prefix of the text has the same positions). */
  if (!json_parser_load_from_data (parser, text, end - text, error))
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
  if (*after != '\0')
    {
      g_autofree char *where = describe_position (text, after);
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                   "invalid JSON: <data>:%s: text follows the value", where);
      return FALSE;
    }
  *value = json_node_ref (root);
  return TRUE;
}
