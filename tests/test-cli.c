/* test-cli.c — the command line: modes, flags, exit status, stdin,
 * imports (-I, --depfile, #line). */
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dfc-run.h"
#include "program.h"

/* A valid program with one unused output, to exercise warning flags. */
static const char warn_program[] =
  "stage a() -> (x: int, y: int);\n"
  "stage b(x: int);\n"
  "flow f() { a; b; }\n";

typedef struct {
  const char *args[7];
  int status;
  const char *in_stderr;     /* substring expected on stderr, or NULL */
  const char *in_stdout;     /* substring expected on stdout, or NULL */
} CliCase;

static const CliCase cli_cases[] = {
  { { "--version", NULL }, 0, NULL, "dfc " },
  { { "--help", NULL }, 0, NULL, "Usage: dfc" },
  { { "--list-diagnostics", NULL }, 0, NULL, "unused-output" },
  { { NULL }, 2, "no input file", NULL },
  { { "--frobnicate", "-", NULL }, 2, "unknown option '--frobnicate'", NULL },
  { { "--check", "-Wno-such-warning", "-", NULL }, 2, "unknown warning", NULL },
  { { "--dot", "--mermaid", "-", NULL }, 2, "conflicts", NULL },
  { { "-o", NULL }, 2, "needs a value", NULL },
  { { "-I", NULL }, 2, "'-I' needs a value", NULL },
  { { "-o", "x.c", "--check", "-", NULL }, 2, "-o and --check exclude each other", NULL },
  { { "-", NULL }, 2, "generating from standard input needs -o", NULL },
  { { "--prefix", "9x", "-o", "x.c", "-", NULL }, 2, "not a C identifier prefix", NULL },
  { { "a.df", "b.df", NULL }, 2, "more than one input file", NULL },
  { { "/nonexistent/x.df", NULL }, 1, "cannot read '/nonexistent/x.df'", NULL },
  { { "--check", "-", NULL }, 0, "warning: ", NULL },
  { { "--check", "-Wno-unused-output", "-", NULL }, 0, NULL, NULL },
  { { "--check", "-Wall", "-", NULL }, 0, "warning: ", NULL },
  { { "--check", "-Werror", "-", NULL }, 1, "<stdin>:3:", NULL },
  { { "--check", "-Werror", "-Wno-all", "-", NULL }, 0, NULL, NULL },
  { { "--dot", "-", NULL }, 0, "warning: ", "digraph" },
  { { "--mermaid", "-", NULL }, 0, "warning: ", "flowchart" },
  { { "--dot", "-Werror", "-", NULL }, 1, "error: ", NULL },
  { { "--check", "-ferror-limit=x", "-", NULL }, 2, "the error limit is a whole number", NULL },
  { { "--check", "--error-limit=-1", "-", NULL }, 2, "the error limit is a whole number", NULL },
  { { "--check", "-ferror-limit=", "-", NULL }, 2, "the error limit is a whole number", NULL },
  { { "--check", "-ferror-limit=1", "-Werror", "-", NULL }, 1, "1 error generated.", NULL },
  { { "--check", "--error-limit=0", "-", NULL }, 0, "warning: ", NULL },
};

static void
cli_case (gconstpointer data)
{
  const CliCase *c = data;
  gboolean reads_stdin = FALSE;
  for (guint i = 0; c->args[i] != NULL; i++)
    reads_stdin |= strcmp (c->args[i], "-") == 0;

  DfcResult result;
  dfc_run (NULL, c->args, reads_stdin ? warn_program : NULL, strlen (warn_program), &result);
  if (c->in_stderr != NULL)
    g_assert_nonnull (strstr (result.err, c->in_stderr));
  else
    g_assert_cmpstr (result.err, ==, "");
  if (c->in_stdout != NULL)
    g_assert_nonnull (strstr (result.out, c->in_stdout));
  g_assert_cmpint (result.status, ==, c->status);
  dfc_result_clear (&result);
}

/* Same input, same bytes: diagnostics and drawings are deterministic. */
static void
test_deterministic (void)
{
  const char *modes[] = { "--check", "--dot", "--mermaid" };
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      const char *args[] = { modes[m], "-", NULL };
      DfcResult a, b;
      dfc_run (NULL, args, warn_program, strlen (warn_program), &a);
      dfc_run (NULL, args, warn_program, strlen (warn_program), &b);
      g_assert_cmpmem (a.out, a.out_len, b.out, b.out_len);
      g_assert_cmpmem (a.err, a.err_len, b.err, b.err_len);
      dfc_result_clear (&a);
      dfc_result_clear (&b);
    }
}

