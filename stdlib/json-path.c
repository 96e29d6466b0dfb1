/* json-path.c — json_path and json_path_one (std/json.df): the values a
 * JSONPath selects. */
#include "dfstd.h"
#include "json-copy.h"
#include "json.h"

/* The array of every value @path selects in @value; NULL and @error set
 * when @path does not compile.  The error names the path.  JsonPath's
 * matches are shallow copies that share their objects and arrays with
 * @value, which is freed once this stage returns while the matches may go
 * on to a worker thread: the result is copied all the way down. */
static JsonNode *
match_path (JsonNode *value, const char *path, GError **error)
{
  g_autoptr (JsonPath) compiled = json_path_new ();
  if (!json_path_compile (compiled, path, error))
    {
      g_prefix_error (error, "invalid JSONPath %s: ", path);
      return NULL;
    }
  g_autoptr (JsonNode) shallow = json_path_match (compiled, value);
  return dfstd_json_deep_copy (shallow);
}

DFSTD_API gboolean
json_path (DfContext *ctx, JsonNode *value, const char *path, JsonNode **matches,
           GError **error)
{
  *matches = match_path (value, path, error);
  return *matches != NULL;
}

DFSTD_API gboolean
json_path_one (DfContext *ctx, JsonNode *value, const char *path, JsonNode **match,
               GError **error)
{
  g_autoptr (JsonNode) matches = match_path (value, path, error);
  if (matches == NULL)
    return FALSE;
  JsonArray *array = json_node_get_array (matches);
  guint count = json_array_get_length (array);
  if (count != 1)
    {
      g_set_error (error, JSON_PATH_ERROR, JSON_PATH_ERROR_INVALID_QUERY,
                   count == 0 ? "JSONPath %s matches nothing"
                              : "JSONPath %s matches %u values, not one",
                   path, count);
      return FALSE;
    }
  *match = json_node_ref (json_array_get_element (array, 0));
  return TRUE;
}
