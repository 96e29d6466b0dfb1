/* stats-table.h — reads a generated program's --stats table (stderr) for
 * the standard library's end-to-end tests. */
#pragma once

#include <glib.h>

/* One node's row of the table. */
typedef struct {
  gboolean found;
  guint64  ok;
  guint64  err;
} StatsRow;

/* Asserts in == ok + err + dropped on every row of the --stats table in
 * @err; returns how many rows there are and fills @row with @node's. */
guint stats_table_check (const char *err, const char *node, StatsRow *row);
