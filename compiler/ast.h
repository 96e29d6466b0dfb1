/* ast.h — the syntax tree of a .df file.
 *
 * Every node lives in the compilation's arena (see program.h): the compiler
 * is short-lived, so nothing here is freed piecemeal.  Names are interned
 * (Sym), so two names are equal exactly when their pointers are.
 *
 * The tree mirrors the grammar of docs/language.md's appendix.  Lists are plain
 * arrays with a count.  Fields under "sema" are filled by the checks, not by
 * the parser; later phases (codegen, drawing) read them.
 */
#pragma once

#include <glib.h>

/* An interned name; compare with ==. */
typedef const char *Sym;

/* A source position: 1-based line and column (in bytes), the length of
 * the span in bytes on that line (at least 1) for the caret underline, and
 * which of the program's files it is in (an index into the files the
 * program read, 0 for the file named on the command line; see imports.c). */
typedef struct {
  guint32 line;
  guint32 col;
  guint32 len;
  guint32 file;
} Loc;

/* ---------------------------------------------------------------- literals */

typedef enum {
  LIT_INT,
  LIT_FLOAT,
  LIT_STRING,
  LIT_BOOL,
  LIT_DURATION,
} LitKind;

typedef struct {
  LitKind kind;
  Loc loc;
  const char *text;   /* the literal as written in the source */
  gboolean negative;  /* LIT_INT: a leading '-' */
  guint64 magnitude;  /* LIT_INT: absolute value */
  double f;           /* LIT_FLOAT */
  gboolean b;         /* LIT_BOOL */
  gint64 duration_us; /* LIT_DURATION: microseconds */
  const char *str;    /* LIT_STRING: decoded bytes, NUL-terminated */
  gsize str_len;      /* LIT_STRING: decoded length (may hold \0) */
} AstLiteral;

/* ------------------------------------------------------------------- types */

/* A C type as written: base words and pointer levels.  `spelling` is the
 * normalised form used for agreement and for emitted C: the base words
 * joined by one space, then " *" per pointer level, "const" right after a
 * star that has it ("char *const *").  */
typedef struct {
  Loc loc;
  Sym spelling;
  Sym *words;        /* "const", "unsigned", "struct", "foo", ... */
  guint n_words;
  guint n_pointers;
} AstCType;

/* A type reference in a parameter list: a bare IDENT that names an alias,
 * or a C type.  A bare IDENT that is no alias is the C type of that name
 * (`gboolean`), resolved by the checks. */
typedef struct {
  Loc loc;
  Sym ident;          /* set when written as a single IDENT */
  AstCType *ctype;    /* always set: for a bare IDENT, a one-word C type */
  /* sema */
  struct AstTypeDecl *alias; /* the alias it names, or NULL */
} AstTypeRef;

typedef struct {
  Sym name;
  Loc loc;
  AstTypeRef type;
  gboolean is_batch;  /* written `T[]` */
  Loc batch_loc;
  /* A run input's command line (docs/cli.md): `= literal` and a help
   * string after the type; NULL when not written. */
  AstLiteral *default_value;
  AstLiteral *help;
} AstParam;

typedef struct {
  AstParam **items;
  guint n;
  Loc loc;            /* the opening parenthesis */
} AstParams;

/* ------------------------------------------------------------ declarations */

typedef enum {
  DECL_TYPE,
  DECL_STAGE,
  DECL_TABLE,
  DECL_FLOW,
  DECL_GRAPH,
} DeclKind;

/* The common head of every named declaration; the first member of each. */
typedef struct {
  DeclKind kind;
  Sym name;
  Loc loc;            /* the name */
} AstDecl;

typedef struct {
  Sym key;            /* "free", "copy", or an unknown key (an error) */
  Loc key_loc;
  Sym value;
  Loc value_loc;
} AstTypeOption;

