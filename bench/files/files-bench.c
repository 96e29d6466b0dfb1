/* files-bench.c — the files benchmark: in one run, rows per second of
 * std/files.df's write_csv (bench/files/files.df's write_rows: a blocking
 * generator of N records -> write_csv) against a plain C loop that
 * fwrite ()s the same bytes, and of append_csv (open, one write, close
 * per row) against the same loop; lines per second of read_lines into a
 * counting sink against `cat FILE > /dev/null`; and rows per second of
 * std/sqlite.df's sqlite_insert with batches of 10 and of 1000.  Each row
 * is the fastest of a few runs; the graphs run in the default async mode.
 * Prints a Markdown table (bench/files/run-files-bench.py puts it in
 * docs/benchmarks.md).
 *
 *   files-bench [--quick]        N = 1,000,000 (--quick: 100,000)
 *
 * The outputs are checked, not only timed: the CSV files must be byte
 * for byte the same, read_lines must count every line, each table
 * must hold N rows. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "files.h"

#define RUNS 3

static guint64 lines_counted;

/* Record i: its id, a name (every tenth one needing CSV quotes) and a
 * price; the fwrite loop below writes the same fields. */
gboolean
records (DfContext *ctx, gint64 n, GError **error)
{
  for (gint64 i = 0; i < n; i++)
    {
      char **fields = g_new (char *, 4);
      fields[0] = g_strdup_printf ("%" G_GINT64_FORMAT, i);
      fields[1] = i % 10 == 0 ? g_strdup_printf ("say \"hi\", item %" G_GINT64_FORMAT, i)
                              : g_strdup_printf ("item %" G_GINT64_FORMAT, i);
      fields[2] = g_strdup_printf ("%" G_GINT64_FORMAT ".%02d", i / 100, (int) (i % 100));
      fields[3] = NULL;
      records_emit (ctx, fields);
    }
  return TRUE;
}

gboolean
count_line (DfContext *ctx, char *line, GError **error)
{
  lines_counted++;
  return TRUE;
}

static double
now_s (void)
{
  return (double) g_get_monotonic_time () / G_TIME_SPAN_SECOND;
}

/* What a careful C programmer writes by hand: one snprintf and one
 * fwrite per row, the quoting known in advance. */
static void
fwrite_rows (gint64 n, const char *path)
{
  FILE *f = fopen (path, "wb");
  if (f == NULL)
    g_error ("%s: %s", path, g_strerror (errno));
  fputs ("id,name,price\r\n", f);
  char buf[128];
  for (gint64 i = 0; i < n; i++)
    {
      int len = i % 10 == 0
        ? snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT ",\"say \"\"hi\"\", item %" G_GINT64_FORMAT
                    "\",%" G_GINT64_FORMAT ".%02d\r\n", i, i, i / 100, (int) (i % 100))
        : snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT ",item %" G_GINT64_FORMAT ",%"
                    G_GINT64_FORMAT ".%02d\r\n", i, i, i / 100, (int) (i % 100));
      fwrite (buf, 1, (size_t) len, f);
    }
  if (fclose (f) != 0)
    g_error ("%s: %s", path, g_strerror (errno));
}

static void
assert_same_bytes (const char *a, const char *b)
{
  g_autofree char *x = NULL, *y = NULL;
  gsize nx = 0, ny = 0;
  if (!g_file_get_contents (a, &x, &nx, NULL) || !g_file_get_contents (b, &y, &ny, NULL)
      || nx != ny || memcmp (x, y, nx) != 0)
    g_error ("%s and %s differ", a, b);
}

static void
cat_to_null (const char *path)
{
  const char *argv[] = { "cat", path, NULL };
  g_autoptr (GError) error = NULL;
  int status = 0;
  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL,
                     &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("cat %s: %s", path, error->message);
}

