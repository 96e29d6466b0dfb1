/* test-graph.c — graphs: hand-written descriptions and trampolines shaped
 * like the code dfc generates (see docs/runtime.md, "Graphs").
 *
 * Linear chains, fan-out copies, fan-in, errors (skip, node halt, graph
 * halt_on_error), retry, blocking and async nodes with tasks N, start
 * nodes with arguments, graphs without edges, sync-mode order, timeouts
 * and cancel.
 */
#include "graph-test.h"

/* What the stages of one test share (the graph's user data). */
typedef struct {
  GArray    *seen;          /* gint64 values, in arrival order */
  GPtrArray *log;           /* "node:value", sync-mode order */
  gint       running;       /* atomic: blocking invocations now */
  gint       max_running;   /* atomic */
  gint       attempts[256]; /* per value: calls so far */
  guint      fail_first;    /* fail the first N attempts of each value */
  DfGraph   *graph;
} T;

static void
t_init (T *t)
{
  memset (t, 0, sizeof *t);
  t->seen = g_array_new (FALSE, FALSE, sizeof (gint64));
  t->log = g_ptr_array_new_with_free_func (g_free);
  test_str_reset ();
}

static void
t_clear (T *t)
{
  g_array_unref (t->seen);
  g_ptr_array_unref (t->log);
}

static T *
t_of (DfCall *call)
{
  return df_call_get_user_data (call);
}

static DfContext *
ctx_of (DfCall *call)
{
  return df_call_get_context (call);
}

/* ------------------------------------------------ generated-like stages */

/* The graph's In struct: graph g(n: gint64). */
typedef struct { gint64 n; } CountIn;

/* start node count_up(n = n): its input item from the graph's inputs */
static void
count_start (gconstpointer inputs, gpointer item)
{
  ((IntItem *) item)->v = ((const CountIn *) inputs)->n;
}

/* stage count_up(n: gint64) emits (v: gint64); */
static gboolean
count_up_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  for (gint64 i = 0; i < ((IntItem *) items)->v; i++)
    int_emit (ctx_of (call), i);
  return TRUE;
}

/* stage dbl(v: gint64) -> (v: gint64); */
static gboolean
double_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  int_emit (ctx_of (call), ((IntItem *) items)->v * 2);
  return TRUE;
}

/* stage collect(v: gint64); */
static gboolean
collect_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  g_array_append_val (t_of (call)->seen, ((IntItem *) items)->v);
  return TRUE;
}

/* stage check(v: gint64) -> (v: gint64); fails on odd values, or on the
 * first fail_first attempts of each value */
static gboolean
check_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  T *t = t_of (call);
  gint64 v = ((IntItem *) items)->v;

  if (t->fail_first)
    {
      if ((guint) t->attempts[v % 256]++ < t->fail_first)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "attempt %d of %" G_GINT64_FORMAT,
                       t->attempts[v % 256], v);
          return FALSE;
        }
    }
  else if (v % 2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "odd %" G_GINT64_FORMAT, v);
      return FALSE;
    }
  int_emit (ctx_of (call), v);
  return TRUE;
}

/* Edges: plain (memcpy of IntItem) and owned strings (copy, last moves). */
#define E(a, b)  { .from = (a), .to = (b) }
#define ES(a, b) { .from = (a), .to = (b), .copy = str_edge_copy, .move = str_edge_move }

#define INT_NODE(nm, fn, ...) \
  { .name = nm, .kind = DF_NODE_SYNC, .run = fn, .item_size = sizeof (IntItem), \
    .emit_size = sizeof (IntItem), __VA_ARGS__ }

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

/* --------------------------------------------------------------- linear */

static const DfGraphNodeDesc linear_nodes[] = {
  INT_NODE ("src", count_up_run, .start = count_start),
  INT_NODE ("dbl", double_run, .queue = 8),
  INT_NODE ("sink", collect_run, .queue = 8, .emit_size = 0),
};
static const DfGraphEdgeDesc linear_edges[] = { E (0, 1), E (1, 2) };
static const DfGraphDesc linear_desc = {
  "linear", linear_nodes, 3, linear_edges, 2, sizeof (CountIn), FALSE,
};

