/* fuzz-replay.c — run the fuzz target over files, without libFuzzer.
 *
 * `fuzz-replay DIR...` feeds every file under each DIR (recursively, .df
 * and corpus files alike) to LLVMFuzzerTestOneInput.  The test suite runs
 * it over the goldens and the saved corpus, so that inputs which once
 * crashed stay fixed under every compiler and sanitizer build.
 */
#include <glib.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static guint
replay (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *entry;
      while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_build_filename (path, entry, NULL));
      g_ptr_array_sort (names, compare_paths);
      guint n = 0;
      for (guint i = 0; i < names->len; i++)
        n += replay (names->pdata[i]);
      return n;
    }
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &data, &len, &error))
    g_error ("%s", error->message);
  LLVMFuzzerTestOneInput ((const guint8 *) data, len);
  return 1;
}

int
main (int argc, char **argv)
{
  guint n = 0;
  for (int i = 1; i < argc; i++)
    n += replay (argv[i]);
  printf ("1..1\nok 1 - replayed %u inputs\n", n);
  return 0;
}
