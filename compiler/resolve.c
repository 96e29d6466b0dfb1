/* resolve.c — top-level names and types, before any check.
 *
 * Declarations of every kind share one namespace, and use before
 * declaration is allowed, so all names are entered first; then each type
 * reference is tied to its alias and each alias gets its ownership.
 */
#include <string.h>
#include "program.h"

/* C keywords that the language does not reserve itself (`default` is an
 * option word, a name outside a table's keys): a stage, flow, graph or
 * parameter of that name would make C that cannot compile. */
static gboolean
is_c_keyword (const char *name)
{
  static const char *const keywords[] = {
    "auto", "break", "case", "continue", "default", "do", "extern", "for", "goto", "inline",
    "register", "restrict", "return", "sizeof", "static", "switch", "typedef", "while",
    "_Alignas", "_Alignof", "_Atomic", "_Complex", "_Generic", "_Imaginary", "_Noreturn",
    "_Static_assert", "_Thread_local",
  };
  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    if (strcmp (name, keywords[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
check_c_name (Program *program, Sym name, Loc loc, const char *what)
{
  if (is_c_keyword (name))
    diag_report (program->diags, DIAG_C_KEYWORD, loc,
                 "'%s' is a C keyword and cannot name a %s (the generated C would not compile)",
                 name, what);
}

/* decls = { decl }: every name once; a second is an error at the second. */
static void
enter_declarations (Program *program)
{
  AstFile *file = program->file;
  for (guint i = 0; i < file->n_items; i++)
    {
      if (file->items[i].kind != ITEM_DECL)
        continue;
      AstDecl *decl = file->items[i].u.decl;
      if (decl->kind != DECL_TYPE && decl->kind != DECL_TABLE)
        check_c_name (program, decl->name, decl->loc, ast_decl_kind_name (decl->kind));
      AstDecl *first = g_hash_table_lookup (program->decls, decl->name);
      if (first == NULL)
        {
          g_hash_table_insert (program->decls, (gpointer) decl->name, decl);
          continue;
        }
      Diag *d = diag_report (program->diags, DIAG_DUPLICATE_DECL, decl->loc,
                             "redefinition of '%s'", decl->name);
      diag_note (d, first->loc, "'%s' first declared here as a %s", first->name,
                 ast_decl_kind_name (first->kind));
    }
}

/* typedecl options: `free = f; copy = g;`, each at most once. */
static void
resolve_type_options (Program *program, AstTypeDecl *type)
{
  const AstTypeOption *seen_free = NULL, *seen_copy = NULL;
  for (guint i = 0; i < type->n_options; i++)
    {
      const AstTypeOption *opt = type->options[i];
      const AstTypeOption **seen = opt->key == program->sym_free   ? &seen_free
                                   : opt->key == program->sym_copy ? &seen_copy
                                                                   : NULL;
      if (seen == NULL)
        {
          diag_report (program->diags, DIAG_TYPE_OPTION, opt->key_loc,
                       "unknown type option '%s'; a type takes 'free' and 'copy'", opt->key);
          continue;
        }
      if (*seen != NULL)
        {
          Diag *d = diag_report (program->diags, DIAG_TYPE_OPTION, opt->key_loc,
                                 "type option '%s' given twice", opt->key);
          diag_note (d, (*seen)->key_loc, "first given here");
          continue;
        }
      *seen = opt;
    }
  type->free_fn = seen_free ? seen_free->value : NULL;
  type->copy_fn = seen_copy ? seen_copy->value : NULL;
}

/* The alias that a one-word C type names, or NULL. */
static AstTypeDecl *
alias_named (Program *program, const AstCType *ctype)
{
  if (ctype == NULL || ctype->n_words != 1 || ctype->n_pointers != 0)
    return NULL;
  AstDecl *decl = program_lookup (program, ctype->words[0]);
  return decl != NULL && decl->kind == DECL_TYPE ? (AstTypeDecl *) decl : NULL;
}

/* `type B = A;` where A is an alias: B stands for what A stands for and,
 * unless it says otherwise, owns values the way A does.
 *
 * Each alias is expanded once, in the order of its chain: the walk from an
 * alias goes down to the first one that is already expanded (or names a C
 * type), then expands the walked ones in reverse, each from its expanded
 * target.  100,000 chained aliases take 100,000 steps, not 100,000², and
 * no recursion deepens the C stack.  Meeting an alias of the current walk
 * again is a cycle: every alias on it is reported. */
typedef enum { ALIAS_TODO, ALIAS_WALKING, ALIAS_DONE } AliasState;

static void
expand_alias_chain (Program *program, AstTypeDecl *start, GHashTable *state)
{
  g_autoptr (GPtrArray) walk = g_ptr_array_new ();
  AstTypeDecl *type = start;
  AstTypeDecl *cycle_at = NULL;
  while (type != NULL && GPOINTER_TO_UINT (g_hash_table_lookup (state, type)) == ALIAS_TODO)
    {
      g_hash_table_insert (state, type, GUINT_TO_POINTER (ALIAS_WALKING));
      g_ptr_array_add (walk, type);
      type = alias_named (program, type->ctype);
      if (type != NULL && GPOINTER_TO_UINT (g_hash_table_lookup (state, type)) == ALIAS_WALKING)
        cycle_at = type;
    }
  gboolean in_cycle = FALSE;
  for (guint i = 0; i < walk->len; i++)
    {
      AstTypeDecl *t = walk->pdata[i];
      in_cycle |= t == cycle_at;
      if (in_cycle)
        diag_report (program->diags, DIAG_ALIAS_CYCLE, t->decl.loc,
                     "type '%s' is defined through itself", t->decl.name);
    }
  for (guint i = walk->len; i-- > 0;)
    {
      AstTypeDecl *t = walk->pdata[i];
      g_hash_table_insert (state, t, GUINT_TO_POINTER (ALIAS_DONE));
      AstTypeDecl *target = cycle_at != NULL ? NULL : alias_named (program, t->ctype);
      if (target == NULL)
        continue;
      t->ctype = target->ctype;
      if (t->n_options == 0)
        {
          t->free_fn = target->free_fn;
          t->copy_fn = target->copy_fn;
        }
    }
}

static void
expand_aliases (Program *program)
{
  g_autoptr (GHashTable) state = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < program->file->n_types; i++)
    expand_alias_chain (program, program->file->types[i], state);
}

static void
resolve_typeref (Program *program, AstTypeRef *ref)
{
  if (ref->ident == NULL)
    return;
  AstDecl *decl = program_lookup (program, ref->ident);
  if (decl != NULL && decl->kind == DECL_TYPE)
    ref->alias = (AstTypeDecl *) decl;
}

/* The earlier parameter of the same name as params[i], or NULL.  Lists
 * are short, so a scan is cheapest; a pathological long list uses `seen`
 * (non-NULL) so that it cannot go quadratic. */
static AstParam *
earlier_param (const AstParams *params, guint i, GHashTable *seen)
{
  AstParam *param = params->items[i];
  if (seen == NULL)
    {
      for (guint j = 0; j < i; j++)
        if (params->items[j]->name == param->name)
          return params->items[j];
      return NULL;
    }
  AstParam *first = g_hash_table_lookup (seen, param->name);
  if (first == NULL)
    g_hash_table_insert (seen, (gpointer) param->name, param);
  return first;
}

/* Parameters: each name once per list; `T[]` only where a batch can
 * arrive, i.e. on a stage's inputs (nodes are checked by the graph pass). */
static void
resolve_params (Program *program, AstParams *params, gboolean batch_allowed, const char *what)
{
  g_autoptr (GHashTable) seen = params->n > 32 ? g_hash_table_new (g_direct_hash, g_direct_equal) : NULL;
  for (guint i = 0; i < params->n; i++)
    {
      AstParam *param = params->items[i];
      check_c_name (program, param->name, param->loc, "parameter");
      resolve_typeref (program, &param->type);
      if (param->is_batch && !batch_allowed)
        diag_report (program->diags, DIAG_BATCH_PARAM, param->batch_loc,
                     "'%s[]' is only allowed on a stage's inputs, not on %s",
                     types_display (&param->type), what);
      AstParam *first = earlier_param (params, i, seen);
      if (first != NULL)
        {
          Diag *d = diag_report (program->diags, DIAG_DUPLICATE_PARAM, param->loc,
                                 "parameter '%s' appears twice", param->name);
          diag_note (d, first->loc, "first appears here");
        }
    }
}

/* A stage's state and main's user data travel as a gpointer. */
static void
resolve_pointer (Program *program, AstParam *param, const char *what)
{
  resolve_typeref (program, &param->type);
  if (types_classify (types_ctype (&param->type)).klass != CTYPE_POINTER)
    diag_report (program->diags, DIAG_NOT_A_POINTER, param->loc,
                 "%s must be a pointer type, not '%s'", what, types_display (&param->type));
}

void
resolve_program (Program *program)
{
  AstFile *file = program->file;
  enter_declarations (program);
  for (guint i = 0; i < file->n_types; i++)
    resolve_type_options (program, file->types[i]);
  expand_aliases (program);
  for (guint i = 0; i < file->n_stages; i++)
    {
      AstStage *stage = file->stages[i];
      resolve_params (program, &stage->in, TRUE, "stage inputs");
      resolve_params (program, &stage->out, FALSE, "stage outputs");
      if (stage->state != NULL)
        resolve_pointer (program, stage->state, "a stage's state");
    }
  for (guint i = 0; i < file->n_flows; i++)
    {
      AstFlow *flow = file->flows[i];
      resolve_params (program, &flow->in, FALSE, "flow inputs");
      resolve_params (program, &flow->out, FALSE, "flow outputs");
    }
  for (guint i = 0; i < file->n_graphs; i++)
    resolve_params (program, &file->graphs[i]->in, FALSE, "graph inputs");
  for (guint i = 0; i < file->n_mains; i++)
    if (file->mains[i]->user_data != NULL)
      resolve_pointer (program, file->mains[i]->user_data, "main's user data");
}
