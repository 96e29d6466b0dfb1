/* test-cli.c — the command line: modes, flags, exit status, stdin. */
#include <string.h>
#include "dfc-run.h"

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
  return g_test_run ();
}
