/* redis-conn.c — one connection to a Redis server on a GMainContext.
 *
 * hiredis's asynchronous API does the protocol; redis-source.c turns the
 * socket into a GSource on our context.  What this file adds is the rule
 * the rest relies on: every command's callback runs exactly once, with
 * the reply or with the error that ended it (a refused or timed-out
 * connect, a connection that failed, df_redis_free ()), and never inside
 * df_redis_command () itself.
 *
 * hiredis frees its context itself after a failure (after the disconnect
 * callback returns) and calls every pending callback with a NULL reply
 * first; df_redis_free () goes through the same path with
 * redisAsyncFree ().  Either way `ac` is NULL afterwards and commands fail
 * at once, from an idle source.
 */
#include <errno.h>
#include <string.h>

#include <hiredis/hiredis.h>
#include <hiredis/async.h>

#include "dfscale.h"
#include "redis-source.h"

/* A connect that has not succeeded after this long has failed. */
#define CONNECT_TIMEOUT_MS 5000

G_DEFINE_QUARK (df-redis-error-quark, df_redis_error)

struct _DfRedis {
  gint              refs;       /* the owner's, and one per command out */
  GMainContext     *context;
  redisAsyncContext *ac;        /* NULL once closed or failed */
  GSource          *source;     /* redis-source.c's, on our context */
  GSource          *timeout;    /* while connecting */
  char             *address;    /* "HOST:PORT", for messages */
  DfRedisStateFunc  state;
  gpointer          state_data;
  GError           *failure;    /* why the connection ended */
  guint             pending;
  gboolean          connected;
};

typedef struct {
  DfRedis          *redis;
  DfRedisReplyFunc  func;
  gpointer          data;
  GError           *error;      /* a command failed before it was sent */
} Pending;

static void
redis_failed (DfRedis *r, GError *error)
{
  if (r->failure == NULL)
    r->failure = error;
  else
    g_error_free (error);
}

static void
redis_drop_source (DfRedis *r)
{
  if (r->timeout)
    {
      g_source_destroy (r->timeout);
      g_clear_pointer (&r->timeout, g_source_unref);
    }
  if (r->source)
    {
      g_source_destroy (r->source);
      g_clear_pointer (&r->source, g_source_unref);
    }
}

static void
on_connect (const redisAsyncContext *ac, int status)
{
  DfRedis *r = ac->data;

  if (r->timeout)
    {
      g_source_destroy (r->timeout);
      g_clear_pointer (&r->timeout, g_source_unref);
    }
  if (status == REDIS_OK)
    {
      r->connected = TRUE;
      if (r->state)
        r->state (r, NULL, r->state_data);
      return;
    }
  /* hiredis frees the context after this callback. */
  r->ac = NULL;
  redis_failed (r, g_error_new (DF_REDIS_ERROR, DF_REDIS_ERROR_CONNECT,
                                "cannot connect to Redis at %s: %s", r->address,
                                ac->errstr[0] ? ac->errstr : "connection refused"));
  if (r->state)
    r->state (r, r->failure, r->state_data);
}

static void
on_disconnect (const redisAsyncContext *ac, int status)
{
  DfRedis *r = ac->data;

  r->ac = NULL;
  r->connected = FALSE;
  if (status == REDIS_OK)
    return;     /* df_redis_free () */
  redis_failed (r, g_error_new (DF_REDIS_ERROR, DF_REDIS_ERROR_CLOSED,
                                "the connection to Redis at %s failed: %s", r->address,
                                ac->errstr[0] ? ac->errstr : "closed by the server"));
  if (r->state)
    r->state (r, r->failure, r->state_data);
}

static gboolean
connect_timed_out (gpointer data)
{
  DfRedis *r = data;

  g_clear_pointer (&r->timeout, g_source_unref);
  redis_failed (r, g_error_new (DF_REDIS_ERROR, DF_REDIS_ERROR_CONNECT,
                                "cannot connect to Redis at %s: no answer in %d s",
                                r->address, CONNECT_TIMEOUT_MS / 1000));
  if (r->ac)
    {
      redisAsyncContext *ac = r->ac;
      r->ac = NULL;
      redisAsyncFree (ac);    /* pending commands get the failure */
    }
  if (r->state)
    r->state (r, r->failure, r->state_data);
  return G_SOURCE_REMOVE;
}

DfRedis *
df_redis_connect (GMainContext *context, const char *host, guint16 port,
                  DfRedisStateFunc state, gpointer user_data)
{
  g_return_val_if_fail (host != NULL, NULL);

  DfRedis *r = g_new0 (DfRedis, 1);
  r->refs = 1;
  r->context = context ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  r->address = g_strdup_printf ("%s:%u", host, port);
  r->state = state;
  r->state_data = user_data;

  redisAsyncContext *ac = redisAsyncConnect (host, port);
  if (ac == NULL || ac->err)
    {
      /* Fails before any I/O (out of memory, a bad address): reported
       * from the context like every other failure. */
      redis_failed (r, g_error_new (DF_REDIS_ERROR, DF_REDIS_ERROR_CONNECT,
                                    "cannot connect to Redis at %s: %s", r->address,
                                    ac ? ac->errstr : g_strerror (ENOMEM)));
      if (ac)
        redisAsyncFree (ac);
      return r;
    }
  ac->data = r;
  r->ac = ac;
  redisAsyncSetConnectCallback (ac, on_connect);
  redisAsyncSetDisconnectCallback (ac, on_disconnect);
  r->source = df_redis_source_new (ac);
  g_source_attach (r->source, r->context);
  /* The connect completes when the socket is writable, which hiredis
   * only asks for with the first command: ask now, so that the state
   * callback comes without one. */
  df_redis_source_want_write (r->source);
  r->timeout = g_timeout_source_new (CONNECT_TIMEOUT_MS);
  g_source_set_callback (r->timeout, connect_timed_out, r, NULL);
  g_source_attach (r->timeout, r->context);
  return r;
}

