/* gen.h — C generation, shared by its pieces only.  Its files and their
 * layers are drawn in docs/design.md ("Code generation"), the one map of
 * the compiler.
 *
 * A file calls only the files of the layers below it (never one above,
 * so no two call each other).  Every generated name comes from
 * gen-names.c (the --prefix on public ones), every line goes through the
 * Writer (writer.h).  Names private to the generated .c are static and
 * need no prefix.  Each section below is headed by the file that
 * implements it.
 */
#pragma once

#include "lower.h"
#include "writer.h"

typedef struct {
  const char *prefix;        /* "" when none */
  const char *c_name;        /* the .c file as #line should name it */
  const char *h_name;        /* the header as the .c includes it */
  gboolean line_directives;
  /* Where the .c and the header go as they are written; NULL: into
   * gen_program ()'s `c_out` and `h_out` (which stay empty otherwise). */
  FILE *c_file;
  FILE *h_file;
} GenOptions;

typedef struct {
  Program *program;
  const GenOptions *options;
  Writer *c;
  Writer *h;
  GHashTable *ir;            /* AstFlow * -> IrFlow * */
  /* What the flows use, so that nothing static is emitted unused. */
  GHashTable *called;        /* AstDecl *: stages and flows some flow calls */
  GHashTable *limit_used;    /* AstStage *: its own `limit` serves a call site */
} Gen;

/* gen.c: write the .c and .h of a program that passed every check (into
 * options->c_file and h_file, else `c_out` and `h_out`), and into
 * `stubs_out` (NULL: not wanted) the skeleton of its stages.  FALSE with
 * `error` set for what this version cannot generate, or for a file that
 * could not be written. */
gboolean gen_program (Program *program, const GenOptions *options, GString *c_out,
                      GString *h_out, GString *stubs_out, GError **error);

/* ------------------------------------------------------------ gen-decl.c */

/* Does the stage (or flow) need a call struct type? */
gboolean gen_needs_call_type (const AstDecl *callee);
/* Does it have owned outputs (and so a NAME_discard function)? */
gboolean gen_has_discard (const AstDecl *callee);
/* An `emits` stage. */
gboolean gen_is_generator (const AstDecl *decl);
/* A `->` stage or a flow: one item (its outputs) per successful input. */
gboolean gen_emits_one (const AstDecl *decl);
/* Its items have fields (a NameEmit struct). */
gboolean gen_has_emit_struct (const AstDecl *decl);
gboolean gen_any_owned (const AstParams *params);
/* How a node runs it: a flow runs as an async node. */
StageKind gen_decl_kind (const AstDecl *decl);

/* --------------------------------------------------------------- gen-c.c */

/* "const char *url", or with `out` one more level: "char **page". */
char *gen_decl (const AstTypeRef *type, const char *name, gboolean out);
/* The C spelling of a type. */
const char *gen_ctype (const AstTypeRef *type);
/* ", TYPE name" for each of `params` (a level of `*` more with `out`; a
 * batch `T[]` as ", T *name, gsize name_len"), marked G_GNUC_UNUSED with
 * `unused`. */
void gen_param_list (GString *s, const AstParams *params, const char *const *names, gboolean out,
                     gboolean unused);
/* A constant as a C expression for a parameter of `type`. */
char *gen_literal (const AstLiteral *lit, const AstTypeRef *type);
/* %{ ... %} (header FALSE) or %header{ ... %} blocks, verbatim. */
void gen_cblocks (Gen *g, Writer *w, gboolean header);

/* ----------------------------------------------------------- gen-names.c */

/* prefix + name, in the arena. */
const char *gen_name (Gen *g, const char *name);
/* CamelCase of prefix + name + suffix: "ingest", "In" -> "IngestIn". */
const char *gen_type_name (Gen *g, const char *name, const char *suffix);
/* UPPER_CASE of a name, for enum constants. */
const char *gen_upper (Gen *g, const char *name);
/* C names for the parameters of a generated prototype or function that
 * also has `ctx`, `call` or `error` parameters and a local `f`: each
 * value's own name, with '_' appended while it collides with those or with
 * another parameter (a stage may read `y` and produce `y`).  Inputs first,
 * then outputs; either list may be NULL. */
