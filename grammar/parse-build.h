/* parse-build.h — what the grammar's actions call (grammar/parse-build.c).
 *
 * The actions of parser.y build the tree of ast.h through these functions,
 * in the program's arena, and check option values where the tokens are at
 * hand (bad-option, duplicate-option).  The rest of this header is what
 * the actions and the functions share: the parser's state, its locations,
 * and the semantic values that are not AST nodes.
 *
 * The generated parser.h includes this header (its YYLTYPE and %union use
 * the types below) and lexer.h includes parser.h, so nothing here needs
 * the lexer: the Parser points at its Lexer instead of holding it.
 */
#pragma once

#include "program.h"

/* ---------------------------------------------------------------- state */

/* One parse: the lexer, and the file's items as the actions add them. */
typedef struct Parser {
  Program *program;
  struct Lexer *lexer;
  guint file;          /* which of the program's files */
  ArenaVec items;      /* AstItem * */
  ArenaVec types, stages, tables, flows, graphs, mains, cblocks, imports;
} Parser;

/* A location: the first token's Loc, and where the last token ends. */
typedef struct {
  Loc loc;
  guint32 end_line;
  guint32 end_col;     /* one past the last byte */
  gsize offset;        /* byte offset of the first token */
  gboolean after_error; /* a token the lexer made after reporting an error */
} ParseLoc;

/* `[key]` after a callee. */
typedef struct {
  PickKind kind;
  Loc loc;             /* the key */
  AstLiteral *lit;     /* PICK_STRING, PICK_INT */
  Sym key;             /* PICK_VALUE */
} ParsePick;

/* `backoff D [.. D]`. */
typedef struct {
  AstLiteral *min;
  AstLiteral *max;     /* == min without `..` */
} ParseBackoff;

/* The items of a graph body, in source order. */
typedef struct {
  ArenaVec nodes;
  ArenaVec edges;
} ParseGraphBody;

/* -------------------------------------------------------------- helpers */

/* An empty list; `item` appended to `vec` (which is returned). */
ArenaVec *build_vec (Parser *p);
ArenaVec *build_vec_push (Parser *p, ArenaVec *vec, gpointer item);

/* From the start of `first` to the end of `last`. */
Loc build_span_between (ParseLoc first, ParseLoc last);

/* The Loc of something not written. */
extern const Loc build_no_loc;

Sym build_sym (Parser *p, const char *s);

/* -------------------------------------------------------- option checks */

/* An option with a count (at least `min`) or a duration, its keyword at
 * `kw`: given twice, the first stays (duplicate-option); out of range,
 * reported and replaced (bad-option). */
void build_set_count (Parser *p, const char *option, gboolean *has, Loc *loc, gint64 *value,
                      Loc kw, const AstLiteral *lit, gint64 min);
void build_set_duration (Parser *p, const char *option, gboolean *has, Loc *loc, gint64 *value,
                         Loc kw, const AstLiteral *lit);
void build_set_timeout (Parser *p, AstCallOpts *opts, Loc kw, const AstLiteral *lit);
void build_set_limit (Parser *p, AstCallOpts *opts, Loc kw, const AstLiteral *lit);
void build_set_retry (Parser *p, AstRetry *dst, const AstRetry *retry);
AstRetry *build_retry (Parser *p, Loc kw, const AstLiteral *count, const ParseBackoff *backoff);
/* `max` NULL without `..`. */
ParseBackoff *build_backoff (Parser *p, AstLiteral *min, AstLiteral *max);
/* `on error ...` on a flow (fail | retry) or a node (halt | skip | retry). */
void build_set_on_error (Parser *p, AstOnError *on, OnErrorKind kind, Loc kw, Loc kind_loc,
                         const AstRetry *retry, gboolean on_node);

/* ---------------------------------------------------------------- types */

/* `stars`: one GINT_TO_POINTER 1 ("*") or 2 ("* const") per level. */
AstCType *build_ctype (Parser *p, ArenaVec *words, ArenaVec *stars, ParseLoc where);
AstParam *build_param (Parser *p, Sym name, Loc loc, AstCType *ctype);
/* `list` NULL for `()`. */
AstParams *build_params (Parser *p, ArenaVec *list, Loc open);
AstTypeDecl *build_typedecl (Parser *p, Sym name, Loc loc, AstCType *ctype, ArenaVec *options);
AstTypeOption *build_type_option (Parser *p, Sym key, Loc key_loc, Sym value, Loc value_loc);

/* --------------------------------------------------------------- stages */

AstStage *build_stage (Parser *p, Sym name, Loc loc, AstParams *in, AstParams *out);
void build_stage_set_kind (Parser *p, AstStage *s, StageKind kind, Loc kw);

