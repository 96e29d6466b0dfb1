/* program.h — one compilation: its arena, its names, its phases.
 *
 * What the phases share, each section headed by the file that implements
 * it.  The map of the whole compiler (which file does what, and how flows
 * and graphs go from the AST to C) is docs/design.md; the phases' order is
 * check.c's.
 */
#pragma once

#include <glib.h>
#include "ast.h"
#include "diag.h"

/* ------------------------------------------------------------- arena.c */

typedef struct Arena Arena;

Arena *arena_new (void);
/* An arena of chunks of `chunk_size` bytes (at least the default 64 KiB).
 * Chunks of a megabyte or more are mapped by malloc one by one, so freeing
 * a short-lived arena of them hands its memory back to the system instead
 * of leaving it in the heap, where the later, larger allocations of code
 * generation could not reuse it. */
Arena *arena_new_chunked (gsize chunk_size);
void arena_free (Arena *arena);
/* Zeroed, 16-byte aligned memory that lives as long as the arena. */
gpointer arena_alloc (Arena *arena, gsize size);
#define arena_new0(arena, Type) ((Type *) arena_alloc ((arena), sizeof (Type)))
#define arena_newv(arena, Type, n) ((Type *) arena_alloc ((arena), sizeof (Type) * (n)))
char *arena_strndup (Arena *arena, const char *s, gsize len);

/* A growable array of pointers in the arena (growth leaves the old block
 * behind; amortised this is cheap and keeps the AST free of GLib
 * containers that would need freeing). */
typedef struct {
  gpointer *items;
  guint n;
  guint cap;
} ArenaVec;

void arena_vec_push (Arena *arena, ArenaVec *vec, gpointer item);

/* ------------------------------------------------------------ program.c */

/* One file of the program: the one named on the command line (index 0)
 * or one it imports, directly or not.  A Loc's `file` indexes these. */
typedef struct {
  const char *path;       /* how messages and #line name it: as given or as found */
  const char *source;     /* NUL-terminated at source_len */
  gsize source_len;
} ProgramFile;

typedef struct {
  const char *path;       /* file 0: as given; "<stdin>" for - */
  const char *source;     /* file 0's text, NUL-terminated at source_len */
  gsize source_len;
  GArray *files;          /* ProgramFile, in the order they were read */
  GPtrArray *owned_text;  /* the imported files' text */
  /* Where imports are looked up after the importing file's directory (see
   * imports.c); `import_root_dir` is file 0's directory.  Both NULL until
   * program_set_import_search: such a compilation reads no file at all,
   * and every import is an error (the fuzzer). */
  const char *import_root_dir;
  const char *const *import_dirs;
  Arena *arena;
  GHashTable *interned;   /* char * -> same char * (owned by the arena) */
  Diags *diags;
  const char *prefix;     /* --prefix, "" without: generated symbols start with it */
  AstFile *file;
  /* Set by the lexer and parser when text did not make it into the tree
   * (a syntax error, a skipped character): the semantic checks skip it. */
  gboolean tree_incomplete;
  /* The flow checks record what they establish for lowering
   * (flow-facts.h); on unless the program is only checked or drawn.  The
   * record has an arena of its own, freed once every flow is lowered. */
  gboolean record_flows;
  Arena *facts_arena;
  GHashTable *decls;      /* Sym -> AstDecl *: types, stages, tables, flows, graphs */
  /* Well-known names, interned once. */
  Sym sym_free;
  Sym sym_copy;
} Program;

/* `path` is borrowed; `source` must be NUL-terminated at `len`. */
Program *program_new (const char *path, const char *source, gsize len);
void program_free (Program *program);
/* Free the flows' records (flow-facts.h) once they are lowered. */
void program_free_flow_facts (Program *program);

/* Let imports read files: `root_dir` is file 0's directory, `dirs` (NULL-
 * terminated, borrowed) the -I directories and the standard library's. */
void program_set_import_search (Program *program, const char *root_dir,
                                const char *const *dirs);
/* A file read: `source` (NUL-terminated at `len`) becomes the program's;
 * `path` is copied.  Returns its index. */
guint program_add_file (Program *program, const char *path, char *source, gsize len);
const ProgramFile *program_file (const Program *program, guint index);
/* The path of the file `loc` is in. */
const char *program_loc_path (const Program *program, Loc loc);

Sym program_intern (Program *program, const char *s, gsize len);
#define program_sym(program, s) program_intern ((program), (s), strlen (s))