static void
test_linear (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = new_graph (rt, &linear_desc, 1000, &t, GPOINTER_TO_INT (data));
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.seen->len, ==, 1000);
  for (guint i = 0; i < t.seen->len; i++)
    g_assert_cmpint (g_array_index (t.seen, gint64, i), ==, 2 * i);

  DfGraphNodeStats s = graph_node_stats (g, "src");
  g_assert_cmpint (s.in, ==, 1);
  g_assert_cmpint (s.ok, ==, 1);
  g_assert_cmpint (s.out, ==, 1000);
  s = graph_node_stats (g, "dbl");
  g_assert_cmpint (s.in, ==, 1000);
  g_assert_cmpint (s.out, ==, 1000);
  g_assert_cmpint (s.queue_size, ==, 8);
  g_assert_cmpint (s.queue_max, <=, 8);
  s = graph_node_stats (g, "sink");
  g_assert_cmpint (s.ok, ==, 1000);
  graph_assert_accounting (g);
  g_assert_true (df_graph_is_finished (g));
  t_clear (&t);
}

/* -------------------------------------------------------------- fan-out */

/* stage words(n: gint64) emits (s: Str); */
static gboolean
words_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  for (gint64 i = 0; i < ((IntItem *) items)->v; i++)
    str_emit (ctx_of (call), test_str_new ("w%" G_GINT64_FORMAT, i));
  return TRUE;
}

/* stage keep(s: Str); logs "s" */
static gboolean
keep_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  T *t = t_of (call);
  const char *s = ((StrItem *) items)->s;

  g_assert_nonnull (s);
  g_ptr_array_add (t->log, g_strdup_printf ("%s:%s", df_call_get_stage_name (call), s));
  return TRUE;
}

#define STR_SINK(nm) \
  { .name = nm, .stage = nm, .kind = DF_NODE_SYNC, .run = keep_run, \
    .item_size = sizeof (StrItem), .item_free = str_item_free, .queue = 4 }

static const DfGraphNodeDesc fanout_nodes[] = {
  { .name = "src", .kind = DF_NODE_SYNC, .run = words_run, .item_size = sizeof (IntItem),
    .start = count_start, .emit_size = sizeof (StrItem), .emit_free = str_item_free },
  STR_SINK ("a"), STR_SINK ("b"), STR_SINK ("c"),
};
static const DfGraphEdgeDesc fanout_edges[] = {
  ES (0, 1),
  ES (0, 2),
  ES (0, 3),
};
static const DfGraphDesc fanout_desc = {
  "fanout", fanout_nodes, 4, fanout_edges, 3, sizeof (CountIn), FALSE,
};

static void
test_fanout (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = new_graph (rt, &fanout_desc, 100, &t, GPOINTER_TO_INT (data));
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.log->len, ==, 300);
  /* One original per item and two copies: the last edge moves. */
  g_assert_cmpint (test_str_allocs, ==, 300);
  test_str_assert_balanced ();
  for (guint k = 1; k <= 3; k++)
    {
      DfGraphNodeStats s;
      df_graph_get_node_stats (g, k, &s);
      g_assert_cmpint (s.in, ==, 100);
      g_assert_cmpint (s.ok, ==, 100);
    }
  graph_assert_accounting (g);
  t_clear (&t);
}

/* --------------------------------------------------------------- fan-in */

/* start node two(n = n): emits n .. n + 99 */
static gboolean
hundred_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  for (gint64 i = 0; i < 100; i++)
    int_emit (ctx_of (call), ((IntItem *) items)->v + i);
  return TRUE;
}

static void
start_1000 (gconstpointer inputs, gpointer item)
{
  ((IntItem *) item)->v = 1000;
}

static const DfGraphNodeDesc fanin_nodes[] = {
  INT_NODE ("a", hundred_run, .start = count_start),
  INT_NODE ("b", hundred_run, .start = start_1000),
  INT_NODE ("sink", collect_run, .queue = 3),
};
static const DfGraphEdgeDesc fanin_edges[] = { E (0, 2), E (1, 2) };
static const DfGraphDesc fanin_desc = {
  "fanin", fanin_nodes, 3, fanin_edges, 2, sizeof (CountIn), FALSE,
};

