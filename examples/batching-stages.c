/* batching-stages.c — the stages of examples/batching.df.
 *
 * read_numbers emits the integers of a file, one per line (blank lines
 * and '#' comments skipped), from a worker thread.  store "writes" each
 * batch: one line per batch, as a bulk insert would.
 */
#include "batching.h"

#include <gio/gio.h>
#include <stdio.h>

gboolean
read_numbers (DfContext *ctx, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      gint64 n;
      if (*line == '\0' || *line == '#')
        continue;
      if (!g_ascii_string_to_signed (line, 10, G_MININT, G_MAXINT, &n, error))
        {
          g_prefix_error (error, "%s:%u: ", path, i + 1);
          return FALSE;
        }
      read_numbers_emit (ctx, (int) n);
    }
  return TRUE;
}

gboolean
store (DfContext *ctx, int *n, gsize n_len, const char *into, GError **error)
{
  long sum = 0;
  printf ("insert into %s:", into);
  for (gsize i = 0; i < n_len; i++)
    {
      printf (" %d", n[i]);
      sum += n[i];
    }
  printf ("  (%zu rows, sum %ld)\n", n_len, sum);
  return TRUE;
}
