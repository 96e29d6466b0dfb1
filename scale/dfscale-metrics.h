/* dfscale-metrics.h — the node statistics of a process's graphs over HTTP.
 *
 * A small HTTP server (libsoup) that answers
 *
 *   GET /metrics       the Prometheus text format (version 0.0.4): one
 *                      family per figure of DfGraphNodeStats, each sample
 *                      labelled with its graph and node;
 *   GET /metrics.json  the same figures as JSON:
 *                      {"graphs":[{"name":..,"nodes":[{"name":..,"in":..}]}]}
 *
 * so that the processes running one graph's nodes (docs/scale-out.md) can
 * be watched one by one.  Graphs come in the order they were added, nodes
 * in index order; each request reads the figures afresh.
 *
 * Everything, the requests included, runs on the thread that runs the
 * server's context, which must be that thread's thread-default context
 * while it runs (g_main_context_push_thread_default): libsoup attaches the
 * sources of each connection it accepts to the thread-default context.
 */
#pragma once

#include <dfrt.h>

G_BEGIN_DECLS

typedef struct _DfScaleMetrics DfScaleMetrics;

/* Serves on @address, "HOST:PORT" with HOST an IP address (port 0: any
 * free one, see df_scale_metrics_get_port), from @context (NULL: the
 * thread-default one).  NULL with @error for an address that is none
 * (G_IO_ERROR_INVALID_ARGUMENT) and when it cannot listen there (a port
 * in use: G_IO_ERROR_ADDRESS_IN_USE). */
DfScaleMetrics *df_scale_metrics_new       (GMainContext *context, const char *address,
                                            GError **error);
/* The port it listens on. */
guint16         df_scale_metrics_get_port  (DfScaleMetrics *m);
/* Serves @graph's figures too, after those of the graphs added before
 * (it keeps a reference until freed; adding a graph twice changes
 * nothing).  Prometheus wants the graphs' names distinct. */
void            df_scale_metrics_add_graph (DfScaleMetrics *m, DfGraph *graph);
/* Stops listening and drops the connections (their sockets close as the
 * context runs) and the graphs. */
void            df_scale_metrics_free      (DfScaleMetrics *m);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DfScaleMetrics, df_scale_metrics_free)

G_END_DECLS