static gint
cmp_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
test_fanin (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = new_graph (rt, &fanin_desc, 0, &t, GPOINTER_TO_INT (data));
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.seen->len, ==, 200);
  g_array_sort (t.seen, cmp_int64);
  for (guint i = 0; i < 100; i++)
    {
      g_assert_cmpint (g_array_index (t.seen, gint64, i), ==, i);
      g_assert_cmpint (g_array_index (t.seen, gint64, 100 + i), ==, 1000 + i);
    }
  g_assert_cmpint (graph_node_stats (g, "sink").in, ==, 200);
  graph_assert_accounting (g);
  t_clear (&t);
}

/* --------------------------------------------------------------- errors */

typedef struct {
  gboolean  halt_on_error;
  DfOnError policy;
  gboolean  expect_halt;
} ErrorCase;

static void
collect_error (guint node, gint64 time, const GError *error, gpointer data)
{
  g_assert_cmpint (time, >, 0);
  g_ptr_array_add (data, g_strdup (error->message));
}

static void
test_errors (gconstpointer data)
{
  const ErrorCase *ec = data;
  const DfGraphNodeDesc nodes[] = {
    INT_NODE ("src", count_up_run, .start = count_start),
    INT_NODE ("check", check_run, .queue = 4, .on_error = ec->policy),
    INT_NODE ("sink", collect_run, .queue = 4),
  };
  const DfGraphEdgeDesc edges[] = { E (0, 1), E (1, 2) };
  const DfGraphDesc desc = { "errors", nodes, 3, edges, 2, sizeof (CountIn), ec->halt_on_error };
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = new_graph (rt, &desc, 100, &t, DF_GRAPH_ASYNC);
  df_graph_set_max_errors (g, 10);
  graph_run (g, &r, 30);
  DfGraphNodeStats s = graph_node_stats (g, "check");
  graph_assert_accounting (g);
  if (ec->expect_halt)
    {
      g_assert_error (r.error, DF_ERROR, DF_ERROR_HALTED);
      g_assert_nonnull (strstr (r.error->message, "node 'check' failed: odd 1"));
      g_assert_cmpint (s.err, ==, 1);
      g_assert_cmpint (s.ok, ==, 1);
      g_assert_cmpint (s.in, ==, 100);
      g_assert_cmpint (s.dropped, ==, 98);
      /* v=0 reached the sink's queue; the halt dropped it there. */
      DfGraphNodeStats k = graph_node_stats (g, "sink");
      g_assert_cmpint (k.in, ==, 1);
      g_assert_cmpint (k.ok + k.dropped, ==, 1);
      g_assert_cmpuint (t.seen->len, ==, k.ok);
    }
  else
    {
      g_assert_no_error (r.error);
      g_assert_cmpint (s.err, ==, 50);
      g_assert_cmpint (s.ok, ==, 50);
      g_assert_cmpint (s.errors, ==, 50);
      g_assert_cmpint (s.dropped, ==, 0);
      g_assert_cmpuint (t.seen->len, ==, 50);
      /* The last 10 errors, oldest first. */
      g_autoptr (GPtrArray) msgs = g_ptr_array_new_with_free_func (g_free);
      df_graph_foreach_error (g, 1, collect_error, msgs);
      g_assert_cmpuint (msgs->len, ==, 10);
      g_assert_cmpstr (msgs->pdata[0], ==, "odd 81");
      g_assert_cmpstr (msgs->pdata[9], ==, "odd 99");
    }
  g_autofree char *report = df_graph_format_stats (g);
  g_assert_nonnull (strstr (report, "check"));
  g_assert_nonnull (strstr (report, "last: odd"));
  graph_result_clear (&r);
  t_clear (&t);
}

static const ErrorCase error_skip = { FALSE, DF_ON_ERROR_DEFAULT, FALSE };
static const ErrorCase error_node_skip = { TRUE, DF_ON_ERROR_SKIP, FALSE };
static const ErrorCase error_node_halt = { FALSE, DF_ON_ERROR_HALT, TRUE };
static const ErrorCase error_graph_halt = { TRUE, DF_ON_ERROR_DEFAULT, TRUE };

/* ---------------------------------------------------------------- retry */