/* ----------------------------------------------------------- statements */

AstStmt *build_block (Parser *p, StmtKind kind, Loc loc, ArenaVec *items);
AstStmt *build_if (Parser *p, Loc kw, AstIf *cond, AstStmt *then_stmt, Loc else_loc,
                   AstStmt *else_stmt);
AstIf *build_cond (Parser *p, gboolean negate, Sym name, Loc loc);
AstBinding *build_binding_key (Parser *p, Sym param, Loc loc, Sym key, Loc key_loc);
AstBinding *build_binding_literal (Parser *p, Sym param, Loc loc, const AstLiteral *lit);
AstLiteral *build_literal_bool (Parser *p, gboolean value, Loc loc);
/* `key` NULL for `_`. */
AstRename *build_rename (Parser *p, Sym key, Loc loc, Sym output, Loc output_loc);
ParsePick *build_pick (Parser *p, PickKind kind, Loc loc);
/* `pick`, `args` and `renames` NULL when not written. */
AstStmt *build_call (Parser *p, Sym callee, Loc loc, const ParsePick *pick, ArenaVec *args,
                     ArenaVec *renames);

/* --------------------------------------------------------------- tables */

AstTableArm *build_arm (Parser *p, KeyKind kind, Loc loc, const AstLiteral *lit);
AstTable *build_table (Parser *p, Sym name, Loc loc, Loc open, ArenaVec *arms);

/* ---------------------------------------------------------------- flows */

AstFlow *build_flow (Parser *p, Sym name, Loc loc, AstParams *in, AstParams *out);
void build_flow_set_visibility (Parser *p, AstFlow *f, Visibility visibility, Loc kw);
void build_flow_set_repeat (Parser *p, AstFlow *f, Loc kw);
void build_flow_set_every_input (Parser *p, AstFlow *f, Loc kw, Sym input, Loc input_loc);

/* --------------------------------------------------------------- graphs */

AstNode *build_node (Parser *p, Sym name, Loc loc, Sym stage, Loc stage_loc, ArenaVec *args);
void build_node_set_every (Parser *p, AstNode *n, Loc kw, const AstLiteral *lit);
void build_node_set_cron (Parser *p, AstNode *n, Loc kw, const AstLiteral *lit);
/* `within` NULL when not written. */
/* `remote`: the node's input crosses processes (docs/scale-out.md). */
void build_node_set_remote (Parser *p, AstNode *n, Loc kw);
void build_node_set_batch (Parser *p, AstNode *n, Loc kw, const AstLiteral *size,
                           const AstLiteral *within);
/* `names`: what build_names_push made. */
AstEdgeGroup *build_group (Parser *p, gboolean zip, Loc loc, const ArenaVec *names);
ArenaVec *build_names_push (Parser *p, ArenaVec *names, Sym name, Loc loc);
/* `mappings` NULL when not written. */
AstEdge *build_edge (Parser *p, ArenaVec *groups, ArenaVec *mappings);
/* `from !-> to [(mappings)]`: the failed items of `from` into `to`. */
AstEdge *build_dead_letters (Parser *p, Sym from, Loc from_loc, Loc bang, Sym to, Loc to_loc,
                             ArenaVec *mappings);
AstGraph *build_graph (Parser *p, Sym name, Loc loc, AstParams *in);
ParseGraphBody *build_graph_body (Parser *p);
AstGraph *build_graph_finish (AstGraph *g, Loc open, ParseGraphBody *body);

/* ----------------------------------------------------------------- main */

/* `backoff` and `max` NULL when not written. */
AstRun *build_run_restart (Parser *p, Loc kw, const ParseBackoff *backoff, const AstLiteral *max);
/* `on error skip halt after N` on @run (NULL: a new run). */
AstRun *build_run_threshold (Parser *p, AstRun *run, Loc kw, const AstLiteral *max);
/* `run` NULL without `restart`. */
AstRun *build_run_finish (Parser *p, AstRun *run, Loc kw, Sym target, Loc loc, ArenaVec *args);
void build_stage_set_state (Parser *p, AstStage *s, Loc kw, AstParam *state);
AstMain *build_main (Parser *p, Loc kw, AstParam *user_data, ArenaVec *runs);

/* ----------------------------------------------------------------- file */

/* An item of the file, in source order; a declaration also goes into its
 * kind's list (`&p->types`, ...). */
void build_add_item (Parser *p, ItemKind kind, gpointer what);
void build_add_decl (Parser *p, AstDecl *decl, ArenaVec *by_kind);
/* `import "name.df";`: the string literal is the name. */
void build_import (Parser *p, const AstLiteral *name);
/* The AstFile of everything added. */
AstFile *build_file (Parser *p);
