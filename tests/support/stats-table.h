/* stats-table.h — reads the --stats table a generated program prints on
 * stderr at its end, for every end-to-end test that checks one.  Every
 * row read is checked for the runtime's balance, in == ok + err +
 * dropped, so no test can read a count without it. */
#pragma once

#include <glib.h>

/* One node's row of the table. */
typedef struct {
  gboolean found;
  guint64  in;
  guint64  ok;
  guint64  err;
  guint64  dropped;
} StatsRow;

/* Asserts in == ok + err + dropped on every row of the --stats table in
 * @err; returns how many rows there are and fills @row with @node's
 * (found FALSE when it has none). */
guint stats_table_check (const char *err, const char *node, StatsRow *row);

/* stats_table_check, asserting that @node has a row (the test fails
 * with the whole of @err otherwise); returns the row. */
StatsRow stats_table_row (const char *err, const char *node);
