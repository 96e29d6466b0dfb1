/* test-graph-gen.c — what generated graph code and generated main()s
 * use beyond the hand-written tests of test-graph.c:
 *
 *   - df_call_get_graph_inputs() and df_context_get_graph(): where a
 *     trampoline reads a node's graph-input bindings (`node n = s(p =
 *     path)`), on the runtime thread (sync node), on a worker (blocking
 *     node) and for an async node, in both delivery modes; NULL outside
 *     graphs;
 *   - df_graph_set_drain_on_stop(): df_runtime_cancel_all() (a standalone
 *     program's first signal) drains such a graph and cancels the others.
 */
#include "graph-test.h"

/* graph g(base: gint64, tag: const char *) */
typedef struct { gint64 base; const char *tag; } GIn;

typedef struct {
  GArray  *seen;      /* gint64 */
  DfGraph *graph;
  gint     wrong;     /* atomic: an accessor returned something unexpected */
} T;

static void
check_call (DfCall *call)
{
  T *t = df_call_get_user_data (call);
  const GIn *in = df_call_get_graph_inputs (call);

  if (in == NULL || g_strcmp0 (in->tag, "tag") != 0
      || df_context_get_graph (df_call_get_context (call)) != t->graph)
    g_atomic_int_inc (&t->wrong);
}

/* stage src(n: gint64) emits (v: gint64): n from the graph input `base` */
static gboolean
src_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  const GIn *in = df_call_get_graph_inputs (call);

  check_call (call);
  for (gint64 i = 0; i < 10; i++)
    int_emit (df_call_get_context (call), in->base + i);
  return TRUE;
}

/* stage add(v: gint64, base: gint64) -> (v: gint64) blocking, base = base */
static gboolean
add_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  const GIn *in = df_call_get_graph_inputs (call);

  check_call (call);
  int_emit (df_call_get_context (call), ((IntItem *) items)->v + in->base);
  return TRUE;
}

/* stage twice(v: gint64) -> (v: gint64) async */
typedef struct { DfCall call; gint64 v; } TwiceCall;

static gboolean
twice_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  check_call (call);
  ((TwiceCall *) call)->v = ((IntItem *) items)->v * 2;
  df_call_complete (call);
  return TRUE;
}

static void
twice_complete (DfCall *call)
{
  int_emit (df_call_get_context (call), ((TwiceCall *) call)->v);
}

static gboolean
sink_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  T *t = df_call_get_user_data (call);

  check_call (call);
  g_array_append_val (t->seen, ((IntItem *) items)->v);
  return TRUE;
}

static const DfGraphNodeDesc nodes[] = {
  { .name = "src", .kind = DF_NODE_SYNC, .run = src_run, .emit_size = sizeof (IntItem) },
  { .name = "add", .kind = DF_NODE_BLOCKING, .run = add_run, .item_size = sizeof (IntItem),
    .emit_size = sizeof (IntItem), .tasks = 2 },
  { .name = "twice", .kind = DF_NODE_ASYNC, .run = twice_run, .item_size = sizeof (IntItem),
    .emit_size = sizeof (IntItem), .call_size = sizeof (TwiceCall), .complete = twice_complete },
  { .name = "sink", .kind = DF_NODE_SYNC, .run = sink_run, .item_size = sizeof (IntItem) },
};
static const DfGraphEdgeDesc edges[] = {
  { .from = 0, .to = 1 }, { .from = 1, .to = 2 }, { .from = 2, .to = 3 },
};
static const DfGraphDesc desc = { "inputs", nodes, 4, edges, 3, sizeof (GIn), FALSE };

static gint
cmp_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
test_inputs (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  GError *error = NULL;
  T t = { g_array_new (FALSE, FALSE, sizeof (gint64)), NULL, 0 };
  GIn in = { 100, "tag" };

  g_autoptr (DfGraph) g = df_graph_new (rt, &desc, &in, &error);
  g_assert_no_error (error);
  in.base = -1;   /* copied by df_graph_new() */
  t.graph = g;
  df_graph_set_user_data (g, &t);
  df_graph_set_mode (g, GPOINTER_TO_INT (data));
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpint (g_atomic_int_get (&t.wrong), ==, 0);
  g_assert_cmpuint (t.seen->len, ==, 10);
  g_array_sort (t.seen, cmp_int64);
  for (guint i = 0; i < 10; i++)
    g_assert_cmpint (g_array_index (t.seen, gint64, i), ==, 2 * (200 + i));
  graph_assert_accounting (g);
  g_array_unref (t.seen);
}

