/* imports.c — `import "name.df";`: the files of one program.
 *
 * The file named on the command line and everything it imports, directly
 * or not, are one program with one namespace.  Each file is parsed on its
 * own (its Locs carry its index, so diagnostics point into it), then the
 * trees are merged into program->file depth-first: an import's items
 * before the importer's, so that its `%{ %}` blocks (the C its stages
 * need) come first in the generated C, and so that a name declared twice
 * is reported at the importer's declaration, with a note at the imported
 * one.
 *
 * A name is looked up relative to the importing file's directory, then in
 * each directory of program->import_dirs in order (the -I directories,
 * then the installed standard library).  Files are compared by their real
 * path, so a file imported twice, by any path or through a cycle, is read
 * once: the first import reads it, the others find it read.
 */
#include <stdlib.h>
#include <string.h>
#include "program.h"

typedef struct {
  Program *program;
  GHashTable *read;      /* the real path of every file read (a set) */
  GPtrArray *order;      /* AstFile *, in merge order (an import before its importer) */
} Loader;

static void load_file (Loader *loader, guint index, AstFile *file);

/* The real path of `path`, or NULL (no such file). */
static char *
canonical_path (const char *path)
{
  char *real = realpath (path, NULL);
  if (real == NULL)
    return NULL;
  char *copy = g_strdup (real);
  free (real);
  return copy;
}

/* `name` in `dir`, spelled as a user would: "x.df" rather than "./x.df". */
static char *
path_in (const char *dir, const char *name)
{
  if (g_path_is_absolute (name) || strcmp (dir, ".") == 0)
    return g_strdup (name);
  return g_build_filename (dir, name, NULL);
}

/* The first existing regular file for `name` from `importer`, or NULL. */
static char *
find_import (Loader *loader, guint importer, const char *name)
{
  Program *program = loader->program;
  g_autofree char *importer_dir = importer == 0
                                      ? g_strdup (program->import_root_dir)
                                      : g_path_get_dirname (program_file (program, importer)->path);
  char *candidate = path_in (importer_dir, name);
  if (g_path_is_absolute (name) || g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
    return candidate;
  g_free (candidate);
  for (guint i = 0; program->import_dirs[i] != NULL; i++)
    {
      candidate = path_in (program->import_dirs[i], name);
      if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
        return candidate;
      g_free (candidate);
    }
  return NULL;
}

/* The name is decoded from a string literal: a control byte in it would
 * reach the terminal, so it is shown escaped (UTF-8 left as it is). */
static void
report_not_found (Program *program, const AstImport *import, const char *why)
{
  char utf8[128];
  for (guint i = 0; i < 127; i++)
    utf8[i] = (char) (0x80 + i);
  utf8[127] = '\0';
  g_autofree char *shown = g_strescape (import->name, utf8);
  diag_report (program->diags, DIAG_IMPORT_NOT_FOUND, import->loc, "cannot import '%s': %s",
               shown, why);
}

/* Read and parse the file `import` names unless it is read already. */
static void
load_import (Loader *loader, guint importer, const AstImport *import)
{
  Program *program = loader->program;
  if (program->import_dirs == NULL)
    {
      report_not_found (program, import, "this compilation reads no other file");
      return;
    }
  if (import->name_len == 0 || import->name_len != strlen (import->name))
    {
      report_not_found (program, import, import->name_len == 0 ? "the name is empty"
                                                               : "a file name holds no NUL byte");
      return;
    }
  g_autofree char *path = find_import (loader, importer, import->name);
  g_autofree char *canonical = path != NULL ? canonical_path (path) : NULL;
  if (canonical == NULL)
    {
      report_not_found (program, import, g_path_is_absolute (import->name)
                                             ? "no such file"
                                             : "no such file next to the importing file, "
                                               "in any -I directory or in the standard library");
      return;
    }
  if (g_hash_table_contains (loader->read, canonical))
    return;

  char *text = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &text, &len, &error))
    {
      report_not_found (program, import, error->message);
      return;
    }
  guint index = program_add_file (program, path, text, len);
  g_hash_table_add (loader->read, g_strdup (canonical));
  load_file (loader, index, parse_file (program, index));
}

/* A parsed file: its imports first (depth-first), then itself. */
static void
load_file (Loader *loader, guint index, AstFile *file)
{
  for (guint i = 0; i < file->n_imports; i++)
    load_import (loader, index, file->imports[i]);
  g_ptr_array_add (loader->order, file);
}

/* The files' lists, concatenated in the arena. */
#define MERGE(merged, files, Type, field)                                            \
  do                                                                                 \
    {                                                                                \
      guint n = 0;                                                                   \
      for (guint f = 0; f < (files)->len; f++)                                       \
        n += ((AstFile *) (files)->pdata[f])->n_##field;                             \
      (merged)->field = arena_newv (program->arena, Type, n);                        \
      (merged)->n_##field = 0;                                                       \
      for (guint f = 0; f < (files)->len; f++)                                       \
        {                                                                            \
          const AstFile *one = (files)->pdata[f];                                    \
          if (one->n_##field == 0)                                                   \
            continue; /* its list may be NULL, which memcpy must not see */          \
          memcpy ((merged)->field + (merged)->n_##field, one->field,                 \
                  sizeof (Type) * one->n_##field);                                   \
          (merged)->n_##field += one->n_##field;                                     \
        }                                                                            \
    }                                                                                \
  while (0)

static AstFile *
merge_files (Program *program, GPtrArray *files)
{
  if (files->len == 1)
    return files->pdata[0];
  AstFile *merged = arena_new0 (program->arena, AstFile);
  merged->path = program->path;
  MERGE (merged, files, AstItem, items);
  MERGE (merged, files, AstTypeDecl *, types);
  MERGE (merged, files, AstStage *, stages);
  MERGE (merged, files, AstTable *, tables);
  MERGE (merged, files, AstFlow *, flows);
  MERGE (merged, files, AstGraph *, graphs);
  MERGE (merged, files, AstMain *, mains);
  MERGE (merged, files, AstCBlock *, cblocks);
  return merged;
}

void
parse_program (Program *program)
{
  Loader loader = {
    .program = program,
    .read = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .order = g_ptr_array_new (),
  };
  /* The root is a file too: importing it back is a cycle, read once. */
  if (program->import_dirs != NULL)
    {
      char *canonical = canonical_path (program->path);
      if (canonical != NULL)
        g_hash_table_add (loader.read, canonical);
    }
  load_file (&loader, 0, parse_file (program, 0));
  program->file = merge_files (program, loader.order);
  g_ptr_array_unref (loader.order);
  g_hash_table_destroy (loader.read);
}
