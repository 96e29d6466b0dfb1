/* test-files.c — runs files.df's program ($STDLIB_FILES): std/files.df's
 * read_lines -> a user stage -> write_csv, and read_lines -> write_lines,
 * in --mode=sync and --mode=async.  The output files' exact bytes, the
 * --stats balance of every node (in == ok + err + dropped), a missing
 * input and invalid UTF-8 as logged failures with exit status 1, --append
 * keeping one header, and a
 * SIGINT while reading standard input as a clean end of input. */
#include <signal.h>
#include <string.h>

#include <gio/gio.h>

#include "mode-tests.h"
#include "program-run.h"
#include "scratch-dir.h"
#include "stats-table.h"

/* Lines that the CSV must quote, a CRLF line end, UTF-8, an empty line,
 * and a last line without a line end. */
static const char input_text[] =
  "plain\n"
  "say \"hi\", then go\r\n"
  "caf\xc3\xa9\n"
  "\n"
  "last without newline";

static const char want_csv[] =
  "chars,text\r\n"
  "5,plain\r\n"
  "17,\"say \"\"hi\"\", then go\"\r\n"
  "4,caf\xc3\xa9\r\n"
  "0,\r\n"
  "20,last without newline\r\n";

static const char want_copy[] =
  "plain\n"
  "say \"hi\", then go\n"
  "caf\xc3\xa9\n"
  "\n"
  "last without newline\n";

typedef struct {
  char *dir;
  char *input;
  char *output;
  char *copy;
} Files;

static void
files_init (Files *f, const char *text)
{
  f->dir = scratch_dir ("stdlib-files");
  f->input = scratch_path (f->dir, "in.txt");
  f->output = scratch_path (f->dir, "out.csv");
  f->copy = scratch_path (f->dir, "copy.txt");
  if (text != NULL)
    g_assert_true (g_file_set_contents (f->input, text, -1, NULL));
}

static void
files_clear (Files *f)
{
  scratch_remove (f->dir);
  g_free (f->dir);
  g_free (f->input);
  g_free (f->output);
  g_free (f->copy);
}

/* The program on @f's files, reading @input, in @mode, with @extra (an
 * option or NULL) and @flags (a stdin pipe or none). */
static GSubprocess *
spawn_with (const Files *f, const char *input, const char *mode, const char *extra,
            GSubprocessFlags flags)
{
  g_autofree char *in_arg = g_strconcat ("--input=", input, NULL);
  g_autofree char *out_arg = g_strconcat ("--output=", f->output, NULL);
  g_autofree char *copy_arg = g_strconcat ("--copy=", f->copy, NULL);
  return program_spawn ("STDLIB_FILES",
                        PROGRAM_ARGS (in_arg, out_arg, copy_arg, mode, "--stats", extra),
                        NULL, flags);
}

static GSubprocess *
spawn (const Files *f, const char *input, const char *mode, GSubprocessFlags flags)
{
  return spawn_with (f, input, mode, NULL, flags);
}

static ProgramRun
run_prog (const Files *f, const char *input, const char *mode)
{
  g_autoptr (GSubprocess) proc = spawn (f, input, mode, G_SUBPROCESS_FLAGS_NONE);
  return program_finish (proc);
}

/* Checks the --stats table of @err (every one of the 4 nodes has a row)
 * and returns the `ok` column of @node. */
static guint64
check_stats (const char *err, const char *node)
{
  StatsRow row;
  g_assert_cmpuint (stats_table_check (err, node, &row), ==, 4);
  g_assert_true (row.found);
  return row.ok;
}

/* The whole file, as CSV rows and copied lines, byte for byte. */
static void
test_convert (gconstpointer mode)
{
  Files f;
  files_init (&f, input_text);
  ProgramRun r = run_prog (&f, f.input, mode);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (check_stats (r.err, "csv"), ==, 5);
  assert_file_is (f.output, want_csv);
  assert_file_is (f.copy, want_copy);
  program_run_clear (&r);
  files_clear (&f);
}

/* --append, twice into files that do not exist yet: the header once, at
 * the top, then every row of both runs; the lines twice. */
