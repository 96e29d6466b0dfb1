/* parser.y — the grammar of .df files, for GNU Bison.
 *
 * The rules follow the appendix of LANGUAGE.md; each group carries the
 * EBNF it implements.  Actions build the tree of ast.h directly in the
 * program's arena, so nothing needs freeing when a parse is abandoned
 * halfway (no %destructor).  Lists grow in ArenaVecs and become plain
 * arrays when their owner is complete.
 *
 * Option values that are out of range and options given twice are
 * reported here, where the tokens are at hand (bad-option,
 * duplicate-option); everything that needs names resolved is left to the
 * checks.
 *
 * Errors.  Messages name what was expected by spelling ("expected ';' or
 * '}' before 'parse'"), group the long sets ("a statement", "a type"),
 * and say which bracket is left open ("to close 'par' at line 4").
 * Recovery happens at three levels, so one run reports several errors:
 *   - a statement: `error` stands for a statement, and parsing resumes
 *     at the next `;`, `}` or `else`;
 *   - an item of a table, graph or main body, or a type option: resumes
 *     after the next `;` or at the closing `}`;
 *   - a declaration: tokens are skipped up to the next keyword that starts
 *     a declaration (`type`, `stage`, `flow`, ... cannot occur inside one).
 * Bison reports nothing more until three tokens have been shifted after
 * an error, which keeps one mistake from echoing.
 *
 * Two departures from a literal transcription of the EBNF, both making
 * the grammar LALR(1) without changing the language:
 *   - the lexer folds `; else` into `else` (see lexer.h), so
 *     `if (x) a; else b` and `if (x) a else b` are the same token stream;
 *   - statements are split into those that end with `}` (closed) and
 *     those that do not (open), which is how `{ a; } b;` needs no `;`
 *     after the block.  The same rule lets the last arm of a table omit
 *     its `;`, as the last statement of a block may.
 */

%require "3.8"
%define api.pure full
%define api.token.prefix {TOK_}
%define api.location.type {ParseLoc}
%define parse.error custom
%define parse.lac full
%locations
%param {Parser *parser}

%code requires {
#include "program.h"

typedef struct Parser Parser;

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

/* A name with its place: edge groups keep both. */
typedef struct {
  Sym name;
  Loc loc;
} ParseName;

/* The items of a graph body, in source order. */
typedef struct {
  ArenaVec nodes;
  ArenaVec edges;
} ParseGraphBody;
}

