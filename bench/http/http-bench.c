/* http-bench.c — the HTTP benchmark: requests per second of std/http.df's
 * stages against the bundled test server (tests/server/README.md), and
 * of a hand-written libsoup 3 loop (soup-baseline.c) doing the same GETs,
 * in one run:
 *
 *   - bench/http/http.df's `pages`: http_pages over
 *     /breweries?per_page=1 (N + 1 requests, one in flight, until `[]`)
 *     into a counting sink, against the loop asking the same pages one
 *     at a time until `[]`;
 *   - `gets_1` and `gets_8`: a generator of the N queries
 *     "page=I&per_page=1" feeding http_get_json with one and with eight
 *     requests in flight, against the loop with as many in flight.
 *
 * The server must have been started with `--breweries N`.  Each row is
 * the fastest of a few rounds that run every case once; every graph runs
 * in the default async mode.  Besides the wall-clock time, each row gives
 * the CPU time the client (this process, all its threads) spent per
 * request: the server, a process of its own, is not in it.
 * Nothing is only timed: every run must see the N breweries, one per
 * page, and the server's own count of /breweries requests must have
 * grown by exactly the requests the run meant to make.  Prints a
 * Markdown table (bench/http/run-http-bench.py starts the server and
 * puts the table in docs/benchmarks.md).
 *
 *   http-bench --url http://127.0.0.1:PORT/ --breweries N [--runs R]
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "http.h"
#include "soup-baseline.h"

static guint64 pages_counted, items_counted;
static GPtrArray *queries;    /* page_queries ()'s strings, alive for the run */

gboolean
count_page (DfContext *ctx, JsonNode *value, GError **error)
{
  if (!JSON_NODE_HOLDS_ARRAY (value))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a page is not an array");
      return FALSE;
    }
  guint length = json_array_get_length (json_node_get_array (value));
  pages_counted += length > 0;
  items_counted += length;
  return TRUE;
}

gboolean
page_queries (DfContext *ctx, int n, GError **error)
{
  for (guint i = 0; i < (guint) n && i < queries->len; i++)
    page_queries_emit (ctx, queries->pdata[i]);
  return TRUE;
}

typedef enum { DFC_PAGES, SOUP_PAGES, DFC_GETS_1, SOUP_GETS_1, DFC_GETS_8, SOUP_GETS_8 } Kind;

typedef struct {
  const char *stats;    /* URL of the server's /stats */
  const char *target;   /* URL of /breweries */
  guint       n;        /* breweries the server has */
} Server;

/* How many /breweries requests the server has answered so far. */
static gint64
server_requests (const Server *server)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", server->stats);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);
  if (body == NULL)
    g_error ("GET %s: %s", server->stats, error->message);
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  if (!json_parser_load_from_data (parser, data, (gssize) size, &error))
    g_error ("GET %s: %s", server->stats, error->message);
  JsonObject *paths = json_object_get_object_member (json_node_get_object (
                                                       json_parser_get_root (parser)), "paths");
  return json_object_get_int_member_with_default (paths, "/breweries", 0);
}

static gboolean
run_dfc (Kind kind, const Server *server, GError **error)
{
  DfRuntime *rt = df_runtime_new (NULL);
  gboolean ok = FALSE;
  switch (kind)
    {
    case DFC_PAGES:
      ok = pages_run (rt, &(PagesIn) { .url = server->target }, DF_GRAPH_ASYNC, error);
      break;
    case DFC_GETS_1:
      ok = gets_1_run (rt, &(Gets1In) { .url = server->target, .n = (int) server->n },
                       DF_GRAPH_ASYNC, error);
      break;
    case DFC_GETS_8:
      ok = gets_8_run (rt, &(Gets8In) { .url = server->target, .n = (int) server->n },
                       DF_GRAPH_ASYNC, error);
      break;
    default:
      g_assert_not_reached ();
    }
  /* The runtime frees its SoupSession: on this thread, as libsoup wants. */
  df_runtime_unref (rt);
  return ok;
}

static gboolean
run_soup (Kind kind, const Server *server, GError **error)
{
  SoupBaselineCounts counts = { 0 };
  guint in_flight = kind == SOUP_GETS_8 ? 8 : 1;
  guint limit = kind == SOUP_PAGES ? 0 : server->n;
  gboolean ok = soup_baseline_run (server->target, in_flight, limit, &counts, error);
  pages_counted = counts.pages;
  items_counted = counts.items;
  return ok;
}

/* The requests KIND makes: the paging ones ask for the empty page too. */
static guint
requests_of (Kind kind, const Server *server)
{
  return kind == DFC_PAGES || kind == SOUP_PAGES ? server->n + 1 : server->n;
}

