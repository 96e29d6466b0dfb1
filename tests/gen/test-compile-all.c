/* test-compile-all.c — every valid program in the tree generates C that
 * compiles without a warning.
 *
 * For each .df file of tests/check/valid, tests/e2e, tests/e2e-graph,
 * tests/gen and examples (a first line `// dfc-flags: ...` adds dfc
 * options), and for each C compiler named in
 * $DFC_COMPILE_CC (space-separated):
 *
 *   dfc [flags] -I stdlib FILE.df -o TMP/NAME.c --header TMP/NAME.h
 *   CC -std=gnu11 -Wall -Wextra -Werror -c TMP/NAME.c
 *      -I TMP -I FILE's directory -I runtime $DFC_COMPILE_CFLAGS
 *
 * must both succeed.  `-I stdlib` finds std/NAME.df in the source tree,
 * as an installed dfc finds it in its library directory; the flags of
 * the standard library's packages are in $DFC_COMPILE_CFLAGS.  Only the generated C and its header are compiled:
 * the stages are declared, not implemented, which is all a compiler needs
 * to judge the generated code.
 */
#include <glib/gstdio.h>
#include <string.h>
#include "dfc-run.h"

static const char *const source_dirs[] = {
  "tests/check/valid", "tests/e2e", "tests/e2e-graph", "tests/gen", "examples",
};

typedef struct {
  char *cc;         /* gcc, clang */
  char *df_path;    /* absolute */
  char *name;       /* NAME, without .df */
} CompileCase;

static void
compile_case_free (gpointer data)
{
  CompileCase *c = data;
  g_free (c->cc);
  g_free (c->df_path);
  g_free (c->name);
  g_free (c);
}

static const char *
source_root (void)
{
  const char *root = g_getenv ("DFC_SOURCE_ROOT");
  g_assert_nonnull (root);
  return root;
}

static void
run_dfc (const CompileCase *c, const char *dir, const char *c_path, const char *h_path)
{
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (c->df_path, &text, NULL, NULL));
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) flags = dfc_first_line_flags (text);
  for (guint i = 0; flags[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (flags[i]));
  g_ptr_array_add (argv, g_strdup ("-I"));
  g_ptr_array_add (argv, g_build_filename (source_root (), "stdlib", NULL));
  g_ptr_array_add (argv, g_strdup (c->df_path));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (c_path));
  g_ptr_array_add (argv, g_strdup ("--header"));
  g_ptr_array_add (argv, g_strdup (h_path));
  g_ptr_array_add (argv, NULL);
  DfcResult r;
  dfc_run (dir, (const char *const *) argv->pdata, NULL, 0, &r);
  if (r.status != 0)
    g_test_message ("dfc: %s", r.err);
  g_assert_cmpint (r.status, ==, 0);
  dfc_result_clear (&r);
}

static void
run_cc (const CompileCase *c, const char *dir, const char *c_path)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *df_dir = g_path_get_dirname (c->df_path);
  g_ptr_array_add (argv, g_strdup (c->cc));
  const char *fixed[] = { "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-c" };
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (argv, g_strdup (fixed[i]));
  g_ptr_array_add (argv, g_strconcat ("-I", dir, NULL));
  g_ptr_array_add (argv, g_strconcat ("-I", df_dir, NULL));
  g_ptr_array_add (argv, g_strconcat ("-I", source_root (), "/runtime", NULL));
  g_auto (GStrv) cflags = g_strsplit_set (g_getenv ("DFC_COMPILE_CFLAGS"), " ", -1);
  for (guint i = 0; cflags[i] != NULL; i++)
    if (cflags[i][0] != '\0')
      g_ptr_array_add (argv, g_strdup (cflags[i]));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_build_filename (dir, "out.o", NULL));
  g_ptr_array_add (argv, g_strdup (c_path));
  g_ptr_array_add (argv, NULL);

  g_autofree char *out = NULL, *err = NULL;
  int wait_status = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &wait_status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, NULL))
    g_test_fail_printf ("%s -Werror fails on the C generated from %s:\n%s", c->cc, c->df_path, err);
}

static void
test_compile (gconstpointer data)
{
  const CompileCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dfc-compile-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *c_name = g_strconcat (c->name, ".c", NULL);
  g_autofree char *h_name = g_strconcat (c->name, ".h", NULL);
  g_autofree char *c_path = g_build_filename (dir, c_name, NULL);
  g_autofree char *h_path = g_build_filename (dir, h_name, NULL);
  g_autofree char *o_path = g_build_filename (dir, "out.o", NULL);
  run_dfc (c, dir, c_path, h_path);
  run_cc (c, dir, c_path);
  g_remove (o_path);
  g_remove (c_path);
  g_remove (h_path);
  g_rmdir (dir);
}

/* The .df files of `dir` under the source root, sorted. */
static GPtrArray *
list_programs (const char *dir)
{
  g_autofree char *path = g_build_filename (source_root (), dir, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
  g_assert_nonnull (d);
  for (const char *entry; (entry = g_dir_read_name (d)) != NULL;)
    if (g_str_has_suffix (entry, ".df"))
      g_ptr_array_add (names, g_strndup (entry, strlen (entry) - 3));
  g_ptr_array_sort (names, dfc_compare_strings);
  return names;
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func (compile_case_free);
  g_auto (GStrv) compilers = g_strsplit_set (g_getenv ("DFC_COMPILE_CC"), " ", -1);
  for (guint k = 0; compilers[k] != NULL; k++)
    {
      if (compilers[k][0] == '\0')
        continue;
      g_autofree char *cc_name = g_path_get_basename (compilers[k]);
      for (guint i = 0; i < G_N_ELEMENTS (source_dirs); i++)
        {
          g_autoptr (GPtrArray) names = list_programs (source_dirs[i]);
          for (guint j = 0; j < names->len; j++)
            {
              CompileCase *c = g_new0 (CompileCase, 1);
              c->cc = g_strdup (compilers[k]);
              c->name = g_strdup (names->pdata[j]);
              c->df_path = g_strdup_printf ("%s/%s/%s.df", source_root (), source_dirs[i], c->name);
              g_autofree char *test_path = g_strdup_printf ("/compile/%s/%s/%s", cc_name,
                                                            source_dirs[i], c->name);
              g_test_add_data_func (test_path, c, test_compile);
              g_ptr_array_add (cases, c);
            }
        }
    }
  return g_test_run ();
}
