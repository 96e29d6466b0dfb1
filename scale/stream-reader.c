/* stream-reader.c — one consumer of a stream's consumer group.
 *
 * A read first claims entries left pending on consumers idle for the
 * claim time (XAUTOCLAIM: a consumer that died; they come back marked
 * redelivered), and only when there are none asks for new entries with
 * `XREADGROUP ... COUNT n BLOCK ms` on a connection of the reader's own
 * (a blocking read holds its connection).  Acknowledgements are batched:
 * one XACK and one XDEL for everything acknowledged in the last ACK_MS
 * (or before the next read, whichever comes first) — soon, so that an
 * entry handled is not taken for one whose consumer died while this one
 * waits in a blocking read (deleting keeps the stream's length that of
 * what is unhandled, which is what bounds the writers).  The group is created with the stream if
 * missing, from the stream's first entry, before the first read goes out.
 */
#include <string.h>

#include <hiredis/hiredis.h>

#include "dfscale.h"

#define DEFAULT_CLAIM_IDLE_MS 30000
#define ACK_MS 5

struct _DfStreamReader {
  gint                 refs;
  gboolean             freed;
  DfRedis             *redis;         /* borrowed: acks, claims, the group */
  DfRedis             *reads;         /* our own: XREADGROUP BLOCK */
  char                *stream;
  char                *group;
  char                *consumer;
  DfStreamEntriesFunc  entries;
  gpointer             entries_data;
  guint                claim_idle_ms;
  gboolean             group_ready;
  GError              *group_error;
  gboolean             reading;
  guint                want_count;    /* a read asked for before the group */
  guint                want_block;
  gboolean             wanted;
  GPtrArray           *acks;          /* char *: not sent yet */
  GSource             *ack_timer;     /* sends them */
  GMainContext        *context;
  gint64               last_claim;    /* monotonic µs */
  guint                acks_out;      /* sent, not answered */
};

static void
reader_unref (DfStreamReader *r)
{
  if (--r->refs > 0)
    return;
  g_clear_error (&r->group_error);
  g_ptr_array_unref (r->acks);
  g_main_context_unref (r->context);
  g_free (r->stream);
  g_free (r->group);
  g_free (r->consumer);
  g_free (r);
}

/* --------------------------------------------------------------- entries */

/* Calls the entries callback with the [id, [name, value, ...]] pairs of
 * @list (entries whose fields are nil were deleted: skipped). */
static void
deliver (DfStreamReader *r, const redisReply *list, gboolean redelivered)
{
  guint n = 0, total = 0;

  for (size_t i = 0; list && i < list->elements; i++)
    {
      const redisReply *e = list->element[i];
      if (e->type == REDIS_REPLY_ARRAY && e->elements == 2
          && e->element[1]->type == REDIS_REPLY_ARRAY)
        total += (guint) e->element[1]->elements / 2;
    }
  g_autofree DfStreamEntry *entries = g_new0 (DfStreamEntry, list ? list->elements : 1);
  g_autofree const char **names = g_new (const char *, MAX (total, 1));
  g_autofree const char **values = g_new (const char *, MAX (total, 1));
  g_autofree gsize *lens = g_new (gsize, MAX (total, 1));
  guint at = 0;

  for (size_t i = 0; list && i < list->elements; i++)
    {
      const redisReply *e = list->element[i];
      if (e->type != REDIS_REPLY_ARRAY || e->elements != 2
          || e->element[0]->type != REDIS_REPLY_STRING
          || e->element[1]->type != REDIS_REPLY_ARRAY)
        continue;
      const redisReply *f = e->element[1];
      DfStreamEntry *entry = &entries[n++];
      entry->id = e->element[0]->str;
      entry->redelivered = redelivered;
      entry->fields.n_fields = (guint) f->elements / 2;
      entry->fields.names = names + at;
      entry->fields.values = values + at;
      entry->fields.lens = lens + at;
      for (size_t k = 0; k + 1 < f->elements; k += 2, at++)
        {
          names[at] = f->element[k]->str;
          values[at] = f->element[k + 1]->str;
          lens[at] = f->element[k + 1]->len;
        }
    }
  r->entries (r, entries, n, NULL, r->entries_data);
}

static void
read_failed (DfStreamReader *r, const GError *error)
{
  r->entries (r, NULL, 0, error, r->entries_data);
}

