/* test-gen.c — generated C against goldens.
 *
 * For each tests/gen/NAME.df (a first line "// dfc-flags: ..." adds options):
 *   - in a fresh directory holding a copy of NAME.df, `dfc [args] NAME.df`
 *     writes NAME.c and NAME.h, which equal the goldens tests/gen/NAME.c
 *     and NAME.h (DFC_UPDATE=1 rewrites them); #line directives name
 *     NAME.df, NAME.c and NAME.h by those relative names;
 *   - a second run writes the same bytes;
 *   - `-o sub/NAME.c` writes the same header, and the same C but for the
 *     #line directives that name the C file itself;
 *   - with --no-line the output is byte-identical wherever it goes, and
 *     --depfile names the outputs and the input;
 *   - --stubs NAME-stubs.c writes the skeleton of the stages, equal to the
 *     golden tests/gen/NAME-stubs.c, and a second --stubs to the same file
 *     is refused and leaves it alone.
 */
#include <glib/gstdio.h>
#include <string.h>
#include "dfc-run.h"

typedef struct {
  char *dir;    /* tests/gen */
  char *name;   /* NAME, without .df */
} GenCase;

static char *
read_file (const char *path, gsize *len)
{
  char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_file_get_contents (path, &text, len, &error);
  g_assert_no_error (error);
  return text;
}

