/* graph.c — a graph run: checking the description, starting, ending,
 * halting, draining and cancelling.
 *
 * A running graph is one DfFrame to the rest of the runtime (so
 * df_runtime_run() waits for it and every slot's DfCall works exactly as
 * in a flow: async completion from any thread, blocking calls on the
 * pool, limits; time-outs and retry back-offs are the slots' own timers,
 * graph-node.c).  The frame's
 * step hands each resumed call to its slot (graph-node.c).  The frame is
 * never df_frame_start()ed, so df_runtime_cancel_all() does not fail it
 * behind the graph's back; the runtime cancels graphs through
 * df_graphs_cancel_all() instead, which accounts for every item.
 *
 * Lifetime: DfGraph is reference counted (any thread).  The frame holds a
 * reference until it is freed (after the last late call returned), every
 * queued task holds one, and the caller holds its own.
 */
#include <string.h>

#include "graph-private.h"

typedef struct {
  DfFrame  base;
  DfGraph *graph;
} GraphFrame;

static void graph_frame_step     (DfFrame *frame, DfCall *resumed);
static void graph_frame_finalize (DfFrame *frame);

const DfFrameClass df_graph_frame_class = {
  .name = "graph",
  .size = sizeof (GraphFrame),
  .step = graph_frame_step,
  .finalize = graph_frame_finalize,
};

static void graph_request_run (DfTask *task);
static void graph_grace_over  (DfTimer *timer);
static void graph_sync_run    (DfTask *task);

/* ---------------------------------------------------------- validation */

static gboolean
usage_error (GError **error, const DfGraphDesc *desc, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static gboolean
usage_error (GError **error, const DfGraphDesc *desc, const char *fmt, ...)
{
  va_list args;

  va_start (args, fmt);
  char *msg = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "graph '%s': %s",
               desc->name ? desc->name : "?", msg);
  g_free (msg);
  return FALSE;
}

static gboolean
check_node (const DfGraphDesc *desc, guint i, gboolean is_start, GError **error)
{
  const DfGraphNodeDesc *nd = &desc->nodes[i];
  const char *name = nd->name ? nd->name : "?";

  if (nd->run == NULL)
    return usage_error (error, desc, "node '%s' has no run function", name);
  if (nd->call_size && nd->call_size < sizeof (DfCall))
    return usage_error (error, desc, "node '%s': call_size is smaller than DfCall", name);
  if (nd->kind > DF_NODE_ASYNC || nd->on_error > DF_ON_ERROR_RETRY)
    return usage_error (error, desc, "node '%s': bad kind or error policy", name);
  if ((nd->every || nd->cron) && !is_start)
    return usage_error (error, desc, "node '%s': every/cron only on start nodes", name);
  if (nd->every < 0 || (nd->every && nd->cron))
    return usage_error (error, desc, "node '%s': one of every or cron", name);
  if (nd->batch_within && nd->batch < 1)
    return usage_error (error, desc, "node '%s': within needs batch", name);
  if (nd->batch && is_start)
    return usage_error (error, desc, "node '%s': a start node cannot batch", name);
  if (nd->cron)
    {
      g_autoptr (GError) local = NULL;
      g_autoptr (DfCron) cron = df_cron_parse (nd->cron, &local);
      if (cron == NULL)
        return usage_error (error, desc, "node '%s': %s", name, local->message);
    }
  return TRUE;
}

