/* test-append.c — runs append.df's program ($STDLIB_APPEND): a flow of
 * std/files.df's append_line and append_csv, as a graph node of four
 * tasks over the lines of a file.  In --mode=sync the calls run one at a
 * time, in order, so both files are checked byte for byte; in async mode
 * four run at once, so the lines come in any order but each must be whole
 * and the header must be there once, first.  Also: appending to files
 * that exist (an empty one gets the header, a non-empty one does not),
 * and a path that cannot be opened as a failure of every item that names
 * the path, with the --stats balance in == ok + err + dropped. */
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "mode-tests.h"
#include "program-run.h"
#include "scratch-dir.h"
#include "stats-table.h"

/* Lines that the CSV must quote, a CRLF line end, UTF-8, an empty line. */
static const char input_text[] =
  "plain\n"
  "say \"hi\", then go\r\n"
  "caf\xc3\xa9\n"
  "\n"
  "last";

static const char want_lines[] =
  "plain\n"
  "say \"hi\", then go\n"
  "caf\xc3\xa9\n"
  "\n"
  "last\n";

static const char want_header[] = "chars,text\r\n";

static const char want_rows[] =
  "5,plain\r\n"
  "17,\"say \"\"hi\"\", then go\"\r\n"
  "4,caf\xc3\xa9\r\n"
  "0,\r\n"
  "4,last\r\n";

typedef struct {
  char *dir;
  char *input;
  char *lines;
  char *csv;
} Files;

static void
files_init (Files *f, const char *text)
{
  f->dir = scratch_dir ("stdlib-append");
  f->input = scratch_path (f->dir, "in.txt");
  f->lines = scratch_path (f->dir, "lines.txt");
  f->csv = scratch_path (f->dir, "rows.csv");
  g_assert_true (g_file_set_contents (f->input, text, -1, NULL));
}

static void
files_clear (Files *f)
{
  scratch_remove (f->dir);
  g_free (f->dir);
  g_free (f->input);
  g_free (f->lines);
  g_free (f->csv);
}

/* Runs the program on @f's files (@lines instead of f->lines if given);
 * checks the --stats balance of both nodes and returns node k's row. */
static StatsRow
run_prog (const Files *f, const char *lines, const char *mode, int want_status, char **err_out)
{
  g_autofree char *in_arg = g_strconcat ("--input=", f->input, NULL);
  g_autofree char *lines_arg = g_strconcat ("--lines=", lines != NULL ? lines : f->lines, NULL);
  g_autofree char *csv_arg = g_strconcat ("--csv=", f->csv, NULL);
  ProgramRun r = program_run ("STDLIB_APPEND",
                              PROGRAM_ARGS (in_arg, lines_arg, csv_arg, mode, "--stats"));
  g_assert_cmpint (r.status, ==, want_status);
  g_autofree char *err = g_steal_pointer (&r.err);
  program_run_clear (&r);
  StatsRow row;
  g_assert_cmpuint (stats_table_check (err, "k", &row), ==, 2);
  g_assert_true (row.found);
  if (err_out != NULL)
    *err_out = g_steal_pointer (&err);
  return row;
}

static char *
read_file (const char *path)
{
  char *got = NULL;
  g_assert_true (g_file_get_contents (path, &got, NULL, NULL));
  return got;
}

