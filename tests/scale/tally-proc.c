/* tally-proc.c — one process of the `tally` graph (src -> count, count
 * remote), as a generated program would run it: which nodes this process
 * runs, the broker's address, a drain on SIGTERM.  tests/scale/test-procs.c
 * starts several and kills, drains or loses the broker under them.
 *
 *   tally-proc src|count PORT PREFIX CONSUMER N CLAIM_MS SLOW_US
 *
 * `count` is a blocking stage that records each item's handling in Redis
 * itself (SETBIT PREFIX:seen i 1 and INCR PREFIX:processed, through a
 * connection of its worker thread's own), after SLOW_US of work, so that
 * what a killed process did is still counted.  At the end it prints
 * "in OK REDELIVERED" of its `count` node and exits 0; 1 with the graph's
 * error on stderr. */
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfscale-graph.h"
#include "tally-items.h"

static guint16 port;
static const char *prefix;
static gulong slow_us;

/* Each worker thread's own connection, closed when the thread ends. */
static GPrivate worker_key = G_PRIVATE_INIT ((GDestroyNotify) redisFree);

static gboolean
count_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  gint64 v = ((IntItem *) items)->v;
  redisContext *worker_redis = g_private_get (&worker_key);

  if (worker_redis == NULL)
    {
      worker_redis = redisConnect ("127.0.0.1", port);
      g_private_set (&worker_key, worker_redis);
    }
  g_usleep (slow_us);
  redisReply *a = redisCommand (worker_redis, "SETBIT %s:seen %lld 1", prefix, (long long) v);
  redisReply *b = redisCommand (worker_redis, "INCR %s:processed", prefix);
  gboolean ok = a && b && a->type == REDIS_REPLY_INTEGER && b->type == REDIS_REPLY_INTEGER;
  if (a)
    freeReplyObject (a);
  if (b)
    freeReplyObject (b);
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "count: Redis: %s",
                 worker_redis->errstr[0] ? worker_redis->errstr : "bad reply");
  return ok;
}

static const DfGraphNodeDesc nodes[] = {
  { .name = "src", .kind = DF_NODE_SYNC, .run = tally_src_run, .start = tally_src_start,
    .item_size = sizeof (IntItem), .emit_size = sizeof (IntItem) },
  { .name = "count", .kind = DF_NODE_BLOCKING, .run = count_run,
    .item_size = sizeof (IntItem), .queue = 20, .remote = TRUE, .encode = tally_int_encode,
    .decode = tally_int_decode, .halt_after = 0 },
};
static const DfGraphEdgeDesc edges[] = { { .from = 0, .to = 1 } };
static const DfGraphDesc desc = { "tally", nodes, 2, edges, 1, sizeof (CountIn), TRUE };

static void
on_state (DfRedis *r, const GError *error, gpointer data)
{
}

static void
on_signal (DfRuntime *rt, int signum, gpointer data)
{
  df_graph_drain (data);
}

int
main (int argc, char **argv)
{
  if (argc != 8)
    {
      fprintf (stderr, "usage: tally-proc src|count PORT PREFIX CONSUMER N CLAIM_MS SLOW_US\n");
      return 2;
    }
  port = (guint16) atoi (argv[2]);
  prefix = argv[3];
  slow_us = strtoul (argv[7], NULL, 10);
  CountIn in = { g_ascii_strtoll (argv[5], NULL, 10) };
  const char *local[] = { argv[1], NULL };
  g_autoptr (GError) error = NULL;

  DfRuntime *rt = df_runtime_new (NULL);
  DfRedis *redis = df_redis_connect (NULL, "127.0.0.1", port, on_state, NULL);
  DfScaleTransport *t = df_scale_transport_new (redis, prefix, argv[4]);
  df_scale_transport_set_claim_idle (t, (guint) atoi (argv[6]));
  DfGraph *g = df_graph_new (rt, &desc, &in, &error);
  df_scale_transport_attach (t, g);
  if (!df_graph_set_local_nodes (g, local, &error))
    {
      fprintf (stderr, "tally-proc: %s\n", error->message);
      return 2;
    }
  df_graph_set_quiet (g, TRUE);
  df_runtime_watch_signals (rt, on_signal, g);
  gboolean ok = df_graph_run (g, &error);
  DfGraphNodeStats s;
  df_graph_get_node_stats (g, 1, &s);
  printf ("%" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", s.in, s.ok,
          s.redelivered);
  if (!ok)
    fprintf (stderr, "tally-proc %s: %s\n", argv[4], error->message);
  df_graph_unref (g);
  while (df_redis_pending (redis) > 0)    /* the last acknowledgements */
    g_main_context_iteration (NULL, TRUE);
  df_scale_transport_free (t);
  df_redis_free (redis);
  df_runtime_unref (rt);
  return ok ? 0 : 1;
}
