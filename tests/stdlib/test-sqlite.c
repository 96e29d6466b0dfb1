/* test-sqlite.c — runs sqlite.df's program ($STDLIB_SQLITE: '|'-separated
 * lines into a table with sqlite_insert, batch 3, two tasks) and
 * sqlite-json.df's ($STDLIB_SQLITE_JSON: JSON objects with
 * sqlite_insert_json, batch 2), in --mode=sync and --mode=async, and
 * reads the tables back with SQLite's API: the exact rows and their
 * types; a failing row that rolls back exactly its batch (under `on error
 * skip`, with in == ok + err + dropped at every node) while another task
 * inserts at once; a table created if missing and reused if present; a
 * bad column list, a table of other columns and an unwritable path as
 * clear errors; a SIGINT in the middle leaving whole batches. */
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <sqlite3.h>

#include "mode-tests.h"
#include "program-run.h"
#include "scratch-dir.h"
#include "stats-table.h"

static const char columns[] = "id INTEGER PRIMARY KEY, name TEXT, price REAL";

/* Seven rows: batches 1–3, 4–6 and 7.  "x" stays TEXT in a REAL column
 * (SQLite's affinity converts only what reads as a number). */
static const char input_text[] =
  "1|apple|0.5\n"
  "2|pear, green|1.25\n"
  "3|fig|2\n"
  "4|kiwi|3\n"
  "5|lime|x\n"
  "6|plum|6\n"
  "7|\"date\"|7.5\n";

static const char want_rows[] =
  "1 integer|'apple'|0.5 real\n"
  "2 integer|'pear, green'|1.25 real\n"
  "3 integer|'fig'|2.0 real\n"
  "4 integer|'kiwi'|3.0 real\n"
  "5 integer|'lime'|'x' text\n"
  "6 integer|'plum'|6.0 real\n"
  "7 integer|'\"date\"'|7.5 real\n";

static const char rows_query[] =
  "SELECT quote(id) || ' ' || typeof(id), quote(name), quote(price) || ' ' || typeof(price) "
  "FROM items ORDER BY id";

typedef struct {
  char *dir;
  char *input;
  char *db;
} Files;

static void
files_init (Files *f, const char *text)
{
  f->dir = scratch_dir ("stdlib-sqlite");
  f->input = scratch_path (f->dir, "in.txt");
  f->db = scratch_path (f->dir, "test.db");
  if (text != NULL)
    g_assert_true (g_file_set_contents (f->input, text, -1, NULL));
}

static void
files_clear (Files *f)
{
  scratch_remove (f->dir);
  g_free (f->dir);
  g_free (f->input);
  g_free (f->db);
}

typedef struct {
  const char *prog_env;   /* STDLIB_SQLITE or STDLIB_SQLITE_JSON */
  const char *input;
  const char *db;
  const char *table;
  const char *columns;
  const char *mode;
} Args;

static GSubprocess *
spawn (const Args *a, GSubprocessFlags flags)
{
  g_autofree char *in_arg = g_strconcat ("--input=", a->input, NULL);
  g_autofree char *db_arg = g_strconcat ("--db=", a->db, NULL);
  g_autofree char *into_arg = g_strconcat ("--into=", a->table, NULL);
  g_autofree char *columns_arg = g_strconcat ("--columns=", a->columns, NULL);
  return program_spawn (a->prog_env,
                        PROGRAM_ARGS (in_arg, db_arg, into_arg, columns_arg, a->mode, "--stats"),
                        NULL, flags);
}

/* Asserts @run exited 0 and that its --stats table (of @n_nodes rows)
 * balances; returns the store node's row, and stderr if @err_out. */
static StatsRow
check_finished (ProgramRun *run, guint n_nodes, char **err_out)
{
  g_assert_cmpint (run->status, ==, 0);
  StatsRow row;
  g_assert_cmpuint (stats_table_check (run->err, "store", &row), ==, n_nodes);
  g_assert_true (row.found);
  if (err_out != NULL)
    *err_out = g_steal_pointer (&run->err);
  program_run_clear (run);
  return row;
}

