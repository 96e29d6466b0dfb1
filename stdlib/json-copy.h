/* json-copy.h — a JSON value copied all the way down, for the stages of
 * std/json.df whose results leave for other threads. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A new, sealed tree equal to @value that shares nothing with it.
 * json-glib counts the references to an object, an array or a scalar
 * without atomics, and its shallow json_node_copy () shares them; a value
 * that shares nothing can be freed or read on any thread. */
JsonNode *dfstd_json_deep_copy (JsonNode *value);

G_END_DECLS
