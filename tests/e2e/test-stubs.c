/* test-stubs.c — a program whose stages are the skeleton `dfc --stubs`
 * wrote ($E2E_STUBS, built from stubs.df and stubs-stages.c as written):
 * each run fails with its stage's "not implemented yet", and the program
 * exits 1. */
#include <string.h>

#include <gio/gio.h>

static void
test_stubs_fail_clearly (void)
{
  const char *argv[] = { g_getenv ("E2E_STUBS"), NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                    | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  g_autofree char *output = NULL;
  g_subprocess_communicate_utf8 (proc, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
  g_assert_nonnull (strstr (output, "ingest: stage 'fetch' is not implemented yet"));
  g_assert_nonnull (strstr (output, "stage 'lines' is not implemented yet"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stubs/fail-clearly", test_stubs_fail_clearly);
  return g_test_run ();
}