/* The declaration of that name, or NULL. */
AstDecl *program_lookup (Program *program, Sym name);

/* "did you mean": the declared name nearest to `name` whose kind is in
 * `kinds_mask` (a bitmask of 1 << DeclKind), or NULL. */
Sym program_suggest_decl (Program *program, Sym name, guint kinds_mask);
/* "did you mean": the parameter of `params` (may be NULL) nearest to `name`. */
const char *program_suggest_param (const AstParams *params, Sym name);

/* --------------------------------------------------------------- phases */

/* parser.y: parse one of the program's files.  Syntax errors are reported
 * into program->diags; the tree holds everything that parsed. */
AstFile *parse_file (Program *program, guint file);

/* imports.c: parse file 0 and every file it imports (each read once,
 * depth-first) into program->file, one program: an import's items before
 * the importer's.  An import that cannot be read is reported at it. */
void parse_program (Program *program);

/* resolve.c: fill program->decls; report duplicates; resolve type refs and
 * type options.  Runs before every check. */
void resolve_program (Program *program);

/* check-flow.c: flows and tables (views, availability, merges, outputs). */
void check_flows (Program *program);

/* check-graph.c: graphs. */
void check_graphs (Program *program);

/* check-main.c: the main block. */
void check_main (Program *program);

/* check-symbols.c: no generated symbol replaces a C library, POSIX, GLib
 * or runtime function, or one of dfc's own helpers. */
void check_symbols (Program *program);

/* check-options.c: options that have no effect where they are written
 * (warnings); after check_graphs, which finds the start nodes. */
void check_options (Program *program);

/* All of the above after parsing, in order. */
void check_program (Program *program);

/* draw.c: the structure of flows and graphs as Graphviz or Mermaid. */
void draw_dot (Program *program, GString *out);
void draw_mermaid (Program *program, GString *out);

/* ------------------------------------------------------------- types.c */

/* What a C type is, for literal binding and conditions. */
typedef enum {
  CTYPE_OTHER,      /* a struct value, void, an unknown typedef name */
  CTYPE_SIGNED,     /* a signed integer type */
  CTYPE_UNSIGNED,   /* an unsigned integer type */
  CTYPE_FLOAT,
  CTYPE_BOOL,       /* gboolean, bool, _Bool */
  CTYPE_POINTER,
} CTypeClass;

typedef struct {
  CTypeClass klass;
  gint64 min;       /* integers: the range of the type */
  guint64 max;
  gboolean is_timespan;   /* GTimeSpan, gint64, int64_t: takes durations */
  gboolean is_const_char_ptr; /* const char * / const gchar * */
  gboolean is_char_ptr;   /* char * or const char * (string dispatch keys) */
} CTypeInfo;

/* Classify a resolved type (alias expanded). */
CTypeInfo types_classify (const AstCType *ctype);

/* The C type behind a type reference (the alias expanded). */
const AstCType *types_ctype (const AstTypeRef *ref);
/* The free / copy function of a type reference, NULL when borrowed. */
Sym types_free_fn (const AstTypeRef *ref);
Sym types_copy_fn (const AstTypeRef *ref);

/* Do two type references agree (same C spelling after alias expansion, and
 * no two different free functions)?  On FALSE, *why (if given) is set to a
 * static string: "type" or "ownership". */
gboolean types_agree (const AstTypeRef *a, const AstTypeRef *b, const char **why);
/* Can a stage's or flow's input of type `input` read `value`?  When the
 * types agree, and also a `const T *` input reading a `T *` value (an
 * owned `char *` read by a `const char *` input): the call borrows it.
 * Only for the inputs of calls in flows, whose frame holds the value
 * until its last reader; outputs, merges and graph edges need agreement. */
gboolean types_input_accepts (const AstTypeRef *value, const AstTypeRef *input);

/* Can `lit` bind to a parameter of type `ref`?  On FALSE, reports
 * DIAG_LITERAL_TYPE at the literal (naming `param`) and returns FALSE. */
gboolean types_check_literal (Program *program, const AstLiteral *lit,
                              const AstTypeRef *ref, Sym param);

/* Can a value of the type cross processes as a stream-entry field (a
 * remote node's input)?  Integers, floating types, booleans and owned
 * strings freed with g_free; the one rule of check-edges.c and
 * gen-graph-remote.c. */
gboolean types_crosses_processes (const AstTypeRef *ref);

/* How a type reference is written for messages: the alias name, or the C
 * spelling. */
const char *types_display (const AstTypeRef *ref);