/* Waits for @proc, then check_finished. */
static StatsRow
finish (GSubprocess *proc, guint n_nodes, char **err_out)
{
  ProgramRun run = program_finish (proc);
  return check_finished (&run, n_nodes, err_out);
}

/* Runs sqlite.df's program on @f with @table and @cols. */
static StatsRow
run_load (const Files *f, const char *table, const char *cols, const char *mode, char **err)
{
  Args a = { "STDLIB_SQLITE", f->input, f->db, table, cols, mode };
  g_autoptr (GSubprocess) proc = spawn (&a, G_SUBPROCESS_FLAGS_NONE);
  return finish (proc, 3, err);
}

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

static void
exec_sql (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Every row of @sql, its columns joined by '|', each row ending in "\n". */
static char *
query (const char *path, const char *sql)
{
  sqlite3 *db = open_db (path);
  sqlite3_stmt *stmt = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  GString *out = g_string_new (NULL);
  int rc;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (out, "%s%s", i > 0 ? "|" : "",
                                (const char *) sqlite3_column_text (stmt, i));
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* A database that does not exist: created with its table, every row in. */
static void
test_rows (gconstpointer mode)
{
  Files f;
  files_init (&f, input_text);
  StatsRow store = run_load (&f, "items", columns, mode, NULL);
  g_assert_cmpuint (store.ok, ==, 7);
  g_autofree char *rows = query (f.db, rows_query);
  g_assert_cmpstr (rows, ==, want_rows);
  files_clear (&f);
}

/* Row 6 repeats id 4 of row 4, in the same batch (rows 4–6): the batch
 * is rolled back whole, row 4 with it, and counted as three failures;
 * the batches before and after it are in.  (The duplicate is within its
 * batch so that which batch fails does not depend on the order in which
 * the two tasks commit.) */
static void
test_rollback (gconstpointer mode)
{
  Files f;
  files_init (&f, "1|a|1\n2|b|2\n3|c|3\n4|d|4\n5|e|5\n4|again|6\n7|g|7\n");
  g_autofree char *err = NULL;
  StatsRow store = run_load (&f, "items", columns, mode, &err);
  g_assert_cmpuint (store.ok, ==, 4);
  g_assert_cmpuint (store.err, ==, 3);
  g_autofree char *logged = g_strdup_printf ("node 'store' failed, skipped: cannot insert into "
                                             "table items of %s: row 3 of 3 in the batch: "
                                             "UNIQUE constraint failed: items.id\n", f.db);
  g_assert_nonnull (strstr (err, logged));
  g_autofree char *ids = query (f.db, "SELECT group_concat(id) FROM (SELECT id FROM items ORDER BY id)");
  g_assert_cmpstr (ids, ==, "1,2,3,7\n");
  files_clear (&f);
}

/* A record of two fields for three columns fails its batch (rows 1–3),
 * with the table and the row in the message; row 4 is in. */
static void
test_field_count (gconstpointer mode)
{
  Files f;
  files_init (&f, "1|a|1\n2|short\n3|c|3\n4|d|4\n");
  g_autofree char *err = NULL;
  StatsRow store = run_load (&f, "items", columns, mode, &err);
  g_assert_cmpuint (store.ok, ==, 1);
  g_assert_cmpuint (store.err, ==, 3);
  g_autofree char *logged = g_strdup_printf ("cannot insert into table items of %s: row 2 of 3 "
                                             "in the batch: a record of 2 fields for 3 columns\n",
                                             f.db);
  g_assert_nonnull (strstr (err, logged));
  g_autofree char *ids = query (f.db, "SELECT group_concat(id) FROM (SELECT id FROM items ORDER BY id)");
  g_assert_cmpstr (ids, ==, "4\n");
  files_clear (&f);
}

/* A table that exists (with an extra column of its own) is used as it
 * is: its row stays, the new rows join it; a second run adds to it. */
static void
test_existing_table (gconstpointer mode)
{
  Files f;
  files_init (&f, "8|h|8\n9|i|9\n");
  exec_sql (f.db, "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, price REAL, "
                  "added TEXT DEFAULT 'later');"
                  "INSERT INTO items VALUES (1, 'old', 0.25, 'first');");
  g_assert_cmpuint (run_load (&f, "items", columns, mode, NULL).ok, ==, 2);
  g_assert_true (g_file_set_contents (f.input, "10|j|10\n", -1, NULL));
  g_assert_cmpuint (run_load (&f, "items", columns, mode, NULL).ok, ==, 1);
  g_autofree char *rows = query (f.db, "SELECT id, name, price, added FROM items ORDER BY id");
  g_assert_cmpstr (rows, ==, "1|old|0.25|first\n8|h|8.0|later\n9|i|9.0|later\n10|j|10.0|later\n");
  files_clear (&f);
}

/* Each failure in @cases fails every batch (7 rows: 3 batches) with
 * @message, and the table has no row. */
static void
assert_every_batch_fails (const Files *f, const char *db, const char *table, const char *cols,
                          const char *mode, const char *message)
{
  Args a = { "STDLIB_SQLITE", f->input, db, table, cols, mode };
  g_autoptr (GSubprocess) proc = spawn (&a, G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *err = NULL;
  StatsRow store = finish (proc, 3, &err);
  g_assert_cmpuint (store.ok, ==, 0);
  g_assert_cmpuint (store.err, ==, 7);
  g_autofree char *logged = g_strdup_printf ("node 'store' failed, skipped: %s\n", message);
  g_assert_nonnull (strstr (err, logged));
}

/* A column list that dfstd refuses, one that SQLite refuses, a table
 * of other columns, a path that cannot be opened. */
static void
test_errors (gconstpointer mode)
{
  Files f;
  files_init (&f, input_text);
  assert_every_batch_fails (&f, f.db, "items", "id INTEGER, ID TEXT", mode,
                            "bad columns for table items: column 'ID' is named twice");
  g_assert_false (g_file_test (f.db, G_FILE_TEST_EXISTS));

  g_autofree char *create = g_strdup_printf ("cannot create table items in %s: "
                                             "near \"KEY\": syntax error", f.db);
  assert_every_batch_fails (&f, f.db, "items", "id INTEGER PRIMARY KEY KEY", mode, create);

  exec_sql (f.db, "CREATE TABLE items (id INTEGER, label TEXT)");
  g_autofree char *other = g_strdup_printf ("cannot insert into table items of %s: "
                                            "table items has no column named name", f.db);
  assert_every_batch_fails (&f, f.db, "items", columns, mode, other);
  g_autofree char *count = query (f.db, "SELECT count(*) FROM items");
  g_assert_cmpstr (count, ==, "0\n");

  g_autofree char *missing = g_build_filename (f.dir, "missing", "test.db", NULL);
  g_autofree char *open = g_strdup_printf ("cannot open database %s: "
                                           "unable to open database file", missing);
  assert_every_batch_fails (&f, missing, "items", columns, mode, open);
  files_clear (&f);
}

/* How many rows the table has; 0 while the file or table does not exist. */
static guint
count_rows (const char *path)
{
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return 0;
  sqlite3 *db = open_db (path);
  sqlite3_stmt *stmt = NULL;
  guint n = 0;
  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM items", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = (guint) sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* Standard input that stays open: four lines make one batch of three,
 * committed, and one row waiting for its batch.  A SIGINT drains the
 * graph: the reader's end of input flushes the partial batch, committed
 * whole, and the run exits 0 with four rows. */
static void
test_drain (gconstpointer mode)
{
  Files f;
  files_init (&f, NULL);
  Args a = { "STDLIB_SQLITE", "-", f.db, "items", columns, mode };
  g_autoptr (GSubprocess) proc = spawn (&a, G_SUBPROCESS_FLAGS_STDIN_PIPE);
  GOutputStream *in = g_subprocess_get_stdin_pipe (proc);
  const char lines[] = "1|a|1\n2|b|2\n3|c|3\n4|d|4\n";
  g_assert_true (g_output_stream_write_all (in, lines, strlen (lines), NULL, NULL, NULL));
  g_assert_true (g_output_stream_flush (in, NULL, NULL));
  /* The first batch is committed once the table shows it (no time
   * limit of ours: meson's test timeout ends a run that hangs). */
  while (count_rows (f.db) < 3)
    g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (count_rows (f.db), ==, 3);
  /* The drain must cancel the read: program_interrupt waits for the end
   * before it closes standard input. */
  ProgramRun run = program_interrupt (proc, SIGINT);
  StatsRow store = check_finished (&run, 3, NULL);
  g_assert_cmpuint (store.ok, ==, 4);
  g_assert_cmpuint (store.err, ==, 0);
  g_autofree char *ids = query (f.db, "SELECT group_concat(id) FROM (SELECT id FROM items ORDER BY id)");
  g_assert_cmpstr (ids, ==, "1,2,3,4\n");
  files_clear (&f);
}

/* JSON objects, two per batch: every JSON type into its column, a
 * missing member as NULL; the array on line 3 fails its batch (lines 3
 * and 4) and line 5 is in. */
static void
test_json (gconstpointer mode)
{
  Files f;
  files_init (&f,
              "{\"id\": 1, \"name\": \"a\", \"price\": 2.5, \"ok\": true, \"tags\": [\"x\", \"y\"], \"note\": null}\n"
              "{\"id\": 2, \"name\": \"b\", \"price\": 3, \"ok\": false, \"tags\": {\"k\": 1}, \"extra\": 0}\n"
              "[1, 2]\n"
              "{\"id\": 4, \"name\": \"d\"}\n"
              "{\"id\": 5, \"name\": \"it's\", \"price\": -1e3, \"ok\": 7}\n");
  Args a = { "STDLIB_SQLITE_JSON", f.input, f.db, "events",
             "id INTEGER PRIMARY KEY, name TEXT, price REAL, ok INTEGER, tags TEXT, note TEXT", mode };
  g_autoptr (GSubprocess) proc = spawn (&a, G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *err = NULL;
  StatsRow store = finish (proc, 3, &err);
  g_assert_cmpuint (store.ok, ==, 3);
  g_assert_cmpuint (store.err, ==, 2);
  g_autofree char *logged = g_strdup_printf ("cannot insert into table events of %s: row 1 of 2 "
                                             "in the batch: an array, not a JSON object\n", f.db);
  g_assert_nonnull (strstr (err, logged));
  g_autofree char *rows = query (f.db, "SELECT quote(id), quote(name), quote(price), typeof(price), "
                                       "quote(ok), quote(tags), quote(note) FROM events ORDER BY id");
  g_assert_cmpstr (rows, ==,
                   "1|'a'|2.5|real|1|'[\"x\",\"y\"]'|NULL\n"
                   "2|'b'|3.0|real|0|'{\"k\":1}'|NULL\n"
                   "5|'it''s'|-1000.0|real|7|NULL|NULL\n");
  files_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  static const ModeTest tests[] = {
    { "rows", test_rows },
    { "rollback", test_rollback },
    { "field-count", test_field_count },
    { "existing-table", test_existing_table },
    { "errors", test_errors },
    { "drain", test_drain },
    { "json", test_json },
  };
  mode_tests_add ("/stdlib/sqlite", tests, G_N_ELEMENTS (tests));
  return g_test_run ();
}