static int
compare_strings (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The lines of @text split at @end, sorted, as one string: the same for
 * two texts of the same whole lines in any order. */
static char *
sorted_lines (const char *text, const char *end)
{
  g_auto (GStrv) lines = g_strsplit (text, end, -1);
  guint n = g_strv_length (lines);
  g_assert_cmpstr (lines[n - 1], ==, "");        /* every line ended */
  qsort (lines, n - 1, sizeof (char *), compare_strings);
  return g_strjoinv ("|", lines);
}

/* @path holds exactly @want's lines, in any order. */
static void
assert_same_lines (const char *path, const char *want, const char *end)
{
  g_autofree char *got = read_file (path);
  g_autofree char *got_sorted = sorted_lines (got, end);
  g_autofree char *want_sorted = sorted_lines (want, end);
  g_assert_cmpstr (got_sorted, ==, want_sorted);
}

/* @path is the header, once, then @rows' rows in any order. */
static void
assert_csv (const char *path, const char *rows, gboolean in_order)
{
  g_autofree char *got = read_file (path);
  g_assert_true (g_str_has_prefix (got, want_header));
  const char *body = got + strlen (want_header);
  if (in_order)
    {
      g_assert_cmpstr (body, ==, rows);
      return;
    }
  g_autofree char *got_sorted = sorted_lines (body, "\r\n");
  g_autofree char *want_sorted = sorted_lines (rows, "\r\n");
  g_assert_cmpstr (got_sorted, ==, want_sorted);
}

static gboolean
is_sync (const char *mode)
{
  return strcmp (mode, "--mode=sync") == 0;
}

/* Files that do not exist yet: both created, every line and row written
 * once, the header first. */
static void
test_new_files (gconstpointer mode)
{
  Files f;
  files_init (&f, input_text);
  StatsRow k = run_prog (&f, NULL, mode, 0, NULL);
  g_assert_cmpuint (k.ok, ==, 5);
  if (is_sync (mode))
    assert_file_is (f.lines, want_lines);
  else
    assert_same_lines (f.lines, want_lines, "\n");
  assert_csv (f.csv, want_rows, is_sync (mode));
  files_clear (&f);
}

/* Two runs into the same files, the first into an empty CSV file: the
 * empty file gets the header, the second run adds rows only. */
static void
test_existing_files (gconstpointer mode)
{
  Files f;
  files_init (&f, input_text);
  g_assert_true (g_file_set_contents (f.csv, "", 0, NULL));
  g_assert_true (g_file_set_contents (f.lines, "before\n", -1, NULL));
  for (guint i = 0; i < 2; i++)
    g_assert_cmpuint (run_prog (&f, NULL, mode, 0, NULL).ok, ==, 5);
  g_autofree char *lines = g_strconcat ("before\n", want_lines, want_lines, NULL);
  g_autofree char *rows = g_strconcat (want_rows, want_rows, NULL);
  if (is_sync (mode))
    assert_file_is (f.lines, lines);
  else
    assert_same_lines (f.lines, lines, "\n");
  assert_csv (f.csv, rows, is_sync (mode));
  files_clear (&f);
}

/* Many lines through four tasks at once: every line whole, the header
 * once (append_csv's lock orders the header check and the write). */
static void
test_concurrent (gconstpointer mode)
{
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) rows = g_string_new (NULL);
  for (guint i = 0; i < 400; i++)
    {
      g_autofree char *line = g_strdup_printf ("line %u, %s", i, i % 2 ? "odd" : "even");
      g_string_append_printf (text, "%s\n", line);
      g_string_append_printf (rows, "%ld,\"%s\"\r\n", g_utf8_strlen (line, -1), line);
    }
  Files f;
  files_init (&f, text->str);
  g_assert_cmpuint (run_prog (&f, NULL, mode, 0, NULL).ok, ==, 400);
  assert_same_lines (f.lines, text->str, "\n");
  assert_csv (f.csv, rows->str, is_sync (mode));
  files_clear (&f);
}

/* A lines file in a directory that does not exist: every item fails with
 * the path in the message (skipped), the flow ends there, so the CSV
 * file is never created. */
static void
test_unwritable (gconstpointer mode)
{
  Files f;
  files_init (&f, input_text);
  g_autofree char *bad = g_build_filename (f.dir, "missing", "lines.txt", NULL);
  g_autofree char *err = NULL;
  StatsRow k = run_prog (&f, bad, mode, 0, &err);
  g_assert_cmpuint (k.ok, ==, 0);
  g_assert_cmpuint (k.err, ==, 5);
  g_autofree char *logged = g_strdup_printf ("node 'k' failed, skipped: cannot append to %s: "
                                             "No such file or directory\n", bad);
  g_assert_nonnull (strstr (err, logged));
  g_assert_false (g_file_test (f.csv, G_FILE_TEST_EXISTS));
  files_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  static const ModeTest tests[] = {
    { "new-files", test_new_files },
    { "existing-files", test_existing_files },
    { "concurrent", test_concurrent },
    { "unwritable", test_unwritable },
  };
  mode_tests_add ("/stdlib/append", tests, G_N_ELEMENTS (tests));
  return g_test_run ();
}
