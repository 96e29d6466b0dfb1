/* graph-policy.c — what happens when a node's invocation has failed for
 * good: its items go to the node's dead letters (`a !-> b`), if it has
 * any; then halt, or skip it (and halt after `halt after N` failures in
 * a row); and the log that makes every skipped or retried failure
 * visible.
 *
 * Dead letters are counted as `err` at the failing node and as `in` at
 * the destination, which runs them like any input.  The dead-letter edge
 * makes the failing node a source of the destination, so the destination
 * ends after it.  The failing node takes an input only when the
 * destination's queue has room for everything it would then have in
 * flight, so the dead letters never overfill the queue (but for a batch
 * larger than the queue).
 *
 * The log is rate-limited per node so that a node failing on every item
 * of a large input cannot flood stderr: at most DF_LOG_BURST lines a
 * second (log.c's DfLogLimit, one per node), then one line with the count that
 * was not shown when the next window starts or the node ends.  Time is
 * the runtime's clock (df_runtime_get_time ()), so a virtual clock drives
 * the windows in tests.  Everything here runs on the runtime thread.
 */
#include <stdarg.h>
#include <string.h>

#include "graph-private.h"

void
df_graph_set_quiet (DfGraph *graph, gboolean quiet)
{
  g_return_if_fail (graph != NULL);
  graph->quiet = quiet;
}

/* The one place the failure log is written: through the runtime's log,
 * so --quiet (df_runtime_set_quiet) silences graphs and flows alike. */
static void
policy_log_line (DfGraph *g, const char *line)
{
  const char *prog = g_get_prgname ();

  if (g->quiet)
    return;
  g_autofree char *text = g_strdup_printf ("%s%sgraph '%s': %s", prog ? prog : "", prog ? ": " : "",
                                           g->desc->name, line);
  df_log_write (g->rt, text);
}

/* The failures the last window held back, if any. */
static void
policy_report_held_back (DfGraphNode *n, guint64 held_back)
{
  if (held_back == 0)
    return;
  g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT " more failure%s of node '%s' not shown",
                                           held_back, held_back == 1 ? "" : "s", n->desc->name);
  policy_log_line (n->graph, line);
}

