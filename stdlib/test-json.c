/* test-json.c — std/json.df's stages one item at a time: what parse_json
 * accepts and where it says text fails, what json_path and json_path_one
 * select, json_text's text for every kind of scalar, and the deep copy
 * their results are made of.  The stages do not use their context, so
 * they are called with none. */
#include "json-copy.h"
#include "json.h"

/* Parses @text, which the test expects to be valid. */
static JsonNode *
parse_valid (const char *text)
{
  JsonNode *value = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (parse_json (NULL, (char *) text, &value, &error));
  g_assert_no_error (error);
  return value;
}

typedef struct {
  const char *text;
  const char *json;     /* the value written compactly; NULL: an error */
  const char *message;  /* the error's message */
} ParseCase;

static const ParseCase parse_cases[] = {
  { "{\"a\": [1, 2.5, \"x\"]}", "{\"a\":[1,2.5,\"x\"]}", NULL },
  { "  \"caf\xc3\xa9\"\n", "\"caf\xc3\xa9\"", NULL },
  { "null", "null", NULL },
  { "[]", "[]", NULL },
  { "", NULL, "invalid JSON: the text holds no value" },
  { " \t ", NULL, "invalid JSON: the text holds no value" },
  { "[1, 2,]", NULL,
    "invalid JSON: <data>:1:6: Parse error: unexpected character `,', expected character `]'" },
  { "{\n  \"a\": x}", NULL,
    "invalid JSON: <data>:2:8: Parse error: unexpected identifier `x', expected value" },
  { "nul", NULL, "invalid JSON: <data>:1:3: Parse error: unexpected identifier `nul', expected value" },
  { "1 2", NULL, "invalid JSON: <data>:1:3: text follows the value" },
  { "[1] x", NULL, "invalid JSON: <data>:1:5: text follows the value" },
  { "{} {}", NULL, "invalid JSON: <data>:1:4: text follows the value" },
  { "[1]\n  [2]", NULL, "invalid JSON: <data>:2:3: text follows the value" },
  { "1 {}", NULL, "invalid JSON: <data>:1:3: text follows the value" },
  { "\"a\" []", NULL, "invalid JSON: <data>:1:5: text follows the value" },
  { "\"caf\xc3\xa9\" 2", NULL, "invalid JSON: <data>:1:8: text follows the value" },
  { "1][2", NULL, "invalid JSON: <data>:1:2: text follows the value" },
  { "{\"a\": \"}\"} []", NULL, "invalid JSON: <data>:1:12: text follows the value" },
  { "[\"\\\"]\"] 1", NULL, "invalid JSON: <data>:1:9: text follows the value" },
  { " }", NULL, "invalid JSON: <data>:1:2: Parse error: unexpected character `}', expected value" },
  { ":1", NULL, "invalid JSON: <data>:1:1: Parse error: unexpected character `:', expected value" },
  { "{\"a\": 1]", NULL,
    "invalid JSON: <data>:1:7: Parse error: unexpected number `1', expected string constant" },
};

static void
test_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    {
      const ParseCase *c = &parse_cases[i];
      JsonNode *value = NULL;
      g_autoptr (GError) error = NULL;
      gboolean ok = parse_json (NULL, (char *) c->text, &value, &error);
      if (c->json == NULL)
        {
          g_assert_false (ok);
          g_assert_null (value);
          g_assert_nonnull (error);
          g_assert_cmpstr (error->message, ==, c->message);
          continue;
        }
      g_assert_no_error (error);
      g_assert_true (ok);
      g_autofree char *json = json_to_string (value, FALSE);
      g_assert_cmpstr (json, ==, c->json);
      json_node_unref (value);
    }
}

static const char document[] =
  "{\"orders\": [{\"id\": 7, \"item\": \"tea\"}, {\"id\": 8, \"item\": \"jam\"}],"
  " \"shop\": {\"name\": \"corner\", \"open\": true}}";

typedef struct {
  const char *path;
  const char *matches;  /* json_path's array; NULL: the path does not compile */
  const char *one;      /* json_path_one's value; NULL: its error below */
  const char *message;  /* json_path_one's (and a bad path's) error */
} PathCase;

static const PathCase path_cases[] = {
  { "$.shop.name", "[\"corner\"]", "\"corner\"", NULL },
  { "$.orders[1].item", "[\"jam\"]", "\"jam\"", NULL },
  { "$.orders[0]", "[{\"id\":7,\"item\":\"tea\"}]", "{\"id\":7,\"item\":\"tea\"}", NULL },
  { "$.orders[*].id", "[7,8]", NULL, "JSONPath $.orders[*].id matches 2 values, not one" },
  { "$..item", "[\"tea\",\"jam\"]", NULL, "JSONPath $..item matches 2 values, not one" },
  { "$.missing", "[]", NULL, "JSONPath $.missing matches nothing" },
  { "$.orders[5]", "[]", NULL, "JSONPath $.orders[5] matches nothing" },
  { "shop", NULL, NULL, "invalid JSONPath shop: Invalid first character \xe2\x80\x9cs\xe2\x80\x9d" },
};

