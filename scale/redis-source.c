/* redis-source.c — a hiredis asynchronous context as a GSource.
 *
 * What hiredis's own GLib adapter (hiredis/adapters/glib.h) does, with
 * two of its faults fixed:
 *   - its dispatch reads the socket after writing to it even when the
 *     write freed the context (a refused connect, a failed write):
 *     hiredis frees the context inside redisAsyncHandleWrite () and calls
 *     the cleanup hook first, which here marks the source gone;
 *   - it dispatches only on the events it asked for, so a socket that
 *     reports only G_IO_HUP or G_IO_ERR (the peer gone) would never be
 *     read; here those wake it too, and the read reports the failure.
 */
#include <hiredis/hiredis.h>
#include <hiredis/async.h>

#include "redis-source.h"

typedef struct {
  GSource            source;
  redisAsyncContext *ac;       /* NULL once hiredis has freed it */
  GPollFD            fd;
} RedisSource;

#define WAKE (G_IO_HUP | G_IO_ERR)

static void
source_events (RedisSource *s, gushort add, gushort remove)
{
  s->fd.events = (gushort) ((s->fd.events | add) & ~remove);
  GMainContext *context = g_source_get_context (&s->source);
  if (context)
    g_main_context_wakeup (context);
}

static void add_read (void *data)  { source_events (data, G_IO_IN, 0); }
static void del_read (void *data)  { source_events (data, 0, G_IO_IN); }
static void add_write (void *data) { source_events (data, G_IO_OUT, 0); }
static void del_write (void *data) { source_events (data, 0, G_IO_OUT); }

/* hiredis is freeing the context (in __redisAsyncFree). */
static void
cleanup (void *data)
{
  RedisSource *s = data;

  s->ac = NULL;
  if (s->fd.fd >= 0)
    {
      g_source_remove_poll (&s->source, &s->fd);
      s->fd.fd = -1;
    }
}

static gboolean
source_ready (RedisSource *s)
{
  return s->ac != NULL && (s->fd.revents & (s->fd.events | WAKE)) != 0;
}

static gboolean
source_prepare (GSource *source, gint *timeout)
{
  *timeout = -1;
  return source_ready ((RedisSource *) source);
}

static gboolean
source_check (GSource *source)
{
  return source_ready ((RedisSource *) source);
}

static gboolean
source_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  RedisSource *s = (RedisSource *) source;
  gushort revents = s->fd.revents;

  s->fd.revents = 0;
  if (s->ac && (revents & G_IO_OUT))
    redisAsyncHandleWrite (s->ac);
  /* The write may have freed the context (cleanup () cleared s->ac). */
  if (s->ac && (revents & (G_IO_IN | WAKE)))
    redisAsyncHandleRead (s->ac);
  return G_SOURCE_CONTINUE;
}

static void
source_finalize (GSource *source)
{
  RedisSource *s = (RedisSource *) source;

  /* Destroyed before hiredis let go of the context: stop its calls. */
  if (s->ac)
    {
      s->ac->ev.addRead = s->ac->ev.delRead = NULL;
      s->ac->ev.addWrite = s->ac->ev.delWrite = NULL;
      s->ac->ev.cleanup = NULL;
      s->ac->ev.data = NULL;
    }
}

GSource *
df_redis_source_new (redisAsyncContext *ac)
{
  static GSourceFuncs funcs = {
    .prepare = source_prepare,
    .check = source_check,
    .dispatch = source_dispatch,
    .finalize = source_finalize,
  };
  RedisSource *s = (RedisSource *) g_source_new (&funcs, sizeof *s);

  s->ac = ac;
  s->fd.fd = ac->c.fd;
  s->fd.events = 0;
  g_source_add_poll (&s->source, &s->fd);
  g_source_set_name (&s->source, "dfscale redis");
  ac->ev.addRead = add_read;
  ac->ev.delRead = del_read;
  ac->ev.addWrite = add_write;
  ac->ev.delWrite = del_write;
  ac->ev.cleanup = cleanup;
  ac->ev.data = s;
  return &s->source;
}

void
df_redis_source_want_write (GSource *source)
{
  add_write (source);
}
