/* json-describe.h — what kind of JSON value a node holds, in words, for
 * the error messages of std/json.df's stages. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* "an object", "an array", "a string", "a number", "a boolean", "null". */
const char *dfstd_json_describe (JsonNode *node);

G_END_DECLS
