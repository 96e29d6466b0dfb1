/* test-lifetime.c — lifetime.df: every state opened is closed exactly
 * once, after the last item its task ran, whichever way the graph ends;
 * a failed open halts the graph.  Both modes, with the accounting of
 * every node and every row string freed once. */
#include <string.h>

#include "lifetime.h"
#include "graph-check.h"

enum { HOW_HALT = 1, HOW_DRAIN, HOW_CANCEL };

struct Conn {
  char node[8];
  gint items;         /* atomic: items run with this state */
  gboolean closed;
};

/* The run's user data. */
typedef struct {
  gint opens, closes, items;   /* atomic */
  gboolean open_fails;
} T;

static T *
t_of (DfContext *ctx)
{
  return df_context_get_user_data (ctx);
}

/* Every node's open and close. */
static gboolean
conn_open (DfContext *ctx, Conn **state, GError **error)
{
  T *t = t_of (ctx);
  g_assert_null (df_context_get_state (ctx));   /* not open yet */
  if (t->open_fails)
    {
      g_set_error (error, GT_ERROR, 1, "no connection for %s", df_context_get_stage_name (ctx));
      return FALSE;
    }
  Conn *c = g_new0 (Conn, 1);
  g_strlcpy (c->node, df_context_get_stage_name (ctx), sizeof c->node);
  g_atomic_int_inc (&t->opens);
  *state = c;
  return TRUE;
}

static void
conn_close (DfContext *ctx, Conn *c)
{
  T *t = t_of (ctx);
  g_assert_nonnull (c);
  g_assert_false (c->closed);
  c->closed = TRUE;
  g_atomic_int_inc (&t->closes);
  g_atomic_int_add (&t->items, g_atomic_int_get (&c->items));
  g_free (c);
}

/* An item ran with the task's state, which is open. */
static void
conn_use (DfContext *ctx)
{
  Conn *c = df_context_get_state (ctx);
  g_assert_nonnull (c);
  g_assert_false (c->closed);
  g_assert_cmpstr (c->node, ==, df_context_get_stage_name (ctx));
  g_atomic_int_inc (&c->items);
}

gboolean store_open (DfContext *ctx, Conn **state, GError **error) { return conn_open (ctx, state, error); }
void store_close (DfContext *ctx, Conn *state) { conn_close (ctx, state); }
gboolean store_b_open (DfContext *ctx, Conn **state, GError **error) { return conn_open (ctx, state, error); }
void store_b_close (DfContext *ctx, Conn *state) { conn_close (ctx, state); }
gboolean store_a_open (DfContext *ctx, Conn **state, GError **error) { return conn_open (ctx, state, error); }
void store_a_close (DfContext *ctx, Conn *state) { conn_close (ctx, state); }

/* ------------------------------------------------------------------ stages */

gboolean
produce (DfContext *ctx, int n, GError **error)
{
  GCancellable *cancellable = df_context_get_cancellable (ctx);
  for (int i = 0; n < 0 || i < n; i++)
    {
      if (n < 0 && g_cancellable_is_cancelled (cancellable))
        break;
      produce_emit (ctx, str_new ("row %d", i), i);
    }
  return TRUE;
}

gboolean
store (DfContext *ctx, char *row, int i, int at, int how, GError **error)
{
  conn_use (ctx);
  if (i != at)
    return TRUE;
  switch (how)
    {
    case HOW_HALT:
      g_set_error (error, GT_ERROR, 1, "store failed on %s", row);
      return FALSE;
    case HOW_DRAIN:
      df_graph_drain (df_context_get_graph (ctx));
      break;
    case HOW_CANCEL:
      df_graph_cancel (df_context_get_graph (ctx));
      break;
    }
  return TRUE;
}

gboolean
store_b (DfContext *ctx, char *row, int i, GError **error)
{
  conn_use (ctx);
  return TRUE;
}

static void
store_a_later (gpointer data)
{
  store_a_return (data);
}

void
store_a (DfCall *call, char *row, int i)
{
  conn_use (df_call_get_context (call));
  gt_later (store_a_later, call, 50);
}

/* ------------------------------------------------------------------- runs */

/* Runs `ends` and checks what every ending must give. */
static GError *
run (T *t, int n, int at, int how, DfGraphMode mode, DfGraph **graph_out)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  EndsIn in = { .n = n, .at = at, .how = how };
  GraphResult r = { 0 };

  strs_reset ();
  DfGraph *g = ends_new (rt, &in, NULL);
  df_graph_set_mode (g, mode);
  df_graph_set_user_data (g, t);
  df_graph_set_quiet (g, TRUE);
  graph_run (g, &r, 30);
  gt_later_drain ();
  graph_assert_accounting (g);
  strs_assert_balanced ();
  g_assert_cmpint (t->closes, ==, t->opens);
  /* Every item that ran, ran with an open state (an item whose open
   * failed counts as err without running). */
  gint ran = 0;
  for (guint k = 0; k < 3; k++)
    {
      DfGraphNodeStats s = graph_node_stats (g, (const char *[]) { "s", "b", "a" }[k]);
      ran += (gint) (s.ok + s.err);
    }
  if (!t->open_fails)
    g_assert_cmpint (t->items, ==, ran);
  *graph_out = g;
  return r.error;
}

