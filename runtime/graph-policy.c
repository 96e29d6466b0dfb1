/* graph-policy.c — what happens when a node's invocation has failed for
 * good: halt, or skip it (and halt after `halt after N` failures in a
 * row); and the log that makes every skipped or retried failure visible.
 *
 * The log is rate-limited per node so that a node failing on every item
 * of a large input cannot flood stderr: at most DF_POLICY_LOG_LINES lines
 * in a window of DF_POLICY_LOG_WINDOW, then one line with the count that
 * was not shown when the next window starts or the node ends.  Time is
 * the runtime's clock (df_runtime_get_time ()), so a virtual clock drives
 * the windows in tests.  Everything here runs on the runtime thread.
 */
#include <stdarg.h>

#include "graph-private.h"

#define DF_POLICY_LOG_LINES  10
#define DF_POLICY_LOG_WINDOW G_TIME_SPAN_SECOND

void
df_graph_set_quiet (DfGraph *graph, gboolean quiet)
{
  g_return_if_fail (graph != NULL);
  graph->quiet = quiet;
}

/* The one place the failure log is written: a later runtime-wide log
 * setting replaces this function's body. */
static void
policy_log_line (DfGraph *g, const char *line)
{
  const char *prog = g_get_prgname ();

  if (g->quiet)
    return;
  g_printerr ("%s%sgraph '%s': %s\n", prog ? prog : "", prog ? ": " : "", g->desc->name, line);
}

/* The failures the last window held back, if any. */
static void
policy_flush (DfGraphNode *n)
{
  DfNodePolicy *p = &n->pol;

  if (p->not_shown == 0)
    return;
  g_autofree char *line = g_strdup_printf ("%" G_GUINT64_FORMAT " more failure%s of node '%s' not shown",
                                           p->not_shown, p->not_shown == 1 ? "" : "s",
                                           n->desc->name);
  p->not_shown = 0;
  policy_log_line (n->graph, line);
}

static void policy_log (DfGraphNode *n, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
policy_log (DfGraphNode *n, const char *fmt, ...)
{
  DfNodePolicy *p = &n->pol;
  gint64 now = df_runtime_get_time (n->graph->rt);
  va_list args;

  if (n->graph->quiet)
    return;
  if (p->window_lines == 0 || now - p->window_start >= DF_POLICY_LOG_WINDOW)
    {
      policy_flush (n);
      p->window_start = now;
      p->window_lines = 0;
    }
  if (p->window_lines >= DF_POLICY_LOG_LINES)
    {
      p->not_shown++;
      return;
    }
  p->window_lines++;
  va_start (args, fmt);
  g_autofree char *line = g_strdup_vprintf (fmt, args);
  va_end (args);
  policy_log_line (n->graph, line);
}

void
df_graph_node_succeeded (DfGraphNode *n)
{
  n->pol.in_a_row = 0;
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

/* A retried node that used up its retries halts under halt_on_error. */
static gboolean
policy_halts (DfGraphNode *n)
{
  return n->policy == DF_ON_ERROR_HALT
         || (n->policy == DF_ON_ERROR_RETRY && n->graph->desc->halt_on_error);
}

void
df_graph_node_failed (DfGraphNode *n, GError *error)
{
  DfGraph *g = n->graph;
  guint limit = n->desc->halt_after;

  if (policy_halts (n))
    {
      df_graph_halt (g, n, error);
      return;
    }
  if (g->halted)
    {
      /* Failures of calls the halt cancelled are no news. */
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
  g_error_free (error);
}

void
df_graph_node_policy_end (DfGraphNode *n)
{
  policy_flush (n);
}
