/* test-graph-stop.c — the endings of a graph whose stages misbehave
 * (docs/endings.md), on a virtual clock the test moves itself:
 *
 *   - a blocking start node that ignores the drain's cancellation and
 *     does not return is given up DF_SHUTDOWN_GRACE after the drain: the
 *     graph ends, its input counts as dropped, df_runtime_shutdown()
 *     names the stage, and its late return (with a late emit) is freed;
 *   - a halt gives up a stuck blocking node's call the same way;
 *   - an async node that never completes is given up the same way after
 *     df_graph_cancel(), and its completion, when it comes, is discarded;
 *   - an async generator that emits after its call completed gets a
 *     g_critical and its item is freed; what it emitted before goes on.
 *
 * Every test runs in both delivery modes and checks the accounting and
 * that every counted string is freed once.
 */
#include "graph-test.h"

/* Runs the runtime's context until *@flag is set (real-time limit 30 s:
 * a worker thread sets some flags, without waking the loop). */
static void
spin_until (DfRuntime *rt, const gint *flag)
{
  gint64 limit = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (!g_atomic_int_get (flag))
    {
      if (!g_main_context_iteration (df_runtime_get_context (rt), FALSE))
        g_usleep (1000);
      g_assert_cmpint (g_get_monotonic_time (), <, limit);
    }
}

/* A few iterations, for what was just scheduled. */
static void
spin_a_little (DfRuntime *rt)
{
  for (int i = 0; i < 50; i++)
    if (!g_main_context_iteration (df_runtime_get_context (rt), FALSE))
      g_usleep (200);
}

typedef struct {
  gboolean done;
  GError  *error;
  gint     finished;   /* atomic mirror of done, for spin_until() */
} Ended;

static void
ended (DfGraph *graph, const GError *error, gpointer data)
{
  Ended *e = data;

  g_assert_false (e->done);
  e->done = TRUE;
  e->error = error ? g_error_copy (error) : NULL;
  g_atomic_int_set (&e->finished, 1);
}

static DfRuntime *
virtual_runtime (void)
{
  DfRuntime *rt = df_runtime_new (NULL);

  df_runtime_set_virtual_clock (rt, 0, FALSE);   /* the test moves time */
  return rt;
}

/* ------------------------------------------- a stuck blocking start node */

typedef struct {
  GMutex lock;
  GCond  cond;
  gint   started;     /* atomic: it emitted and waits */
  gint   returned;    /* atomic */
  gboolean release;   /* under lock */
  gint64 sunk;
} Stuck;

/* stage stuck() emits (s: Str) blocking: one item, then waits for the
 * test whatever its cancellable says, then emits once more (refused). */
static gboolean
stuck_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  Stuck *s = df_call_get_user_data (call);
  DfContext *ctx = df_call_get_context (call);

  str_emit (ctx, test_str_new ("early"));
  g_mutex_lock (&s->lock);
  g_atomic_int_set (&s->started, 1);
  while (!s->release)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
  str_emit (ctx, test_str_new ("late"));
  g_atomic_int_set (&s->returned, 1);
  return TRUE;
}

static gboolean
stuck_sink_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  Stuck *s = df_call_get_user_data (call);

  g_assert_cmpstr (((StrItem *) items)->s, ==, "early");
  s->sunk++;
  return TRUE;
}

static const DfGraphNodeDesc stuck_nodes[] = {
  { .name = "src", .stage = "stuck", .kind = DF_NODE_BLOCKING, .run = stuck_run,
    .emit_size = sizeof (StrItem), .emit_free = str_item_free },
  { .name = "sink", .kind = DF_NODE_SYNC, .run = stuck_sink_run, .item_size = sizeof (StrItem),
    .item_free = str_item_free },
};
static const DfGraphEdgeDesc stuck_edges[] = { { .from = 0, .to = 1, .move = str_edge_move } };
static const DfGraphDesc stuck_desc = { "stuck", stuck_nodes, 2, stuck_edges, 1, 0, FALSE };

