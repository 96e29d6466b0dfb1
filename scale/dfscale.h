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

/* Another connection to the same server (a stream reader's blocking reads
 * take one of their own). */
DfRedis *df_redis_connect_like (DfRedis *redis, DfRedisStateFunc state, gpointer user_data);
const char *df_redis_get_address (DfRedis *redis);

/* ---------------------------------------------------------------- entries */

/* An entry's fields, name and value pairs; values are binary-safe. */
typedef struct {
  guint               n_fields;
  const char *const  *names;
  const char *const  *values;
  const gsize        *lens;     /* of the values; NULL: strings */
} DfStreamFields;

/* ----------------------------------------------------------------- writer */

typedef struct _DfStreamWriter DfStreamWriter;

/* The entry is in the stream (@id its ID), or failed (@error). */
typedef void (*DfStreamAddedFunc) (DfStreamWriter *writer, const char *id, const GError *error,
                                   gpointer user_data);
/* The writer has room again after df_stream_writer_add () said it was full. */
typedef void (*DfStreamReadyFunc) (DfStreamWriter *writer, gpointer user_data);

/* Adds entries to @stream through @redis (borrowed, outlives the writer):
 * at most @max_in_flight XADDs unanswered (pipelined), and the stream's
 * length kept at most about @max_len: past it the writer is full until
 * the readers have taken entries off (it polls XLEN).  Nothing unread is
 * ever trimmed. */
DfStreamWriter *df_stream_writer_new   (DfRedis *redis, const char *stream, guint max_len,
                                        guint max_in_flight, DfStreamReadyFunc ready,
                                        gpointer user_data);
/* Sends the entry (copied); @added (nullable) gets its ID or its error.
 * Always sends; returns FALSE when the writer is full from now on: wait for
 * the ready callback before adding more. */
gboolean        df_stream_writer_add   (DfStreamWriter *writer, const DfStreamFields *fields,
                                        DfStreamAddedFunc added, gpointer user_data);
gboolean        df_stream_writer_is_full (DfStreamWriter *writer);
/* XADDs sent and not answered. */
guint           df_stream_writer_in_flight (DfStreamWriter *writer);
/* The entries' callbacks still come as the answers of XADDs still out
 * arrive, with a NULL writer. */
void            df_stream_writer_free  (DfStreamWriter *writer);

/* ----------------------------------------------------------------- reader */

typedef struct _DfStreamReader DfStreamReader;

typedef struct {
  const char     *id;
  DfStreamFields  fields;
  gboolean        redelivered;   /* claimed from a consumer that stopped */
} DfStreamEntry;

/* A batch of entries (borrowed for the call), or the error that ended a
 * read. */
typedef void (*DfStreamEntriesFunc) (DfStreamReader *reader, const DfStreamEntry *entries,
                                     guint n_entries, const GError *error, gpointer user_data);

/* Consumer @consumer of @group on @stream (the group is created, with the
 * stream, if missing: it then starts at the stream's first entry).  Reads
 * go through a connection of the reader's own, as `XREADGROUP ... BLOCK`;
 * acknowledgements and claims through @redis. */
DfStreamReader *df_stream_reader_new   (DfRedis *redis, const char *stream, const char *group,
                                        const char *consumer, DfStreamEntriesFunc entries,
                                        gpointer user_data);
/* Asks for up to @count entries: entries pending on consumers idle for
 * at least the claim time first (XAUTOCLAIM; redelivered), then new
 * ones, waiting up to @block_ms for them.  One read at a time: the
 * callback comes once per read (maybe with no entry). */
void            df_stream_reader_read  (DfStreamReader *reader, guint count, guint block_ms);
/* Entries pending longer than @idle_ms on their consumer are claimed
 * (default 30 s). */
void            df_stream_reader_set_claim_idle (DfStreamReader *reader, guint idle_ms);
/* The entry has been handled: acknowledged and deleted, in a batch sent
 * before the next read (or by df_stream_reader_flush). */
void            df_stream_reader_ack   (DfStreamReader *reader, const char *id);
void            df_stream_reader_flush (DfStreamReader *reader);
/* Acknowledgements not yet sent, or sent and not yet answered. */
guint           df_stream_reader_acks_pending (DfStreamReader *reader);
void            df_stream_reader_free  (DfStreamReader *reader);

G_END_DECLS
