/* test-imports-deps.c — the in-tree generator rebuilds imports.c when
 * imports/tokens.df changes: dfc's --depfile names the imported file, and
 * Ninja has recorded it among the dependencies of the generated C (what
 * `ninja -t deps` prints is what Ninja compares mtimes against).
 *
 * $NINJA is the build tool, $DFC_BUILD_ROOT the build directory. */
#include <string.h>
#include <glib.h>

/* The dependencies Ninja recorded for the output whose path ends in
 * `output`, one per line, or NULL. */
static char *
recorded_deps (const char *deps, const char *output)
{
  g_auto (GStrv) lines = g_strsplit (deps, "\n", -1);
  GString *found = NULL;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      if (line[0] != ' ' && line[0] != '\0')
        {
          if (found != NULL)
            break;
          const char *colon = strstr (line, ": #deps");
          if (colon != NULL && colon - line >= (long) strlen (output)
              && strncmp (colon - strlen (output), output, strlen (output)) == 0)
            found = g_string_new (NULL);
        }
      else if (found != NULL && line[0] != '\0')
        g_string_append_printf (found, "%s\n", g_strstrip (lines[i]));
    }
  return found != NULL ? g_string_free (found, FALSE) : NULL;
}

static void
test_imported_file_is_a_dependency (void)
{
  const char *ninja = g_getenv ("NINJA");
  const char *root = g_getenv ("DFC_BUILD_ROOT");
  g_assert_nonnull (ninja);
  g_assert_nonnull (root);
  const char *argv[] = { ninja, "-C", root, "-t", "deps", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_autofree char *deps = recorded_deps (out, "/imports.c");
  g_assert_nonnull (deps);
  g_assert_nonnull (strstr (deps, "tests/e2e/imports.df\n"));
  g_assert_nonnull (strstr (deps, "tests/e2e/imports/tokens.df\n"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/imports/depfile-recorded", test_imported_file_is_a_dependency);
  return g_test_run ();
}
