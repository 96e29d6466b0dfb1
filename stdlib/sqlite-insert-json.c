/* sqlite-insert-json.c — sqlite_insert_json (std/sqlite.df): each batch
 * of JSON objects as rows of a table, in one transaction, each member in
 * the column of its name with its JSON type. */
#include "dfstd.h"
#include "sqlite-database.h"

DFSTD_API gboolean
sqlite_insert_json_open (DfContext *ctx, DfstdDatabase **state, GError **error)
{
  *state = dfstd_database_new ();
  return TRUE;
}

DFSTD_API void
sqlite_insert_json_close (DfContext *ctx, DfstdDatabase *state)
{
  dfstd_database_free (state);
}

/* Binds one JSON value to parameter @index: null as NULL, a number as an
 * INTEGER or a REAL as JSON wrote it, a boolean as 0 or 1 (SQLite has no
 * boolean), a string as TEXT, an object or array as its compact text
 * (which SQLite's json functions read). */
static void
bind_value (sqlite3_stmt *insert, int index, JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      sqlite3_bind_null (insert, index);
      return;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      sqlite3_bind_text (insert, index, json_to_string (node, FALSE), -1, g_free);
      return;
    }
  GType type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    sqlite3_bind_int64 (insert, index, json_node_get_int (node));
  else if (type == G_TYPE_DOUBLE)
    sqlite3_bind_double (insert, index, json_node_get_double (node));
  else if (type == G_TYPE_BOOLEAN)
    sqlite3_bind_int (insert, index, json_node_get_boolean (node) ? 1 : 0);
  else
    sqlite3_bind_text (insert, index, json_node_get_string (node), -1, SQLITE_STATIC);
}

/* What @value is, for the message that says it is not an object. */
static const char *
kind_of (JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return "null";
  return JSON_NODE_HOLDS_ARRAY (value) ? "an array" : "a scalar";
}

/* Each column from the member of its name; a missing member is NULL. */
static gboolean
bind_object (sqlite3_stmt *insert, const DfstdColumns *cols, gconstpointer rows, gsize row,
             GError **error)
{
  JsonNode *value = ((JsonNode *const *) rows)[row];
  if (value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s, not a JSON object",
                   kind_of (value));
      return FALSE;
    }
  JsonObject *object = json_node_get_object (value);
  for (guint i = 0; i < cols->n_names; i++)
    bind_value (insert, (int) i + 1, json_object_get_member (object, cols->names[i]));
  return TRUE;
}

DFSTD_API gboolean
sqlite_insert_json (DfContext *ctx, JsonNode **value, gsize value_len, const char *path,
                    const char *into, const char *columns, GError **error)
{
  DfstdDatabase *database = df_context_get_state (ctx);
  return dfstd_database_ensure_open (database, path, into, columns, error)
         && dfstd_database_insert (database, value, value_len, bind_object,
                                   df_context_get_cancellable (ctx), error);
}