static void
test_retry (gconstpointer data)
{
  guint retries = GPOINTER_TO_UINT (data);
  const DfGraphNodeDesc nodes[] = {
    INT_NODE ("src", count_up_run, .start = count_start),
    INT_NODE ("check", check_run, .on_error = DF_ON_ERROR_RETRY, .retries = retries,
              .backoff = G_TIME_SPAN_MILLISECOND, .backoff_max = 4 * G_TIME_SPAN_MILLISECOND),
    INT_NODE ("sink", collect_run),
  };
  const DfGraphEdgeDesc edges[] = { E (0, 1), E (1, 2) };
  const DfGraphDesc desc = { "retry", nodes, 3, edges, 2, sizeof (CountIn), FALSE };
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  t.fail_first = 2;
  g_autoptr (DfGraph) g = new_graph (rt, &desc, 20, &t, DF_GRAPH_ASYNC);
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  DfGraphNodeStats s = graph_node_stats (g, "check");
  if (retries >= 2)
    {
      g_assert_cmpint (s.ok, ==, 20);
      g_assert_cmpint (s.err, ==, 0);
      g_assert_cmpint (s.retries, ==, 40);
      g_assert_cmpint (s.errors, ==, 40);
      g_assert_cmpuint (t.seen->len, ==, 20);
      for (guint i = 0; i < 20; i++)
        g_assert_cmpint (g_array_index (t.seen, gint64, i), ==, i);   /* tasks 1: in order */
    }
  else
    {
      g_assert_cmpint (s.ok, ==, 0);
      g_assert_cmpint (s.err, ==, 20);
      g_assert_cmpint (s.retries, ==, 20);
      g_assert_cmpuint (t.seen->len, ==, 0);
    }
  graph_assert_accounting (g);
  t_clear (&t);
}

/* ----------------------------------- blocking and async nodes, tasks 4 */

/* stage spread(v: gint64) emits (v: gint64) blocking; worker thread */
static gboolean
spread_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  T *t = t_of (call);
  gint64 v = ((IntItem *) items)->v;
  gint now = g_atomic_int_add (&t->running, 1) + 1;
  gint seen;

  while ((seen = g_atomic_int_get (&t->max_running)) < now
         && !g_atomic_int_compare_and_exchange (&t->max_running, seen, now))
    ;
  g_usleep (2000);
  g_atomic_int_add (&t->running, -1);
  int_emit (ctx_of (call), v);
  int_emit (ctx_of (call), v + 1000);
  return TRUE;
}

/* stage fetch(v: gint64) -> (w: gint64) async; completed by other threads */
typedef struct { DfCall call; gint64 w; } FetchWCall;

typedef struct { DfCall *call; gint64 v; } FetchJob;

static TestQueue fetch_jobs;

static void
fetchw_return (DfCall *call, gint64 w)      /* generated NAME_return */
{
  if (!df_call_claim (call))
    return;
  ((FetchWCall *) call)->w = w;
  df_call_complete_claimed (call);
}

static gboolean
fetchw_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  FetchJob *job = g_new (FetchJob, 1);

  job->call = call;
  job->v = ((IntItem *) items)->v;
  test_queue_push (&fetch_jobs, job);
  return TRUE;
}

/* generated: the async `->` stage's outputs become its item */
static void
fetchw_complete (DfCall *call)
{
  int_emit (df_call_get_context (call), ((FetchWCall *) call)->w);
}

static gpointer
fetch_completer (gpointer data)
{
  FetchJob *job;

  while ((job = test_queue_pop (&fetch_jobs)))
    {
      g_usleep (300);
      fetchw_return (job->call, job->v * 10);
      g_free (job);
    }
  return NULL;
}

static const DfGraphNodeDesc nonlinear_nodes[] = {
  INT_NODE ("src", count_up_run, .start = count_start),
  INT_NODE ("spread", spread_run, .kind = DF_NODE_BLOCKING, .tasks = 4, .queue = 4),
  INT_NODE ("fetch", fetchw_run, .kind = DF_NODE_ASYNC, .tasks = 4, .queue = 4,
            .call_size = sizeof (FetchWCall), .complete = fetchw_complete),
  INT_NODE ("sink", collect_run, .queue = 4),
};
static const DfGraphEdgeDesc nonlinear_edges[] = { E (0, 1), E (0, 2), E (1, 3), E (2, 3) };
static const DfGraphDesc nonlinear_desc = {
  "nonlinear", nonlinear_nodes, 4, nonlinear_edges, 4, sizeof (CountIn), FALSE,
};