typedef struct AstTypeDecl {
  AstDecl decl;
  AstCType *ctype;
  AstTypeOption **options;
  guint n_options;
  /* sema */
  Sym free_fn;        /* NULL: borrowed */
  Sym copy_fn;        /* NULL: cannot be copied */
} AstTypeDecl;

typedef struct {
  gboolean set;
  Loc loc;            /* the keyword */
  gint64 count;       /* retry N */
  gboolean has_backoff;
  gint64 backoff_min_us;
  gint64 backoff_max_us; /* == min when no `..` */
} AstRetry;

/* Options shared by stage declarations, call sites and nodes. */
typedef struct {
  gboolean has_timeout;
  Loc timeout_loc;
  gint64 timeout_us;
  gboolean has_limit;
  Loc limit_loc;
  gint64 limit;
  AstRetry retry;
} AstCallOpts;

typedef enum {
  STAGE_SYNC,
  STAGE_BLOCKING,
  STAGE_ASYNC,
} StageKind;

typedef struct {
  AstDecl decl;
  AstParams in;
  AstParams out;        /* empty when neither `->` nor `emits` */
  gboolean has_arrow;   /* `->` written */
  gboolean emits;       /* `emits` written: a generator */
  StageKind kind;
  Loc kind_loc;
  AstCallOpts opts;
  AstParam *state;      /* `state (T)`: its type; NULL without */
  Loc state_loc;        /* `state` */
} AstStage;

typedef enum {
  KEY_STRING,
  KEY_INT,
  KEY_DEFAULT,
} KeyKind;

typedef struct AstStmt AstStmt;

typedef struct {
  KeyKind kind;
  Loc loc;
  AstLiteral lit;      /* KEY_STRING / KEY_INT */
  AstStmt *stmt;
} AstTableArm;

typedef struct {
  AstDecl decl;
  Loc open_loc;        /* the `{` */
  AstTableArm **arms;
  guint n_arms;
} AstTable;

/* ------------------------------------------------------------------- flows */

typedef enum {
  VIS_NONE,
  VIS_INITIAL,
  VIS_ALL,
} Visibility;

typedef struct {
  Sym param;
  Loc loc;            /* the parameter name */
  gboolean is_literal;
  Sym key;            /* !is_literal: the value (or graph input / field) read */
  Loc key_loc;
  AstLiteral lit;     /* is_literal */
} AstBinding;

typedef struct {
  Sym key;            /* NULL for `_` */
  Loc loc;            /* the key (or `_`) */
  Sym output;
  Loc output_loc;
} AstRename;

typedef enum {
  PICK_NONE,          /* a plain call */
  PICK_STRING,        /* table["x"] */
  PICK_INT,           /* table[3] */
  PICK_VALUE,         /* table[key]: dynamic */
} PickKind;

typedef enum {
  STMT_CALL,
  STMT_BLOCK,
  STMT_PAR,
  STMT_IF,
} StmtKind;

typedef struct {
  Sym callee;
  Loc callee_loc;
  PickKind pick;
  Loc pick_loc;
  const AstLiteral *pick_lit; /* PICK_STRING / PICK_INT (the lexer's, in the arena) */
  Sym pick_key;          /* PICK_VALUE */
  gboolean has_parens;   /* `name(...)` written, even if empty */
  AstBinding **bindings;
  guint n_bindings;
  AstRename **renames;
  guint n_renames;
  AstCallOpts opts;
  /* sema */
  AstDecl *target;       /* the stage, flow or table called */
  AstTableArm *arm;      /* static pick: the arm chosen */
} AstCall;

typedef struct {
  AstStmt **items;
  guint n;
} AstBlock;

typedef struct {
  Sym cond;
  Loc cond_loc;
  gboolean negate;
  AstStmt *then_stmt;
  AstStmt *else_stmt;    /* NULL without `else` */
  Loc else_loc;
} AstIf;

struct AstStmt {
  StmtKind kind;
  Loc loc;               /* call: the callee; block: `{`; par: `par`; if: `if` */
  union {
    AstCall call;
    AstBlock block;      /* STMT_BLOCK and STMT_PAR */
    AstIf if_;
  } u;
};

