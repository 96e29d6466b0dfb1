/* sqlite-database.c — the database of sqlite_insert and
 * sqlite_insert_json (sqlite-database.h).
 *
 * The journal mode is left as the database file has it (a new file:
 * SQLite's rollback journal).  WAL would make commits cheaper and let
 * readers run during a write, but it is a lasting property of the file,
 * which may belong to another program, and it does not work on a network
 * file system; a user who wants it sets it once (`PRAGMA
 * journal_mode=WAL`) and every batch then commits through it.  Batching
 * is what makes the rollback journal fast enough: one commit, with its
 * syncs, per batch instead of per row. */
#include "sqlite-database.h"

#include <string.h>

G_DEFINE_QUARK (dfstd-sqlite-error-quark, dfstd_sqlite_error)

/* The busy handler's sleep between two tries for a lock. */
#define BUSY_SLEEP_MS 10

DfstdDatabase *
dfstd_database_new (void)
{
  return g_new0 (DfstdDatabase, 1);
}

/* Sets @error to SQLite's last error on @db, after @prefix. */
static void
set_sqlite_error (GError **error, sqlite3 *db, const char *prefix)
{
  g_set_error (error, DFSTD_SQLITE_ERROR, sqlite3_extended_errcode (db), "%s%s", prefix,
               sqlite3_errmsg (db));
}

/* SQLite's busy handler: waits for another connection's lock in short
 * sleeps, up to DFSTD_SQLITE_BUSY_TIMEOUT_MS, and gives up at once when
 * the call in progress is cancelled. */
static int
wait_while_busy (void *data, int n_tries)
{
  DfstdDatabase *database = data;
  if (g_cancellable_is_cancelled (database->cancellable)
      || n_tries * BUSY_SLEEP_MS >= DFSTD_SQLITE_BUSY_TIMEOUT_MS)
    return 0;
  g_usleep (BUSY_SLEEP_MS * G_TIME_SPAN_MILLISECOND);
  return 1;
}