/* A flow's call is no graph node's. */
static void
outside_fetch (DfCall *call, const char *url)
{
  g_assert_null (df_call_get_graph_inputs (call));
  g_assert_null (df_context_get_graph (df_call_get_context (call)));
  fetch_return (call, g_strdup (url));
}

static void
test_outside (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  static const DfCallSite site = { .stage = "fetch", .discard = fetch_discard };
  FetchFlowSpec spec = { .site = &site, .fetch = outside_fetch };
  TestResult r = { 0 };

  df_frame_start (fetch_flow_new (rt, &spec, "u", &r));
  runtime_run_or_fail (rt, 30);
  g_assert_true (r.done);
  g_assert_no_error (r.error);
  test_result_clear (&r);
}

/* ------------------------------------------------------- drain on stop */

/* stage tick() emits (v) every 1ms: the 20th tick stops the runtime */
typedef struct {
  gint64 ticks;
  gint64 sunk;
} Stop;

static gboolean
tick_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  Stop *s = df_call_get_user_data (call);

  int_emit (df_call_get_context (call), s->ticks++);
  if (s->ticks == 20)
    df_runtime_cancel_all (df_context_get_runtime (df_call_get_context (call)));
  return TRUE;
}

static gboolean
count_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  ((Stop *) df_call_get_user_data (call))->sunk++;
  return TRUE;
}

static const DfGraphNodeDesc stop_nodes[] = {
  { .name = "tick", .kind = DF_NODE_SYNC, .run = tick_run, .emit_size = sizeof (IntItem),
    .every = 1000 },
  { .name = "sink", .kind = DF_NODE_SYNC, .run = count_run, .item_size = sizeof (IntItem) },
};
static const DfGraphDesc stop_desc = { "stop", stop_nodes, 2, edges, 1, 0, FALSE };

static void
record_done (DfGraph *graph, const GError *error, gpointer data)
{
  GraphResult *r = data;

  r->done = TRUE;
  r->error = error ? g_error_copy (error) : NULL;
}

static void
test_drain_on_stop (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult drained = { 0 }, cancelled = { 0 };
  Stop a = { 0 }, b = { 0 };

  g_autoptr (DfGraph) ga = df_graph_new (rt, &stop_desc, NULL, NULL);
  g_autoptr (DfGraph) gb = df_graph_new (rt, &stop_desc, NULL, NULL);
  df_graph_set_drain_on_stop (ga, TRUE);
  df_graph_set_user_data (ga, &a);
  df_graph_set_user_data (gb, &b);
  b.ticks = -1000;   /* only ga stops the runtime */
  df_graph_start (gb, record_done, &cancelled);   /* runs beside ga */
  graph_run (ga, &drained, 30);
  g_assert_no_error (drained.error);
  g_assert_true (cancelled.done);
  g_assert_error (cancelled.error, DF_ERROR, DF_ERROR_CANCELLED);
  g_assert_cmpint (a.ticks, ==, 20);
  g_assert_cmpint (a.sunk, ==, 20);   /* drained: every item went through */
  graph_assert_accounting (ga);
  graph_assert_accounting (gb);
  g_assert_true (df_runtime_is_stopping (rt));

  /* A graph started now is drained at once: nothing runs. */
  GraphResult late = { 0 };
  Stop c = { 0 };
  g_autoptr (DfGraph) gc = df_graph_new (rt, &stop_desc, NULL, NULL);
  df_graph_set_drain_on_stop (gc, TRUE);
  df_graph_set_user_data (gc, &c);
  graph_run (gc, &late, 30);
  g_assert_no_error (late.error);
  g_assert_cmpint (c.ticks, ==, 0);
  graph_assert_accounting (gc);
  graph_result_clear (&drained);
  graph_result_clear (&cancelled);
  graph_result_clear (&late);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/graph/inputs/async", GINT_TO_POINTER (DF_GRAPH_ASYNC), test_inputs);
  g_test_add_data_func ("/graph/inputs/sync", GINT_TO_POINTER (DF_GRAPH_SYNC), test_inputs);
  g_test_add_func ("/graph/inputs/outside", test_outside);
  g_test_add_func ("/graph/drain-on-stop", test_drain_on_stop);
  return g_test_run ();
}
