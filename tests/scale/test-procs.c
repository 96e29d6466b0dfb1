/* test-procs.c — the `tally` graph over real processes (tally-proc.c), on
 * a redis-server of the test's own: one writer and three consumers give
 * every item once; `kill -9` of a consumer in the middle still has every
 * item handled at least once (its pending entries claimed by the others,
 * counted as redelivered: items <= processed <= items + redelivered); a
 * drain (SIGTERM) of one consumer hands its share to the others; the
 * broker killed under them ends every process with an error. */
#include <hiredis/hiredis.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "redis-fixture.h"

#define N 2000

typedef struct {
  GPid   pid;
  int    out;      /* its stdout */
  int    err;
  char  *consumer;
} Proc;

static Proc
spawn (RedisServer *s, const char *role, const char *prefix, const char *consumer,
       const char *slow_us)
{
  Proc p = { 0 };
  g_autofree char *port = g_strdup_printf ("%u", s->port);
  g_autofree char *n = g_strdup_printf ("%d", N);
  const char *argv[] = { g_getenv ("TALLY_PROC"), role, port, prefix, consumer, n, "300",
                         slow_us, NULL };
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (argv[0]);
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &p.pid, NULL, &p.out, &p.err, &error);
  g_assert_no_error (error);
  p.consumer = g_strdup (consumer);
  return p;
}

/* Waits for the process; its exit status, stdout and stderr. */
static int
finish (Proc *p, char **out, char **err)
{
  int status;
  g_autoptr (GString) o = g_string_new (NULL), e = g_string_new (NULL);
  char buf[512];
  ssize_t got;

  while ((got = read (p->out, buf, sizeof buf)) > 0)
    g_string_append_len (o, buf, got);
  while ((got = read (p->err, buf, sizeof buf)) > 0)
    g_string_append_len (e, buf, got);
  close (p->out);
  close (p->err);
  g_assert_cmpint (waitpid (p->pid, &status, 0), ==, p->pid);
  g_spawn_close_pid (p->pid);
  g_free (p->consumer);
  if (out)
    *out = g_string_free (g_steal_pointer (&o), FALSE);
  if (err)
    *err = g_string_free (g_steal_pointer (&e), FALSE);
  return status;
}

static long long
redis_int (RedisServer *s, const char *fmt, const char *key)
{
  redisContext *c = redisConnect ("127.0.0.1", s->port);
  redisReply *r = redisCommand (c, fmt, key);
  g_assert_nonnull (r);
  long long v = r->type == REDIS_REPLY_INTEGER ? r->integer
                : r->type == REDIS_REPLY_STRING ? atoll (r->str) : -1;
  freeReplyObject (r);
  redisFree (c);
  return v;
}

typedef struct {
  gint64 in, ok, redelivered;
} Counts;

/* Runs one writer and three consumers; @act (nullable) is done to
 * consumer 0 after 300 ms.  Returns the survivors' summed counts. */
static Counts
run (RedisServer *s, const char *prefix, int act, const char *slow_us)
{
  Proc src = spawn (s, "src", prefix, "w", "0");
  Proc count[3];
  Counts sum = { 0 };

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("c%d", i);
      count[i] = spawn (s, "count", prefix, name, slow_us);
    }
  if (act)
    {
      g_usleep (300000);
      kill (count[0].pid, act);
    }
  g_autofree char *err = NULL;
  int status = finish (&src, NULL, &err);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *out = NULL, *cerr = NULL;
      status = finish (&count[i], &out, &cerr);
      if (i == 0 && act == SIGKILL)
        {
          g_assert_true (WIFSIGNALED (status));
          continue;
        }
      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        g_error ("consumer c%d ended with status %d: %s", i, status, cerr);
      Counts c;
      g_assert_cmpint (sscanf (out, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT,
                               &c.in, &c.ok, &c.redelivered), ==, 3);
      g_assert_cmpint (c.in, ==, c.ok);
      sum.in += c.in;
      sum.ok += c.ok;
      sum.redelivered += c.redelivered;
    }
  g_autofree char *seen = g_strdup_printf ("%s:seen", prefix);
  g_autofree char *stream = g_strdup_printf ("%s.tally.count", prefix);
  g_assert_cmpint (redis_int (s, "BITCOUNT %s", seen), ==, N);   /* every item at least once */
  g_assert_cmpint (redis_int (s, "XLEN %s", stream), ==, 0);     /* and nothing left */
  return sum;
}

static long long
processed (RedisServer *s, const char *prefix)
{
  g_autofree char *key = g_strdup_printf ("%s:processed", prefix);
  return redis_int (s, "GET %s", key);
}

static void
test_split (void)
{
  RedisServer s;

  if (!redis_server_start (&s))
    return;
  Counts c = run (&s, "split", 0, "0");
  g_assert_cmpint (c.in, ==, N);
  g_assert_cmpint (c.redelivered, ==, 0);
  g_assert_cmpint (processed (&s, "split"), ==, N);
  redis_server_stop (&s);
}

static void
test_kill (void)
{
  RedisServer s;

  if (!redis_server_start (&s))
    return;
  Counts c = run (&s, "kill", SIGKILL, "1000");
  long long p = processed (&s, "kill");
  g_test_message ("kill -9: %d items, %lld processed, %" G_GINT64_FORMAT " redelivered", N, p,
                  c.redelivered);
  g_assert_cmpint (c.redelivered, >, 0);    /* the dead one's entries were taken over */
  g_assert_cmpint (p, >=, N);
  g_assert_cmpint (p, <=, N + c.redelivered);
  redis_server_stop (&s);
}

static void
test_drain (void)
{
  RedisServer s;

  if (!redis_server_start (&s))
    return;
  Counts c = run (&s, "drain", SIGTERM, "1000");
  long long p = processed (&s, "drain");
  g_test_message ("drain: %d items, %lld processed, %" G_GINT64_FORMAT " redelivered", N, p,
                  c.redelivered);
  g_assert_cmpint (p, >=, N);
  g_assert_cmpint (p, <=, N + c.redelivered);
  redis_server_stop (&s);
}

static void
test_broker_gone (void)
{
  RedisServer s;

  if (!redis_server_start (&s))
    return;
  Proc src = spawn (&s, "src", "gone", "w", "0");
  Proc count = spawn (&s, "count", "gone", "c0", "2000");
  g_usleep (300000);
  redis_server_kill (&s);
  Proc *procs[] = { &src, &count };
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *err = NULL;
      int status = finish (procs[i], NULL, &err);
      g_assert_true (WIFEXITED (status));
      if (i == 1 || WEXITSTATUS (status) != 0)   /* the writer may have finished in time */
        {
          /* The transport's connection or the stage's own, whichever
           * notices first: either way a clear error naming Redis. */
          if (WEXITSTATUS (status) != 1 || !strstr (err, "Redis"))
            g_error ("process %u: status %d, stderr: %s", i, WEXITSTATUS (status), err);
        }
    }
  redis_server_stop (&s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/procs/split", test_split);
  g_test_add_func ("/procs/kill", test_kill);
  g_test_add_func ("/procs/drain", test_drain);
  g_test_add_func ("/procs/broker-gone", test_broker_gone);
  return g_test_run ();
}
