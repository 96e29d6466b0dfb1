/* readings-stages.c — the stages of examples/readings.df: lines of a
 * file (from a worker thread), parsed as temperatures in degrees Celsius,
 * checked, shown and summed up; the lines that are no readings, shown
 * with the reason. */
#include "readings.h"

#include <gio/gio.h>
#include <stdio.h>

gboolean
read_lines (DfContext *ctx, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      if (*line != '\0' && *line != '#')
        read_lines_emit (ctx, g_strdup (line));
    }
  return TRUE;
}

gboolean
parse (DfContext *ctx, char *line, double *celsius, GError **error)
{
  char *end;
  *celsius = g_ascii_strtod (line, &end);
  if (end == line || *end != '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not a reading: '%s'", line);
      return FALSE;
    }
  return TRUE;
}

gboolean
check (DfContext *ctx, double celsius, double *out, GError **error)
{
  if (celsius < -273.15)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%.1f C is below absolute zero", celsius);
      return FALSE;
    }
  *out = celsius;
  return TRUE;
}

/* What `show` keeps while its node runs. */
struct Summary {
  guint  n;
  double low, high;
};

gboolean
show_open (DfContext *ctx, Summary **state, GError **error)
{
  *state = g_new0 (Summary, 1);
  return TRUE;
}

void
show_close (DfContext *ctx, Summary *s)
{
  if (s->n > 0)
    printf ("%u reading%s, %.1f C to %.1f C\n", s->n, s->n == 1 ? "" : "s", s->low, s->high);
  g_free (s);
}

gboolean
show (DfContext *ctx, double celsius, GError **error)
{
  Summary *s = df_context_get_state (ctx);
  s->low = s->n == 0 ? celsius : MIN (s->low, celsius);
  s->high = s->n == 0 ? celsius : MAX (s->high, celsius);
  s->n++;
  printf ("%6.1f C\n", celsius);
  return TRUE;
}

gboolean
reject (DfContext *ctx, char *line, char *message, GError **error)
{
  printf ("rejected '%s': %s\n", line, message);
  return TRUE;
}