/* @extra then @args, NULL-terminated. */
static GPtrArray *
dfc_argv (char **extra, const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (argv, extra[i]);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Runs dfc in @cwd with @extra then @args, expecting success and silence. */
static void
run_dfc (const char *cwd, char **extra, const char *const *args)
{
  g_autoptr (GPtrArray) argv = dfc_argv (extra, args);
  DfcResult r;
  dfc_run (cwd, (const char *const *) argv->pdata, NULL, 0, &r);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  dfc_result_clear (&r);
}

static void
assert_same_bytes (const char *a, gsize a_len, const char *b, gsize b_len, const char *what)
{
  if (a_len == b_len && memcmp (a, b, a_len) == 0)
    return;
  g_test_fail_printf ("%s: outputs differ", what);
}

/* Every #line names a file without a directory. */
static void
assert_relative_lines (const char *text, const char *name)
{
  guint n = 0;
  for (const char *p = strstr (text, "#line "); p != NULL; p = strstr (p + 1, "#line "))
    {
      if (p != text && p[-1] != '\n')
        continue;
      const char *quote = strchr (p, '"');
      g_assert_nonnull (quote);
      g_autofree char *file = g_strndup (quote + 1, strcspn (quote + 1, "\""));
      if (strchr (file, '/') != NULL)
        g_test_fail_printf ("%s: #line names '%s'", name, file);
      n++;
    }
  g_assert_cmpuint (n, >, 0);
}

static char *
replace_all (const char *text, const char *from, const char *to)
{
  g_auto (GStrv) parts = g_strsplit (text, from, -1);
  return g_strjoinv (to, parts);
}

static void
gen_case (gconstpointer data)
{
  const GenCase *c = data;
  g_autofree char *df_name = g_strconcat (c->name, ".df", NULL);
  g_autofree char *c_name = g_strconcat (c->name, ".c", NULL);
  g_autofree char *h_name = g_strconcat (c->name, ".h", NULL);
  g_autofree char *src = g_build_filename (c->dir, df_name, NULL);
  gsize df_len;
  g_autofree char *df_text = read_file (src, &df_len);
  g_auto (GStrv) extra = dfc_first_line_flags (df_text);

  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("dfc-gen-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *copy = g_build_filename (tmp, df_name, NULL);
  g_file_set_contents (copy, df_text, df_len, &error);
  g_assert_no_error (error);
  g_autofree char *sub = g_build_filename (tmp, "sub", NULL);
  g_autofree char *flat = g_build_filename (tmp, "flat", NULL);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (flat, 0700), ==, 0);

  /* 1. the goldens: default output names in the current directory */
  const char *args1[] = { df_name, NULL };
  run_dfc (tmp, extra, args1);
  g_autofree char *out_c = g_build_filename (tmp, c_name, NULL);
  g_autofree char *out_h = g_build_filename (tmp, h_name, NULL);
  gsize c_len, h_len;
  g_autofree char *c_text = read_file (out_c, &c_len);
  g_autofree char *h_text = read_file (out_h, &h_len);
  g_autofree char *golden_c = g_build_filename (c->dir, c_name, NULL);
  g_autofree char *golden_h = g_build_filename (c->dir, h_name, NULL);
  dfc_assert_golden (golden_c, c_text, c_len);
  dfc_assert_golden (golden_h, h_text, h_len);
  assert_relative_lines (c_text, c_name);
  assert_relative_lines (h_text, h_name);
  g_autofree char *line_df = g_strdup_printf ("\"%s\"", df_name);
  g_assert_nonnull (strstr (c_text, line_df));

  /* 2. again, explicitly named: the same bytes */
  const char *args2[] = { df_name, "-o", c_name, "--header", h_name, NULL };
  run_dfc (tmp, extra, args2);
  gsize c2_len, h2_len;
  g_autofree char *c2 = read_file (out_c, &c2_len);
  g_autofree char *h2 = read_file (out_h, &h2_len);
  assert_same_bytes (c_text, c_len, c2, c2_len, "second run, .c");
  assert_same_bytes (h_text, h_len, h2, h2_len, "second run, .h");

  /* 3. into another directory: only #line "sub/NAME.c" differs */
  g_autofree char *sub_c = g_build_filename ("sub", c_name, NULL);
  g_autofree char *sub_d = g_build_filename ("sub", "deps.d", NULL);
  const char *args3[] = { df_name, "-o", sub_c, "--depfile", sub_d, NULL };
  run_dfc (tmp, extra, args3);
  g_autofree char *sub_c_path = g_build_filename (tmp, "sub", c_name, NULL);
  g_autofree char *sub_h_path = g_build_filename (tmp, "sub", h_name, NULL);
  gsize c3_len, h3_len;
  g_autofree char *c3 = read_file (sub_c_path, &c3_len);
  g_autofree char *h3 = read_file (sub_h_path, &h3_len);
  assert_same_bytes (h_text, h_len, h3, h3_len, "-o sub/, .h");
  g_autofree char *quoted_sub = g_strdup_printf ("\"%s\"", sub_c);
  g_autofree char *quoted_c = g_strdup_printf ("\"%s\"", c_name);
  g_assert_nonnull (strstr (c3, quoted_sub));
  g_autofree char *c3_local = replace_all (c3, quoted_sub, quoted_c);
  assert_same_bytes (c_text, c_len, c3_local, strlen (c3_local), "-o sub/, .c");
  g_autofree char *dep_path = g_build_filename (tmp, sub_d, NULL);
  gsize dep_len;
  g_autofree char *dep = read_file (dep_path, &dep_len);
  g_autofree char *sub_h = g_build_filename ("sub", h_name, NULL);
  g_autofree char *dep_expected = g_strdup_printf ("%s %s: %s\n", sub_c, sub_h, df_name);
  g_assert_cmpstr (dep, ==, dep_expected);

  /* 4. --no-line: no #line, and the same bytes in any directory */
  const char *args4[] = { "--no-line", df_name, "-o", sub_c, NULL };
  g_autofree char *flat_c = g_build_filename ("flat", c_name, NULL);
  const char *args5[] = { "--no-line", df_name, "-o", flat_c, NULL };
  run_dfc (tmp, extra, args4);
  run_dfc (tmp, extra, args5);
  gsize n1_len, n2_len, nh1_len, nh2_len;
  g_autofree char *n1 = read_file (sub_c_path, &n1_len);
  g_autofree char *flat_c_path = g_build_filename (tmp, flat_c, NULL);
  g_autofree char *n2 = read_file (flat_c_path, &n2_len);
  g_autofree char *nh1 = read_file (sub_h_path, &nh1_len);
  g_autofree char *flat_h_path = g_build_filename (tmp, "flat", h_name, NULL);
  g_autofree char *nh2 = read_file (flat_h_path, &nh2_len);
  assert_same_bytes (n1, n1_len, n2, n2_len, "--no-line, .c");
  assert_same_bytes (nh1, nh1_len, nh2, nh2_len, "--no-line, .h");
  g_assert_null (strstr (n1, "#line"));
  g_assert_null (strstr (nh1, "#line"));

  /* 5. --stubs: the skeleton, and never over an existing file */
  g_autofree char *stubs_name = g_strconcat (c->name, "-stubs.c", NULL);
  const char *args6[] = { df_name, "--stubs", stubs_name, NULL };
  run_dfc (tmp, extra, args6);
  g_autofree char *stubs_path = g_build_filename (tmp, stubs_name, NULL);
  gsize stubs_len;
  g_autofree char *stubs = read_file (stubs_path, &stubs_len);
  g_autofree char *golden_stubs = g_build_filename (c->dir, stubs_name, NULL);
  dfc_assert_golden (golden_stubs, stubs, stubs_len);
  g_file_set_contents (stubs_path, "mine\n", -1, &error);
  g_assert_no_error (error);
  g_autoptr (GPtrArray) argv6 = dfc_argv (extra, args6);
  DfcResult again;
  dfc_run (tmp, (const char *const *) argv6->pdata, NULL, 0, &again);
  g_assert_cmpint (again.status, ==, 1);
  g_assert_nonnull (strstr (again.err, "exists; --stubs writes only a new file"));
  dfc_result_clear (&again);
  gsize mine_len;
  g_autofree char *mine = read_file (stubs_path, &mine_len);
  g_assert_cmpstr (mine, ==, "mine\n");

  /* clean up */
  const char *files[] = { out_c, out_h, copy, sub_c_path, sub_h_path, dep_path, flat_c_path, flat_h_path,
                          stubs_path };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    g_unlink (files[i]);
  g_rmdir (sub);
  g_rmdir (flat);
  g_rmdir (tmp);
}

static void
gen_case_free (gpointer data)
{
  GenCase *c = data;
  g_free (c->dir);
  g_free (c->name);
  g_free (c);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Report every failing golden in one run, not just the first. */
  g_test_set_nonfatal_assertions ();
  g_autofree char *dir = g_build_filename (dfc_tests_dir (), "gen", NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *entry;
  while (handle != NULL && (entry = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (entry, ".df"))
      g_ptr_array_add (names, g_strndup (entry, strlen (entry) - 3));
  g_ptr_array_sort (names, dfc_compare_strings);
  g_assert_cmpuint (names->len, >, 0);

  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (gen_case_free);
  for (guint i = 0; i < names->len; i++)
    {
      GenCase *c = g_new0 (GenCase, 1);
      c->dir = g_strdup (dir);
      c->name = g_strdup (names->pdata[i]);
      g_ptr_array_add (keep, c);
      g_autofree char *path = g_strdup_printf ("/gen/%s", c->name);
      g_test_add_data_func (path, c, gen_case);
    }
  return g_test_run ();
}
