/* wordcount-stages.c — the stages of examples/wordcount.df.
 *
 * read_lines runs on a worker thread and emits each line of the file;
 * its emit waits while the graph's queues are full, so a file of any size
 * is read in bounded memory.  split_words (sync) emits the lowercase
 * words of a line and fails on a line that is not UTF-8.  count (sync,
 * on the loop thread: no lock) counts them; the ten most frequent words
 * are printed when the program exits.
 */
#include "wordcount.h"

#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static GHashTable *counts;   /* char * -> count */

gboolean
read_lines (DfContext *ctx, const char *path, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = g_file_read (file, df_context_get_cancellable (ctx), error);
  if (in == NULL)
    return FALSE;
  g_autoptr (GDataInputStream) data = g_data_input_stream_new (G_INPUT_STREAM (in));
  char *line;
  GError *local = NULL;
  while ((line = g_data_input_stream_read_line (data, NULL, df_context_get_cancellable (ctx), &local)))
    read_lines_emit (ctx, line);   /* the line passes to the runtime */
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

gboolean
split_words (DfContext *ctx, char *line, GError **error)
{
  if (!g_utf8_validate (line, -1, NULL))
    {
      g_autofree char *escaped = g_strescape (line, NULL);
      g_set_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                   "not UTF-8: \"%s\"", escaped);
      return FALSE;
    }
  const char *p = line;
  while (*p != '\0')
    {
      while (*p != '\0' && !g_unichar_isalnum (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      const char *start = p;
      while (*p != '\0' && (g_unichar_isalnum (g_utf8_get_char (p)) || *p == '\''))
        p = g_utf8_next_char (p);
      if (p > start)
        split_words_emit (ctx, g_utf8_strdown (start, p - start));
    }
  return TRUE;
}

static gint
by_count (gconstpointer a, gconstpointer b)
{
  const char *wa = *(const char *const *) a, *wb = *(const char *const *) b;
  guint ca = GPOINTER_TO_UINT (g_hash_table_lookup (counts, wa));
  guint cb = GPOINTER_TO_UINT (g_hash_table_lookup (counts, wb));
  return ca != cb ? (ca < cb ? 1 : -1) : strcmp (wa, wb);
}

static void
print_top (void)
{
  guint n = 0;
  g_autofree gpointer *words = g_hash_table_get_keys_as_array (counts, &n);
  qsort (words, n, sizeof *words, by_count);
  for (guint i = 0; i < n && i < 10; i++)
    printf ("%5u %s\n", GPOINTER_TO_UINT (g_hash_table_lookup (counts, words[i])),
            (const char *) words[i]);
  g_hash_table_unref (counts);
}

gboolean
count (DfContext *ctx, char *word, GError **error)
{
  if (counts == NULL)
    {
      counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      atexit (print_top);
    }
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, word));
  g_hash_table_replace (counts, g_strdup (word), GUINT_TO_POINTER (n + 1));
  return TRUE;
}
