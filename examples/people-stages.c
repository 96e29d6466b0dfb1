/* people-stages.c — the stages of examples/people.df: three readers of
 * one-value-per-line files (each on a worker thread), and a sink that
 * prints one line per zipped row. */
#include "people.h"

#include <stdio.h>
#include <stdlib.h>

/* The lines of @path but blank ones, or NULL with @error. */
static char **
read_lines (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  char **lines = g_strsplit (text, "\n", -1);
  guint k = 0;
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      lines[k++] = lines[i];
    else
      g_free (lines[i]);
  lines[k] = NULL;
  return lines;
}

gboolean
read_names (DfContext *ctx, const char *path, GError **error)
{
  g_auto (GStrv) lines = read_lines (path, error);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    read_names_emit (ctx, g_strdup (lines[i]));
  return lines != NULL;
}

gboolean
read_ages (DfContext *ctx, const char *path, GError **error)
{
  g_auto (GStrv) lines = read_lines (path, error);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    read_ages_emit (ctx, atoi (lines[i]));
  return lines != NULL;
}

gboolean
read_cities (DfContext *ctx, const char *path, GError **error)
{
  g_auto (GStrv) lines = read_lines (path, error);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    read_cities_emit (ctx, g_strdup (lines[i]));
  return lines != NULL;
}

gboolean
introduce (DfContext *ctx, char *name, int age, char *city, GError **error)
{
  printf ("%s, %d, lives in %s\n", name, age, city);
  return TRUE;
}
