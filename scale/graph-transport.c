/* graph-transport.c — dfrt's DfGraphTransport on Redis streams.
 *
 * Each remote node has one stream, PREFIX.GRAPH.NODE, read by the
 * consumer group NODE; this process writes into it when a node here
 * feeds it and reads from it when the node runs here.
 *
 * The end of input travels through Redis too: a writer counts itself in
 * the hash STREAM:writers (`open` and `started`) when it opens, and out
 * when it ends, on the same connection as its XADDs, so after them.  A
 * reader whose read found nothing checks: once some writer has started,
 * none is open, and the stream is empty (every entry is deleted once
 * handled, so empty also means nothing pending on any consumer), the
 * node's input has ended.  Acknowledged entries are deleted, which keeps
 * the stream's length that of the work left, and bounds the writers.
 */
#include <string.h>

#include <hiredis/hiredis.h>

#include "dfscale.h"
#include "dfscale-graph.h"

/* A read waits this long for new entries before checking for the end. */
#define READ_BLOCK_MS 200
/* In-flight XADDs per stream. */
#define MAX_IN_FLIGHT 256

struct _DfScaleTransport {
  DfRedis *redis;
  char    *prefix;
  char    *consumer;
  guint    claim_idle_ms;
};

typedef struct {
  DfScaleTransport *t;
  DfGraph          *graph;
  guint             node;
  char             *name;        /* the stream */
  char             *writers;     /* its writers' hash */
  DfStreamWriter   *writer;
  DfStreamReader   *reader;
  gboolean          wrote;       /* end_writing sent */
  gboolean          checking;    /* an end check is out */
  gboolean          closed;
  gint              refs;
} Stream;

static void
stream_unref (Stream *s)
{
  if (--s->refs > 0)
    return;
  g_free (s->name);
  g_free (s->writers);
  g_free (s);
}

/* ------------------------------------------------------------- writing */

static void
on_room (DfStreamWriter *w, gpointer data)
{
  Stream *s = data;
  df_graph_remote_room (s->graph, s->node);
}

static void
on_added (DfStreamWriter *w, const char *id, const GError *error, gpointer data)
{
  Stream *s = data;

  /* A lost XADD is the graph's failure: nothing is silently dropped. */
  if (error && !s->closed)
    df_graph_remote_ended (s->graph, s->node, error);
  stream_unref (s);
}

static gboolean
t_send (gpointer data, gpointer stream, const DfFields *fields)
{
  Stream *s = stream;
  DfStreamFields f = { fields->n_fields, fields->names, fields->values, fields->lens };

  s->refs++;
  return df_stream_writer_add (s->writer, &f, on_added, s);
}

static void
t_end_writing (gpointer data, gpointer stream)
{
  Stream *s = stream;

  s->wrote = TRUE;
  df_redis_command (s->t->redis, 4,
                    (const char *[]) { "HINCRBY", s->writers, "open", "-1" }, NULL, NULL, NULL);
}

/* -------------------------------------------------------------- reading */

static void
on_end_check (DfRedis *redis, DfRedisReply *reply, const GError *error, gpointer data)
{
  Stream *s = data;

  s->checking = FALSE;
  if (s->closed)
    ;
  else if (error)
    df_graph_remote_ended (s->graph, s->node, error);
  else
    {
      /* MULTI/EXEC: [HMGET open started, XLEN]. */
      gboolean ended = FALSE;
      if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 2
          && reply->element[0]->type == REDIS_REPLY_ARRAY
          && reply->element[0]->elements == 2
          && reply->element[1]->type == REDIS_REPLY_INTEGER)
        {
          redisReply *open = reply->element[0]->element[0];
          redisReply *started = reply->element[0]->element[1];
          gint64 n_open = open->type == REDIS_REPLY_STRING ? g_ascii_strtoll (open->str, NULL, 10) : 0;
          gint64 n_started = started->type == REDIS_REPLY_STRING
                             ? g_ascii_strtoll (started->str, NULL, 10) : 0;
          ended = n_started > 0 && n_open <= 0 && reply->element[1]->integer == 0;
        }
      if (ended)
        df_graph_remote_ended (s->graph, s->node, NULL);
      else
        df_graph_remote_pushed (s->graph, s->node);
    }
  stream_unref (s);
}

