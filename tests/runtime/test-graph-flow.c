/* test-graph-flow.c — graphs over time and at volume: zip with leftovers,
 * batch N within D, every-scheduled start nodes and drain, cron
 * expressions, periodic statistics, memory bounded by the queues under a
 * 1,000,000-item source, and the checks of df_graph_new().
 */
#include "graph-test.h"

#define E(a, b) { .from = (a), .to = (b) }

typedef struct {
  GArray   *seen;       /* gint64 */
  GArray   *batches;    /* guint: batch sizes */
  gint      src_paused; /* atomic: the source is sleeping mid-stream */
  guint     flushed_while_paused;
  guint     ticks;
  guint     stop_after;
  gint64    sum;
  DfGraph  *graph;
} T;

static void
t_init (T *t)
{
  memset (t, 0, sizeof *t);
  t->seen = g_array_new (FALSE, FALSE, sizeof (gint64));
  t->batches = g_array_new (FALSE, FALSE, sizeof (guint));
  test_str_reset ();
}

static void
t_clear (T *t)
{
  g_array_unref (t->seen);
  g_array_unref (t->batches);
}

static T *
t_of (DfCall *call)
{
  return df_call_get_user_data (call);
}

typedef struct { gint64 n; } CountIn;

static void
count_start (gconstpointer inputs, gpointer item)
{
  ((IntItem *) item)->v = ((const CountIn *) inputs)->n;
}

static DfGraph *
new_graph (DfRuntime *rt, const DfGraphDesc *desc, gint64 n, T *t, DfGraphMode mode)
{
  CountIn in = { n };
  GError *error = NULL;
  DfGraph *g = df_graph_new (rt, desc, &in, &error);

  g_assert_no_error (error);
  df_graph_set_user_data (g, t);
  df_graph_set_mode (g, mode);
  t->graph = g;
  return g;
}

/* ------------------------------------------------------------------ zip */

/* stage nums(n) emits (v: gint64);  stage names(n) emits (s: Str);
 * stage pair(v: gint64, s: Str);  zip(nums, names) -> pair; */
typedef struct { gint64 v; char *s; } PairItem;

static gboolean
nums_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  for (gint64 i = 0; i < ((IntItem *) items)->v; i++)
    int_emit (df_call_get_context (call), i);
  return TRUE;
}

static gboolean
names_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  for (gint64 i = 0; i < ((IntItem *) items)->v * 7 / 10; i++)
    str_emit (df_call_get_context (call), test_str_new ("s%" G_GINT64_FORMAT, i));
  return TRUE;
}

static void
pair_from_nums (gpointer src, gpointer dst)
{
  ((PairItem *) dst)->v = ((IntItem *) src)->v;
}

static void
pair_from_names_copy (gpointer src, gpointer dst)
{
  ((PairItem *) dst)->s = test_str_copy (((StrItem *) src)->s);
}

static void
pair_from_names_move (gpointer src, gpointer dst)
{
  ((PairItem *) dst)->s = g_steal_pointer (&((StrItem *) src)->s);
}

static void
pair_free (gpointer item)
{
  test_str_free (((PairItem *) item)->s);
}

static gboolean
pair_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  PairItem *p = items;
  g_autofree char *want = g_strdup_printf ("s%" G_GINT64_FORMAT, p->v);

  g_assert_cmpstr (p->s, ==, want);
  g_array_append_val (t_of (call)->seen, p->v);
  return TRUE;
}

static const DfGraphNodeDesc zip_nodes[] = {
  { .name = "nums", .kind = DF_NODE_SYNC, .run = nums_run, .item_size = sizeof (IntItem),
    .start = count_start, .emit_size = sizeof (IntItem) },
  { .name = "names", .kind = DF_NODE_BLOCKING, .run = names_run, .item_size = sizeof (IntItem),
    .start = count_start, .emit_size = sizeof (StrItem), .emit_free = str_item_free },
  { .name = "pair", .kind = DF_NODE_SYNC, .run = pair_run, .item_size = sizeof (PairItem),
    .item_free = pair_free, .queue = 4 },
};
static const DfGraphEdgeDesc zip_edges[] = {
  { .from = 0, .to = 2, .copy = pair_from_nums, .zip = 1 },
  { .from = 1, .to = 2, .copy = pair_from_names_copy, .move = pair_from_names_move, .zip = 2 },
};
static const DfGraphDesc zip_desc = { "zip", zip_nodes, 3, zip_edges, 2, sizeof (CountIn), FALSE };