static void
test_blocking_tasks (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  GThread *threads[3];
  T t;

  t_init (&t);
  test_queue_init (&fetch_jobs);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("completer", fetch_completer, NULL);
  g_autoptr (DfGraph) g = new_graph (rt, &nonlinear_desc, 40, &t, GPOINTER_TO_INT (data));
  graph_run (g, &r, 60);
  test_queue_close (&fetch_jobs);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  test_queue_clear (&fetch_jobs);

  g_assert_no_error (r.error);
  g_assert_cmpuint (t.seen->len, ==, 120);
  g_array_sort (t.seen, cmp_int64);
  gint64 expect[120];
  for (guint i = 0; i < 40; i++)
    {
      expect[i] = i;
      expect[40 + i] = 10 * i;
      expect[80 + i] = 1000 + i;
    }
  qsort (expect, 120, sizeof (gint64), cmp_int64);
  for (guint i = 0; i < 120; i++)
    g_assert_cmpint (g_array_index (t.seen, gint64, i), ==, expect[i]);
  if (GPOINTER_TO_INT (data) == DF_GRAPH_ASYNC)
    g_assert_cmpint (t.max_running, >=, 2);
  g_assert_cmpint (t.max_running, <=, GPOINTER_TO_INT (data) == DF_GRAPH_ASYNC ? 4 : 1);
  g_assert_cmpint (graph_node_stats (g, "spread").out, ==, 80);
  g_assert_cmpint (graph_node_stats (g, "fetch").out, ==, 40);
  graph_assert_accounting (g);
  t_clear (&t);
}

/* `limit 1` on a blocking node with tasks 4: one invocation at a time. */
static DfLimit spread_limit = DF_LIMIT_INIT (1);

static const DfGraphNodeDesc limit_nodes[] = {
  INT_NODE ("src", count_up_run, .start = count_start),
  INT_NODE ("spread", spread_run, .kind = DF_NODE_BLOCKING, .tasks = 4, .queue = 4,
            .limit = &spread_limit),
  INT_NODE ("sink", collect_run),
};
static const DfGraphEdgeDesc limit_edges[] = { E (0, 1), E (1, 2) };
static const DfGraphDesc limit_desc = {
  "limit", limit_nodes, 3, limit_edges, 2, sizeof (CountIn), FALSE,
};

static void
test_limit (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = new_graph (rt, &limit_desc, 12, &t, DF_GRAPH_ASYNC);
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.seen->len, ==, 24);
  g_assert_cmpint (t.max_running, ==, 1);
  g_assert_cmpuint (df_limit_get_used (&spread_limit), ==, 0);
  graph_assert_accounting (g);
  t_clear (&t);
}

/* ---------------------------------------------- start nodes, arguments */

/* graph g(prefix: const char *, count: gint64); node gen = gen(step = 3) */
typedef struct { const char *prefix; gint64 count; } GenIn;
typedef struct { char *prefix; gint64 count; gint64 step; } GenItem;

static void
gen_start (gconstpointer inputs, gpointer item)
{
  const GenIn *in = inputs;
  GenItem *it = item;

  it->prefix = test_str_copy (in->prefix);   /* an owned parameter */
  it->count = in->count;
  it->step = 3;                              /* a constant binding */
}

static void
gen_item_free (gpointer item)
{
  test_str_free (((GenItem *) item)->prefix);
}

/* stage gen(prefix: Str, count: gint64, step: gint64) emits (s: Str); */
static gboolean
gen_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  GenItem *it = items;

  for (gint64 i = 0; i < it->count; i++)
    str_emit (ctx_of (call), test_str_new ("%s-%" G_GINT64_FORMAT, it->prefix, i * it->step));
  return TRUE;
}

static const DfGraphNodeDesc args_nodes[] = {
  { .name = "gen", .kind = DF_NODE_SYNC, .run = gen_run, .item_size = sizeof (GenItem),
    .item_free = gen_item_free, .start = gen_start, .emit_size = sizeof (StrItem),
    .emit_free = str_item_free },
  STR_SINK ("out"),
};
static const DfGraphEdgeDesc args_edges[] = { ES (0, 1) };
static const DfGraphDesc args_desc = {
  "args", args_nodes, 2, args_edges, 1, sizeof (GenIn), FALSE,
};