/* Read together, so that the answer is of one moment. */
static void
check_end (Stream *s)
{
  DfRedis *r = s->t->redis;

  s->checking = TRUE;
  s->refs++;
  df_redis_command (r, 1, (const char *[]) { "MULTI" }, NULL, NULL, NULL);
  df_redis_command (r, 4, (const char *[]) { "HMGET", s->writers, "open", "started" }, NULL,
                    NULL, NULL);
  df_redis_command (r, 2, (const char *[]) { "XLEN", s->name }, NULL, NULL, NULL);
  df_redis_command (r, 1, (const char *[]) { "EXEC" }, NULL, on_end_check, s);
}

static void
on_entries (DfStreamReader *reader, const DfStreamEntry *entries, guint n, const GError *error,
            gpointer data)
{
  Stream *s = data;

  if (s->closed)
    return;
  if (error)
    {
      df_graph_remote_ended (s->graph, s->node, error);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      DfFields f = { entries[i].fields.n_fields, entries[i].fields.names,
                     entries[i].fields.values, entries[i].fields.lens };
      df_graph_remote_push (s->graph, s->node, &f, g_strdup (entries[i].id),
                            entries[i].redelivered);
    }
  if (n == 0)
    check_end (s);
  else
    df_graph_remote_pushed (s->graph, s->node);
}

static void
t_want (gpointer data, gpointer stream, guint n)
{
  Stream *s = stream;
  df_stream_reader_read (s->reader, MIN (n, 1000), READ_BLOCK_MS);
}

static void
t_done (gpointer data, gpointer stream, gpointer token, gboolean handled)
{
  Stream *s = stream;

  /* Not handled: left pending, another consumer claims it. */
  if (handled && s->reader)
    df_stream_reader_ack (s->reader, token);
  g_free (token);
}

/* ------------------------------------------------------------ open, close */

static gpointer
t_open (gpointer data, DfGraph *graph, guint node, gboolean write, gboolean read,
        GError **error)
{
  DfScaleTransport *t = data;
  Stream *s = g_new0 (Stream, 1);
  const char *node_name = df_graph_get_node_name (graph, node);

  s->refs = 1;
  s->t = t;
  s->graph = graph;
  s->node = node;
  s->name = g_strdup_printf ("%s.%s.%s", t->prefix, df_graph_get_name (graph), node_name);
  s->writers = g_strdup_printf ("%s:writers", s->name);
  if (write)
    {
      /* The node's queue bounds its stream. */
      s->writer = df_stream_writer_new (t->redis, s->name, 10000, MAX_IN_FLIGHT, on_room, s);
      df_redis_command (t->redis, 4, (const char *[]) { "HINCRBY", s->writers, "open", "1" },
                        NULL, NULL, NULL);
      df_redis_command (t->redis, 4,
                        (const char *[]) { "HINCRBY", s->writers, "started", "1" }, NULL,
                        NULL, NULL);
    }
  if (read)
    {
      s->reader = df_stream_reader_new (t->redis, s->name, node_name, t->consumer, on_entries,
                                        s);
      df_stream_reader_set_claim_idle (s->reader, t->claim_idle_ms);
    }
  return s;
}

static void
t_close (gpointer data, gpointer stream)
{
  Stream *s = stream;

  s->closed = TRUE;
  if (s->writer && !s->wrote)
    t_end_writing (data, s);
  g_clear_pointer (&s->reader, df_stream_reader_free);    /* flushes the acks */
  g_clear_pointer (&s->writer, df_stream_writer_free);
  stream_unref (s);
}

static const DfGraphTransport transport = {
  .open = t_open,
  .send = t_send,
  .want = t_want,
  .done = t_done,
  .end_writing = t_end_writing,
  .close = t_close,
};

DfScaleTransport *
df_scale_transport_new (DfRedis *redis, const char *prefix, const char *consumer)
{
  DfScaleTransport *t = g_new0 (DfScaleTransport, 1);

  t->redis = redis;
  t->prefix = g_strdup (prefix);
  t->consumer = g_strdup (consumer);
  t->claim_idle_ms = 30000;
  return t;
}

void
df_scale_transport_set_claim_idle (DfScaleTransport *t, guint idle_ms)
{
  t->claim_idle_ms = idle_ms;
}

void
df_scale_transport_attach (DfScaleTransport *t, DfGraph *graph)
{
  df_graph_set_transport (graph, &transport, t);
}

void
df_scale_transport_free (DfScaleTransport *t)
{
  if (t == NULL)
    return;
  g_free (t->prefix);
  g_free (t->consumer);
  g_free (t);
}
