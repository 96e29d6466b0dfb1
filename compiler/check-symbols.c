/* check-symbols.c — the C symbols a program generates must not replace
 * someone else's.
 *
 * A stage is a C function of that name; a flow defines NAME_start,
 * NAME_run and NAME_out_clear; a graph NAME_new, NAME_run and
 * NAME_get_desc; each with --prefix in front.  Linked into a program, a
 * stage named `read` or a graph named `g` (g_new) would silently replace
 * the C library's or GLib's function for everyone, the runtime included.
 * So a generated public symbol that is a C library or POSIX function
 * (reserved-names.h), or begins with a prefix that GLib (g_, G_) or the
 * runtime (df_, Df, DF_) own, is an error.
 *
 * The generated private helpers are static and unprefixed: stats_NAME and
 * limit_NAME per stage, call_NAME per flow, NAME_discard per stage or flow
 * with owned outputs.
 * A stage or flow whose symbol is one of them (a stage `stats_fetch` next
 * to a stage `fetch`) would not compile, so that is an error too.
 */
#include <string.h>
#include "program.h"

typedef struct {
  const char *name;
  const char *origin;
} Reserved;

static const Reserved reserved_names[] = {
#define RESERVED(name, origin) { #name, origin },
#include "reserved-names.h"
};

/* Where `symbol` comes from when a generated definition would replace it,
 * or NULL when it is free to use.  `reserved` maps the names of
 * reserved-names.h to their origin. */
static const char *
reserved_origin (GHashTable *reserved, const char *symbol)
{
  static const struct { const char *prefix; const char *owner; } prefixes[] = {
    { "g_", "GLib" }, { "G_", "GLib" },
    { "df_", "the dfc runtime" }, { "Df", "the dfc runtime" }, { "DF_", "the dfc runtime" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (symbol, prefixes[i].prefix))
      return prefixes[i].owner;
  return g_hash_table_lookup (reserved, symbol);
}

static GHashTable *
reserved_table (void)
{
  GHashTable *reserved = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (reserved_names); i++)
    g_hash_table_insert (reserved, (gpointer) reserved_names[i].name, (gpointer) reserved_names[i].origin);
  return reserved;
}

/* The suffixes of the public functions a declaration generates, "" for
 * the name itself; NULL-terminated. */
static const char *const *
public_suffixes (const AstDecl *decl)
{
  static const char *const sync_stage[] = { "", NULL };
  static const char *const async_stage[] = { "", "_return", NULL };
  static const char *const generator[] = { "", "_emit", NULL };
  static const char *const async_generator[] = { "", "_return", "_emit", NULL };
  static const char *const flow[] = { "_start", "_run", "_out_clear", NULL };
  static const char *const graph[] = { "_new", "_run", "_get_desc", NULL };
  switch (decl->kind)
    {
    case DECL_STAGE:
      {
        const AstStage *stage = (const AstStage *) decl;
        gboolean async = stage->kind == STAGE_ASYNC;
        return stage->emits ? (async ? async_generator : generator) : (async ? async_stage : sync_stage);
      }
    case DECL_FLOW:
      return flow;
    case DECL_GRAPH:
      return graph;
    default:
      return NULL;
    }
}

/* The declaration named `len` bytes of `name`, if one is (looked up
 * without interning the name). */
static const AstDecl *
decl_named (Program *program, const char *name, gsize len)
{
  g_autofree char *key = g_strndup (name, len);
  Sym sym = g_hash_table_lookup (program->interned, key);
  return sym != NULL ? program_lookup (program, sym) : NULL;
}

/* The stage or flow whose private helper `symbol` is, or NULL. */
static const AstDecl *
helper_owner (Program *program, const char *symbol)
{
  gsize len = strlen (symbol);
  const AstDecl *owner = NULL;
  if (g_str_has_prefix (symbol, "stats_") || g_str_has_prefix (symbol, "limit_"))
    {
      owner = decl_named (program, symbol + 6, len - 6);
      if (owner != NULL && owner->kind != DECL_STAGE)
        owner = NULL;
    }
  if (owner == NULL && g_str_has_prefix (symbol, "call_"))
    {
      owner = decl_named (program, symbol + 5, len - 5);
      if (owner != NULL && owner->kind != DECL_FLOW)
        owner = NULL;
    }
  if (owner == NULL && g_str_has_suffix (symbol, "_discard"))
    {
      owner = decl_named (program, symbol, len - strlen ("_discard"));
      if (owner != NULL && owner->kind != DECL_STAGE && owner->kind != DECL_FLOW)
        owner = NULL;
    }
  return owner;
}

/* One report per declaration: its first clashing symbol. */
static void
check_decl (Program *program, GHashTable *reserved, const AstDecl *decl)
{
  const char *const *suffixes = public_suffixes (decl);
  for (guint i = 0; suffixes != NULL && suffixes[i] != NULL; i++)
    {
      g_autofree char *symbol = g_strconcat (program->prefix, decl->name, suffixes[i], NULL);
      const char *origin = reserved_origin (reserved, symbol);
      if (origin != NULL)
        {
          Diag *d = diag_report (program->diags, DIAG_RESERVED_NAME, decl->loc,
                                 "%s '%s' would define the C function '%s', which belongs to %s",
                                 ast_decl_kind_name (decl->kind), decl->name, symbol, origin);
          diag_note (d, decl->loc, "rename the %s, or generate with '--prefix PREFIX_'",
                     ast_decl_kind_name (decl->kind));
          return;
        }
      const AstDecl *owner = helper_owner (program, symbol);
      if (owner != NULL && owner != decl)
        {
          Diag *d = diag_report (program->diags, DIAG_SYMBOL_CLASH, decl->loc,
                                 "%s '%s' would define '%s', the name of a helper that dfc generates for %s '%s'",
                                 ast_decl_kind_name (decl->kind), decl->name, symbol,
                                 ast_decl_kind_name (owner->kind), owner->name);
          diag_note (d, owner->loc, "'%s' declared here; rename one of the two", owner->name);
          return;
        }
    }
}

void
check_symbols (Program *program)
{
  g_autoptr (GHashTable) reserved = reserved_table ();
  const AstFile *file = program->file;
  for (guint i = 0; i < file->n_items; i++)
    if (file->items[i].kind == ITEM_DECL)
      check_decl (program, reserved, file->items[i].u.decl);
}
