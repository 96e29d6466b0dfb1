/* test-http.c — std/http.df against the test's own SoupServer on
 * 127.0.0.1 (test-http-server.c), in the runtime's own GMainContext,
 * driving http.df's graphs from C in both modes (and a flow):
 *
 *   - http_get's body and http_get_json's value; the query appended to
 *     the URL's own (with "?" or "&"), the header lines sent as given and
 *     Accept defaulting to JSON;
 *   - failures, each one error at the node with the status as its code
 *     and "METHOD URL: …" as its message: HTTP 404 and 500, a body that is
 *     not JSON or not UTF-8, a body past 64 MiB (declared or streamed, or
 *     endless), an error status with an endless body, an invalid URL, a
 *     malformed header line (nothing sent), no server;
 *   - http_post_json: the value posted as JSON and the echo, a 204 as null;
 *   - http_pages: N pages until [] with exact items and requests; a page
 *     that fails twice with retries 2 (no loss, no duplicate) and with
 *     retries 1 (nothing after it); a 4xx, a page that is not JSON and one
 *     that is not an array, each failing at once; retries against no
 *     server; a drain while a page is in flight or during a back-off (the
 *     end of the input) and a cancel;
 *   - a drain, a cancel and a node time-out while http_get waits, the
 *     server seeing each request abandoned;
 *   - a runtime on a GMainContext of its own;
 *   - 200 requests 8 at a time, and 200 pages, with their rates.
 *
 * After every run: in == ok + err + dropped at every node and no frame
 * left.  No timed assertion: a stopped request is one the server never
 * answers, and the test's hook stops the run once it has arrived. */
#include <string.h>

#include <glib/gstdio.h>

#include "graph-common.h"
#include "http.h"
#include "test-http-server.h"
#include "graph-check.h"

/* How long a run may take before the test fails instead of hanging. */
#define RUN_SECONDS 60

typedef struct {
  DfGraphMode mode;
  gboolean    own_context;    /* the runtime on a GMainContext of its own */
} Variant;

typedef struct {
  const Variant *variant;
  GMainContext  *context;     /* the runtime's and the server's */
  DfRuntime     *rt;
  TestServer    *server;
  GPtrArray     *kept;        /* what keep_text and keep_json received */
  GPtrArray     *queries;     /* what numbers () emits */
  DfGraph       *graph;       /* the run the server's hook stops */
  GCancellable  *cancellable; /* the flow's */
} Fixture;

