/* graph-node.c — one node: taking inputs, running invocations.
 *
 * A node's task (async mode) drains the node's outbox into the
 * destinations, then takes inputs from its ring and runs invocations, up
 * to DF_GRAPH_BATCH inputs per dispatch.  It takes an input only when
 * every destination has room for one more item and its outbox is empty:
 * that is the backpressure.  A node that stops for lack of room is marked
 * `blocked`; the destination wakes it when it pops an item.
 *
 * Slots: `tasks N` invocation slots, each a DfCall (with the generated
 * call struct around it) registered in the graph's frame, plus the input
 * items it runs on (kept until the last retry).  Sync nodes have one slot
 * and run inline; blocking nodes use df_call_run_blocking() (in both
 * modes, so that the runtime thread keeps serving signals, timers and
 * async completions); async nodes df_call_begin() / df_call_end_inline()
 * as flows do.
 *
 * A call that times out is over (docs/endings.md): the node applies its
 * policy at once.  The node keeps its own deadline timer (the call site
 * has none), so that emits are refused *before* the call's cancellable
 * is cancelled: a stage that stops at the cancellation cannot slip one
 * more item through.  The invocation may still be running and borrows
 * the slot's inputs and call struct, so the slot is retired (replaced by
 * a fresh one) and frees the inputs when the invocation returns; its
 * result is then discarded, and whatever it emits meanwhile is freed.
 */
#include <string.h>

#include "graph-private.h"

#define ALIGN16(n) (((n) + 15) & ~(gsize) 15)
#define SLOT_CALL_OFFSET ALIGN16 (sizeof (DfGraphSlot))

static void slot_returned (DfGraphSlot *slot);
static void slot_backoff_over (DfTimer *timer);
static void slot_deadline (DfTimer *timer);

/* ---------------------------------------------------------------- setup */

static void
batch_timer_fired (DfTimer *timer)
{
  DfGraphNode *n = DF_CONTAINER_OF (timer, DfGraphNode, batch_timer);

  n->batch_due = TRUE;
  df_graph_node_kick (n);
}

/* One invocation slot: its call struct (registered in the graph's frame)
 * and room for a batch of input items, in one block. */
static DfGraphSlot *
slot_new (DfGraphNode *n, guint index)
{
  const DfGraphNodeDesc *d = n->desc;
  gsize call_size = ALIGN16 (d->call_size ? d->call_size : sizeof (DfCall));
  guint inputs = MAX (n->batch, n->job_max);
  guint8 *block = g_malloc0 (SLOT_CALL_OFFSET + call_size + inputs * MAX (d->item_size, 1));
  DfGraphSlot *slot = (DfGraphSlot *) block;

  slot->node = n;
  slot->call = (DfCall *) (block + SLOT_CALL_OFFSET);
  slot->items = block + SLOT_CALL_OFFSET + call_size;
  if (d->remote && n->graph->transport)
    slot->tokens = g_new0 (gpointer, inputs);
  df_call_init (slot->call, n->graph->frame, &n->site, index);
  df_timer_init (&slot->backoff, slot_backoff_over);
  df_timer_init (&slot->deadline, slot_deadline);
  return slot;
}

void
df_graph_slot_free_items (DfGraphSlot *slot)
{
  const DfGraphNodeDesc *d = slot->node->desc;
  /* A remote node's entry is acknowledged unless a halt or a given-up
   * call dropped it (another consumer handles it then). */
  gboolean handled = !slot->node->graph->halted && slot->state != DF_SLOT_RETIRED;

  /* (At every item of every node: nothing to do is the common case.) */
  if (d->item_free != NULL || slot->tokens != NULL)
    for (gsize i = 0; i < slot->n_items; i++)
      {
        if (d->item_free)
          d->item_free (slot->items + i * d->item_size);
        if (slot->tokens)
          df_graph_remote_item_done (slot, i, handled);
      }
  slot->n_items = 0;
}