static void
test_start_args (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  GenIn in = { "row", 4 };
  GError *error = NULL;
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = df_graph_new (rt, &args_desc, &in, &error);
  g_assert_no_error (error);
  df_graph_set_user_data (g, &t);
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.log->len, ==, 4);
  g_assert_cmpstr (t.log->pdata[0], ==, "out:row-0");
  g_assert_cmpstr (t.log->pdata[3], ==, "out:row-9");
  test_str_assert_balanced ();
  graph_assert_accounting (g);
  t_clear (&t);
}

/* --------------------------------------------------------- no edges */

static const DfGraphNodeDesc lonely_nodes[] = {
  { .name = "a", .kind = DF_NODE_SYNC, .run = words_run, .item_size = sizeof (IntItem),
    .start = count_start, .emit_size = sizeof (StrItem), .emit_free = str_item_free },
  { .name = "b", .kind = DF_NODE_BLOCKING, .run = words_run, .item_size = sizeof (IntItem),
    .start = count_start, .emit_size = sizeof (StrItem), .emit_free = str_item_free },
};
static const DfGraphDesc lonely_desc = {
  "lonely", lonely_nodes, 2, NULL, 0, sizeof (CountIn), FALSE,
};
static const DfGraphDesc empty_desc = { "empty", NULL, 0, NULL, 0, 0, FALSE };

static void
test_no_edges (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = new_graph (rt, &lonely_desc, 200, &t, DF_GRAPH_ASYNC);
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  /* Items nobody takes are counted and freed. */
  g_assert_cmpint (graph_node_stats (g, "a").out, ==, 200);
  g_assert_cmpint (graph_node_stats (g, "b").out, ==, 200);
  g_assert_cmpint (test_str_allocs, ==, 400);
  test_str_assert_balanced ();
  graph_assert_accounting (g);

  /* And a graph without nodes ends at once. */
  g_autoptr (DfGraph) e = new_graph (rt, &empty_desc, 0, &t, DF_GRAPH_ASYNC);
  g_assert_true (df_graph_run (e, NULL));
  t_clear (&t);
}

/* ---------------------------------------------------- sync-mode order */

/* stage twice(v) emits (v): v and v + 100;  stage ten(v) -> (v): v + 10 */
static gboolean
twice_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  gint64 v = ((IntItem *) items)->v;
  g_ptr_array_add (t_of (call)->log, g_strdup_printf ("a:%" G_GINT64_FORMAT, v));
  int_emit (ctx_of (call), v);
  int_emit (ctx_of (call), v + 100);
  return TRUE;
}

static gboolean
ten_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  gint64 v = ((IntItem *) items)->v;
  g_ptr_array_add (t_of (call)->log, g_strdup_printf ("b:%" G_GINT64_FORMAT, v));
  int_emit (ctx_of (call), v + 10);
  return TRUE;
}

static gboolean
log_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  g_ptr_array_add (t_of (call)->log,
                   g_strdup_printf ("sink:%" G_GINT64_FORMAT, ((IntItem *) items)->v));
  return TRUE;
}

static gboolean
from_one_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  for (gint64 i = 1; i <= 3; i++)
    {
      g_ptr_array_add (t_of (call)->log, g_strdup_printf ("src:%" G_GINT64_FORMAT, i));
      int_emit (ctx_of (call), i);
    }
  return TRUE;
}

/* A blocking generator goes on while its items go down: it logs nothing,
 * its own progress is not ordered with theirs. */
static gboolean
from_one_quiet_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  for (gint64 i = 1; i <= 3; i++)
    int_emit (ctx_of (call), i);
  return TRUE;
}

static const DfGraphNodeDesc order_nodes[] = {
  INT_NODE ("src", from_one_quiet_run, .start = count_start, .kind = DF_NODE_BLOCKING),
  INT_NODE ("a", twice_run),
  INT_NODE ("b", ten_run, .kind = DF_NODE_BLOCKING),
  INT_NODE ("sink", log_run),
};
static const DfGraphEdgeDesc order_edges[] = { E (0, 1), E (0, 2), E (1, 3), E (2, 3) };
static const DfGraphDesc order_desc = {
  "order", order_nodes, 4, order_edges, 4, sizeof (CountIn), FALSE,
};
/* The same with a sync generator: it runs on the runtime thread, so the
 * blocking node gets its items only after the generator's call. */