static Fixture *fx;           /* the stages have no user data in GRAPH_run */

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->variant = data;
  f->context = f->variant->own_context ? g_main_context_new ()
                                       : g_main_context_ref (g_main_context_default ());
  /* Whoever iterates a context of its own makes it the thread-default
   * one, where GIO and libsoup deliver what they start from its
   * callbacks (docs/stdlib-http.md, "Threads"). */
  g_main_context_push_thread_default (f->context);
  f->rt = df_runtime_new (f->context);
  /* The retries' log lines are counted, not shown. */
  df_runtime_set_quiet (f->rt, TRUE);
  f->server = test_server_new (f->context);
  f->kept = g_ptr_array_new_with_free_func (g_free);
  f->queries = g_ptr_array_new_with_free_func (g_free);
  fx = f;
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  /* As a generated main () ends: a late completion (after a time-out)
   * comes back, and nothing is stuck. */
  GError *error = NULL;
  g_assert_true (df_runtime_shutdown (f->rt, 10 * G_TIME_SPAN_SECOND, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (df_runtime_get_n_frames (f->rt), ==, 0);
  /* The session goes with the runtime; its connections close in the
   * server's last iterations. */
  df_runtime_unref (f->rt);
  test_server_free (f->server);
  g_ptr_array_unref (f->kept);
  g_ptr_array_unref (f->queries);
  g_clear_object (&f->cancellable);
  g_main_context_pop_thread_default (f->context);
  g_main_context_unref (f->context);
  fx = NULL;
}

/* ------------------------------------------------------------ the stages */

gboolean
keep_text (DfContext *ctx, char *body, GError **error)
{
  g_ptr_array_add (fx->kept, g_strdup (body));
  return TRUE;
}

gboolean
keep_json (DfContext *ctx, JsonNode *value, GError **error)
{
  g_ptr_array_add (fx->kept, json_to_string (value, FALSE));
  return TRUE;
}

gboolean
make_value (DfContext *ctx, const char *text, GError **error)
{
  JsonNode *value = json_from_string (text, error);
  if (value == NULL)
    return FALSE;
  make_value_emit (ctx, value);
  return TRUE;
}

gboolean
numbers (DfContext *ctx, int n, GError **error)
{
  for (int i = 1; i <= n; i++)
    g_ptr_array_add (fx->queries, g_strdup_printf ("id=%d", i));
  for (guint i = 0; i < fx->queries->len; i++)
    numbers_emit (ctx, fx->queries->pdata[i]);
  return TRUE;
}

/* -------------------------------------------------------------- helpers */

static char *
url (const char *path)
{
  return test_server_url (fx->server, path);
}

/* Runs @graph in the variant's mode to its end and checks its books. */
static void
run_graph (DfGraph *graph, GraphResult *result)
{
  df_graph_set_mode (graph, fx->variant->mode);
  fx->graph = graph;
  graph_run (graph, result, RUN_SECONDS);
  fx->graph = NULL;
  graph_assert_accounting (graph);
}

typedef struct {
  GError *first;
  guint   n;
} Errors;

static void
collect_error (guint node, gint64 time, const GError *error, gpointer data)
{
  Errors *e = data;
  if (e->first == NULL)
    e->first = g_error_copy (error);
  e->n++;
}

/* The one error node @name kept. */
static GError *
node_error (DfGraph *graph, const char *name)
{
  Errors e = { 0 };
  gint node = df_graph_find_node (graph, name);
  g_assert_cmpint (node, >=, 0);
  df_graph_foreach_error (graph, (guint) node, collect_error, &e);
  g_assert_cmpuint (e.n, ==, 1);
  return e.first;
}

static void
assert_stats (DfGraph *graph, const char *name, gint64 in, gint64 ok, gint64 err)
{
  DfGraphNodeStats s = graph_node_stats (graph, name);
  g_assert_cmpint (s.in, ==, in);
  g_assert_cmpint (s.ok, ==, ok);
  g_assert_cmpint (s.err, ==, err);
}

/* Iterates the context until the server has seen @n requests abandoned
 * by their client (the failure is the guard's, not a timing). */
static void
wait_aborted (guint n)
{
  gint64 give_up = g_get_monotonic_time () + RUN_SECONDS * G_TIME_SPAN_SECOND;
  while (test_server_n_aborted (fx->server) < n && g_get_monotonic_time () < give_up)
    if (!g_main_context_iteration (fx->context, FALSE))
      g_usleep (1000);
  g_assert_cmpuint (test_server_n_aborted (fx->server), ==, n);
}

static void
hook_drain (gpointer data)
{
  df_graph_drain (fx->graph);
}

static void
hook_cancel (gpointer data)
{
  df_graph_cancel (fx->graph);
}

/* Runs get_text (or get_json) once; kept[0] is what came, if anything. */
static DfGraph *
run_get (gboolean json, const char *target, const char *query, const char *headers,
         GraphResult *result)
{
  GError *error = NULL;
  DfGraph *graph;
  if (json)
    graph = get_json_new (fx->rt, &(GetJsonIn) { target, query, headers }, &error);
  else
    graph = get_text_new (fx->rt, &(GetTextIn) { target, query, headers }, &error);
  g_assert_no_error (error);
  run_graph (graph, result);
  return graph;
}

/* ------------------------------------------------------------------ GET */

static void
test_get_text (Fixture *f, gconstpointer data)
{
  g_autofree char *target = url ("/text");
  GraphResult r = { 0 };
  g_autoptr (DfGraph) graph = run_get (FALSE, target, "", "", &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (f->kept->len, ==, 1);
  g_assert_cmpstr (f->kept->pdata[0], ==, TEST_SERVER_TEXT);
  assert_stats (graph, "get", 1, 1, 0);
  assert_stats (graph, "keep", 1, 1, 0);
  g_assert_cmpuint (test_server_count (f->server, "GET /text"), ==, 1);
  graph_result_clear (&r);
}

typedef struct {
  const char *path;      /* the URL's path and query */
  const char *query;
  const char *headers;
  const char *want;      /* /echo's answer */
} EchoCase;

static const EchoCase echo_cases[] = {
  { "/echo", "", "",
    "{\"method\":\"GET\",\"query\":null,\"x_token\":null,\"x_trace\":null,"
    "\"accept\":\"application/json\"}" },
  { "/echo", "b=2&c=x%20y", "",
    "{\"method\":\"GET\",\"query\":\"b=2&c=x%20y\",\"x_token\":null,\"x_trace\":null,"
    "\"accept\":\"application/json\"}" },
  { "/echo?a=1", "b=2", "",
    "{\"method\":\"GET\",\"query\":\"a=1&b=2\",\"x_token\":null,\"x_trace\":null,"
    "\"accept\":\"application/json\"}" },
  { "/echo?a=1", "", "",
    "{\"method\":\"GET\",\"query\":\"a=1\",\"x_token\":null,\"x_trace\":null,"
    "\"accept\":\"application/json\"}" },
  { "/echo?a=1&", "b=2", "",
    "{\"method\":\"GET\",\"query\":\"a=1&b=2\",\"x_token\":null,\"x_trace\":null,"
    "\"accept\":\"application/json\"}" },
  { "/echo?", "b=2", "",
    "{\"method\":\"GET\",\"query\":\"b=2\",\"x_token\":null,\"x_trace\":null,"
    "\"accept\":\"application/json\"}" },
  /* What cannot go on the wire as it is gets escaped (GUri's rule). */
  { "/echo", "q=a b&r=\xc3\xa9", "",
    "{\"method\":\"GET\",\"query\":\"q=a%20b&r=%C3%A9\",\"x_token\":null,\"x_trace\":null,"
    "\"accept\":\"application/json\"}" },
  /* The fragment is not sent; the query goes before it. */
  { "/echo?a=1#part", "b=2", "",
    "{\"method\":\"GET\",\"query\":\"a=1&b=2\",\"x_token\":null,\"x_trace\":null,"
    "\"accept\":\"application/json\"}" },
  /* Header lines: CRLF or LF, a last "\n", a repeated name, white space
   * around the value; an Accept of the lines replaces the default. */
  { "/echo", "", "X-Token:  secret \r\nX-Trace: one\nX-Trace: two words\n",
    "{\"method\":\"GET\",\"query\":null,\"x_token\":\"secret\",\"x_trace\":\"one, two words\","
    "\"accept\":\"application/json\"}" },
  { "/echo", "", "Accept: text/plain",
    "{\"method\":\"GET\",\"query\":null,\"x_token\":null,\"x_trace\":null,"
    "\"accept\":\"text/plain\"}" },
};

static void
test_get_json (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (echo_cases); i++)
    {
      const EchoCase *c = &echo_cases[i];
      g_autofree char *target = url (c->path);
      GraphResult r = { 0 };
      g_ptr_array_set_size (f->kept, 0);
      g_autoptr (DfGraph) graph = run_get (TRUE, target, c->query, c->headers, &r);
      g_assert_no_error (r.error);
      assert_stats (graph, "get", 1, 1, 0);
      g_assert_cmpuint (f->kept->len, ==, 1);
      g_assert_cmpstr (f->kept->pdata[0], ==, c->want);
      graph_result_clear (&r);
    }
  g_assert_cmpuint (test_server_get_log (f->server)->len, ==, G_N_ELEMENTS (echo_cases));
}

typedef struct {
  gboolean    json;
  const char *path;      /* on the test server; NULL: `raw` is the URL */
  const char *raw;
  const char *query;
  const char *headers;
  guint       code;      /* the error's code: the status, or 0 */
  const char *message;   /* after "GET URL: " (NULL: `raw` is all of it) */
  gboolean    prefix;    /* `message` starts the rest */
  guint       requests;  /* the server saw */
} FailCase;

static const FailCase fail_cases[] = {
  { FALSE, "/status/404", NULL, "", "", 404, "HTTP 404 Not Found", FALSE, 1 },
  { TRUE, "/status/500", NULL, "", "", 500, "HTTP 500 Internal Server Error", FALSE, 1 },
  { FALSE, "/status/503", NULL, "page=3", "", 503, "HTTP 503 Service Unavailable", FALSE, 1 },
  { TRUE, "/notjson", NULL, "", "", 0, "invalid JSON: <data>:1:", TRUE, 1 },
  { TRUE, "/text", NULL, "", "", 0, "invalid JSON: <data>:1:", TRUE, 1 },
  { FALSE, "/latin1", NULL, "", "", 0, "the body is not valid UTF-8 text (byte 3)", FALSE, 1 },
  { TRUE, "/big-declared", NULL, "", "", 0,
    "the body of 65 MiB is larger than 64 MiB", FALSE, 1 },
  { FALSE, "/big-stream", NULL, "", "", 0, "the body is larger than 64 MiB", FALSE, 1 },
  /* Given up without reading the rest: the run ends, however much the
   * server still has to send. */
  { FALSE, "/endless", NULL, "", "", 0, "the body is larger than 64 MiB", FALSE, 1 },
  { TRUE, "/endless-500", NULL, "", "", 500, "HTTP 500 Internal Server Error", FALSE, 1 },
  { FALSE, "/echo", NULL, "", "X-Token secret", 0,
    "malformed header line \"X-Token secret\" (want \"Name: value\")", FALSE, 0 },
  { TRUE, "/echo", NULL, "", "X-Token: ok\n: nameless", 0,
    "malformed header line \": nameless\" (want \"Name: value\")", FALSE, 0 },
  { FALSE, "/echo", NULL, "", "Bad Name: x", 0,
    "malformed header line \"Bad Name: x\" (want \"Name: value\")", FALSE, 0 },
  { TRUE, "/echo", NULL, "a=%zz", "", 0, "invalid URL: Invalid %-encoding in URI", FALSE, 0 },
  { FALSE, NULL, "ftp://127.0.0.1/x", "", "", 0,
    "GET ftp://127.0.0.1/x: invalid URL: the scheme is ftp, not http or https", FALSE, 0 },
  { TRUE, NULL, "http:///x", "", "", 0, "GET http:///x: invalid URL: ", TRUE, 0 },
  { FALSE, NULL, "not a URL", "q=1", "", 0, "GET not a URL?q=1: invalid URL: ", TRUE, 0 },
};

static void
test_get_failures (Fixture *f, gconstpointer data)
{
  guint requests = 0;
  for (guint i = 0; i < G_N_ELEMENTS (fail_cases); i++)
    {
      const FailCase *c = &fail_cases[i];
      g_autofree char *target = c->path ? url (c->path) : g_strdup (c->raw);
      GraphResult r = { 0 };
      g_ptr_array_set_size (f->kept, 0);
      g_test_message ("case %u: %s", i, target);
      g_autoptr (DfGraph) graph = run_get (c->json, target, c->query, c->headers, &r);
      /* A start node's error under skip: the run goes on, and ends. */
      g_assert_no_error (r.error);
      assert_stats (graph, "get", 1, 0, 1);
      assert_stats (graph, "keep", 0, 0, 0);
      g_autoptr (GError) error = node_error (graph, "get");
      g_test_message ("%s", error->message);
      g_assert_true (error->domain == DFSTD_HTTP_ERROR);
      g_assert_cmpint (error->code, ==, c->code);
      g_autofree char *full = NULL;
      if (c->path != NULL)
        {
          const char *sep = *c->query ? "?" : "";
          full = g_strdup_printf ("GET %s%s%s: %s", target, sep, c->query, c->message);
        }
      else
        full = g_strdup (c->message);
      if (c->prefix)
        g_assert_true (g_str_has_prefix (error->message, full));
      else
        g_assert_cmpstr (error->message, ==, full);
      requests += c->requests;
      g_assert_cmpuint (test_server_get_log (f->server)->len, ==, requests);
      graph_result_clear (&r);
    }
}

/* A port where nothing listens: a socket bound to it, never listening. */
static GSocket *
refusing_socket (guint *port)
{
  GError *error = NULL;
  GSocket *socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                  G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_autoptr (GSocketAddress) bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return socket;
}

static void
test_get_no_server (Fixture *f, gconstpointer data)
{
  guint port;
  GSocket *socket = refusing_socket (&port);
  g_autofree char *target = g_strdup_printf ("http://127.0.0.1:%u/x", port);
  g_autofree char *prefix = g_strdup_printf ("GET %s: ", target);
  GraphResult r = { 0 };
  g_autoptr (DfGraph) graph = run_get (TRUE, target, "", "", &r);
  g_assert_no_error (r.error);
  assert_stats (graph, "get", 1, 0, 1);
  g_autoptr (GError) error = node_error (graph, "get");
  g_test_message ("%s", error->message);
  g_assert_true (error->domain == DFSTD_HTTP_ERROR);
  g_assert_cmpint (error->code, ==, 0);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_object_unref (socket);
  graph_result_clear (&r);
}

/* A runtime on a context that its thread has not pushed: libsoup would
 * deliver to the thread-default one, which nobody iterates, so the
 * request is refused with an error that says why, and the run ends. */
static void
test_get_unpushed_context (Fixture *f, gconstpointer data)
{
  g_autofree char *target = url ("/echo");
  GMainContext *context = g_main_context_new ();
  DfRuntime *rt = df_runtime_new (context);
  df_runtime_set_quiet (rt, TRUE);
  GError *error = NULL;
  g_autoptr (DfGraph) graph = get_json_new (rt, &(GetJsonIn) { target, "", "" }, &error);
  g_assert_no_error (error);
  GraphResult r = { 0 };
  graph_run (graph, &r, RUN_SECONDS);
  g_assert_no_error (r.error);
  graph_assert_accounting (graph);
  assert_stats (graph, "get", 1, 0, 1);
  g_autoptr (GError) refused = node_error (graph, "get");
  g_autofree char *want = g_strdup_printf (
    "GET %s: the runtime's GMainContext is not the thread-default context of the thread "
    "that runs it (g_main_context_push_thread_default ())", target);
  g_assert_error (refused, DFSTD_HTTP_ERROR, 0);
  g_assert_cmpstr (refused->message, ==, want);
  g_assert_cmpuint (test_server_get_log (f->server)->len, ==, 0);
  g_clear_pointer (&graph, df_graph_unref);
  df_runtime_unref (rt);
  g_main_context_unref (context);
  graph_result_clear (&r);
}

/* ------------------------------------------------- stopping a request */

/* A drain while the request is out: the start node's input ends there,
 * which is no failure. */
static void
test_get_drain (Fixture *f, gconstpointer data)
{
  g_autofree char *target = url ("/slow");
  test_server_set_hook (f->server, hook_drain, NULL);
  GraphResult r = { 0 };
  g_autoptr (DfGraph) graph = run_get (FALSE, target, "", "", &r);
  g_assert_no_error (r.error);
  assert_stats (graph, "get", 1, 1, 0);
  assert_stats (graph, "keep", 0, 0, 0);
  g_assert_cmpuint (f->kept->len, ==, 0);
  wait_aborted (1);
  graph_result_clear (&r);
}

static void
test_get_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *target = url ("/slow");
  test_server_set_hook (f->server, hook_cancel, NULL);
  GraphResult r = { 0 };
  DfGraph *graph = run_get (TRUE, target, "", "", &r);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_assert_cmpuint (f->kept->len, ==, 0);
  df_graph_unref (graph);
  wait_aborted (1);
  graph_result_clear (&r);
}