typedef enum {
  ON_ERROR_DEFAULT,      /* not written */
  ON_ERROR_FAIL,
  ON_ERROR_HALT,
  ON_ERROR_SKIP,
  ON_ERROR_RETRY,
} OnErrorKind;

typedef struct {
  OnErrorKind kind;
  Loc loc;               /* `on` */
  AstRetry retry;        /* ON_ERROR_RETRY */
} AstOnError;

typedef struct {
  AstDecl decl;
  AstParams in;
  AstParams out;
  gboolean has_arrow;
  Visibility visibility;
  gboolean has_visibility;
  Loc visibility_loc;
  gboolean repeat;
  Loc repeat_loc;
  gboolean has_every;
  Loc every_loc;
  gint64 every_us;       /* `every 5s`; 0 with every_input */
  Sym every_input;       /* `every interval`: the flow input that paces it */
  Loc every_input_loc;
  AstOnError on_error;
  AstStmt *body;         /* a STMT_BLOCK */
  /* What the checker established, for lowering (flow-facts.h); NULL
   * unless the flow checked without an error and is to be generated. */
  struct FlowFacts *facts;
} AstFlow;

/* ------------------------------------------------------------------ graphs */

typedef struct AstNode {
  Sym name;
  Loc loc;               /* the node name */
  Sym stage;
  Loc stage_loc;
  gboolean implicit;     /* declared by naming a stage in an edge */
  AstBinding **bindings;
  guint n_bindings;
  gboolean has_tasks;
  Loc tasks_loc;
  gint64 tasks;
  gboolean has_queue;
  Loc queue_loc;
  gint64 queue;
  gboolean remote;       /* its input crosses processes */
  Loc remote_loc;
  gboolean has_batch;
  Loc batch_loc;
  gint64 batch;
  gboolean has_within;
  gint64 within_us;
  gboolean has_every;
  Loc every_loc;
  gint64 every_us;
  gboolean has_cron;
  Loc cron_loc;
  const char *cron;
  AstCallOpts opts;      /* timeout, limit */
  AstOnError on_error;
  gboolean has_halt_after;   /* `halt after N`: skipped failures in a row */
  Loc halt_after_loc;
  gint64 halt_after;
  /* sema */
  AstDecl *target;       /* the stage or flow it runs */
  guint index;           /* position in the graph's all_nodes */
  gboolean start;        /* no incoming edge: a start node */
} AstNode;

/* One group of an edge chain: `a, b` or `zip(a, b)`. */
typedef struct {
  gboolean zip;
  Loc loc;
  Sym *names;
  Loc *name_locs;
  guint n;
  /* sema */
  struct AstNode **nodes; /* the node each name denotes; NULL when unknown */
} AstEdgeGroup;

typedef struct {
  Loc loc;               /* the first name */
  AstEdgeGroup **groups; /* at least two */
  guint n_groups;
  AstBinding **mappings; /* apply to the edges into the last group */
  guint n_mappings;
  gboolean dead_letters; /* `a !-> b`: a's failed items, not its outputs */
  Loc bang_loc;          /* the `!` */
} AstEdge;

/* sema (check-edges.c): one field of a graph edge's items and the
 * destination parameter it fills. */
typedef struct {
  const AstParam *param;
  const AstParam *field;  /* NULL: the error message of a dead letter */
} AstEdgeAssign;

/* sema (check-edges.c): one edge as the runtime has it — an arrow from one
 * source node, one source of a zip, or a node's dead letters — with the
 * fields it moves, in the order of the destination's parameters. */
typedef struct {
  struct AstNode *from;
  struct AstNode *to;
  gboolean dead;          /* the failed items of `from` */
  guint zip;              /* 0, or the source's position in its zip from 1 */
  AstEdgeAssign *assigns;
  guint n_assigns;
} AstGraphEdge;