void
df_graph_node_setup (DfGraphNode *n)
{
  DfGraph *g = n->graph;
  const DfGraphNodeDesc *d = n->desc;
  guint zip_sources = 0;

  n->site = (DfCallSite) {
    .stage = d->stage ? d->stage : d->name,
    .stats = d->stats,
    .limit = d->limit,
    .timeout = 0,             /* the slot's own deadline (slot_deadline) */
    .discard = d->discard,
  };
  switch (d->on_error)
    {
    case DF_ON_ERROR_DEFAULT:
      n->policy = g->desc->halt_on_error ? DF_ON_ERROR_HALT : DF_ON_ERROR_SKIP;
      break;
    default:
      n->policy = d->on_error;
      break;
    }
  n->inline_run = d->kind == DF_NODE_SYNC;
  n->batch = MAX (d->batch, 1);
  /* Worker jobs of several inputs: not in sync mode, where each item goes
   * through the graph before the next; not with a time-out, which is one
   * call's; not with dead letters, whose room is counted per call. */
  if (g->mode == DF_GRAPH_ASYNC && d->kind == DF_NODE_BLOCKING && !n->is_start && n->batch == 1
      && d->timeout == 0 && n->dead == NULL)
    n->job_max = DF_GRAPH_JOB;
  n->queue_size = n->is_start ? 0 : (d->queue ? d->queue : DF_GRAPH_DEFAULT_QUEUE);
  df_ring_init (&n->ring, d->item_size, MAX (n->queue_size, n->batch));
  n->scratch = g_malloc0 (MAX (d->item_size, 1));
  df_timer_init (&n->batch_timer, batch_timer_fired);

  for (guint e = 0; e < g->desc->n_edges; e++)
    if (g->desc->edges[e].to == n->index && g->desc->edges[e].zip)
      zip_sources++;
  if (zip_sources)
    n->zip = df_zip_new (zip_sources, d->item_size, n->queue_size);

  /* A blocking worker's emits wait for room. */
  df_outbox_init (&n->outbox, d->emit_size, d->kind == DF_NODE_BLOCKING ? DF_GRAPH_OUTBOX : 0);

  n->n_slots = (n->inline_run || g->mode == DF_GRAPH_SYNC) ? 1 : MAX (d->tasks, 1);
  n->slots = g_new0 (DfGraphSlot *, n->n_slots);
  n->retired = g_ptr_array_new ();
  for (guint i = 0; i < n->n_slots; i++)
    n->slots[i] = slot_new (n, i);
}

void
df_graph_node_teardown (DfGraphNode *n)
{
  const DfGraphNodeDesc *d = n->desc;

  if (n->slots == NULL)
    return;
  df_graph_node_close_states (n);
  df_graph_node_drop_queued (n);
  df_ring_clear (&n->ring);
  df_outbox_clear (&n->outbox, d->emit_free);
  if (n->zip)
    df_zip_free (n->zip, d->item_free);
  for (guint i = 0; i < n->n_slots; i++)
    {
      df_timer_stop (n->graph->rt, &n->slots[i]->backoff);
      df_timer_stop (n->graph->rt, &n->slots[i]->deadline);
      g_free (n->slots[i]->dead_message);
      g_free (n->slots[i]->tokens);
      g_free (n->slots[i]);
    }
  /* The frame has been freed: every abandoned invocation has returned. */
  for (guint i = 0; i < n->retired->len; i++)
    {
      DfGraphSlot *slot = n->retired->pdata[i];
      df_graph_slot_free_items (slot);
      g_free (slot->dead_message);
      g_free (slot->tokens);
      g_free (slot);
    }
  g_clear_pointer (&n->retired, g_ptr_array_unref);
  g_clear_pointer (&n->slots, g_free);
  g_clear_pointer (&n->scratch, g_free);
  g_clear_pointer (&n->cron, df_cron_free);
}

DfGraphSlot *
df_graph_slot_from_call (DfCall *call)
{
  return (DfGraphSlot *) (void *) ((guint8 *) call - SLOT_CALL_OFFSET);
}