/* The node's time-out cancels the request: one error, the server sees
 * the request abandoned. */
static void
test_get_timeout (Fixture *f, gconstpointer data)
{
  g_autofree char *target = url ("/slow");
  GError *error = NULL;
  g_autoptr (DfGraph) graph = get_timeout_new (f->rt, &(GetTimeoutIn) { target }, &error);
  g_assert_no_error (error);
  GraphResult r = { 0 };
  run_graph (graph, &r);
  g_assert_no_error (r.error);
  assert_stats (graph, "get", 1, 0, 1);
  g_autoptr (GError) timed_out = node_error (graph, "get");
  g_test_message ("%s", timed_out->message);
  g_assert_error (timed_out, DF_ERROR, DF_ERROR_TIMEOUT);
  wait_aborted (1);
  graph_result_clear (&r);
}

/* ----------------------------------------------------------------- POST */

static void
test_post (Fixture *f, gconstpointer data)
{
  static const struct {
    const char *path, *text, *headers, *want;
  } cases[] = {
    { "/post", "{\"name\":\"tea\",\"qty\":2,\"tags\":[\"green\",null]}", "",
      "{\"content_type\":\"application/json\","
      "\"got\":{\"name\":\"tea\",\"qty\":2,\"tags\":[\"green\",null]}}" },
    { "/post", "[1,2.5,\"\xc3\xa9\"]", "Content-Type: application/vnd.test+json",
      "{\"content_type\":\"application/vnd.test+json\",\"got\":[1,2.5,\"\xc3\xa9\"]}" },
    { "/post-empty", "{}", "", "null" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *target = url (cases[i].path);
      GError *error = NULL;
      PostIn in = { cases[i].text, target, cases[i].headers };
      g_autoptr (DfGraph) graph = post_new (f->rt, &in, &error);
      g_assert_no_error (error);
      GraphResult r = { 0 };
      g_ptr_array_set_size (f->kept, 0);
      run_graph (graph, &r);
      g_assert_no_error (r.error);
      assert_stats (graph, "post", 1, 1, 0);
      g_assert_cmpuint (f->kept->len, ==, 1);
      g_assert_cmpstr (f->kept->pdata[0], ==, cases[i].want);
      graph_result_clear (&r);
    }
}

static void
test_post_failure (Fixture *f, gconstpointer data)
{
  g_autofree char *target = url ("/status/500");
  g_autofree char *want = g_strdup_printf ("POST %s: HTTP 500 Internal Server Error", target);
  GError *error = NULL;
  g_autoptr (DfGraph) graph = post_new (f->rt, &(PostIn) { "{}", target, "" }, &error);
  g_assert_no_error (error);
  GraphResult r = { 0 };
  run_graph (graph, &r);
  g_assert_no_error (r.error);
  assert_stats (graph, "post", 1, 0, 1);
  g_autoptr (GError) failed = node_error (graph, "post");
  g_assert_error (failed, DFSTD_HTTP_ERROR, 500);
  g_assert_cmpstr (failed->message, ==, want);
  graph_result_clear (&r);
}

/* ---------------------------------------------------------------- pages */

/* The JSON of items @first .. @last as keep_json writes them. */
static void
assert_items (guint first, guint last, guint per_page)
{
  g_assert_cmpuint (fx->kept->len, ==, last >= first ? last - first + 1 : 0);
  for (guint id = first; id <= last; id++)
    {
      g_autofree char *want = g_strdup_printf ("{\"id\":%u,\"page\":%u}", id,
                                               (id - 1) / per_page + 1);
      g_assert_cmpstr (fx->kept->pdata[id - first], ==, want);
    }
}

static DfGraph *
run_pages (const char *path, const char *query, int retries, GraphResult *result)
{
  g_autofree char *target = url (path);
  GError *error = NULL;
  DfGraph *graph = pages_new (fx->rt, &(PagesIn) { target, query, retries }, &error);
  g_assert_no_error (error);
  run_graph (graph, result);
  return graph;
}

static char *
page_request (const char *query, guint page)
{
  return g_strdup_printf ("GET /pages?%s%spage=%u", query, *query ? "&" : "", page);
}

static void
assert_page_requests (const char *query, guint page, guint times)
{
  g_autofree char *request = page_request (query, page);
  g_assert_cmpuint (test_server_count (fx->server, request), ==, times);
}

static void
test_pages (Fixture *f, gconstpointer data)
{
  test_server_set_pages (f->server, 3, 4);
  GraphResult r = { 0 };
  g_autoptr (DfGraph) graph = run_pages ("/pages", "x=1&y=a%20b", 0, &r);
  g_assert_no_error (r.error);
  assert_items (1, 12, 4);
  assert_stats (graph, "src", 1, 1, 0);
  assert_stats (graph, "split", 3, 3, 0);
  /* Pages 1 to 4 (the empty one) each once, in order. */
  GPtrArray *log = test_server_get_log (f->server);
  g_assert_cmpuint (log->len, ==, 4);
  for (guint page = 1; page <= 4; page++)
    {
      g_autofree char *want = page_request ("x=1&y=a%20b", page);
      g_assert_cmpstr (log->pdata[page - 1], ==, want);
    }
  graph_result_clear (&r);
}

/* The URL's own query, then the stage's, then the page. */
static void
test_pages_url_query (Fixture *f, gconstpointer data)
{
  test_server_set_pages (f->server, 1, 2);
  GraphResult r = { 0 };
  g_autoptr (DfGraph) graph = run_pages ("/pages?k=v", "", 0, &r);
  g_assert_no_error (r.error);
  assert_stats (graph, "src", 1, 1, 0);
  assert_items (1, 2, 2);
  assert_page_requests ("k=v", 1, 1);
  assert_page_requests ("k=v", 2, 1);
  graph_result_clear (&r);
}

/* Page 2 answers 500 twice; with retries 2 the third try succeeds: every
 * item once, in order, and two retries logged. */
static void
test_pages_retry (Fixture *f, gconstpointer data)
{
  test_server_set_pages (f->server, 3, 4);
  test_server_fail_page (f->server, 2, 2, SOUP_STATUS_INTERNAL_SERVER_ERROR);
  guint64 logged = df_runtime_get_n_logged (f->rt);
  GraphResult r = { 0 };
  g_autoptr (DfGraph) graph = run_pages ("/pages", "", 2, &r);
  g_assert_no_error (r.error);
  assert_items (1, 12, 4);
  assert_stats (graph, "src", 1, 1, 0);
  assert_page_requests ("", 1, 1);
  assert_page_requests ("", 2, 3);
  assert_page_requests ("", 3, 1);
  g_assert_cmpuint (df_runtime_get_n_logged (f->rt) - logged, ==, 2);
  graph_result_clear (&r);
}

/* With retries 1 the second 500 is the end: page 1's items only, the
 * error names page 2's URL and carries the status. */
static void
test_pages_retries_used_up (Fixture *f, gconstpointer data)
{
  test_server_set_pages (f->server, 3, 4);
  test_server_fail_page (f->server, 2, 2, SOUP_STATUS_SERVICE_UNAVAILABLE);
  GraphResult r = { 0 };
  g_autoptr (DfGraph) graph = run_pages ("/pages", "", 1, &r);
  g_assert_no_error (r.error);
  assert_items (1, 4, 4);
  assert_stats (graph, "src", 1, 0, 1);
  assert_page_requests ("", 2, 2);
  assert_page_requests ("", 3, 0);
  g_autoptr (GError) error = node_error (graph, "src");
  g_autofree char *target = url ("/pages?page=2");
  g_autofree char *want = g_strdup_printf ("GET %s: HTTP 503 Service Unavailable", target);
  g_assert_error (error, DFSTD_HTTP_ERROR, 503);
  g_assert_cmpstr (error->message, ==, want);
  graph_result_clear (&r);
}

typedef struct {
  guint       status;    /* page 2 fails with it (0: `body` instead) */
  const char *body;
  guint       code;
  const char *message;   /* after "GET URL?page=2: " */
  gboolean    prefix;
} PageFailCase;

static const PageFailCase page_fail_cases[] = {
  { SOUP_STATUS_NOT_FOUND, NULL, 404, "HTTP 404 Not Found", FALSE },
  { SOUP_STATUS_FORBIDDEN, NULL, 403, "HTTP 403 Forbidden", FALSE },
  { 0, "{\"items\":[]}", 0, "the page is an object, not a JSON array", FALSE },
  { 0, "\"done\"", 0, "the page is a string, not a JSON array", FALSE },
  { 0, "[{\"id\":5},", 0, "invalid JSON: <data>:1:", TRUE },
};

/* A 4xx, a body that is not JSON or not an array: failed at once, with
 * retries to spare. */
static void
test_pages_fail_at_once (Fixture *f, gconstpointer data)
{
  test_server_set_pages (f->server, 3, 4);
  for (guint i = 0; i < G_N_ELEMENTS (page_fail_cases); i++)
    {
      const PageFailCase *c = &page_fail_cases[i];
      g_test_message ("case %u", i);
      if (c->status != 0)
        test_server_fail_page (f->server, 2, G_MAXUINT, c->status);
      else
        test_server_set_page_body (f->server, 2, c->body);
      g_ptr_array_set_size (f->kept, 0);
      g_ptr_array_set_size (test_server_get_log (f->server), 0);
      GraphResult r = { 0 };
      g_autoptr (DfGraph) graph = run_pages ("/pages", "", 3, &r);
      g_assert_no_error (r.error);
      assert_items (1, 4, 4);
      assert_stats (graph, "src", 1, 0, 1);
      assert_page_requests ("", 2, 1);
      assert_page_requests ("", 3, 0);
      g_autoptr (GError) error = node_error (graph, "src");
      g_autofree char *target = url ("/pages?page=2");
      g_autofree char *want = g_strdup_printf ("GET %s: %s", target, c->message);
      g_assert_true (error->domain == DFSTD_HTTP_ERROR);
      g_assert_cmpint (error->code, ==, c->code);
      if (c->prefix)
        g_assert_true (g_str_has_prefix (error->message, want));
      else
        g_assert_cmpstr (error->message, ==, want);
      graph_result_clear (&r);
      /* Page 2 fails no more; a body case sets its own body. */
      test_server_fail_page (f->server, 2, 0, 0);
    }
}

/* No server: a transport error, asked again `retries` times. */
static void
test_pages_no_server (Fixture *f, gconstpointer data)
{
  guint port;
  GSocket *socket = refusing_socket (&port);
  g_autofree char *target = g_strdup_printf ("http://127.0.0.1:%u/pages", port);
  g_autofree char *prefix = g_strdup_printf ("GET %s?page=1: ", target);
  guint64 logged = df_runtime_get_n_logged (f->rt);
  GError *error = NULL;
  g_autoptr (DfGraph) graph = pages_new (f->rt, &(PagesIn) { target, "", 2 }, &error);
  g_assert_no_error (error);
  GraphResult r = { 0 };
  run_graph (graph, &r);
  g_assert_no_error (r.error);
  assert_stats (graph, "src", 1, 0, 1);
  g_assert_cmpuint (f->kept->len, ==, 0);
  g_assert_cmpuint (df_runtime_get_n_logged (f->rt) - logged, ==, 2);
  g_autoptr (GError) failed = node_error (graph, "src");
  g_assert_true (failed->domain == DFSTD_HTTP_ERROR);
  g_assert_cmpint (failed->code, ==, 0);
  g_assert_true (g_str_has_prefix (failed->message, prefix));
  g_object_unref (socket);
  graph_result_clear (&r);
}

/* A drain while page 3 is out: pages 1 and 2 are delivered, the input
 * ends there without an error. */
static void
test_pages_drain (Fixture *f, gconstpointer data)
{
  test_server_set_pages (f->server, 5, 3);
  test_server_set_slow_page (f->server, 3);
  test_server_set_hook (f->server, hook_drain, NULL);
  GraphResult r = { 0 };
  g_autoptr (DfGraph) graph = run_pages ("/pages", "", 2, &r);
  g_assert_no_error (r.error);
  assert_items (1, 6, 3);
  assert_stats (graph, "src", 1, 1, 0);
  assert_page_requests ("", 4, 0);
  wait_aborted (1);
  graph_result_clear (&r);
}

/* A drain at page 1's first 500, before its back-off: no retry is made. */
static void
test_pages_drain_backoff (Fixture *f, gconstpointer data)
{
  test_server_set_pages (f->server, 2, 3);
  test_server_fail_page (f->server, 1, G_MAXUINT, SOUP_STATUS_BAD_GATEWAY);
  test_server_set_hook (f->server, hook_drain, NULL);
  test_server_set_hook_on_failure (f->server, 1);
  guint64 logged = df_runtime_get_n_logged (f->rt);
  GraphResult r = { 0 };
  g_autoptr (DfGraph) graph = run_pages ("/pages", "", 5, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (f->kept->len, ==, 0);
  assert_stats (graph, "src", 1, 1, 0);
  assert_page_requests ("", 1, 1);
  /* Nor a retry logged: the drain came first. */
  g_assert_cmpuint (df_runtime_get_n_logged (f->rt) - logged, ==, 0);
  graph_result_clear (&r);
}

static void
test_pages_cancel (Fixture *f, gconstpointer data)
{
  test_server_set_pages (f->server, 5, 3);
  test_server_set_slow_page (f->server, 2);
  test_server_set_hook (f->server, hook_cancel, NULL);
  GraphResult r = { 0 };
  DfGraph *graph = run_pages ("/pages", "", 2, &r);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_CANCELLED);
  df_graph_unref (graph);
  /* Page 1 may or may not have passed the sink before the cancel. */
  g_assert_cmpuint (f->kept->len, <=, 3);
  assert_page_requests ("", 3, 0);
  wait_aborted (1);
  graph_result_clear (&r);
}

/* docs/stdlib-http.md's example, run by GRAPH_run: the file holds every
 * item once, in order, also across a page that failed once. */
static void
test_export (Fixture *f, gconstpointer data)
{
  test_server_set_pages (f->server, 4, 3);
  test_server_fail_page (f->server, 3, 1, SOUP_STATUS_BAD_GATEWAY);
  g_autofree char *dir = g_dir_make_tmp ("stdlib-http-XXXXXX", NULL);
  g_autofree char *output = g_build_filename (dir, "items.jsonl", NULL);
  g_autofree char *target = url ("/pages");
  GError *error = NULL;
  g_assert_true (export_run (f->rt, &(ExportIn) { target, output }, f->variant->mode, &error));
  g_assert_no_error (error);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (output, &text, NULL, &error));
  g_assert_no_error (error);
  GString *want = g_string_new (NULL);
  for (guint id = 1; id <= 12; id++)
    g_string_append_printf (want, "{\"id\":%u,\"page\":%u}\n", id, (id - 1) / 3 + 1);
  g_assert_cmpstr (text, ==, want->str);
  g_string_free (want, TRUE);
  assert_page_requests ("per_page=3", 3, 2);
  assert_page_requests ("per_page=3", 5, 1);
  g_remove (output);
  g_rmdir (dir);
}