/* Edges, zip groups and acyclicity; fills the topological order. */
static gboolean
check_desc (const DfGraphDesc *desc, guint *topo, GError **error)
{
  guint n = desc->n_nodes;
  g_autofree guint *indeg = g_new0 (guint, n + 1);
  g_autofree guint *zips = g_new0 (guint, n + 1);
  g_autofree guint32 *zip_seen = g_new0 (guint32, n + 1);

  for (guint e = 0; e < desc->n_edges; e++)
    {
      const DfGraphEdgeDesc *ed = &desc->edges[e];
      if (ed->from >= n || ed->to >= n || ed->from == ed->to)
        return usage_error (error, desc, "edge %u: bad node index", e);
      indeg[ed->to]++;
      if (ed->zip && ed->copy == NULL)
        return usage_error (error, desc, "edge %u: a zip edge needs a copy function", e);
      if (ed->dead && ed->zip)
        return usage_error (error, desc, "edge %u: a dead-letter edge cannot be a zip", e);
      if (ed->zip)
        {
          if (ed->zip > 32 || (zip_seen[ed->to] >> (ed->zip - 1)) & 1)
            return usage_error (error, desc, "edge %u: bad or repeated zip position %u", e, ed->zip);
          zip_seen[ed->to] |= 1u << (ed->zip - 1);
          zips[ed->to]++;
        }
    }
  for (guint i = 0; i < n; i++)
    {
      if (zips[i] && zip_seen[i] != (zips[i] == 32 ? G_MAXUINT32 : (1u << zips[i]) - 1))
        return usage_error (error, desc, "node '%s': zip positions must be 1..%u",
                            desc->nodes[i].name, zips[i]);
      if (!check_node (desc, i, indeg[i] == 0, error))
        return FALSE;
    }
  if (!df_graph_check_dead_letters (desc, indeg, error))
    return FALSE;

  /* Kahn: repeatedly take a node whose sources are all placed. */
  guint placed = 0;
  for (guint i = 0; i < n; i++)
    if (indeg[i] == 0)
      topo[placed++] = i;
  for (guint k = 0; k < placed; k++)
    for (guint e = 0; e < desc->n_edges; e++)
      if (desc->edges[e].from == topo[k] && --indeg[desc->edges[e].to] == 0)
        topo[placed++] = desc->edges[e].to;
  if (placed < n)
    for (guint i = 0; i < n; i++)
      if (indeg[i] > 0)
        return usage_error (error, desc, "the edges form a cycle through node '%s'",
                            desc->nodes[i].name);
  return TRUE;
}

/* ------------------------------------------------------------ lifetime */

/* The sync scheduler's preference: the nodes furthest from the start
 * (longest path) first, and among nodes as far, the earlier in
 * topological (fan-out) order, so that an item reaches the destinations
 * of a fan-out in edge order and each goes all the way down first. */
static guint *
sync_order_new (const DfGraphDesc *desc, const guint *topo)
{
  guint n = desc->n_nodes;
  g_autofree guint *depth = g_new0 (guint, n + 1);
  guint *order = g_new0 (guint, n + 1);
  guint max_depth = 0, placed = 0;

  for (guint k = 0; k < n; k++)
    for (guint e = 0; e < desc->n_edges; e++)
      if (desc->edges[e].from == topo[k])
        {
          guint to = desc->edges[e].to;
          depth[to] = MAX (depth[to], depth[topo[k]] + 1);
          max_depth = MAX (max_depth, depth[to]);
        }
  for (guint d = max_depth + 1; d-- > 0;)
    for (guint k = 0; k < n; k++)
      if (depth[topo[k]] == d)
        order[placed++] = topo[k];
  return order;
}

DfGraph *
df_graph_new (DfRuntime *rt, const DfGraphDesc *desc, gconstpointer inputs, GError **error)
{
  g_return_val_if_fail (rt != NULL && desc != NULL, NULL);
  g_return_val_if_fail (desc->n_nodes == 0 || desc->nodes != NULL, NULL);

  g_autofree guint *topo = g_new0 (guint, desc->n_nodes + 1);
  if (!check_desc (desc, topo, error))
    return NULL;

  DfGraph *g = g_new0 (DfGraph, 1);
  g->refs = 1;
  g->rt = df_runtime_ref (rt);
  g->desc = desc;
  g->inputs = g_malloc0 (MAX (desc->inputs_size, 1));
  if (inputs && desc->inputs_size)
    memcpy (g->inputs, inputs, desc->inputs_size);
  g->n_nodes = desc->n_nodes;
  g->nodes = g_new0 (DfGraphNode, MAX (g->n_nodes, 1));
  g->sync_order = sync_order_new (desc, topo);
  g->topo = g_steal_pointer (&topo);
  g->mode = DF_GRAPH_ASYNC;
  g->max_errors = DF_GRAPH_DEFAULT_MAX_ERRORS;
  df_task_init (&g->request_task, graph_request_run);
  df_task_init (&g->sync_task, graph_sync_run);
  df_timer_init (&g->grace_timer, graph_grace_over);

  for (guint i = 0; i < g->n_nodes; i++)
    {
      DfGraphNode *n = &g->nodes[i];
      n->graph = g;
      n->desc = &desc->nodes[i];
      n->index = i;
      df_log_limit_init (&n->pol.log_limit);
      df_graph_stats_init (n);
    }
  /* Edges, grouped per node in edge order. */
  for (guint e = 0; e < desc->n_edges; e++)
    {
      if (!desc->edges[e].dead)   /* dead letters are not the node's output */
        g->nodes[desc->edges[e].from].n_out++;
      g->nodes[desc->edges[e].to].n_sources++;
    }
  for (guint i = 0; i < g->n_nodes; i++)
    {
      DfGraphNode *n = &g->nodes[i];
      n->out = g_new0 (const DfGraphEdgeDesc *, MAX (n->n_out, 1));
      n->sources = g_new0 (DfGraphNode *, MAX (n->n_sources, 1));
      n->is_start = n->n_sources == 0;
      n->n_out = n->n_sources = 0;
    }
  for (guint e = 0; e < desc->n_edges; e++)
    {
      DfGraphNode *from = &g->nodes[desc->edges[e].from];
      DfGraphNode *to = &g->nodes[desc->edges[e].to];
      if (desc->edges[e].dead)
        from->dead = &desc->edges[e];
      else
        from->out[from->n_out++] = &desc->edges[e];
      to->sources[to->n_sources++] = from;
    }
  return g;
}

