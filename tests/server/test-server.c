/* test-server.c — dfstd-test-server itself: its pages and their end, each
 * fault switch on exactly the requests it names, the counts of /stats, a
 * held-back response whose client went away, both ways it ends (end of
 * stdin, SIGTERM) with status 0, and scripts/with-test-server. */
#include <json-glib/json-glib.h>
#include <signal.h>

#include "test-server-spawn.h"

static TestServer *
start (const char *const *args)
{
  g_autoptr (GError) error = NULL;
  TestServer *server = test_server_start (args, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (test_server_url (server), "/"));
  return server;
}

static void
stop (TestServer *server)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (test_server_stop (server, &error));
  g_assert_no_error (error);
}

/* GET `path`: asserts the status and returns the body as text. */
static char *
get (TestServer *server, const char *path, guint want_status)
{
  g_autoptr (GError) error = NULL;
  guint status = 0;
  g_autoptr (GBytes) body = test_server_get (server, path, &status, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (status, ==, want_status);
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* GET `path`: a 200 whose body parses as JSON. */
static JsonNode *
get_json (TestServer *server, const char *path)
{
  g_autofree char *text = get (server, path, 200);
  g_autoptr (GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static gint64
stats_member (TestServer *server, const char *group, const char *name)
{
  g_autoptr (JsonNode) stats = get_json (server, "stats");
  JsonObject *object = json_object_get_object_member (json_node_get_object (stats), group);

  return json_object_get_int_member_with_default (object, name, 0);
}

/* Pages of 50, then of 7, add up to /breweries/all; after the end, []. */
static void
test_pages (void)
{
  TestServer *server = start (NULL);
  g_autoptr (JsonNode) all = get_json (server, "breweries/all");
  JsonArray *everything = json_node_get_array (all);
  guint per_page[] = { 50, 7 };

  g_assert_cmpuint (json_array_get_length (everything), ==, 137);
  for (gsize p = 0; p < G_N_ELEMENTS (per_page); p++)
    {
      guint seen = 0;

      for (guint page = 1;; page++)
        {
          g_autofree char *path =
            g_strdup_printf ("breweries?page=%u&per_page=%u", page, per_page[p]);
          g_autoptr (JsonNode) node = get_json (server, path);
          JsonArray *items = json_node_get_array (node);
          guint n = json_array_get_length (items);

          if (n == 0)
            break;
          g_assert_cmpuint (n, <=, per_page[p]);
          for (guint i = 0; i < n; i++)
            g_assert_true (json_node_equal (json_array_get_element (items, i),
                                            json_array_get_element (everything, seen + i)));
          seen += n;
        }
      g_assert_cmpuint (seen, ==, 137);
    }
  g_assert_cmpint (stats_member (server, "paths", "/breweries"), ==, 3 + 20 + 2);
  g_free (get (server, "breweries?per_page=0", 400));
  stop (server);
}

/* --fail-first 2: a page fails twice, then answers; another page too. */
static void
test_fail_first (void)
{
  const char *args[] = { "--fail-first", "2", "--breweries", "3", NULL };
  TestServer *server = start (args);

  g_free (get (server, "breweries?page=1", 500));
  g_free (get (server, "breweries?page=1", 500));
  json_node_unref (get_json (server, "breweries?page=1"));
  g_free (get (server, "breweries?page=2", 500));
  g_assert_cmpint (stats_member (server, "faults", "fail_first"), ==, 3);
  g_assert_cmpint (stats_member (server, "queries", "/breweries?page=1"), ==, 3);
  g_assert_cmpint (stats_member (server, "paths", "/breweries"), ==, 4);
  stop (server);
}

/* --fail-every 3 fails requests 3 and 6; --malformed-every 2 truncates 2,
 * 4 (not 6, already failed); status= fails one request as asked. */
static void
test_fail_every_malformed (void)
{
  const char *args[] = { "--fail-every", "3", "--malformed-every", "2", NULL };
  TestServer *server = start (args);
  guint want[] = { 200, 0, 500, 0, 200, 500, 200 };

  for (gsize i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_autofree char *body = get (server, "quote?symbol=ACME", want[i] == 0 ? 200 : want[i]);
      g_autoptr (JsonNode) node = json_from_string (body, NULL);

      g_assert_true ((want[i] == 0) == (node == NULL));
    }
  g_free (get (server, "quote?symbol=ACME&status=503", 503));
  g_free (get (server, "quote?symbol=ACME&status=42", 400));
  g_assert_cmpint (stats_member (server, "faults", "fail_every"), ==, 2);
  g_assert_cmpint (stats_member (server, "faults", "malformed"), ==, 2);
  g_assert_cmpint (stats_member (server, "faults", "status"), ==, 1);
  g_assert_cmpint (stats_member (server, "paths", "/quote"), ==, 9);
  stop (server);
}

/* The price and time follow the request's number among /quote requests. */
static void
test_quotes (void)
{
  TestServer *server = start (NULL);
  g_autoptr (JsonNode) first = get_json (server, "quote?symbol=ACME");
  g_autoptr (JsonNode) second = get_json (server, "quote?symbol=ACME");
  JsonObject *a = json_node_get_object (first), *b = json_node_get_object (second);

  g_assert_cmpstr (json_object_get_string_member (a, "symbol"), ==, "ACME");
  g_assert_cmpfloat (json_object_get_double_member (a, "price"), ==, 107.25);
  g_assert_cmpfloat (json_object_get_double_member (b, "price"), ==, 114.5);
  g_assert_cmpstr (json_object_get_string_member (a, "time"), ==, "2026-01-01T00:00:01Z");
  g_assert_cmpstr (json_object_get_string_member (b, "time"), ==, "2026-01-01T00:00:02Z");
  g_free (get (server, "quote", 400));
  stop (server);
}

/* The broker's backends: a known city, and an unknown one's 404 body. */
static void
test_backends (void)
{
  TestServer *server = start (NULL);
  g_autoptr (JsonNode) weather = get_json (server, "weather?city=Paris");
  g_autoptr (JsonNode) population = get_json (server, "population?city=Paris");
  g_autofree char *unknown = get (server, "population?city=Atlantis", 404);

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (weather), "weather"),
                   ==, "sunny");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (population), "population"),
                   ==, 2102650);
  g_assert_cmpstr (unknown, ==, "{\"error\":\"unknown city: Atlantis\"}");
  stop (server);
}

