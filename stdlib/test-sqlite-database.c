/* test-sqlite-database.c — the database state of std/sqlite.df's stages
 * (sqlite-database.c), without a program, for what a program cannot make
 * happen on cue: a cancel in the middle of a batch (rolled back whole),
 * a cancel while another connection holds the write lock (the batch
 * fails with SQLite's "database is locked"), and a node whose table changes between batches. */
#include "sqlite-database.h"

#include <glib/gstdio.h>

typedef struct {
  char *dir;
  char *path;
  DfstdDatabase *database;
} Fixture;

static const char columns[] = "id INTEGER PRIMARY KEY, name TEXT";

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("sqlite-database-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->database = dfstd_database_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (dfstd_database_ensure_open (f->database, f->path, "items", columns, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  dfstd_database_free (f->database);
  g_remove (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Rows are pairs of strings; binding row 1 (the second) cancels the
 * cancellable in `cancel_at`, as a halt would in the middle of a batch. */
static GCancellable *cancel_at;

static gboolean
bind_pair (sqlite3_stmt *insert, const DfstdColumns *cols, gconstpointer rows, gsize row,
           GError **error)
{
  const char *const *pairs = rows;
  sqlite3_bind_text (insert, 1, pairs[2 * row], -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, pairs[2 * row + 1], -1, SQLITE_STATIC);
  if (row == 1 && cancel_at != NULL)
    g_cancellable_cancel (cancel_at);
  return TRUE;
}

static gint64
count_rows (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM items", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  gint64 n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static const char *const three_rows[] = { "1", "a", "2", "b", "3", "c" };

/* A cancel after row 2 of 3: the call ends with the cancellation itself
 * (which the runtime recognizes) and rows 1 and 2 are rolled back; the
 * next batch goes in. */
static void
test_cancel_mid_batch (Fixture *f, gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  cancel_at = cancellable;
  g_assert_false (dfstd_database_insert (f->database, three_rows, 3, bind_pair, cancellable,
                                         &error));
  cancel_at = NULL;
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (count_rows (f->path), ==, 0);
  g_clear_error (&error);
  g_assert_true (dfstd_database_insert (f->database, three_rows, 3, bind_pair, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->path), ==, 3);
}

/* Another connection holds the write lock: a cancelled call does not
 * wait the busy time-out out, it fails at once with SQLite's message. */
static void
test_cancel_while_busy (Fixture *f, gconstpointer data)
{
  sqlite3 *other = NULL;
  g_assert_cmpint (sqlite3_open (f->path, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_cancellable_cancel (cancellable);
  g_autoptr (GError) error = NULL;
  /* No clock is read (tests assert no durations): a call that waited
   * would end the same way, DFSTD_SQLITE_BUSY_TIMEOUT_MS later, and show
   * as a test 10 s slower. */
  g_assert_false (dfstd_database_insert (f->database, three_rows, 3, bind_pair, cancellable,
                                         &error));
  g_assert_error (error, DFSTD_SQLITE_ERROR, SQLITE_BUSY);
  g_autofree char *want = g_strdup_printf ("cannot insert into table items of %s: "
                                           "database is locked", f->path);
  g_assert_cmpstr (error->message, ==, want);
  g_assert_cmpint (sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
}

/* A node's path, table and columns are fixed at its first batch. */
static void
test_other_table (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (dfstd_database_ensure_open (f->database, f->path, "items", columns, &error));
  g_assert_false (dfstd_database_ensure_open (f->database, f->path, "other", columns, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_autofree char *want = g_strdup_printf ("cannot insert into table other of %s: this node "
                                           "already inserts into table items of %s (with "
                                           "columns \"%s\")", f->path, f->path, columns);
  g_assert_cmpstr (error->message, ==, want);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/stdlib/sqlite/database/cancel-mid-batch", Fixture, NULL, fixture_set_up,
              test_cancel_mid_batch, fixture_tear_down);
  g_test_add ("/stdlib/sqlite/database/cancel-while-busy", Fixture, NULL, fixture_set_up,
              test_cancel_while_busy, fixture_tear_down);
  g_test_add ("/stdlib/sqlite/database/other-table", Fixture, NULL, fixture_set_up,
              test_other_table, fixture_tear_down);
  return g_test_run ();
}