DfGraph *
df_graph_ref (DfGraph *graph)
{
  g_return_val_if_fail (graph != NULL, NULL);
  g_atomic_int_inc (&graph->refs);
  return graph;
}

static void
graph_free (DfGraph *g)
{
  for (guint i = 0; i < g->n_nodes; i++)
    {
      df_graph_node_teardown (&g->nodes[i]);
      df_graph_stats_clear (&g->nodes[i]);
      g_free (g->nodes[i].out);
      g_free (g->nodes[i].sources);
    }
  g_clear_error (&g->error);
  g_clear_object (&g->cancellable);
  g_free (g->nodes);
  g_free (g->topo);
  g_free (g->sync_order);
  g_free (g->inputs);
  df_runtime_unref (g->rt);
  g_free (g);
}

void
df_graph_unref (DfGraph *graph)
{
  g_return_if_fail (graph != NULL);
  if (g_atomic_int_dec_and_test (&graph->refs))
    graph_free (graph);
}

void
df_graph_set_mode (DfGraph *graph, DfGraphMode mode)
{
  g_return_if_fail (!graph->started);
  graph->mode = mode;
}

void
df_graph_set_max_errors (DfGraph *graph, guint n)
{
  g_return_if_fail (!graph->started);
  graph->max_errors = n;
}

void
df_graph_set_user_data (DfGraph *graph, gpointer user_data)
{
  graph->user_data = user_data;
  if (graph->frame)
    df_frame_set_user_data (graph->frame, user_data);
}

static void
graph_cancellable_fired (GCancellable *cancellable, gpointer data)
{
  df_graph_cancel (data);
}

void
df_graph_set_cancellable (DfGraph *graph, GCancellable *cancellable)
{
  g_return_if_fail (!graph->started && graph->cancellable == NULL);
  if (cancellable)
    graph->cancellable = g_object_ref (cancellable);
}

gboolean
df_graph_is_finished (DfGraph *graph)
{
  return graph->finished;
}

const char *
df_graph_get_name (DfGraph *graph)
{
  return graph->desc->name;
}

DfRuntime *
df_graph_get_runtime (DfGraph *graph)
{
  return graph->rt;
}

/* ----------------------------------------------------------- scheduling */

void
df_graph_node_kick (DfGraphNode *n)
{
  DfGraph *g = n->graph;
  gint *flag = g->mode == DF_GRAPH_SYNC ? &g->sync_queued : &n->task_queued;
  DfTask *task = g->mode == DF_GRAPH_SYNC ? &g->sync_task : &n->task;

  if (g_atomic_int_get (flag) || !g_atomic_int_compare_and_exchange (flag, 0, 1))
    return;
  df_graph_ref (g);
  df_runtime_schedule (g->rt, task);
}

static void
graph_node_task_run (DfTask *task)
{
  DfGraphNode *n = DF_CONTAINER_OF (task, DfGraphNode, task);
  DfGraph *g = n->graph;

  g_atomic_int_set (&n->task_queued, 0);
  if (g->running && !g->finished)
    df_graph_node_pump (n);
  df_graph_unref (g);
}

