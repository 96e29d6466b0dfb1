/* test-redis.c — DfRedis against a redis-server of its own: replies,
 * server errors, a refused connect, the server going away with commands
 * in flight, df_redis_free () with commands in flight, and addresses. */
#include <hiredis/hiredis.h>

#include "dfscale.h"
#include "redis-fixture.h"

typedef struct {
  GMainLoop *loop;
  guint      replies;
  guint      errors;
  GError    *last_error;
  char      *last_str;
  gboolean   up;
  GError    *state_error;
} T;

static void
t_clear (T *t)
{
  g_clear_pointer (&t->loop, g_main_loop_unref);
  g_clear_error (&t->last_error);
  g_clear_error (&t->state_error);
  g_clear_pointer (&t->last_str, g_free);
}

static void
on_state (DfRedis *r, const GError *error, gpointer data)
{
  T *t = data;
  t->up = error == NULL;
  g_clear_error (&t->state_error);
  if (error)
    t->state_error = g_error_copy (error);
  g_main_loop_quit (t->loop);
}

static void
on_reply (DfRedis *r, DfRedisReply *reply, const GError *error, gpointer data)
{
  T *t = data;
  if (error)
    {
      t->errors++;
      g_clear_error (&t->last_error);
      t->last_error = g_error_copy (error);
    }
  else
    {
      t->replies++;
      g_free (t->last_str);
      t->last_str = reply->str ? g_strdup (reply->str) : g_strdup_printf ("%lld", reply->integer);
    }
  g_main_loop_quit (t->loop);
}

static DfRedis *
connect_to (T *t, guint16 port)
{
  t->loop = g_main_loop_new (NULL, FALSE);
  DfRedis *r = df_redis_connect (NULL, "127.0.0.1", port, on_state, t);
  g_main_loop_run (t->loop);
  return r;
}

static void
cmd (DfRedis *r, T *t, guint argc, const char *const *argv)
{
  df_redis_command (r, argc, argv, NULL, on_reply, t);
  g_main_loop_run (t->loop);
}

static void
test_replies (void)
{
  RedisServer s;
  T t = { 0 };

  if (!redis_server_start (&s))
    return;
  DfRedis *r = connect_to (&t, s.port);
  g_assert_true (t.up);
  cmd (r, &t, 1, (const char *[]) { "PING" });
  g_assert_cmpstr (t.last_str, ==, "PONG");
  cmd (r, &t, 3, (const char *[]) { "SET", "k", "v" });
  cmd (r, &t, 2, (const char *[]) { "GET", "k" });
  g_assert_cmpstr (t.last_str, ==, "v");
  /* A server error is a GError, the server's message in it. */
  cmd (r, &t, 2, (const char *[]) { "INCR", "k" });
  g_assert_error (t.last_error, DF_REDIS_ERROR, DF_REDIS_ERROR_REPLY);
  g_assert_nonnull (strstr (t.last_error->message, "not an integer"));
  g_assert_cmpuint (t.replies, ==, 3);
  g_assert_cmpuint (t.errors, ==, 1);
  g_assert_cmpuint (df_redis_pending (r), ==, 0);
  df_redis_free (r);
  redis_server_stop (&s);
  t_clear (&t);
}

static void
test_refused (void)
{
  RedisServer s;
  T t = { 0 };

  if (!redis_server_start (&s))
    return;
  guint16 port = s.port;
  redis_server_stop (&s);     /* nobody listens there now */
  DfRedis *r = connect_to (&t, port);
  g_assert_false (t.up);
  g_assert_error (t.state_error, DF_REDIS_ERROR, DF_REDIS_ERROR_CONNECT);
  g_assert_nonnull (strstr (t.state_error->message, "cannot connect to Redis at 127.0.0.1:"));
  /* A command on a failed connection fails, from the loop. */
  df_redis_command (r, 1, (const char *[]) { "PING" }, NULL, on_reply, &t);
  g_assert_cmpuint (t.errors, ==, 0);
  g_main_loop_run (t.loop);
  g_assert_cmpuint (t.errors, ==, 1);
  g_assert_error (t.last_error, DF_REDIS_ERROR, DF_REDIS_ERROR_CONNECT);
  df_redis_free (r);
  t_clear (&t);
}

/* The broker goes away with a blocking read in flight: the read ends with
 * an error, and so does the connection's state. */
static void
test_server_gone (void)
{
  RedisServer s;
  T t = { 0 };

  if (!redis_server_start (&s))
    return;
  DfRedis *r = connect_to (&t, s.port);
  df_redis_command (r, 3, (const char *[]) { "BLPOP", "nothing", "30" }, NULL, on_reply, &t);
  g_assert_cmpuint (df_redis_pending (r), ==, 1);
  redis_server_kill (&s);
  while (t.errors == 0 || t.state_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (t.last_error, DF_REDIS_ERROR, DF_REDIS_ERROR_CLOSED);
  g_assert_error (t.state_error, DF_REDIS_ERROR, DF_REDIS_ERROR_CLOSED);
  g_assert_cmpuint (df_redis_pending (r), ==, 0);
  df_redis_free (r);
  redis_server_stop (&s);
  t_clear (&t);
}

static void
test_free_pending (void)
{
  RedisServer s;
  T t = { 0 };

  if (!redis_server_start (&s))
    return;
  DfRedis *r = connect_to (&t, s.port);
  for (int i = 0; i < 3; i++)
    df_redis_command (r, 3, (const char *[]) { "BLPOP", "nothing", "30" }, NULL, on_reply, &t);
  df_redis_free (r);
  g_assert_cmpuint (t.errors, ==, 3);
  g_assert_error (t.last_error, DF_REDIS_ERROR, DF_REDIS_ERROR_CLOSED);
  redis_server_stop (&s);
  t_clear (&t);
}

static void
test_address (void)
{
  g_autofree char *host = NULL;
  guint16 port = 0;
  g_autoptr (GError) error = NULL;

  g_assert_true (df_redis_parse_address ("127.0.0.1:6380", &host, &port, &error));
  g_assert_cmpstr (host, ==, "127.0.0.1");
  g_assert_cmpuint (port, ==, 6380);
  const char *bad[] = { "", "localhost", ":6379", "h:", "h:0", "h:70000", "h:12x" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *h = NULL;
      g_assert_false (df_redis_parse_address (bad[i], &h, &port, &error));
      g_assert_error (error, DF_REDIS_ERROR, DF_REDIS_ERROR_CONNECT);
      g_assert_nonnull (strstr (error->message, "give HOST:PORT"));
      g_clear_error (&error);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/redis/replies", test_replies);
  g_test_add_func ("/redis/refused", test_refused);
  g_test_add_func ("/redis/server-gone", test_server_gone);
  g_test_add_func ("/redis/free-pending", test_free_pending);
  g_test_add_func ("/redis/address", test_address);
  return g_test_run ();
}
