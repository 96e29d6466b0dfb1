/* metrics.c — the node statistics over HTTP (dfscale-metrics.h).
 *
 * One table, `figures`, names each figure of DfGraphNodeStats once: its
 * Prometheus family, type and help, and its member in the JSON, so the
 * two answers cannot drift apart.  Each request first reads every node's
 * figures (a snapshot), then writes them out: the families of one answer
 * agree with each other even while the graphs run.
 */
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "dfscale-metrics.h"

#define PROMETHEUS_TYPE "text/plain; version=0.0.4"

struct _DfScaleMetrics {
  GMainContext *context;
  SoupServer   *server;
  GPtrArray    *graphs;   /* DfGraph *, referenced, in the order added */
  guint16       port;
};

/* ------------------------------------------------------------- figures */

typedef struct {
  const char *family;    /* Prometheus */
  const char *type;      /* "counter" or "gauge" */
  const char *member;    /* in /metrics.json */
  gsize       offset;    /* of the gint64 in DfGraphNodeStats */
  const char *help;
} Figure;

#define FIGURE(family, type, field, help) \
  { family, type, #field, G_STRUCT_OFFSET (DfGraphNodeStats, field), help }

static const Figure figures[] = {
  FIGURE ("dfc_node_in_total", "counter", in, "Inputs the node received."),
  FIGURE ("dfc_node_out_total", "counter", out, "Items the node emitted."),
  FIGURE ("dfc_node_ok_total", "counter", ok, "Inputs whose invocation succeeded."),
  FIGURE ("dfc_node_err_total", "counter", err,
          "Inputs whose invocation failed (after retries)."),
  FIGURE ("dfc_node_dropped_total", "counter", dropped,
          "Inputs discarded unprocessed (halt, cancel, drain, zip leftovers, coalesced ticks)."),
  FIGURE ("dfc_node_redelivered_total", "counter", redelivered,
          "Inputs of a remote node that a stopped consumer had taken, handled here again."),
  FIGURE ("dfc_node_retries_total", "counter", retries, "Attempts repeated by retry."),
  FIGURE ("dfc_node_queued", "gauge", queued, "Inputs in the node's input queue."),
  FIGURE ("dfc_node_queue_max", "gauge", queue_max,
          "High-water mark of the node's input queue."),
  FIGURE ("dfc_node_in_flight", "gauge", in_flight, "Inputs in running invocations."),
};

static gint64
figure_get (const Figure *f, const DfGraphNodeStats *s)
{
  return G_STRUCT_MEMBER (gint64, s, f->offset);
}

/* A description may leave a name NULL; the answers need a string. */
static const char *
or_empty (const char *name)
{
  return name ? name : "";
}

/* ------------------------------------------------------------ snapshot */

typedef struct {
  const char       *name;
  guint             n_nodes;
  DfGraphNodeStats *nodes;
} GraphFigures;

static void
graph_figures_clear (gpointer data)
{
  g_free (((GraphFigures *) data)->nodes);
}

static GArray *
snapshot_take (DfScaleMetrics *m)
{
  GArray *snapshot = g_array_sized_new (FALSE, FALSE, sizeof (GraphFigures), m->graphs->len);
  g_array_set_clear_func (snapshot, graph_figures_clear);
  for (guint i = 0; i < m->graphs->len; i++)
    {
      DfGraph *graph = g_ptr_array_index (m->graphs, i);
      guint n_nodes = df_graph_get_n_nodes (graph);
      GraphFigures g = { .name = or_empty (df_graph_get_name (graph)), .n_nodes = n_nodes,
                         .nodes = g_new (DfGraphNodeStats, n_nodes) };
      for (guint n = 0; n < g.n_nodes; n++)
        df_graph_get_node_stats (graph, n, &g.nodes[n]);
      g_array_append_val (snapshot, g);
    }
  return snapshot;
}

/* ---------------------------------------------------------- Prometheus */

/* A label value as the text format quotes it. */
static void
append_label_value (GString *out, const char *value)
{
  for (const char *p = value; *p != '\0'; p++)
    switch (*p)
      {
      case '\\':
        g_string_append (out, "\\\\");
        break;
      case '"':
        g_string_append (out, "\\\"");
        break;
      case '\n':
        g_string_append (out, "\\n");
        break;
      default:
        g_string_append_c (out, *p);
      }
}

static void
append_family (GString *out, const Figure *f, GArray *snapshot)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", f->family, f->help, f->family,
                          f->type);
  for (guint i = 0; i < snapshot->len; i++)
    {
      const GraphFigures *g = &g_array_index (snapshot, GraphFigures, i);
      for (guint n = 0; n < g->n_nodes; n++)
        {
          g_string_append_printf (out, "%s{graph=\"", f->family);
          append_label_value (out, g->name);
          g_string_append (out, "\",node=\"");
          append_label_value (out, or_empty (g->nodes[n].name));
          g_string_append_printf (out, "\"} %" G_GINT64_FORMAT "\n", figure_get (f, &g->nodes[n]));
        }
    }
}

static void
serve_prometheus (SoupServerMessage *msg, GArray *snapshot)
{
  GString *out = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    append_family (out, &figures[i], snapshot);
  gsize len = out->len;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, PROMETHEUS_TYPE, SOUP_MEMORY_TAKE,
                                    g_string_free (out, FALSE), len);
}