/* A scratch directory with the files of `files` (path, text, ..., NULL). */
static char *
make_tree (const char *const *files)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("dfc-cli-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; files[i] != NULL; i += 2)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_autofree char *parent = g_path_get_dirname (path);
      g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
      g_assert_true (g_file_set_contents (path, files[i + 1], -1, NULL));
    }
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autofree char *quoted = g_shell_quote (dir);
  g_autofree char *command = g_strconcat ("rm -rf ", quoted, NULL);
  g_assert_true (g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL));
}

static char *
read_in (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* The names in `dir`, sorted, joined by spaces. */
static char *
dir_listing (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  for (const char *name; (name = g_dir_read_name (d)) != NULL;)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, dfc_compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* Two zips into one node: checked as valid, refused by the generator. */
static const char two_zips[] =
  "stage a() emits (x: int);\n"
  "stage b() emits (y: int);\n"
  "stage c(x: int, y: int);\n"
  "graph g() { zip(a, b) -> c; zip(a, b) -> c; }\n";

/* Generated files replace the old ones whole, and a run that cannot
 * generate leaves them as they were; no temporary file stays behind. */
static void
test_output_replaced_whole (void)
{
  const char *const files[] = { "p.df", warn_program, "bad.df", two_zips,
                                "p.c", "old c\n", "p.h", "old h\n", NULL };
  g_autofree char *dir = make_tree (files);
  DfcResult r;

  const char *bad[] = { "bad.df", "-o", "p.c", "--header", "p.h", NULL };
  dfc_run (dir, bad, NULL, 0, &r);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "zip"));
  dfc_result_clear (&r);
  g_autofree char *c = read_in (dir, "p.c"), *h = read_in (dir, "p.h");
  g_assert_cmpstr (c, ==, "old c\n");
  g_assert_cmpstr (h, ==, "old h\n");
  g_autofree char *listing = dir_listing (dir);
  g_assert_cmpstr (listing, ==, "bad.df p.c p.df p.h");

  const char *good[] = { "p.df", "-o", "p.c", NULL };
  dfc_run (dir, good, NULL, 0, &r);
  g_assert_cmpint (r.status, ==, 0);
  dfc_result_clear (&r);
  g_autofree char *new_c = read_in (dir, "p.c"), *new_h = read_in (dir, "p.h");
  g_assert_true (g_str_has_prefix (new_c, "/* Generated by dfc"));
  g_assert_nonnull (strstr (new_h, "gboolean b (DfContext *ctx, int x, GError **error);"));
  g_autofree char *after = dir_listing (dir);
  g_assert_cmpstr (after, ==, "bad.df p.c p.df p.h");
  remove_tree (dir);
}

/* An output that cannot be created is named, and nothing is written. */
static void
test_output_unwritable (void)
{
  const char *const files[] = { "p.df", warn_program, NULL };
  g_autofree char *dir = make_tree (files);
  DfcResult r;
  const char *args[] = { "p.df", "-o", "missing/p.c", NULL };
  dfc_run (dir, args, NULL, 0, &r);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "dfc: error: cannot write 'missing/p.c'"));
  dfc_result_clear (&r);
  g_autofree char *listing = dir_listing (dir);
  g_assert_cmpstr (listing, ==, "p.df");
  remove_tree (dir);
}

/* A program in four files: one next to the importer, two found through
 * -I (the first directory that has a name wins), one imported twice. */
static const char *const import_tree[] = {
  "main.df",
  "%{\n/* main's block */\n%}\n"
  "import \"lib/stages.df\";\n"
  "import \"shared.df\";\n"
  "flow ingest(url: const char *) { fetch => (_ = page); }\n",
  "lib/stages.df",
  "import \"../lib/stages.df\";\n"
  "%{\n/* stages' block */\n%}\n"
  "stage fetch(url: const char *) -> (page: char *);\n",
  "one/shared.df",
  "import \"more.df\";\n",
  "two/shared.df",
  "stage never(x: int);\n",
  "two/more.df",
  "%header{\n/* more's header block */\n%}\n",
  NULL,
};