/* ----------------------------------------------------------------- flows */

static void
test_flow (Fixture *f, gconstpointer data)
{
  g_autofree char *target = url ("/echo");
  FetchIn in = { target, "q=1", "X-Token: flow" };
  FetchOut out = { 0 };
  GError *error = NULL;
  g_assert_true (fetch_run (f->rt, &in, &out, &error));
  g_assert_no_error (error);
  g_autofree char *text = json_to_string (out.value, FALSE);
  g_assert_cmpstr (text, ==, "{\"method\":\"GET\",\"query\":\"q=1\",\"x_token\":\"flow\","
                             "\"x_trace\":null,\"accept\":\"application/json\"}");
  fetch_out_clear (&out);

  g_autofree char *missing = url ("/status/404");
  in.url = missing;
  g_assert_false (fetch_run (f->rt, &in, &out, &error));
  g_assert_error (error, DFSTD_HTTP_ERROR, 404);
  g_clear_error (&error);
}

static void
hook_cancel_flow (gpointer data)
{
  g_cancellable_cancel (fx->cancellable);
}

static void
flow_done (FetchOut *out, const GError *error, gpointer data)
{
  GraphResult *r = data;
  r->done = TRUE;
  r->error = error ? g_error_copy (error) : NULL;
}

static void
test_flow_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *target = url ("/slow");
  f->cancellable = g_cancellable_new ();
  test_server_set_hook (f->server, hook_cancel_flow, NULL);
  GraphResult r = { 0 };
  fetch_start (f->rt, &(FetchIn) { target, "", "" }, f->cancellable, flow_done, &r);
  g_assert_true (df_runtime_run (f->rt));
  g_assert_true (r.done);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_CANCELLED);
  wait_aborted (1);
  graph_result_clear (&r);
}

