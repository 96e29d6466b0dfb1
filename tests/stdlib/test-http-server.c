/* test-http-server.c — see test-http-server.h. */
#include <string.h>

#include <json-glib/json-glib.h>

#include "test-http-server.h"

#define MIB (1024 * 1024)
#define BIG_CHUNKS 65          /* of 1 MiB: past the stages' 64 MiB bound */

typedef struct {
  guint times;                 /* failures left; G_MAXUINT: always */
  guint status;
} PageFailure;

struct _TestServer {
  GMainContext *context;
  SoupServer   *soup;
  guint         port;
  guint         n_pages;
  guint         per_page;
  GHashTable   *failures;      /* page -> PageFailure * */
  GHashTable   *bodies;        /* page -> char * */
  GHashTable   *slow_pages;    /* set of pages */
  void        (*hook) (gpointer data);
  gpointer      hook_data;
  guint         hook_page;     /* run the hook after its failures */
  GPtrArray    *log;
  GPtrArray    *held;          /* Held *: connections of unanswered requests */
  GCancellable *closing;       /* stops reading them */
  guint         aborted;
};

static void
set_json (SoupServerMessage *msg, guint status, JsonBuilder *builder)
{
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  char *text = json_to_string (root, FALSE);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text,
                                    strlen (text));
}

static void
add_string_or_null (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

/* /echo: what the request carried. */
static void
serve_echo (SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string_or_null (b, "method", soup_server_message_get_method (msg));
  add_string_or_null (b, "query", g_uri_get_query (soup_server_message_get_uri (msg)));
  add_string_or_null (b, "x_token", soup_message_headers_get_one (h, "X-Token"));
  add_string_or_null (b, "x_trace", soup_message_headers_get_list (h, "X-Trace"));
  add_string_or_null (b, "accept", soup_message_headers_get_one (h, "Accept"));
  json_builder_end_object (b);
  set_json (msg, SOUP_STATUS_OK, b);
}

/* /post: the body, parsed, and its type. */
static void
serve_post (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, "Body Is Not JSON");
      return;
    }
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_string_or_null (b, "content_type", soup_message_headers_get_one (h, "Content-Type"));
  json_builder_set_member_name (b, "got");
  json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  json_builder_end_object (b);
  set_json (msg, SOUP_STATUS_OK, b);
}

/* Page @page: its items, a body set for it, [] past the last. */
static void
serve_page (TestServer *s, SoupServerMessage *msg, guint page)
{
  const char *body = g_hash_table_lookup (s->bodies, GUINT_TO_POINTER (page));
  if (body != NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                        strlen (body));
      return;
    }
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  if (page >= 1 && page <= s->n_pages)
    for (guint i = 0; i < s->per_page; i++)
      {
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "id");
        json_builder_add_int_value (b, (page - 1) * s->per_page + i + 1);
        json_builder_set_member_name (b, "page");
        json_builder_add_int_value (b, page);
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
  set_json (msg, SOUP_STATUS_OK, b);
}

/* A connection taken over from the server for a request that is never
 * answered: read until the client closes it. */
typedef struct {
  TestServer *server;
  GIOStream  *stream;
  char        byte;
} Held;

static void
held_read (GObject *source, GAsyncResult *result, gpointer data)
{
  Held *held = data;
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The server is being freed. */
      g_error_free (error);
      return;
    }
  g_clear_error (&error);
  if (n > 0)
    {
      g_input_stream_read_async (G_INPUT_STREAM (source), &held->byte, 1, G_PRIORITY_DEFAULT,
                                 held->server->closing, held_read, held);
      return;
    }
  held->server->aborted++;
}

static void
held_free (gpointer data)
{
  Held *held = data;
  g_io_stream_close (held->stream, NULL, NULL);
  g_object_unref (held->stream);
  g_free (held);
}

/* A request that is never answered: the server lets go of its connection,
 * which the test watches for the client's close; the hook (a drain, a
 * cancel) runs. */
