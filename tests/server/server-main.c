/* server-main.c — dfstd-test-server: fake HTTP APIs for the examples' tests.
 *
 *   dfstd-test-server [--port 0] [--breweries 137] [--delay-ms N]
 *                     [--fail-first N] [--fail-every N] [--malformed-every N]
 *
 * Listens on 127.0.0.1 only and prints one line, its URL
 * (http://127.0.0.1:PORT/), once it is listening.  It ends, with status 0,
 * on SIGTERM or SIGINT and when its standard input reaches end of file:
 * whoever starts it keeps a pipe to its stdin, and when that one dies,
 * however it dies, the server goes too.  The routes and the switches are
 * in tests/server/README.md.
 */
#include "server.h"

#include <glib-unix.h>
#include <json-glib/json-glib.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef void (*RouteFunc) (GHashTable *query, const ServerDecision *decision,
                           ServerAnswer *answer);

static void
route_breweries (GHashTable *query, const ServerDecision *decision, ServerAnswer *answer)
{
  server_breweries_page (query, answer);
}

static void
route_breweries_all (GHashTable *query, const ServerDecision *decision, ServerAnswer *answer)
{
  server_breweries_all (answer);
}

static void
route_quote (GHashTable *query, const ServerDecision *decision, ServerAnswer *answer)
{
  server_quote (query, decision->number, answer);
}

static void
route_weather (GHashTable *query, const ServerDecision *decision, ServerAnswer *answer)
{
  server_weather (query, answer);
}

static void
route_population (GHashTable *query, const ServerDecision *decision, ServerAnswer *answer)
{
  server_population (query, answer);
}

static const struct
{
  const char *path;
  RouteFunc answer;
} routes[] = {
  { "/breweries", route_breweries },
  { "/breweries/all", route_breweries_all },
  { "/quote", route_quote },
  { "/weather", route_weather },
  { "/population", route_population },
};

/* The answer of a route, then the decided fault applied to it. */
static void
make_answer (const char *path, GHashTable *query, const ServerDecision *decision,
             ServerAnswer *answer)
{
  gsize length;

  if (decision->fault == SERVER_FAULT_STATUS || decision->fault == SERVER_FAULT_FAIL_FIRST
      || decision->fault == SERVER_FAULT_FAIL_EVERY)
    {
      server_answer_error (answer, decision->status, "injected failure");
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    if (strcmp (routes[i].path, path) == 0)
      routes[i].answer (query, decision, answer);
  if (answer->body == NULL)
    {
      g_autofree char *message = g_strdup_printf ("no such path: %s", path);

      server_answer_error (answer, SOUP_STATUS_NOT_FOUND, message);
    }
  /* Every body is an object or an array: without its second half it is
   * never valid JSON, however short it is. */
  length = strlen (answer->body);
  if (decision->fault == SERVER_FAULT_MALFORMED && length > 1)
    answer->body[length / 2] = '\0';
}

static void
respond (SoupServerMessage *msg, ServerAnswer *answer)
{
  soup_server_message_set_status (msg, answer->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    answer->body, strlen (answer->body));
  answer->body = NULL;
}

/* A response held back --delay-ms on a timeout; dropped if the client
 * goes away first (a drained client cancels its request). */
typedef struct
{
  SoupServerMessage *msg;
  ServerAnswer answer;
  guint timeout;
  gulong disconnected;
} Delayed;

static void
delayed_free (Delayed *delayed)
{
  g_signal_handler_disconnect (delayed->msg, delayed->disconnected);
  g_object_unref (delayed->msg);
  server_answer_clear (&delayed->answer);
  g_free (delayed);
}

static gboolean
delayed_send (gpointer data)
{
  Delayed *delayed = data;

  respond (delayed->msg, &delayed->answer);
  soup_server_message_unpause (delayed->msg);
  delayed_free (delayed);
  return G_SOURCE_REMOVE;
}

static void
delayed_disconnected (SoupServerMessage *msg, gpointer data)
{
  Delayed *delayed = data;

  g_source_remove (delayed->timeout);
  delayed_free (delayed);
}

static void
delay (SoupServerMessage *msg, ServerAnswer *answer, guint delay_ms)
{
  Delayed *delayed = g_new0 (Delayed, 1);

  delayed->msg = g_object_ref (msg);
  delayed->answer = *answer;
  *answer = (ServerAnswer) { 0 };
  delayed->disconnected = g_signal_connect (msg, "disconnected",
                                            G_CALLBACK (delayed_disconnected), delayed);
  delayed->timeout = g_timeout_add (delay_ms, delayed_send, delayed);
  soup_server_message_pause (msg);
}

static void
handle (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
        gpointer data)
{
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));
  ServerDecision decision = { 0 };
  ServerAnswer answer = { 0 };

  if (strcmp (path, "/stats") == 0)
    {
      server_answer_set (&answer, SOUP_STATUS_OK, server_faults_stats_json ());
      respond (msg, &answer);
      return;
    }
  if (strcmp (soup_server_message_get_method (msg), SOUP_METHOD_GET) != 0)
    server_answer_error (&answer, SOUP_STATUS_METHOD_NOT_ALLOWED, "only GET");
  else if (server_faults_decide (path, raw_query, query, &decision, &answer))
    make_answer (path, query, &decision, &answer);
  if (decision.delay_ms > 0)
    delay (msg, &answer, decision.delay_ms);
  else
    respond (msg, &answer);
}

