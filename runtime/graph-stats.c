/* graph-stats.c — per-node counters, the last N errors, reports.
 *
 * Counters have one writer, the runtime thread, which stores them with
 * relaxed atomic stores (no lock, no read-modify-write); any thread reads
 * them with relaxed loads.  Errors are the rare path: a mutex guards each
 * node's ring of GError copies, so they can be read from any thread.
 */
#include "graph-private.h"

void
df_graph_stats_init (DfGraphNode *n)
{
  pthread_mutex_init (&n->errors_lock, NULL);
}

void
df_graph_stats_clear (DfGraphNode *n)
{
  for (guint i = 0; i < n->errors_len; i++)
    g_error_free (n->errors[(n->errors_head + i) % n->graph->max_errors].error);
  g_clear_pointer (&n->errors, g_free);
  pthread_mutex_destroy (&n->errors_lock);
}

void
df_graph_record_error (DfGraphNode *n, const GError *error)
{
  guint max = n->graph->max_errors;

  DF_CNT_ADD (n->c.errors, 1);
  if (max == 0)
    return;
  pthread_mutex_lock (&n->errors_lock);
  if (n->errors == NULL)
    n->errors = g_new0 (DfErrorRecord, max);
  DfErrorRecord *rec;
  if (n->errors_len == max)
    {
      /* Full: the oldest makes way. */
      rec = &n->errors[n->errors_head];
      g_error_free (rec->error);
      n->errors_head = (n->errors_head + 1) % max;
    }
  else
    rec = &n->errors[(n->errors_head + n->errors_len++) % max];
  rec->error = g_error_copy (error);
  rec->time = g_get_real_time ();
  pthread_mutex_unlock (&n->errors_lock);
}

void
df_graph_get_node_stats (DfGraph *graph, guint node, DfGraphNodeStats *out)
{
  g_return_if_fail (node < graph->n_nodes);
  DfGraphNode *n = &graph->nodes[node];

  out->name = n->desc->name;
  out->in = DF_CNT_GET (n->c.in);
  out->out = DF_CNT_GET (n->c.out);
  out->ok = DF_CNT_GET (n->c.ok);
  out->err = DF_CNT_GET (n->c.err);
  out->dropped = DF_CNT_GET (n->c.dropped);
  out->retries = DF_CNT_GET (n->c.retries);
  out->queued = DF_CNT_GET (n->c.queued);
  out->queue_max = DF_CNT_GET (n->c.queue_max);
  out->queue_size = n->is_start ? 0
                    : (n->desc->queue ? n->desc->queue : DF_GRAPH_DEFAULT_QUEUE);
  out->in_flight = DF_CNT_GET (n->c.in_flight);
  out->errors = DF_CNT_GET (n->c.errors);
  out->redelivered = DF_CNT_GET (n->redelivered);
}

void
df_graph_foreach_error (DfGraph *graph, guint node, DfGraphErrorFunc func, gpointer user_data)
{
  g_return_if_fail (node < graph->n_nodes && func != NULL);
  DfGraphNode *n = &graph->nodes[node];
  GPtrArray *copies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  GArray *times = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Copies under the lock, calls without it. */
  pthread_mutex_lock (&n->errors_lock);
  for (guint i = 0; i < n->errors_len; i++)
    {
      DfErrorRecord *rec = &n->errors[(n->errors_head + i) % graph->max_errors];
      g_ptr_array_add (copies, g_error_copy (rec->error));
      g_array_append_val (times, rec->time);
    }
  pthread_mutex_unlock (&n->errors_lock);

  for (guint i = 0; i < copies->len; i++)
    func (node, g_array_index (times, gint64, i), copies->pdata[i], user_data);
  g_ptr_array_unref (copies);
  g_array_unref (times);
}

static void
last_error (guint node, gint64 time, const GError *error, gpointer data)
{
  GError **last = data;

  g_clear_error (last);
  *last = g_error_copy (error);
}

char *
df_graph_format_stats (DfGraph *graph)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "graph %s\n%-20s %10s %10s %10s %8s %8s %7s %7s %s\n",
                          graph->desc->name, "node", "in", "out", "ok", "err",
                          "dropped", "retries", "queued", "max/size");
  for (guint i = 0; i < graph->n_nodes; i++)
    {
      DfGraphNodeStats s;
      df_graph_get_node_stats (graph, i, &s);
      g_string_append_printf (out, "%-20s %10" G_GINT64_FORMAT " %10" G_GINT64_FORMAT
                              " %10" G_GINT64_FORMAT " %8" G_GINT64_FORMAT " %8" G_GINT64_FORMAT
                              " %7" G_GINT64_FORMAT " %7" G_GINT64_FORMAT " %" G_GINT64_FORMAT
                              "/%" G_GINT64_FORMAT "\n",
                              s.name, s.in, s.out, s.ok, s.err, s.dropped, s.retries,
                              s.queued, s.queue_max, s.queue_size);
    }
  for (guint i = 0; i < graph->n_nodes; i++)
    {
      GError *last = NULL;
      df_graph_foreach_error (graph, i, last_error, &last);
      if (last)
        g_string_append_printf (out, "  %s: %" G_GINT64_FORMAT " errors, last: %s\n",
                                graph->nodes[i].desc->name,
                                DF_CNT_GET (graph->nodes[i].c.errors), last->message);
      g_clear_error (&last);
    }
  return g_string_free (out, FALSE);
}

/* ---------------------------------------------------- periodic reports */

static void
stats_timer_fired (DfTimer *timer)
{
  DfGraph *g = DF_CONTAINER_OF (timer, DfGraph, stats_timer);

  if (g->stats_func)
    g->stats_func (g, g->stats_data);
  else
    {
      char *text = df_graph_format_stats (g);
      g_printerr ("%s", text);
      g_free (text);
    }
  if (!g->finished && g->stats_interval > 0)
    df_timer_start_in (g->rt, timer, g->stats_interval);
}

void
df_graph_set_stats_interval (DfGraph *graph, GTimeSpan interval, DfGraphStatsFunc func,
                             gpointer user_data)
{
  graph->stats_interval = interval;
  graph->stats_func = func;
  graph->stats_data = user_data;
  if (graph->stats_timer.func == NULL)
    df_timer_init (&graph->stats_timer, stats_timer_fired);
  if (interval <= 0)
    df_timer_stop (graph->rt, &graph->stats_timer);
  else if (graph->running && !graph->finished)
    df_timer_start_in (graph->rt, &graph->stats_timer, interval);
}

void
df_graph_stats_start (DfGraph *g)
{
  if (g->stats_interval > 0)
    df_timer_start_in (g->rt, &g->stats_timer, g->stats_interval);
}

void
df_graph_stats_stop (DfGraph *g)
{
  if (g->stats_timer.func)
    df_timer_stop (g->rt, &g->stats_timer);
}
