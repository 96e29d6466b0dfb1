/* test-server-spawn.c — dfstd-test-server as a test's child process. */
#include "test-server-spawn.h"

#include <libsoup/soup.h>

struct _TestServer
{
  GSubprocess *process;
  char *url;
  SoupSession *session;
};

static void
test_server_free (TestServer *server)
{
  g_clear_object (&server->session);
  g_clear_object (&server->process);
  g_free (server->url);
  g_free (server);
}

/* The first line of the server's stdout, which it prints once listening. */
static char *
read_url (GSubprocess *process, GError **error)
{
  g_autoptr (GDataInputStream) lines =
    g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  char *line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, error);

  if (line == NULL && (error == NULL || *error == NULL))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         "dfstd-test-server ended before printing its URL");
  if (line != NULL && !g_str_has_prefix (line, "http://127.0.0.1:"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "dfstd-test-server printed \"%s\", not its URL", line);
      g_clear_pointer (&line, g_free);
    }
  return line;
}

TestServer *
test_server_start (const char *const *args, GError **error)
{
  const char *binary = g_getenv ("DFSTD_TEST_SERVER_BIN");
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GProxyResolver) resolver = NULL;
  TestServer *server;

  if (binary == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "DFSTD_TEST_SERVER_BIN is not set");
      return NULL;
    }
  g_ptr_array_add (argv, (gpointer) binary);
  for (gsize i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  server = g_new0 (TestServer, 1);
  server->process = g_subprocess_newv ((const char *const *) argv->pdata,
                                       G_SUBPROCESS_FLAGS_STDIN_PIPE
                                       | G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  if (server->process == NULL || (server->url = read_url (server->process, error)) == NULL)
    {
      if (server->process != NULL)
        g_subprocess_force_exit (server->process);
      test_server_free (server);
      return NULL;
    }
  /* Straight to 127.0.0.1, whatever proxy the environment names. */
  resolver = g_simple_proxy_resolver_new (NULL, NULL);
  server->session = soup_session_new_with_options ("proxy-resolver", resolver, NULL);
  return server;
}

const char *
test_server_url (TestServer *server)
{
  return server->url;
}

char *
test_server_url_for (TestServer *server, const char *path_and_query)
{
  return g_strconcat (server->url, path_and_query, NULL);
}

GBytes *
test_server_get (TestServer *server, const char *path_and_query, guint *status,
                 GError **error)
{
  g_autofree char *url = test_server_url_for (server, path_and_query);
  g_autoptr (SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  GBytes *body = soup_session_send_and_read (server->session, msg, NULL, error);

  if (body != NULL)
    *status = soup_message_get_status (msg);
  return body;
}

gboolean
test_server_stop (TestServer *server, GError **error)
{
  GOutputStream *input = g_subprocess_get_stdin_pipe (server->process);
  gboolean ok = g_output_stream_close (input, NULL, error)
                && g_subprocess_wait_check (server->process, NULL, error);

  if (!ok)
    g_subprocess_force_exit (server->process);
  test_server_free (server);
  return ok;
}
