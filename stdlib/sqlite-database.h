/* sqlite-database.h — the database that sqlite_insert and
 * sqlite_insert_json keep as their node state: opened at the first batch
 * (the state's open has no parameters to learn the path from), the table
 * created if missing and the INSERT prepared once; each batch one
 * transaction; closed once when the runtime closes the state. */
#pragma once

#include <sqlite3.h>

#include "sqlite.h"
#include "sqlite-columns.h"

G_BEGIN_DECLS

/* The domain of SQLite's failures; the code is SQLite's extended result
 * code (SQLITE_CONSTRAINT_PRIMARYKEY, …). */
#define DFSTD_SQLITE_ERROR (dfstd_sqlite_error_quark ())
GQuark dfstd_sqlite_error_quark (void);

/* How long a batch waits for another connection's write lock before it
 * fails with SQLITE_BUSY (a cancel stops the wait sooner). */
#define DFSTD_SQLITE_BUSY_TIMEOUT_MS 10000

struct _DfstdDatabase {
  char *path;                 /* NULL until opened */
  char *table;
  char *columns;              /* the parameter, as given */
  DfstdColumns *cols;
  sqlite3 *db;
  sqlite3_stmt *insert;       /* prepared once, reset for every row */
  GCancellable *cancellable;  /* of the call in progress, for the busy handler */
};

DfstdDatabase *dfstd_database_new (void);

/* Opens @path on the first call (creating the file and @table if
 * missing) and after that checks that the three are the same. */
gboolean dfstd_database_ensure_open (DfstdDatabase *database, const char *path,
                                     const char *table, const char *columns,
                                     GError **error);

/* Binds the values of row @row of @rows to the parameters of @insert,
 * one per column of @cols. */
typedef gboolean (*DfstdBindRow) (sqlite3_stmt *insert, const DfstdColumns *cols,
                                  gconstpointer rows, gsize row, GError **error);

/* Inserts the @n_rows rows of @rows in one transaction: all of them, or,
 * at the first failure or a cancel, none.  The error names the database,
 * the table and the row of the batch. */
gboolean dfstd_database_insert (DfstdDatabase *database, gconstpointer rows, gsize n_rows,
                                DfstdBindRow bind, GCancellable *cancellable,
                                GError **error);

/* Closes the database if it was opened, and frees @database.  Nothing is
 * left uncommitted between calls, so nothing is lost here. */
void dfstd_database_free (DfstdDatabase *database);

G_END_DECLS
