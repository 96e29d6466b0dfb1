/* test-draw.c — `dfc --dot` and `dfc --mermaid` against goldens.
 *
 * For each tests/draw/NAME.df: stdout of --dot equals NAME.dot, stdout of
 * --mermaid equals NAME.mmd, and a second run prints the same bytes.
 */
#include <string.h>
#include "dfc-run.h"

typedef struct {
  char *dir;
  char *name;   /* NAME.df */
  const char *mode;
  const char *ext;
} DrawCase;

static void
draw_case (gconstpointer data)
{
  const DrawCase *c = data;
  const char *args[] = { c->mode, c->name, NULL };
  DfcResult first, second;
  dfc_run (c->dir, args, NULL, 0, &first);
  dfc_run (c->dir, args, NULL, 0, &second);
  g_assert_cmpstr (first.err, ==, "");
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpmem (first.out, first.out_len, second.out, second.out_len);

  g_autofree char *stem = g_strndup (c->name, strlen (c->name) - 3);
  g_autofree char *golden = g_strdup_printf ("%s/%s%s", c->dir, stem, c->ext);
  dfc_assert_golden (golden, first.out, first.out_len);
  dfc_result_clear (&first);
  dfc_result_clear (&second);
}

static void
add_case (GPtrArray *keep, const char *dir, const char *name, const char *mode, const char *ext)
{
  DrawCase *c = g_new0 (DrawCase, 1);
  c->dir = g_strdup (dir);
  c->name = g_strdup (name);
  c->mode = mode;
  c->ext = ext;
  g_ptr_array_add (keep, c);
  g_autofree char *test = g_strdup_printf ("/draw/%.*s%s", (int) strlen (name) - 3, name, ext);
  g_test_add_data_func (test, c, draw_case);
}

static void
draw_case_free (gpointer data)
{
  DrawCase *c = data;
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
  g_autofree char *dir = g_build_filename (dfc_tests_dir (), "draw", NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *entry;
  while (handle != NULL && (entry = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (entry, ".df"))
      g_ptr_array_add (names, g_strdup (entry));
  g_ptr_array_sort (names, dfc_compare_strings);

  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (draw_case_free);
  for (guint i = 0; i < names->len; i++)
    {
      add_case (keep, dir, names->pdata[i], "--dot", ".dot");
      add_case (keep, dir, names->pdata[i], "--mermaid", ".mmd");
    }
  return g_test_run ();
}