static void
serve_never (TestServer *s, SoupServerMessage *msg)
{
  Held *held = g_new0 (Held, 1);
  held->server = s;
  held->stream = soup_server_message_steal_connection (msg);
  g_ptr_array_add (s->held, held);
  g_input_stream_read_async (g_io_stream_get_input_stream (held->stream), &held->byte, 1,
                             G_PRIORITY_DEFAULT, s->closing, held_read, held);
  if (s->hook != NULL)
    s->hook (s->hook_data);
}

static void
serve_pages (TestServer *s, SoupServerMessage *msg, GHashTable *query)
{
  const char *arg = query ? g_hash_table_lookup (query, "page") : NULL;
  guint page = arg ? (guint) g_ascii_strtoull (arg, NULL, 10) : 0;
  if (g_hash_table_contains (s->slow_pages, GUINT_TO_POINTER (page)))
    {
      serve_never (s, msg);
      return;
    }
  PageFailure *f = g_hash_table_lookup (s->failures, GUINT_TO_POINTER (page));
  if (f != NULL && f->times > 0)
    {
      if (f->times != G_MAXUINT)
        f->times--;
      soup_server_message_set_status (msg, f->status, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "no", 2);
      if (s->hook != NULL && s->hook_page == page)
        s->hook (s->hook_data);
      return;
    }
  serve_page (s, msg, page);
}

/* 1 MiB chunks, as many as the message's "test-chunks" says (G_MAXUINT:
 * until the client goes). */
typedef struct {
  guint written;
  guint chunks;
} BigBody;

static void
write_big_chunk (SoupServerMessage *msg, gpointer data)
{
  BigBody *big = data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  if (big->written < big->chunks)
    {
      big->written++;
      soup_message_body_append_take (body, g_malloc0 (MIB), MIB);
    }
  else
    soup_message_body_complete (body);
}

/* @chunks MiB of zeros with @status, its length declared or chunked. */
static void
serve_big (SoupServerMessage *msg, guint status, guint chunks, gboolean declared)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  if (declared)
    soup_message_headers_set_content_length (h, (goffset) chunks * MIB);
  else
    soup_message_headers_set_encoding (h, SOUP_ENCODING_CHUNKED);
  BigBody *big = g_new0 (BigBody, 1);
  big->chunks = chunks;
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (write_big_chunk), big);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (write_big_chunk), big);
  g_object_set_data_full (G_OBJECT (msg), "test-big-body", big, g_free);
  soup_server_message_set_status (msg, status, NULL);
}

static void
serve_status (SoupServerMessage *msg, const char *path)
{
  guint status = (guint) g_ascii_strtoull (path + strlen ("/status/"), NULL, 10);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "oops", 4);
}

static void
serve_text (SoupServerMessage *msg, const char *text, const char *type)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_STATIC, text, strlen (text));
}

static void
log_request (TestServer *s, SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  g_ptr_array_add (s->log, g_strdup_printf ("%s %s%s%s", soup_server_message_get_method (msg),
                                            g_uri_get_path (uri), query ? "?" : "",
                                            query ? query : ""));
}

