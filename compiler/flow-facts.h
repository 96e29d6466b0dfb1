/* flow-facts.h — what the flow checker established about a valid flow.
 *
 * The checker (check-flow.h) applies the view rules of docs/language.md
 * once.  While it does, it records the result here, so that lowering
 * (lower.h) turns a flow into slots and frees without applying any rule
 * again:
 *
 *   - one FactStmt per statement it checked, in the order it checked them
 *     (a table arm once per pick that reaches it), with the values each
 *     one read and made;
 *   - one FactValue per value: a flow input, an output of a call (dropped
 *     ones too: the stage still writes them), or the merge of the values
 *     that several paths (`if`/`else`, the arms of a dynamic pick) leave
 *     under one name.  A value renamed by a pick is the arm's value;
 *   - each value's *home* (the outermost sequence that can still see it
 *     and the statement there that made it visible) and its *last read*,
 *     as a read position: every read takes the next position, and a
 *     statement spans the positions of the reads nested in it.
 *
 * The checker records only for flows it checked without an error, when
 * the program is to be generated (Program.record_flows); the facts live
 * in Program.facts_arena until every flow is lowered.
 */
#pragma once

#include "program.h"

typedef struct FactStmt FactStmt;
typedef struct FactValue FactValue;
typedef struct FlowFacts FlowFacts;

struct FactValue {
  Sym name;                 /* where it was made */
  const AstTypeRef *type;
  gboolean is_input;        /* a flow input */
  gboolean is_output;       /* reaches the flow's outputs */
  gboolean moved;           /* moved into a merge at the end of its path */
  FactStmt *home;           /* a FACT_SEQ; NULL for an input */
  guint home_index;
  guint last_read;          /* 0: never read */
  gpointer lowered;         /* lower.c's Slot, while it lowers */
};

/* The values the paths leave under one name, merged into `merged`. */
typedef struct {
  FactValue *merged;
  FactValue **sources;      /* one per path, in path order */
} FactMerge;

typedef enum {
  FACT_CALL,                /* a stage or a flow */
  FACT_SEQ,                 /* a block, or the flow's body */
  FACT_PAR,
  FACT_IF,
  FACT_PICK,                /* a dynamic pick */
  FACT_STATIC_PICK,         /* a static pick: its one child is the arm */
} FactKind;

struct FactStmt {
  FactKind kind;
  AstStmt *ast;             /* for a pick, the call that picks */
  guint first_pos;          /* the read positions it spans */
  guint last_pos;
  ArenaVec children;        /* FactStmt *: items, branches, then/else, arms */
  /* A call: per callee input, what it read (NULL: bound to a constant);
   * an `if`: its condition; a dynamic pick: its key. */
  FactValue **reads;
  guint n_reads;
  FactValue **made;         /* a call: per callee output */
  guint n_made;
  ArenaVec merges;          /* FactMerge *, for FACT_IF and FACT_PICK */
  gpointer lowered;         /* lower.c's IrSeq of a FACT_SEQ, while it lowers */
};

struct FlowFacts {
  FactStmt *body;           /* a FACT_SEQ */
  FactValue **inputs;       /* per flow input */
  FactValue **outputs;      /* per flow output */
};