static void
test_zip (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = new_graph (rt, &zip_desc, 100, &t, GPOINTER_TO_INT (data));
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.seen->len, ==, 70);
  for (guint i = 0; i < 70; i++)
    g_assert_cmpint (g_array_index (t.seen, gint64, i), ==, i);
  /* The 30 numbers without a name are leftovers: inputs of pair, dropped. */
  DfGraphNodeStats s = graph_node_stats (g, "pair");
  g_assert_cmpint (s.ok, ==, 70);
  g_assert_cmpint (s.dropped, ==, 30);
  g_assert_cmpint (s.in, ==, 100);
  g_assert_cmpint (s.queue_max, <=, 4);
  test_str_assert_balanced ();
  graph_assert_accounting (g);
  t_clear (&t);
}

/* --------------------------------------------------------- batch within */

/* stage burst() emits (v) blocking: 10 items, a pause, 3 more */
static gboolean
burst_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  T *t = t_of (call);

  for (gint64 i = 0; i < 10; i++)
    int_emit (df_call_get_context (call), i);
  g_atomic_int_set (&t->src_paused, 1);
  g_usleep (300000);
  g_atomic_int_set (&t->src_paused, 0);
  for (gint64 i = 10; i < 13; i++)
    int_emit (df_call_get_context (call), i);
  return TRUE;
}

/* stage sum(v: gint64[]) batch 4 within 30ms */
static gboolean
sum_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  T *t = t_of (call);
  IntItem *batch = items;
  guint len = (guint) n;

  g_assert_cmpuint (len, >=, 1);
  g_assert_cmpuint (len, <=, 4);
  g_array_append_val (t->batches, len);
  for (gsize i = 0; i < n; i++)
    {
      g_array_append_val (t->seen, batch[i].v);
      t->sum += batch[i].v;
    }
  if (len < 4 && g_atomic_int_get (&t->src_paused))
    t->flushed_while_paused++;
  return TRUE;
}

static const DfGraphNodeDesc batch_nodes[] = {
  { .name = "burst", .kind = DF_NODE_BLOCKING, .run = burst_run, .emit_size = sizeof (IntItem) },
  { .name = "sum", .kind = DF_NODE_SYNC, .run = sum_run, .item_size = sizeof (IntItem),
    .batch = 4, .batch_within = 30 * G_TIME_SPAN_MILLISECOND, .queue = 8 },
};
static const DfGraphEdgeDesc batch_edges[] = { E (0, 1) };
static const DfGraphDesc batch_desc = { "batch", batch_nodes, 2, batch_edges, 1, 0, FALSE };

static void
test_batch_within (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = new_graph (rt, &batch_desc, 0, &t, DF_GRAPH_ASYNC);
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.seen->len, ==, 13);
  for (guint i = 0; i < 13; i++)
    g_assert_cmpint (g_array_index (t.seen, gint64, i), ==, i);
  /* 4 + 4, then the 2 left are flushed by `within` during the pause, and
   * the last 3 at the end of input (or by `within`). */
  g_assert_cmpuint (t.flushed_while_paused, ==, 1);
  g_assert_cmpuint (g_array_index (t.batches, guint, 0), ==, 4);
  g_assert_cmpuint (g_array_index (t.batches, guint, 1), ==, 4);
  g_assert_cmpuint (g_array_index (t.batches, guint, 2), ==, 2);
  DfGraphNodeStats s = graph_node_stats (g, "sum");
  g_assert_cmpint (s.in, ==, 13);
  g_assert_cmpint (s.ok, ==, 13);
  graph_assert_accounting (g);
  t_clear (&t);
}

/* ---------------------------------------------------- every, then drain */