static void
test_paths (void)
{
  g_autoptr (JsonNode) root = parse_valid (document);
  for (guint i = 0; i < G_N_ELEMENTS (path_cases); i++)
    {
      const PathCase *c = &path_cases[i];
      g_autoptr (JsonNode) matches = NULL;
      g_autoptr (GError) error = NULL;
      gboolean ok = json_path (NULL, root, c->path, &matches, &error);
      if (c->matches == NULL)
        {
          g_assert_false (ok);
          g_assert_error (error, JSON_PATH_ERROR, JSON_PATH_ERROR_INVALID_QUERY);
          g_assert_cmpstr (error->message, ==, c->message);
        }
      else
        {
          g_assert_no_error (error);
          g_autofree char *json = json_to_string (matches, FALSE);
          g_assert_cmpstr (json, ==, c->matches);
        }

      g_autoptr (JsonNode) one = NULL;
      g_autoptr (GError) one_error = NULL;
      ok = json_path_one (NULL, root, c->path, &one, &one_error);
      if (c->one == NULL)
        {
          g_assert_false (ok);
          g_assert_nonnull (one_error);
          g_assert_cmpstr (one_error->message, ==, c->message);
          continue;
        }
      g_assert_no_error (one_error);
      g_autofree char *json = json_to_string (one, FALSE);
      g_assert_cmpstr (json, ==, c->one);
    }
}

typedef struct {
  const char *json;
  const char *text;     /* NULL: an error */
  const char *message;
} TextCase;

static const TextCase text_cases[] = {
  { "\"plain\"", "plain", NULL },
  { "\"say \\\"hi\\\", then go\"", "say \"hi\", then go", NULL },
  { "\"two\\nlines\"", "two\nlines", NULL },
  { "\"caf\\u00e9\"", "caf\xc3\xa9", NULL },
  { "\"\"", "", NULL },
  { "42", "42", NULL },
  { "-7", "-7", NULL },
  { "2.5", "2.5", NULL },
  { "1e3", "1000.0", NULL },
  { "true", "true", NULL },
  { "false", "false", NULL },
  { "null", "", NULL },
  { "{\"a\": 1}", NULL, "json_text: an object is not a scalar" },
  { "[1]", NULL, "json_text: an array is not a scalar" },
};

static void
test_text (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (text_cases); i++)
    {
      const TextCase *c = &text_cases[i];
      g_autoptr (JsonNode) value = parse_valid (c->json);
      g_autofree char *text = NULL;
      g_autoptr (GError) error = NULL;
      gboolean ok = json_text (NULL, value, &text, &error);
      if (c->text == NULL)
        {
          g_assert_false (ok);
          g_assert_null (text);
          g_assert_nonnull (error);
          g_assert_cmpstr (error->message, ==, c->message);
          continue;
        }
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpstr (text, ==, c->text);
    }
}

/* The deep copy behind json_path and write_json_lines: an equal, sealed
 * tree whose objects and arrays are its own, down to the leaves. */
static void
test_deep_copy (void)
{
  g_autoptr (JsonNode) root = parse_valid (document);
  g_autoptr (JsonNode) copy = dfstd_json_deep_copy (root);
  g_assert_true (json_node_is_immutable (copy));
  g_assert_true (json_node_equal (root, copy));
  g_autofree char *want = json_to_string (root, FALSE);
  g_autofree char *got = json_to_string (copy, FALSE);
  g_assert_cmpstr (got, ==, want);
  JsonObject *from = json_node_get_object (root);
  JsonObject *to = json_node_get_object (copy);
  g_assert_true (from != to);
  JsonArray *orders_from = json_object_get_array_member (from, "orders");
  JsonArray *orders_to = json_object_get_array_member (to, "orders");
  g_assert_true (orders_from != orders_to);
  g_assert_true (json_array_get_object_element (orders_from, 0)
                 != json_array_get_object_element (orders_to, 0));
  g_assert_true (json_object_get_member (from, "shop") != json_object_get_member (to, "shop"));

  /* A match shares nothing with the value it was found in. */
  g_autoptr (JsonNode) match = NULL;
  g_assert_true (json_path_one (NULL, root, "$.orders", &match, NULL));
  g_assert_true (json_node_get_array (match) != orders_from);
  g_assert_true (json_array_get_element (json_node_get_array (match), 0)
                 != json_array_get_element (orders_from, 0));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stdlib/json/parse", test_parse);
  g_test_add_func ("/stdlib/json/paths", test_paths);
  g_test_add_func ("/stdlib/json/text", test_text);
  g_test_add_func ("/stdlib/json/deep-copy", test_deep_copy);
  return g_test_run ();
}
