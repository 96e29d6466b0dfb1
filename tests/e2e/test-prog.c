/* test-prog.c — runs the standalone program generated from prog.df ($E2E_PROG):
 * typed options, --help, usage errors (exit 2), outputs as name=value,
 * a failed run (exit 1), a supervised run restarted until it succeeds or
 * gives up. */
#include <string.h>

#include <gio/gio.h>

#include "program-run.h"

/* Runs $E2E_PROG with the arguments given. */
#define RUN(...) program_run ("E2E_PROG", PROGRAM_ARGS (__VA_ARGS__))

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* stdout's lines, sorted (the runs end in any order). */
static char *
sorted_lines (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);
  if (n > 0 && lines[n - 1][0] == '\0')
    {
      g_free (lines[n - 1]);
      lines[--n] = NULL;
    }
  g_autoptr (GPtrArray) sorted = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (sorted, lines[i]);
  g_ptr_array_sort (sorted, compare_strings);
  g_ptr_array_add (sorted, NULL);
  return g_strjoinv ("\n", (char **) sorted->pdata);
}

#define GOOD "--name=World", "--times=2", "--ratio=0.5", "--small=7", "--code=0", "--tries=3"
#define ALL GOOD, "--loud"

static void
test_help (void)
{
  ProgramRun r = RUN ("--help");
  g_assert_cmpint (r.status, ==, 0);
  for (const char *const *o = (const char *const[]) { "--name", "--times", "--[no-]loud", "--ratio", "--small",
                                                      "--code", "--tries", "--stats", NULL };
       *o != NULL; o++)
    if (strstr (r.out, *o) == NULL)
      g_test_fail_printf ("--help does not list %s:\n%s", *o, r.out);
  g_assert_null (strstr (r.out, "--wait"));   /* bound in the run */
  program_run_clear (&r);
}

static void
test_outputs (void)
{
  ProgramRun r = RUN (GOOD, "--loud");
  g_assert_cmpstr (r.err, ==, "flaky: attempt 1\nflaky: run failed: attempt 1 of 3; restart 1 in 1ms\n"
                              "flaky: attempt 2\nflaky: run failed: attempt 2 of 3; restart 2 in 2ms\n"
                              "flaky: attempt 3\n");
  g_assert_cmpint (r.status, ==, 0);
  g_autofree char *lines = sorted_lines (r.out);
  g_assert_cmpstr (lines, ==,
                   "attempts=3\n"
                   "code_ok=1\n"
                   "count=2\n"
                   "greeting=HELLO HELLO World\n"
                   "half=0.25\n"
                   "id=7000\n"
                   "loud_out=true\n"
                   "waited=250000");
  program_run_clear (&r);

  r = RUN (GOOD, "--no-loud");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "greeting=hello hello World\n"));
  g_assert_nonnull (strstr (r.out, "loud_out=false\n"));
  program_run_clear (&r);

  r = RUN ("--name", "x y", "--times=0", "--loud=false", "--ratio=-3", "--small=255", "--code=0", "--tries=1");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "greeting= x y\n"));
  g_assert_nonnull (strstr (r.out, "half=-1.5\n"));
  g_assert_nonnull (strstr (r.out, "id=255000\n"));
  program_run_clear (&r);
}

static void
test_failures (void)
{
  /* a failed run: exit 1, its error on stderr */
  ProgramRun r = RUN ("--name=World", "--times=2", "--ratio=0.5", "--small=7", "--code=5", "--tries=3", "--loud");
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "checked: code 5 is not 0\n"));
  g_assert_nonnull (strstr (r.out, "greeting=HELLO HELLO World\n"));   /* the others ran */
  g_assert_null (strstr (r.out, "code_ok="));
  program_run_clear (&r);

  /* the supervisor gives up after `max 4` restarts */
  r = RUN ("--name=World", "--times=2", "--ratio=0.5", "--small=7", "--code=0", "--tries=10", "--loud");
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "flaky: attempt 5\n"));
  g_assert_null (strstr (r.err, "flaky: attempt 6\n"));
  g_assert_null (strstr (r.out, "attempts="));
  program_run_clear (&r);
}

static void
test_usage (void)
{
  /* The bad option first: parsing stops at the first mistake, before
   * the same option in ALL would be a repeat. */
  static const char *const bad[][2] = {
    { "--small=256", "invalid value '256' for --small: expected an integer from 0 to 255" },   /* guint8 */
    { "--small=-1", "invalid value '-1' for --small" },
    { "--times=5000000000", "invalid value '5000000000' for --times: expected an integer from -2147483648" },
    { "--times=abc", "invalid value 'abc' for --times" },
    { "--ratio=x", "invalid value 'x' for --ratio" },
    { "--loud=maybe", "invalid value 'maybe' for --loud" },
    { "--bogus=1", "unknown option '--bogus'" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      ProgramRun r = RUN (bad[i][0], ALL);
      if (r.status != 2 || !g_str_has_prefix (r.err, "e2e-prog: ") || strstr (r.err, bad[i][1]) == NULL)
        {
          g_strdelimit (r.err, "\n", '|');
          g_test_fail_printf ("%s: exit %d, stderr: %s", bad[i][0], r.status, r.err);
        }
      g_assert_cmpstr (r.out, ==, "");
      program_run_clear (&r);
    }
  ProgramRun r = RUN ("--times=2");   /* required options missing: all named at once */
  g_assert_cmpint (r.status, ==, 2);
  g_assert_cmpstr (r.err, ==, "e2e-prog: missing options: --name, --loud, --ratio, --small, --code, --tries\n"
                              "Try 'e2e-prog --help' for more information.\n");
  program_run_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_set_nonfatal_assertions ();
  g_test_add_func ("/prog/help", test_help);
  g_test_add_func ("/prog/outputs", test_outputs);
  g_test_add_func ("/prog/failures", test_failures);
  g_test_add_func ("/prog/usage", test_usage);
  return g_test_run ();
}