/* One step of the node furthest downstream that can make one.  No node
 * above a running generator hands over an item, so that the order does
 * not depend on how fast that generator is. */
static gboolean
graph_sync_step (DfGraph *g, gboolean may_start)
{
  gboolean deeper_busy = FALSE;

  for (guint k = 0; k < g->n_nodes; k++)
    {
      DfGraphNode *n = &g->nodes[g->sync_order[k]];
      if (df_graph_node_step_one (n, may_start, !deeper_busy))
        return TRUE;
      deeper_busy = deeper_busy || n->busy > 0;
    }
  return FALSE;
}

/* Sync mode: one invocation at a time, always the one furthest
 * downstream, so each item goes through the graph before the next.  A
 * running generator (blocking or async) is the exception: the items it
 * emits are taken one at a time, each through the graph first, while it
 * goes on (a blocking one waits when its outbox is full).  A start node
 * starts only when nothing is in flight, or when the running generators
 * all wait for room that only another source can make (a zip). */
static void
graph_sync_run (DfTask *task)
{
  DfGraph *g = DF_CONTAINER_OF (task, DfGraph, sync_task);
  guint budget = DF_GRAPH_BATCH;

  g_atomic_int_set (&g->sync_queued, 0);
  while (g->running && !g->finished && budget > 0 && df_graph_sync_may_step (g))
    {
      if (!graph_sync_step (g, g->busy == 0)
          && !(df_graph_sync_generators_stuck (g) && graph_sync_step (g, TRUE)))
        break;
      budget--;
    }
  for (guint k = 0; k < g->n_nodes && g->running && !g->finished; k++)
    df_graph_node_check_finished (&g->nodes[g->topo[k]]);
  if (budget == 0 && !g->finished)
    df_graph_node_kick (&g->nodes[0]);
  df_graph_unref (g);
}

/* ------------------------------------------------------------- finishing */

static void
graph_finish (DfGraph *g)
{
  GError *error = g_steal_pointer (&g->error);

  g->finished = TRUE;
  df_graph_stats_stop (g);
  df_timer_stop (g->rt, &g->grace_timer);
  if (g->grace_source != NULL)
    g_source_destroy (g->grace_source);
  g_clear_pointer (&g->grace_source, g_source_unref);
  g->rt->graphs = g_list_remove (g->rt->graphs, g);
  if (g->cancellable && g->cancel_id)
    g_cancellable_disconnect (g->cancellable, g->cancel_id);
  g->cancel_id = 0;
  for (guint i = 0; i < g->n_nodes; i++)
    {
      DfGraphNode *n = &g->nodes[i];
      df_timer_stop (g->rt, &n->tick_timer);
      df_timer_stop (g->rt, &n->batch_timer);
      df_outbox_close (&n->outbox);
    }
  df_graph_remote_close (g);

  df_graph_ref (g);
  if (g->done)
    g->done (g, error, g->done_data);
  g_clear_error (&error);
  /* Ends the frame: it is freed (and drops its reference) once calls
   * abandoned by a timeout have returned. */
  df_frame_return (g->frame);
  df_graph_unref (g);
}

void
df_graph_node_check_finished (DfGraphNode *n)
{
  DfGraph *g = n->graph;

  if (n->finished || g->finished || !g->running)
    return;
  if (n->is_start ? (n->pending_ticks > 0 || n->ticking) : n->open_sources > 0)
    return;
  /* Its stream may bring more, unless a drain or a halt stopped the
   * reading (what this process did not take is left to the others). */
  if (n->remote_read
      && (n->remote_wanting || (!n->remote_ended && !g->draining && !g->halted)))
    return;
  if (n->ring.len > 0 || n->busy > 0 || !df_outbox_is_empty (&n->outbox)
      || (n->zip && !df_zip_is_empty (n)) || df_graph_node_dead_letters_pending (n))
    return;

  n->finished = TRUE;
  df_timer_stop (g->rt, &n->batch_timer);
  df_graph_node_policy_end (n);
  df_graph_node_close_states (n);
  for (guint k = 0; k < n->n_out; k++)
    {
      DfGraphNode *dst = &g->nodes[n->out[k]->to];
      if (dst->stream)
        {
          df_graph_remote_source_finished (dst);
          continue;
        }
      dst->open_sources--;
      if (n->out[k]->zip)
        df_zip_source_finished (dst, n->out[k]->zip - 1);
      df_graph_node_kick (dst);
    }
  if (++g->n_finished == g->n_nodes)
    graph_finish (g);
}

