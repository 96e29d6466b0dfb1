/* graph-deliver.c — where an emitted item goes.
 *
 * An item a node emits goes to each destination in edge order (copied,
 * the last one moved): into the destination's ring, or, for an idle sync
 * node that can take it now, straight into a call of it (a direct run:
 * depth-first, no queue, no dispatch).  When a destination is full, an
 * emit on the runtime thread first runs the full sync destinations on
 * what they have queued (making room, so that a generator emitting many
 * items in one call stays within the queues); what still does not fit,
 * and what workers and other threads emit, goes into the node's outbox,
 * delivered when there is room.  Backpressure: a node takes no input
 * while its outbox holds anything or a destination is full.
 */
#include <string.h>

#include "graph-private.h"

gboolean
df_graph_node_has_room (DfGraphNode *n)
{
  DfGraph *g = n->graph;

  if (g->halted)
    return TRUE;     /* what is delivered now is dropped */
  for (guint k = 0; k < n->n_out; k++)
    {
      const DfGraphEdgeDesc *e = n->out[k];
      DfGraphNode *dst = &g->nodes[e->to];
      if (dst->stream ? dst->remote_full
          : e->zip ? !df_zip_has_room (dst, e->zip - 1) : dst->ring.len >= dst->ring.cap)
        return FALSE;
    }
  return TRUE;
}

/* Whether @dst may run on an item delivered to it at once, depth-first,
 * instead of queueing it: an idle inline node (it cannot be running
 * already: it would be upstream of itself).  In async mode only a node
 * without a `queue N` of its own (one that asks for a queue gets it), and
 * only when it would take the item from its queue now (nothing queued
 * before it, room for its outputs), so that the order and the bounds stay
 * those of the queue; then the item costs no queue and no dispatch. */
static gboolean
node_may_run_now (DfGraphNode *dst)
{
  if (!dst->inline_run || dst->batch > 1 || dst->zip || dst->stream
      || dst->slots[0]->state != DF_SLOT_IDLE || dst->in_pump)
    return FALSE;
  if (dst->graph->mode == DF_GRAPH_SYNC)
    return TRUE;
  return dst->desc->queue == 0 && dst->ring.len == 0 && df_outbox_is_empty (&dst->outbox)
         && df_graph_node_has_room (dst)
         && df_graph_node_dead_has_room (dst);
}

static gboolean
node_run_now (DfGraphNode *dst, DfEdgeConvertFunc convert, gpointer item, gsize emit_size)
{
  DfGraphSlot *slot = dst->slots[0];
  gsize size = dst->desc->item_size;

  if (!node_may_run_now (dst))
    return FALSE;
  memset (slot->items, 0, MAX (size, 1));
  if (convert)
    convert (item, slot->items);
  else if (emit_size && size)
    memcpy (slot->items, item, MIN (emit_size, size));
  DF_CNT_ADD (dst->c.in, 1);
  slot->n_items = 1;
  slot->attempt = 0;
  slot->drain_cancelled = FALSE;
  dst->busy++;
  dst->graph->busy++;
  DF_CNT_ADD (dst->c.in_flight, 1);
  dst->in_pump = TRUE;
  df_graph_slot_attempt (slot);
  dst->in_pump = FALSE;
  return TRUE;
}

gboolean
df_graph_node_run_item_now (DfGraphNode *dst, gpointer item)
{
  return dst->graph->mode == DF_GRAPH_SYNC && node_run_now (dst, NULL, item, dst->desc->item_size);
}

/* Copies @item to every destination (the last one may take its fields),
 * then frees what is left of it.  Every destination has room. */
static void
node_deliver (DfGraphNode *n, gpointer item)
{
  DfGraph *g = n->graph;
  const DfGraphNodeDesc *d = n->desc;

  for (guint k = 0; k < n->n_out; k++)
    {
      const DfGraphEdgeDesc *e = n->out[k];
      DfGraphNode *dst = &g->nodes[e->to];
      DfEdgeConvertFunc convert = (k + 1 == n->n_out && e->move) ? e->move : e->copy;

      if (g->halted)
        {
          DF_CNT_ADD (dst->c.in, 1);
          DF_CNT_ADD (dst->c.dropped, 1);
          continue;
        }
      if (dst->stream)
        {
          df_graph_remote_send (dst, convert, item, d->emit_size);
          continue;
        }
      if (e->zip)
        df_zip_push (dst, e->zip - 1, convert, item);
      else if (node_run_now (dst, convert, item, d->emit_size))
        continue;
      else
        {
          gpointer slot = df_ring_push (&dst->ring);
          if (convert)
            convert (item, slot);
          else if (d->emit_size && dst->desc->item_size)
            memcpy (slot, item, MIN (d->emit_size, dst->desc->item_size));
          DF_CNT_ADD (dst->c.in, 1);
          df_graph_count_queued (dst);
        }
      df_graph_node_kick (dst);
    }
  if (d->emit_free && item)
    d->emit_free (item);
  DF_CNT_ADD (n->c.out, 1);
}

/* Moves up to @max items from the outbox to the destinations while they
 * have room; returns how many. */
