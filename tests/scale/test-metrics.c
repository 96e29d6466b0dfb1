/* test-metrics.c — the metrics endpoint (dfscale-metrics.h) of a graph run
 * to its end, fetched over HTTP on the test's own loop: the Prometheus
 * lines and the JSON carry the figures df_graph_get_node_stats gives,
 * label values are escaped, the output is the same twice, unknown paths
 * and methods are refused, and bad or busy addresses are errors.  No
 * Redis: the graph has no remote node. */
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dfscale-metrics.h"
#include "tally-items.h"

#define N 1000
/* `count` fails on every multiple of this: err is not all zeros. */
#define FAIL_EVERY 7

static gboolean
count_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  if (((IntItem *) items)->v % FAIL_EVERY == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "a multiple");
      return FALSE;
    }
  return TRUE;
}

static const DfGraphNodeDesc nodes[] = {
  { .name = "src", .kind = DF_NODE_SYNC, .run = tally_src_run, .start = tally_src_start,
    .item_size = sizeof (IntItem), .emit_size = sizeof (IntItem) },
  { .name = "count", .kind = DF_NODE_SYNC, .run = count_run, .item_size = sizeof (IntItem),
    .queue = 100, .on_error = DF_ON_ERROR_SKIP },
};
static const DfGraphEdgeDesc edges[] = { { .from = 0, .to = 1 } };
static const DfGraphDesc desc = { "tally", nodes, 2, edges, 1, sizeof (CountIn), FALSE };

/* Names that need escaping in a label value; never run. */
#define ODD_GRAPH "odd \"one\"\\\n"
#define ODD_GRAPH_LABEL "odd \\\"one\\\"\\\\\\n"
static const DfGraphNodeDesc odd_nodes[] = {
  { .name = "say \"hi\"", .kind = DF_NODE_SYNC, .run = tally_src_run, .start = tally_src_start,
    .item_size = sizeof (IntItem) },
};
static const DfGraphDesc odd_desc = { ODD_GRAPH, odd_nodes, 1, NULL, 0, sizeof (CountIn), FALSE };

/* The families in the order served, with the figure each one carries. */
typedef struct {
  const char *family;
  const char *type;
  const char *member;
  gsize       offset;
} Family;

#define FAMILY(family, type, field) \
  { family, type, #field, G_STRUCT_OFFSET (DfGraphNodeStats, field) }

static const Family families[] = {
  FAMILY ("dfc_node_in_total", "counter", in),
  FAMILY ("dfc_node_out_total", "counter", out),
  FAMILY ("dfc_node_ok_total", "counter", ok),
  FAMILY ("dfc_node_err_total", "counter", err),
  FAMILY ("dfc_node_dropped_total", "counter", dropped),
  FAMILY ("dfc_node_redelivered_total", "counter", redelivered),
  FAMILY ("dfc_node_retries_total", "counter", retries),
  FAMILY ("dfc_node_queued", "gauge", queued),
  FAMILY ("dfc_node_queue_max", "gauge", queue_max),
  FAMILY ("dfc_node_in_flight", "gauge", in_flight),
};

static gint64
family_get (const Family *f, const DfGraphNodeStats *s)
{
  return G_STRUCT_MEMBER (gint64, s, f->offset);
}

/* ---------------------------------------------------------------- HTTP */

typedef struct {
  guint  status;
  char  *type;     /* Content-Type, or NULL */
  char  *allow;    /* Allow, or NULL */
  char  *body;
} Response;

static void
response_clear (Response *r)
{
  g_free (r->type);
  g_free (r->allow);
  g_free (r->body);
}

typedef struct {
  GBytes  *body;
  GError  *error;
  gboolean done;
} Fetch;

static void
on_read (GObject *source, GAsyncResult *result, gpointer data)
{
  Fetch *f = data;
  f->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &f->error);
  f->done = TRUE;
}

/* @method @path of the server on @port.  The server runs on this loop too,
 * so the request is asynchronous and the loop turns until it is answered. */