static void
redis_unref (DfRedis *r)
{
  if (--r->refs > 0)
    return;
  g_clear_error (&r->failure);
  g_main_context_unref (r->context);
  g_free (r->address);
  g_free (r);
}

void
df_redis_free (DfRedis *redis)
{
  if (redis == NULL)
    return;
  redis->state = NULL;          /* closing is no failure to report */
  if (redis->ac)
    {
      redisAsyncContext *ac = redis->ac;
      redis->ac = NULL;
      redisAsyncFree (ac);      /* every pending callback: CLOSED */
    }
  redis_drop_source (redis);
  /* Commands given from those callbacks fail from the context later:
   * each holds a reference. */
  redis_unref (redis);
}

/* ---------------------------------------------------------------- replies */

static GError *
closed_error (DfRedis *r)
{
  if (r->failure)
    return g_error_copy (r->failure);
  return g_error_new (DF_REDIS_ERROR, DF_REDIS_ERROR_CLOSED,
                      "the connection to Redis at %s was closed", r->address);
}

static void
pending_finish (Pending *p, redisReply *reply)
{
  DfRedis *r = p->redis;
  g_autoptr (GError) error = p->error;

  r->pending--;
  if (error == NULL && reply == NULL)
    error = closed_error (r);
  else if (error == NULL && reply->type == REDIS_REPLY_ERROR)
    error = g_error_new (DF_REDIS_ERROR, DF_REDIS_ERROR_REPLY, "Redis at %s: %s", r->address,
                         reply->str);
  if (p->func)
    p->func (r, error ? NULL : reply, error, p->data);
  g_free (p);
  redis_unref (r);
}

static void
on_reply (redisAsyncContext *ac, void *reply, void *data)
{
  (void) ac;
  pending_finish (data, reply);
}

static gboolean
fail_later (gpointer data)
{
  pending_finish (data, NULL);
  return G_SOURCE_REMOVE;
}

void
df_redis_command (DfRedis *redis, guint argc, const char *const *argv, const gsize *lens,
                  DfRedisReplyFunc func, gpointer user_data)
{
  g_return_if_fail (redis != NULL && argc > 0 && argv != NULL);

  Pending *p = g_new0 (Pending, 1);
  p->redis = redis;
  p->func = func;
  p->data = user_data;
  redis->pending++;
  redis->refs++;

  size_t stack_lens[16];
  size_t *argvlen = argc <= G_N_ELEMENTS (stack_lens) ? stack_lens : g_new (size_t, argc);
  for (guint i = 0; i < argc; i++)
    argvlen[i] = lens ? lens[i] : strlen (argv[i]);
  if (redis->ac == NULL
      || redisAsyncCommandArgv (redis->ac, on_reply, p, (int) argc, (const char **) argv,
                                argvlen) != REDIS_OK)
    {
      p->error = closed_error (redis);
      GSource *idle = g_idle_source_new ();
      g_source_set_callback (idle, fail_later, p, NULL);
      g_source_attach (idle, redis->context);
      g_source_unref (idle);
    }
  if (argvlen != stack_lens)
    g_free (argvlen);
}

DfRedis *
df_redis_connect_like (DfRedis *redis, DfRedisStateFunc state, gpointer user_data)
{
  g_autofree char *host = NULL;
  guint16 port = 0;

  /* The address was valid when @redis was made. */
  if (!df_redis_parse_address (redis->address, &host, &port, NULL))
    g_return_val_if_reached (NULL);
  return df_redis_connect (redis->context, host, port, state, user_data);
}

const char *
df_redis_get_address (DfRedis *redis)
{
  return redis->address;
}

guint
df_redis_pending (DfRedis *redis)
{
  return redis->pending;
}

gboolean
df_redis_parse_address (const char *address, char **host, guint16 *port, GError **error)
{
  const char *colon = address ? strrchr (address, ':') : NULL;
  char *end = NULL;
  guint64 p = colon ? g_ascii_strtoull (colon + 1, &end, 10) : 0;

  if (colon == NULL || colon == address || end == colon + 1 || *end != '\0' || p == 0
      || p > 65535)
    {
      g_set_error (error, DF_REDIS_ERROR, DF_REDIS_ERROR_CONNECT,
                   "'%s' is no Redis address: give HOST:PORT (for example 127.0.0.1:6379)",
                   address ? address : "");
      return FALSE;
    }
  *host = g_strndup (address, (gsize) (colon - address));
  *port = (guint16) p;
  return TRUE;
}