%code {
#include <string.h>
#include "lexer.h"

struct Parser {
  Program *program;
  Lexer lexer;
  ArenaVec items;      /* AstItem * */
  ArenaVec types, stages, tables, flows, graphs, mains, cblocks;
};

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                     \
  do                                                                    \
    {                                                                   \
      if (N)                                                            \
        {                                                               \
          (Cur).loc = YYRHSLOC (Rhs, 1).loc;                            \
          (Cur).offset = YYRHSLOC (Rhs, 1).offset;                      \
          (Cur).end_line = YYRHSLOC (Rhs, N).end_line;                  \
          (Cur).end_col = YYRHSLOC (Rhs, N).end_col;                    \
          (Cur).after_error = FALSE;                                    \
        }                                                               \
      else                                                              \
        {                                                               \
          (Cur).loc.line = (Cur).end_line = YYRHSLOC (Rhs, 0).end_line; \
          (Cur).loc.col = (Cur).end_col = YYRHSLOC (Rhs, 0).end_col;    \
          (Cur).loc.len = 1;                                            \
          (Cur).offset = YYRHSLOC (Rhs, 0).offset;                      \
          (Cur).after_error = FALSE;                                    \
        }                                                               \
    }                                                                   \
  while (0)

static int yylex (YYSTYPE *value, YYLTYPE *loc, Parser *parser);
static void yyerror (YYLTYPE *loc, Parser *parser, const char *message);

/* ------------------------------------------------------------ helpers */

static Arena *
arena_of (Parser *p)
{
  return p->program->arena;
}

static ArenaVec *
vec_new (Parser *p)
{
  return arena_new0 (arena_of (p), ArenaVec);
}

static ArenaVec *
vec_push (Parser *p, ArenaVec *vec, gpointer item)
{
  arena_vec_push (arena_of (p), vec, item);
  return vec;
}

/* A Loc covering a whole rule when it sits on one line, else its start. */
static Loc
span (ParseLoc where)
{
  Loc loc = where.loc;
  if (where.end_line == loc.line && where.end_col > loc.col)
    loc.len = where.end_col - loc.col;
  return loc;
}

/* From the start of `first` to the end of `last`. */
static Loc
span_between (ParseLoc first, ParseLoc last)
{
  first.end_line = last.end_line;
  first.end_col = last.end_col;
  return span (first);
}

/* The Loc of something not written. */
static const Loc no_loc;

static Sym
sym (Parser *p, const char *s)
{
  return program_sym (p->program, s);
}

/* ------------------------------------------------------- option checks */

/* An option given a second time: the first one stays. */
static gboolean
first_time (Parser *p, gboolean seen, Loc first, Loc again, const char *option)
{
  if (!seen)
    return TRUE;
  Diag *d = diag_report (p->program->diags, DIAG_DUPLICATE_OPTION, again,
                         "option '%s' is given twice", option);
  diag_note (d, first, "'%s' first given here", option);
  return FALSE;
}

/* Two options that exclude each other (`async blocking`, `every` and
 * `cron`): the first one stays. */
static gboolean
no_conflict (Parser *p, gboolean other_set, Loc other_loc, const char *other, Loc here,
             const char *option)
{
  if (!other_set)
    return TRUE;
  Diag *d = diag_report (p->program->diags, DIAG_DUPLICATE_OPTION, here,
                         "'%s' conflicts with '%s'", option, other);
  diag_note (d, other_loc, "'%s' given here", other);
  return FALSE;
}

/* A count (`tasks N`, `retry N`, ...): from `min` up to G_MAXINT, which is
 * what the generated C stores it in.  Out of range: reported, and `min`
 * stands in. */
static gint64
check_count (Parser *p, const char *option, const AstLiteral *lit, gint64 min)
{
  if (lit->negative && lit->magnitude > 0 && min >= 0)
    {
      diag_report (p->program->diags, DIAG_BAD_OPTION, lit->loc,
                   "'%s' must be at least %" G_GINT64_FORMAT ", not %s", option, min, lit->text);
      return min;
    }
  if (lit->magnitude > G_MAXINT)
    {
      diag_report (p->program->diags, DIAG_BAD_OPTION, lit->loc,
                   "'%s' must be at most %d, not %s", option, G_MAXINT, lit->text);
      return min;
    }
  if ((gint64) lit->magnitude < min)
    {
      diag_report (p->program->diags, DIAG_BAD_OPTION, lit->loc,
                   "'%s' must be at least %" G_GINT64_FORMAT ", not %s", option, min, lit->text);
      return min;
    }
  return (gint64) lit->magnitude;
}

/* Timeouts, periods and back-off delays: zero or less means nothing. */
static gint64
check_duration (Parser *p, const char *option, const AstLiteral *lit)
{
  if (lit->duration_us > 0)
    return lit->duration_us;
  diag_report (p->program->diags, DIAG_BAD_OPTION, lit->loc,
               "'%s' must be a positive duration, not %s", option, lit->text);
  return G_USEC_PER_SEC;
}

static void
set_count (Parser *p, const char *option, gboolean *has, Loc *loc, gint64 *value, Loc kw,
           const AstLiteral *lit, gint64 min)
{
  if (!first_time (p, *has, *loc, kw, option))
    return;
  *has = TRUE;
  *loc = kw;
  *value = check_count (p, option, lit, min);
}

static void
set_duration (Parser *p, const char *option, gboolean *has, Loc *loc, gint64 *value, Loc kw,
              const AstLiteral *lit)
{
  if (!first_time (p, *has, *loc, kw, option))
    return;
  *has = TRUE;
  *loc = kw;
  *value = check_duration (p, option, lit);
}

static void
set_timeout (Parser *p, AstCallOpts *opts, Loc kw, const AstLiteral *lit)
{
  set_duration (p, "timeout", &opts->has_timeout, &opts->timeout_loc, &opts->timeout_us, kw, lit);
}

static void
set_limit (Parser *p, AstCallOpts *opts, Loc kw, const AstLiteral *lit)
{
  set_count (p, "limit", &opts->has_limit, &opts->limit_loc, &opts->limit, kw, lit, 1);
}

static void
set_retry (Parser *p, AstRetry *dst, const AstRetry *retry)
{
  if (first_time (p, dst->set, dst->loc, retry->loc, "retry"))
    *dst = *retry;
}

/* `backoff D [.. D]`: both positive, the first no longer than the second
 * (reported at the second). */
static void
check_backoff (Parser *p, const ParseBackoff *b, gint64 *min_us, gint64 *max_us)
{
  *min_us = check_duration (p, "backoff", b->min);
  *max_us = b->max == b->min ? *min_us : check_duration (p, "backoff", b->max);
  if (*min_us > *max_us)
    {
      diag_report (p->program->diags, DIAG_BAD_OPTION, b->max->loc,
                   "backoff maximum %s is less than its minimum %s", b->max->text, b->min->text);
      *max_us = *min_us;
    }
}

static AstRetry *
retry_new (Parser *p, Loc kw, const AstLiteral *count, const ParseBackoff *backoff)
{
  AstRetry *r = arena_new0 (arena_of (p), AstRetry);
  r->set = TRUE;
  r->loc = kw;
  r->count = check_count (p, "retry", count, 0);
  if (backoff != NULL)
    {
      r->has_backoff = TRUE;
      check_backoff (p, backoff, &r->backoff_min_us, &r->backoff_max_us);
    }
  return r;
}

static ParseBackoff *
backoff_new (Parser *p, AstLiteral *min, AstLiteral *max)
{
  ParseBackoff *b = arena_new0 (arena_of (p), ParseBackoff);
  b->min = min;
  b->max = max != NULL ? max : min;
  return b;
}

/* `on error ...` on a flow (fail | retry) or a node (halt | skip | retry). */
static void
set_on_error (Parser *p, AstOnError *on, OnErrorKind kind, Loc kw, Loc kind_loc,
              const AstRetry *retry, gboolean on_node)
{
  if (!first_time (p, on->kind != ON_ERROR_DEFAULT, on->loc, kw, "on error"))
    return;
  if (on_node && kind == ON_ERROR_FAIL)
    {
      diag_report (p->program->diags, DIAG_BAD_OPTION, kind_loc,
                   "a node takes 'on error halt', 'skip' or 'retry', not 'fail'");
      kind = ON_ERROR_HALT;
    }
  else if (!on_node && (kind == ON_ERROR_HALT || kind == ON_ERROR_SKIP))
    {
      diag_report (p->program->diags, DIAG_BAD_OPTION, kind_loc,
                   "a flow takes 'on error fail' or 'retry', not '%s' (that is for graph nodes)",
                   kind == ON_ERROR_HALT ? "halt" : "skip");
      kind = ON_ERROR_FAIL;
    }
  on->kind = kind;
  on->loc = kw;
  if (retry != NULL)
    on->retry = *retry;
}

/* ---------------------------------------------------------------- types */

static gboolean
is_ctype_keyword (Sym word)
{
  static const char *const keywords[] = {
    "const", "volatile", "signed", "unsigned", "short", "long", "char", "int",
    "float", "double", "void", "_Bool", "struct", "union", "enum",
  };
  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (strcmp (word, keywords[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The spelling documented in ast.h: words joined by one space, then the
 * pointer levels: " *" after a word, "*" after another star, "const"
 * right after the star it qualifies ("char **", "char *const *"). */
static Sym
ctype_spelling (Parser *p, const ArenaVec *words, const ArenaVec *stars)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < words->n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, words->items[i]);
    }
  for (guint i = 0; i < stars->n; i++)
    {
      g_string_append (s, s->str[s->len - 1] == '*' ? "*" : " *");
      if (GPOINTER_TO_INT (stars->items[i]) == 2)
        g_string_append (s, "const");
    }
  Sym spelling = program_intern (p->program, s->str, s->len);
  g_string_free (s, TRUE);
  return spelling;
}

static AstCType *
ctype_new (Parser *p, ArenaVec *words, ArenaVec *stars, ParseLoc where)
{
  AstCType *t = arena_new0 (arena_of (p), AstCType);
  t->loc = span (where);
  t->words = (Sym *) words->items;
  t->n_words = words->n;
  t->n_pointers = stars->n;
  t->spelling = ctype_spelling (p, words, stars);
  return t;
}

static void
typeref_init (AstTypeRef *ref, AstCType *ctype)
{
  ref->loc = ctype->loc;
  ref->ctype = ctype;
  if (ctype->n_words == 1 && ctype->n_pointers == 0 && !is_ctype_keyword (ctype->words[0]))
    ref->ident = ctype->words[0];
}

static AstParam *
param_new (Parser *p, Sym name, Loc loc, AstCType *ctype)
{
  AstParam *param = arena_new0 (arena_of (p), AstParam);
  param->name = name;
  param->loc = loc;
  typeref_init (&param->type, ctype);
  return param;
}

static AstParams *
params_new (Parser *p, ArenaVec *list, Loc open)
{
  AstParams *params = arena_new0 (arena_of (p), AstParams);
  params->loc = open;
  if (list != NULL)
    {
      params->items = (AstParam **) list->items;
      params->n = list->n;
    }
  return params;
}

static AstTypeDecl *
typedecl_new (Parser *p, Sym name, Loc loc, AstCType *ctype, ArenaVec *options)
{
  AstTypeDecl *t = arena_new0 (arena_of (p), AstTypeDecl);
  t->decl.kind = DECL_TYPE;
  t->decl.name = name;
  t->decl.loc = loc;
  t->ctype = ctype;
  if (options != NULL)
    {
      t->options = (AstTypeOption **) options->items;
      t->n_options = options->n;
    }
  return t;
}

static AstTypeOption *
type_option_new (Parser *p, Sym key, Loc key_loc, Sym value, Loc value_loc)
{
  AstTypeOption *o = arena_new0 (arena_of (p), AstTypeOption);
  o->key = key;
  o->key_loc = key_loc;
  o->value = value;
  o->value_loc = value_loc;
  return o;
}

/* --------------------------------------------------------------- stages */

static AstStage *
stage_new (Parser *p, Sym name, Loc loc, AstParams *in, AstParams *out)
{
  AstStage *s = arena_new0 (arena_of (p), AstStage);
  s->decl.kind = DECL_STAGE;
  s->decl.name = name;
  s->decl.loc = loc;
  s->in = *in;
  if (out != NULL)
    s->out = *out;
  return s;
}

static void
stage_set_kind (Parser *p, AstStage *s, StageKind kind, Loc kw)
{
  const char *name = kind == STAGE_ASYNC ? "async" : "blocking";
  if (s->kind == kind)
    {
      first_time (p, TRUE, s->kind_loc, kw, name);
      return;
    }
  const char *other = s->kind == STAGE_ASYNC ? "async" : "blocking";
  if (!no_conflict (p, s->kind != STAGE_SYNC, s->kind_loc, other, kw, name))
    return;
  s->kind = kind;
  s->kind_loc = kw;
}

/* ----------------------------------------------------------- statements */

static AstStmt *
stmt_new (Parser *p, StmtKind kind, Loc loc)
{
  AstStmt *s = arena_new0 (arena_of (p), AstStmt);
  s->kind = kind;
  s->loc = loc;
  return s;
}

static AstStmt *
block_new (Parser *p, StmtKind kind, Loc loc, ArenaVec *items)
{
  AstStmt *s = stmt_new (p, kind, loc);
  s->u.block.items = (AstStmt **) items->items;
  s->u.block.n = items->n;
  return s;
}

static AstStmt *
if_new (Parser *p, Loc kw, AstIf *cond, AstStmt *then_stmt, Loc else_loc, AstStmt *else_stmt)
{
  AstStmt *s = stmt_new (p, STMT_IF, kw);
  s->u.if_ = *cond;
  s->u.if_.then_stmt = then_stmt;
  s->u.if_.else_stmt = else_stmt;
  s->u.if_.else_loc = else_loc;
  return s;
}

static AstIf *
cond_new (Parser *p, gboolean negate, Sym name, Loc loc)
{
  AstIf *c = arena_new0 (arena_of (p), AstIf);
  c->negate = negate;
  c->cond = name;
  c->cond_loc = loc;
  return c;
}

static AstBinding *
binding_new (Parser *p, Sym param, Loc loc)
{
  AstBinding *b = arena_new0 (arena_of (p), AstBinding);
  b->param = param;
  b->loc = loc;
  return b;
}

static AstBinding *
binding_key (Parser *p, Sym param, Loc loc, Sym key, Loc key_loc)
{
  AstBinding *b = binding_new (p, param, loc);
  b->key = key;
  b->key_loc = key_loc;
  return b;
}

static AstBinding *
binding_literal (Parser *p, Sym param, Loc loc, const AstLiteral *lit)
{
  AstBinding *b = binding_new (p, param, loc);
  b->is_literal = TRUE;
  b->lit = *lit;
  return b;
}

static AstLiteral *
literal_bool (Parser *p, gboolean value, Loc loc)
{
  AstLiteral *lit = arena_new0 (arena_of (p), AstLiteral);
  lit->kind = LIT_BOOL;
  lit->loc = loc;
  lit->b = value;
  lit->text = value ? "true" : "false";
  return lit;
}

static AstRename *
rename_new (Parser *p, Sym key, Loc loc, Sym output, Loc output_loc)
{
  AstRename *r = arena_new0 (arena_of (p), AstRename);
  r->key = key;
  r->loc = loc;
  r->output = output;
  r->output_loc = output_loc;
  return r;
}

static ParsePick *
pick_new (Parser *p, PickKind kind, Loc loc)
{
  ParsePick *pick = arena_new0 (arena_of (p), ParsePick);
  pick->kind = kind;
  pick->loc = loc;
  return pick;
}

static AstStmt *
call_new (Parser *p, Sym callee, Loc loc, const ParsePick *pick, ArenaVec *args, ArenaVec *renames)
{
  AstStmt *s = stmt_new (p, STMT_CALL, loc);
  AstCall *c = &s->u.call;
  c->callee = callee;
  c->callee_loc = loc;
  if (pick != NULL)
    {
      c->pick = pick->kind;
      c->pick_loc = pick->loc;
      if (pick->lit != NULL)
        c->pick_lit = *pick->lit;
      c->pick_key = pick->key;
    }
  if (args != NULL)
    {
      c->has_parens = TRUE;
      c->bindings = (AstBinding **) args->items;
      c->n_bindings = args->n;
    }
  if (renames != NULL)
    {
      c->renames = (AstRename **) renames->items;
      c->n_renames = renames->n;
    }
  return s;
}

/* ---------------------------------------------------------------- tables */

static AstTableArm *
arm_new (Parser *p, KeyKind kind, Loc loc, const AstLiteral *lit)
{
  AstTableArm *arm = arena_new0 (arena_of (p), AstTableArm);
  arm->kind = kind;
  arm->loc = loc;
  if (lit != NULL)
    arm->lit = *lit;
  return arm;
}

static AstTable *
table_new (Parser *p, Sym name, Loc loc, Loc open, ArenaVec *arms)
{
  AstTable *t = arena_new0 (arena_of (p), AstTable);
  t->decl.kind = DECL_TABLE;
  t->decl.name = name;
  t->decl.loc = loc;
  t->open_loc = open;
  t->arms = (AstTableArm **) arms->items;
  t->n_arms = arms->n;
  return t;
}

/* ----------------------------------------------------------------- flows */

static AstFlow *
flow_new (Parser *p, Sym name, Loc loc, AstParams *in, AstParams *out)
{
  AstFlow *f = arena_new0 (arena_of (p), AstFlow);
  f->decl.kind = DECL_FLOW;
  f->decl.name = name;
  f->decl.loc = loc;
  f->in = *in;
  if (out != NULL)
    {
      f->out = *out;
      f->has_arrow = TRUE;
    }
  return f;
}

static void
flow_set_visibility (Parser *p, AstFlow *f, Visibility visibility, Loc kw)
{
  if (!first_time (p, f->has_visibility, f->visibility_loc, kw, "visibility"))
    return;
  f->has_visibility = TRUE;
  f->visibility = visibility;
  f->visibility_loc = kw;
}

static void
flow_set_repeat (Parser *p, AstFlow *f, Loc kw)
{
  if (!first_time (p, f->repeat, f->repeat_loc, kw, "repeat"))
    return;
  f->repeat = TRUE;
  f->repeat_loc = kw;
}

/* ---------------------------------------------------------------- graphs */

static AstNode *
node_new (Parser *p, Sym name, Loc loc, Sym stage, Loc stage_loc, ArenaVec *args)
{
  AstNode *n = arena_new0 (arena_of (p), AstNode);
  n->name = name;
  n->loc = loc;
  n->stage = stage;
  n->stage_loc = stage_loc;
  if (args != NULL)
    {
      n->bindings = (AstBinding **) args->items;
      n->n_bindings = args->n;
    }
  return n;
}

static void
node_set_every (Parser *p, AstNode *n, Loc kw, const AstLiteral *lit)
{
  if (no_conflict (p, n->has_cron, n->cron_loc, "cron", kw, "every"))
    set_duration (p, "every", &n->has_every, &n->every_loc, &n->every_us, kw, lit);
}

static void
node_set_cron (Parser *p, AstNode *n, Loc kw, const AstLiteral *lit)
{
  if (!no_conflict (p, n->has_every, n->every_loc, "every", kw, "cron")
      || !first_time (p, n->has_cron, n->cron_loc, kw, "cron"))
    return;
  n->has_cron = TRUE;
  n->cron_loc = kw;
  n->cron = lit->str;
}

static void
node_set_batch (Parser *p, AstNode *n, Loc kw, const AstLiteral *size, const AstLiteral *within)
{
  if (!first_time (p, n->has_batch, n->batch_loc, kw, "batch"))
    return;
  set_count (p, "batch", &n->has_batch, &n->batch_loc, &n->batch, kw, size, 1);
  if (within != NULL)
    {
      n->has_within = TRUE;
      n->within_us = check_duration (p, "within", within);
    }
}

static AstEdgeGroup *
group_new (Parser *p, gboolean zip, Loc loc, const ArenaVec *names)
{
  AstEdgeGroup *g = arena_new0 (arena_of (p), AstEdgeGroup);
  g->zip = zip;
  g->loc = loc;
  g->n = names->n;
  g->names = arena_newv (arena_of (p), Sym, names->n);
  g->name_locs = arena_newv (arena_of (p), Loc, names->n);
  for (guint i = 0; i < names->n; i++)
    {
      const ParseName *name = names->items[i];
      g->names[i] = name->name;
      g->name_locs[i] = name->loc;
    }
  return g;
}

static ArenaVec *
names_push (Parser *p, ArenaVec *names, Sym name, Loc loc)
{
  ParseName *n = arena_new0 (arena_of (p), ParseName);
  n->name = name;
  n->loc = loc;
  return vec_push (p, names, n);
}

static AstEdge *
edge_new (Parser *p, ArenaVec *groups, ArenaVec *mappings)
{
  AstEdge *e = arena_new0 (arena_of (p), AstEdge);
  e->groups = (AstEdgeGroup **) groups->items;
  e->n_groups = groups->n;
  e->loc = e->groups[0]->loc;
  if (mappings != NULL)
    {
      e->mappings = (AstBinding **) mappings->items;
      e->n_mappings = mappings->n;
    }
  return e;
}

static AstGraph *
graph_new (Parser *p, Sym name, Loc loc, AstParams *in)
{
  AstGraph *g = arena_new0 (arena_of (p), AstGraph);
  g->decl.kind = DECL_GRAPH;
  g->decl.name = name;
  g->decl.loc = loc;
  g->in = *in;
  return g;
}

static AstGraph *
graph_finish (AstGraph *g, Loc open, ParseGraphBody *body)
{
  g->open_loc = open;
  g->nodes = (AstNode **) body->nodes.items;
  g->n_nodes = body->nodes.n;
  g->edges = (AstEdge **) body->edges.items;
  g->n_edges = body->edges.n;
  return g;
}

/* ------------------------------------------------------------------ main */

static AstRun *
run_restart (Parser *p, Loc kw, const ParseBackoff *backoff, const AstLiteral *max)
{
  AstRun *run = arena_new0 (arena_of (p), AstRun);
  run->restart = TRUE;
  run->restart_loc = kw;
  if (backoff != NULL)
    {
      run->has_backoff = TRUE;
      check_backoff (p, backoff, &run->backoff_min_us, &run->backoff_max_us);
    }
  if (max != NULL)
    {
      run->has_max = TRUE;
      run->max = check_count (p, "max", max, 1);
    }
  return run;
}

static AstRun *
run_finish (Parser *p, AstRun *run, Loc kw, Sym target, Loc loc, ArenaVec *args)
{
  if (run == NULL)
    run = arena_new0 (arena_of (p), AstRun);
  run->run_loc = kw;
  run->target = target;
  run->loc = loc;
  if (args != NULL)
    {
      run->bindings = (AstBinding **) args->items;
      run->n_bindings = args->n;
    }
  return run;
}

static AstMain *
main_new (Parser *p, Loc kw, ArenaVec *runs)
{
  AstMain *m = arena_new0 (arena_of (p), AstMain);
  m->loc = kw;
  m->runs = (AstRun **) runs->items;
  m->n_runs = runs->n;
  return m;
}

/* ------------------------------------------------------------------ file */

static void
add_item (Parser *p, ItemKind kind, gpointer what)
{
  AstItem *item = arena_new0 (arena_of (p), AstItem);
  item->kind = kind;
  switch (kind)
    {
    case ITEM_CBLOCK:
      item->u.cblock = what;
      break;
    case ITEM_DECL:
      item->u.decl = what;
      break;
    case ITEM_MAIN:
      item->u.main = what;
      break;
    }
  vec_push (p, &p->items, item);
}

static void
add_decl (Parser *p, AstDecl *decl, ArenaVec *by_kind)
{
  add_item (p, ITEM_DECL, decl);
  vec_push (p, by_kind, decl);
}
}

/* ---------------------------------------------------------------- tokens */

%token END 0 "end of file"
%token <sym> IDENT "a name"
%token <lit> INT "an integer" FLOAT "a floating-point number" STRING "a string"
             DURATION "a duration"
%token <cblock> CBLOCK "'%{'"
/* Declared first so that messages list them in this order. */
%token ';' '}' ')' ']' '{' '(' '[' ',' '=' ':' '*' '!'
%token ARROW "'->'" FATARROW "'=>'" DOTDOT "'..'"
%token TYPE "'type'" STAGE "'stage'" EMITS "'emits'" ASYNC "'async'" BLOCKING "'blocking'"
       TIMEOUT "'timeout'" LIMIT "'limit'" RETRY "'retry'" BACKOFF "'backoff'"
       TABLE "'table'" DEFAULT "'default'"
       FLOW "'flow'" VISIBILITY "'visibility'" NONE "'none'" INITIAL "'initial'" ALL "'all'"
       REPEAT "'repeat'" EVERY "'every'" ON "'on'" ERROR_KW "'error'" FAIL "'fail'"
       PAR "'par'" IF "'if'" ELSE "'else'"
       GRAPH "'graph'" HALT_ON_ERROR "'halt_on_error'" NODE "'node'" TASKS "'tasks'"
       QUEUE "'queue'" BATCH "'batch'" WITHIN "'within'" CRON "'cron'" HALT "'halt'"
       SKIP "'skip'" ZIP "'zip'"
       MAIN "'main'" RUN "'run'" RESTART "'restart'" FAILURE "'failure'" MAX "'max'"
       TRUE_KW "'true'" FALSE_KW "'false'"
       CONST "'const'" VOLATILE "'volatile'" SIGNED "'signed'" UNSIGNED "'unsigned'"
       SHORT "'short'" LONG "'long'" CHAR "'char'" INT_KW "'int'" FLOAT_KW "'float'"
       DOUBLE "'double'" VOID "'void'" BOOL_KW "'_Bool'" STRUCT "'struct'" UNION "'union'"
       ENUM "'enum'" UNDERSCORE "'_'"

/* `if (x) if (y) a else b`: the `else` belongs to the nearest `if`. */
%precedence THEN
%precedence ELSE

%union {
  Sym sym;
  AstLiteral *lit;
  AstCBlock *cblock;
  ArenaVec *vec;
  AstStmt *stmt;
  AstIf *cond;
  AstCType *ctype;
  AstParam *param;
  AstParams *params;
  AstTypeDecl *type;
  AstStage *stage;
  AstTable *table;
  AstTableArm *arm;
  AstFlow *flow;
  AstGraph *graph;
  ParseGraphBody *gbody;
  AstNode *node;
  AstEdge *edge;
  AstEdgeGroup *group;
  AstMain *main;
  AstRun *run;
  AstBinding *binding;
  AstRename *rename;
  AstRetry *retry;
  ParseBackoff *backoff;
  ParsePick *pick;
  Visibility visibility;
  OnErrorKind on_error;
}

%type <sym> cword tag
%type <vec> cwords stars params_list type_options args bindings renames rename_list seq arms
            chain names runs
%type <ctype> ctype
%type <param> param
%type <params> params
%type <type> typedecl
%type <stage> stagedecl stage_head stage_opts
%type <table> tabledecl
%type <arm> arm last_arm key
%type <flow> flowdecl flow_head flow_opts
%type <visibility> visibility
%type <on_error> on_error_kind
%type <stmt> block closed_stmt open_stmt call call_head
%type <cond> cond
%type <pick> pick
%type <binding> binding
%type <lit> literal
%type <rename> rename
%type <retry> retry
%type <backoff> backoff backoff_opt
%type <lit> max_opt
%type <graph> graphdecl graph_head
%type <gbody> gitems
%type <node> node node_head
%type <edge> edge
%type <group> ends
%type <main> maindecl
%type <run> run restart

%initial-action
{
  @$.loc.line = @$.end_line = 1;
  @$.loc.col = @$.end_col = 1;
  @$.loc.len = 1;
  @$.offset = 0;
  @$.after_error = FALSE;
}

%%

/* file = { decl } ;
 * decl = cblock | typedecl | stagedecl | tabledecl | flowdecl | graphdecl | maindecl ;
 * After an error inside a declaration, skip to the next declaration
 * keyword.  A stray `;` between declarations (`};` after a flow, out of C
 * habit) is accepted and ignored. */
file:
    %empty
  | file decl
  | file error
  ;

decl:
    CBLOCK     { add_item (parser, ITEM_CBLOCK, $1); vec_push (parser, &parser->cblocks, $1); }
  | typedecl   { add_decl (parser, &$1->decl, &parser->types); }
  | stagedecl  { add_decl (parser, &$1->decl, &parser->stages); }
  | tabledecl  { add_decl (parser, &$1->decl, &parser->tables); }
  | flowdecl   { add_decl (parser, &$1->decl, &parser->flows); }
  | graphdecl  { add_decl (parser, &$1->decl, &parser->graphs); }
  | maindecl   { add_item (parser, ITEM_MAIN, $1); vec_push (parser, &parser->mains, $1); }
  | ';'
  ;

/* ----------------------------------------------------------------- types */

/* typedecl = "type" IDENT "=" ctype [ "{" { IDENT "=" IDENT ";" } "}" ] ";" ; */
typedecl:
    TYPE IDENT '=' ctype ';'
      { $$ = typedecl_new (parser, $2, @2.loc, $4, NULL); }
  | TYPE IDENT '=' ctype '{' type_options '}' ';'
      { $$ = typedecl_new (parser, $2, @2.loc, $4, $6); }
  ;

type_options:
    %empty  { $$ = vec_new (parser); }
  | type_options IDENT '=' IDENT ';'
      { $$ = vec_push (parser, $1, type_option_new (parser, $2, @2.loc, $4, @4.loc)); }
  ;

/* ctype     = ctypeword { ctypeword } { "*" [ "const" ] } ;
 * ctypeword = IDENT | "const" | "volatile" | "signed" | "unsigned" | "short" | "long"
 *           | "char" | "int" | "float" | "double" | "void" | "_Bool"
 *           | ( "struct" | "union" | "enum" ) IDENT ;
 * typeref   = IDENT | ctype ;   (a lone IDENT is a one-word ctype) */
ctype:
    cwords stars  { $$ = ctype_new (parser, $1, $2, @$); }
  ;

cwords:
    cword               { $$ = vec_push (parser, vec_new (parser), (gpointer) $1); }
  | tag IDENT           { $$ = vec_push (parser, vec_push (parser, vec_new (parser), (gpointer) $1), (gpointer) $2); }
  | cwords cword        { $$ = vec_push (parser, $1, (gpointer) $2); }
  | cwords tag IDENT    { $$ = vec_push (parser, vec_push (parser, $1, (gpointer) $2), (gpointer) $3); }
  ;

cword:
    IDENT     { $$ = $1; }
  | CONST     { $$ = sym (parser, "const"); }
  | VOLATILE  { $$ = sym (parser, "volatile"); }
  | SIGNED    { $$ = sym (parser, "signed"); }
  | UNSIGNED  { $$ = sym (parser, "unsigned"); }
  | SHORT     { $$ = sym (parser, "short"); }
  | LONG      { $$ = sym (parser, "long"); }
  | CHAR      { $$ = sym (parser, "char"); }
  | INT_KW    { $$ = sym (parser, "int"); }
  | FLOAT_KW  { $$ = sym (parser, "float"); }
  | DOUBLE    { $$ = sym (parser, "double"); }
  | VOID      { $$ = sym (parser, "void"); }
  | BOOL_KW   { $$ = sym (parser, "_Bool"); }
  ;

tag:
    STRUCT  { $$ = sym (parser, "struct"); }
  | UNION   { $$ = sym (parser, "union"); }
  | ENUM    { $$ = sym (parser, "enum"); }
  ;

/* Each pointer level: 1 for "*", 2 for "* const". */
stars:
    %empty           { $$ = vec_new (parser); }
  | stars '*'        { $$ = vec_push (parser, $1, GINT_TO_POINTER (1)); }
  | stars '*' CONST  { $$ = vec_push (parser, $1, GINT_TO_POINTER (2)); }
  ;

/* param  = IDENT ":" typeref [ "[" "]" ] ;
 * params = "(" [ param { "," param } ] ")" ; */
params:
    '(' ')'              { $$ = params_new (parser, NULL, @1.loc); }
  | '(' params_list ')'  { $$ = params_new (parser, $2, @1.loc); }
  ;

params_list:
    param                  { $$ = vec_push (parser, vec_new (parser), $1); }
  | params_list ',' param  { $$ = vec_push (parser, $1, $3); }
  ;

param:
    IDENT ':' ctype
      { $$ = param_new (parser, $1, @1.loc, $3); }
  | IDENT ':' ctype '[' ']'
      {
        $$ = param_new (parser, $1, @1.loc, $3);
        $$->is_batch = TRUE;
        $$->batch_loc = span_between (@4, @5);
      }
  ;

/* ---------------------------------------------------------------- stages */

/* stagedecl = "stage" IDENT params [ ( "->" | "emits" ) params ] { stageopt } ";" ;
 * stageopt  = "async" | "blocking" | "timeout" DURATION | "limit" INT
 *           | "retry" INT [ "backoff" DURATION [ ".." DURATION ] ] ; */
stagedecl:
    stage_opts ';'  { $$ = $1; }
  ;

stage_head:
    STAGE IDENT params               { $$ = stage_new (parser, $2, @2.loc, $3, NULL); }
  | STAGE IDENT params ARROW params  { $$ = stage_new (parser, $2, @2.loc, $3, $5); $$->has_arrow = TRUE; }
  | STAGE IDENT params EMITS params  { $$ = stage_new (parser, $2, @2.loc, $3, $5); $$->emits = TRUE; }
  ;

stage_opts:
    stage_head                 { $$ = $1; }
  | stage_opts ASYNC           { stage_set_kind (parser, $1, STAGE_ASYNC, @2.loc); $$ = $1; }
  | stage_opts BLOCKING        { stage_set_kind (parser, $1, STAGE_BLOCKING, @2.loc); $$ = $1; }
  | stage_opts TIMEOUT DURATION { set_timeout (parser, &$1->opts, @2.loc, $3); $$ = $1; }
  | stage_opts LIMIT INT       { set_limit (parser, &$1->opts, @2.loc, $3); $$ = $1; }
  | stage_opts retry           { set_retry (parser, &$1->opts.retry, $2); $$ = $1; }
  ;

/* "retry" INT [ "backoff" DURATION [ ".." DURATION ] ] */
retry:
    RETRY INT          { $$ = retry_new (parser, @1.loc, $2, NULL); }
  | RETRY INT backoff  { $$ = retry_new (parser, @1.loc, $2, $3); }
  ;

backoff:
    BACKOFF DURATION                  { $$ = backoff_new (parser, $2, NULL); }
  | BACKOFF DURATION DOTDOT DURATION  { $$ = backoff_new (parser, $2, $4); }
  ;

/* ---------------------------------------------------------------- tables */

/* tabledecl = "table" IDENT "{" { tablekey "=>" stmt ";" } "}" ;
 * tablekey  = STRING | INT | "default" ;
 * The `;` after an arm that ends with `}`, and after the last arm, may be
 * left out, as in a block. */
tabledecl:
    TABLE IDENT '{' arms '}'
      { $$ = table_new (parser, $2, @2.loc, @3.loc, $4); }
  | TABLE IDENT '{' arms last_arm '}'
      { $$ = table_new (parser, $2, @2.loc, @3.loc, vec_push (parser, $4, $5)); }
  | TABLE IDENT '{' arms error '}'
      { $$ = table_new (parser, $2, @2.loc, @3.loc, $4); }
  ;

arms:
    %empty            { $$ = vec_new (parser); }
  | arms arm          { $$ = vec_push (parser, $1, $2); }
  | arms error ';'    { $$ = $1; }
  ;

arm:
    key FATARROW open_stmt ';'    { $$ = $1; $$->stmt = $3; }
  | key FATARROW closed_stmt      { $$ = $1; $$->stmt = $3; }
  | key FATARROW closed_stmt ';'  { $$ = $1; $$->stmt = $3; }
  ;

last_arm:
    key FATARROW open_stmt        { $$ = $1; $$->stmt = $3; }
  ;

key:
    STRING   { $$ = arm_new (parser, KEY_STRING, @1.loc, $1); }
  | INT      { $$ = arm_new (parser, KEY_INT, @1.loc, $1); }
  | DEFAULT  { $$ = arm_new (parser, KEY_DEFAULT, @1.loc, NULL); }
  ;

/* ----------------------------------------------------------------- flows */

/* flowdecl = "flow" IDENT params [ "->" params ] { flowopt } block ;
 * flowopt  = "visibility" ( "none" | "initial" | "all" ) | "repeat" | "every" DURATION
 *          | "on" "error" ( "fail" | "retry" INT [ "backoff" DURATION [ ".." DURATION ] ] ) ; */
flowdecl:
    flow_opts block  { $$ = $1; $$->body = $2; }
  ;

flow_head:
    FLOW IDENT params               { $$ = flow_new (parser, $2, @2.loc, $3, NULL); }
  | FLOW IDENT params ARROW params  { $$ = flow_new (parser, $2, @2.loc, $3, $5); }
  ;

flow_opts:
    flow_head                       { $$ = $1; }
  | flow_opts VISIBILITY visibility { flow_set_visibility (parser, $1, $3, @2.loc); $$ = $1; }
  | flow_opts REPEAT                { flow_set_repeat (parser, $1, @2.loc); $$ = $1; }
  | flow_opts EVERY DURATION
      { set_duration (parser, "every", &$1->has_every, &$1->every_loc, &$1->every_us, @2.loc, $3); $$ = $1; }
  | flow_opts ON ERROR_KW on_error_kind
      { set_on_error (parser, &$1->on_error, $4, @2.loc, @4.loc, NULL, FALSE); $$ = $1; }
  | flow_opts ON ERROR_KW retry
      { set_on_error (parser, &$1->on_error, ON_ERROR_RETRY, @2.loc, @4.loc, $4, FALSE); $$ = $1; }
  ;

/* `fail` is for flows, `halt` and `skip` for nodes; each is accepted in
 * both places so that the wrong one gets a clear message (bad-option). */
on_error_kind:
    FAIL  { $$ = ON_ERROR_FAIL; }
  | HALT  { $$ = ON_ERROR_HALT; }
  | SKIP  { $$ = ON_ERROR_SKIP; }
  ;

visibility:
    NONE     { $$ = VIS_NONE; }
  | INITIAL  { $$ = VIS_INITIAL; }
  | ALL      { $$ = VIS_ALL; }
  ;

/* block = "{" stmt { ";" stmt } [ ";" ] "}" ;
 * A statement that ends with `}` needs no `;` after it; an empty block
 * parses (the checks report it). */
block:
    '{' seq '}'            { $$ = block_new (parser, STMT_BLOCK, @1.loc, $2); }
  | '{' seq open_stmt '}'  { $$ = block_new (parser, STMT_BLOCK, @1.loc, vec_push (parser, $2, $3)); }
  ;

seq:
    %empty                  { $$ = vec_new (parser); }
  | seq open_stmt ';'       { $$ = vec_push (parser, $1, $2); }
  | seq closed_stmt         { $$ = vec_push (parser, $1, $2); }
  | seq closed_stmt ';'     { $$ = vec_push (parser, $1, $2); }
  ;

/* stmt = call | block | "par" block | "if" "(" [ "!" ] IDENT ")" stmt [ [ ";" ] "else" stmt ] ;
 * Closed statements end with `}`, open ones do not.  An `if` is closed
 * when its last branch is. */
closed_stmt:
    block                               { $$ = $1; }
  | PAR block                           { $$ = $2; $$->kind = STMT_PAR; $$->loc = @1.loc; }
  | IF cond closed_stmt %prec THEN      { $$ = if_new (parser, @1.loc, $2, $3, no_loc, NULL); }
  | IF cond closed_stmt ELSE closed_stmt { $$ = if_new (parser, @1.loc, $2, $3, @4.loc, $5); }
  | IF cond open_stmt ELSE closed_stmt  { $$ = if_new (parser, @1.loc, $2, $3, @4.loc, $5); }
  ;

open_stmt:
    call                                { $$ = $1; }
  | IF cond open_stmt %prec THEN        { $$ = if_new (parser, @1.loc, $2, $3, no_loc, NULL); }
  | IF cond closed_stmt ELSE open_stmt  { $$ = if_new (parser, @1.loc, $2, $3, @4.loc, $5); }
  | IF cond open_stmt ELSE open_stmt    { $$ = if_new (parser, @1.loc, $2, $3, @4.loc, $5); }
  | error                               { $$ = block_new (parser, STMT_BLOCK, @1.loc, vec_new (parser)); }
  ;

cond:
    '(' IDENT ')'      { $$ = cond_new (parser, FALSE, $2, @2.loc); }
  | '(' '!' IDENT ')'  { $$ = cond_new (parser, TRUE, $3, @3.loc); }
  ;

/* call    = IDENT [ "[" ( STRING | INT | IDENT ) "]" ] [ "(" [ binding { "," binding } ] ")" ]
 *           [ "=>" "(" rename { "," rename } ")" ] { callopt } ;
 * callopt = "timeout" DURATION | "limit" INT | "retry" INT [ "backoff" DURATION [ ".." DURATION ] ] ; */
call:
    call_head               { $$ = $1; }
  | call TIMEOUT DURATION   { set_timeout (parser, &$1->u.call.opts, @2.loc, $3); $$ = $1; }
  | call LIMIT INT          { set_limit (parser, &$1->u.call.opts, @2.loc, $3); $$ = $1; }
  | call retry              { set_retry (parser, &$1->u.call.opts.retry, $2); $$ = $1; }
  ;

call_head:
    IDENT pick args renames  { $$ = call_new (parser, $1, @1.loc, $2, $3, $4); }
  ;

pick:
    %empty          { $$ = NULL; }
  | '[' STRING ']'  { $$ = pick_new (parser, PICK_STRING, @2.loc); $$->lit = $2; }
  | '[' INT ']'     { $$ = pick_new (parser, PICK_INT, @2.loc); $$->lit = $2; }
  | '[' IDENT ']'   { $$ = pick_new (parser, PICK_VALUE, @2.loc); $$->key = $2; }
  ;

/* "(" [ binding { "," binding } ] ")": NULL when not written at all. */
args:
    %empty            { $$ = NULL; }
  | '(' ')'           { $$ = vec_new (parser); }
  | '(' bindings ')'  { $$ = $2; }
  ;

bindings:
    binding               { $$ = vec_push (parser, vec_new (parser), $1); }
  | bindings ',' binding  { $$ = vec_push (parser, $1, $3); }
  ;

/* binding = IDENT "=" ( IDENT | literal ) ;
 * literal = INT | FLOAT | STRING | "true" | "false" | DURATION ; */
binding:
    IDENT '=' IDENT    { $$ = binding_key (parser, $1, @1.loc, $3, @3.loc); }
  | IDENT '=' literal  { $$ = binding_literal (parser, $1, @1.loc, $3); }
  ;

literal:
    INT       { $$ = $1; }
  | FLOAT     { $$ = $1; }
  | STRING    { $$ = $1; }
  | DURATION  { $$ = $1; }
  | TRUE_KW   { $$ = literal_bool (parser, TRUE, @1.loc); }
  | FALSE_KW  { $$ = literal_bool (parser, FALSE, @1.loc); }
  ;

/* rename = ( IDENT | "_" ) "=" IDENT ; */
renames:
    %empty                        { $$ = NULL; }
  | FATARROW '(' rename_list ')'  { $$ = $3; }
  ;

rename_list:
    rename                  { $$ = vec_push (parser, vec_new (parser), $1); }
  | rename_list ',' rename  { $$ = vec_push (parser, $1, $3); }
  ;

rename:
    IDENT '=' IDENT       { $$ = rename_new (parser, $1, @1.loc, $3, @3.loc); }
  | UNDERSCORE '=' IDENT  { $$ = rename_new (parser, NULL, @1.loc, $3, @3.loc); }
  ;

/* ---------------------------------------------------------------- graphs */

/* graphdecl = "graph" IDENT params [ "halt_on_error" ] "{" { gitem } "}" ;
 * gitem     = "node" IDENT "=" IDENT [ "(" [ binding { "," binding } ] ")" ] { nodeopt } ";"
 *           | edge ";" ; */
graphdecl:
    graph_head '{' gitems '}'        { $$ = graph_finish ($1, @2.loc, $3); }
  | graph_head '{' gitems error '}'  { $$ = graph_finish ($1, @2.loc, $3); }
  ;

graph_head:
    GRAPH IDENT params                { $$ = graph_new (parser, $2, @2.loc, $3); }
  | GRAPH IDENT params HALT_ON_ERROR
      { $$ = graph_new (parser, $2, @2.loc, $3); $$->halt_on_error = TRUE; $$->halt_loc = @4.loc; }
  ;

gitems:
    %empty                { $$ = arena_new0 (arena_of (parser), ParseGraphBody); }
  | gitems node ';'       { vec_push (parser, &$1->nodes, $2); $$ = $1; }
  | gitems edge ';'       { vec_push (parser, &$1->edges, $2); $$ = $1; }
  | gitems error ';'      { $$ = $1; }
  ;

/* nodeopt = "tasks" INT | "queue" INT | "batch" INT [ "within" DURATION ]
 *         | "timeout" DURATION | "limit" INT
 *         | "every" DURATION | "cron" STRING
 *         | "on" "error" ( "halt" | "skip" | "retry" INT [ "backoff" DURATION [ ".." DURATION ] ] ) ; */
node:
    node_head                   { $$ = $1; }
  | node TASKS INT
      { set_count (parser, "tasks", &$1->has_tasks, &$1->tasks_loc, &$1->tasks, @2.loc, $3, 1); $$ = $1; }
  | node QUEUE INT
      { set_count (parser, "queue", &$1->has_queue, &$1->queue_loc, &$1->queue, @2.loc, $3, 1); $$ = $1; }
  | node BATCH INT              { node_set_batch (parser, $1, @2.loc, $3, NULL); $$ = $1; }
  | node BATCH INT WITHIN DURATION
      { node_set_batch (parser, $1, @2.loc, $3, $5); $$ = $1; }
  | node TIMEOUT DURATION       { set_timeout (parser, &$1->opts, @2.loc, $3); $$ = $1; }
  | node LIMIT INT              { set_limit (parser, &$1->opts, @2.loc, $3); $$ = $1; }
  | node EVERY DURATION         { node_set_every (parser, $1, @2.loc, $3); $$ = $1; }
  | node CRON STRING            { node_set_cron (parser, $1, @2.loc, $3); $$ = $1; }
  | node ON ERROR_KW on_error_kind
      { set_on_error (parser, &$1->on_error, $4, @2.loc, @4.loc, NULL, TRUE); $$ = $1; }
  | node ON ERROR_KW retry
      { set_on_error (parser, &$1->on_error, ON_ERROR_RETRY, @2.loc, @4.loc, $4, TRUE); $$ = $1; }
  ;

node_head:
    NODE IDENT '=' IDENT args   { $$ = node_new (parser, $2, @2.loc, $4, @4.loc, $5); }
  ;

/* edge = ends { "->" ends } [ "(" binding { "," binding } ")" ] ;
 * ends = IDENT { "," IDENT } | "zip" "(" IDENT { "," IDENT } ")" ; */
edge:
    chain                   { $$ = edge_new (parser, $1, NULL); }
  | chain '(' bindings ')'  { $$ = edge_new (parser, $1, $3); }
  ;

chain:
    ends              { $$ = vec_push (parser, vec_new (parser), $1); }
  | chain ARROW ends  { $$ = vec_push (parser, $1, $3); }
  ;

ends:
    names              { $$ = group_new (parser, FALSE, @1.loc, $1); }
  | ZIP '(' names ')'  { $$ = group_new (parser, TRUE, @1.loc, $3); }
  ;

names:
    IDENT            { $$ = names_push (parser, vec_new (parser), $1, @1.loc); }
  | names ',' IDENT  { $$ = names_push (parser, $1, $3, @3.loc); }
  ;

/* ------------------------------------------------------------------ main */

/* maindecl = "main" "{" { "run" IDENT [ "(" [ binding { "," binding } ] ")" ]
 *              [ "restart" "on" "failure" [ "backoff" DURATION [ ".." DURATION ] ] [ "max" INT ] ] ";" } "}" ; */
maindecl:
    MAIN '{' runs '}'        { $$ = main_new (parser, @1.loc, $3); }
  | MAIN '{' runs error '}'  { $$ = main_new (parser, @1.loc, $3); }
  ;

runs:
    %empty          { $$ = vec_new (parser); }
  | runs run ';'    { $$ = vec_push (parser, $1, $2); }
  | runs error ';'  { $$ = $1; }
  ;

run:
    RUN IDENT args          { $$ = run_finish (parser, NULL, @1.loc, $2, @2.loc, $3); }
  | RUN IDENT args restart  { $$ = run_finish (parser, $4, @1.loc, $2, @2.loc, $3); }
  ;

restart:
    RESTART ON FAILURE backoff_opt max_opt  { $$ = run_restart (parser, @1.loc, $4, $5); }
  ;

backoff_opt:
    %empty   { $$ = NULL; }
  | backoff  { $$ = $1; }
  ;

max_opt:
    %empty   { $$ = NULL; }
  | MAX INT  { $$ = $2; }
  ;

%%

/* ----------------------------------------------------------- the lexer */

static int
yylex (YYSTYPE *value, YYLTYPE *loc, Parser *parser)
{
  return lexer_next (&parser->lexer, value, loc);
}

/* Bison calls this only when its stack is exhausted: the text is nested
 * deeper than anyone writes by hand. */
static void
yyerror (YYLTYPE *loc, Parser *parser, const char *message)
{
  diag_report (parser->program->diags, DIAG_SYNTAX, loc->loc,
               "nesting too deep for the parser (%s)", message);
}

/* -------------------------------------------------------- syntax errors */

/* Sets of expected tokens that read better as one phrase, in the order
 * they are listed; a lone IDENT is "a name". */
typedef struct {
  const char *phrase;
  int tokens[17];        /* terminated by 0 */
} TokenGroup;

static const TokenGroup token_groups[] = {
  { "a declaration", { TOK_TYPE, TOK_STAGE, TOK_TABLE, TOK_FLOW, TOK_GRAPH, TOK_MAIN, 0 } },
  { "a statement", { TOK_IDENT, '{', TOK_PAR, TOK_IF, 0 } },
  { "a type", { TOK_IDENT, TOK_CONST, TOK_VOLATILE, TOK_SIGNED, TOK_UNSIGNED, TOK_SHORT,
                TOK_LONG, TOK_CHAR, TOK_INT_KW, TOK_FLOAT_KW, TOK_DOUBLE, TOK_VOID,
                TOK_BOOL_KW, TOK_STRUCT, TOK_UNION, TOK_ENUM, 0 } },
  { "a name", { TOK_IDENT, 0 } },
  { "a literal", { TOK_INT, TOK_FLOAT, TOK_STRING, TOK_DURATION, TOK_TRUE_KW, TOK_FALSE_KW, 0 } },
};

/* What ends or closes a construct: listed first, and alone when a `;`
 * is missing at the end of a line. */
static const int ending_tokens[] = { ';', '}', ')', ']' };

enum { MAX_LISTED = 5 };

static yysymbol_kind_t
symbol_of (int token)
{
  return YYTRANSLATE (token);
}

static gboolean
group_applies (const TokenGroup *group, const gboolean *want)
{
  for (const int *t = group->tokens; *t != 0; t++)
    if (!want[symbol_of (*t)])
      return FALSE;
  return TRUE;
}

/* The expected tokens in reading order: `;` and closers first, then the
 * phrases, then the rest in grammar order.  With `endings_only`, just the
 * first kind. */
static void
describe_expected (const gboolean *expected, gboolean endings_only, GPtrArray *list)
{
  gboolean want[YYNTOKENS];
  memcpy (want, expected, sizeof want);
  for (guint i = 0; i < G_N_ELEMENTS (ending_tokens); i++)
    if (want[symbol_of (ending_tokens[i])])
      {
        g_ptr_array_add (list, (gpointer) yysymbol_name (symbol_of (ending_tokens[i])));
        want[symbol_of (ending_tokens[i])] = FALSE;
      }
  if (endings_only)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (token_groups); i++)
    if (group_applies (&token_groups[i], want))
      {
        g_ptr_array_add (list, (gpointer) token_groups[i].phrase);
        for (const int *t = token_groups[i].tokens; *t != 0; t++)
          want[symbol_of (*t)] = FALSE;
        /* Between declarations, the end of the file is no news. */
        if (i == 0)
          want[YYSYMBOL_YYEOF] = want[YYSYMBOL_CBLOCK] = FALSE;
      }
  for (int s = 0; s < YYNTOKENS; s++)
    if (want[s])
      g_ptr_array_add (list, (gpointer) yysymbol_name ((yysymbol_kind_t) s));
}