static void
test_stuck_drain (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = virtual_runtime ();
  Stuck s = { 0 };
  Ended e = { 0 };
  GError *error = NULL;

  test_str_reset ();
  g_mutex_init (&s.lock);
  g_cond_init (&s.cond);
  DfGraph *g = df_graph_new (rt, &stuck_desc, NULL, &error);
  g_assert_no_error (error);
  df_graph_set_user_data (g, &s);
  df_graph_set_mode (g, GPOINTER_TO_INT (data));
  df_graph_start (g, ended, &e);
  spin_until (rt, &s.started);
  spin_a_little (rt);
  g_assert_cmpint (s.sunk, ==, 1);

  df_graph_drain (g);
  spin_a_little (rt);
  df_runtime_advance_clock (rt, DF_SHUTDOWN_GRACE - 1);
  g_assert_false (e.done);          /* the grace has not run out */
  df_runtime_advance_clock (rt, 1);
  g_assert_true (e.done);           /* given up: the graph ended, drained */
  g_assert_no_error (e.error);
  DfGraphNodeStats src = graph_node_stats (g, "src");
  g_assert_cmpint (src.in, ==, 1);
  g_assert_cmpint (src.dropped, ==, 1);
  g_assert_cmpint (src.err, ==, 0);
  g_assert_cmpint (graph_node_stats (g, "sink").ok, ==, 1);
  graph_assert_accounting (g);

  /* The runtime still sees the call out, and names its stage. */
  g_assert_false (df_runtime_shutdown (rt, 10 * G_TIME_SPAN_MILLISECOND, &error));
  g_assert_error (error, DF_ERROR, DF_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "stage 'stuck' did not return"));
  g_clear_error (&error);
  g_assert_false (g_atomic_int_get (&s.returned));

  /* Its late return, and what it emitted then, are freed. */
  g_mutex_lock (&s.lock);
  s.release = TRUE;
  g_cond_signal (&s.cond);
  g_mutex_unlock (&s.lock);
  g_assert_true (df_runtime_shutdown (rt, 30 * G_TIME_SPAN_SECOND, &error));
  g_assert_no_error (error);
  g_assert_true (g_atomic_int_get (&s.returned));
  g_assert_cmpint (s.sunk, ==, 1);
  df_graph_unref (g);
  test_str_assert_balanced ();
  g_clear_error (&e.error);
  g_mutex_clear (&s.lock);
  g_cond_clear (&s.cond);
}

/* A halt (another node fails under `on error halt`) gives up a stuck
 * blocking node's call the same way.  Async mode only: in sync mode the
 * scheduler waits for the blocking call, so nothing else can fail
 * meanwhile (a cancel, below, stops it there). */
static gboolean
wait_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  Stuck *s = df_call_get_user_data (call);

  g_mutex_lock (&s->lock);
  g_atomic_int_set (&s->started, 1);
  while (!s->release)
    g_cond_wait (&s->cond, &s->lock);
  g_mutex_unlock (&s->lock);
  g_atomic_int_set (&s->returned, 1);
  return TRUE;
}

static gboolean
three_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  for (int i = 0; i < 3; i++)
    int_emit (df_call_get_context (call), i);
  return TRUE;
}

/* Fails on 1, once the stuck node runs (so the halt finds it running);
 * on a worker thread, so that waiting here holds nothing back. */
static gboolean
fail_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  Stuck *s = df_call_get_user_data (call);

  if (((IntItem *) items)->v != 1)
    return TRUE;
  while (!g_atomic_int_get (&s->started))
    g_usleep (1000);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no good");
  return FALSE;
}

static const DfGraphNodeDesc halt_nodes[] = {
  { .name = "three", .kind = DF_NODE_SYNC, .run = three_run, .emit_size = sizeof (IntItem) },
  { .name = "wait", .kind = DF_NODE_BLOCKING, .run = wait_run, .item_size = sizeof (IntItem) },
  { .name = "fail", .kind = DF_NODE_BLOCKING, .run = fail_run, .item_size = sizeof (IntItem),
    .on_error = DF_ON_ERROR_HALT },
};
static const DfGraphEdgeDesc halt_edges[] = { { .from = 0, .to = 1 }, { .from = 0, .to = 2 } };
static const DfGraphDesc halt_desc = { "halt", halt_nodes, 3, halt_edges, 2, 0, FALSE };