static const DfGraphNodeDesc order_sync_nodes[] = {
  INT_NODE ("src", from_one_run, .start = count_start),
  INT_NODE ("a", twice_run),
  INT_NODE ("b", ten_run, .kind = DF_NODE_BLOCKING),
  INT_NODE ("sink", log_run),
};
static const DfGraphDesc order_sync_desc = {
  "order", order_sync_nodes, 4, order_edges, 4, sizeof (CountIn), FALSE,
};

static char *
run_order (const DfGraphDesc *desc)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = new_graph (rt, desc, 0, &t, DF_GRAPH_SYNC);
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  graph_assert_accounting (g);
  g_ptr_array_add (t.log, NULL);
  char *joined = g_strjoinv (" ", (char **) t.log->pdata);
  t_clear (&t);
  return joined;
}

static void
test_sync_order (void)
{
  g_autofree char *first = run_order (&order_desc);
  g_autofree char *second = run_order (&order_desc);

  /* Each item goes all the way down before the next: depth-first. */
  g_assert_cmpstr (first, ==,
                   "a:1 sink:1 sink:101 b:1 sink:11 "
                   "a:2 sink:2 sink:102 b:2 sink:12 "
                   "a:3 sink:3 sink:103 b:3 sink:13");
  g_assert_cmpstr (first, ==, second);

  /* A sync generator cannot wait: sync nodes still run on each item at
   * once, the blocking node once the generator has returned. */
  g_autofree char *sync_src = run_order (&order_sync_desc);
  g_assert_cmpstr (sync_src, ==,
                   "src:1 a:1 sink:1 sink:101 src:2 a:2 sink:2 sink:102 "
                   "src:3 a:3 sink:3 sink:103 b:1 sink:11 b:2 sink:12 b:3 sink:13");
}

/* -------------------------------------------------------------- timeout */

/* stage slow(v) -> (v) async timeout 20ms: odd values answer after 80ms */
static TestQueue slow_jobs;

static gboolean
slow_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  gint64 v = ((IntItem *) items)->v;

  if (v % 2 == 0)
    {
      fetchw_return (call, v);     /* inline completion */
      return TRUE;
    }
  FetchJob *job = g_new (FetchJob, 1);
  job->call = call;
  job->v = v;
  test_queue_push (&slow_jobs, job);
  return TRUE;
}

static gpointer
slow_completer (gpointer data)
{
  FetchJob *job;

  while ((job = test_queue_pop (&slow_jobs)))
    {
      g_usleep (80000);
      fetchw_return (job->call, job->v);   /* late: discarded */
      g_free (job);
    }
  return NULL;
}

static DfStageStats slow_stats = DF_STAGE_STATS_INIT ("slow");

static const DfGraphNodeDesc timeout_nodes[] = {
  INT_NODE ("src", count_up_run, .start = count_start),
  INT_NODE ("slow", slow_run, .kind = DF_NODE_ASYNC, .tasks = 2, .timeout = 20000,
            .stats = &slow_stats, .call_size = sizeof (FetchWCall),
            .complete = fetchw_complete, .on_error = DF_ON_ERROR_SKIP),
  INT_NODE ("sink", collect_run),
};
static const DfGraphEdgeDesc timeout_edges[] = { E (0, 1), E (1, 2) };
static const DfGraphDesc timeout_desc = {
  "timeout", timeout_nodes, 3, timeout_edges, 2, sizeof (CountIn), FALSE,
};

static void
test_timeout (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  GThread *threads[2];
  T t;

  t_init (&t);
  test_queue_init (&slow_jobs);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("slow", slow_completer, NULL);
  g_autoptr (DfGraph) g = new_graph (rt, &timeout_desc, 6, &t, DF_GRAPH_ASYNC);
  graph_run (g, &r, 30);
  test_queue_close (&slow_jobs);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  test_queue_clear (&slow_jobs);
  /* The late returns are queued to the runtime: let it take them. */
  g_autoptr (GError) error = NULL;
  g_assert_true (df_runtime_shutdown (rt, 10 * G_TIME_SPAN_SECOND, &error));
  g_assert_no_error (error);

  g_assert_no_error (r.error);
  DfGraphNodeStats s = graph_node_stats (g, "slow");
  g_assert_cmpint (s.ok, ==, 3);
  g_assert_cmpint (s.err, ==, 3);
  g_assert_cmpuint (t.seen->len, ==, 3);
  DfStageStatsValues v;
  df_stage_stats_get (&slow_stats, &v);
  g_assert_cmpint (v.timeouts, ==, 3);
  g_assert_cmpint (v.in_flight, ==, 0);
  graph_assert_accounting (g);
  t_clear (&t);
}

