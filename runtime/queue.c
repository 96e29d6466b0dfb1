/* queue.c — the two queues of graphs.
 *
 * DfRing: a node's input queue, a ring buffer of fixed-size item structs
 * (the item size comes from generated code) allocated once when the graph
 * starts, with room for exactly `queue N` items.  Runtime thread only, so
 * no lock: pushing an item is a bounds check and a memset.
 *
 * DfOutbox: emitted items on their way out of a node whose emits may come
 * from other threads (blocking and async nodes) or may not fit (a sync
 * node whose destination is full).  A mutex and a condition: a blocking
 * worker waits on it while the outbox is full, which is how a blocking
 * generator's emit waits for room downstream.  The runtime thread takes
 * everything pushed so far at once, under one lock (the rings swap), and
 * delivers it without the lock: pushers contend with it once per batch,
 * not once per item.
 */
#include <string.h>

#include "graph-private.h"

/* ----------------------------------------------------------------- rings */

void
df_ring_init (DfRing *r, gsize item_size, guint cap)
{
  r->stride = MAX (item_size, 1);
  r->cap = MAX (cap, 1);
  r->buf = g_malloc0_n (r->cap, r->stride);
  r->head = 0;
  r->len = 0;
}

void
df_ring_clear (DfRing *r)
{
  g_clear_pointer (&r->buf, g_free);
  r->cap = r->len = r->head = 0;
}

gpointer
df_ring_peek (DfRing *r, guint i)
{
  guint at = r->head + i;

  if (at >= r->cap)
    at -= r->cap;
  return r->buf + (gsize) at * r->stride;
}

gpointer
df_ring_push (DfRing *r)
{
  g_assert (r->len < r->cap);
  gpointer slot = df_ring_peek (r, r->len);
  r->len++;
  memset (slot, 0, r->stride);
  return slot;
}

void
df_ring_pop (DfRing *r, gpointer dst, gsize item_size)
{
  g_assert (r->len > 0);
  if (dst && item_size)
    memcpy (dst, r->buf + (gsize) r->head * r->stride, item_size);
  r->head = r->head + 1 == r->cap ? 0 : r->head + 1;
  r->len--;
}

void
df_ring_grow (DfRing *r)
{
  guint cap = r->cap * 2;
  guint8 *buf = g_malloc0_n (cap, r->stride);

  for (guint i = 0; i < r->len; i++)
    memcpy (buf + (gsize) i * r->stride, df_ring_peek (r, i), r->stride);
  g_free (r->buf);
  r->buf = buf;
  r->cap = cap;
  r->head = 0;
}

/* ---------------------------------------------------------------- outbox */

void
df_outbox_init (DfOutbox *o, gsize item_size, guint bound)
{
  pthread_mutex_init (&o->lock, NULL);
  pthread_cond_init (&o->cond, NULL);
  df_ring_init (&o->ring, item_size, bound ? bound : 16);
  df_ring_init (&o->taken, item_size, bound ? bound : 16);
  o->item_size = item_size;
  o->bound = bound;
  o->waiters = 0;
  o->count = 0;
  o->closed = FALSE;
}

static void
ring_free_items (DfRing *r, DfItemFreeFunc item_free)
{
  while (r->len > 0)
    {
      if (item_free)
        item_free (df_ring_peek (r, 0));
      df_ring_pop (r, NULL, 0);
    }
}

void
df_outbox_clear (DfOutbox *o, DfItemFreeFunc item_free)
{
  if (o->ring.buf == NULL)
    return;
  ring_free_items (&o->taken, item_free);
  ring_free_items (&o->ring, item_free);
  df_ring_clear (&o->taken);
  df_ring_clear (&o->ring);
  pthread_cond_destroy (&o->cond);
  pthread_mutex_destroy (&o->lock);
}

DfOutboxPush
df_outbox_push (DfOutbox *o, gconstpointer item, gboolean wait, const gboolean *refused)
{
  DfOutboxPush result;

  pthread_mutex_lock (&o->lock);
  /* Half the bound per ring: what was pushed and what was taken are at
   * most a bound together. */
  while (wait && o->bound && o->ring.len >= (o->bound + 1) / 2 && !o->closed
         && !(refused && *refused))
    {
      o->waiters++;
      pthread_cond_wait (&o->cond, &o->lock);
      o->waiters--;
    }
  if (o->closed || (refused && *refused))
    {
      pthread_mutex_unlock (&o->lock);
      return DF_OUTBOX_CLOSED;
    }
  if (o->ring.len == o->ring.cap)
    df_ring_grow (&o->ring);
  gpointer slot = df_ring_push (&o->ring);
  if (o->item_size)
    memcpy (slot, item, o->item_size);
  result = o->ring.len == 1 ? DF_OUTBOX_PUSHED_FIRST : DF_OUTBOX_PUSHED;
  g_atomic_int_set (&o->count, (gint) o->ring.len);
  pthread_mutex_unlock (&o->lock);
  return result;
}

void
df_outbox_close (DfOutbox *o)
{
  pthread_mutex_lock (&o->lock);
  o->closed = TRUE;
  pthread_cond_broadcast (&o->cond);
  pthread_mutex_unlock (&o->lock);
}

void
df_outbox_refuse (DfOutbox *o, gboolean *flag, gboolean value)
{
  pthread_mutex_lock (&o->lock);
  *flag = value;
  pthread_cond_broadcast (&o->cond);
  pthread_mutex_unlock (&o->lock);
}

gpointer
df_outbox_peek (DfOutbox *o)
{
  if (o->taken.len > 0)
    return df_ring_peek (&o->taken, 0);
  if (g_atomic_int_get (&o->count) == 0)
    return NULL;

  pthread_mutex_lock (&o->lock);
  DfRing empty = o->taken;
  o->taken = o->ring;
  o->ring = empty;
  g_atomic_int_set (&o->count, 0);
  /* The pushers that waited for room have all of it again. */
  if (o->waiters)
    pthread_cond_broadcast (&o->cond);
  pthread_mutex_unlock (&o->lock);
  return o->taken.len > 0 ? df_ring_peek (&o->taken, 0) : NULL;
}

void
df_outbox_pop (DfOutbox *o)
{
  df_ring_pop (&o->taken, NULL, 0);
}