static Response
fetch (SoupSession *session, const char *method, guint16 port, const char *path)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", port, path);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  Fetch f = { .done = FALSE };
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_read, &f);
  while (!f.done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_no_error (f.error);

  SoupMessageHeaders *h = soup_message_get_response_headers (msg);
  gsize size;
  const char *data = g_bytes_get_data (f.body, &size);
  Response r = {
    .status = soup_message_get_status (msg),
    .type = g_strdup (soup_message_headers_get_one (h, "Content-Type")),
    .allow = g_strdup (soup_message_headers_get_one (h, "Allow")),
    .body = g_strndup (data ? data : "", size),  /* an empty body has no data */
  };
  g_bytes_unref (f.body);
  return r;
}

/* ------------------------------------------------------------- fixture */

typedef struct {
  DfRuntime      *rt;
  DfGraph        *tally;
  DfGraph        *odd;
  DfScaleMetrics *metrics;
  SoupSession    *session;
} Fixture;

static void
fixture_init (Fixture *f)
{
  CountIn in = { N };
  g_autoptr (GError) error = NULL;

  f->rt = df_runtime_new (NULL);
  f->tally = df_graph_new (f->rt, &desc, &in, &error);
  g_assert_no_error (error);
  df_graph_set_quiet (f->tally, TRUE);
  g_assert_true (df_graph_run (f->tally, &error));
  g_assert_no_error (error);
  f->odd = df_graph_new (f->rt, &odd_desc, &in, &error);
  g_assert_no_error (error);

  f->metrics = df_scale_metrics_new (NULL, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (df_scale_metrics_get_port (f->metrics), !=, 0);
  df_scale_metrics_add_graph (f->metrics, f->tally);
  df_scale_metrics_add_graph (f->metrics, f->odd);
  df_scale_metrics_add_graph (f->metrics, f->tally);  /* no second copy */
  /* No proxy: the default resolver would load GIO modules for nothing. */
  f->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
}

static Response
fixture_fetch (Fixture *f, const char *method, const char *path)
{
  return fetch (f->session, method, df_scale_metrics_get_port (f->metrics), path);
}

static void
fixture_clear (Fixture *f)
{
  g_object_unref (f->session);
  df_scale_metrics_free (f->metrics);
  /* The closed connections' last callbacks. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  df_graph_unref (f->odd);
  df_graph_unref (f->tally);
  df_runtime_unref (f->rt);
}

/* ---------------------------------------------------------- Prometheus */

static gboolean
has_line (char **lines, const char *line)
{
  return g_strv_contains ((const char *const *) lines, line);
}

static char *
sample_line (const Family *family, const char *graph_label, const char *node_label,
             gint64 value)
{
  return g_strdup_printf ("%s{graph=\"%s\",node=\"%s\"} %" G_GINT64_FORMAT, family->family,
                          graph_label, node_label, value);
}

static void
test_prometheus (void)
{
  Fixture f;
  fixture_init (&f);
  Response r = fixture_fetch (&f, "GET", "/metrics");
  g_assert_cmpuint (r.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (r.type, ==, "text/plain; version=0.0.4");
  g_assert_true (g_str_has_suffix (r.body, "\n"));
  g_auto (GStrv) lines = g_strsplit (r.body, "\n", -1);

  /* The figures of the run: every input ended as ok or err. */
  DfGraphNodeStats src, count;
  df_graph_get_node_stats (f.tally, 0, &src);
  df_graph_get_node_stats (f.tally, 1, &count);
  g_assert_cmpint (src.in, ==, 1);
  g_assert_cmpint (src.out, ==, N);
  g_assert_cmpint (count.in, ==, N);
  g_assert_cmpint (count.err, ==, (N + FAIL_EVERY - 1) / FAIL_EVERY);
  g_assert_cmpint (count.ok, ==, N - count.err);

  /* The exact in and ok lines... */
  g_assert_true (has_line (lines, "dfc_node_in_total{graph=\"tally\",node=\"src\"} 1"));
  g_autofree char *count_in = g_strdup_printf (
    "dfc_node_in_total{graph=\"tally\",node=\"count\"} %" G_GINT64_FORMAT, count.in);
  g_autofree char *count_ok = g_strdup_printf (
    "dfc_node_ok_total{graph=\"tally\",node=\"count\"} %" G_GINT64_FORMAT, count.ok);
  g_assert_true (has_line (lines, count_in));
  g_assert_true (has_line (lines, count_ok));

  /* ... and every family: help, type, one sample a node, in order. */
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      const Family *fam = &families[i];
      g_autofree char *help = g_strdup_printf ("# HELP %s ", fam->family);
      g_autofree char *type = g_strdup_printf ("# TYPE %s %s", fam->family, fam->type);
      g_autofree char *s0 = sample_line (fam, "tally", "src", family_get (fam, &src));
      g_autofree char *s1 = sample_line (fam, "tally", "count", family_get (fam, &count));
      g_autofree char *s2 = sample_line (fam, ODD_GRAPH_LABEL, "say \\\"hi\\\"", 0);
      const char *at_help = strstr (r.body, help);
      const char *at_type = strstr (r.body, type);
      const char *at0 = strstr (r.body, s0), *at1 = strstr (r.body, s1);
      const char *at2 = strstr (r.body, s2);
      g_assert_nonnull (at_help);
      g_assert_nonnull (at_type);
      g_assert_true (has_line (lines, s0));
      g_assert_true (has_line (lines, s1));
      g_assert_true (has_line (lines, s2));
      g_assert_true (at_help < at_type && at_type < at0 && at0 < at1 && at1 < at2);
    }
  /* Ten families of three samples, two comment lines each, the last "". */
  g_assert_cmpuint (g_strv_length (lines), ==, G_N_ELEMENTS (families) * 5 + 1);

  /* The same answer again: nothing in it depends on the request. */
  Response again = fixture_fetch (&f, "GET", "/metrics");
  g_assert_cmpstr (again.body, ==, r.body);
  response_clear (&again);

  /* HEAD: the headers without the body. */
  Response head = fixture_fetch (&f, "HEAD", "/metrics");
  g_assert_cmpuint (head.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (head.type, ==, "text/plain; version=0.0.4");
  g_assert_cmpstr (head.body, ==, "");
  response_clear (&head);

  response_clear (&r);
  fixture_clear (&f);
}

/* ---------------------------------------------------------------- JSON */

static JsonObject *
array_object (JsonArray *array, guint i)
{
  return json_array_get_object_element (array, i);
}

static void
assert_json_node (JsonObject *node, const DfGraphNodeStats *s, const char *name)
{
  g_assert_cmpstr (json_object_get_string_member (node, "name"), ==, name);
  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    {
      g_assert_true (json_object_has_member (node, families[i].member));
      g_assert_cmpint (json_object_get_int_member (node, families[i].member), ==,
                       family_get (&families[i], s));
    }
  g_assert_cmpuint (json_object_get_size (node), ==, G_N_ELEMENTS (families) + 1);
}

static void
assert_json_graph (JsonObject *graph, DfGraph *g)
{
  g_assert_cmpstr (json_object_get_string_member (graph, "name"), ==, df_graph_get_name (g));
  JsonArray *list = json_object_get_array_member (graph, "nodes");
  g_assert_cmpuint (json_array_get_length (list), ==, df_graph_get_n_nodes (g));
  for (guint n = 0; n < df_graph_get_n_nodes (g); n++)
    {
      DfGraphNodeStats s;
      df_graph_get_node_stats (g, n, &s);
      assert_json_node (array_object (list, n), &s, df_graph_get_node_name (g, n));
    }
}

static void
test_json (void)
{
  Fixture f;
  g_autoptr (GError) error = NULL;
  fixture_init (&f);
  Response r = fixture_fetch (&f, "GET", "/metrics.json");
  g_assert_cmpuint (r.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (r.type, ==, "application/json");

  g_autoptr (JsonParser) parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (parser, r.body, -1, &error));
  g_assert_no_error (error);
  JsonNode *root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  JsonArray *graphs = json_object_get_array_member (json_node_get_object (root), "graphs");
  g_assert_nonnull (graphs);
  g_assert_cmpuint (json_array_get_length (graphs), ==, 2);
  assert_json_graph (array_object (graphs, 0), f.tally);
  assert_json_graph (array_object (graphs, 1), f.odd);

  Response again = fixture_fetch (&f, "GET", "/metrics.json");
  g_assert_cmpstr (again.body, ==, r.body);
  response_clear (&again);
  response_clear (&r);
  fixture_clear (&f);
}

/* ------------------------------------------------------------- refusals */

static void
test_not_found (void)
{
  Fixture f;
  fixture_init (&f);
  const char *paths[] = { "/nope", "/", "/metrics/", "/metrics.jsonx" };
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      Response r = fixture_fetch (&f, "GET", paths[i]);
      g_assert_cmpuint (r.status, ==, SOUP_STATUS_NOT_FOUND);
      response_clear (&r);
    }
  fixture_clear (&f);
}

static void
test_method_not_allowed (void)
{
  Fixture f;
  fixture_init (&f);
  const char *paths[] = { "/metrics", "/metrics.json" };
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      Response r = fixture_fetch (&f, "POST", paths[i]);
      g_assert_cmpuint (r.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
      g_assert_cmpstr (r.allow, ==, "GET, HEAD");
      response_clear (&r);
    }
  Response r = fixture_fetch (&f, "DELETE", "/metrics");
  g_assert_cmpuint (r.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  response_clear (&r);
  fixture_clear (&f);
}

/* ------------------------------------------------------------ addresses */

static void
test_bad_address (void)
{
  const char *bad[] = {
    "nonsense", "127.0.0.1", "127.0.0.1:", ":9100", "127.0.0.1:65536", "127.0.0.1:-1",
    "127.0.0.1:+80", "127.0.0.1:80x", "127.0.0.1: 80", "localhost:9100", "[127.0.0.1:9100", "",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *message = g_strdup_printf (
        "'%s' is no metrics address: give HOST:PORT, HOST an IP address "
        "(for example 127.0.0.1:9100)", bad[i]);
      g_assert_null (df_scale_metrics_new (NULL, bad[i], &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, ==, message);
    }
}

/* IPv6 in brackets is an address; the machine may still have no IPv6. */
static void
test_ipv6_address (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DfScaleMetrics) m = df_scale_metrics_new (NULL, "[::1]:0", &error);
  if (m == NULL)
    {
      g_assert_nonnull (error);
      g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
      g_test_skip ("no IPv6 loopback");
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (df_scale_metrics_get_port (m), !=, 0);
}

static void
test_port_in_use (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DfScaleMetrics) first = df_scale_metrics_new (NULL, "127.0.0.1:0", &error);
  g_assert_no_error (error);
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u",
                                              df_scale_metrics_get_port (first));
  g_autofree char *prefix = g_strdup_printf ("cannot serve metrics on %s: ", address);

  g_assert_null (df_scale_metrics_new (NULL, address, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_assert_true (g_str_has_prefix (error->message, prefix));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/metrics/prometheus", test_prometheus);
  g_test_add_func ("/metrics/json", test_json);
  g_test_add_func ("/metrics/not-found", test_not_found);
  g_test_add_func ("/metrics/method-not-allowed", test_method_not_allowed);
  g_test_add_func ("/metrics/bad-address", test_bad_address);
  g_test_add_func ("/metrics/ipv6-address", test_ipv6_address);
  g_test_add_func ("/metrics/port-in-use", test_port_in_use);
  return g_test_run ();
}
