/* test-pathological.c — inputs that once made dfc slow or hungry are
 * diagnosed (or accepted) as they should be.
 *
 * Each input comes from bench/gen-pathological.py, the generator that
 * bench/check-bench.py --pathological times; here nothing is timed.  A
 * regression to quadratic behaviour shows as the test's time-out (100,000
 * chained aliases took four minutes), a wrong answer as a failed assertion.
 */
#include <glib/gstdio.h>
#include <string.h>
#include "dfc-run.h"

/* Writes `gen-pathological.py kind n` to a file in `dir`; returns its path. */
static char *
generate (const char *dir, const char *kind, guint n)
{
  g_autofree char *script = g_build_filename (dfc_tests_dir (), "..", "bench", "gen-pathological.py", NULL);
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *argv[] = { g_getenv ("DFC_PYTHON"), script, kind, count, NULL };
  g_autofree char *out = NULL;
  gsize len = 0;
  int status = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  len = strlen (out);
  g_autofree char *name = g_strdup_printf ("%s-%u.df", kind, n);
  char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, out, (gssize) len, NULL));
  return path;
}

/* `dfc --check [flag] FILE` on a generated input. */
static void
check_generated (const char *kind, guint n, const char *flag, DfcResult *r)
{
  g_autofree char *dir = g_dir_make_tmp ("dfc-patho-XXXXXX", NULL);
  g_assert_nonnull (dir);
  g_autofree char *path = generate (dir, kind, n);
  const char *args[] = { "--check", flag != NULL ? flag : path, flag != NULL ? path : NULL, NULL };
  dfc_run (NULL, args, NULL, 0, r);
  g_remove (path);
  g_rmdir (dir);
}

static guint
count (const char *text, const char *needle)
{
  guint n = 0;
  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* 10,000 errors: 20 are shown, then the stop; the summary counts all. */
static void
test_error_limit (void)
{
  DfcResult r;
  check_generated ("errors", 10000, NULL, &r);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpuint (count (r.err, ": error: unknown stage"), ==, 20);
  g_assert_nonnull (strstr (r.err, "error: too many errors emitted, stopping now [-ferror-limit=20]\n"));
  g_assert_true (g_str_has_suffix (r.err, "10000 errors generated.\n"));
  dfc_result_clear (&r);

  check_generated ("errors", 10000, "-ferror-limit=3", &r);
  g_assert_cmpuint (count (r.err, ": error: unknown stage"), ==, 3);
  g_assert_nonnull (strstr (r.err, "[-ferror-limit=3]"));
  dfc_result_clear (&r);

  check_generated ("errors", 10000, "--error-limit=0", &r);
  g_assert_cmpuint (count (r.err, ": error: unknown stage"), ==, 10000);
  g_assert_null (strstr (r.err, "too many errors"));
  dfc_result_clear (&r);
}

/* A megabyte-long line is echoed as a window around the caret; the
 * control bytes on it are escaped, never copied to the terminal. */
static void
test_long_line (void)
{
  DfcResult r;
  check_generated ("long-line", 1000000, NULL, &r);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "error: unknown stage 'nope' [unknown-callee]"));
  g_assert_cmpuint (r.err_len, <, 1000);
  g_assert_nonnull (strstr (r.err, "    2 | ...s; s;"));
  g_assert_nonnull (strstr (r.err, "/* \\x01\\x1B[31m */ nope; s; }\n"));
  g_assert_null (memchr (r.err, '\x1b', r.err_len));
  g_assert_null (memchr (r.err, '\x01', r.err_len));
  /* The caret sits under 'nope' in the echoed window. */
  const char *echo = strstr (r.err, "    2 | ");
  const char *caret_line = strchr (echo, '\n') + 1;
  gsize nope_col = (gsize) (strstr (echo, " nope;") + 1 - echo);
  g_assert_cmpint (caret_line[nope_col], ==, '^');
  dfc_result_clear (&r);
}

/* A 30,000-character name still gets its "did you mean". */
static void
test_long_name (void)
{
  DfcResult r;
  check_generated ("long-name", 30000, NULL, &r);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpuint (count (r.err, "did you mean 'aaa"), ==, 1);
  g_assert_nonnull (strstr (r.err, "1 error generated.\n"));
  dfc_result_clear (&r);
}

/* Accepted without a word. */
static void
assert_accepted (const char *kind, guint n)
{
  DfcResult r;
  check_generated (kind, n, NULL, &r);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  dfc_result_clear (&r);
}

static void
test_alias_chain (void)
{
  assert_accepted ("aliases", 100000);
}

static void
test_wide_par (void)
{
  assert_accepted ("par", 20000);
}

static void
test_many_statements (void)
{
  assert_accepted ("statements", 100000);
}

/* 20,000 missing inputs, each explained: 20 shown, all counted. */
static void
test_missing_inputs (void)
{
  DfcResult r;
  check_generated ("missing", 20000, NULL, &r);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpuint (count (r.err, "[missing-input]"), ==, 20);
  g_assert_nonnull (strstr (r.err, "20000 errors and 1 warning generated.\n"));
  dfc_result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("DFC_PYTHON") == NULL)
    {
      g_test_skip ("no python3 to run bench/gen-pathological.py");
      return g_test_run ();
    }
  g_test_add_func ("/pathological/error-limit", test_error_limit);
  g_test_add_func ("/pathological/long-line", test_long_line);
  g_test_add_func ("/pathological/long-name", test_long_name);
  g_test_add_func ("/pathological/alias-chain", test_alias_chain);
  g_test_add_func ("/pathological/wide-par", test_wide_par);
  g_test_add_func ("/pathological/missing-inputs", test_missing_inputs);
  g_test_add_func ("/pathological/many-statements", test_many_statements);
  return g_test_run ();
}
