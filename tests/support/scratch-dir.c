/* scratch-dir.c — see scratch-dir.h. */
#include <string.h>

#include <glib/gstdio.h>

#include "scratch-dir.h"

char *
scratch_dir (const char *prefix)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tmpl = g_strconcat (prefix, "-XXXXXX", NULL);
  char *dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  return dir;
}

char *
scratch_path (const char *dir, const char *name)
{
  return g_build_filename (dir, name, NULL);
}

void
scratch_remove (const char *dir)
{
  g_autoptr (GDir) entries = g_dir_open (dir, 0, NULL);
  const char *name;
  while (entries != NULL && (name = g_dir_read_name (entries)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_remove (path);
    }
  g_rmdir (dir);
}

void
assert_file_is (const char *path, const char *want)
{
  g_autofree char *got = NULL;
  gsize len = 0;
  g_assert_true (g_file_get_contents (path, &got, &len, NULL));
  g_assert_cmpuint (len, ==, strlen (want));
  g_assert_cmpstr (got, ==, want);
}
