/* test-graph-remote.c — a graph whose `count` node is remote, its items
 * through a Redis stream of the test's own server: all nodes in one
 * process; the writer and the reader as two graphs (two processes' worth
 * of the same description, on one loop); and the node scaled out over
 * three consumers of its group.  Every item is counted once, the sum
 * checks it, every graph finishes by itself, and the stream is empty at
 * the end. */
#include <hiredis/hiredis.h>
#include <string.h>

#include "dfscale-graph.h"
#include "tally-items.h"
#include "redis-fixture.h"

#define N 5000

/* What each graph's `count` node saw (its user data). */
typedef struct {
  gint64 sum;
  gint64 count;
} Tally;

static gboolean
count_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  Tally *t = df_context_get_user_data (df_call_get_context (call));
  t->sum += ((IntItem *) items)->v;
  t->count++;
  return TRUE;
}

static const DfGraphNodeDesc nodes[] = {
  { .name = "src", .kind = DF_NODE_SYNC, .run = tally_src_run, .start = tally_src_start,
    .item_size = sizeof (IntItem), .emit_size = sizeof (IntItem) },
  { .name = "count", .kind = DF_NODE_SYNC, .run = count_run, .item_size = sizeof (IntItem),
    .queue = 100, .remote = TRUE, .encode = tally_int_encode, .decode = tally_int_decode },
};
static const DfGraphEdgeDesc edges[] = { { .from = 0, .to = 1 } };
static const DfGraphDesc desc = { "tally", nodes, 2, edges, 1, sizeof (CountIn), FALSE };

typedef struct {
  RedisServer       server;
  DfRuntime        *rt;
  DfRedis          *redis;
  DfScaleTransport *transports[4];
  guint             running;
  char             *prefix;
} Fixture;

static void
on_state (DfRedis *r, const GError *error, gpointer data)
{
}

static gboolean
fixture_init (Fixture *f)
{
  static guint run;

  memset (f, 0, sizeof *f);
  if (!redis_server_start (&f->server))
    return FALSE;
  f->rt = df_runtime_new (NULL);
  f->redis = df_redis_connect (NULL, "127.0.0.1", f->server.port, on_state, f);
  f->prefix = g_strdup_printf ("test%u", run++);
  return TRUE;
}

static DfGraph *
new_graph (Fixture *f, guint consumer, const char *const *local, Tally *tally)
{
  CountIn in = { N };
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("c%u", consumer);

  if (f->transports[consumer] == NULL)
    f->transports[consumer] = df_scale_transport_new (f->redis, f->prefix, name);
  DfGraph *g = df_graph_new (f->rt, &desc, &in, &error);
  g_assert_no_error (error);
  df_graph_set_user_data (g, tally);
  df_scale_transport_attach (f->transports[consumer], g);
  g_assert_true (df_graph_set_local_nodes (g, local, &error));
  g_assert_no_error (error);
  return g;
}

static void
on_done (DfGraph *g, const GError *error, gpointer data)
{
  Fixture *f = data;
  g_assert_no_error (error);
  f->running--;
}

