/* graph-check.h — running a graph to its end and checking the accounting
 * every graph keeps, for the runtime's graph tests (hand-written graphs)
 * and the end-to-end ones (generated graphs) alike. */
#pragma once

#include <dfrt-gen.h>

/* What a graph run saw. */
typedef struct {
  gboolean done;
  GError  *error;    /* a copy of the graph's error, or NULL */
} GraphResult;

/* Starts @graph and runs its runtime until the graph has ended; fails the
 * test after @seconds (runtime_run_or_fail). */
void graph_run (DfGraph *graph, GraphResult *result, double seconds);
void graph_result_clear (GraphResult *result);

/* At every node: in == ok + err + dropped, nothing queued or in flight,
 * and the input queue never went past its bound. */
void graph_assert_accounting (DfGraph *graph);

/* The counters of the node named @name (which must exist). */
DfGraphNodeStats graph_node_stats (DfGraph *graph, const char *name);