static void
append_list (GString *msg, GPtrArray *list)
{
  for (guint i = 0; i < list->len && i < MAX_LISTED; i++)
    {
      if (i > 0)
        g_string_append (msg, i + 1 == list->len ? " or " : ", ");
      g_string_append (msg, list->pdata[i]);
    }
  if (list->len > MAX_LISTED)
    g_string_append (msg, ", ...");
}

/* The lookahead as the user wrote it: 'foo', "a string", '%{'. */
static void
append_token (GString *msg, Parser *parser, yysymbol_kind_t token, const YYLTYPE *at)
{
  if (token == YYSYMBOL_YYEOF)
    {
      g_string_append (msg, "end of file");
      return;
    }
  const char *text;
  gsize len = lexer_token_text (&parser->lexer, at, 24, &text);
  gboolean quoted = len > 0 && text[0] == '"';
  if (!quoted)
    g_string_append_c (msg, '\'');
  g_string_append_len (msg, text, (gssize) len);
  if (len < at->loc.len)
    g_string_append (msg, quoted ? "...\"" : "...");
  if (!quoted)
    g_string_append_c (msg, '\'');
}

static gboolean
is_keyword (yysymbol_kind_t token)
{
  const char *name = yysymbol_name (token);
  return name[0] == '\'' && (g_ascii_isalpha (name[1]) || name[1] == '_');
}