static void
on_read (DfRedis *redis, DfRedisReply *reply, const GError *error, gpointer data)
{
  DfStreamReader *r = data;

  r->reading = FALSE;
  if (r->freed)
    ;
  else if (error)
    read_failed (r, error);
  else if (reply->type == REDIS_REPLY_NIL)
    deliver (r, NULL, FALSE);     /* the block timed out: no entry */
  else if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 1
           && reply->element[0]->type == REDIS_REPLY_ARRAY
           && reply->element[0]->elements == 2)
    deliver (r, reply->element[0]->element[1], FALSE);
  else
    {
      g_autoptr (GError) shape = g_error_new (DF_REDIS_ERROR, DF_REDIS_ERROR_PROTOCOL,
                                              "XREADGROUP on '%s' answered an unexpected reply",
                                              r->stream);
      read_failed (r, shape);
    }
  reader_unref (r);
}

static void
read_new (DfStreamReader *r, guint count, guint block_ms)
{
  g_autofree char *c = g_strdup_printf ("%u", count);
  g_autofree char *b = g_strdup_printf ("%u", block_ms);
  const char *argv[] = { "XREADGROUP", "GROUP", r->group, r->consumer, "COUNT", c, "BLOCK", b,
                         "STREAMS", r->stream, ">" };

  r->refs++;
  df_redis_command (r->reads, G_N_ELEMENTS (argv), argv, NULL, on_read, r);
}

typedef struct {
  DfStreamReader *reader;
  guint           count;
  guint           block_ms;
} Claim;

/* XAUTOCLAIM's answer: [next id, [entries], (7.0:) [deleted ids]]. */
static void
on_claimed (DfRedis *redis, DfRedisReply *reply, const GError *error, gpointer data)
{
  Claim *c = data;
  DfStreamReader *r = c->reader;

  if (r->freed)
    r->reading = FALSE;
  else if (error)
    {
      r->reading = FALSE;
      read_failed (r, error);
    }
  else if (reply->type == REDIS_REPLY_ARRAY && reply->elements >= 2
           && reply->element[1]->type == REDIS_REPLY_ARRAY && reply->element[1]->elements > 0)
    {
      r->reading = FALSE;
      deliver (r, reply->element[1], TRUE);
    }
  else
    read_new (r, c->count, c->block_ms);    /* nothing to claim */
  g_free (c);
  reader_unref (r);
}

/* ------------------------------------------------------------------ acks */

typedef struct {
  DfStreamReader *reader;
  guint           n;
} AckBatch;

static void
on_acked (DfRedis *redis, DfRedisReply *reply, const GError *error, gpointer data)
{
  /* A failed acknowledgement leaves the entry pending: it is claimed and
   * handled again (at least once). */
  reader_unref (data);
}

/* The XDEL, sent after the XACK on the same connection, answers last. */
static void
on_deleted (DfRedis *redis, DfRedisReply *reply, const GError *error, gpointer data)
{
  AckBatch *b = data;

  b->reader->acks_out -= b->n;
  reader_unref (b->reader);
  g_free (b);
}

void
df_stream_reader_flush (DfStreamReader *r)
{
  guint n = r->acks->len;

  if (r->ack_timer)
    {
      g_source_destroy (r->ack_timer);
      g_clear_pointer (&r->ack_timer, g_source_unref);
    }
  if (n == 0)
    return;
  g_autofree const char **ack = g_new (const char *, n + 3);
  g_autofree const char **del = g_new (const char *, n + 2);
  ack[0] = "XACK";
  ack[1] = r->stream;
  ack[2] = r->group;
  del[0] = "XDEL";
  del[1] = r->stream;
  for (guint i = 0; i < n; i++)
    ack[3 + i] = del[2 + i] = r->acks->pdata[i];
  AckBatch *b = g_new (AckBatch, 1);
  *b = (AckBatch) { r, n };
  r->acks_out += n;
  r->refs += 2;
  df_redis_command (r->redis, n + 3, ack, NULL, on_acked, r);
  df_redis_command (r->redis, n + 2, del, NULL, on_deleted, b);
  g_ptr_array_set_size (r->acks, 0);
}

/* ------------------------------------------------------------- the group */

