/* resolve.c — top-level names and types, before any check.
 *
 * Declarations of every kind share one namespace, and use before
 * declaration is allowed, so all names are entered first; then each type
 * reference is tied to its alias and each alias gets its ownership.
 */
#include <string.h>
#include "program.h"

/* C keywords that the language does not reserve itself: a stage, flow,
 * graph or parameter of that name would make C that cannot compile. */
static gboolean
is_c_keyword (const char *name)
{
  static const char *const keywords[] = {
    "auto", "break", "case", "continue", "do", "extern", "for", "goto", "inline",
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
 * unless it says otherwise, owns values the way A does. */
static void
expand_alias (Program *program, AstTypeDecl *type)
{
  AstTypeDecl *target = alias_named (program, type->ctype);
  for (guint hops = 0; target != NULL; hops++)
    {
      if (target == type || hops > program->file->n_types)
        {
          diag_report (program->diags, DIAG_ALIAS_CYCLE, type->decl.loc,
                       "type '%s' is defined through itself", type->decl.name);
          return;
        }
      AstTypeDecl *next = alias_named (program, target->ctype);
      if (next == NULL)
        break;
      target = next;
    }
  if (target == NULL)
    return;
  type->ctype = target->ctype;
  if (type->n_options == 0)
    {
      type->free_fn = target->free_fn;
      type->copy_fn = target->copy_fn;
    }
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

void
resolve_program (Program *program)
{
  AstFile *file = program->file;
  enter_declarations (program);
  for (guint i = 0; i < file->n_types; i++)
    resolve_type_options (program, file->types[i]);
  for (guint i = 0; i < file->n_types; i++)
    expand_alias (program, file->types[i]);
  for (guint i = 0; i < file->n_stages; i++)
    {
      AstStage *stage = file->stages[i];
      resolve_params (program, &stage->in, TRUE, "stage inputs");
      resolve_params (program, &stage->out, FALSE, "stage outputs");
    }
  for (guint i = 0; i < file->n_flows; i++)
    {
      AstFlow *flow = file->flows[i];
      resolve_params (program, &flow->in, FALSE, "flow inputs");
      resolve_params (program, &flow->out, FALSE, "flow outputs");
    }
  for (guint i = 0; i < file->n_graphs; i++)
    resolve_params (program, &file->graphs[i]->in, FALSE, "graph inputs");
}
