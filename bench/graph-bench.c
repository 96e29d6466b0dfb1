/* graph-bench.c — what a graph costs per item.
 *
 *   graph-bench [SCALE] [linear|sync|blocking|fanout|idle]
 *
 * linear:   src (sync generator) -> a -> b -> sink, queues of 1000
 * sync:     the same graph in DF_GRAPH_SYNC (depth-first) mode
 * blocking: a blocking generator on a worker -> sink (cross-thread emits)
 * fanout:   src -> 4 sinks, owned strings copied for all but the last
 * idle:     the GLib idiom for comparison: one g_idle_add per item per
 *           stage of the linear chain
 *
 * Prints one line per measurement; `meson test --benchmark --suite
 * runtime -v` runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfrt-gen.h"

typedef struct { gint64 v; } IntItem;
typedef struct { char *s; } StrItem;
typedef struct { gint64 n; } CountIn;

static gint64 sink_sum;

static void
int_emit (DfContext *ctx, gint64 v)
{
  IntItem item = { v };
  df_graph_emit (ctx, &item);
}

static void
count_start (gconstpointer inputs, gpointer item)
{
  ((IntItem *) item)->v = ((const CountIn *) inputs)->n;
}

static gboolean
src_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  for (gint64 i = 0; i < ((IntItem *) items)->v; i++)
    int_emit (df_call_get_context (call), i);
  return TRUE;
}

static gboolean
inc_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  int_emit (df_call_get_context (call), ((IntItem *) items)->v + 1);
  return TRUE;
}

static gboolean
sink_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  sink_sum += ((IntItem *) items)->v;
  return TRUE;
}

#define NODE(nm, fn, ...) \
  { .name = nm, .run = fn, .item_size = sizeof (IntItem), \
    .emit_size = sizeof (IntItem), .queue = 1000, __VA_ARGS__ }
#define E(a, b) { .from = (a), .to = (b) }

static const DfGraphNodeDesc linear_nodes[] = {
  NODE ("src", src_run, .start = count_start),
  NODE ("a", inc_run), NODE ("b", inc_run), NODE ("sink", sink_run),
};
static const DfGraphEdgeDesc linear_edges[] = { E (0, 1), E (1, 2), E (2, 3) };
static const DfGraphDesc linear_desc = {
  "linear", linear_nodes, 4, linear_edges, 3, sizeof (CountIn), FALSE,
};

static const DfGraphNodeDesc blocking_nodes[] = {
  NODE ("src", src_run, .start = count_start, .kind = DF_NODE_BLOCKING),
  NODE ("sink", sink_run),
};
static const DfGraphDesc blocking_desc = {
  "blocking", blocking_nodes, 2, linear_edges, 1, sizeof (CountIn), FALSE,
};

static gboolean
words_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  for (gint64 i = 0; i < ((IntItem *) items)->v; i++)
    {
      StrItem item = { g_strdup ("a word of text") };
      df_graph_emit (df_call_get_context (call), &item);
    }
  return TRUE;
}

static gboolean
str_sink_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  sink_sum += (gint64) strlen (((StrItem *) items)->s);
  return TRUE;
}

static void
str_free (gpointer item)
{
  g_free (((StrItem *) item)->s);
}

static void
str_copy (gpointer src, gpointer dst)
{
  ((StrItem *) dst)->s = g_strdup (((StrItem *) src)->s);
}

static void
str_move (gpointer src, gpointer dst)
{
  ((StrItem *) dst)->s = g_steal_pointer (&((StrItem *) src)->s);
}

#define STR_SINK(nm) \
  { .name = nm, .run = str_sink_run, .item_size = sizeof (StrItem), \
    .item_free = str_free, .queue = 1000 }
static const DfGraphNodeDesc fanout_nodes[] = {
  { .name = "src", .run = words_run, .item_size = sizeof (IntItem),
    .start = count_start, .emit_size = sizeof (StrItem), .emit_free = str_free },
  STR_SINK ("s1"), STR_SINK ("s2"), STR_SINK ("s3"), STR_SINK ("s4"),
};
#define ES(a, b) { .from = (a), .to = (b), .copy = str_copy, .move = str_move }
static const DfGraphEdgeDesc fanout_edges[] = { ES (0, 1), ES (0, 2), ES (0, 3), ES (0, 4) };
static const DfGraphDesc fanout_desc = {
  "fanout", fanout_nodes, 5, fanout_edges, 4, sizeof (CountIn), FALSE,
};

static void
run_graph (const char *label, const DfGraphDesc *desc, DfGraphMode mode, gint64 n,
           guint stages)
{
  DfRuntime *rt = df_runtime_new (NULL);
  CountIn in = { n };
  DfRuntimeCounters c;
  GError *error = NULL;
  DfGraph *g = df_graph_new (rt, desc, &in, &error);

  g_assert_no_error (error);
  df_graph_set_mode (g, mode);
  sink_sum = 0;
  gint64 t0 = g_get_monotonic_time ();
  if (!df_graph_run (g, &error))
    g_error ("%s", error->message);
  gint64 took = g_get_monotonic_time () - t0;
  df_runtime_get_counters (rt, &c);
  printf ("%-9s %9" G_GINT64_FORMAT " items  %7.1f ns/item  %6.1f ns/item/stage  "
          "%" G_GUINT64_FORMAT " dispatches, %" G_GUINT64_FORMAT " tasks, %" G_GUINT64_FORMAT
          " wake-ups\n", label, n, took * 1000.0 / n, took * 1000.0 / n / stages,
          c.ready_dispatches, c.tasks_run, c.wakeups);
  df_graph_unref (g);
  df_runtime_unref (rt);
}

/* DF_NODE_SYNC is 0: NODE() leaves .kind out so a node may set it. */

