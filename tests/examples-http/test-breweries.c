/* test-breweries.c — examples/breweries.df against the test server, in
 * --mode=sync and --mode=async: the CSV holds every brewery of
 * /breweries/all once, in order, quoted as RFC 4180 wants; with the first
 * two asks of every page failing, the pages are asked again and the CSV
 * is the same; a malformed page fails the download, logged, with the rows
 * before it written; a SIGINT in the middle ends it with status 0 and a
 * CSV that is a prefix of the whole, nothing twice.  Every run's --stats
 * table adds up (in == ok + err + dropped) at every node. */
#include "http-e2e.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#define HEADER "id,name,brewery_type,city,state,country,website_url"

static const char *const columns[] = {
  "id", "name", "brewery_type", "city", "state", "country", "website_url", NULL,
};

/* What the CSV should hold: the header, then every brewery's columns,
 * from /breweries/all of a server without faults. */
static GPtrArray *all_records;

static GPtrArray *
want_records (TestServer *server)
{
  g_autoptr (GError) error = NULL;
  guint status = 0;
  g_autoptr (GBytes) body = test_server_get (server, "breweries/all", &status, &error);
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_autoptr (JsonNode) all = json_from_string (text, &error);
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  JsonArray *breweries;

  g_assert_no_error (error);
  breweries = json_node_get_array (all);
  g_ptr_array_add (records, g_strsplit (HEADER, ",", -1));
  for (guint i = 0; i < json_array_get_length (breweries); i++)
    {
      JsonObject *brewery = json_array_get_object_element (breweries, i);
      GStrv record = g_new0 (char *, G_N_ELEMENTS (columns));

      for (guint c = 0; columns[c] != NULL; c++)
        {
          const char *text_of = json_object_get_null_member (brewery, columns[c])
                                ? "" : json_object_get_string_member (brewery, columns[c]);
          record[c] = g_strdup (text_of);
        }
      g_ptr_array_add (records, record);
    }
  return records;
}

/* The CSV's first `n` records are the wanted ones (n counts the header). */
static void
assert_prefix (GPtrArray *got, GPtrArray *want, guint n)
{
  g_assert_cmpuint (got->len, ==, n);
  g_assert_cmpuint (n, <=, want->len);
  for (guint i = 0; i < n; i++)
    g_assert_true (g_strv_equal (got->pdata[i], want->pdata[i]));
}

typedef struct
{
  const char *mode;
  TestServer *server;
  char *dir;
  char *csv;
  char *url_arg;
  char *output_arg;
} Download;

static void
download_init (Download *d, const char *mode, const char *const *server_args)
{
  g_autofree char *url = NULL;

  d->mode = mode;
  d->server = server_start (server_args);
  d->dir = scratch_dir ("examples-http");
  d->csv = scratch_path (d->dir, "breweries.csv");
  url = test_server_url_for (d->server, "breweries");
  d->url_arg = g_strconcat ("--url=", url, NULL);
  d->output_arg = g_strconcat ("--output=", d->csv, NULL);
}

static void
download_clear (Download *d)
{
  server_stop (d->server);
  scratch_remove (d->dir);
  g_free (d->dir);
  g_free (d->csv);
  g_free (d->url_arg);
  g_free (d->output_arg);
}

static GSubprocess *
download_spawn (Download *d, const char *query_arg)
{
  const char *args[] = { d->url_arg, d->output_arg, d->mode, "--stats", query_arg, NULL };

  return program_spawn ("EXAMPLE_BREWERIES", args, NULL, G_SUBPROCESS_FLAGS_NONE);
}

/* The rows written went through every node once; the source emitted
 * `pages` pages. */
static void
assert_counts (const char *err, guint pages, guint rows)
{
  g_assert_cmpuint (stats_table_row (err, "pages").in, ==, 1);
  g_assert_cmpuint (stats_table_row (err, "split").ok, ==, pages);
  g_assert_cmpuint (stats_table_row (err, "row").ok, ==, rows);
  g_assert_cmpuint (stats_table_row (err, "csv").ok, ==, rows);
}

/* Every brewery, once, in order: 3 pages of 50 and the empty 4th. */
static void
test_complete (gconstpointer mode)
{
  Download d;
  download_init (&d, mode, NULL);
  g_autoptr (GSubprocess) process = download_spawn (&d, NULL);
  ProgramRun run = program_finish (process);
  g_autoptr (GPtrArray) got = csv_read (d.csv);

  g_assert_cmpint (run.status, ==, 0);
  assert_prefix (got, all_records, all_records->len);
  assert_counts (run.err, 3, 137);
  g_assert_cmpint (server_count (d.server, "paths", "/breweries"), ==, 4);
  program_run_clear (&run);
  download_clear (&d);
}