/* Prepares @sql, which must be one statement. */
static sqlite3_stmt *
prepare_one (sqlite3 *db, const char *sql, unsigned int flags, const char *prefix,
             GError **error)
{
  sqlite3_stmt *stmt = NULL;
  const char *tail = NULL;
  if (sqlite3_prepare_v3 (db, sql, -1, flags, &stmt, &tail) != SQLITE_OK)
    {
      set_sqlite_error (error, db, prefix);
      return NULL;
    }
  if (tail[strspn (tail, " \t\r\n")] != '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%smore than one SQL statement in the column list", prefix);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* Runs @sql (one statement, no result rows) on @db. */
static gboolean
run_one (sqlite3 *db, const char *sql, const char *prefix, GError **error)
{
  sqlite3_stmt *stmt = prepare_one (db, sql, 0, prefix, error);
  if (stmt == NULL)
    return FALSE;
  gboolean done = sqlite3_step (stmt) == SQLITE_DONE;
  if (!done)
    set_sqlite_error (error, db, prefix);
  sqlite3_finalize (stmt);
  return done;
}

/* Runs the CREATE TABLE IF NOT EXISTS in a transaction of its own, begun
 * IMMEDIATE: the write lock is taken (the busy handler waiting for it)
 * before the statement reads the schema, so tasks that open one new
 * database at once wait for each other instead of failing. */
static gboolean
create_table (sqlite3 *db, const char *sql, const char *prefix, GError **error)
{
  if (!run_one (db, "BEGIN IMMEDIATE", prefix, error))
    return FALSE;
  if (run_one (db, sql, prefix, error) && run_one (db, "COMMIT", prefix, error))
    return TRUE;
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static sqlite3 *
open_file (DfstdDatabase *database, const char *path, GError **error)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DFSTD_SQLITE_ERROR, rc, "cannot open database %s: %s", path,
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_handler (db, wait_while_busy, database);
  return db;
}

/* Closes what open_database () opened, leaving @database as new. */
static void
close_database (DfstdDatabase *database)
{
  sqlite3_finalize (database->insert);
  if (database->db != NULL && sqlite3_close (database->db) != SQLITE_OK)
    g_warning ("cannot close database %s: %s", database->path, sqlite3_errmsg (database->db));
  g_clear_pointer (&database->cols, dfstd_columns_free);
  g_clear_pointer (&database->path, g_free);
  g_clear_pointer (&database->table, g_free);
  g_clear_pointer (&database->columns, g_free);
  database->insert = NULL;
  database->db = NULL;
}

/* Opens the file, creates the table if it is missing and prepares the
 * INSERT, kept for every batch (SQLITE_PREPARE_PERSISTENT). */
static gboolean
open_database (DfstdDatabase *database, const char *path, const char *table,
               const char *columns, GError **error)
{
  DfstdColumns *cols = dfstd_columns_parse (table, columns, error);
  if (cols == NULL)
    return FALSE;
  database->cols = cols;
  database->path = g_strdup (path);
  database->table = g_strdup (table);
  database->columns = g_strdup (columns);
  database->db = open_file (database, path, error);
  if (database->db == NULL)
    return FALSE;
  g_autofree char *create = g_strdup_printf ("cannot create table %s in %s: ", table, path);
  if (!create_table (database->db, cols->create_sql, create, error))
    return FALSE;
  g_autofree char *insert = g_strdup_printf ("cannot insert into table %s of %s: ", table, path);
  database->insert = prepare_one (database->db, cols->insert_sql, SQLITE_PREPARE_PERSISTENT,
                                  insert, error);
  return database->insert != NULL;
}

gboolean
dfstd_database_ensure_open (DfstdDatabase *database, const char *path, const char *table,
                            const char *columns, GError **error)
{
  if (database->insert != NULL)
    {
      /* Constants or graph inputs of the node: they never change, but
       * an edge mapped onto them would, and would silently insert every
       * batch into the first table. */
      if (strcmp (database->path, path) == 0 && strcmp (database->table, table) == 0
          && strcmp (database->columns, columns) == 0)
        return TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "cannot insert into table %s of %s: this node already inserts into "
                   "table %s of %s (with columns \"%s\")", table, path, database->table,
                   database->path, database->columns);
      return FALSE;
    }
  if (open_database (database, path, table, columns, error))
    return TRUE;
  /* The next batch tries again from the start. */
  close_database (database);
  return FALSE;
}

/* Rolls back the transaction in progress, if SQLite has not already
 * (it does after some errors, such as a full disk). */
static void
roll_back (DfstdDatabase *database)
{
  sqlite3_reset (database->insert);
  sqlite3_clear_bindings (database->insert);
  if (sqlite3_get_autocommit (database->db))
    return;
  if (sqlite3_exec (database->db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
    g_warning ("cannot roll back in database %s: %s", database->path,
               sqlite3_errmsg (database->db));
}

/* Inserts row @row of the batch: binds it and steps the INSERT. */
static gboolean
insert_row (DfstdDatabase *database, gconstpointer rows, gsize row, gsize n_rows,
            DfstdBindRow bind, GCancellable *cancellable, GError **error)
{
  /* A cancel is passed on unchanged: the runtime must recognize it. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  sqlite3_stmt *insert = database->insert;
  sqlite3_reset (insert);
  sqlite3_clear_bindings (insert);
  if (bind (insert, database->cols, rows, row, error))
    {
      if (sqlite3_step (insert) == SQLITE_DONE)
        return TRUE;
      set_sqlite_error (error, database->db, "");
    }
  g_prefix_error (error, "cannot insert into table %s of %s: row %" G_GSIZE_FORMAT " of %"
                  G_GSIZE_FORMAT " in the batch: ", database->table, database->path,
                  row + 1, n_rows);
  return FALSE;
}

/* BEGIN IMMEDIATE takes the write lock at once, so a batch waits for
 * other writers before its first row, not half-way through. */
static gboolean
run_transaction (DfstdDatabase *database, gconstpointer rows, gsize n_rows,
                 DfstdBindRow bind, GCancellable *cancellable, GError **error)
{
  g_autofree char *prefix = g_strdup_printf ("cannot insert into table %s of %s: ",
                                             database->table, database->path);
  if (!run_one (database->db, "BEGIN IMMEDIATE", prefix, error))
    return FALSE;
  for (gsize i = 0; i < n_rows; i++)
    if (!insert_row (database, rows, i, n_rows, bind, cancellable, error))
      {
        roll_back (database);
        return FALSE;
      }
  sqlite3_reset (database->insert);
  sqlite3_clear_bindings (database->insert);
  if (run_one (database->db, "COMMIT", prefix, error))
    return TRUE;
  roll_back (database);
  return FALSE;
}

gboolean
dfstd_database_insert (DfstdDatabase *database, gconstpointer rows, gsize n_rows,
                       DfstdBindRow bind, GCancellable *cancellable, GError **error)
{
  database->cancellable = cancellable;
  gboolean ok = run_transaction (database, rows, n_rows, bind, cancellable, error);
  database->cancellable = NULL;
  return ok;
}

void
dfstd_database_free (DfstdDatabase *database)
{
  if (database == NULL)
    return;
  close_database (database);
  g_free (database);
}