/* ---------------------------------------------------------------- JSON */

static void
add_node (JsonBuilder *b, const DfGraphNodeStats *s)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, or_empty (s->name));
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    {
      json_builder_set_member_name (b, figures[i].member);
      json_builder_add_int_value (b, figure_get (&figures[i], s));
    }
  json_builder_end_object (b);
}

static void
add_graph (JsonBuilder *b, const GraphFigures *g)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, g->name);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint n = 0; n < g->n_nodes; n++)
    add_node (b, &g->nodes[n]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
serve_json (SoupServerMessage *msg, GArray *snapshot)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "graphs");
  json_builder_begin_array (b);
  for (guint i = 0; i < snapshot->len; i++)
    add_graph (b, &g_array_index (snapshot, GraphFigures, i));
  json_builder_end_array (b);
  json_builder_end_object (b);

  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  gsize len;
  char *text = json_generator_to_data (gen, &len);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
}

/* ------------------------------------------------------------- serving */

static gboolean
method_reads (SoupServerMessage *msg)
{
  const char *method = soup_server_message_get_method (msg);
  return strcmp (method, SOUP_METHOD_GET) == 0 || strcmp (method, SOUP_METHOD_HEAD) == 0;
}

/* Both paths are there for every method, so a POST is told 405, not 404.
 * (For HEAD libsoup leaves the body out and keeps its length.) */
static void
serve (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
       gpointer data)
{
  DfScaleMetrics *m = data;
  gboolean json = strcmp (path, "/metrics.json") == 0;

  if (!json && strcmp (path, "/metrics") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (!method_reads (msg))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "GET, HEAD");
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  g_autoptr (GArray) snapshot = snapshot_take (m);
  if (json)
    serve_json (msg, snapshot);
  else
    serve_prometheus (msg, snapshot);
}

/* "HOST:PORT" with HOST an IP address, IPv6 maybe in brackets; port 0
 * (any free one) allowed. */
static GSocketAddress *
parse_address (const char *address, GError **error)
{
  const char *colon = address ? strrchr (address, ':') : NULL;
  char *end = NULL;
  guint64 port = 0;
  g_autofree char *host = NULL;
  g_autoptr (GInetAddress) ip = NULL;

  if (colon != NULL && g_ascii_isdigit (colon[1]))
    port = g_ascii_strtoull (colon + 1, &end, 10);
  if (end != NULL && *end == '\0' && port <= 65535)
    {
      const char *start = address, *stop = colon;
      if (stop - start >= 2 && *start == '[' && stop[-1] == ']')
        start++, stop--;
      host = g_strndup (start, (gsize) (stop - start));
      ip = g_inet_address_new_from_string (host);
    }
  if (ip == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "'%s' is no metrics address: give HOST:PORT, HOST an IP address "
                   "(for example 127.0.0.1:9100)", address ? address : "");
      return NULL;
    }
  return g_inet_socket_address_new (ip, (guint16) port);
}

/* The port bound, which port 0 left to the system. */
static guint16
bound_port (SoupServer *server)
{
  GSList *sockets = soup_server_get_listeners (server);
  guint16 port = 0;

  if (sockets != NULL)
    {
      GSocketAddress *local = g_socket_get_local_address (sockets->data, NULL);
      if (local != NULL)
        port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
      g_clear_object (&local);
    }
  g_slist_free (sockets);
  return port;
}

DfScaleMetrics *
df_scale_metrics_new (GMainContext *context, const char *address, GError **error)
{
  g_autoptr (GSocketAddress) where = parse_address (address, error);
  if (where == NULL)
    return NULL;

  DfScaleMetrics *m = g_new0 (DfScaleMetrics, 1);
  m->context = context ? g_main_context_ref (context) : g_main_context_ref_thread_default ();
  m->graphs = g_ptr_array_new_with_free_func ((GDestroyNotify) df_graph_unref);

  /* The listener serves in the thread-default context of the listen. */
  g_main_context_push_thread_default (m->context);
  m->server = soup_server_new ("server-header", "dfscale ", NULL);
  soup_server_add_handler (m->server, NULL, serve, m, NULL);
  gboolean listening = soup_server_listen (m->server, where, 0, error);
  g_main_context_pop_thread_default (m->context);
  if (!listening)
    {
      g_prefix_error (error, "cannot serve metrics on %s: ", address);
      df_scale_metrics_free (m);
      return NULL;
    }
  m->port = bound_port (m->server);
  return m;
}

guint16
df_scale_metrics_get_port (DfScaleMetrics *m)
{
  return m->port;
}

void
df_scale_metrics_add_graph (DfScaleMetrics *m, DfGraph *graph)
{
  g_return_if_fail (m != NULL && graph != NULL);
  if (!g_ptr_array_find (m->graphs, graph, NULL))
    g_ptr_array_add (m->graphs, df_graph_ref (graph));
}

void
df_scale_metrics_free (DfScaleMetrics *m)
{
  if (m == NULL)
    return;
  g_main_context_push_thread_default (m->context);
  soup_server_disconnect (m->server);
  g_object_unref (m->server);
  g_main_context_pop_thread_default (m->context);
  g_ptr_array_unref (m->graphs);
  g_main_context_unref (m->context);
  g_free (m);
}
