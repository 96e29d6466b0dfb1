/* stats-table.c — see stats-table.h. */
#include <stdio.h>
#include <string.h>

#include "stats-table.h"

guint
stats_table_check (const char *err, const char *node, StatsRow *row)
{
  g_auto (GStrv) lines = g_strsplit (err, "\n", -1);
  guint rows = 0;
  gboolean in_table = FALSE;

  *row = (StatsRow) { 0 };
  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* The header, "node in out ok err dropped ...", starts the table. */
      if (g_str_has_prefix (lines[i], "node "))
        {
          in_table = TRUE;
          continue;
        }
      char name[64];
      guint64 in, out, ok, errs, dropped;
      if (!in_table
          || sscanf (lines[i], "%63s %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT
                     " %" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT,
                     name, &in, &out, &ok, &errs, &dropped) != 6)
        continue;
      g_assert_cmpuint (in, ==, ok + errs + dropped);
      rows++;
      if (strcmp (name, node) == 0)
        *row = (StatsRow) { TRUE, in, ok, errs, dropped };
    }
  return rows;
}

StatsRow
stats_table_row (const char *err, const char *node)
{
  StatsRow row;
  stats_table_check (err, node, &row);
  if (!row.found)
    g_error ("no row for node '%s' in the --stats table:\n%s", node, err);
  return row;
}