static void
test_stuck_halt (void)
{
  g_autoptr (DfRuntime) rt = virtual_runtime ();
  Stuck s = { 0 };
  Ended e = { 0 };
  GError *error = NULL;

  g_mutex_init (&s.lock);
  g_cond_init (&s.cond);
  DfGraph *g = df_graph_new (rt, &halt_desc, NULL, &error);
  g_assert_no_error (error);
  df_graph_set_user_data (g, &s);
  df_graph_start (g, ended, &e);
  spin_until (rt, &s.started);
  spin_a_little (rt);
  g_assert_false (e.done);          /* halted, waiting for the stuck call */
  df_runtime_advance_clock (rt, DF_SHUTDOWN_GRACE);
  g_assert_true (e.done);
  g_assert_error (e.error, DF_ERROR, DF_ERROR_HALTED);
  g_assert_nonnull (strstr (e.error->message, "node 'fail' failed: no good"));
  DfGraphNodeStats wait = graph_node_stats (g, "wait");
  g_assert_cmpint (wait.in, ==, 3);
  g_assert_cmpint (wait.dropped, ==, 3);   /* the one given up, two queued */
  graph_assert_accounting (g);

  g_mutex_lock (&s.lock);
  s.release = TRUE;
  g_cond_signal (&s.cond);
  g_mutex_unlock (&s.lock);
  g_assert_true (df_runtime_shutdown (rt, 30 * G_TIME_SPAN_SECOND, &error));
  g_assert_no_error (error);
  g_assert_true (g_atomic_int_get (&s.returned));
  df_graph_unref (g);
  g_clear_error (&e.error);
  g_mutex_clear (&s.lock);
  g_cond_clear (&s.cond);
}

/* ------------------------------------- an async node that never completes */

typedef struct {
  DfCall *held;       /* the call the stage never completed */
  gint    called;     /* atomic */
} Hang;

static gboolean
numbers_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  for (int i = 0; i < 3; i++)
    str_emit (df_call_get_context (call), test_str_new ("%d", i));
  return TRUE;
}

/* stage hang(s: Str) async: keeps the call and returns. */
static gboolean
hang_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  Hang *h = df_call_get_user_data (call);

  g_assert_null (h->held);
  h->held = call;
  g_atomic_int_set (&h->called, 1);
  return TRUE;
}

static const DfGraphNodeDesc hang_nodes[] = {
  { .name = "numbers", .kind = DF_NODE_SYNC, .run = numbers_run,
    .emit_size = sizeof (StrItem), .emit_free = str_item_free },
  { .name = "hang", .kind = DF_NODE_ASYNC, .run = hang_run, .item_size = sizeof (StrItem),
    .item_free = str_item_free, .emit_size = sizeof (StrItem), .emit_free = str_item_free },
};
static const DfGraphDesc hang_desc = { "hang", hang_nodes, 2, stuck_edges, 1, 0, FALSE };

