/* test-quotes.c — examples/quotes.df, the poller, against the test
 * server: --count rows, each the time and price of one /quote answer in
 * order; each failure (a 500, a body cut short) logged and the poller
 * restarted by its supervisor;
 * three failures in a row end the program with status 1; a SIGINT ends
 * it with status 0 and whole rows. */
#include "http-e2e.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

typedef struct
{
  TestServer *server;
  char *dir;
  char *csv;
  char *url_arg;
  char *output_arg;
} Poller;

static void
poller_init (Poller *p, const char *const *server_args)
{
  g_autofree char *url = NULL;

  p->server = server_start (server_args);
  p->dir = scratch_dir ("examples-http");
  p->csv = scratch_path (p->dir, "quotes.csv");
  url = test_server_url_for (p->server, "quote");
  p->url_arg = g_strconcat ("--url=", url, NULL);
  p->output_arg = g_strconcat ("--output=", p->csv, NULL);
}

static void
poller_clear (Poller *p)
{
  server_stop (p->server);
  scratch_remove (p->dir);
  g_free (p->dir);
  g_free (p->csv);
  g_free (p->url_arg);
  g_free (p->output_arg);
}

static GSubprocess *
poller_spawn (Poller *p, const char *count_arg, const char *extra_arg)
{
  const char *args[] = { p->url_arg, p->output_arg, count_arg, extra_arg, NULL };

  return program_spawn ("EXAMPLE_QUOTES", args, NULL, G_SUBPROCESS_FLAGS_NONE);
}

/* The CSV's header, then one row per answered request, from the numbers
 * in `requests` (tests/server/README.md: the time is the epoch plus n
 * seconds, the price 100 + (7n mod 50) + (n mod 4) / 4). */
static void
assert_rows (const char *csv, const guint *requests, guint n)
{
  g_autoptr (GPtrArray) records = csv_read (csv);

  g_assert_cmpuint (records->len, ==, n + 1);
  g_assert_cmpstrv (records->pdata[0], ((const char *[]) { "time", "price", NULL }));
  for (guint i = 0; i < n; i++)
    {
      char **row = records->pdata[i + 1];
      g_autofree char *stamp = g_strdup_printf ("2026-01-01T00:00:%02uZ", requests[i]);

      g_assert_cmpuint (g_strv_length (row), ==, 2);
      g_assert_cmpstr (row[0], ==, stamp);
      g_assert_cmpfloat (g_ascii_strtod (row[1], NULL), ==,
                         100 + (requests[i] * 7 % 50) + (requests[i] % 4) / 4.0);
    }
}

/* --count=5: five requests, five rows, status 0. */
static void
test_count (void)
{
  static const guint requests[] = { 1, 2, 3, 4, 5 };
  Poller p;
  poller_init (&p, NULL);
  g_autoptr (GSubprocess) process = poller_spawn (&p, "--count=5", NULL);
  ProgramRun run = program_finish (process);

  g_assert_cmpint (run.status, ==, 0);
  assert_rows (p.csv, requests, G_N_ELEMENTS (requests));
  g_assert_cmpint (server_count (p.server, "paths", "/quote"), ==, 5);
  program_run_clear (&run);
  poller_clear (&p);
}

/* --fail-every 2: every other request fails, never three in a row; each
 * failure is logged and skipped, and the rows are those of requests 1, 3,
 * 5 and 7. */
static void
test_skipped (void)
{
  static const guint requests[] = { 1, 3, 5, 7 };
  const char *server_args[] = { "--fail-every", "2", NULL };
  Poller p;
  poller_init (&p, server_args);
  g_autoptr (GSubprocess) process = poller_spawn (&p, "--count=4", NULL);
  ProgramRun run = program_finish (process);

  g_assert_cmpint (run.status, ==, 0);
  assert_rows (p.csv, requests, G_N_ELEMENTS (requests));
  g_assert_cmpint (server_count (p.server, "paths", "/quote"), ==, 7);
  g_assert_cmpint (server_count (p.server, "faults", "fail_every"), ==, 3);
  g_assert_nonnull (strstr (run.err, "HTTP 500 Internal Server Error; restart 3 in"));
  g_assert_null (strstr (run.err, "2 of 3 failures in a row"));
  program_run_clear (&run);
  poller_clear (&p);
}