static void
serve (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
       gpointer data)
{
  TestServer *s = data;
  gboolean post = strcmp (soup_server_message_get_method (msg), "POST") == 0;
  log_request (s, msg);
  if (strcmp (path, "/text") == 0)
    serve_text (msg, TEST_SERVER_TEXT, "text/plain; charset=utf-8");
  else if (strcmp (path, "/latin1") == 0)
    serve_text (msg, "caf\xe9", "text/plain; charset=iso-8859-1");
  else if (strcmp (path, "/notjson") == 0)
    serve_text (msg, "<html>not JSON</html>", "text/html");
  else if (strcmp (path, "/echo") == 0)
    serve_echo (msg);
  else if (g_str_has_prefix (path, "/status/"))
    serve_status (msg, path);
  else if (strcmp (path, "/post") == 0 && post)
    serve_post (msg);
  else if (strcmp (path, "/post-empty") == 0 && post)
    soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  else if (strcmp (path, "/pages") == 0)
    serve_pages (s, msg, query);
  else if (strcmp (path, "/slow") == 0)
    serve_never (s, msg);
  else if (strcmp (path, "/big-declared") == 0)
    serve_big (msg, SOUP_STATUS_OK, BIG_CHUNKS, TRUE);
  else if (strcmp (path, "/big-stream") == 0)
    serve_big (msg, SOUP_STATUS_OK, BIG_CHUNKS, FALSE);
  else if (strcmp (path, "/endless") == 0)
    serve_big (msg, SOUP_STATUS_OK, G_MAXUINT, FALSE);
  else if (strcmp (path, "/endless-500") == 0)
    serve_big (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, G_MAXUINT, FALSE);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

TestServer *
test_server_new (GMainContext *context)
{
  TestServer *s = g_new0 (TestServer, 1);
  s->context = context ? g_main_context_ref (context) : g_main_context_ref (g_main_context_default ());
  s->failures = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  s->bodies = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  s->slow_pages = g_hash_table_new (NULL, NULL);
  s->log = g_ptr_array_new_with_free_func (g_free);
  s->held = g_ptr_array_new_with_free_func (held_free);
  s->closing = g_cancellable_new ();

  /* The server serves in the thread-default context of its listen (). */
  g_main_context_push_thread_default (s->context);
  s->soup = soup_server_new (NULL, NULL);
  soup_server_add_handler (s->soup, NULL, serve, s, NULL);
  GError *error = NULL;
  if (!soup_server_listen_local (s->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("cannot listen on 127.0.0.1: %s", error->message);
  g_main_context_pop_thread_default (s->context);

  GSList *uris = soup_server_get_uris (s->soup);
  g_assert_nonnull (uris);
  s->port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return s;
}

void
test_server_free (TestServer *s)
{
  g_cancellable_cancel (s->closing);
  g_main_context_push_thread_default (s->context);
  soup_server_disconnect (s->soup);
  g_object_unref (s->soup);
  g_main_context_pop_thread_default (s->context);
  /* What the disconnect left to do (closing the connections), and the
   * reads of the held connections ending as cancelled. */
  while (g_main_context_iteration (s->context, FALSE))
    ;
  g_ptr_array_unref (s->held);
  g_object_unref (s->closing);
  g_hash_table_unref (s->failures);
  g_hash_table_unref (s->bodies);
  g_hash_table_unref (s->slow_pages);
  g_ptr_array_unref (s->log);
  g_main_context_unref (s->context);
  g_free (s);
}

char *
test_server_url (TestServer *s, const char *path)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", s->port, path);
}

void
test_server_set_pages (TestServer *s, guint n_pages, guint per_page)
{
  s->n_pages = n_pages;
  s->per_page = per_page;
}

void
test_server_fail_page (TestServer *s, guint page, guint times, guint status)
{
  PageFailure *f = g_new (PageFailure, 1);
  f->times = times;
  f->status = status;
  g_hash_table_insert (s->failures, GUINT_TO_POINTER (page), f);
}

void
test_server_set_page_body (TestServer *s, guint page, const char *body)
{
  g_hash_table_insert (s->bodies, GUINT_TO_POINTER (page), g_strdup (body));
}

void
test_server_set_slow_page (TestServer *s, guint page)
{
  g_hash_table_add (s->slow_pages, GUINT_TO_POINTER (page));
}

void
test_server_set_hook (TestServer *s, void (*func) (gpointer data), gpointer data)
{
  s->hook = func;
  s->hook_data = data;
}

void
test_server_set_hook_on_failure (TestServer *s, guint page)
{
  s->hook_page = page;
}

GPtrArray *
test_server_get_log (TestServer *s)
{
  return s->log;
}

guint
test_server_count (TestServer *s, const char *request)
{
  guint n = 0;
  for (guint i = 0; i < s->log->len; i++)
    n += strcmp (s->log->pdata[i], request) == 0;
  return n;
}

guint
test_server_n_aborted (TestServer *s)
{
  return s->aborted;
}
