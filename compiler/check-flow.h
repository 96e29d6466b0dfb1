/* check-flow.h — the flow checker's model, shared by its pieces only.
 *
 * The rules are docs/language.md's "Flows" ("Visibility: what a
 * statement sees" and after).  A flow body is walked once, in source order, carrying the
 * *view* (the values the next statement may read) in one mutable hash
 * table, the environment.  Every statement is checked against the
 * environment as it finds it and returns its *outputs* (an Outs); it
 * leaves the environment exactly as it found it.  The sequence that
 * contains it then advances the environment to the next statement's
 * view:
 *
 *   none     the view becomes the statement's outputs;
 *   initial  the same, and the flow's inputs stay visible (a fallback
 *            table, never copied);
 *   all      the outputs are added to what was there.
 *
 * Changes are recorded in an undo log, so a block, a `par` branch or an
 * `if` arm can return the environment to its entry view in time
 * proportional to what it changed, never to the size of the view: a
 * 1,000-statement flow under `all` stays linear.
 *
 * A value is a Value: its producer (a call, or a flow input), its type and
 * whether anything read it.  Where paths meet (`if`/`else`, a dynamic
 * pick) a merged Value stands for the values of every path; a read of the
 * merged value counts as a read of each, which is settled at the end of
 * the flow for the unused-output warning.
 *
 * Table arms are statements checked in the view of each pick site; arms
 * that no pick reaches are checked once in a view where every name is
 * available, so that view-independent mistakes are still reported.
 *
 * The pieces (program.h: check_flows is the one entry point):
 *   flow-env.c     values, outs, the environment and its undo log,
 *                  "did you mean" from the view, merging paths
 *   flow-record.c  the record of what was found, for lowering
 *                  (flow-facts.h)
 *   check-call.c   calls: bindings, renames, reading inputs, agreement,
 *                  producing, the notes that explain a missing value
 *   check-table.c  table declarations, picks (static and dynamic), keys
 *   check-flow.c   statements, flows, unused outputs, check_flows
 * Functions shared among them are prefixed flow_ (flow-env.c) and flowchk_
 * (the checks); everything else is static to its file.
 */
#pragma once

#include "flow-facts.h"

/* ------------------------------------------------------------------ values */

/* Why a produced value did not reach a later statement (for the note that
 * explains a missing input). */
typedef enum {
  LOST_NONE,        /* nothing recorded: visibility hid it */
  LOST_IF_NO_ELSE,  /* produced inside an `if` without `else` */
  LOST_IF_PATHS,    /* produced on one side of an `if`/`else` only */
  LOST_PICK_PATHS,  /* produced by some arms of a dynamic pick only */
} LostReason;

typedef struct Value Value;
struct Value {
  Sym name;
  const AstTypeRef *type;   /* NULL when unknown */
  Loc loc;                  /* the producing call, or the input's declaration */
  Sym producer;             /* the callee; NULL for a flow input */
  Sym output;               /* the callee's output name (before renaming) */
  gboolean is_input;
  gboolean is_production;   /* a value a call published: may be unused */
  gboolean pick_renamed;    /* renamed by a pick's `=> (...)` */
  gboolean read;
  LostReason lost;
  Value **children;         /* a merged value: the values of each path */
  guint n_children;
  FactValue *fact;          /* what the record knows it as (NULL: not recording) */
};

/* What a statement leaves.  `any` means "unknown" (after an error such as
 * an unknown callee): every name is taken to be there, so that one mistake
 * is not echoed by every statement after it. */
typedef struct {
  ArenaVec vec;             /* Value * */
  gboolean any;
} Outs;

#define OUT(outs, i) ((Value *) (outs)->vec.items[(i)])

/* One undo record: `name` had `old` (NULL: absent) before the change.
 * A NULL name records the previous `env_any`. */
typedef struct {
  Sym name;
  Value *old;
  gboolean old_any;
} Undo;

/* A `par` being checked. */
typedef struct {
  GHashTable *snapshot;     /* its input view (none/initial), Sym -> Value * */
  GHashTable *siblings;     /* outputs of the branches checked so far */
  GHashTable *branch_of;    /* Sym -> branch index + 1 */
} ParFrame;

typedef struct {
  Program *program;
  Arena *scratch;           /* Values, Outs: one flow's, freed after it */
  GHashTable *table_infos;  /* AstTable * -> TableInfo * (check-table.c) */
  GHashTable *checked_arms; /* arms checked from some pick */
  GHashTable *active_tables;/* tables whose pick is being expanded */

  /* The flow being checked (NULL flow when checking unpicked arms). */
  AstFlow *flow;
  Visibility vis;
  gboolean all_any;         /* every name is available (unpicked arms) */
  GHashTable *env;          /* Sym -> Value *: the current view */
  gboolean env_any;
  GArray *undo;             /* Undo */
  GHashTable *inputs;       /* Sym -> Value *: the flow's inputs */
  GPtrArray *par_frames;    /* ParFrame *, innermost last */
  GHashTable *ever;         /* Sym -> Value *: the latest production */
  GPtrArray *values;        /* every Value, in creation order */
  GHashTable *producers;    /* Sym -> GPtrArray of AstStmt *: the flow body's
                             * calls publishing it, built on first need */
  Value any_value;          /* what a lookup finds in an `any` view */

  /* The record of the flow (flow-record.c); NULL when not recording. */
  FlowFacts *facts;
  FactStmt *fact_stmt;      /* the statement being recorded */
  GPtrArray *fact_values;   /* FactValue *, in the order they were made */
  guint read_pos;           /* the last read position given out */
} Checker;

