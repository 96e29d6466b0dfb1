/* test-check.c — the diagnostics goldens.
 *
 * tests/check/valid/NAME.df    must pass `dfc --check`: exit 0, and stderr
 *                              equal to NAME.err (warnings) or empty;
 * tests/check/invalid/NAME.df  must fail: exit 1, stderr equal to NAME.err.
 *
 * A first line `// dfc-flags: -Werror ...` adds command-line flags.  dfc
 * runs in the file's directory on its bare name, so goldens carry no
 * paths.  DFC_UPDATE=1 rewrites the goldens (read the diff before you
 * commit it).
 */
#include <string.h>
#include "../compiler/diag.h"
#include "dfc-run.h"

typedef struct {
  char *dir;
  char *name;        /* NAME.df */
  int expected_status;
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;
  g_free (c->dir);
  g_free (c->name);
  g_free (c);
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *path = g_build_filename (c->dir, c->name, NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));

  g_auto (GStrv) flags = dfc_first_line_flags (text);
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  g_ptr_array_add (args, "--check");
  for (guint i = 0; flags[i] != NULL; i++)
    if (flags[i][0] != '\0')
      g_ptr_array_add (args, flags[i]);
  g_ptr_array_add (args, c->name);
  g_ptr_array_add (args, NULL);

  DfcResult result;
  dfc_run (c->dir, (const char *const *) args->pdata, NULL, 0, &result);
  g_autofree char *stem = g_strndup (path, strlen (path) - 3);
  g_autofree char *golden = g_strconcat (stem, ".err", NULL);
  dfc_assert_golden (golden, result.err, result.err_len);
  g_assert_cmpint (result.status, ==, c->expected_status);
  g_assert_cmpuint (result.out_len, ==, 0);
  dfc_result_clear (&result);
}

/* Every .df of `subdir`, sorted, as a test case. */
static GPtrArray *
collect_cases (const char *subdir, int expected_status, GString *all_goldens)
{
  g_autofree char *dir = g_build_filename (dfc_tests_dir (), "check", subdir, NULL);
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  GPtrArray *cases = g_ptr_array_new_with_free_func (case_free);
  const char *entry;
  while (handle != NULL && (entry = g_dir_read_name (handle)) != NULL)
    {
      if (!g_str_has_suffix (entry, ".df"))
        {
          g_autofree char *golden = g_build_filename (dir, entry, NULL);
          g_autofree char *text = NULL;
          if (g_str_has_suffix (entry, ".err") && g_file_get_contents (golden, &text, NULL, NULL))
            g_string_append (all_goldens, text);
          continue;
        }
      Case *c = g_new0 (Case, 1);
      c->dir = g_strdup (dir);
      c->name = g_strdup (entry);
      c->expected_status = expected_status;
      g_ptr_array_add (cases, c);
    }
  return cases;
}

static gint
case_compare (gconstpointer a, gconstpointer b)
{
  const Case *ca = *(const Case *const *) a, *cb = *(const Case *const *) b;
  return strcmp (ca->name, cb->name);
}

/* Every diagnostic code is exercised by at least one golden. */
static void
test_every_code_tested (gconstpointer data)
{
  const char *goldens = data;
  for (guint i = 0; i < DIAG_COUNT; i++)
    {
      g_autofree char *tag = g_strdup_printf ("[%s]", diag_code_name (i));
      if (strstr (goldens, tag) == NULL)
        g_test_fail_printf ("no test produces %s", tag);
    }
}

/* Every diagnostic code is explained in docs/diagnostics.md. */
static void
test_every_code_documented (void)
{
  g_autofree char *path = g_build_filename (dfc_tests_dir (), "..", "docs", "diagnostics.md", NULL);
  g_autofree char *doc = NULL;
  g_assert_true (g_file_get_contents (path, &doc, NULL, NULL));
  for (guint i = 0; i < DIAG_COUNT; i++)
    {
      g_autofree char *heading = g_strdup_printf ("\n## `%s`\n", diag_code_name (i));
      if (strstr (doc, heading) == NULL)
        g_test_fail_printf ("docs/diagnostics.md has no section for %s", diag_code_name (i));
    }
}

static void
add_cases (GPtrArray *cases, const char *subdir)
{
  g_ptr_array_sort (cases, case_compare);
  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = cases->pdata[i];
      g_autofree char *test = g_strdup_printf ("/check/%s/%.*s", subdir,
                                               (int) strlen (c->name) - 3, c->name);
      g_test_add_data_func (test, c, run_case);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Report every failing golden in one run, not just the first. */
  g_test_set_nonfatal_assertions ();
  g_autoptr (GString) goldens = g_string_new (NULL);
  g_autoptr (GPtrArray) valid = collect_cases ("valid", 0, goldens);
  g_autoptr (GPtrArray) invalid = collect_cases ("invalid", 1, goldens);
  add_cases (valid, "valid");
  add_cases (invalid, "invalid");
  g_test_add_data_func ("/check/every-code-tested", goldens->str, test_every_code_tested);
  g_test_add_func ("/check/every-code-documented", test_every_code_documented);
  return g_test_run ();
}