static gpointer
slot_items (DfGraphSlot *slot)
{
  return slot->node->desc->item_size ? slot->items : NULL;
}

/* --------------------------------------------------------------- inputs */

/* Takes the next input (or batch) into @slot, if the node may. */
static gboolean
node_take (DfGraphNode *n, DfGraphSlot *slot)
{
  DfGraph *g = n->graph;
  const DfGraphNodeDesc *d = n->desc;

  if (g->halted)
    return FALSE;
  if (!df_outbox_is_empty (&n->outbox) || !df_graph_node_has_room (n)
      || !df_graph_node_dead_has_room (n))
    {
      n->blocked = TRUE;
      return FALSE;
    }
  if (n->is_start)
    {
      if (n->pending_ticks == 0)
        return FALSE;
      n->pending_ticks--;
      memset (slot->items, 0, MAX (d->item_size, 1));
      if (d->start)
        d->start (g->inputs, slot->items);
      slot->n_items = 1;
    }
  else
    {
      guint len = n->ring.len;
      if (len == 0)
        return FALSE;
      guint want = MIN (len, n->batch);
      if (n->job_max > 1)   /* the queue shared among the node's slots */
        want = MIN (n->job_max, MAX (1, len / n->n_slots));
      if (want < n->batch && !n->batch_due && n->open_sources > 0)
        {
          /* A partial batch waits for more, for `within`, or for the end. */
          if (d->batch_within > 0 && !df_timer_is_armed (&n->batch_timer))
            df_timer_start_in (g->rt, &n->batch_timer, d->batch_within);
          return FALSE;
        }
      for (guint i = 0; i < want; i++)
        {
          if (slot->tokens)
            slot->tokens[i] = df_graph_remote_pop_token (n);
          df_ring_pop (&n->ring, slot->items + i * d->item_size, d->item_size);
        }
      n->batch_due = FALSE;
      df_timer_stop (g->rt, &n->batch_timer);
      DF_CNT_SET (n->c.queued, n->ring.len);
      slot->n_items = want;
    }
  slot->attempt = 0;
  slot->drain_cancelled = FALSE;
  n->busy++;
  g->busy++;
  DF_CNT_ADD (n->c.in_flight, slot->n_items);
  return TRUE;
}

void
df_graph_node_drop_queued (DfGraphNode *n)
{
  const DfGraphNodeDesc *d = n->desc;

  while (n->ring.len > 0)
    {
      if (d->item_free)
        d->item_free (df_ring_peek (&n->ring, 0));
      gpointer token = df_graph_remote_pop_token (n);
      if (token)      /* left for another consumer */
        n->graph->transport->done (n->graph->transport_data, n->stream, token, FALSE);
      df_ring_pop (&n->ring, NULL, 0);
      DF_CNT_ADD (n->c.dropped, 1);
    }
  DF_CNT_SET (n->c.queued, 0);
  if (n->zip)
    df_zip_drop_all (n);
  df_timer_stop (n->graph->rt, &n->batch_timer);
}

/* ---------------------------------------------------------- invocations */

static void
slot_release (DfGraphSlot *slot)
{
  DfGraphNode *n = slot->node;

  DF_CNT_ADD (n->c.in_flight, -(gint64) slot->n_items);
  df_graph_slot_free_items (slot);
  if (slot->job_rest > 0 && df_graph_job_continue (slot))
    return;
  slot->state = DF_SLOT_IDLE;
  n->busy--;
  n->graph->busy--;
  if (!n->in_pump)
    df_graph_node_kick (n);
}

/* A slot whose inputs were counted but whose invocation has not
 * returned (it timed out): it leaves the node, a spare or a new slot
 * takes its place, and it frees its inputs once the invocation has
 * returned (slot_returned_late()). */