/* --malformed-every 2: every other answer is cut short; the parse
 * failure is logged with the URL, skipped, and the poller goes on. */
static void
test_malformed (void)
{
  static const guint requests[] = { 1, 3, 5 };
  const char *server_args[] = { "--malformed-every", "2", NULL };
  Poller p;
  poller_init (&p, server_args);
  g_autoptr (GSubprocess) process = poller_spawn (&p, "--count=3", NULL);
  ProgramRun run = program_finish (process);

  g_assert_cmpint (run.status, ==, 0);
  assert_rows (p.csv, requests, G_N_ELEMENTS (requests));
  g_assert_cmpint (server_count (p.server, "faults", "malformed"), ==, 2);
  g_assert_nonnull (strstr (run.err, "quote?symbol=ACME: invalid JSON"));
  program_run_clear (&run);
  poller_clear (&p);
}

/* --fail-every 1: every request fails.  The supervisor starts the poller
 * again after the first and the second failure; the third in a row ends
 * the program: status 1, three requests, no row. */
static void
test_threshold (void)
{
  const char *server_args[] = { "--fail-every", "1", NULL };
  Poller p;
  poller_init (&p, server_args);
  g_autoptr (GSubprocess) process = poller_spawn (&p, "--count=5", NULL);
  ProgramRun run = program_finish (process);

  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "; restart 1 in 100ms (1 of 3 failures in a row)\n"));
  g_assert_nonnull (strstr (run.err, "; restart 2 in 200ms (2 of 3 failures in a row)\n"));
  g_assert_nonnull (strstr (run.err, "; giving up after 3 failures in a row\n"));
  g_assert_cmpint (server_count (p.server, "paths", "/quote"), ==, 3);
  g_assert_false (g_file_test (p.csv, G_FILE_TEST_EXISTS));
  program_run_clear (&run);
  poller_clear (&p);
}

/* --interval paces the rounds (every interval): a span that is not
 * positive is a bad command line, refused before any request. */
static void
test_interval (void)
{
  Poller p;
  poller_init (&p, NULL);
  g_autoptr (GSubprocess) fast = poller_spawn (&p, "--count=2", "--interval=1ms");
  ProgramRun run = program_finish (fast);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (server_count (p.server, "paths", "/quote"), ==, 2);
  program_run_clear (&run);

  g_autoptr (GSubprocess) zero = poller_spawn (&p, "--count=1", "--interval=0s");
  run = program_finish (zero);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--interval must be a positive duration"));
  g_assert_cmpint (server_count (p.server, "paths", "/quote"), ==, 2);
  program_run_clear (&run);
  poller_clear (&p);
}

/* Answers held back 50 ms, no --count: a SIGINT after three requests
 * ends the program with status 0; the rows written are whole, in order,
 * one per answered request at most. */
static void
test_sigint (void)
{
  const char *server_args[] = { "--delay-ms", "50", NULL };
  Poller p;
  poller_init (&p, server_args);
  g_autoptr (GSubprocess) process = poller_spawn (&p, "--count=1000000", NULL);
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GArray) requests = g_array_new (FALSE, FALSE, sizeof (guint));
  ProgramRun run;

  while (server_count (p.server, "paths", "/quote") < 3)
    g_usleep (20 * 1000);
  g_subprocess_send_signal (process, SIGINT);
  run = program_finish (process);
  g_assert_cmpint (run.status, ==, 0);
  records = csv_read (p.csv);
  g_assert_cmpuint (records->len - 1, >=, 2);
  g_assert_cmpuint (records->len - 1, <=, server_count (p.server, "paths", "/quote"));
  for (guint n = 1; n < records->len; n++)
    g_array_append_val (requests, n);
  assert_rows (p.csv, (const guint *) requests->data, requests->len);
  program_run_clear (&run);
  poller_clear (&p);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quotes/count", test_count);
  g_test_add_func ("/quotes/skipped", test_skipped);
  g_test_add_func ("/quotes/malformed", test_malformed);
  g_test_add_func ("/quotes/threshold", test_threshold);
  g_test_add_func ("/quotes/sigint", test_sigint);
  g_test_add_func ("/quotes/interval", test_interval);
  return g_test_run ();
}