static void
test_append (gconstpointer mode)
{
  Files f;
  files_init (&f, input_text);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GSubprocess) proc = spawn_with (&f, f.input, mode, "--append",
                                                 G_SUBPROCESS_FLAGS_NONE);
      ProgramRun r = program_finish (proc);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpuint (check_stats (r.err, "csv"), ==, 5);
      program_run_clear (&r);
    }
  const char *rows = want_csv + strlen ("chars,text\r\n");
  g_autofree char *csv = g_strconcat (want_csv, rows, NULL);
  g_autofree char *copy = g_strconcat (want_copy, want_copy, NULL);
  assert_file_is (f.output, csv);
  assert_file_is (f.copy, copy);
  files_clear (&f);
}

/* A missing input: the reader's failure is logged with the path and the
 * run exits 1; no item reached a writer, so neither opened its file. */
static void
test_missing_input (gconstpointer mode)
{
  Files f;
  files_init (&f, NULL);
  ProgramRun r = run_prog (&f, f.input, mode);
  g_assert_cmpint (r.status, ==, 1);
  g_autofree char *logged = g_strdup_printf ("stdlib-files: graph 'convert': node 'src' failed, skipped: "
                                             "Error opening file %s: No such file or directory\n",
                                             f.input);
  g_assert_nonnull (strstr (r.err, logged));
  g_assert_cmpuint (check_stats (r.err, "csv"), ==, 0);
  g_assert_false (g_file_test (f.output, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (f.copy, G_FILE_TEST_EXISTS));
  program_run_clear (&r);
  files_clear (&f);
}

/* Invalid UTF-8 on line 2: the error names the path and the line; the
 * line before it is written, the run exits 1. */
static void
test_invalid_utf8 (gconstpointer mode)
{
  Files f;
  files_init (&f, "good\nbad \xff byte\nnever read\n");
  ProgramRun r = run_prog (&f, f.input, mode);
  g_assert_cmpint (r.status, ==, 1);
  g_autofree char *logged = g_strdup_printf ("stdlib-files: graph 'convert': node 'src' failed, skipped: "
                                             "%s:2: ", f.input);
  g_assert_nonnull (strstr (r.err, logged));
  g_assert_cmpuint (check_stats (r.err, "csv"), ==, 1);
  assert_file_is (f.output, "chars,text\r\n4,good\r\n");
  assert_file_is (f.copy, "good\n");
  program_run_clear (&r);
  files_clear (&f);
}

/* Standard input that stays open: a SIGINT drains the graph, which
 * cancels the blocked read — the end of the input, not a failure — so the
 * run exits 0 and both files hold every line that was read, complete. */
static void
test_drain_stdin (gconstpointer mode)
{
  Files f;
  files_init (&f, NULL);
  g_autoptr (GSubprocess) proc = spawn (&f, "-", mode, G_SUBPROCESS_FLAGS_STDIN_PIPE);
  GOutputStream *in = g_subprocess_get_stdin_pipe (proc);
  g_assert_true (g_output_stream_write_all (in, "one\ntwo, three\n", 15, NULL, NULL, NULL));
  g_assert_true (g_output_stream_flush (in, NULL, NULL));
  /* Both lines have gone through once the program says so (it prints a
   * line per item); the pipe stays open, so the reader then waits for
   * more, and the signal finds it blocked. */
  g_autoptr (GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  for (guint seen = 0; seen < 2; seen++)
    {
      g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, NULL);
      g_assert_nonnull (line);
      g_assert_true (g_str_has_prefix (line, "measured "));
    }
  /* The drain must cancel the read: program_interrupt waits for the end
   * before it closes standard input. */
  ProgramRun r = program_interrupt (proc, SIGINT);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (check_stats (r.err, "csv"), ==, 2);
  assert_file_is (f.output, "chars,text\r\n3,one\r\n10,\"two, three\"\r\n");
  assert_file_is (f.copy, "one\ntwo, three\n");
  program_run_clear (&r);
  files_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  static const ModeTest tests[] = {
    { "convert", test_convert },
    { "append", test_append },
    { "missing-input", test_missing_input },
    { "invalid-utf8", test_invalid_utf8 },
    { "drain-stdin", test_drain_stdin },
  };
  mode_tests_add ("/stdlib/files", tests, G_N_ELEMENTS (tests));
  return g_test_run ();
}