static void
test_stuck_cancel (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = virtual_runtime ();
  Hang h = { 0 };
  Ended e = { 0 };
  GError *error = NULL;

  test_str_reset ();
  DfGraph *g = df_graph_new (rt, &hang_desc, NULL, &error);
  g_assert_no_error (error);
  df_graph_set_user_data (g, &h);
  df_graph_set_mode (g, GPOINTER_TO_INT (data));
  df_graph_start (g, ended, &e);
  spin_until (rt, &h.called);
  spin_a_little (rt);

  df_graph_cancel (g);
  spin_a_little (rt);
  g_assert_false (e.done);
  df_runtime_advance_clock (rt, DF_SHUTDOWN_GRACE);
  g_assert_true (e.done);
  g_assert_error (e.error, DF_ERROR, DF_ERROR_CANCELLED);
  DfGraphNodeStats hang = graph_node_stats (g, "hang");
  g_assert_cmpint (hang.in, ==, 3);
  g_assert_cmpint (hang.dropped, ==, 3);   /* the one given up, two queued */
  graph_assert_accounting (g);

  /* Emitting after the graph gave the call up is no misuse: freed.  Its
   * completion then is discarded, and an emit after that is one. */
  str_emit (df_call_get_context (h.held), test_str_new ("given up"));
  df_call_complete (h.held);
  g_test_expect_message ("dfrt", G_LOG_LEVEL_CRITICAL, "*node 'hang' emitted after its call completed*");
  str_emit (df_call_get_context (h.held), test_str_new ("after"));
  g_test_assert_expected_messages ();
  g_assert_true (df_runtime_shutdown (rt, 30 * G_TIME_SPAN_SECOND, &error));
  g_assert_no_error (error);
  df_graph_unref (g);
  test_str_assert_balanced ();
  g_clear_error (&e.error);
}

/* -------------------------------------- an async generator's late emits */

/* stage gen() emits (s: Str) async: emits, completes, emits again. */
static gboolean
gen_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  DfContext *ctx = df_call_get_context (call);

  str_emit (ctx, test_str_new ("before"));
  df_call_complete (call);
  str_emit (ctx, test_str_new ("after"));
  return TRUE;
}

static gboolean
gen_sink_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  GPtrArray *seen = df_call_get_user_data (call);

  g_ptr_array_add (seen, g_strdup (((StrItem *) items)->s));
  return TRUE;
}

static const DfGraphNodeDesc gen_nodes[] = {
  { .name = "gen", .kind = DF_NODE_ASYNC, .run = gen_run,
    .emit_size = sizeof (StrItem), .emit_free = str_item_free },
  { .name = "sink", .kind = DF_NODE_SYNC, .run = gen_sink_run, .item_size = sizeof (StrItem),
    .item_free = str_item_free },
};
static const DfGraphDesc gen_desc = { "gen", gen_nodes, 2, stuck_edges, 1, 0, FALSE };

static void
test_emit_after_complete (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  GraphResult r = { 0 };

  test_str_reset ();
  g_autoptr (DfGraph) g = df_graph_new (rt, &gen_desc, NULL, NULL);
  df_graph_set_user_data (g, seen);
  df_graph_set_mode (g, GPOINTER_TO_INT (data));
  g_test_expect_message ("dfrt", G_LOG_LEVEL_CRITICAL, "*node 'gen' emitted after its call completed*");
  graph_run (g, &r, 30);
  g_test_assert_expected_messages ();
  g_assert_no_error (r.error);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (seen->pdata[0], ==, "before");
  g_assert_cmpint (graph_node_stats (g, "gen").out, ==, 1);
  graph_assert_accounting (g);
  test_str_assert_balanced ();
  graph_result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/graph/stop/stuck-drain/async", GINT_TO_POINTER (DF_GRAPH_ASYNC),
                        test_stuck_drain);
  g_test_add_data_func ("/graph/stop/stuck-drain/sync", GINT_TO_POINTER (DF_GRAPH_SYNC),
                        test_stuck_drain);
  g_test_add_func ("/graph/stop/stuck-halt", test_stuck_halt);
  g_test_add_data_func ("/graph/stop/stuck-cancel/async", GINT_TO_POINTER (DF_GRAPH_ASYNC),
                        test_stuck_cancel);
  g_test_add_data_func ("/graph/stop/stuck-cancel/sync", GINT_TO_POINTER (DF_GRAPH_SYNC),
                        test_stuck_cancel);
  g_test_add_data_func ("/graph/stop/emit-after-complete/async", GINT_TO_POINTER (DF_GRAPH_ASYNC),
                        test_emit_after_complete);
  g_test_add_data_func ("/graph/stop/emit-after-complete/sync", GINT_TO_POINTER (DF_GRAPH_SYNC),
                        test_emit_after_complete);
  return g_test_run ();
}
