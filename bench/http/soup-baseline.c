/* soup-baseline.c — the HTTP benchmark's hand-written libsoup 3 loop
 * (soup-baseline.h): what std/http.df's stages are measured against.
 *
 * It does what a careful programmer would for the same pages and no
 * more: one session with as many connections as requests in flight (as
 * dfstd's session allows), soup_session_send_and_read_async () on the
 * thread-default context, the status checked, the body parsed with
 * json-glib, the next request started from the callback.  No retries,
 * no size bound, no cancellation: those are what the standard library
 * adds, and the table shows what they cost. */
#include "soup-baseline.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

typedef struct {
  SoupSession       *session;
  GMainLoop         *loop;
  const char        *target;
  guint              max_in_flight;
  guint              limit;
  guint              in_flight;
  guint              next_page;
  gboolean           seen_end;     /* an empty array came */
  SoupBaselineCounts counts;
  GError            *error;        /* the first failure */
} Loop;

static void start_requests (Loop *loop);

/* How many elements BODY's JSON array holds, or -1 and ERROR. */
static gint64
array_length (GBytes *body, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  if (!json_parser_load_from_data (parser, data, (gssize) size, error))
    return -1;
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "the page is not an array");
      return -1;
    }
  return json_array_get_length (json_node_get_array (root));
}

/* The body of a 2xx response, or NULL and ERROR. */
static GBytes *
finish_body (SoupSession *session, GAsyncResult *result, GError **error)
{
  SoupMessage *msg = soup_session_get_async_result_message (session, result);
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (session, result, error);
  if (body == NULL)
    return NULL;
  guint status = soup_message_get_status (msg);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "HTTP %u %s", status,
                   soup_message_get_reason_phrase (msg));
      return NULL;
    }
  return g_steal_pointer (&body);
}

static void
on_response (GObject *source, GAsyncResult *result, gpointer data)
{
  Loop *loop = data;
  GError *error = NULL;
  g_autoptr (GBytes) body = finish_body (SOUP_SESSION (source), result, &error);
  gint64 length = body != NULL ? array_length (body, &error) : -1;
  loop->in_flight--;
  if (length < 0 && loop->error == NULL)
    loop->error = error;
  else if (length < 0)
    g_error_free (error);
  else if (length == 0)
    loop->seen_end = TRUE;
  else
    {
      loop->counts.pages++;
      loop->counts.items += (guint64) length;
    }
  start_requests (loop);
  if (loop->in_flight == 0)
    g_main_loop_quit (loop->loop);
}

static gboolean
more_to_ask (const Loop *loop)
{
  return loop->error == NULL && !loop->seen_end
         && (loop->limit == 0 || loop->next_page <= loop->limit);
}

static void
start_requests (Loop *loop)
{
  while (loop->in_flight < loop->max_in_flight && more_to_ask (loop))
    {
      g_autofree char *uri = g_strdup_printf ("%s?per_page=1&page=%u", loop->target,
                                              loop->next_page++);
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
      soup_message_headers_append (soup_message_get_request_headers (msg), "Accept",
                                   "application/json");
      soup_session_send_and_read_async (loop->session, msg, G_PRIORITY_DEFAULT, NULL,
                                        on_response, loop);
      loop->in_flight++;
    }
}

gboolean
soup_baseline_run (const char *target, guint max_in_flight, guint limit,
                   SoupBaselineCounts *counts, GError **error)
{
  g_return_val_if_fail (max_in_flight > 0, FALSE);
  Loop loop = {
    .session = soup_session_new_with_options ("max-conns", MAX (max_in_flight, 2),
                                              "max-conns-per-host", max_in_flight, NULL),
    .loop = g_main_loop_new (g_main_context_get_thread_default (), FALSE),
    .target = target,
    .max_in_flight = max_in_flight,
    .limit = limit,
    .next_page = 1,
  };
  start_requests (&loop);
  if (loop.in_flight > 0)
    g_main_loop_run (loop.loop);
  g_main_loop_unref (loop.loop);
  g_object_unref (loop.session);
  *counts = loop.counts;
  if (loop.error != NULL)
    {
      g_propagate_error (error, loop.error);
      return FALSE;
    }
  return TRUE;
}