static gint64
count_table_rows (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, "SELECT count(*) FROM items", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

typedef enum { WRITE_CSV, APPEND_CSV, FWRITE, READ_LINES, CAT, INSERT_10, INSERT_1000 } Kind;

typedef struct {
  const char *dir;
  const char *csv;        /* written by write_csv */
  const char *plain;      /* written by the fwrite loop */
  const char *appended;   /* written by append_csv */
  const char *db;
} Paths;

/* Runs one measured thing once and checks what it made; returns the
 * seconds it took. */
static double
run_once (Kind kind, gint64 n, const Paths *p)
{
  DfRuntime *rt = df_runtime_new (NULL);
  GError *error = NULL;
  gboolean ok = TRUE;
  g_remove (p->db);
  lines_counted = 0;
  double start = now_s ();
  switch (kind)
    {
    case WRITE_CSV:
      ok = write_rows_run (rt, &(WriteRowsIn) { .n = n, .output = p->csv }, DF_GRAPH_ASYNC, &error);
      break;
    case APPEND_CSV:
      g_remove (p->appended);
      ok = append_rows_run (rt, &(AppendRowsIn) { .n = n, .output = p->appended },
                            DF_GRAPH_ASYNC, &error);
      break;
    case FWRITE:
      fwrite_rows (n, p->plain);
      break;
    case READ_LINES:
      ok = read_rows_run (rt, &(ReadRowsIn) { .input = p->csv }, DF_GRAPH_ASYNC, &error);
      break;
    case CAT:
      cat_to_null (p->csv);
      break;
    case INSERT_10:
      ok = insert_batch_10_run (rt, &(InsertBatch10In) { .n = n, .db = p->db }, DF_GRAPH_ASYNC,
                                &error);
      break;
    case INSERT_1000:
      ok = insert_batch_1000_run (rt, &(InsertBatch1000In) { .n = n, .db = p->db },
                                  DF_GRAPH_ASYNC, &error);
      break;
    }
  double took = now_s () - start;
  if (!ok)
    g_error ("%s", error->message);
  if (kind == READ_LINES && lines_counted != (guint64) n + 1)
    g_error ("read_lines counted %" G_GUINT64_FORMAT " lines, not %" G_GINT64_FORMAT,
             lines_counted, n + 1);
  if ((kind == INSERT_10 || kind == INSERT_1000) && count_table_rows (p->db) != n)
    g_error ("the table has %" G_GINT64_FORMAT " rows, not %" G_GINT64_FORMAT,
             count_table_rows (p->db), n);
  df_runtime_unref (rt);
  return took;
}

static double
best_of (Kind kind, gint64 n, const Paths *p)
{
  double best = G_MAXDOUBLE;
  for (int i = 0; i < RUNS; i++)
    best = MIN (best, run_once (kind, n, p));
  return best;
}

/* 1234567 as "1,234,567". */
static char *
thousands (gint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static void
print_row (const char *what, gint64 items, const char *unit, double seconds, double base)
{
  g_autofree char *count = thousands (items);
  double rate = (double) items / seconds;
  g_autofree char *ratio = base > 0 ? g_strdup_printf ("%.1fx", seconds / base) : g_strdup ("1.0x");
  g_autofree char *per_second = rate >= 1e6 ? g_strdup_printf ("%.2f M", rate / 1e6)
                                              : g_strdup_printf ("%.1f k", rate / 1e3);
  printf ("| %s | %s %s | %.3f s | %s | %s |\n", what, count, unit, seconds, per_second, ratio);
}

int
main (int argc, char **argv)
{
  gboolean quick = argc > 1 && strcmp (argv[1], "--quick") == 0;
  gint64 n = quick ? 100000 : 1000000;
  g_autofree char *dir = g_dir_make_tmp ("files-bench-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "dfc.csv", NULL);
  g_autofree char *plain = g_build_filename (dir, "plain.csv", NULL);
  g_autofree char *appended = g_build_filename (dir, "appended.csv", NULL);
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  Paths p = { dir, csv, plain, appended, db };

  double t_write = best_of (WRITE_CSV, n, &p);
  double t_fwrite = best_of (FWRITE, n, &p);
  assert_same_bytes (csv, plain);
  /* append_csv's rows, of the first N/10 records, must be the fwrite
   * loop's too. */
  gint64 n_append = n / 10;
  double t_append = best_of (APPEND_CSV, n_append, &p);
  double t_fwrite_append = best_of (FWRITE, n_append, &p);
  assert_same_bytes (appended, plain);
  double t_read = best_of (READ_LINES, n, &p);
  double t_cat = best_of (CAT, n, &p);
  gint64 n_small = n / 20, n_large = n / 2;
  double t_insert_10 = best_of (INSERT_10, n_small, &p);
  double t_insert_1000 = best_of (INSERT_1000, n_large, &p);

  struct stat st;
  gint64 size = g_stat (csv, &st) == 0 ? (gint64) st.st_size : 0;
  printf ("The CSV file: %.1f MB; files in %s. Each row is the fastest of %d runs.\n\n",
          (double) size / 1e6, g_get_tmp_dir (), RUNS);
  printf ("| what | items | time | items/s | time vs. its baseline |\n");
  printf ("|---|---:|---:|---:|---:|\n");
  print_row ("plain C: snprintf + fwrite per row", n, "rows", t_fwrite, 0);
  print_row ("dfc: blocking generator -> `write_csv`", n, "rows", t_write, t_fwrite);
  print_row ("plain C: snprintf + fwrite per row", n_append, "rows", t_fwrite_append, 0);
  print_row ("dfc: blocking generator -> `append_csv` (open, write, close per row)", n_append,
             "rows", t_append, t_fwrite_append);
  print_row ("`cat FILE > /dev/null`", n + 1, "lines", t_cat, 0);
  print_row ("dfc: `read_lines` -> counting sink", n + 1, "lines", t_read, t_cat);
  print_row ("dfc: generator -> `sqlite_insert`, `batch 1000`", n_large, "rows", t_insert_1000, 0);
  print_row ("dfc: generator -> `sqlite_insert`, `batch 10`", n_small, "rows", t_insert_10,
             t_insert_1000 * (double) n_small / (double) n_large);

  g_remove (csv);
  g_remove (plain);
  g_remove (appended);
  g_remove (db);
  g_rmdir (dir);
  return 0;
}