static int
closer_of (const LexOpen *open)
{
  return open->token == '{' ? '}' : open->token == '(' ? ')' : ']';
}

/* The innermost open bracket if its closer is expected here: what "to
 * close 'par' at line 4" names.  The lookahead itself may be the
 * innermost opener, and is not meant. */
static const LexOpen *
bracket_to_close (Parser *parser, yysymbol_kind_t token, const gboolean *want)
{
  guint skip = token == symbol_of ('{') || token == symbol_of ('(') || token == symbol_of ('[');
  const LexOpen *open = lexer_open_bracket (&parser->lexer, skip);
  return open != NULL && want[symbol_of (closer_of (open))] ? open : NULL;
}

/* The message for `token` found where the tokens in `want` were expected.
 * `line_end`: a `;` seems to be missing at the end of a line. */
static void
describe_syntax_error (GString *msg, Parser *parser, yysymbol_kind_t token, const YYLTYPE *at,
                       const gboolean *want, gboolean line_end)
{
  gboolean at_end = token == YYSYMBOL_YYEOF;
  const LexOpen *open = bracket_to_close (parser, token, want);
  if (token == YYSYMBOL_ELSE)
    {
      g_string_append (msg, "'else' without a matching 'if'");
      return;
    }
  if (at_end && open != NULL)
    {
      g_string_append_printf (msg, "unexpected end of file, expected '%c' to close '%s' at line %u",
                              closer_of (open), open->what, open->loc.line);
      return;
    }
  g_autoptr (GPtrArray) list = g_ptr_array_new ();
  describe_expected (want, line_end, list);
  if (list->len == 0)
    {
      g_string_append (msg, "unexpected ");
      append_token (msg, parser, token, at);
      return;
    }
  g_string_append (msg, at_end ? "unexpected end of file, expected " : "expected ");
  append_list (msg, list);
  if (at_end)
    return;
  g_string_append (msg, " before ");
  append_token (msg, parser, token, at);
  /* Name the open bracket when the problem may be its missing closer
   * rather than a missing `;`, and it was opened on another line. */
  if (open != NULL && !want[symbol_of (';')] && open->loc.line != at->loc.line)
    g_string_append_printf (msg, " (to close '%s' at line %u)", open->what, open->loc.line);
  if (want[YYSYMBOL_IDENT] && is_keyword (token))
    g_string_append_printf (msg, " (%s is a reserved word)", yysymbol_name (token));
}

