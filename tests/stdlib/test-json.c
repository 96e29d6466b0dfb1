/* test-json.c — runs json.df's program ($STDLIB_JSON) on the shipped
 * orders.jsonl ($STDLIB_JSON_INPUT): read_lines -> parse_json ->
 * json_path_one -> json_elements (each on error skip), then a user stage
 * of json_path_one and json_text -> write_csv, and json_elements ->
 * write_json_lines, in --mode=sync and --mode=async.  The output files'
 * exact bytes; the line that is not JSON logged with its position and
 * counted as parse's one error, an order without items and one whose
 * items are not an array likewise at their nodes; the --stats balance of
 * every node (in == ok + err + dropped); and --append adding to both
 * files. */
#include <string.h>

#include <gio/gio.h>

#include "mode-tests.h"
#include "program-run.h"
#include "scratch-dir.h"
#include "stats-table.h"

/* orders.jsonl's six lines: an order of two items, a line cut short, an
 * order with an escaped "é" and a quoted note, an order with no items,
 * one whose "items" is an object and one without "items". */
static const char want_csv[] =
  "sku,qty,note\r\n"
  "tea,2,\"green, loose\"\r\n"
  "jam,1.5,\r\n"
  "caf\xc3\xa9,10,\"say \"\"hi\"\"\"\r\n";

static const char want_lines[] =
  "{\"sku\":\"tea\",\"qty\":2,\"note\":\"green, loose\","
  "\"tags\":[\"tab\\there\",{\"organic\":true,\"from\":{}},[],null,0.25,-3]}\n"
  "{\"sku\":\"jam\",\"qty\":1.5,\"note\":null}\n"
  "{\"sku\":\"caf\xc3\xa9\",\"qty\":10,\"note\":\"say \\\"hi\\\"\"}\n";

/* What the program logs for line 2, which ends inside an object, for
 * line 5 and for line 6. */
static const char *const want_logged[] = {
  "stdlib-json: graph 'orders': node 'parse' failed, skipped: invalid JSON: <data>:1:53: ",
  "stdlib-json: graph 'orders': node 'split' failed, skipped: "
  "json_elements: an object is not an array\n",
  "stdlib-json: graph 'orders': node 'items' failed, skipped: "
  "JSONPath $.items matches nothing\n",
};

/* Checks that @err holds @line exactly once. */
static void
assert_logged_once (const char *err, const char *line)
{
  const char *logged = strstr (err, line);
  g_assert_nonnull (logged);
  g_assert_null (strstr (logged + 1, line));
}

typedef struct {
  char *dir;
  char *output;
  char *copy;
} Files;

static void
files_init (Files *f)
{
  f->dir = scratch_dir ("stdlib-json");
  f->output = scratch_path (f->dir, "items.csv");
  f->copy = scratch_path (f->dir, "items.jsonl");
}

static void
files_clear (Files *f)
{
  scratch_remove (f->dir);
  g_free (f->dir);
  g_free (f->output);
  g_free (f->copy);
}

/* The program on the shipped input and @f's files, in @mode, with @extra
 * (an option or NULL). */
static ProgramRun
run_prog (const Files *f, const char *mode, const char *extra)
{
  const char *input = g_getenv ("STDLIB_JSON_INPUT");
  g_assert_nonnull (input);
  g_autofree char *in_arg = g_strconcat ("--input=", input, NULL);
  g_autofree char *out_arg = g_strconcat ("--output=", f->output, NULL);
  g_autofree char *copy_arg = g_strconcat ("--copy=", f->copy, NULL);
  return program_run ("STDLIB_JSON", PROGRAM_ARGS (in_arg, out_arg, copy_arg, mode, "--stats", extra));
}

/* Checks in == ok + err + dropped on every row of the --stats table of
 * @err, that every node of the graph has a row, and returns @node's
 * `ok` and `err` columns. */
static void
check_stats (const char *err, const char *node, guint64 *node_ok, guint64 *node_err)
{
  StatsRow row;
  /* src, parse, items, split, item_row, csv, lines. */
  g_assert_cmpuint (stats_table_check (err, node, &row), ==, 7);
  g_assert_true (row.found);
  *node_ok = row.ok;
  *node_err = row.err;
}

/* Checks one run of the shipped file: exit 0 (a skipped item is not a
 * failed run), each bad line logged once and counted as one error of its
 * node, and the 3 items at both writers. */
static void
check_run (const ProgramRun *r)
{
  g_assert_cmpint (r->status, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (want_logged); i++)
    assert_logged_once (r->err, want_logged[i]);
  guint64 ok = 0, errs = 0;
  check_stats (r->err, "parse", &ok, &errs);
  g_assert_cmpuint (ok, ==, 5);
  g_assert_cmpuint (errs, ==, 1);
  check_stats (r->err, "items", &ok, &errs);
  g_assert_cmpuint (ok, ==, 4);
  g_assert_cmpuint (errs, ==, 1);
  check_stats (r->err, "split", &ok, &errs);
  g_assert_cmpuint (ok, ==, 3);
  g_assert_cmpuint (errs, ==, 1);
  check_stats (r->err, "csv", &ok, &errs);
  g_assert_cmpuint (ok, ==, 3);
  g_assert_cmpuint (errs, ==, 0);
  check_stats (r->err, "lines", &ok, &errs);
  g_assert_cmpuint (ok, ==, 3);
  g_assert_cmpuint (errs, ==, 0);
}

/* The whole file, as CSV rows and JSON lines, byte for byte. */
static void
test_orders (gconstpointer mode)
{
  Files f;
  files_init (&f);
  ProgramRun r = run_prog (&f, mode, NULL);
  check_run (&r);
  assert_file_is (f.output, want_csv);
  assert_file_is (f.copy, want_lines);
  program_run_clear (&r);
  files_clear (&f);
}

/* --append, twice into files that do not exist yet: one CSV header, then
 * the rows of both runs; the JSON lines twice. */
static void
test_append (gconstpointer mode)
{
  Files f;
  files_init (&f);
  for (guint i = 0; i < 2; i++)
    {
      ProgramRun r = run_prog (&f, mode, "--append");
      check_run (&r);
      program_run_clear (&r);
    }
  const char *rows = want_csv + strlen ("sku,qty,note\r\n");
  g_autofree char *csv = g_strconcat (want_csv, rows, NULL);
  g_autofree char *lines = g_strconcat (want_lines, want_lines, NULL);
  assert_file_is (f.output, csv);
  assert_file_is (f.copy, lines);
  files_clear (&f);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  static const ModeTest tests[] = {
    { "orders", test_orders },
    { "append", test_append },
  };
  mode_tests_add ("/stdlib/json", tests, G_N_ELEMENTS (tests));
  return g_test_run ();
}