const char **gen_param_names (Gen *g, const AstParams *in, const AstParams *out);

/* The struct type holding a stage's or flow's DfCall and outputs. */
const char *gen_call_type (Gen *g, const AstDecl *callee);
/* The statistics variable of a stage. */
const char *gen_stats_name (Gen *g, const AstDecl *stage);
/* The process-wide DfLimit of a stage declared with `limit N`. */
const char *gen_limit_name (Gen *g, const AstDecl *stage);

/* A flow's frame type, the enum type of its program counters, and the
 * C function that starts it as a child for a call site. */
const char *gen_frame_type (Gen *g, const AstFlow *flow);
const char *gen_state_type (Gen *g, const AstFlow *flow);
const char *gen_flow_call_func (Gen *g, const AstFlow *flow);
/* The done callback of a flow started as a child: call_FLOW_done. */
const char *gen_flow_call_done (Gen *g, const AstFlow *flow);
/* Field names in a flow's frame. */
const char *gen_slot_field (Gen *g, const Slot *slot);
const char *gen_site_field (Gen *g, const IrCall *call);
/* "&f->c3.call" (or "&f->c3" for a site whose struct is a bare DfCall). */
char *gen_site_call (Gen *g, const IrCall *call);

/* A node's input item and emitted item types, and their free functions. */
/* gen-scale-main.c: main () of a program whose graphs have remote nodes
 * (--nodes, --redis, --metrics; the Redis transport). */
gboolean gen_main_runs_remote        (Gen *g);
void     gen_scale_main_includes     (Gen *g);
void     gen_scale_main_options      (Gen *g);
void     gen_scale_main_helpers      (Gen *g);
void     gen_scale_main_graph_setup  (Gen *g);
void     gen_scale_main_start        (Gen *g);
void     gen_scale_main_finish       (Gen *g);

/* gen-graph-remote.c: a remote node's item as stream-entry fields (its
 * encode and decode functions), and its descriptor's fields. */
void gen_graph_remote_codec (Gen *g, const AstGraph *graph, const AstNode *node);
void gen_graph_remote_desc  (Gen *g, const AstGraph *graph, const AstNode *node);
const char *gen_item_type (Gen *g, const AstDecl *decl);
const char *gen_emit_type (Gen *g, const AstDecl *decl);
const char *gen_item_free_name (Gen *g, const AstDecl *decl);
const char *gen_emit_free_name (Gen *g, const AstDecl *decl);
/* The `complete` hook of an async `->` stage or a flow. */
const char *gen_complete_name (Gen *g, const AstDecl *decl);
/* `state (T)`: the user's NAME_open / NAME_close (@user) or their static wrappers. */
const char *gen_state_fn (Gen *g, const AstStage *stage, const char *what, gboolean user);

/* A public entry point or function of a declaration: prefix + NAME + "_"
 * + what ("run", "start", "new", "get_desc", "out_clear", "return",
 * "emit"). */
const char *gen_entry_name (Gen *g, const char *decl_name, const char *what);
/* The static NAME_discard () of a stage or flow with owned outputs. */
const char *gen_discard_name (Gen *g, const AstDecl *callee);
/* NAME_tN (), thread N of a flow's state machine. */
const char *gen_thread_func (Gen *g, const AstFlow *flow, guint thread);
/* NAME_blockingN (), what a blocking call site runs on a worker. */
const char *gen_blocking_func (Gen *g, const AstFlow *flow, const IrCall *call);
/* A frame's program counter of a thread and join counter of a `par`. */
const char *gen_pc_field (Gen *g, guint thread);
const char *gen_join_field (Gen *g, guint par);
/* A batching node's array for one batch parameter, in its call struct. */
const char *gen_batch_field (Gen *g, const AstParam *param);
/* A flow's states: FLOW_START and FLOW_ROUND, a join's FLOW_JN, a call
 * site's FLOW_SN_CALLEE_GO / _HAVE / _WAIT. */