/* Right after the token before the lookahead: where a missing `;` or a
 * missing closer at the end of the file belongs. */
static Loc
after_previous_token (Parser *parser)
{
  const YYLTYPE *prev = &parser->lexer.before_last_loc;
  Loc loc = { prev->end_line, prev->end_col, 1 };
  return loc;
}

static int
yyreport_syntax_error (const yypcontext_t *ctx, Parser *parser)
{
  const Lexer *lx = &parser->lexer;
  yysymbol_kind_t token = yypcontext_token (ctx);
  const YYLTYPE *at = yypcontext_location (ctx);
  /* Text lost to a lexical error (the rest of an unterminated string's
   * line, a malformed number) makes the tokens around it look wrong: the
   * lexical error has been reported, and this would only echo it. */
  if (at->after_error || (lx->has_before_last && lx->before_last_loc.after_error))
    return 0;

  yysymbol_kind_t expected[YYNTOKENS];
  int n = yypcontext_expected_tokens (ctx, expected, YYNTOKENS);
  if (n < 0)
    return n;
  gboolean want[YYNTOKENS] = { FALSE };
  for (int i = 0; i < n; i++)
    want[expected[i]] = TRUE;
  /* Between declarations a `;` is allowed but never what is missing. */
  if (group_applies (&token_groups[0], want))
    want[symbol_of (';')] = FALSE;

  gboolean at_end = token == YYSYMBOL_YYEOF;
  gboolean line_end = !at_end && want[symbol_of (';')] && lx->has_before_last
                      && at->loc.line > lx->before_last_loc.end_line;
  GString *msg = g_string_new (NULL);
  describe_syntax_error (msg, parser, token, at, want, line_end);
  gboolean after_previous = (at_end || line_end) && token != YYSYMBOL_ELSE && lx->has_before_last;
  Loc loc = after_previous ? after_previous_token (parser) : at->loc;
  diag_report (parser->program->diags, DIAG_SYNTAX, loc, "%s", msg->str);
  g_string_free (msg, TRUE);
  return 0;
}

/* ----------------------------------------------------------- the entry */

static AstFile *
file_new (Parser *p)
{
  AstFile *file = arena_new0 (arena_of (p), AstFile);
  file->path = p->program->path;
  file->n_items = p->items.n;
  file->items = arena_newv (arena_of (p), AstItem, p->items.n);
  for (guint i = 0; i < p->items.n; i++)
    file->items[i] = *(AstItem *) p->items.items[i];
#define TAKE(field, Type)                                \
  file->field = (Type **) p->field.items;                \
  file->n_##field = p->field.n
  TAKE (types, AstTypeDecl);
  TAKE (stages, AstStage);
  TAKE (tables, AstTable);
  TAKE (flows, AstFlow);
  TAKE (graphs, AstGraph);
  TAKE (mains, AstMain);
  TAKE (cblocks, AstCBlock);
#undef TAKE
  return file;
}

void
parse_program (Program *program)
{
  Parser parser = { .program = program };
  lexer_init (&parser.lexer, program);
  yyparse (&parser);
  lexer_clear (&parser.lexer);
  program->file = file_new (&parser);
}