/* The CPU time this process has used, every thread's, in seconds. */
static double
cpu_seconds (void)
{
  struct rusage usage;
  getrusage (RUSAGE_SELF, &usage);
  return (double) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
         + (double) (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

typedef struct {
  double seconds;   /* wall-clock time */
  double cpu;       /* the client's CPU time: this process's, not the server's */
} Timing;

/* Runs KIND once and checks what it saw. */
static Timing
run_once (Kind kind, const Server *server)
{
  GError *error = NULL;
  pages_counted = items_counted = 0;
  gint64 before = server_requests (server);
  double cpu = cpu_seconds ();
  gint64 start = g_get_monotonic_time ();
  gboolean ok = kind == DFC_PAGES || kind == DFC_GETS_1 || kind == DFC_GETS_8
                ? run_dfc (kind, server, &error) : run_soup (kind, server, &error);
  Timing took = { (double) (g_get_monotonic_time () - start) / G_TIME_SPAN_SECOND,
                  cpu_seconds () - cpu };
  if (!ok)
    g_error ("%s", error->message);
  gint64 asked = server_requests (server) - before;
  if (pages_counted != server->n || items_counted != server->n)
    g_error ("%u breweries one per page, but %" G_GUINT64_FORMAT " pages and %"
             G_GUINT64_FORMAT " items came", server->n, pages_counted, items_counted);
  if (asked != (gint64) requests_of (kind, server))
    g_error ("the server answered %" G_GINT64_FORMAT " requests, not %u", asked,
             requests_of (kind, server));
  return took;
}

#define KINDS (SOUP_GETS_8 + 1)

/* The fastest of RUNS rounds, each running every kind once: the machine's
 * load comes and goes, and a round that a slow spell hits hits every
 * kind, not the few that happened to run then.  One untimed round first
 * warms the server and the libraries up. */
static void
best_of_rounds (const Server *server, int runs, Timing best[KINDS])
{
  for (int k = 0; k < KINDS; k++)
    {
      run_once ((Kind) k, server);
      best[k] = (Timing) { G_MAXDOUBLE, 0 };
    }
  for (int i = 0; i < runs; i++)
    for (int k = 0; k < KINDS; k++)
      {
        Timing t = run_once ((Kind) k, server);
        if (t.seconds < best[k].seconds)
          best[k] = t;
      }
}

/* A row; the ratio is the time per request against BASE's. */
static void
print_row (const char *what, guint requests, Timing t, const Timing *base, guint base_requests)
{
  double rate = requests / t.seconds;
  double ratio = base != NULL ? (t.seconds / requests) / (base->seconds / base_requests) : 1.0;
  printf ("| %s | %u | %.3f s | %.0f | %.0f µs | %.2fx |\n", what, requests, t.seconds, rate,
          t.cpu / requests * 1e6, ratio);
}

int
main (int argc, char **argv)
{
  g_autofree char *url = NULL;
  int breweries = 0, runs = 3;
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "the test server's URL", "URL" },
    { "breweries", 0, 0, G_OPTION_ARG_INT, &breweries, "the server's --breweries", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "rounds, the fastest of each case kept (3)", "R" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) options = g_option_context_new ("- the HTTP benchmark");
  g_option_context_add_main_entries (options, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("http-bench: %s\n", error->message);
      return 2;
    }
  if (url == NULL || breweries < 1 || runs < 1)
    {
      g_printerr ("usage: http-bench --url http://127.0.0.1:PORT/ --breweries N [--runs R]\n");
      return 2;
    }

  g_autofree char *stats = g_strconcat (url, g_str_has_suffix (url, "/") ? "" : "/", "stats", NULL);
  g_autofree char *target = g_strconcat (url, g_str_has_suffix (url, "/") ? "" : "/", "breweries",
                                         NULL);
  Server server = { stats, target, (guint) breweries };
  queries = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 1; i <= server.n; i++)
    g_ptr_array_add (queries, g_strdup_printf ("page=%u&per_page=1", i));

  guint n = server.n;
  Timing t[KINDS];
  best_of_rounds (&server, runs, t);
  g_ptr_array_unref (queries);

  printf ("Each request asks for one brewery; each row is the fastest of %d rounds, "
          "which run every case once, after one untimed round.\n\n", runs);
  printf ("| what | requests | time | requests/s | client CPU per request "
          "| time per request vs. its baseline |\n");
  printf ("|---|---:|---:|---:|---:|---:|\n");
  print_row ("libsoup by hand: pages until `[]`, 1 in flight", n + 1, t[SOUP_PAGES], NULL, 0);
  print_row ("dfc: `http_pages` -> counting sink", n + 1, t[DFC_PAGES], &t[SOUP_PAGES], n + 1);
  print_row ("libsoup by hand: N GETs, 1 in flight", n, t[SOUP_GETS_1], NULL, 0);
  print_row ("dfc: generator -> `http_get_json` -> counting sink", n, t[DFC_GETS_1],
             &t[SOUP_GETS_1], n);
  print_row ("libsoup by hand: N GETs, 8 in flight", n, t[SOUP_GETS_8], NULL, 0);
  print_row ("dfc: generator -> `http_get_json` `tasks 8` -> counting sink", n, t[DFC_GETS_8],
             &t[SOUP_GETS_8], n);
  return 0;
}