static void
slot_retire (DfGraphSlot *slot)
{
  DfGraphNode *n = slot->node;
  guint i = 0;

  while (n->slots[i] != slot)
    i++;
  DfGraphSlot *spare = NULL;
  for (guint k = 0; k < n->retired->len && spare == NULL; k++)
    if (((DfGraphSlot *) n->retired->pdata[k])->state == DF_SLOT_IDLE)
      spare = g_ptr_array_steal_index_fast (n->retired, k);
  if (spare)
    df_outbox_refuse (&n->outbox, &spare->refused, FALSE);
  n->slots[i] = spare ? spare : slot_new (n, i);
  g_ptr_array_add (n->retired, slot);

  DF_CNT_ADD (n->c.in_flight, -(gint64) slot->n_items);
  slot->state = DF_SLOT_RETIRED;
  n->busy--;
  n->graph->busy--;
  if (!n->in_pump)
    df_graph_node_kick (n);
}

static GTimeSpan
backoff_delay (const DfGraphNodeDesc *d, guint attempt)
{
  GTimeSpan delay = MAX (d->backoff, 0);

  if (d->backoff_max > 0)
    {
      for (guint i = 1; i < attempt && delay < d->backoff_max; i++)
        delay *= 2;
      delay = MIN (delay, d->backoff_max);
    }
  return delay;
}

/* What a drain asked for: a cancelled call that reports it (GIO's
 * G_IO_ERROR_CANCELLED, or the runtime's own code). */
static gboolean
is_cancellation (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
         || g_error_matches (error, DF_ERROR, DF_ERROR_CANCELLED);
}

static void
slot_succeeded (DfGraphSlot *slot)
{
  DfGraphNode *n = slot->node;
  const DfGraphNodeDesc *d = n->desc;

  if (d->complete && !n->inline_run && n->job_max == 0)   /* a job's ran on the worker */
    {
      slot->completing = TRUE;
      d->complete (slot->call);
      slot->completing = FALSE;
    }
  DF_CNT_ADD (n->c.ok, slot->n_items);
  df_graph_node_succeeded (n);
  slot_release (slot);
}

/* No retry is left, or none may start: the input failed (@error:
 * transfer full).  A drain cuts retries short without halting. */
static void
slot_failed (DfGraphSlot *slot, GError *error)
{
  DfGraphNode *n = slot->node;

  DF_CNT_ADD (n->c.err, slot->n_items);
  /* An invocation still out borrows its items: its dead letters wait for
   * its return (slot_returned_late). */
  df_graph_node_failed (n, slot, error, slot->call_out);
  if (slot->call_out)
    slot_retire (slot);
  else
    slot_release (slot);
}

/* The invocation ended (@error: transfer full). */
static void
slot_done (DfGraphSlot *slot, GError *error)
{
  DfGraphNode *n = slot->node;
  DfGraph *g = n->graph;
  const DfGraphNodeDesc *d = n->desc;

  if (n->job_max > 0 && !df_graph_job_settle (slot, error))
    return;
  if (error == NULL)
    {
      slot_succeeded (slot);
      return;
    }
  if (slot->drain_cancelled && is_cancellation (error))
    {
      /* The drain stopped it: the end of its input, not a failure. */
      g_error_free (error);
      DF_CNT_ADD (n->c.ok, slot->n_items);
      slot_release (slot);
      return;
    }
  df_graph_record_error (n, error);
  if (n->policy == DF_ON_ERROR_RETRY && slot->attempt < d->retries && !g->halted
      && !g->draining)
    {
      slot->attempt++;
      DF_CNT_ADD (n->c.retries, 1);
      df_graph_node_retrying (n, error, slot->attempt, backoff_delay (d, slot->attempt));
      g_error_free (error);
      slot->state = DF_SLOT_SLEEPING;
      df_timer_start_in (g->rt, &slot->backoff, backoff_delay (d, slot->attempt));
      return;
    }
  slot_failed (slot, error);
}

/* The back-off is over.  After a time-out the retry also waits for the
 * abandoned invocation to return: it borrows the inputs and the call. */
static void
slot_backoff_over (DfTimer *timer)
{
  DfGraphSlot *slot = DF_CONTAINER_OF (timer, DfGraphSlot, backoff);

  if (slot->call_out)
    slot->state = DF_SLOT_AWAITING_RETURN;
  else
    df_graph_slot_attempt (slot);
}