typedef struct {
  AstDecl decl;
  AstParams in;
  gboolean halt_on_error;
  Loc halt_loc;
  Loc open_loc;          /* the `{` */
  AstNode **nodes;       /* explicit `node` items, in source order */
  guint n_nodes;
  AstEdge **edges;
  guint n_edges;
  /* sema: every node once (duplicates left out), explicit ones in source
   * order, then the implicit ones in order of first mention. */
  struct AstNode **all_nodes;
  guint n_all_nodes;
  /* sema: every runtime edge, arrows in source order, a zip's sources in
   * order; set when the graph's edges all resolved. */
  AstGraphEdge *graph_edges;
  guint n_graph_edges;
} AstGraph;

/* -------------------------------------------------------------------- main */

typedef struct {
  Sym target;
  Loc loc;               /* the target name */
  Loc run_loc;           /* `run` */
  AstBinding **bindings;
  guint n_bindings;
  gboolean restart;
  Loc restart_loc;
  gboolean has_backoff;
  gint64 backoff_min_us;
  gint64 backoff_max_us;
  gboolean has_max;
  gint64 max;
  gboolean has_threshold;   /* `on error skip halt after N` */
  Loc threshold_loc;        /* `on` */
  gint64 threshold;         /* N: failures in a row that end the run */
  /* sema */
  AstDecl *decl;         /* the flow or graph */
} AstRun;

typedef struct {
  Loc loc;               /* `main` */
  AstParam *user_data;   /* `main (T)`: its type; NULL without */
  AstRun **runs;
  guint n_runs;
} AstMain;

typedef struct {
  gboolean header;       /* %header{ ... %} */
  Loc loc;               /* the opening `%{` */
  guint32 text_line;     /* line where the text starts (for #line) */
  const char *text;
  gsize len;
} AstCBlock;

/* ------------------------------------------------------------------- file */

/* `import "name.df";` */
typedef struct AstImport {
  Loc loc;               /* the name */
  const char *name;      /* the string's decoded bytes */
  gsize name_len;        /* may hold a \0, which no file name does */
} AstImport;

/* Top-level items in source order, for output that follows the file. */
typedef enum {
  ITEM_CBLOCK,
  ITEM_DECL,
  ITEM_MAIN,
} ItemKind;

typedef struct {
  ItemKind kind;
  union {
    AstCBlock *cblock;
    AstDecl *decl;
    AstMain *main;
  } u;
} AstItem;

typedef struct {
  const char *path;      /* as given on the command line, "<stdin>" for - */
  /* The file's `import "name.df";` statements, in source order, for
   * imports.c (which merges the files into program->file). */
  struct AstImport **imports; guint n_imports;
  AstItem *items;
  guint n_items;
  /* The same declarations by kind, in source order. */
  AstTypeDecl **types;   guint n_types;
  AstStage **stages;     guint n_stages;
  AstTable **tables;     guint n_tables;
  AstFlow **flows;       guint n_flows;
  AstGraph **graphs;     guint n_graphs;
  AstMain **mains;       guint n_mains;
  AstCBlock **cblocks;   guint n_cblocks;
} AstFile;

/* ---------------------------------------------------------- ast.c */

/* The index of the parameter called `name` (params may be NULL), or -1. */
gint ast_param_index (const AstParams *params, Sym name);
const char *ast_decl_kind_name (DeclKind kind);
/* "a stage", "a flow", ...: the same with its article. */
const char *ast_decl_kind_phrase (DeclKind kind);
/* The inputs of a stage, flow or graph; the outputs of a stage or flow. */
const AstParams *ast_decl_inputs (const AstDecl *decl);
const AstParams *ast_decl_outputs (const AstDecl *decl);
/* The parameter called `name`, or NULL. */
const AstParam *ast_param_named (const AstParams *params, Sym name);
/* The binding (or edge mapping) of parameter `param`, or NULL. */
const AstBinding *ast_binding_named (AstBinding *const *bindings, guint n, Sym param);
