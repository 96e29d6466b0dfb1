/* redis-fixture.c — see redis-fixture.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "redis-fixture.h"

static guint16
free_port (void)
{
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  socklen_t len = sizeof a;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &a, sizeof a), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &a, &len), ==, 0);
  close (fd);
  return ntohs (a.sin_port);
}

/* One PING over a fresh TCP connection. */
static gboolean
answers_ping (guint16 port)
{
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons (port),
                           .sin_addr.s_addr = htonl (INADDR_LOOPBACK) };
  char buf[16] = { 0 };
  gboolean ok = FALSE;

  if (fd < 0)
    return FALSE;
  if (connect (fd, (struct sockaddr *) &a, sizeof a) == 0
      && write (fd, "PING\r\n", 6) == 6 && read (fd, buf, sizeof buf - 1) > 0)
    ok = g_str_has_prefix (buf, "+PONG");
  close (fd);
  return ok;
}

/* In the child: the server dies with the test, even when the test is
 * killed by its time-out before it can stop it. */
static void
die_with_parent (gpointer data)
{
  (void) data;
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

gboolean
redis_server_start (RedisServer *server)
{
  const char *bin = g_getenv ("DFSCALE_REDIS_SERVER");
  g_autofree char *found = bin ? g_strdup (bin) : g_find_program_in_path ("redis-server");
  g_autoptr (GError) error = NULL;

  memset (server, 0, sizeof *server);
  if (found == NULL)
    {
      g_test_skip ("no redis-server (scripts/install-deps --test installs it)");
      return FALSE;
    }
  server->dir = g_dir_make_tmp ("dfscale-redis-XXXXXX", &error);
  g_assert_no_error (error);
  server->port = free_port ();
  g_autofree char *port = g_strdup_printf ("%u", server->port);
  const char *argv[] = {
    found, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
    "--dir", server->dir, "--protected-mode", "no", "--daemonize", "no",
    "--loglevel", "warning", "--logfile", "", NULL,
  };
  g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                 die_with_parent, NULL, &server->pid, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 500; i++)
    {
      if (answers_ping (server->port))
        return TRUE;
      g_usleep (10000);
    }
  g_error ("redis-server did not answer on port %u within 5 s", server->port);
}

static void
server_wait (RedisServer *server, int sig)
{
  int status;

  if (server->pid == 0)
    return;
  kill (server->pid, sig);
  while (waitpid (server->pid, &status, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid (server->pid);
  server->pid = 0;
}

void
redis_server_kill (RedisServer *server)
{
  server_wait (server, SIGKILL);
}

void
redis_server_stop (RedisServer *server)
{
  server_wait (server, SIGTERM);
  if (server->dir == NULL)
    return;
  /* No persistence: the server left nothing behind. */
  GDir *dir = g_dir_open (server->dir, 0, NULL);
  const char *left = dir ? g_dir_read_name (dir) : NULL;
  if (left != NULL)
    g_test_fail_printf ("redis-server left '%s' in %s", left, server->dir);
  g_autofree char *path = left ? g_build_filename (server->dir, left, NULL) : NULL;
  if (dir)
    g_dir_close (dir);
  if (path)
    g_unlink (path);
  g_rmdir (server->dir);
  g_clear_pointer (&server->dir, g_free);
}
