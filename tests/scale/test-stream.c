/* test-stream.c — DfStreamWriter and DfStreamReader against a
 * redis-server of their own: every entry read once, in order, with the
 * stream's length bounded while the writer outruns the reader and empty
 * at the end; entries a consumer left unacknowledged claimed by another
 * after the idle time, marked redelivered; the broker going away. */
#include <hiredis/hiredis.h>

#include "dfscale.h"
#include "redis-fixture.h"

typedef struct {
  GMainLoop      *loop;
  DfRedis        *redis;
  DfStreamWriter *writer;
  DfStreamReader *reader;
  guint           to_write;
  guint           written;      /* added */
  guint           added_ok;
  guint           added_failed;
  GArray         *seen;         /* guint: the n field of each entry read */
  guint           redelivered;
  guint           expect;       /* stop after this many entries */
  gboolean        ack;
  gint64          max_len;      /* the most XLEN answered while reading */
  GError         *read_error;
} T;

static void
on_state (DfRedis *r, const GError *error, gpointer data)
{
}

static void
t_init (T *t, RedisServer *s)
{
  memset (t, 0, sizeof *t);
  t->loop = g_main_loop_new (NULL, FALSE);
  t->redis = df_redis_connect (NULL, "127.0.0.1", s->port, on_state, t);
  t->seen = g_array_new (FALSE, FALSE, sizeof (guint));
  t->ack = TRUE;
}

static void
t_clear (T *t)
{
  df_stream_reader_free (t->reader);
  df_stream_writer_free (t->writer);
  /* Acknowledgements and XADD answers still out come back. */
  while (df_redis_pending (t->redis) > 0)
    g_main_context_iteration (NULL, TRUE);
  df_redis_free (t->redis);
  g_array_unref (t->seen);
  g_main_loop_unref (t->loop);
  g_clear_error (&t->read_error);
}

static void
on_added (DfStreamWriter *w, const char *id, const GError *error, gpointer data)
{
  T *t = data;
  if (error)
    t->added_failed++;
  else
    t->added_ok++;
}

static void write_more (T *t);

static void
on_ready (DfStreamWriter *w, gpointer data)
{
  write_more (data);
}

static void
write_more (T *t)
{
  while (t->written < t->to_write)
    {
      char n[16];
      g_snprintf (n, sizeof n, "%u", t->written);
      g_autofree char *s = g_strdup_printf ("item %u", t->written);
      const char *names[] = { "n", "s" };
      const char *values[] = { n, s };
      DfStreamFields f = { 2, names, values, NULL };
      t->written++;
      if (!df_stream_writer_add (t->writer, &f, on_added, t))
        return;     /* full: on_ready goes on */
    }
}

static void
on_len (DfRedis *r, DfRedisReply *reply, const GError *error, gpointer data)
{
  T *t = data;
  if (reply && reply->type == REDIS_REPLY_INTEGER && reply->integer > t->max_len)
    t->max_len = reply->integer;
}

static void
on_entries (DfStreamReader *r, const DfStreamEntry *entries, guint n, const GError *error,
            gpointer data)
{
  T *t = data;

  if (error)
    {
      t->read_error = g_error_copy (error);
      g_main_loop_quit (t->loop);
      return;
    }
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (entries[i].fields.n_fields, ==, 2);
      g_assert_cmpstr (entries[i].fields.names[0], ==, "n");
      guint v = (guint) g_ascii_strtoull (entries[i].fields.values[0], NULL, 10);
      g_autofree char *s = g_strdup_printf ("item %u", v);
      g_assert_cmpstr (entries[i].fields.values[1], ==, s);
      g_assert_cmpuint (entries[i].fields.lens[1], ==, strlen (s));
      g_array_append_val (t->seen, v);
      t->redelivered += entries[i].redelivered;
      if (t->ack)
        df_stream_reader_ack (r, entries[i].id);
    }
  df_redis_command (t->redis, 2, (const char *[]) { "XLEN", "s" }, NULL, on_len, t);
  if (t->seen->len >= t->expect)
    g_main_loop_quit (t->loop);
  else
    df_stream_reader_read (r, 50, 100);
}

static gint64
xlen (T *t)
{
  t->max_len = -1;
  df_redis_command (t->redis, 2, (const char *[]) { "XLEN", "s" }, NULL, on_len, t);
  while (t->max_len < 0)
    g_main_context_iteration (NULL, TRUE);
  return t->max_len;
}

