/* http-post.c — http_post_json (std/http.df): POST a JSON value, the
 * response parsed as JSON.  An async stage, like http_get_json. */
#include "dfstd.h"
#include "http-fetch.h"
#include "http-request.h"

#include <string.h>

/* An empty body (a 204, or a 201 without one) is JSON null: the request
 * succeeded and there is nothing to say. */
static void
got_response (DfCall *call, const char *what, char *body, gsize length, GError *error)
{
  if (body == NULL)
    {
      df_call_fail (call, error);
      return;
    }
  JsonNode *value = length == 0 ? json_node_new (JSON_NODE_NULL)
                    : dfstd_http_parse_json (df_call_get_context (call), what, body, &error);
  g_free (body);
  if (value == NULL)
    df_call_fail (call, error);
  else
    http_post_json_return (call, value);
}

DFSTD_API void
http_post_json (DfCall *call, JsonNode *value, const char *url, const char *headers)
{
  g_autofree char *what = NULL;
  GError *error = NULL;
  SoupMessage *message = dfstd_http_request_new ("POST", url, "", headers, &what, &error);
  if (message == NULL)
    {
      df_call_fail (call, error);
      return;
    }
  if (value == NULL)
    {
      g_object_unref (message);
      df_call_failf (call, DFSTD_HTTP_ERROR, 0, "%s: the value to post is NULL", what);
      return;
    }
  /* Serialised on the runtime thread, as json-glib's shallow copies of
   * a shared value must be (docs/stdlib-json.md, "Threads"). */
  char *text = json_to_string (value, FALSE);
  g_autoptr (GBytes) body = g_bytes_new_take (text, strlen (text));
  SoupMessageHeaders *headers_out = soup_message_get_request_headers (message);
  /* A Content-Type of the header lines stays; else application/json. */
  soup_message_set_request_body_from_bytes (
    message,
    soup_message_headers_get_one (headers_out, "Content-Type") ? NULL : "application/json",
    body);
  dfstd_http_request_default_header (message, "Accept", "application/json");
  dfstd_http_call_send (call, message, what, got_response);
}