/* A client that gives up on a held-back response leaves the server
 * serving; the server still ends at once when told. */
static void
test_delay_abandoned (void)
{
  TestServer *server = start (NULL);
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) uri = g_uri_parse (test_server_url (server), G_URI_FLAGS_NONE, &error);
  g_autoptr (GSocketConnection) connection = NULL;
  const char request[] = "GET /quote?symbol=X&delay_ms=60000 HTTP/1.1\r\n"
                         "Host: 127.0.0.1\r\n\r\n";

  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL,
                                                &error);

  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                            request, sizeof request - 1, NULL, NULL, &error));
  g_assert_no_error (error);
  /* /stats answers after the held-back request was counted. */
  while (stats_member (server, "paths", "/quote") == 0)
    g_usleep (10000);
  g_assert_true (g_io_stream_close (G_IO_STREAM (connection), NULL, &error));
  json_node_unref (get_json (server, "quote?symbol=Y&delay_ms=20"));
  stop (server);
}

/* SIGTERM ends the server with status 0, as the end of its stdin does
 * (every other test's stop). */
static void
test_sigterm (void)
{
  const char *binary = g_getenv ("DFSTD_TEST_SERVER_BIN");
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process =
    g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                      binary, NULL);
  g_autoptr (GDataInputStream) lines = NULL;
  g_autofree char *url = NULL;

  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  url = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

/* scripts/with-test-server gives the command the URL, passes on its exit
 * status and leaves no server behind: the port refuses connections. */
static void
test_with_script (void)
{
  const char *script = g_getenv ("WITH_TEST_SERVER");
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autofree char *out = NULL;

  g_assert_nonnull (script);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "sh", script,
                              "--breweries", "3", "--", "sh", "-c",
                              "printf '%s' \"$DFSTD_TEST_SERVER\"; exit 7", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 7);
  uri = g_uri_parse (out, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_uri_get_host (uri), ==, "127.0.0.1");
  g_socket_client_set_enable_proxy (client, FALSE);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL,
                                                &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/test-server/pages", test_pages);
  g_test_add_func ("/test-server/fail-first", test_fail_first);
  g_test_add_func ("/test-server/fail-every-malformed", test_fail_every_malformed);
  g_test_add_func ("/test-server/quotes", test_quotes);
  g_test_add_func ("/test-server/backends", test_backends);
  g_test_add_func ("/test-server/delay-abandoned", test_delay_abandoned);
  g_test_add_func ("/test-server/sigterm", test_sigterm);
  g_test_add_func ("/test-server/with-test-server", test_with_script);
  return g_test_run ();
}