/* stage poll() emits (v) every 2ms; drains the graph after stop_after */
static gboolean
poll_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  T *t = t_of (call);

  g_assert_null (items);
  int_emit (df_call_get_context (call), t->ticks++);
  if (t->ticks == t->stop_after)
    df_graph_drain (t->graph);
  return TRUE;
}

static gboolean
collect_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  g_array_append_val (t_of (call)->seen, ((IntItem *) items)->v);
  return TRUE;
}

static const DfGraphNodeDesc every_nodes[] = {
  { .name = "poll", .kind = DF_NODE_SYNC, .run = poll_run, .emit_size = sizeof (IntItem),
    .every = 2 * G_TIME_SPAN_MILLISECOND },
  { .name = "sink", .kind = DF_NODE_SYNC, .run = collect_run, .item_size = sizeof (IntItem) },
};
static const DfGraphEdgeDesc every_edges[] = { E (0, 1) };
static const DfGraphDesc every_desc = { "every", every_nodes, 2, every_edges, 1, 0, FALSE };

static void
count_report (DfGraph *graph, gpointer data)
{
  (*(guint *) data)++;
}

static void
test_every (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  guint reports = 0;
  T t;

  t_init (&t);
  t.stop_after = 25;
  g_autoptr (DfGraph) g = new_graph (rt, &every_desc, 0, &t, DF_GRAPH_ASYNC);
  df_graph_set_stats_interval (g, 10 * G_TIME_SPAN_MILLISECOND, count_report, &reports);
  gint64 start = g_get_monotonic_time ();
  graph_run (g, &r, 30);
  gint64 took = g_get_monotonic_time () - start;
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.ticks, ==, 25);
  g_assert_cmpuint (t.seen->len, ==, 25);
  /* 24 intervals of 2ms; the pace is kept without a timer per tick. */
  g_assert_cmpint (took, >=, 48 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (reports, >=, 2);
  DfGraphNodeStats s = graph_node_stats (g, "poll");
  g_assert_cmpint (s.ok, ==, 25);
  graph_assert_accounting (g);
  g_assert_cmpuint (df_runtime_get_n_timers (rt), ==, 0);
  t_clear (&t);
}

/* ----------------------------------------------------------------- cron */

static GDateTime *
utc (gint y, gint mo, gint d, gint h, gint mi)
{
  return g_date_time_new_utc (y, mo, d, h, mi, 0);
}

static void
assert_next (const char *expr, GDateTime *after, gint y, gint mo, gint d, gint h, gint mi)
{
  GError *error = NULL;
  g_autoptr (DfCron) cron = df_cron_parse (expr, &error);
  g_assert_no_error (error);
  g_autoptr (GDateTime) next = df_cron_next (cron, after);
  g_assert_nonnull (next);
  g_autofree char *got = g_date_time_format (next, "%Y-%m-%d %H:%M");
  g_autofree char *want = g_strdup_printf ("%04d-%02d-%02d %02d:%02d", y, mo, d, h, mi);
  g_assert_cmpstr (got, ==, want);
  g_date_time_unref (after);
}