/* --fail-first 2: every page is asked three times and written once. */
static void
test_fail_first (gconstpointer mode)
{
  const char *server_args[] = { "--fail-first", "2", NULL };
  Download d;
  download_init (&d, mode, server_args);
  g_autoptr (GSubprocess) process = download_spawn (&d, NULL);
  ProgramRun run = program_finish (process);
  g_autoptr (GPtrArray) got = csv_read (d.csv);

  g_assert_cmpint (run.status, ==, 0);
  assert_prefix (got, all_records, all_records->len);
  assert_counts (run.err, 3, 137);
  for (guint page = 1; page <= 4; page++)
    {
      g_autofree char *query = g_strdup_printf ("/breweries?per_page=50&page=%u", page);

      g_assert_cmpint (server_count (d.server, "queries", query), ==, 3);
    }
  g_assert_cmpint (server_count (d.server, "faults", "fail_first"), ==, 8);
  program_run_clear (&run);
  download_clear (&d);
}

/* --malformed-every 3: the third page is cut short; the source fails at
 * once (a body that is not JSON is not retried), the failure is logged
 * with the URL, the two pages before it are written: exit status 1. */
static void
test_malformed (gconstpointer mode)
{
  const char *server_args[] = { "--malformed-every", "3", NULL };
  Download d;
  download_init (&d, mode, server_args);
  g_autoptr (GSubprocess) process = download_spawn (&d, NULL);
  ProgramRun run = program_finish (process);
  g_autoptr (GPtrArray) got = csv_read (d.csv);

  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "breweries?per_page=50&page=3"));
  assert_prefix (got, all_records, 1 + 100);
  assert_counts (run.err, 2, 100);
  g_assert_cmpuint (stats_table_row (run.err, "pages").err, ==, 1);
  g_assert_cmpint (server_count (d.server, "faults", "malformed"), ==, 1);
  g_assert_cmpint (server_count (d.server, "paths", "/breweries"), ==, 3);
  program_run_clear (&run);
  download_clear (&d);
}

/* 1000 breweries in pages of 5, each answer held back 100 ms (20 s in
 * all): a SIGINT once three pages were asked drains the graph; the pages
 * read are written, whole, and nothing twice. */
static void
test_sigint (gconstpointer mode)
{
  const char *server_args[] = { "--delay-ms", "100", "--breweries", "1000", NULL };
  Download d;
  download_init (&d, mode, server_args);
  g_autoptr (GSubprocess) process = download_spawn (&d, "--query=per_page=5");
  g_autoptr (GPtrArray) want = NULL;
  g_autoptr (GPtrArray) got = NULL;
  ProgramRun run;
  guint rows;

  while (server_count (d.server, "paths", "/breweries") < 3)
    g_usleep (20 * 1000);
  g_subprocess_send_signal (process, SIGINT);
  run = program_finish (process);
  g_assert_cmpint (run.status, ==, 0);
  got = csv_read (d.csv);
  want = want_records (d.server);
  rows = got->len - 1;
  g_assert_cmpuint (rows, >=, 10);
  g_assert_cmpuint (rows, <, 1000);
  g_assert_cmpuint (rows % 5, ==, 0);
  assert_prefix (got, want, got->len);
  assert_counts (run.err, rows / 5, rows);
  program_run_clear (&run);
  download_clear (&d);
}

int
main (int argc, char **argv)
{
  const char *modes[] = { "--mode=sync", "--mode=async" };

  TestServer *server;
  int status;

  g_test_init (&argc, &argv, NULL);
  server = server_start (NULL);
  all_records = want_records (server);
  server_stop (server);
  for (gsize i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      const char *name = modes[i] + strlen ("--mode=");
      g_autofree char *complete = g_strdup_printf ("/breweries/%s/complete", name);
      g_autofree char *fail_first = g_strdup_printf ("/breweries/%s/fail-first", name);
      g_autofree char *malformed = g_strdup_printf ("/breweries/%s/malformed", name);
      g_autofree char *sigint = g_strdup_printf ("/breweries/%s/sigint", name);

      g_test_add_data_func (complete, modes[i], test_complete);
      g_test_add_data_func (fail_first, modes[i], test_fail_first);
      g_test_add_data_func (malformed, modes[i], test_malformed);
      g_test_add_data_func (sigint, modes[i], test_sigint);
    }
  status = g_test_run ();
  g_ptr_array_unref (all_records);
  return status;
}