static void
run_all (Fixture *f, DfGraph **graphs, guint n)
{
  f->running = n;
  for (guint i = 0; i < n; i++)
    df_graph_start (graphs[i], on_done, f);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (f->running > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
on_len (DfRedis *r, DfRedisReply *reply, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  *(gint64 *) data = reply->integer;
}

static void
fixture_clear (Fixture *f)
{
  /* Every entry was handled, acknowledged and deleted. */
  g_autofree char *stream = g_strdup_printf ("%s.tally.count", f->prefix);
  gint64 len = -1;
  while (df_redis_pending (f->redis) > 0)
    g_main_context_iteration (NULL, TRUE);
  df_redis_command (f->redis, 2, (const char *[]) { "XLEN", stream }, NULL, on_len, &len);
  while (len < 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (len, ==, 0);
  /* ... and the items did go through it: its writers counted in and out. */
  g_autofree char *writers = g_strdup_printf ("%s:writers", stream);
  gint64 started = -1, open = -1;
  df_redis_command (f->redis, 4, (const char *[]) { "HINCRBY", writers, "started", "0" }, NULL,
                    on_len, &started);
  df_redis_command (f->redis, 4, (const char *[]) { "HINCRBY", writers, "open", "0" }, NULL,
                    on_len, &open);
  while (started < 0 || open < 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (started, ==, 1);
  g_assert_cmpint (open, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (f->transports); i++)
    df_scale_transport_free (f->transports[i]);
  df_redis_free (f->redis);
  df_runtime_unref (f->rt);
  redis_server_stop (&f->server);
  g_free (f->prefix);
}

static void
assert_counted (DfGraph *g, gint64 in)
{
  DfGraphNodeStats s;
  df_graph_get_node_stats (g, (guint) df_graph_find_node (g, "count"), &s);
  g_assert_cmpint (s.in, ==, in);
  g_assert_cmpint (s.ok, ==, in);
  g_assert_cmpint (s.in, ==, s.ok + s.err + s.dropped);
  g_assert_cmpint (s.in_flight, ==, 0);
}

/* All nodes here: the remote edge still goes through the stream. */
static void
test_one_process (void)
{
  Fixture f;
  Tally t = { 0 };

  if (!fixture_init (&f))
    return;
  DfGraph *g = new_graph (&f, 0, NULL, &t);
  run_all (&f, &g, 1);
  g_assert_cmpint (t.count, ==, N);
  g_assert_cmpint (t.sum, ==, (gint64) N * (N - 1) / 2);
  assert_counted (g, N);
  df_graph_unref (g);
  fixture_clear (&f);
}

/* The writer and the reader apart. */
static void
test_split (void)
{
  Fixture f;
  Tally t = { 0 }, none = { 0 };

  if (!fixture_init (&f))
    return;
  DfGraph *graphs[2] = {
    new_graph (&f, 0, (const char *[]) { "src", NULL }, &none),
    new_graph (&f, 1, (const char *[]) { "count", NULL }, &t),
  };
  run_all (&f, graphs, 2);
  g_assert_cmpint (none.count, ==, 0);
  g_assert_cmpint (t.count, ==, N);
  g_assert_cmpint (t.sum, ==, (gint64) N * (N - 1) / 2);
  assert_counted (graphs[1], N);
  for (guint i = 0; i < 2; i++)
    df_graph_unref (graphs[i]);
  fixture_clear (&f);
}

/* `count` on three consumers of its group: they share the items. */
static void
test_scaled_out (void)
{
  Fixture f;
  Tally t[3] = { { 0 } }, none = { 0 };

  if (!fixture_init (&f))
    return;
  DfGraph *graphs[4] = { new_graph (&f, 0, (const char *[]) { "src", NULL }, &none) };
  for (guint i = 0; i < 3; i++)
    graphs[1 + i] = new_graph (&f, 1 + i, (const char *[]) { "count", NULL }, &t[i]);
  run_all (&f, graphs, 4);
  gint64 count = 0, sum = 0, in = 0;
  for (guint i = 0; i < 3; i++)
    {
      count += t[i].count;
      sum += t[i].sum;
      DfGraphNodeStats s;
      df_graph_get_node_stats (graphs[1 + i], 1, &s);
      in += s.in;
    }
  g_assert_cmpint (count, ==, N);
  g_assert_cmpint (sum, ==, (gint64) N * (N - 1) / 2);
  g_assert_cmpint (in, ==, N);
  for (guint i = 0; i < 4; i++)
    df_graph_unref (graphs[i]);
  fixture_clear (&f);
}

static void
test_local_edge_refused (void)
{
  static const DfGraphNodeDesc local_nodes[] = {
    { .name = "src", .kind = DF_NODE_SYNC, .run = tally_src_run, .start = tally_src_start,
      .item_size = sizeof (IntItem), .emit_size = sizeof (IntItem) },
    { .name = "count", .kind = DF_NODE_SYNC, .run = count_run, .item_size = sizeof (IntItem) },
  };
  static const DfGraphDesc local_desc = { "tally", local_nodes, 2, edges, 1, sizeof (CountIn),
                                          FALSE };
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  CountIn in = { 1 };
  g_autoptr (GError) error = NULL;
  g_autoptr (DfGraph) g = df_graph_new (rt, &local_desc, &in, &error);

  g_assert_false (df_graph_set_local_nodes (g, (const char *[]) { "src", NULL }, &error));
  g_assert_error (error, DF_ERROR, DF_ERROR_USAGE);
  g_assert_cmpstr (error->message, ==,
                   "graph 'tally': node 'src' runs here and 'count' elsewhere, but the edge "
                   "between them is local: make 'count' remote");
  g_clear_error (&error);
  g_assert_false (df_graph_set_local_nodes (g, (const char *[]) { "sink", NULL }, &error));
  g_assert_cmpstr (error->message, ==, "graph 'tally' has no node 'sink'");
}

static void
copy_int (gpointer src, gpointer dst)
{
  *(IntItem *) dst = *(IntItem *) src;
}

/* A zip's destination cannot be remote: the graph halts at its start,
 * saying so. */
static void
test_zip_refused (void)
{
  static const DfGraphNodeDesc zip_nodes[] = {
    { .name = "a", .kind = DF_NODE_SYNC, .run = tally_src_run, .start = tally_src_start,
      .item_size = sizeof (IntItem), .emit_size = sizeof (IntItem) },
    { .name = "b", .kind = DF_NODE_SYNC, .run = tally_src_run, .start = tally_src_start,
      .item_size = sizeof (IntItem), .emit_size = sizeof (IntItem) },
    { .name = "count", .kind = DF_NODE_SYNC, .run = count_run, .item_size = sizeof (IntItem),
      .remote = TRUE, .encode = tally_int_encode, .decode = tally_int_decode },
  };
  static const DfGraphEdgeDesc zip_edges[] = {
    { .from = 0, .to = 2, .zip = 1, .copy = copy_int },
    { .from = 1, .to = 2, .zip = 2, .copy = copy_int },
  };
  static const DfGraphDesc zip_desc = { "zipped", zip_nodes, 3, zip_edges, 2, sizeof (CountIn),
                                        FALSE };
  Fixture f;
  CountIn in = { 3 };
  Tally t = { 0 };
  g_autoptr (GError) error = NULL;

  if (!fixture_init (&f))
    return;
  f.transports[0] = df_scale_transport_new (f.redis, f.prefix, "c0");
  g_autoptr (DfGraph) g = df_graph_new (f.rt, &zip_desc, &in, &error);
  g_assert_no_error (error);
  df_graph_set_user_data (g, &t);
  df_scale_transport_attach (f.transports[0], g);
  g_assert_false (df_graph_run (g, &error));
  g_assert_error (error, DF_ERROR, DF_ERROR_HALTED);
  g_assert_cmpstr (error->message, ==, "graph 'zipped' halted: node 'count' failed: remote node "
                   "'count' cannot be the destination of a zip");
  g_assert_cmpint (t.count, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (f.transports); i++)
    df_scale_transport_free (f.transports[i]);
  df_redis_free (f.redis);
  df_runtime_unref (f.rt);
  redis_server_stop (&f.server);
  g_free (f.prefix);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/graph-remote/one-process", test_one_process);
  g_test_add_func ("/graph-remote/split", test_split);
  g_test_add_func ("/graph-remote/scaled-out", test_scaled_out);
  g_test_add_func ("/graph-remote/local-edge-refused", test_local_edge_refused);
  g_test_add_func ("/graph-remote/zip-refused", test_zip_refused);
  return g_test_run ();
}