/* ---------------------------------------------------------- flow-env.c */

Outs *flow_outs_new (Checker *c);
/* Outputs unknown (after an error): every name taken to be there. */
Outs *flow_outs_any (Checker *c);
void flow_outs_push (Checker *c, Outs *outs, Value *v);

Value *flow_value_new (Checker *c, Sym name, const AstTypeRef *type, Loc loc);
/* A value published by a call; remembered for "produced here" notes. */
Value *flow_production_new (Checker *c, Sym name, Sym output, const AstTypeRef *type, Loc loc, Sym producer);
/* Record why `v` (and what it merges) stopped being visible. */
void flow_lost_mark (Value *v, LostReason reason);

/* The value `name` has in the current view, &c->any_value in an `any`
 * view, or NULL. */
Value *flow_env_lookup (Checker *c, Sym name);
void flow_env_set (Checker *c, Sym name, Value *v);
/* Undo every change made since the undo log was `mark` long. */
void flow_env_rollback (Checker *c, guint mark);
/* From one statement's view to the next one's, in a sequence. */
void flow_env_advance (Checker *c, const Outs *outs);

/* The visible name closest to `name` (of a type that fits `want`). */
const char *flow_suggest_from_view (Checker *c, Sym name, const AstTypeRef *want);

/* The names every path produces, merged; the rest are lost to `reason`. */
Outs *flow_intersect (Checker *c, Outs **paths, guint n, LostReason reason);

/* -------------------------------------------------------- flow-record.c */

/* Every function here does nothing unless c->facts is set: the record is
 * made only of flows that are to be lowered (Program.record_flows). */

/* Start recording `flow` (its inputs are recorded as they are bound). */
void flow_record_begin (Checker *c, AstFlow *flow);
/* Keep the record on the flow if it checked without an error. */
void flow_record_end (Checker *c, AstFlow *flow, guint errors_before);
/* A value as the record knows it: a flow input, a call's output, a merge. */
FactValue *flow_record_value (Checker *c, Sym name, const AstTypeRef *type);
/* The flow's `index`th input is `v`; its `index`th output reads `v`. */
void flow_record_input (Checker *c, guint index, Value *v);
void flow_record_output (Checker *c, guint index, const Value *v);
/* How many values the record has made so far (for flow_record_home). */
guint flow_record_mark (Checker *c);
/* A statement begins, as a child of the one being recorded; returns the
 * statement to go back to with flow_record_close. */
FactStmt *flow_record_open (Checker *c, FactKind kind, AstStmt *ast, guint n_reads, guint n_made);
void flow_record_close (Checker *c, FactStmt *parent);
/* The statement being recorded reads `v` for its `index`th input. */
void flow_record_read (Checker *c, guint index, const Value *v);
/* Statement `index` of the sequence being recorded is done; it made the
 * record's values from `first_value` on and leaves `outs`: those are
 * homed there unless a nested sequence homed them already. */
void flow_record_home (Checker *c, guint index, guint first_value, const Outs *outs);
/* The paths of the statement being recorded leave `sources` (one per
 * path) under one name, merged into `merged`. */
void flow_record_merge (Checker *c, Value *merged, Value **sources, guint n);

/* -------------------------------------------------------- check-call.c */

/* "'x' is produced here" / "is a flow input declared here". */
void flowchk_note_producer (Diag *d, const Value *v);
/* The value an earlier branch of an enclosing `par` produced, or NULL. */
Value *flowchk_sibling_production (Checker *c, Sym name);
/* Notes on why `name` is not in the reader's view (`d` may be NULL). */
void flowchk_explain_unavailable (Checker *c, Diag *d, Sym name, Loc reader, gboolean at_end);
/* A reader of `v` expects `type`: report at the reader on disagreement. */
void flowchk_agreement (Checker *c, Loc at, const Value *v, const AstTypeRef *type, const char *reader);
/* A statement publishes `v`: may it, under the visibility and any `par`? */
void flowchk_reproduce (Checker *c, const Value *v, Loc at, const char *kind, Sym callee);
/* A call statement: a stage, a flow or a table pick. */
Outs *flowchk_call (Checker *c, AstStmt *stmt);

/* ------------------------------------------------------- check-table.c */

/* Index a table's keys (into c->table_infos) and check them. */
void flowchk_table_decl (Checker *c, AstTable *table);
/* The value destructor of c->table_infos. */
void flowchk_table_info_free (gpointer info);
/* `table[key]`, each arm checked in the pick's own view. */
Outs *flowchk_pick (Checker *c, AstStmt *stmt, AstTable *table);

/* -------------------------------------------------------- check-flow.c */

/* Any statement, in the current view; leaves the view as it found it. */
Outs *flowchk_stmt (Checker *c, AstStmt *stmt);