/* -------------------------------------------------- halt, drain, cancel */

static void
graph_stop_ticks (DfGraphNode *n)
{
  if (!n->is_start)
    return;
  n->ticking = FALSE;
  df_timer_stop (n->graph->rt, &n->tick_timer);
  DF_CNT_ADD (n->c.dropped, n->pending_ticks);
  n->pending_ticks = 0;
}

/* Gives up the stopped calls due by @now; returns the next one's due
 * time, G_MAXINT64 when none is left (or the graph ended). */
static gint64
graph_give_up_stopped (DfGraph *g, gint64 now)
{
  gint64 next = G_MAXINT64;

  df_graph_ref (g);
  for (guint i = 0; i < g->n_nodes && !g->finished; i++)
    next = MIN (next, df_graph_node_give_up_stopped (&g->nodes[i], now));
  if (g->finished)
    next = G_MAXINT64;
  df_graph_unref (g);
  return next;
}

/* An auto-advancing virtual clock stands still while a blocking call
 * runs, so a stuck one would hold the grace too: there the grace is real
 * time from the first stop, as df_runtime_shutdown ()'s is. */
static gboolean
graph_grace_real_over (gpointer data)
{
  DfGraph *g = data;

  g_clear_pointer (&g->grace_source, g_source_unref);   /* its context keeps it */
  graph_give_up_stopped (g, G_MAXINT64);
  return G_SOURCE_REMOVE;
}

/* A call that a drain, halt or cancel cancelled has DF_SHUTDOWN_GRACE on
 * the runtime's clock to return; then it is given up as a time-out gives
 * a call up, so that a stage that ignores its cancellable cannot keep the
 * graph from ending.  The timer is armed for the next such call due. */
static void
graph_watch_stopped (DfGraph *g)
{
  gint64 next = graph_give_up_stopped (g, df_runtime_get_time (g->rt));

  if (next == G_MAXINT64)
    return;
  df_timer_start (g->rt, &g->grace_timer, next);
  if (g->rt->clock_auto && g->grace_source == NULL)
    {
      g->grace_source = g_timeout_source_new ((guint) (DF_SHUTDOWN_GRACE / 1000));
      g_source_set_callback (g->grace_source, graph_grace_real_over, g, NULL);
      g_source_attach (g->grace_source, g->rt->context);
    }
}

static void
graph_grace_over (DfTimer *timer)
{
  graph_watch_stopped (DF_CONTAINER_OF (timer, DfGraph, grace_timer));
}

static void
graph_drain_now (DfGraph *g)
{
  if (g->draining || g->finished)
    return;
  g->draining = TRUE;
  for (guint i = 0; i < g->n_nodes; i++)
    {
      DfGraphNode *n = &g->nodes[i];
      df_graph_node_stop_retries (n);
      if (n->is_start)
        {
          graph_stop_ticks (n);
          df_graph_node_cancel_calls (n, TRUE);
        }
      df_graph_node_kick (n);
    }
  graph_watch_stopped (g);
}

void
df_graph_halt (DfGraph *g, DfGraphNode *n, GError *error)
{
  if (g->halted || g->finished)
    {
      g_clear_error (&error);
      return;
    }
  g->halted = TRUE;
  g_clear_error (&g->error);
  if (n)
    g->error = g_error_new (DF_ERROR, DF_ERROR_HALTED, "graph '%s' halted: node '%s' failed: %s",
                            g->desc->name, n->desc->name, error->message);
  else
    g->error = g_error_new (DF_ERROR, DF_ERROR_CANCELLED, "graph '%s' was cancelled",
                            g->desc->name);
  g_clear_error (&error);

  for (guint i = 0; i < g->n_nodes; i++)
    {
      DfGraphNode *node = &g->nodes[i];
      graph_stop_ticks (node);
      df_graph_node_drop_queued (node);
      df_graph_node_stop_retries (node);
      df_graph_node_cancel_calls (node, FALSE);
      df_graph_node_kick (node);   /* drops its outbox, may finish */
    }
  graph_watch_stopped (g);
}

/* Drain and cancel requests may come from any thread: they become the
 * graph's request task. */