guint
df_graph_node_deliver_outbox (DfGraphNode *n, guint max, gboolean *empty)
{
  DfOutbox *o = &n->outbox;
  guint popped = 0;
  gpointer item;

  while (popped < max && (item = df_outbox_peek (o)) != NULL)
    {
      if (!df_graph_node_has_room (n))
        {
          n->blocked = TRUE;
          break;
        }
      node_deliver (n, item);
      df_outbox_pop (o);
      popped++;
    }
  *empty = df_outbox_is_empty (o);
  return popped;
}

gboolean
df_graph_node_drain_outbox (DfGraphNode *n)
{
  gboolean empty;

  df_graph_node_deliver_outbox (n, G_MAXUINT, &empty);
  return empty;
}

void
df_graph_node_wake_sources (DfGraphNode *n)
{
  for (guint i = 0; i < n->n_sources; i++)
    {
      DfGraphNode *s = n->sources[i];
      if (s->blocked)
        {
          s->blocked = FALSE;
          df_graph_node_kick (s);
        }
    }
}

/* Async mode, on the runtime thread, an emit finds a destination full:
 * the full sync destinations run on what they have queued now, as their
 * own task would.  A generator that emits many items in one call thus
 * waits for room in its destinations' queues, as a blocking one does,
 * instead of buffering what does not fit (memory stays bounded).  Only a
 * destination waiting for calls in flight (async, blocking) leaves the
 * item to the outbox.  TRUE if every destination has room now. */
static gboolean
node_make_room (DfGraphNode *n)
{
  DfGraph *g = n->graph;
  gboolean progress = TRUE;

  if (g->mode != DF_GRAPH_ASYNC)
    return FALSE;     /* sync mode keeps its one order of invocations */
  while (progress && !df_graph_node_has_room (n))
    {
      progress = FALSE;
      for (guint k = 0; k < n->n_out; k++)
        {
          DfGraphNode *dst = &g->nodes[n->out[k]->to];
          if (n->out[k]->zip || !dst->inline_run || dst->in_pump || dst->ring.len < dst->ring.cap)
            continue;
          guint before = dst->ring.len;
          df_graph_node_pump (dst);
          progress = progress || dst->ring.len < before;
        }
    }
  return df_graph_node_has_room (n);
}

/* Into the outbox (waiting for room with @wait); the first item kicks
 * the node, which delivers it.  Refused (after the call's time-out, or a
 * straggler after the graph ended), the item is freed. */
static void
node_push_outbox (DfGraphNode *n, gpointer item, gboolean wait, const gboolean *refused)
{
  switch (df_outbox_push (&n->outbox, item, wait, refused))
    {
    case DF_OUTBOX_PUSHED_FIRST:
      df_graph_node_kick (n);
      break;
    case DF_OUTBOX_CLOSED:
      if (n->desc->emit_free && item)
        n->desc->emit_free (item);
      break;
    case DF_OUTBOX_PUSHED:
      break;
    }
}

/* An emit on the runtime thread: straight to the destinations when
 * nothing emitted before waits in the outbox and they have room (made,
 * if need be); else into the outbox, whose delivery waits for room. */
static void
node_emit_here (DfGraphNode *n, gpointer item)
{
  if (df_outbox_is_empty (&n->outbox) && (df_graph_node_has_room (n) || node_make_room (n)))
    {
      node_deliver (n, item);
      return;
    }
  n->blocked = TRUE;
  node_push_outbox (n, item, FALSE, NULL);
}

void
df_graph_emit (DfContext *ctx, gpointer item)
{
  g_return_if_fail (ctx != NULL && ctx->call != NULL && df_graph_is_frame (ctx->frame));

  DfGraphSlot *slot = df_graph_slot_from_call (ctx->call);
  DfGraphNode *n = slot->node;

  if (n->inline_run || slot->completing)
    {
      /* Runtime thread, inside the stage or its completion. */
      node_emit_here (n, item);
      return;
    }
  if (n->desc->kind == DF_NODE_ASYNC && n->graph->mode == DF_GRAPH_ASYNC
      && (df_runtime_is_dispatching (n->graph->rt)
          || g_main_context_is_owner (n->graph->rt->context))
      && !slot->refused && df_call_is_open (ctx->call))
    {
      /* An async stage emitting on the runtime thread (in its call, in a
       * callback of the loop) goes as a sync one. */
      node_emit_here (n, item);
      return;
    }
  if (n->desc->kind == DF_NODE_ASYNC && !df_call_is_open (ctx->call))
    {
      /* After its completion the slot may run its next input at any
       * moment: an item pushed now would pass for that one's, or outlive
       * the graph.  (Emits of a call given up by its time-out, which is
       * still open, are freed below without a word: that is no misuse.) */
      g_critical ("dfrt: node '%s' emitted after its call completed; the item is freed",
                  n->desc->name);
      if (n->desc->emit_free && item)
        n->desc->emit_free (item);
      return;
    }
  if (!g_atomic_int_get (&slot->emitted))
    g_atomic_int_set (&slot->emitted, 1);
  node_push_outbox (n, item, n->desc->kind == DF_NODE_BLOCKING, &slot->refused);
}
