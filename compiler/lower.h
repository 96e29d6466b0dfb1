/* lower.h — a checked flow, lowered for code generation.
 *
 * Lowering turns what the checker recorded about a flow (flow-facts.h)
 * into the IR the writer renders; it applies no view rule of its own.  It
 * gives every value a *slot* (one typed field of the frame), ties every
 * stage input to the slot or constant it reads, and decides where each
 * owned value is freed, from the home and last read the checker recorded:
 *
 *   - a value's *home* is the outermost sequence that can still see it and
 *     the statement there that made it visible (a value that leaves a
 *     `par` branch or a block is homed in the sequence around it);
 *   - it is freed right after the last statement of its home that reads it
 *     (reads nested anywhere inside that statement count), or right after
 *     the statement that made it if nothing reads it;
 *   - a value that reaches the flow's outputs is never freed (it passes to
 *     the caller), nor is a flow input (borrowed);
 *   - where paths meet (`if`/`else`, a dynamic pick) each path ends by
 *     moving its value into one merged slot, which is what later readers
 *     read.
 *
 * Concurrency: each `par` branch becomes a *thread* of the state machine
 * (its own program counter); thread 0 is the body.  Everything here lives
 * in the program's arena.
 */
#pragma once

#include "flow-facts.h"

typedef struct IrStmt IrStmt;
typedef struct IrSeq IrSeq;

typedef struct {
  guint id;
  Sym name;               /* the value's name where it was made */
  const AstTypeRef *type;
  Sym free_fn;            /* NULL: nothing to free */
  gboolean is_input;      /* a flow input: borrowed, never freed */
  gboolean is_output;     /* reaches the flow's outputs */
  gboolean moved;         /* moved into a merged slot at the end of a path */
  IrSeq *home;
  guint home_index;
  guint last_read;        /* position of the last read, 0: never read */
} Slot;

/* What a stage parameter receives. */
typedef struct {
  const AstParam *param;
  Slot *slot;             /* a value, or NULL for a constant */
  const AstLiteral *lit;  /* a constant */
} IrArg;

typedef struct {
  Slot *dst;
  Slot *src;
} IrMove;

typedef struct {
  IrMove *items;
  guint n;
} IrMoves;

typedef enum {
  IR_CALL,                /* a stage or a flow */
  IR_SEQ,                 /* a block */
  IR_PAR,
  IR_IF,
  IR_PICK,                /* a dynamic pick (a static pick lowers to its arm) */
} IrKind;

typedef enum {
  CALL_SYNC,
  CALL_BLOCKING,
  CALL_ASYNC,
  CALL_FLOW,
} CallKind;

typedef struct {
  AstDecl *callee;        /* AstStage or AstFlow */
  const AstCall *ast;
  CallKind kind;
  IrArg *args;            /* one per callee input, in order */
  guint n_args;
  Slot **outs;            /* one per callee output; NULL where dropped */
  guint n_outs;
  guint site;             /* call site number in the flow, from 0 */
  gboolean has_call;      /* needs a DfCall (async, blocking, flow, limit, retry) */
  AstCallOpts opts;       /* the stage's options, overridden by the call's */
  guint thread;
} IrCall;

struct IrSeq {
  IrStmt **items;
  guint n;
};

typedef struct {
  Slot *cond;
  gboolean negate;
  IrStmt *then_stmt;
  IrStmt *else_stmt;      /* NULL without else */
  IrMoves then_moves;
  IrMoves else_moves;
} IrIf;

typedef struct {
  AstTable *table;
  Slot *key;
  gboolean string_keys;
  IrStmt **arms;          /* one per table arm, in table order */
  AstTableArm **ast_arms;
  IrMoves *moves;         /* per arm */
  guint n;
  gint default_arm;       /* index of `default`, or -1 */
  guint id;
} IrPick;

typedef struct {
  IrStmt **branches;
  guint *threads;         /* the thread each branch runs as */
  guint n;
  guint id;               /* join counter number */
} IrPar;

struct IrStmt {
  IrKind kind;
  Loc loc;
  guint first_pos;        /* the positions this statement's reads take */
  guint last_pos;
  ArenaVec frees_after;   /* Slot *: freed right after this statement (in the
                           * program's arena, like the rest of the IR) */
  union {
    IrCall call;
    IrSeq seq;
    IrPar par;
    IrIf if_;
    IrPick pick;
  } u;
};

typedef struct {
  AstFlow *flow;
  IrStmt *body;           /* an IR_SEQ */
  Slot **slots;           /* every slot, by id */
  guint n_slots;
  Slot **inputs;          /* per flow input */
  Slot **outputs;         /* per flow output: the slot that holds it */
  IrCall **calls;         /* every call site, by site number */
  guint n_calls;
  guint n_threads;
  IrStmt **thread_body;   /* per thread: what it runs (0: the body) */
  guint *thread_parent;   /* per thread: the thread that forked it */
  guint *thread_join;     /* per thread but 0: its par's join number */
  guint n_pars;
  IrPick **picks;         /* dynamic picks, by id */
  guint n_picks;
} IrFlow;

/* Lower a flow of a program that passed every check, recorded by the
 * checker (flow->facts; Program.record_flows was set). */
IrFlow *lower_flow (Program *program, AstFlow *flow);

/* The options in force at a call: the stage's, overridden by the call's. */
AstCallOpts lower_call_opts (const AstStage *stage, const AstCall *call);
/* Does the call retry a failure (`retry N`, N > 0; `retry 0` at a call
 * site switches a stage's retry off)? */
gboolean ir_call_retries (const IrCall *call);
