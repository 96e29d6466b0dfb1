/* graph-remote.c — a graph over several processes (docs/scale-out.md).
 *
 * With a transport set, every edge into a `remote` node goes through the
 * node's stream: a delivery encodes the destination's input item and
 * sends it (a full stream is a full queue: the source waits), and the
 * node, where it runs, is fed by the stream instead of its sources: it
 * asks for as many entries as its queue has room for, decodes each into
 * its ring with the entry's token alongside, and says when each input is
 * over (handled, or dropped by a halt: left for another consumer).  It
 * finishes when the transport says its input has ended.  The nodes that
 * run in other processes are finished from the start; the last local
 * source of a remote node that finishes ends this process's writing.
 *
 * The runtime stays GLib-only: the transport is a table of functions
 * (dfscale implements it on Redis streams).
 */
#include <string.h>

#include "graph-private.h"

void
df_graph_set_transport (DfGraph *graph, const DfGraphTransport *transport, gpointer data)
{
  g_return_if_fail (graph != NULL && !graph->started);
  graph->transport = transport;
  graph->transport_data = data;
}

static gboolean
is_named (const char *const *names, const char *name)
{
  for (guint i = 0; names[i]; i++)
    if (strcmp (names[i], name) == 0)
      return TRUE;
  return FALSE;
}

gboolean
df_graph_set_local_nodes (DfGraph *graph, const char *const *names, GError **error)
{
  g_return_val_if_fail (graph != NULL && !graph->started, FALSE);
  DfGraph *g = graph;

  for (guint i = 0; names && names[i]; i++)
    if (df_graph_find_node (g, names[i]) < 0)
      {
        g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "graph '%s' has no node '%s'",
                     g->desc->name, names[i]);
        return FALSE;
      }
  for (guint i = 0; i < g->n_nodes; i++)
    g->nodes[i].away = names != NULL && !is_named (names, g->desc->nodes[i].name);
  for (guint e = 0; e < g->desc->n_edges; e++)
    {
      const DfGraphEdgeDesc *ed = &g->desc->edges[e];
      DfGraphNode *from = &g->nodes[ed->from], *to = &g->nodes[ed->to];
      if (from->away != to->away && !(to->desc->remote && g->transport))
        {
          g_set_error (error, DF_ERROR, DF_ERROR_USAGE,
                       "graph '%s': node '%s' runs %s and '%s' %s, but the edge between "
                       "them is local: make '%s' remote", g->desc->name, from->desc->name,
                       from->away ? "elsewhere" : "here", to->desc->name,
                       to->away ? "elsewhere" : "here", to->desc->name);
          return FALSE;
        }
    }
  g->some_away = names != NULL;
  return TRUE;
}

/* ---------------------------------------------------------------- start */

/* What cannot cross processes: a zip's rows are made where the zip's
 * sources meet, and dead letters are handed over in the process that
 * failed (graph-policy.c), not through a stream. */
static gboolean
node_may_be_remote (DfGraphNode *n, GError **error)
{
  const DfGraphDesc *desc = n->graph->desc;

  for (guint e = 0; e < desc->n_edges; e++)
    if (desc->edges[e].to == n->index && (desc->edges[e].zip || desc->edges[e].dead))
      {
        g_set_error (error, DF_ERROR, DF_ERROR_USAGE,
                     "remote node '%s' cannot be the destination of a %s", n->desc->name,
                     desc->edges[e].zip ? "zip" : "dead-letter edge");
        return FALSE;
      }
  return TRUE;
}

static gboolean
node_open (DfGraphNode *n, GError **error)
{
  DfGraph *g = n->graph;

  if (!node_may_be_remote (n, error))
    return FALSE;

  for (guint i = 0; i < n->n_sources; i++)
    if (!n->sources[i]->away)
      n->writers_open++;
  n->remote_write = n->writers_open > 0;
  n->remote_read = !n->away;
  if (!n->remote_write && !n->remote_read)
    return TRUE;
  n->stream = g->transport->open (g->transport_data, g, n->index, n->remote_write,
                                  n->remote_read, error);
  if (n->stream == NULL)
    return FALSE;
  if (n->remote_read)
    {
      n->open_sources = 0;     /* the stream feeds it, not its sources */
      n->tokens = g_new0 (gpointer, n->ring.cap);
    }
  return TRUE;
}

DfGraphNode *
df_graph_remote_start (DfGraph *g, GError **error)
{
  DfGraphNode *unopened = NULL;

  for (guint i = 0; i < g->n_nodes && unopened == NULL; i++)
    {
      DfGraphNode *n = &g->nodes[i];
      if (g->transport && n->desc->remote && !node_open (n, error))
        unopened = n;
    }
  if (g->transport && g->fields == NULL)
    g->fields = df_fields_builder_new ();
  /* Elsewhere means finished here (their streams stay open for writing). */
  for (guint i = 0; i < g->n_nodes; i++)
    if (g->nodes[i].away)
      {
        g->nodes[i].finished = TRUE;
        g->n_finished++;
      }
  return unopened;
}

