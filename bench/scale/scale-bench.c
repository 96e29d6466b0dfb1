/* scale-bench.c — items through one remote edge (bench/scale/run-scale-bench.py
 * starts the redis-server and compares with redis-benchmark's own XADD).
 *
 *   scale-bench throughput PORT N          items/s, src -> count through Redis
 *   scale-bench latency PORT N GAP_US      one item every GAP_US: the time
 *                                          from its emit to its call
 *   scale-bench local-latency N GAP_US     the same without the stream
 *
 * Prints one line of numbers (see main ()).  Both nodes run in this
 * process: the writer's pipelined XADDs and the reader's XREADGROUP COUNT
 * and batched XACK + XDEL are all on one Redis server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfscale-graph.h"

typedef struct { gint64 v; gint64 at; } Item;
typedef struct { gint64 n; } BenchIn;

static gulong gap_us;
static gint64 count, sum, lat_sum, lat_max;
static GArray *lats;

static void
src_start (gconstpointer inputs, gpointer item)
{
  ((Item *) item)->v = ((const BenchIn *) inputs)->n;
}

/* A blocking generator: at the given pace, or as fast as the edge takes. */
static gboolean
src_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  gint64 total = ((Item *) items)->v;
  for (gint64 i = 0; i < total; i++)
    {
      if (gap_us)
        g_usleep (gap_us);
      df_graph_emit (df_call_get_context (call), &(Item) { i, g_get_monotonic_time () });
    }
  return TRUE;
}

static gboolean
count_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  const Item *it = items;
  gint64 lat = g_get_monotonic_time () - it->at;

  count++;
  sum += it->v;
  lat_sum += lat;
  lat_max = MAX (lat_max, lat);
  g_array_append_val (lats, lat);
  return TRUE;
}

static void
item_encode (gconstpointer item, DfFieldsBuilder *f)
{
  df_fields_add_int (f, "v", ((const Item *) item)->v);
  df_fields_add_int (f, "at", ((const Item *) item)->at);
}

static gboolean
item_decode (const DfFields *f, gpointer item, GError **error)
{
  Item *it = item;
  return df_fields_get_int (f, "v", G_MININT64, G_MAXINT64, &it->v, error)
         && df_fields_get_int (f, "at", G_MININT64, G_MAXINT64, &it->at, error);
}

static DfGraphNodeDesc nodes[] = {
  { .name = "src", .kind = DF_NODE_BLOCKING, .run = src_run, .start = src_start,
    .item_size = sizeof (Item), .emit_size = sizeof (Item) },
  { .name = "count", .kind = DF_NODE_SYNC, .run = count_run, .item_size = sizeof (Item),
    .queue = 1000, .remote = TRUE, .encode = item_encode, .decode = item_decode },
};
static const DfGraphEdgeDesc edges[] = { { .from = 0, .to = 1 } };
static const DfGraphDesc desc = { "bench", nodes, 2, edges, 1, sizeof (BenchIn), TRUE };

static void
on_state (DfRedis *r, const GError *error, gpointer data)
{
  if (error)
    g_error ("%s", error->message);
}

static int
cmp_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  gboolean local = argc == 4 && strcmp (argv[1], "local-latency") == 0;
  if (!local && (argc < 4 || (strcmp (argv[1], "throughput") != 0 && argc != 5)))
    {
      fprintf (stderr, "usage: scale-bench throughput PORT N | latency PORT N GAP_US | "
                       "local-latency N GAP_US\n");
      return 2;
    }
  BenchIn in = { g_ascii_strtoll (argv[local ? 2 : 3], NULL, 10) };
  gap_us = local ? strtoul (argv[3], NULL, 10) : argc == 5 ? strtoul (argv[4], NULL, 10) : 0;
  lats = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GError) error = NULL;
  g_autofree char *prefix = g_strdup_printf ("bench%d", (int) getpid ());

  DfRuntime *rt = df_runtime_new (NULL);
  DfRedis *redis = NULL;
  DfScaleTransport *t = NULL;
  if (local)
    nodes[1].remote = FALSE;
  DfGraph *g = df_graph_new (rt, &desc, &in, &error);
  if (!local)
    {
      redis = df_redis_connect (NULL, "127.0.0.1", (guint16) atoi (argv[2]), on_state, NULL);
      t = df_scale_transport_new (redis, prefix, "bench");
      df_scale_transport_attach (t, g);
    }
  gint64 start = g_get_monotonic_time ();
  if (!df_graph_run (g, &error))
    g_error ("%s", error->message);
  double seconds = (double) (g_get_monotonic_time () - start) / 1e6;
  if (count != in.n || sum != in.n * (in.n - 1) / 2)
    g_error ("counted %" G_GINT64_FORMAT " items, sum %" G_GINT64_FORMAT, count, sum);
  g_array_sort (lats, cmp_int64);
  /* items  seconds  items/s  mean_us  median_us  max_us */
  printf ("%" G_GINT64_FORMAT " %.3f %.0f %.1f %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
          count, seconds, (double) count / seconds, (double) lat_sum / (double) count,
          g_array_index (lats, gint64, lats->len / 2), lat_max);
  df_graph_unref (g);
  if (redis)
    while (df_redis_pending (redis) > 0)
      g_main_context_iteration (NULL, TRUE);
  df_scale_transport_free (t);
  df_redis_free (redis);
  df_runtime_unref (rt);
  g_array_unref (lats);
  return 0;
}