const char *gen_flow_state (Gen *g, const AstFlow *flow, const char *what);
const char *gen_join_state (Gen *g, const AstFlow *flow, guint par);
const char *gen_call_state (Gen *g, const AstFlow *flow, const IrCall *call, const char *what);
/* A flow's statics: FLOW_what (its step, finalize, class, frame_new, …). */
const char *gen_flow_static (Gen *g, const AstFlow *flow, const char *what);
/* A call site's statics: FLOW_siteN (what = "site"), FLOW_limitN ("limit"). */
const char *gen_site_static (Gen *g, const AstFlow *flow, const IrCall *call, const char *what);
/* Statics of a graph (GRAPH__what) and of one of its nodes
 * (GRAPH__NODE_what), and a batching node's call struct type. */
const char *gen_graph_static (Gen *g, const AstGraph *graph, const char *what);
const char *gen_node_static (Gen *g, const AstGraph *graph, const AstNode *node, const char *what);
const char *gen_node_call_type (Gen *g, const AstGraph *graph, const AstNode *node);
/* TABLE_match (), the arm of a string key. */
const char *gen_match_func (Gen *g, const AstTable *table);

/* ----------------------------------------------------------- gen-header.c */

void gen_header (Gen *g);

/* ------------------------------------------------------------ gen-stage.c */

/* Statistics, call structs, completion functions, limits. */
void gen_stages (Gen *g);
/* The prototype of a stage's user function, without the trailing ";";
 * with `definition`, as the head of a skeleton (dfc --stubs). */
char *gen_stage_prototype (Gen *g, const AstStage *stage, gboolean definition);

/* ------------------------------------------------------------- gen-flow.c */

void gen_flow_prologue (Gen *g, IrFlow *ir);   /* frame type, forward decls */
void gen_flow (Gen *g, IrFlow *ir);

/* ------------------------------------------------------- gen-flow-retry.c */

/* Does the flow say `on error retry N` (N > 0)? */
gboolean gen_flow_retries (const AstFlow *flow);
/* The wrapper frame that retries the flow; its part of FLOW_start_full. */
void gen_flow_retry (Gen *g, const AstFlow *flow);
void gen_flow_retry_start (Gen *g, const AstFlow *flow);

/* ------------------------------------------------------------- gen-stmt.c */

/* The body of one thread of a flow's state machine. */
void gen_thread (Gen *g, IrFlow *ir, guint thread);
/* The enum of a flow's states. */
void gen_states (Gen *g, IrFlow *ir);

/* ------------------------------------------------------------ gen-table.c */

/* TABLE_match() for every string table picked at run time. */
void gen_tables (Gen *g);

/* ------------------------------------------------------------- gen-main.c */

void gen_main (Gen *g);
/* `main (T)`: the prototypes of main_user_data_new () / _free (). */
void gen_main_header (Gen *g);

/* ------------------------------------------------------------ gen-stubs.c */

/* What the user implements for the program's own file, as a skeleton
 * that compiles and fails at run time until written. */
void gen_stubs (Gen *g, Writer *w);

/* ------------------------------------------------------ gen-graph-items.c */

/* The header's part: NAME_emit () of generators, per graph its In struct
 * and entry points. */
void gen_graph_header (Gen *g);

/* ------------------------------------------------------------ gen-graph.c */

/* Before anything is written: the stages and flows that nodes run count
 * as used (statistics, call structs, limits).  FALSE with `error` for
 * what this version cannot generate. */
gboolean gen_graphs_prepare (Gen *g, GError **error);
/* Item structs, NAME_emit (), and per graph its edges, trampolines,
 * tables and entry points. */
void gen_graphs (Gen *g);

/* ------------------------------------------------------- gen-graph-main.c */

/* Does main run a graph (and a flow)? */
gboolean gen_main_runs_graphs (Gen *g);
gboolean gen_main_runs_flows (Gen *g);
/* Statics and helpers of main() for graph runs, before the runs. */
void gen_graph_main_helpers (Gen *g);
/* runN_done () and runN_start () of `run GRAPH`. */
void gen_graph_run_functions (Gen *g, const AstRun *run, guint r);
/* In main (), after the options are parsed / after the loop has ended. */
void gen_graph_main_setup (Gen *g);
void gen_graph_main_finish (Gen *g);