static void
graph_request (DfGraph *g, gint bits)
{
  g_atomic_int_or (&g->requests, bits);
  if (g_atomic_int_compare_and_exchange (&g->request_queued, 0, 1))
    {
      df_graph_ref (g);
      df_runtime_schedule (g->rt, &g->request_task);
    }
}

static void graph_start_now (DfGraph *g);

static void
graph_request_run (DfTask *task)
{
  DfGraph *g = DF_CONTAINER_OF (task, DfGraph, request_task);

  g_atomic_int_set (&g->request_queued, 0);
  gint bits = g_atomic_int_and (&g->requests, 0);
  if ((bits & DF_GRAPH_REQ_START) && !g->running)
    graph_start_now (g);
  if (g->running && !g->finished)
    {
      if (bits & DF_GRAPH_REQ_CANCEL)
        df_graph_halt (g, NULL, NULL);
      if (bits & DF_GRAPH_REQ_DRAIN)
        graph_drain_now (g);
    }
  else if (!g->running)
    g_atomic_int_or (&g->requests, bits & ~DF_GRAPH_REQ_START);
  df_graph_unref (g);
}

void
df_graph_drain (DfGraph *graph)
{
  graph_request (graph, DF_GRAPH_REQ_DRAIN);
}

void
df_graph_cancel (DfGraph *graph)
{
  graph_request (graph, DF_GRAPH_REQ_CANCEL);
}

void
df_graphs_cancel_all (DfRuntime *rt)
{
  for (GList *l = rt->graphs; l; l = l->next)
    {
      DfGraph *g = l->data;
      if (g->drain_on_stop)
        df_graph_drain (g);
      else
        df_graph_cancel (g);
    }
}

void
df_graph_set_drain_on_stop (DfGraph *graph, gboolean drain)
{
  g_return_if_fail (graph != NULL && !graph->started);
  graph->drain_on_stop = drain;
}

/* ------------------------------------------------------------- starting */

/* Arms the node's next tick: the next cron minute, or `every` after the
 * last one (without drifting; after a stall, from now). */
static void
graph_arm_tick (DfGraphNode *n)
{
  DfGraph *g = n->graph;

  if (n->cron)
    {
      GDateTime *wall = g_date_time_new_now_local ();
      GDateTime *next = df_cron_next (n->cron, wall);
      if (next)
        df_timer_start_in (g->rt, &n->tick_timer, g_date_time_difference (next, wall));
      else
        n->ticking = FALSE;
      g_date_time_unref (wall);
      g_clear_pointer (&next, g_date_time_unref);
      return;
    }
  gint64 now = df_runtime_get_time (g->rt);
  n->next_tick += n->desc->every;
  if (n->next_tick <= now)
    n->next_tick = now + n->desc->every;
  df_timer_start (g->rt, &n->tick_timer, n->next_tick);
}

static void
graph_tick (DfTimer *timer)
{
  DfGraphNode *n = DF_CONTAINER_OF (timer, DfGraphNode, tick_timer);
  DfGraph *g = n->graph;

  if (!n->ticking || g->halted || g->finished)
    return;
  /* A tick that finds the previous one still waiting is dropped. */
  DF_CNT_ADD (n->c.in, 1);
  if (n->pending_ticks > 0)
    DF_CNT_ADD (n->c.dropped, 1);
  else
    n->pending_ticks = 1;
  graph_arm_tick (n);
  df_graph_node_kick (n);
}

/* Once: one tick now.  every D: one now, then every D.  cron: at each
 * matching minute. */
static void
graph_start_node (DfGraphNode *n)
{
  if (!n->is_start || n->away)
    return;
  df_timer_init (&n->tick_timer, graph_tick);
  n->next_tick = df_runtime_get_time (n->graph->rt);
  if (n->desc->cron)
    {
      n->cron = df_cron_parse (n->desc->cron, NULL);   /* checked by df_graph_new() */
      n->ticking = TRUE;
      graph_arm_tick (n);
      return;
    }
  DF_CNT_ADD (n->c.in, 1);
  n->pending_ticks = 1;
  if (n->desc->every > 0)
    {
      n->ticking = TRUE;
      graph_arm_tick (n);
    }
}