static void
start_read (DfStreamReader *r, guint count, guint block_ms)
{
  if (r->group_error)
    {
      read_failed (r, r->group_error);
      return;
    }
  r->reading = TRUE;
  df_stream_reader_flush (r);
  /* Claims are for consumers that died: a look every quarter of the idle
   * time is soon enough, and spares a round trip per read. */
  gint64 now = g_get_monotonic_time ();
  if (now - r->last_claim < (gint64) r->claim_idle_ms * 250)
    {
      read_new (r, count, block_ms);
      return;
    }
  r->last_claim = now;
  g_autofree char *idle = g_strdup_printf ("%u", r->claim_idle_ms);
  g_autofree char *c = g_strdup_printf ("%u", count);
  const char *argv[] = { "XAUTOCLAIM", r->stream, r->group, r->consumer, idle, "0-0",
                         "COUNT", c };
  Claim *claim = g_new (Claim, 1);
  *claim = (Claim) { r, count, block_ms };
  r->refs++;
  df_redis_command (r->redis, G_N_ELEMENTS (argv), argv, NULL, on_claimed, claim);
}

static void
on_group (DfRedis *redis, DfRedisReply *reply, const GError *error, gpointer data)
{
  DfStreamReader *r = data;

  /* BUSYGROUP: another consumer made it first. */
  if (error && !strstr (error->message, "BUSYGROUP"))
    r->group_error = g_error_copy (error);
  r->group_ready = TRUE;
  if (!r->freed && r->wanted)
    {
      r->wanted = FALSE;
      r->reading = FALSE;
      start_read (r, r->want_count, r->want_block);
    }
  reader_unref (r);
}

DfStreamReader *
df_stream_reader_new (DfRedis *redis, const char *stream, const char *group,
                      const char *consumer, DfStreamEntriesFunc entries, gpointer user_data)
{
  g_return_val_if_fail (redis && stream && group && consumer && entries, NULL);

  DfStreamReader *r = g_new0 (DfStreamReader, 1);
  r->refs = 1;
  r->redis = redis;
  r->reads = df_redis_connect_like (redis, NULL, NULL);
  r->stream = g_strdup (stream);
  r->group = g_strdup (group);
  r->consumer = g_strdup (consumer);
  r->entries = entries;
  r->entries_data = user_data;
  r->claim_idle_ms = DEFAULT_CLAIM_IDLE_MS;
  r->acks = g_ptr_array_new_with_free_func (g_free);
  r->context = g_main_context_ref_thread_default ();
  r->refs++;
  df_redis_command (redis, 6,
                    (const char *[]) { "XGROUP", "CREATE", stream, group, "0", "MKSTREAM" },
                    NULL, on_group, r);
  return r;
}

void
df_stream_reader_read (DfStreamReader *r, guint count, guint block_ms)
{
  g_return_if_fail (r != NULL && count > 0 && !r->reading);

  if (!r->group_ready)
    {
      r->reading = TRUE;
      r->wanted = TRUE;
      r->want_count = count;
      r->want_block = block_ms;
      return;
    }
  start_read (r, count, block_ms);
}

void
df_stream_reader_set_claim_idle (DfStreamReader *r, guint idle_ms)
{
  r->claim_idle_ms = idle_ms;
}

static gboolean
ack_timer_fired (gpointer data)
{
  DfStreamReader *r = data;

  g_clear_pointer (&r->ack_timer, g_source_unref);
  df_stream_reader_flush (r);
  return G_SOURCE_REMOVE;
}

void
df_stream_reader_ack (DfStreamReader *r, const char *id)
{
  g_ptr_array_add (r->acks, g_strdup (id));
  if (r->ack_timer == NULL)
    {
      r->ack_timer = g_timeout_source_new (ACK_MS);
      g_source_set_callback (r->ack_timer, ack_timer_fired, r, NULL);
      g_source_attach (r->ack_timer, r->context);
    }
}

guint
df_stream_reader_acks_pending (DfStreamReader *r)
{
  return r->acks->len + r->acks_out;
}

void
df_stream_reader_free (DfStreamReader *r)
{
  if (r == NULL)
    return;
  df_stream_reader_flush (r);     /* what was handled is acknowledged */
  r->freed = TRUE;
  /* A blocking read in flight ends with its connection. */
  g_clear_pointer (&r->reads, df_redis_free);
  reader_unref (r);
}