static void
test_import_depfile (void)
{
  g_autofree char *dir = make_tree (import_tree);
  const char *args[] = { "-I", "one", "-Itwo", "main.df", "-o", "out.c", "--depfile", "out.d", NULL };
  DfcResult result;
  dfc_run (dir, args, NULL, 0, &result);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  dfc_result_clear (&result);

  /* Every file read, each once, in the order read; two/shared.df is not. */
  g_autofree char *dep = read_in (dir, "out.d");
  g_assert_cmpstr (dep, ==, "out.c out.h: main.df lib/stages.df one/shared.df two/more.df\n");

  /* Each block once, an import's before its importer's, and #line names
   * the file each came from. */
  g_autofree char *c_text = read_in (dir, "out.c");
  const char *stages = strstr (c_text, "#line 2 \"lib/stages.df\"\n\n/* stages' block */");
  const char *main_block = strstr (c_text, "#line 1 \"main.df\"\n\n/* main's block */");
  g_assert_nonnull (stages);
  g_assert_nonnull (main_block);
  if (stages == NULL || main_block == NULL)
    return;
  g_assert_true (stages < main_block);
  g_assert_null (strstr (strstr (c_text, "stages' block") + 1, "stages' block"));
  g_autofree char *h_text = read_in (dir, "out.h");
  g_assert_nonnull (strstr (h_text, "#line 1 \"two/more.df\"\n\n/* more's header block */"));
  g_assert_nonnull (strstr (h_text, "#line 5 \"lib/stages.df\"\n"));
  g_assert_null (strstr (h_text, "never"));
  remove_tree (dir);
}

/* The depfile is Make syntax: a space in a path is escaped. */
static void
test_import_depfile_quoting (void)
{
  static const char *const tree[] = {
    "main.df", "import \"my stages/a.df\";\n",
    "my stages/a.df", "stage a(x: int);\n",
    NULL,
  };
  g_autofree char *dir = make_tree (tree);
  const char *args[] = { "main.df", "-o", "out.c", "--depfile", "out.d", NULL };
  DfcResult result;
  dfc_run (dir, args, NULL, 0, &result);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  dfc_result_clear (&result);
  g_autofree char *dep = read_in (dir, "out.d");
  g_assert_cmpstr (dep, ==, "out.c out.h: main.df my\\ stages/a.df\n");
  remove_tree (dir);
}

/* Standard input imports relative to the current directory; without the
 * -I directory the name is found nowhere, which is an error at it. */
static void
test_import_stdin (void)
{
  g_autofree char *dir = make_tree (import_tree);
  static const char program[] = "import \"lib/stages.df\";\nimport \"shared.df\";\n";
  const char *found[] = { "--check", "-Ione", "-I", "two", "-", NULL };
  DfcResult result;
  dfc_run (dir, found, program, strlen (program), &result);
  g_assert_cmpstr (result.err, ==, "");
  g_assert_cmpint (result.status, ==, 0);
  dfc_result_clear (&result);

  const char *missing[] = { "--check", "-", NULL };
  dfc_run (dir, missing, program, strlen (program), &result);
  g_assert_nonnull (strstr (result.err, "<stdin>:2:8: error: cannot import 'shared.df'"));
  g_assert_cmpint (result.status, ==, 1);
  dfc_result_clear (&result);
  remove_tree (dir);
}

/* A compilation given no import search (the fuzz target's) reads no
 * file, not even one named by an absolute path that exists. */
static void
test_import_no_file_access (void)
{
  g_autofree char *existing = g_build_filename (dfc_tests_dir (), "check", "valid", "imports.df", NULL);
  g_autofree char *text = g_strdup_printf ("import \"%s\";\nimport \"x.df\";\n", existing);
  Program *program = program_new ("fuzz.df", text, strlen (text));
  parse_program (program);
  g_assert_cmpuint (program->files->len, ==, 1);
  g_assert_cmpuint (diags_error_count (program->diags), ==, 2);
  char *printed = NULL;
  size_t printed_len = 0;
  FILE *out = open_memstream (&printed, &printed_len);
  diags_print (program->diags, out);
  fclose (out);
  g_assert_nonnull (strstr (printed, "fuzz.df:2:8: error: cannot import 'x.df': this compilation "
                                     "reads no other file [import-not-found]"));
  free (printed);
  program_free (program);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Report every failing golden in one run, not just the first. */
  g_test_set_nonfatal_assertions ();
  for (guint i = 0; i < G_N_ELEMENTS (cli_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/cli/%u-%s", i,
                                               cli_cases[i].args[0] ? cli_cases[i].args[0] : "none");
      g_strdelimit (name + 5, "/", '_');
      g_test_add_data_func (name, &cli_cases[i], cli_case);
    }
  g_test_add_func ("/cli/deterministic", test_deterministic);
  g_test_add_func ("/cli/output/replaced-whole", test_output_replaced_whole);
  g_test_add_func ("/cli/output/unwritable", test_output_unwritable);
  g_test_add_func ("/cli/import/depfile", test_import_depfile);
  g_test_add_func ("/cli/import/depfile-quoting", test_import_depfile_quoting);
  g_test_add_func ("/cli/import/stdin", test_import_stdin);
  g_test_add_func ("/cli/import/no-file-access", test_import_no_file_access);
  return g_test_run ();
}
