/* dfscale-graph.h — a graph's remote nodes on Redis streams: dfrt's
 * DfGraphTransport (dfrt-graph.h) over DfStreamWriter and DfStreamReader
 * (graph-transport.c says how the end of input travels). */
#pragma once

#include <dfrt.h>

#include "dfscale.h"

G_BEGIN_DECLS

typedef struct _DfScaleTransport DfScaleTransport;

/* Streams named PREFIX.GRAPH.NODE through @redis (borrowed; it outlives
 * every graph attached); this process is consumer @consumer of each
 * remote node's group. */
DfScaleTransport *df_scale_transport_new    (DfRedis *redis, const char *prefix,
                                             const char *consumer);
/* Entries pending this long on a consumer are taken over (default 30 s). */
void              df_scale_transport_set_claim_idle (DfScaleTransport *transport,
                                                     guint idle_ms);
/* Before df_graph_start (). */
void              df_scale_transport_attach (DfScaleTransport *transport, DfGraph *graph);
/* After the graphs attached have ended. */
void              df_scale_transport_free   (DfScaleTransport *transport);

G_END_DECLS