/* The one place a graph call is given up, by its time-out or by the
 * grace after a stop: its emits are refused first (so that a stage
 * stopping at the cancellation cannot slip one more item through), then
 * it is cancelled.  It stays out: its late completion or return comes to
 * slot_returned_late(), and until then the frame lingers with it, so
 * that df_runtime_shutdown() names its stage. */
static void
call_abandon (DfGraphSlot *slot)
{
  DfGraphNode *n = slot->node;

  df_timer_stop (n->graph->rt, &slot->deadline);
  df_outbox_refuse (&n->outbox, &slot->refused, TRUE);
  g_cancellable_cancel (df_call_get_cancellable (slot->call));
}

/* The node's `timeout`: the call is over, and the node's policy applies
 * at once. */
static void
slot_deadline (DfTimer *timer)
{
  DfGraphSlot *slot = DF_CONTAINER_OF (timer, DfGraphSlot, deadline);
  DfGraphNode *n = slot->node;
  char buf[32];

  if (slot->state != DF_SLOT_RUNNING)
    return;
  df_stats_call_timeout (n->desc->stats);
  call_abandon (slot);
  slot_done (slot, g_error_new (DF_ERROR, DF_ERROR_TIMEOUT, "stage '%s' timed out after %s",
                                n->site.stage, df_format_duration (n->desc->timeout, buf)));
}

/* A timed-out invocation returned: its result is discarded. */
static void
slot_returned_late (DfGraphSlot *slot)
{
  GError *error = df_call_take_error (slot->call);

  slot->call_out = FALSE;
  if (error)
    g_error_free (error);
  else if (slot->node->desc->discard)
    slot->node->desc->discard (slot->call);
  switch (slot->state)
    {
    case DF_SLOT_AWAITING_RETURN:
      df_graph_slot_attempt (slot);
      break;
    case DF_SLOT_RETIRED:
      df_graph_slot_settled (slot);   /* its dead letters, now it has returned */
      df_graph_slot_free_items (slot);
      slot->state = DF_SLOT_IDLE;     /* a spare now */
      if (!slot->node->in_pump)
        df_graph_node_kick (slot->node);   /* it may have finished */
      break;
    default:
      break;                          /* SLEEPING: the retry comes later */
    }
}

gint64
df_graph_node_give_up_stopped (DfGraphNode *n, gint64 now)
{
  gint64 next = G_MAXINT64;

  if (n->slots == NULL)
    return next;
  for (guint i = 0; i < n->n_slots; i++)
    {
      DfGraphSlot *slot = n->slots[i];
      if (slot->state != DF_SLOT_RUNNING || !slot->call_out || slot->stopped_at == 0)
        continue;
      gint64 due = slot->stopped_at + DF_SHUTDOWN_GRACE;
      if (due > now)
        {
          next = MIN (next, due);
          continue;
        }
      /* Dropped, not failed: the stop asked it to end, as for the queued
       * items a halt drops; no policy, log or dead letter applies. */
      call_abandon (slot);
      DF_CNT_ADD (n->c.dropped, slot->n_items);
      slot_retire (slot);     /* replaces n->slots[i] */
    }
  return next;
}

void
df_graph_node_stop_retries (DfGraphNode *n)
{
  if (n->slots == NULL)
    return;
  /* Dead letters waiting for a late return are given up too (counted
   * dropped at the destination): a halt or a drain does not wait for a
   * call that may never return. */
  if (df_graph_node_dead_letters_pending (n))
    {
      for (guint i = 0; i < n->retired->len; i++)
        df_graph_slot_drop_dead_letters (n->retired->pdata[i]);
      df_graph_node_kick (n);   /* they were all that kept it from finishing */
    }
  for (guint i = 0; i < n->n_slots; i++)
    {
      DfGraphSlot *slot = n->slots[i];
      if (slot->state != DF_SLOT_SLEEPING && slot->state != DF_SLOT_AWAITING_RETURN)
        continue;
      df_timer_stop (n->graph->rt, &slot->backoff);
      DF_CNT_ADD (n->c.err, slot->n_items);    /* it did fail */
      if (slot->call_out)
        slot_retire (slot);
      else
        slot_release (slot);
    }
}