static void
test_cron (void)
{
  assert_next ("*/15 * * * *", utc (2025, 6, 1, 10, 7), 2025, 6, 1, 10, 15);
  assert_next ("*/15 * * * *", utc (2025, 6, 1, 10, 45), 2025, 6, 1, 11, 0);
  assert_next ("* * * * *", utc (2025, 12, 31, 23, 59), 2026, 1, 1, 0, 0);
  assert_next ("0 0 29 2 *", utc (2025, 3, 1, 0, 0), 2028, 2, 29, 0, 0);
  /* 2025-06-07 is a Saturday. */
  assert_next ("30 9 * * mon-fri", utc (2025, 6, 7, 12, 0), 2025, 6, 9, 9, 30);
  assert_next ("0 12 * JAN,jul sun", utc (2025, 6, 7, 12, 0), 2025, 7, 6, 12, 0);
  assert_next ("5/20 8-10/2 * * *", utc (2025, 6, 7, 8, 46), 2025, 6, 7, 10, 5);
  /* Both day fields restricted: the 13th or a Friday (2025-06-13 is one;
   * after it the next Friday is the 20th). */
  assert_next ("0 0 13 * 5", utc (2025, 6, 13, 0, 0), 2025, 6, 20, 0, 0);
  assert_next ("0 0 * * 7", utc (2025, 6, 7, 0, 0), 2025, 6, 8, 0, 0);

  g_autoptr (DfCron) never = df_cron_parse ("0 0 30 2 *", NULL);
  g_autoptr (GDateTime) from = utc (2025, 1, 1, 0, 0);
  g_assert_null (df_cron_next (never, from));

  const char *bad[][2] = {
    { "60 * * * *", "minute field: 60 is out of range 0-59" },
    { "* * *", "expected five fields" },
    { "* * * * * *", "more than five fields" },
    { "a * * * *", "minute field: unexpected 'a'" },
    { "5-1 * * * *", "range 5-1 is backwards" },
    { "*/0 * * * *", "step 0 is out of range" },
    { "* 24 * * *", "hour field: 24 is out of range 0-23" },
    { "* * 0 * *", "day of month field: 0 is out of range 1-31" },
    { "* * * foo *", "month field: unexpected 'foo'" },
    { "* * * * 1;2", "unexpected ';'" },
    { "", "expected five fields" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      GError *error = NULL;
      g_assert_null (df_cron_parse (bad[i][0], &error));
      g_assert_error (error, DF_ERROR, DF_ERROR_USAGE);
      if (!strstr (error->message, bad[i][1]))
        g_test_fail_printf ("'%s': '%s' lacks '%s'", bad[i][0], error->message, bad[i][1]);
      g_error_free (error);
    }
}

/* A cron start node is armed on the shared timer heap and drains. */
static const DfGraphNodeDesc cron_nodes[] = {
  { .name = "cron", .kind = DF_NODE_SYNC, .run = poll_run, .emit_size = sizeof (IntItem),
    .cron = "* * * * *" },
  { .name = "sink", .kind = DF_NODE_SYNC, .run = collect_run, .item_size = sizeof (IntItem) },
};
static const DfGraphDesc cron_desc = { "cron", cron_nodes, 2, every_edges, 1, 0, FALSE };

static gboolean
drain_later (gpointer data)
{
  df_graph_drain (data);
  return G_SOURCE_REMOVE;
}

static void
test_cron_node (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = new_graph (rt, &cron_desc, 0, &t, DF_GRAPH_ASYNC);
  g_timeout_add (20, drain_later, g);
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  graph_assert_accounting (g);
  g_assert_cmpint (graph_node_stats (g, "cron").in, <=, 1);   /* a minute boundary, rarely */
  t_clear (&t);
}

/* ------------------------------------------------------- memory bounded */

#define MILLION 1000000

/* stage firehose() emits (v) blocking: a million items as fast as it can */
static gboolean
firehose_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  for (gint64 i = 0; i < MILLION; i++)
    int_emit (df_call_get_context (call), i);
  return TRUE;
}

/* stage triple(v) emits (v) three times: a sync generator in the middle */
static gboolean
triple_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  gint64 v = ((IntItem *) items)->v;
  for (int k = 0; k < 3; k++)
    int_emit (df_call_get_context (call), v);
  return TRUE;
}

/* stage slow_sink(v): does a little work per item */
static gboolean
slow_sink_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  T *t = t_of (call);
  volatile guint64 x = (guint64) ((IntItem *) items)->v;   /* wraps: no signed overflow */

  for (int k = 0; k < 50; k++)
    x = x * 31 + k;
  t->sum += ((IntItem *) items)->v;
  return TRUE;
}

static const DfGraphNodeDesc bounded_nodes[] = {
  { .name = "firehose", .kind = DF_NODE_BLOCKING, .run = firehose_run,
    .emit_size = sizeof (IntItem) },
  { .name = "triple", .kind = DF_NODE_SYNC, .run = triple_run, .item_size = sizeof (IntItem),
    .emit_size = sizeof (IntItem), .queue = 100 },
  { .name = "sink", .kind = DF_NODE_SYNC, .run = slow_sink_run,
    .item_size = sizeof (IntItem), .queue = 100 },
};
static const DfGraphEdgeDesc bounded_edges[] = { E (0, 1), E (1, 2) };
static const DfGraphDesc bounded_desc = {
  "bounded", bounded_nodes, 3, bounded_edges, 2, 0, FALSE,
};

