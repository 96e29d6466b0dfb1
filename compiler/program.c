/* program.c — one compilation's shared state: names and declarations. */
#include <string.h>
#include "program.h"

Program *
program_new (const char *path, const char *source, gsize len)
{
  Program *program = g_new0 (Program, 1);
  program->path = path;
  program->source = source;
  program->source_len = len;
  program->prefix = "";
  program->arena = arena_new ();
  program->interned = g_hash_table_new (g_str_hash, g_str_equal);
  program->decls = g_hash_table_new (g_direct_hash, g_direct_equal);
  program->diags = diags_new (path, source, len);
  program->sym_free = program_sym (program, "free");
  program->sym_copy = program_sym (program, "copy");
  return program;
}

void
program_free (Program *program)
{
  if (program == NULL)
    return;
  diags_free (program->diags);
  g_hash_table_destroy (program->decls);
  g_hash_table_destroy (program->interned);
  arena_free (program->arena);
  g_free (program);
}

Sym
program_intern (Program *program, const char *s, gsize len)
{
  /* Look up without copying: most names are seen many times. */
  char stack[128];
  char *key = len < sizeof stack ? stack : g_malloc (len + 1);
  memcpy (key, s, len);
  key[len] = '\0';

  Sym found = g_hash_table_lookup (program->interned, key);
  if (found == NULL)
    {
      char *copy = arena_strndup (program->arena, s, len);
      g_hash_table_add (program->interned, copy);
      found = copy;
    }
  if (key != stack)
    g_free (key);
  return found;
}

AstDecl *
program_lookup (Program *program, Sym name)
{
  return g_hash_table_lookup (program->decls, name);
}

/* Declarations by kind are kept in source order in the file; walk those
 * rather than the hash table so that ties resolve deterministically. */
static void
collect_names (Program *program, guint kinds_mask, GPtrArray *names)
{
  AstFile *file = program->file;
  if (file == NULL)
    return;
  for (guint i = 0; i < file->n_items; i++)
    {
      const AstItem *item = &file->items[i];
      if (item->kind == ITEM_DECL && (kinds_mask & (1u << item->u.decl->kind)))
        g_ptr_array_add (names, (gpointer) item->u.decl->name);
    }
}

Sym
program_suggest_decl (Program *program, Sym name, guint kinds_mask)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  collect_names (program, kinds_mask, names);
  const char *best = diag_suggest (name, (const char *const *) names->pdata, names->len);
  return best;
}