static void
graph_start_now (DfGraph *g)
{
  g->running = TRUE;
  g->rt->graphs = g_list_prepend (g->rt->graphs, g);
  if (g->cancellable)
    g->cancel_id = g_cancellable_connect (g->cancellable, G_CALLBACK (graph_cancellable_fired),
                                          g, NULL);
  df_graph_stats_start (g);
  GError *error = NULL;
  DfGraphNode *unopened = df_graph_remote_start (g, &error);
  for (guint i = 0; i < g->n_nodes; i++)
    graph_start_node (&g->nodes[i]);
  if (g->n_nodes == 0 || g->n_finished == g->n_nodes)
    {
      graph_finish (g);
      return;
    }
  if (df_runtime_is_stopping (g->rt))
    {
      if (g->drain_on_stop)
        graph_drain_now (g);
      else
        df_graph_halt (g, NULL, NULL);
    }
  if (unopened)
    df_graph_halt (g, unopened, error);
  for (guint i = 0; i < g->n_nodes; i++)
    {
      df_graph_remote_want (&g->nodes[i]);
      df_graph_node_kick (&g->nodes[i]);
    }
}

void
df_graph_start (DfGraph *graph, DfGraphDoneFunc done, gpointer user_data)
{
  g_return_if_fail (graph != NULL && !graph->started);

  DfGraph *g = graph;
  g->started = TRUE;
  g->done = done;
  g->done_data = user_data;
  g->frame = df_frame_new (g->rt, &df_graph_frame_class);
  ((GraphFrame *) g->frame)->graph = df_graph_ref (g);
  df_frame_set_user_data (g->frame, g->user_data);
  for (guint i = 0; i < g->n_nodes; i++)
    {
      DfGraphNode *n = &g->nodes[i];
      df_task_init (&n->task, graph_node_task_run);
      n->open_sources = n->n_sources;
      df_graph_node_setup (n);
    }
  graph_request (g, DF_GRAPH_REQ_START);
}

typedef struct {
  DfWait  wait;
  GError *error;
} GraphRunWait;

static void
graph_run_done (DfGraph *graph, const GError *error, gpointer data)
{
  GraphRunWait *w = data;

  w->error = error ? g_error_copy (error) : NULL;
  df_wait_done (&w->wait);
}

gboolean
df_graph_run (DfGraph *graph, GError **error)
{
  GraphRunWait w = { .error = NULL };

  df_wait_init (&w.wait);
  df_graph_start (graph, graph_run_done, &w);
  df_runtime_wait (graph->rt, &w.wait);
  df_wait_clear (&w.wait);
  if (w.error)
    {
      g_propagate_error (error, w.error);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------- frame */

static void
graph_frame_step (DfFrame *frame, DfCall *resumed)
{
  if (resumed)
    df_graph_slot_resumed (resumed);
}

/* The runtime disposes a frame's calls after finalize; the calls live in
 * the graph, which this may free, so they are disposed here first. */
static void
graph_frame_finalize (DfFrame *frame)
{
  DfGraph *g = ((GraphFrame *) frame)->graph;

  for (DfCall *call = frame->calls; call; call = call->sibling)
    df_call_dispose (call);
  frame->calls = NULL;
  df_graph_unref (g);
}

/* ------------------------------------------------------------ accessors */

gconstpointer
df_call_get_graph_inputs (DfCall *call)
{
  g_return_val_if_fail (call != NULL, NULL);
  DfFrame *frame = df_call_get_frame (call);

  return df_graph_is_frame (frame) ? ((GraphFrame *) frame)->graph->inputs : NULL;
}

DfGraph *
df_context_get_graph (DfContext *ctx)
{
  g_return_val_if_fail (ctx != NULL, NULL);
  return df_graph_is_frame (ctx->frame) ? ((GraphFrame *) ctx->frame)->graph : NULL;
}

guint
df_graph_get_n_nodes (DfGraph *graph)
{
  return graph->n_nodes;
}

const char *
df_graph_get_node_name (DfGraph *graph, guint node)
{
  g_return_val_if_fail (node < graph->n_nodes, NULL);
  return graph->nodes[node].desc->name;
}

gint
df_graph_find_node (DfGraph *graph, const char *name)
{
  for (guint i = 0; i < graph->n_nodes; i++)
    if (g_strcmp0 (graph->nodes[i].desc->name, name) == 0)
      return (gint) i;
  return -1;
}

gboolean
df_graph_node_is_start (DfGraph *graph, guint node)
{
  g_return_val_if_fail (node < graph->n_nodes, FALSE);
  return graph->nodes[node].is_start;
}