/* The number of states opened: one per task that got an item. */
static void
assert_opens (T *t, DfGraphMode mode)
{
  if (mode == DF_GRAPH_SYNC)
    g_assert_cmpint (t->opens, ==, 3);    /* one task per node */
  else
    {
      g_assert_cmpint (t->opens, >=, 3);
      g_assert_cmpint (t->opens, <=, 7);  /* s: 1, b and a: up to 3 */
    }
}

static void
test_end_of_input (gconstpointer data)
{
  DfGraphMode mode = GPOINTER_TO_INT (data);
  T t = { 0 };
  DfGraph *g;
  GError *error = run (&t, 40, -1, 0, mode, &g);
  g_assert_no_error (error);
  assert_opens (&t, mode);
  g_assert_cmpint (t.items, ==, 3 * 40);
  df_graph_unref (g);
}

static void
test_halt (gconstpointer data)
{
  DfGraphMode mode = GPOINTER_TO_INT (data);
  T t = { 0 };
  DfGraph *g;
  g_autoptr (GError) error = run (&t, 40, 5, HOW_HALT, mode, &g);
  g_assert_error (error, DF_ERROR, DF_ERROR_HALTED);
  g_assert_cmpint (t.opens, >=, 1);
  df_graph_unref (g);
}

static void
test_drain (gconstpointer data)
{
  DfGraphMode mode = GPOINTER_TO_INT (data);
  T t = { 0 };
  DfGraph *g;
  /* In sync mode a blocking source runs inline and cannot see the drain
   * before it returns (the runtime's sync-mode limit): a finite one. */
  GError *error = run (&t, mode == DF_GRAPH_SYNC ? 40 : -1, 10, HOW_DRAIN, mode, &g);
  g_assert_no_error (error);
  assert_opens (&t, mode);
  g_assert_cmpint (graph_node_stats (g, "s").ok, >=, 11);
  df_graph_unref (g);
}

static void
test_cancel (gconstpointer data)
{
  DfGraphMode mode = GPOINTER_TO_INT (data);
  T t = { 0 };
  DfGraph *g;
  g_autoptr (GError) error = run (&t, 40, 10, HOW_CANCEL, mode, &g);
  g_assert_error (error, DF_ERROR, DF_ERROR_CANCELLED);
  g_assert_cmpint (t.opens, >=, 1);
  df_graph_unref (g);
}

/* An open that fails is the node's failure: the graph halts, nothing is
 * closed that was not opened. */
static void
test_open_fails (gconstpointer data)
{
  DfGraphMode mode = GPOINTER_TO_INT (data);
  T t = { .open_fails = TRUE };
  DfGraph *g;
  g_autoptr (GError) error = run (&t, 40, -1, 0, mode, &g);
  g_assert_error (error, DF_ERROR, DF_ERROR_HALTED);
  g_assert_true (g_str_has_suffix (error->message, "failed: cannot open its state: no connection for store")
                 || g_str_has_suffix (error->message, "failed: cannot open its state: no connection for store_b")
                 || g_str_has_suffix (error->message, "failed: cannot open its state: no connection for store_a"));
  g_assert_cmpint (t.opens, ==, 0);
  g_assert_cmpint (t.items, ==, 0);
  g_assert_cmpint (graph_node_stats (g, "s").err + graph_node_stats (g, "b").err + graph_node_stats (g, "a").err, >=, 1);
  df_graph_unref (g);
}

int
main (int argc, char **argv)
{
  gt_init (&argc, &argv);
  static const struct { const char *name; GTestDataFunc func; } tests[] = {
    { "end-of-input", test_end_of_input },
    { "halt", test_halt },
    { "drain", test_drain },
    { "cancel", test_cancel },
    { "open-fails", test_open_fails },
  };
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    for (int mode = DF_GRAPH_ASYNC; mode <= DF_GRAPH_SYNC; mode++)
      {
        g_autofree char *path = g_strdup_printf ("/lifetime/%s/%s", tests[i].name,
                                                 mode == DF_GRAPH_SYNC ? "sync" : "async");
        g_test_add_data_func (path, GINT_TO_POINTER (mode), tests[i].func);
      }
  return g_test_run ();
}