/* 2,000 entries through a bound of 100: the writer waits for the reader. */
static void
test_bounded_in_order (void)
{
  RedisServer s;
  T t;

  if (!redis_server_start (&s))
    return;
  t_init (&t, &s);
  t.to_write = t.expect = 2000;
  t.writer = df_stream_writer_new (t.redis, "s", 100, 32, on_ready, &t);
  t.reader = df_stream_reader_new (t.redis, "s", "g", "c1", on_entries, &t);
  write_more (&t);
  g_assert_cmpuint (t.written, <, 2000);    /* it did fill up */
  df_stream_reader_read (t.reader, 50, 100);
  g_main_loop_run (t.loop);
  g_assert_no_error (t.read_error);
  g_assert_cmpuint (t.seen->len, ==, 2000);
  for (guint i = 0; i < 2000; i++)
    g_assert_cmpuint (g_array_index (t.seen, guint, i), ==, i);
  g_assert_cmpuint (t.redelivered, ==, 0);
  /* Bounded: the bound, what was in flight, and a reader's batch. */
  g_assert_cmpint (t.max_len, <=, 100 + 32 + 50);
  df_stream_reader_flush (t.reader);
  while (df_stream_reader_acks_pending (t.reader) > 0 || t.added_ok < 2000)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (t.added_failed, ==, 0);
  g_assert_cmpint (xlen (&t), ==, 0);       /* handled entries are deleted */
  t_clear (&t);
  redis_server_stop (&s);
}

/* A consumer reads 30 entries and stops without acknowledging them: after
 * the idle time another consumer of the group claims them, redelivered,
 * then reads the rest. */
static void
test_claimed (void)
{
  RedisServer s;
  T t;

  if (!redis_server_start (&s))
    return;
  t_init (&t, &s);
  t.to_write = 100;
  t.writer = df_stream_writer_new (t.redis, "s", 1000, 100, on_ready, &t);
  write_more (&t);
  while (t.added_ok < 100)
    g_main_context_iteration (NULL, TRUE);

  t.expect = 30;
  t.ack = FALSE;
  DfStreamReader *dead = df_stream_reader_new (t.redis, "s", "g", "dead", on_entries, &t);
  df_stream_reader_read (dead, 30, 100);
  g_main_loop_run (t.loop);
  g_assert_cmpuint (t.seen->len, ==, 30);
  df_stream_reader_free (dead);             /* it acknowledged nothing */

  g_array_set_size (t.seen, 0);
  t.ack = TRUE;
  t.expect = 100;
  t.reader = df_stream_reader_new (t.redis, "s", "g", "alive", on_entries, &t);
  df_stream_reader_set_claim_idle (t.reader, 50);
  g_usleep (60000);                         /* the dead one's entries are idle */
  df_stream_reader_read (t.reader, 50, 100);
  g_main_loop_run (t.loop);
  g_assert_no_error (t.read_error);
  g_assert_cmpuint (t.redelivered, ==, 30);
  GHashTable *got = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < t.seen->len; i++)
    g_hash_table_add (got, GUINT_TO_POINTER (g_array_index (t.seen, guint, i) + 1));
  g_assert_cmpuint (g_hash_table_size (got), ==, 100);   /* each once */
  g_assert_cmpuint (t.seen->len, ==, 100);
  g_hash_table_unref (got);
  df_stream_reader_flush (t.reader);
  while (df_stream_reader_acks_pending (t.reader) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (xlen (&t), ==, 0);
  t_clear (&t);
  redis_server_stop (&s);
}

/* The broker goes away while the writer waits for answers and the reader
 * blocks: every XADD still out reports a failure, the read an error. */
static void
test_broker_gone (void)
{
  RedisServer s;
  T t;

  if (!redis_server_start (&s))
    return;
  t_init (&t, &s);
  t.expect = 1;
  t.reader = df_stream_reader_new (t.redis, "s", "g", "c1", on_entries, &t);
  df_stream_reader_read (t.reader, 10, 5000);
  while (df_redis_pending (t.redis) > 0)      /* the group is made */
    g_main_context_iteration (NULL, TRUE);
  t.to_write = 50;
  t.writer = df_stream_writer_new (t.redis, "s", 1000, 1000, on_ready, &t);
  redis_server_kill (&s);
  write_more (&t);
  while (t.added_ok + t.added_failed < 50 || t.read_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (t.added_failed + t.added_ok, ==, 50);
  g_assert_cmpuint (t.added_failed, >, 0);
  g_assert_error (t.read_error, DF_REDIS_ERROR, DF_REDIS_ERROR_CLOSED);
  t_clear (&t);
  redis_server_stop (&s);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stream/bounded-in-order", test_bounded_in_order);
  g_test_add_func ("/stream/claimed", test_claimed);
  g_test_add_func ("/stream/broker-gone", test_broker_gone);
  return g_test_run ();
}