static void policy_log (DfGraphNode *n, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

/* One line per failure, within the node's share of the log (log.c's rate
 * limit, one per node: a node failing on every item cannot hide another's
 * failures). */
static void
policy_log (DfGraphNode *n, const char *fmt, ...)
{
  guint64 held_back;
  va_list args;

  if (n->graph->quiet)
    return;
  gboolean admitted = df_log_limit_admit (&n->pol.log_limit, df_runtime_get_time (n->graph->rt),
                                          &held_back);
  policy_report_held_back (n, held_back);
  if (!admitted)
    return;
  va_start (args, fmt);
  g_autofree char *line = g_strdup_vprintf (fmt, args);
  va_end (args);
  policy_log_line (n->graph, line);
}

void
df_graph_node_retrying (DfGraphNode *n, const GError *error, guint attempt, GTimeSpan delay)
{
  g_autofree char *when = delay > 0 ? g_strdup_printf (" in %" G_GINT64_FORMAT "ms",
                                                       delay / G_TIME_SPAN_MILLISECOND)
                                    : g_strdup ("");

  policy_log (n, "node '%s' failed, retry %u of %u%s: %s", n->desc->name, attempt,
              n->desc->retries, when, error->message);
}

/* A retried node that used up its retries halts under halt_on_error, but
 * not during a drain, which cut its retries short. */
static gboolean
policy_halts (DfGraphNode *n)
{
  return n->policy == DF_ON_ERROR_HALT
         || (n->policy == DF_ON_ERROR_RETRY && n->graph->desc->halt_on_error
             && !n->graph->draining);
}

gboolean
df_graph_check_dead_letters (const DfGraphDesc *desc, const guint *indeg, GError **error)
{
  g_autofree guint8 *sends = g_new0 (guint8, desc->n_nodes + 1);

  for (guint e = 0; e < desc->n_edges; e++)
    {
      const DfGraphEdgeDesc *ed = &desc->edges[e];
      if (ed->dead == NULL)
        continue;
      if (sends[ed->from]++)
        {
          g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "graph '%s': node '%s' has two dead-letter edges",
                       desc->name, desc->nodes[ed->from].name);
          return FALSE;
        }
      if (indeg[ed->from] == 0)
        {
          g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "graph '%s': start node '%s' cannot have dead letters",
                       desc->name, desc->nodes[ed->from].name);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
df_graph_dead_has_room (DfGraphNode *n)
{
  DfGraphNode *dst;

  if (n->dead == NULL || n->graph->halted)
    return TRUE;
  dst = &n->graph->nodes[n->dead->to];
  /* Room for every item in flight, should they all fail; an idle node
   * may always take one batch (a batch larger than the queue overflows
   * it rather than stalling). */
  return dst->ring.len + (n->busy + 1) * n->batch <= dst->ring.cap
         || (n->busy == 0 && dst->ring.len == 0);
}

/* The slot's items into the dead-letter destination; what the edge did
 * not move is freed with the slot's items. */
static void
dead_letters_send (DfGraphNode *n, DfGraphSlot *slot, const char *message)
{
  DfGraph *g = n->graph;
  const DfGraphNodeDesc *d = n->desc;
  DfGraphNode *dst = &g->nodes[n->dead->to];

  for (gsize i = 0; i < slot->n_items; i++)
    {
      if (g->halted)
        {
          DF_CNT_ADD (dst->c.in, 1);
          DF_CNT_ADD (dst->c.dropped, 1);
          continue;
        }
      /* Filled in the destination's scratch item, then run at once in
       * sync mode (depth-first, as any delivery) or queued. */
      gsize size = MAX (dst->desc->item_size, 1);
      memset (dst->scratch, 0, size);
      n->dead->dead (slot->items + i * d->item_size, message, dst->scratch);
      if (df_graph_node_run_item_now (dst, dst->scratch))
        continue;   /* counted there */
      if (dst->ring.len >= dst->ring.cap)
        df_ring_grow (&dst->ring);   /* a batch larger than the queue */
      memcpy (df_ring_push (&dst->ring), dst->scratch, size);
      DF_CNT_ADD (dst->c.in, 1);
      df_graph_count_queued (dst);
    }
  df_graph_node_kick (dst);
}

void
df_graph_slot_drop_dead_letters (DfGraphSlot *slot)
{
  DfGraphNode *n = slot->node;

  if (slot->dead_message == NULL)
    return;
  g_clear_pointer (&slot->dead_message, g_free);
  DfGraphNode *dst = &n->graph->nodes[n->dead->to];
  DF_CNT_ADD (dst->c.in, slot->n_items);
  DF_CNT_ADD (dst->c.dropped, slot->n_items);
}

gboolean
df_graph_node_dead_letters_pending (DfGraphNode *n)
{
  for (guint i = 0; n->retired != NULL && i < n->retired->len; i++)
    if (((DfGraphSlot *) n->retired->pdata[i])->dead_message != NULL)
      return TRUE;
  return FALSE;
}

void
df_graph_slot_settled (DfGraphSlot *slot)
{
  g_autofree char *message = g_steal_pointer (&slot->dead_message);

  if (message != NULL)
    dead_letters_send (slot->node, slot, message);
}

/* The slot's items as dead letters, now or once the abandoned call has
 * returned (its items are borrowed until then). */
static void
dead_letters_route (DfGraphNode *n, DfGraphSlot *slot, const GError *error, gboolean abandoned)
{
  if (n->dead == NULL)
    return;
  if (abandoned)
    slot->dead_message = g_strdup (error->message);
  else
    dead_letters_send (n, slot, error->message);
}

void
df_graph_node_failed (DfGraphNode *n, DfGraphSlot *slot, GError *error, gboolean abandoned)
{
  DfGraph *g = n->graph;
  guint limit = n->desc->halt_after;

  /* A failure that halts the graph is the graph's error, not a dead
   * letter (the same in both modes: a queued one would be dropped). */
  if (policy_halts (n))
    {
      df_graph_halt (g, n, error);
      return;
    }
  if (g->halted)
    {
      /* Failures of calls the halt cancelled are no news; their dead
       * letters are counted as dropped. */
      dead_letters_route (n, slot, error, abandoned);
      g_error_free (error);
      return;
    }
  n->pol.in_a_row++;
  if (limit > 0 && n->pol.in_a_row >= limit)
    {
      GError *why = g_error_new (error->domain, error->code, "%u times in a row; last error: %s",
                                 n->pol.in_a_row, error->message);
      g_error_free (error);
      df_graph_halt (g, n, why);
      return;
    }
  if (limit > 0)
    policy_log (n, "node '%s' failed, skipped (%u of %u in a row halt the graph): %s",
                n->desc->name, n->pol.in_a_row, limit, error->message);
  else
    policy_log (n, "node '%s' failed, skipped: %s", n->desc->name, error->message);
  dead_letters_route (n, slot, error, abandoned);
  g_error_free (error);
}

void
df_graph_node_policy_end (DfGraphNode *n)
{
  policy_report_held_back (n, df_log_limit_take_held_back (&n->pol.log_limit));
  if (n->dead != NULL)
    {
      DfGraphNode *dst = &n->graph->nodes[n->dead->to];
      dst->open_sources--;
      df_graph_node_kick (dst);
    }
}
