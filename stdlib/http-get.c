/* http-get.c — http_get and http_get_json (std/http.df): GET a URL, the
 * body as text or parsed as JSON.  Async stages: they start the request
 * on the runtime thread and end their call from its callback there. */
#include "dfstd.h"
#include "http-fetch.h"
#include "http-request.h"

static void
got_text (DfCall *call, const char *what, char *body, gsize length, GError *error)
{
  if (body == NULL)
    df_call_fail (call, error);
  else
    http_get_return (call, body);
}

/* Parsed here, on the runtime thread: the tree is new and only the
 * returned value holds it, so it may go on to any thread. */
static void
got_json (DfCall *call, const char *what, char *body, gsize length, GError *error)
{
  if (body == NULL)
    {
      df_call_fail (call, error);
      return;
    }
  JsonNode *value = dfstd_http_parse_json (df_call_get_context (call), what, body, &error);
  g_free (body);
  if (value == NULL)
    df_call_fail (call, error);
  else
    http_get_json_return (call, value);
}

static void
start_get (DfCall *call, const char *url, const char *query, const char *headers,
           const char *accept, DfstdHttpBodyFunc done)
{
  g_autofree char *what = NULL;
  GError *error = NULL;
  SoupMessage *message = dfstd_http_request_new ("GET", url, query, headers, &what, &error);
  if (message == NULL)
    {
      df_call_fail (call, error);
      return;
    }
  if (accept != NULL)
    dfstd_http_request_default_header (message, "Accept", accept);
  dfstd_http_call_send (call, message, what, done);
}

DFSTD_API void
http_get (DfCall *call, const char *url, const char *query, const char *headers)
{
  start_get (call, url, query, headers, NULL, got_text);
}

DFSTD_API void
http_get_json (DfCall *call, const char *url, const char *query, const char *headers)
{
  start_get (call, url, query, headers, "application/json", got_json);
}
