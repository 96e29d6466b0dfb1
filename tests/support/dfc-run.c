/* dfc-run.c — run the dfc binary and compare what it prints with goldens. */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include "dfc-run.h"

const char *
dfc_path (void)
{
  const char *path = g_getenv ("DFC");
  g_assert_nonnull (path);
  return path;
}

const char *
dfc_tests_dir (void)
{
  const char *dir = g_getenv ("DFC_TESTS");
  g_assert_nonnull (dir);
  return dir;
}

static char *
bytes_to_string (GBytes *bytes, gsize *len)
{
  gsize n = 0;
  const char *data = bytes ? g_bytes_get_data (bytes, &n) : NULL;
  *len = n;
  return data ? g_strndup (data, n) : g_strdup ("");
}

void
dfc_run (const char *cwd, const char *const *args, const char *input, gsize input_len,
         DfcResult *result)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) dfc_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  g_autoptr (GError) error = NULL;

  /* Input comes from a file, not a pipe: dfc may exit without reading it
   * (a usage error), and a pipe would then break under the writer. */
  g_autofree char *input_path = NULL;
  if (input != NULL)
    {
      int fd = g_file_open_tmp ("dfc-input-XXXXXX.df", &input_path, &error);
      g_assert_no_error (error);
      close (fd);
      g_file_set_contents (input_path, input, input_len, &error);
      g_assert_no_error (error);
      g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
    }
  g_autoptr (GSubprocess) proc = g_subprocess_launcher_spawnv (
      launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) err = NULL;
  g_subprocess_communicate (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (input_path != NULL)
    g_unlink (input_path);

  result->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  result->out = bytes_to_string (out, &result->out_len);
  result->err = bytes_to_string (err, &result->err_len);
}

void
dfc_result_clear (DfcResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

gint
dfc_compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

void
dfc_assert_golden (const char *expected_path, const char *actual, gsize actual_len)
{
  g_autoptr (GError) error = NULL;
  if (g_getenv ("DFC_UPDATE") != NULL)
    {
      if (actual_len == 0)
        (void) g_remove (expected_path);
      else
        g_file_set_contents (expected_path, actual, actual_len, &error);
      g_assert_no_error (error);
      return;
    }

  g_autofree char *expected = NULL;
  gsize expected_len = 0;
  if (!g_file_get_contents (expected_path, &expected, &expected_len, NULL))
    expected = g_strdup ("");   /* a missing golden expects no output */
  if (expected_len == actual_len && memcmp (expected, actual, actual_len) == 0)
    return;
  g_test_message ("expected (%s):\n%s\nactual:\n%.*s", expected_path, expected,
                  (int) actual_len, actual);
  g_test_fail_printf ("output differs from %s", expected_path);
}

GStrv
dfc_first_line_flags (const char *df_text)
{
  static const char marker[] = "// dfc-flags:";
  g_autoptr (GStrvBuilder) flags = g_strv_builder_new ();
  if (g_str_has_prefix (df_text, marker))
    {
      const char *start = df_text + strlen (marker);
      g_autofree char *line = g_strndup (start, strcspn (start, "\n"));
      g_auto (GStrv) words = g_strsplit_set (g_strstrip (line), " ", -1);
      for (guint i = 0; words[i] != NULL; i++)
        if (words[i][0] != '\0')
          g_strv_builder_add (flags, words[i]);
    }
  return g_strv_builder_end (flags);
}
