/* lines-stages.c — the stages of lines.df. */
#include <stdio.h>
#include <stdlib.h>

#include "lines.h"

gboolean
read_lines (DfContext *ctx, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      read_lines_emit (ctx, g_strdup (lines[i]));
  return TRUE;
}

gboolean
parse (DfContext *ctx, char *line, int *n, GError **error)
{
  char *end = NULL;
  long v = strtol (line, &end, 10);
  if (end == line || *end != '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a number: %s", line);
      return FALSE;
    }
  *n = (int) v;
  return TRUE;
}

gboolean
print (DfContext *ctx, int n, GError **error)
{
  printf ("%d\n", n);
  return TRUE;
}