/* ------------------------------------------------------------ throughput */

#define MANY 200

static void
test_many (Fixture *f, gconstpointer data)
{
  g_autofree char *target = url ("/echo");
  GError *error = NULL;
  g_autoptr (DfGraph) graph = many_new (f->rt, &(ManyIn) { target, MANY }, &error);
  g_assert_no_error (error);
  GraphResult r = { 0 };
  gint64 start = g_get_monotonic_time ();
  run_graph (graph, &r);
  gint64 took = g_get_monotonic_time () - start;
  g_assert_no_error (r.error);
  assert_stats (graph, "get", MANY, MANY, 0);
  g_assert_cmpuint (f->kept->len, ==, MANY);
  /* Each query once: none lost, none sent twice. */
  for (int i = 1; i <= MANY; i++)
    {
      g_autofree char *request = g_strdup_printf ("GET /echo?id=%d", i);
      g_assert_cmpuint (test_server_count (f->server, request), ==, 1);
    }
  g_test_message ("http_get_json: %d requests in %.3f s, %.0f per second", MANY,
                  took / 1e6, MANY / (took / 1e6));
  graph_result_clear (&r);
}

static void
test_many_pages (Fixture *f, gconstpointer data)
{
  test_server_set_pages (f->server, MANY, 5);
  gint64 start = g_get_monotonic_time ();
  GraphResult r = { 0 };
  g_autoptr (DfGraph) graph = run_pages ("/pages", "", 0, &r);
  gint64 took = g_get_monotonic_time () - start;
  g_assert_no_error (r.error);
  assert_items (1, MANY * 5, 5);
  assert_stats (graph, "src", 1, 1, 0);
  assert_stats (graph, "split", MANY, MANY, 0);
  g_test_message ("http_pages: %d pages in %.3f s, %.0f per second", MANY + 1,
                  took / 1e6, (MANY + 1) / (took / 1e6));
  graph_result_clear (&r);
}