/* --------------------------------------------------------------- cancel */

/* stage tick() emits (v) every 1ms */
static gboolean
tick_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  T *t = t_of (call);
  int_emit (ctx_of (call), t->attempts[0]++);
  return TRUE;
}

/* stage nap(v) -> (v) blocking: 5ms */
static gboolean
nap_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  g_usleep (5000);
  int_emit (ctx_of (call), ((IntItem *) items)->v);
  return TRUE;
}

static const DfGraphNodeDesc cancel_nodes[] = {
  INT_NODE ("tick", tick_run, .item_size = 0, .every = 1000),
  INT_NODE ("nap", nap_run, .kind = DF_NODE_BLOCKING, .tasks = 2, .queue = 5),
  INT_NODE ("sink", collect_run),
};
static const DfGraphEdgeDesc cancel_edges[] = { E (0, 1), E (1, 2) };
static const DfGraphDesc cancel_desc = {
  "cancel", cancel_nodes, 3, cancel_edges, 2, 0, FALSE,
};

static GCancellable *cancel_by;

static gboolean
cancel_later (gpointer data)
{
  if (g_str_equal (g_test_get_path (), "/graph/cancel/runtime"))
    df_runtime_cancel_all (df_graph_get_runtime (data));
  else if (cancel_by)
    g_cancellable_cancel (cancel_by);
  else
    df_graph_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = new_graph (rt, &cancel_desc, 0, &t, DF_GRAPH_ASYNC);
  if (g_str_equal (g_test_get_path (), "/graph/cancel/cancellable"))
    {
      cancel_by = g_cancellable_new ();
      df_graph_set_cancellable (g, cancel_by);
    }
  g_timeout_add (60, cancel_later, g);
  graph_run (g, &r, 30);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_CANCELLED);
  DfGraphNodeStats s = graph_node_stats (g, "tick");
  g_assert_cmpint (s.ok, >, 5);
  g_assert_cmpint (graph_node_stats (g, "nap").ok, >, 2);
  graph_assert_accounting (g);
  graph_result_clear (&r);
  g_clear_object (&cancel_by);
  t_clear (&t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint m = 0; m < 2; m++)
    {
      const char *mode = m == DF_GRAPH_ASYNC ? "async" : "sync";
      gconstpointer data = GINT_TO_POINTER (m);
      g_autofree char *p1 = g_strdup_printf ("/graph/linear/%s", mode);
      g_autofree char *p2 = g_strdup_printf ("/graph/fanout/%s", mode);
      g_autofree char *p3 = g_strdup_printf ("/graph/fanin/%s", mode);
      g_autofree char *p4 = g_strdup_printf ("/graph/blocking-tasks/%s", mode);
      g_test_add_data_func (p1, data, test_linear);
      g_test_add_data_func (p2, data, test_fanout);
      g_test_add_data_func (p3, data, test_fanin);
      g_test_add_data_func (p4, data, test_blocking_tasks);
    }
  g_test_add_data_func ("/graph/errors/skip", &error_skip, test_errors);
  g_test_add_data_func ("/graph/errors/node-skip-under-halt", &error_node_skip, test_errors);
  g_test_add_data_func ("/graph/errors/node-halt", &error_node_halt, test_errors);
  g_test_add_data_func ("/graph/errors/graph-halt", &error_graph_halt, test_errors);
  g_test_add_data_func ("/graph/retry/succeeds", GUINT_TO_POINTER (3), test_retry);
  g_test_add_data_func ("/graph/retry/exhausted", GUINT_TO_POINTER (1), test_retry);
  g_test_add_func ("/graph/start-args", test_start_args);
  g_test_add_func ("/graph/no-edges", test_no_edges);
  g_test_add_func ("/graph/sync-order", test_sync_order);
  g_test_add_func ("/graph/timeout", test_timeout);
  g_test_add_func ("/graph/cancel/graph", test_cancel);
  g_test_add_func ("/graph/cancel/runtime", test_cancel);
  g_test_add_func ("/graph/cancel/cancellable", test_cancel);
  g_test_add_func ("/graph/limit", test_limit);
  return g_test_run ();
}
