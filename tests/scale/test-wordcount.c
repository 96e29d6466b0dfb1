/* test-wordcount.c — wordcount.df's generated program, one binary run as
 * any part of the graph against a redis-server of the test's own: all
 * nodes in one process, and the reader in one with the counting in three
 * (--nodes), give the same counts; a node name that is no node and a bad
 * --redis are bad usage (status 2). */
#include <hiredis/hiredis.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "redis-fixture.h"

#define N 3000

static GPid
spawn (RedisServer *s, const char *key, const char *nodes)
{
  g_autofree char *redis = g_strdup_printf ("--redis=127.0.0.1:%u", s->port);
  g_autofree char *n = g_strdup_printf ("--n=%d", N);
  g_autofree char *nodes_arg = nodes ? g_strdup_printf ("--nodes=%s", nodes) : NULL;
  const char *argv[] = { g_getenv ("WORDCOUNT"), n, redis, nodes_arg, NULL };
  g_autofree char *port = g_strdup_printf ("%u", s->port);
  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_setenv (env, "WORDCOUNT_REDIS_PORT", port, TRUE);
  env = g_environ_setenv (env, "WORDCOUNT_KEY", key, TRUE);
  g_autoptr (GError) error = NULL;
  GPid pid;

  g_spawn_async (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  return pid;
}

static int
wait_for (GPid pid)
{
  int status;
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  return status;
}

/* Every one of the 50 words counted N / 50 times under @key. */
static void
assert_counts (RedisServer *s, const char *key)
{
  redisContext *c = redisConnect ("127.0.0.1", s->port);
  redisReply *r = redisCommand (c, "HGETALL %s", key);
  g_assert_nonnull (r);
  g_assert_cmpuint (r->elements, ==, 2 * 50);
  for (size_t i = 0; i + 1 < r->elements; i += 2)
    g_assert_cmpint (atoll (r->element[i + 1]->str), ==, N / 50);
  freeReplyObject (r);
  redisFree (c);
}

static void
test_one_process (void)
{
  RedisServer s;

  if (!redis_server_start (&s))
    return;
  g_assert_cmpint (wait_for (spawn (&s, "one", NULL)), ==, 0);
  assert_counts (&s, "one");
  redis_server_stop (&s);
}

static void
test_split (void)
{
  RedisServer s;
  GPid pids[4];

  if (!redis_server_start (&s))
    return;
  pids[0] = spawn (&s, "split", "src");
  for (int i = 1; i < 4; i++)
    pids[i] = spawn (&s, "split", "counter");
  for (int i = 0; i < 4; i++)
    {
      int status = wait_for (pids[i]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
  assert_counts (&s, "split");
  redis_server_stop (&s);
}

static void
test_bad_usage (void)
{
  RedisServer s;

  if (!redis_server_start (&s))
    return;
  int status = wait_for (spawn (&s, "bad", "src,nowhere"));
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 2);
  redis_server_stop (&s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/wordcount/one-process", test_one_process);
  g_test_add_func ("/wordcount/split", test_split);
  g_test_add_func ("/wordcount/bad-usage", test_bad_usage);
  return g_test_run ();
}