static void
test_memory_bounded (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  DfRuntimeCounters c;
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = new_graph (rt, &bounded_desc, 0, &t, DF_GRAPH_ASYNC);
  graph_run (g, &r, 280);
  g_assert_no_error (r.error);
  DfGraphNodeStats s = graph_node_stats (g, "triple");
  g_assert_cmpint (s.in, ==, MILLION);
  g_assert_cmpint (s.queue_max, <=, 100);
  g_assert_cmpint (s.queue_max, >=, 50);       /* it did fill up */
  s = graph_node_stats (g, "sink");
  g_assert_cmpint (s.ok, ==, 3 * (gint64) MILLION);
  g_assert_cmpint (s.queue_max, <=, 100);
  g_assert_cmpint (t.sum, ==, 3 * ((gint64) MILLION * (MILLION - 1) / 2));
  graph_assert_accounting (g);
  /* Batched: far fewer dispatches than items. */
  df_runtime_get_counters (rt, &c);
  g_assert_cmpuint (c.ready_dispatches, <, MILLION / 10);
  t_clear (&t);
}

/* ------------------------------------------------------- descriptions */

static void
test_bad_desc (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
#define N(nm, ...) { .name = nm, .run = collect_run, .item_size = sizeof (IntItem), __VA_ARGS__ }
  const DfGraphNodeDesc nodes[] = { N ("a"), N ("b"), N ("c") };
  const DfGraphNodeDesc bad_cron[] = { N ("a", .cron = "61 * * * *") };
  const DfGraphNodeDesc every_inner[] = { N ("a"), N ("b", .every = 1000) };
#undef N
  const DfGraphEdgeDesc cycle[] = { E (0, 1), E (1, 2), E (2, 1) };
  const DfGraphEdgeDesc self[] = { E (0, 0) };
  const DfGraphEdgeDesc zip_gap[] = { { 0, 2, .copy = str_edge_copy, .zip = 1 },
                                      { 1, 2, .copy = str_edge_copy, .zip = 3 } };
  const struct { DfGraphDesc desc; const char *msg; } cases[] = {
    { { "g", nodes, 3, cycle, 3, 0, FALSE }, "cycle through node 'b'" },
    { { "g", nodes, 3, self, 1, 0, FALSE }, "bad node index" },
    { { "g", nodes, 3, zip_gap, 2, 0, FALSE }, "zip positions must be 1..2" },
    { { "g", bad_cron, 1, NULL, 0, 0, FALSE }, "61 is out of range 0-59" },
    { { "g", every_inner, 2, (const DfGraphEdgeDesc[]) { E (0, 1) }, 1, 0, FALSE },
      "every/cron only on start nodes" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GError *error = NULL;
      DfGraph *g = df_graph_new (rt, &cases[i].desc, NULL, &error);
      g_assert_null (g);
      g_assert_error (error, DF_ERROR, DF_ERROR_USAGE);
      if (!strstr (error->message, cases[i].msg))
        g_test_fail_printf ("case %u: '%s' lacks '%s'", i, error->message, cases[i].msg);
      g_error_free (error);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/graph/zip/async", GINT_TO_POINTER (DF_GRAPH_ASYNC), test_zip);
  g_test_add_data_func ("/graph/zip/sync", GINT_TO_POINTER (DF_GRAPH_SYNC), test_zip);
  g_test_add_func ("/graph/batch-within", test_batch_within);
  g_test_add_func ("/graph/every-drain", test_every);
  g_test_add_func ("/graph/cron/parse", test_cron);
  g_test_add_func ("/graph/cron/node", test_cron_node);
  g_test_add_func ("/graph/memory-bounded", test_memory_bounded);
  g_test_add_func ("/graph/bad-desc", test_bad_desc);
  return g_test_run ();
}