/* The stage's state could not be opened (@error: transfer full): the
 * node has failed, whatever its policy, and the graph halts. */
static void
slot_open_failed (DfGraphSlot *slot, GError *error)
{
  DfGraphNode *n = slot->node;

  g_prefix_error (&error, "cannot open its state: ");
  df_graph_record_error (n, error);
  DF_CNT_ADD (n->c.err, slot->n_items);
  df_graph_halt (n->graph, n, error);
  slot_release (slot);
}

static gboolean
slot_blocking_thunk (DfCall *call, GError **error)
{
  DfGraphSlot *slot = df_graph_slot_from_call (call);

  if (slot->node->job_max > 0)
    return df_graph_job_run (slot, error);
  return slot->node->desc->run (call, slot_items (slot), slot->n_items, error);
}

void
df_graph_slot_attempt (DfGraphSlot *slot)
{
  DfGraphNode *n = slot->node;
  const DfGraphNodeDesc *d = n->desc;
  DfCall *call = slot->call;
  GError *error = NULL;

  if (d->state_open != NULL && !df_graph_slot_open_state (slot, &error))
    {
      slot_open_failed (slot, error);
      return;
    }
  g_atomic_int_set (&slot->emitted, 0);
  if (n->inline_run)
    {
      slot->state = DF_SLOT_RUNNING;
      gint64 t = df_stage_stats_enter (d->stats);
      gboolean ok = d->run (call, slot_items (slot), slot->n_items, &error);
      df_stage_stats_leave (d->stats, t, ok);
      if (ok && error != NULL)
        g_clear_error (&error);
      slot_done (slot, ok ? NULL : df_error_ensure (error, n->site.stage));
      return;
    }
  if (slot->refused)
    df_outbox_refuse (&n->outbox, &slot->refused, FALSE);
  if (slot->state != DF_SLOT_WAITING_LIMIT && !df_call_acquire (call))
    {
      slot->state = DF_SLOT_WAITING_LIMIT;
      return;
    }
  slot->state = DF_SLOT_RUNNING;
  slot->call_out = TRUE;
  slot->stopped_at = 0;
  if (d->timeout > 0)
    df_timer_start_in (n->graph->rt, &slot->deadline, d->timeout);
  if (d->kind == DF_NODE_BLOCKING)
    {
      df_call_run_blocking (call, slot_blocking_thunk);
      return;
    }
  df_call_begin (call);
  if (!d->run (call, slot_items (slot), slot->n_items, &error))
    df_call_fail (call, error);
  else
    g_clear_error (&error);
  if (df_call_end_inline (call))
    slot_returned (slot);
}

/* The invocation returned in time. */
static void
slot_returned (DfGraphSlot *slot)
{
  slot->call_out = FALSE;
  df_timer_stop (slot->node->graph->rt, &slot->deadline);
  slot_done (slot, df_call_take_error (slot->call));
}

void
df_graph_slot_resumed (DfCall *call)
{
  DfGraphSlot *slot = df_graph_slot_from_call (call);
  DfGraphNode *n = slot->node;
  gboolean halted = n->graph->halted;

  if (slot->call_out && slot->refused)
    {
      slot_returned_late (slot);
      return;
    }
  switch (slot->state)
    {
    case DF_SLOT_RUNNING:
      slot_returned (slot);
      break;
    case DF_SLOT_WAITING_LIMIT:
      if (halted)
        {
          df_call_release_slot (call);
          DF_CNT_ADD (n->c.dropped, slot->n_items);
          slot_release (slot);
        }
      else
        df_graph_slot_attempt (slot);
      break;
    default:
      g_critical ("dfrt: graph node '%s' resumed in state %u", n->desc->name, slot->state);
      break;
    }
}

