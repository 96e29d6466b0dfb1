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

/* ------------------------------------------------------------ targets */

const AstParams *gg_decl_outputs (const AstDecl *decl);
/* An `emits` stage. */
gboolean gg_is_generator (const AstDecl *decl);
/* A `->` stage or a flow: one item (its outputs) per successful input. */
gboolean gg_emits_one (const AstDecl *decl);
/* Its items have fields (a NameEmit struct). */
gboolean gg_has_emit_struct (const AstDecl *decl);
gboolean gg_any_owned (const AstParams *params);
/* A flow runs as an async node. */
StageKind gg_decl_kind (const AstDecl *decl);
const char *gg_item_type (Gen *g, const AstDecl *decl);
const char *gg_emit_type (Gen *g, const AstDecl *decl);
const char *gg_item_free_name (Gen *g, const AstDecl *decl);
const char *gg_emit_free_name (Gen *g, const AstDecl *decl);
/* `state (T)`: the user's NAME_open / NAME_close (@user) or their static wrappers. */
const char *gg_state_fn (Gen *g, const AstStage *stage, const char *what, gboolean user);
/* The `complete` hook of an async `->` stage or a flow. */
const char *gg_complete_name (Gen *g, const AstDecl *decl);

/* -------------------------------------------------------------- nodes */

/* Does the node read any parameter from its input items? */
gboolean gg_node_uses_items (const AstNode *node);
/* Does it free them (a node with incoming edges and owned inputs)? */
gboolean gg_node_frees_items (const AstNode *node);

/* The per-target code of every stage and flow a node runs, and of every
 * generator (gen-graph-items.c). */
void gen_graph_items (Gen *g);
