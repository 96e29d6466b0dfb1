/* check-graph.h — the graph checker's model, shared by its pieces only.
 *
 * A graph is checked in passes over its own items, so that the work is
 * proportional to its size:
 *
 *   1. nodes:   explicit `node` items, their targets and duplicates;
 *   2. edges:   every name of every edge group resolved to a node (naming a
 *               stage or flow directly declares an implicit node);
 *   3. arrows:  each edge statement split into arrows, one per (source,
 *               destination) pair of consecutive groups, a zip group being
 *               one combined source; arrows are numbered in source order,
 *               which makes every later decision deterministic;
 *   4. cycles:  strongly connected components (iterative Tarjan); a cyclic
 *               component is reported at its last arrow in source order,
 *               with the cycle through that arrow in a note;
 *   5. nodes again, now that start nodes are known: bindings, schedules,
 *               batches, start parameters (option values are the parser's);
 *   6. items:   for every arrow, every destination parameter found among
 *               the source's fields (by name or through the mapping), types
 *               agreed, and owned fields counted per reader for `copy`; what
 *               fills what is recorded as the graph's runtime edges
 *               (AstGraph.graph_edges), which the generator renders;
 *   7. warnings: graph inputs nobody reads, items nobody takes.
 *
 * Where diagnostics point: an arrow is underlined from its source name (or
 * `zip`) to its destination name, so "at the edge" (edge-field, cycle,
 * copy-needed) is the arrow's source; a type disagreement is "at the
 * reader": the mapping that reads the field, else the destination name.
 *
 * The scratch state (GraphNode, Arrow) lives in GLib containers freed at
 * the end of each graph; what later phases need is recorded in the AST's
 * sema fields (all_nodes, AstNode.target/start, AstEdgeGroup.nodes,
 * graph_edges).
 *
 * The pieces (program.h: check_graphs is the one entry point):
 *   check-graph.c  nodes, cycles, nodes again (bindings, schedules,
 *                  batches, start parameters), warnings, check_graphs
 *   check-edges.c  edges, arrows, items (fields, mappings, zip, copies,
 *                  type agreement)
 * Functions shared between them are prefixed graphchk_; everything else is
 * static to its file.
 */
#pragma once

#include "program.h"

/* ------------------------------------------------------------------ model */

#define NO_INDEX G_MAXUINT

/* One owned field of a source and how many arrows read it (copy-needed). */
typedef struct {
  Sym field;
  guint readers;
  Sym first_reader;
  gboolean reported;
} FieldReads;

/* What the checker knows about one node beyond its AST. */
typedef struct {
  AstNode *ast;
  const AstParams *in;   /* the target's parameters; NULL when unresolved */
  const AstParams *out;  /* the fields of its items; NULL when unresolved */
  gboolean emits_items;  /* an emits stage, or a stage/flow with outputs */
  guint n_in_arrows;
  guint n_out_arrows;
  GArray *reads;         /* FieldReads, created on the first owned read */
  AstParams *failed;     /* the fields of its dead letters but `message`: its
                            inputs that are not bound on the node (lazily) */
} GraphNode;

/* One arrow: the items of one source (or one zip) into one destination. */
typedef struct {
  const AstEdge *edge;
  guint into;            /* index of the destination group in the chain */
  guint from_name;       /* index in the source group; NO_INDEX for a zip */
  guint dest_name;       /* index in the destination group */
  Loc loc;               /* from the source name to the destination name */
} Arrow;

/* One graph link for the cycle search: a source node to a destination. */
typedef struct {
  guint from;
  guint to;
  guint arrow;
} Link;

typedef struct {
  Program *program;
  AstGraph *graph;
  GHashTable *by_name;   /* Sym -> AstNode * */
  ArenaVec all_nodes;
  GraphNode *nodes;      /* indexed by AstNode.index */
  GArray *arrows;        /* Arrow, in source order */
  GArray *links;         /* Link, in source order */
  gboolean *input_read;  /* per graph input */
  gboolean unresolved;   /* a name did not resolve: no warnings, they would echo it */
  GArray *graph_edges;   /* AstGraphEdge, while pass 6 records them */
} GraphCheck;

/* ------------------------------------------------------- check-graph.c */

/* The node's first failure halts the graph (`on error halt`, or no
 * `on error skip` under halt_on_error): no skipped failures to count or
 * to send as dead letters. */
gboolean graphchk_halts_at_first_failure (const GraphCheck *gc, const AstNode *node);

/* Adds a node to the graph's node list and name table. */
void graphchk_add_node (GraphCheck *gc, AstNode *node);
/* Reports a type disagreement between a producer and a reader. */
void graphchk_report_disagreement (Program *program, Loc at, const AstTypeRef *produced,
                                   const AstTypeRef *read, const char *what_produced,
                                   const char *what_read, Loc producer_loc,
                                   const char *producer_note);

/* ------------------------------------------------------- check-edges.c */

/* Every name of every edge group resolved; zip only at the start. */
void graphchk_resolve_edges (GraphCheck *gc);
/* Scratch state for every node, once all nodes are known. */
void graphchk_init_graph_nodes (GraphCheck *gc);
/* Every edge statement split into arrows, in source order. */
void graphchk_build_arrows (GraphCheck *gc);
/* Mappings and zips of every edge statement, then every arrow's fields. */
/* Dead-letter edges: their sources and destinations (check-edges.c). */
void graphchk_check_dead_letters (GraphCheck *gc);
void graphchk_check_items (GraphCheck *gc);