/* The idiom: every stage hands each item on with g_idle_add(). */
typedef struct { gint64 v; guint stage; } IdleItem;
static gint64 idle_left;

static gboolean
idle_stage (gpointer data)
{
  IdleItem *it = data;

  if (it->stage < 2)
    {
      it->v++;
      it->stage++;
      g_idle_add (idle_stage, it);
      return G_SOURCE_REMOVE;
    }
  sink_sum += it->v;
  g_free (it);
  idle_left--;
  return G_SOURCE_REMOVE;
}

static void
run_idle (gint64 n)
{
  gint64 t0 = g_get_monotonic_time ();

  sink_sum = 0;
  idle_left = n;
  /* Fed in chunks so that the number of pending sources stays moderate. */
  for (gint64 i = 0; i < n || idle_left > 0;)
    {
      for (gint64 k = 0; k < 1000 && i < n; k++, i++)
        {
          IdleItem *it = g_new0 (IdleItem, 1);
          it->v = i;
          g_idle_add (idle_stage, it);
        }
      while (g_main_context_iteration (NULL, FALSE) && idle_left > n - i + 500)
        ;
      if (i >= n)
        while (idle_left > 0)
          g_main_context_iteration (NULL, TRUE);
    }
  gint64 took = g_get_monotonic_time () - t0;
  printf ("%-9s %9" G_GINT64_FORMAT " items  %7.1f ns/item  %6.1f ns/item/stage  "
          "(one g_idle_add per item per stage)\n", "idle", n, took * 1000.0 / n,
          took * 1000.0 / n / 3);
}

int
main (int argc, char **argv)
{
  double scale = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 1.0;
  const char *only = argc > 2 ? argv[2] : NULL;
  gint64 n = (gint64) (1000000 * (scale > 0 ? scale : 1.0));

#define WANT(name) (only == NULL || strcmp (only, name) == 0)
  if (WANT ("linear"))
    run_graph ("linear", &linear_desc, DF_GRAPH_ASYNC, n, 3);
  if (WANT ("sync"))
    run_graph ("sync", &linear_desc, DF_GRAPH_SYNC, n, 3);
  if (WANT ("blocking"))
    run_graph ("blocking", &blocking_desc, DF_GRAPH_ASYNC, n, 1);
  if (WANT ("fanout"))
    run_graph ("fanout", &fanout_desc, DF_GRAPH_ASYNC, n / 4, 4);
  if (WANT ("idle"))
    run_idle (n / 4);
  return 0;
}
