/* gen-graph.h — shared by the pieces of graph generation only:
 *
 *   gen-graph-items.c  per stage or flow a node runs: item structs, their
 *                      free functions, NAME_emit (), NAME_return () of
 *                      async generators, complete hooks; the header part
 *   gen-graph.c        per graph: edges, start functions, trampolines,
 *                      tables, entry points
 *
 * An item is one node input (a target's inputs: NameItem) or one emitted
 * item (its outputs: NameEmit).
 */
#pragma once

#include "gen.h"

/* -------------------------------------------------------------- nodes */

/* Does the node read any parameter from its input items? */
gboolean gg_node_uses_items (const AstNode *node);
/* Does it free them (a node with incoming edges and owned inputs)? */
gboolean gg_node_frees_items (const AstNode *node);

/* The per-target code of every stage and flow a node runs, and of every
 * generator (gen-graph-items.c). */
void gen_graph_items (Gen *g);