/* ----------------------------------------------------------------- main */

static const Variant async_default = { DF_GRAPH_ASYNC, FALSE };
static const Variant sync_default = { DF_GRAPH_SYNC, FALSE };
static const Variant async_own = { DF_GRAPH_ASYNC, TRUE };
static const Variant sync_own = { DF_GRAPH_SYNC, TRUE };

typedef void (*TestFunc) (Fixture *f, gconstpointer data);

static void
add (const char *name, const Variant *variant, TestFunc func)
{
  g_autofree char *path = g_strdup_printf ("/stdlib/http/%s/%s%s", name,
                                           variant->mode == DF_GRAPH_SYNC ? "sync" : "async",
                                           variant->own_context ? "/own-context" : "");
  g_test_add (path, Fixture, variant, fixture_set_up, func, fixture_tear_down);
}

/* Each test in both modes. */
static void
add_both (const char *name, TestFunc func)
{
  add (name, &async_default, func);
  add (name, &sync_default, func);
}

static void
drop_message (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
}

int
main (int argc, char **argv)
{
  gt_init (&argc, &argv);
  /* GIO's debug lines (each connection made) would bury the test's own. */
  g_log_set_handler ("GLib-GIO", G_LOG_LEVEL_DEBUG, drop_message, NULL);
  add_both ("get-text", test_get_text);
  add_both ("get-json", test_get_json);
  add_both ("get-failures", test_get_failures);
  add_both ("get-no-server", test_get_no_server);
  add ("get-unpushed-context", &async_default, test_get_unpushed_context);
  add_both ("get-drain", test_get_drain);
  add_both ("get-cancel", test_get_cancel);
  add_both ("get-timeout", test_get_timeout);
  add_both ("post", test_post);
  add_both ("post-failure", test_post_failure);
  add_both ("pages", test_pages);
  add_both ("pages-url-query", test_pages_url_query);
  add_both ("pages-retry", test_pages_retry);
  add_both ("pages-retries-used-up", test_pages_retries_used_up);
  add_both ("pages-fail-at-once", test_pages_fail_at_once);
  add_both ("pages-no-server", test_pages_no_server);
  add_both ("pages-drain", test_pages_drain);
  add_both ("pages-drain-backoff", test_pages_drain_backoff);
  add_both ("pages-cancel", test_pages_cancel);
  add_both ("export", test_export);
  add ("flow", &async_default, test_flow);
  add ("flow-cancel", &async_default, test_flow_cancel);
  add ("flow", &async_own, test_flow);
  add ("get-json", &async_own, test_get_json);
  add ("get-json", &sync_own, test_get_json);
  add ("pages-retry", &async_own, test_pages_retry);
  add ("pages-drain", &sync_own, test_pages_drain);
  add ("get-cancel", &async_own, test_get_cancel);
  add_both ("many", test_many);
  add_both ("many-pages", test_many_pages);
  return g_test_run ();
}
