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
  program->record_flows = TRUE;
  program->arena = arena_new ();
  program->interned = g_hash_table_new (g_str_hash, g_str_equal);
  program->decls = g_hash_table_new (g_direct_hash, g_direct_equal);
  program->diags = diags_new (path, source, len);
  program->files = g_array_new (FALSE, FALSE, sizeof (ProgramFile));
  program->owned_text = g_ptr_array_new_with_free_func (g_free);
  ProgramFile root = { .path = path, .source = source, .source_len = len };
  g_array_append_val (program->files, root);
  program->sym_free = program_sym (program, "free");
  program->sym_copy = program_sym (program, "copy");
  return program;
}

void
program_free_flow_facts (Program *program)
{
  AstFile *file = program->file;
  for (guint i = 0; file != NULL && i < file->n_flows; i++)
    file->flows[i]->facts = NULL;
  g_clear_pointer (&program->facts_arena, arena_free);
}

void
program_free (Program *program)
{
  if (program == NULL)
    return;
  diags_free (program->diags);
  g_array_unref (program->files);
  g_ptr_array_unref (program->owned_text);
  g_hash_table_destroy (program->decls);
  g_hash_table_destroy (program->interned);
  program_free_flow_facts (program);
  arena_free (program->arena);
  g_free (program);
}

void
program_set_import_search (Program *program, const char *root_dir, const char *const *dirs)
{
  static const char *const none[] = { NULL };
  program->import_root_dir = arena_strndup (program->arena, root_dir, strlen (root_dir));
  program->import_dirs = dirs != NULL ? dirs : none;
}

guint
program_add_file (Program *program, const char *path, char *source, gsize len)
{
  g_ptr_array_add (program->owned_text, source);
  ProgramFile file = {
    .path = arena_strndup (program->arena, path, strlen (path)),
    .source = source,
    .source_len = len,
  };
  g_array_append_val (program->files, file);
  guint index = diags_add_file (program->diags, file.path, source, len);
  g_assert (index == program->files->len - 1);
  return index;
}

const ProgramFile *
program_file (const Program *program, guint index)
{
  g_return_val_if_fail (index < program->files->len, NULL);
  return &g_array_index (program->files, ProgramFile, index);
}

const char *
program_loc_path (const Program *program, Loc loc)
{
  return loc.file < program->files->len ? program_file (program, loc.file)->path : program->path;
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

const char *
program_suggest_param (const AstParams *params, Sym name)
{
  if (params == NULL || params->n == 0 || name == NULL)
    return NULL;
  g_autofree const char **names = g_new (const char *, params->n);
  for (guint i = 0; i < params->n; i++)
    names[i] = params->items[i]->name;
  return diag_suggest (name, names, params->n);
}