void
df_graph_node_cancel_calls (DfGraphNode *n, gboolean drain)
{
  if (n->slots == NULL)
    return;
  for (guint i = 0; i < n->n_slots; i++)
    {
      DfGraphSlot *slot = n->slots[i];
      if (slot->state != DF_SLOT_RUNNING)
        continue;
      slot->drain_cancelled = slot->drain_cancelled || drain;
      if (slot->call_out && slot->stopped_at == 0)
        slot->stopped_at = df_runtime_get_time (n->graph->rt);
      g_cancellable_cancel (df_call_get_cancellable (slot->call));
    }
}

/* ----------------------------------------------------------------- pump */

static DfGraphSlot *
node_idle_slot (DfGraphNode *n)
{
  for (guint i = 0; i < n->n_slots; i++)
    if (n->slots[i]->state == DF_SLOT_IDLE)
      return n->slots[i];
  return NULL;
}

void
df_graph_node_pump (DfGraphNode *n)
{
  DfGraph *g = n->graph;
  gboolean popped = FALSE;
  guint budget = DF_GRAPH_BATCH;

  n->in_pump = TRUE;
  while (budget > 0)
    {
      if (n->zip && df_zip_flush (n))
        popped = TRUE;
      if (!df_graph_node_drain_outbox (n))
        break;
      DfGraphSlot *slot = node_idle_slot (n);
      if (slot == NULL || !node_take (n, slot))
        break;
      budget -= MIN (budget, MAX (slot->n_items, 1));
      popped = TRUE;
      df_graph_slot_attempt (slot);
    }
  n->in_pump = FALSE;
  df_graph_remote_want (n);
  if (budget == 0)
    df_graph_node_kick (n);     /* more next time, after the others */
  if (popped && !n->is_start)
    df_graph_node_wake_sources (n);
  if (!g->finished)
    df_graph_node_check_finished (n);
}

gboolean
df_graph_node_step_one (DfGraphNode *n, gboolean may_start, gboolean may_deliver)
{
  gboolean progress = FALSE;

  if (n->finished)
    return FALSE;
  if (n->zip && df_zip_flush (n))
    progress = TRUE;
  if (!df_outbox_is_empty (&n->outbox))
    {
      /* One item, which goes downstream before anything else moves. */
      if (!may_deliver)
        return progress;
      gboolean empty;
      return df_graph_node_deliver_outbox (n, 1, &empty) > 0 || progress;
    }

    {
      DfGraphSlot *slot = n->slots[0];
      if (slot->state == DF_SLOT_IDLE && (may_start || !n->is_start) && node_take (n, slot))
        {
          n->in_pump = TRUE;
          df_graph_slot_attempt (slot);
          n->in_pump = FALSE;
          return TRUE;
        }
    }
  return progress;
}

/* Sync mode: a running generator whose items are taken as they come (a
 * blocking one waits only when its outbox is full). */
static gboolean
slot_is_streaming (DfGraphSlot *slot)
{
  return slot->state == DF_SLOT_RUNNING && !slot->node->inline_run
         && g_atomic_int_get (&slot->emitted);
}

gboolean
df_graph_sync_may_step (DfGraph *g)
{
  if (g->busy == 0)
    return TRUE;
  for (guint i = 0; i < g->n_nodes; i++)
    {
      DfGraphNode *n = &g->nodes[i];
      for (guint k = 0; n->busy > 0 && k < n->n_slots; k++)
        if (n->slots[k]->state != DF_SLOT_IDLE && !slot_is_streaming (n->slots[k]))
          return FALSE;
    }
  return TRUE;
}

gboolean
df_graph_sync_generators_stuck (DfGraph *g)
{
  for (guint i = 0; i < g->n_nodes; i++)
    {
      DfGraphNode *n = &g->nodes[i];
      if (n->busy > 0 && (df_outbox_is_empty (&n->outbox) || df_graph_node_has_room (n)))
        return FALSE;
    }
  return TRUE;
}
