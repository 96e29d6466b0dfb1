/* dfscale.h — graphs across processes on Redis Streams (docs/scale-out.md).
 *
 * The pieces a generated program uses to run some of a graph's nodes in
 * this process and pass items to the others through Redis streams:
 *
 *   - DfRedis: one connection to a Redis server, driven by a GMainContext
 *     (hiredis's asynchronous API); every command's reply, or the error
 *     that ended it, reaches its callback exactly once.
 *   - DfStreamWriter: items into a stream, pipelined, with the stream's
 *     length bounded (the writer waits; nothing unread is trimmed).
 *   - DfStreamReader: a consumer of a stream's consumer group: entries in
 *     batches, acknowledged (and deleted) once handled; entries left
 *     pending by a consumer that died are claimed after an idle time.
 *
 * Everything runs on the thread that runs the context.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DF_REDIS_ERROR (df_redis_error_quark ())
GQuark df_redis_error_quark (void);

typedef enum {
  DF_REDIS_ERROR_CONNECT,     /* could not connect, or the connection failed */
  DF_REDIS_ERROR_CLOSED,      /* the connection ended before the reply */
  DF_REDIS_ERROR_REPLY,       /* the server answered with an error */
  DF_REDIS_ERROR_PROTOCOL,    /* a reply of a shape the caller did not expect */
} DfRedisError;

/* ------------------------------------------------------------ connection */

typedef struct _DfRedis DfRedis;

/* A reply as the caller sees it: hiredis's, borrowed for the call. */
typedef struct redisReply DfRedisReply;

/* The reply to one command, or (@reply NULL) the error that ended it. */
typedef void (*DfRedisReplyFunc) (DfRedis *redis, DfRedisReply *reply, const GError *error,
                                  gpointer user_data);
/* The connection is up (@error NULL) or could not be made or has failed. */
typedef void (*DfRedisStateFunc) (DfRedis *redis, const GError *error, gpointer user_data);

/* Starts connecting to HOST:PORT on @context (NULL: the default one);
 * @state is told once the connection is up or has failed, and again if it
 * fails later.  Commands given before it is up are sent once it is. */
DfRedis *df_redis_connect     (GMainContext *context, const char *host, guint16 port,
                               DfRedisStateFunc state, gpointer user_data);
/* Closes the connection at once: pending commands get DF_REDIS_ERROR_CLOSED. */
void     df_redis_free        (DfRedis *redis);
/* Sends a command (@argv: @argc arguments, @lens their lengths or NULL for
 * strings); @func (nullable) gets its reply.  After a failure of the
 * connection, @func gets the error at once (from the context, not inside
 * this call). */
void     df_redis_command     (DfRedis *redis, guint argc, const char *const *argv,
                               const gsize *lens, DfRedisReplyFunc func, gpointer user_data);
/* Commands sent and not answered yet. */
guint    df_redis_pending     (DfRedis *redis);
/* "HOST:PORT" into its parts; FALSE with @error when it is not one. */
gboolean df_redis_parse_address (const char *address, char **host, guint16 *port,
                                 GError **error);

G_END_DECLS