static gboolean
on_signal (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

/* Whatever comes on stdin is ignored; its end ends the server. */
static gboolean
on_stdin (gint fd, GIOCondition condition, gpointer loop)
{
  char buffer[256];
  ssize_t n = read (fd, buffer, sizeof buffer);

  if (n > 0 || (n < 0 && (errno == EINTR || errno == EAGAIN)))
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static gboolean
parse_options (int *argc, char ***argv, int *port, int *count, ServerFaultOptions *faults)
{
  int delay_ms = 0, fail_first = 0, fail_every = 0, malformed_every = 0;
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, port, "Port on 127.0.0.1 (0: any free one)", "N" },
    { "breweries", 0, 0, G_OPTION_ARG_INT, count, "Breweries served (137)", "N" },
    { "delay-ms", 0, 0, G_OPTION_ARG_INT, &delay_ms, "Delay every response", "MS" },
    { "fail-first", 0, 0, G_OPTION_ARG_INT, &fail_first,
      "Answer 500 to the first N requests of each path and query", "N" },
    { "fail-every", 0, 0, G_OPTION_ARG_INT, &fail_every, "Answer 500 to every Nth request", "N" },
    { "malformed-every", 0, 0, G_OPTION_ARG_INT, &malformed_every,
      "Truncate the JSON of every Nth request", "N" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- fake HTTP APIs for tests");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("dfstd-test-server: %s\n", error->message);
      return FALSE;
    }
  if (*port < 0 || *port > 65535 || *count < 0 || delay_ms < 0 || fail_first < 0
      || fail_every < 0 || malformed_every < 0)
    {
      g_printerr ("dfstd-test-server: every option takes a number of at least 0"
                  " (a port at most 65535)\n");
      return FALSE;
    }
  *faults = (ServerFaultOptions) { delay_ms, fail_first, fail_every, malformed_every };
  return TRUE;
}

int
main (int argc, char **argv)
{
  int port = 0, count = 137;
  ServerFaultOptions faults;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (GError) error = NULL;
  GSList *uris;

  if (!parse_options (&argc, &argv, &port, &count, &faults))
    return 2;
  server_faults_init (&faults);
  server_breweries_init ((guint) count);
  server = soup_server_new ("server-header", "dfstd-test-server", NULL);
  soup_server_add_handler (server, NULL, handle, NULL, NULL);
  if (!soup_server_listen_local (server, (guint) port, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("dfstd-test-server: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }
  /* Before the URL line: whoever reads it may signal at once. */
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, loop);
  uris = soup_server_get_uris (server);
  printf ("http://127.0.0.1:%d/\n", g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (loop);

  soup_server_disconnect (server);
  g_clear_object (&server);
  /* What the connections closed leave to idle callbacks, so that a
   * leak checker sees everything freed. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  server_breweries_shutdown ();
  server_faults_shutdown ();
  return 0;
}
