/* stream-writer.c — entries into a Redis stream, pipelined and bounded.
 *
 * Each entry is one `XADD STREAM * name value ...` sent at once (hiredis
 * pipelines them on the connection); at most max_in_flight wait for
 * their answer.  The stream's length is bounded without trimming: every
 * max_len / 4 entries the writer asks XLEN along with its XADDs, and once
 * the answer (plus what it added since) reaches max_len it is full —
 * df_stream_writer_add () says so — and polls XLEN every POLL_MS until
 * the readers have taken entries off (they delete what they
 * acknowledge), then calls the ready callback.
 *
 * Commands still out hold a reference: after df_stream_writer_free ()
 * their answers still reach the entries' callbacks (with a NULL writer).
 */
#include <string.h>

#include <hiredis/hiredis.h>

#include "dfscale.h"

#define POLL_MS 5

struct _DfStreamWriter {
  gint               refs;
  gboolean           freed;
  DfRedis           *redis;
  char              *stream;
  guint              max_len;
  guint              max_in_flight;
  DfStreamReadyFunc  ready;
  gpointer           ready_data;
  guint              in_flight;
  guint              since_len;    /* XADDs sent since XLEN was asked */
  gint64             length;       /* the last XLEN answer, plus XADDs since */
  gboolean           asking_len;
  gboolean           full;
  GSource           *poll;
  GMainContext      *context;
};

typedef struct {
  DfStreamWriter    *writer;
  DfStreamAddedFunc  added;
  gpointer           data;
} Add;

static void
writer_unref (DfStreamWriter *w)
{
  if (--w->refs > 0)
    return;
  g_main_context_unref (w->context);
  g_free (w->stream);
  g_free (w);
}

static gboolean
writer_over (DfStreamWriter *w)
{
  return w->in_flight >= w->max_in_flight || w->length >= (gint64) w->max_len;
}

static void
writer_maybe_ready (DfStreamWriter *w)
{
  if (w->freed || !w->full || writer_over (w))
    return;
  w->full = FALSE;
  if (w->ready)
    w->ready (w, w->ready_data);
}

static void writer_ask_len (DfStreamWriter *w);

static gboolean
poll_len (gpointer data)
{
  DfStreamWriter *w = data;

  g_clear_pointer (&w->poll, g_source_unref);
  writer_ask_len (w);
  return G_SOURCE_REMOVE;
}

static void
on_len (DfRedis *redis, DfRedisReply *reply, const GError *error, gpointer data)
{
  DfStreamWriter *w = data;

  w->asking_len = FALSE;
  if (!w->freed && reply != NULL && reply->type == REDIS_REPLY_INTEGER)
    {
      /* XADDs answered after the XLEN was asked are counted in it; those
       * still out are not, but in_flight bounds them. */
      w->length = reply->integer;
      if (w->full && w->length >= (gint64) w->max_len && w->poll == NULL)
        {
          w->poll = g_timeout_source_new (POLL_MS);
          g_source_set_callback (w->poll, poll_len, w, NULL);
          g_source_attach (w->poll, w->context);
        }
      writer_maybe_ready (w);
    }
  /* (An error here shows in the XADDs' answers too.) */
  writer_unref (w);
}

static void
writer_ask_len (DfStreamWriter *w)
{
  if (w->asking_len || w->freed)
    return;
  w->asking_len = TRUE;
  w->since_len = 0;
  w->refs++;
  df_redis_command (w->redis, 2, (const char *[]) { "XLEN", w->stream }, NULL, on_len, w);
}

static void
on_added (DfRedis *redis, DfRedisReply *reply, const GError *error, gpointer data)
{
  Add *a = data;
  DfStreamWriter *w = a->writer;
  g_autoptr (GError) shape = NULL;

  if (reply != NULL && reply->type != REDIS_REPLY_STRING)
    {
      shape = g_error_new (DF_REDIS_ERROR, DF_REDIS_ERROR_PROTOCOL,
                           "XADD to '%s' answered no entry ID", w->stream);
      error = shape;
    }
  w->in_flight--;
  if (a->added)
    a->added (w->freed ? NULL : w, error ? NULL : reply->str, error, a->data);
  g_free (a);
  writer_maybe_ready (w);
  writer_unref (w);
}

DfStreamWriter *
df_stream_writer_new (DfRedis *redis, const char *stream, guint max_len, guint max_in_flight,
                      DfStreamReadyFunc ready, gpointer user_data)
{
  g_return_val_if_fail (redis != NULL && stream != NULL && max_len > 0 && max_in_flight > 0,
                        NULL);

  DfStreamWriter *w = g_new0 (DfStreamWriter, 1);
  w->refs = 1;
  w->redis = redis;
  w->stream = g_strdup (stream);
  w->max_len = max_len;
  w->max_in_flight = max_in_flight;
  w->ready = ready;
  w->ready_data = user_data;
  w->context = g_main_context_ref_thread_default ();
  return w;
}

gboolean
df_stream_writer_add (DfStreamWriter *w, const DfStreamFields *fields, DfStreamAddedFunc added,
                      gpointer user_data)
{
  g_return_val_if_fail (w != NULL && fields != NULL, FALSE);

  guint argc = 3 + 2 * fields->n_fields;
  g_autofree const char **argv = g_new (const char *, argc);
  g_autofree gsize *lens = g_new (gsize, argc);

  argv[0] = "XADD";
  argv[1] = w->stream;
  argv[2] = "*";
  for (guint i = 0; i < 3; i++)
    lens[i] = strlen (argv[i]);
  for (guint i = 0; i < fields->n_fields; i++)
    {
      argv[3 + 2 * i] = fields->names[i];
      lens[3 + 2 * i] = strlen (fields->names[i]);
      argv[4 + 2 * i] = fields->values[i];
      lens[4 + 2 * i] = fields->lens ? fields->lens[i] : strlen (fields->values[i]);
    }

  Add *a = g_new0 (Add, 1);
  a->writer = w;
  a->added = added;
  a->data = user_data;
  w->refs++;
  w->in_flight++;
  w->length++;
  df_redis_command (w->redis, argc, argv, lens, on_added, a);
  if (++w->since_len >= MAX (w->max_len / 4, 1))
    writer_ask_len (w);
  if (writer_over (w))
    {
      w->full = TRUE;
      writer_ask_len (w);
    }
  return !w->full;
}

gboolean
df_stream_writer_is_full (DfStreamWriter *w)
{
  return w->full;
}

guint
df_stream_writer_in_flight (DfStreamWriter *w)
{
  return w->in_flight;
}

void
df_stream_writer_free (DfStreamWriter *w)
{
  if (w == NULL)
    return;
  w->freed = TRUE;
  if (w->poll)
    {
      g_source_destroy (w->poll);
      g_clear_pointer (&w->poll, g_source_unref);
    }
  writer_unref (w);
}
