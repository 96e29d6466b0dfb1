/* json-copy.c — a deep copy of a JSON value (json-copy.h). */
#include "json-copy.h"

static JsonNode *
copy_node (JsonNode *value)
{
  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *from = json_node_get_array (value);
      JsonArray *to = json_array_sized_new (json_array_get_length (from));
      for (guint i = 0; i < json_array_get_length (from); i++)
        json_array_add_element (to, copy_node (json_array_get_element (from, i)));
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, to);
      return node;
    }
  if (JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;
      JsonObject *to = json_object_new ();
      json_object_iter_init_ordered (&iter, json_node_get_object (value));
      while (json_object_iter_next_ordered (&iter, &name, &member))
        json_object_set_member (to, name, copy_node (member));
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (node, to);
      return node;
    }
  JsonNode *copy = json_node_new (json_node_get_node_type (value));
  if (JSON_NODE_HOLDS_VALUE (value))
    {
      GType type = json_node_get_value_type (value);
      if (type == G_TYPE_STRING)
        json_node_set_string (copy, json_node_get_string (value));
      else if (type == G_TYPE_BOOLEAN)
        json_node_set_boolean (copy, json_node_get_boolean (value));
      else if (type == G_TYPE_DOUBLE)
        json_node_set_double (copy, json_node_get_double (value));
      else
        json_node_set_int (copy, json_node_get_int (value));
    }
  return copy;
}

JsonNode *
dfstd_json_deep_copy (JsonNode *value)
{
  JsonNode *copy = copy_node (value);
  json_node_seal (copy);
  return copy;
}