void
df_graph_remote_close (DfGraph *g)
{
  for (guint i = 0; i < g->n_nodes; i++)
    {
      DfGraphNode *n = &g->nodes[i];
      if (n->stream)
        g->transport->close (g->transport_data, n->stream);
      n->stream = NULL;
      g_clear_pointer (&n->tokens, g_free);
    }
  g_clear_pointer (&g->fields, df_fields_builder_free);
}

/* --------------------------------------------------------------- writing */

void
df_graph_remote_send (DfGraphNode *dst, DfEdgeConvertFunc convert, gconstpointer item,
                      gsize emit_size)
{
  DfGraph *g = dst->graph;
  const DfGraphNodeDesc *d = dst->desc;
  DfFields fields;

  memset (dst->scratch, 0, MAX (d->item_size, 1));
  if (convert)
    convert ((gpointer) item, dst->scratch);
  else if (emit_size && d->item_size)
    memcpy (dst->scratch, item, MIN (emit_size, d->item_size));
  df_fields_builder_reset (g->fields);
  d->encode (dst->scratch, g->fields);
  if (d->item_free)
    d->item_free (dst->scratch);
  df_fields_builder_view (g->fields, &fields);
  if (!g->transport->send (g->transport_data, dst->stream, &fields))
    dst->remote_full = TRUE;
}

void
df_graph_remote_room (DfGraph *graph, guint node)
{
  g_return_if_fail (graph != NULL && node < graph->n_nodes);
  DfGraphNode *n = &graph->nodes[node];

  n->remote_full = FALSE;
  df_graph_node_wake_sources (n);
}

void
df_graph_remote_source_finished (DfGraphNode *dst)
{
  if (dst->writers_open > 0 && --dst->writers_open == 0)
    dst->graph->transport->end_writing (dst->graph->transport_data, dst->stream);
}

/* --------------------------------------------------------------- reading */

void
df_graph_remote_want (DfGraphNode *n)
{
  DfGraph *g = n->graph;
  guint room = n->ring.cap - n->ring.len;

  if (!n->remote_read || n->remote_wanting || n->remote_ended || g->halted || g->draining
      || g->finished || room == 0)
    return;
  n->remote_wanting = TRUE;
  g->transport->want (g->transport_data, n->stream, room);
}

void
df_graph_remote_push (DfGraph *graph, guint node, const DfFields *fields, gpointer token,
                      gboolean redelivered)
{
  g_return_if_fail (graph != NULL && node < graph->n_nodes);
  DfGraphNode *n = &graph->nodes[node];
  const DfGraphNodeDesc *d = n->desc;
  g_autoptr (GError) error = NULL;

  g_return_if_fail (n->remote_read && n->ring.len < n->ring.cap);
  DF_CNT_ADD (n->c.in, 1);
  if (redelivered)
    DF_CNT_ADD (n->redelivered, 1);
  if (graph->halted)
    {
      DF_CNT_ADD (n->c.dropped, 1);
      graph->transport->done (graph->transport_data, n->stream, token, FALSE);
      return;
    }
  gpointer slot = df_ring_push (&n->ring);
  if (!d->decode (fields, slot, &error))
    {
      /* An entry that cannot be the node's input never will be: it
       * failed, and is acknowledged so that it is not handed out again. */
      if (d->item_free)
        d->item_free (slot);
      n->ring.len--;
      g_prefix_error (&error, "node '%s': ", d->name);
      df_graph_record_error (n, error);
      DF_CNT_ADD (n->c.err, 1);
      graph->transport->done (graph->transport_data, n->stream, token, TRUE);
      return;
    }
  guint at = (n->ring.head + n->ring.len - 1) % n->ring.cap;
  n->tokens[at] = token;
  df_graph_count_queued (n);
}

void
df_graph_remote_pushed (DfGraph *graph, guint node)
{
  g_return_if_fail (graph != NULL && node < graph->n_nodes);
  DfGraphNode *n = &graph->nodes[node];

  n->remote_wanting = FALSE;
  df_graph_node_kick (n);
}

void
df_graph_remote_ended (DfGraph *graph, guint node, const GError *error)
{
  g_return_if_fail (graph != NULL && node < graph->n_nodes);
  DfGraphNode *n = &graph->nodes[node];

  n->remote_wanting = FALSE;
  if (error)
    {
      df_graph_record_error (n, error);
      df_graph_halt (graph, n, g_error_copy (error));
      return;
    }
  n->remote_ended = TRUE;
  df_graph_node_kick (n);
}

gpointer
df_graph_remote_pop_token (DfGraphNode *n)
{
  if (n->tokens == NULL)
    return NULL;
  gpointer token = n->tokens[n->ring.head];
  n->tokens[n->ring.head] = NULL;
  return token;
}

void
df_graph_remote_item_done (DfGraphSlot *slot, gsize i, gboolean handled)
{
  DfGraphNode *n = slot->node;

  if (slot->tokens == NULL || slot->tokens[i] == NULL)
    return;
  n->graph->transport->done (n->graph->transport_data, n->stream, slot->tokens[i], handled);
  slot->tokens[i] = NULL;
}
