/* test-graph-policy.c — what df_graph_new () refuses of dead-letter
 * edges written by hand (dfc's checks make generated code pass): a
 * second one from a node, one from a start node, a zip one; and the
 * state and user-data accessors outside graphs. */
#include <dfrt-gen.h>

typedef struct { int v; } Item;

static gboolean
run_nothing (DfCall *call, gpointer items, gsize n_items, GError **error)
{
  return TRUE;
}

static void
dead_nothing (gpointer item, const char *message, gpointer dst)
{
}

static void
copy_nothing (gpointer src, gpointer dst)
{
}

#define NODE(nm) { .name = nm, .kind = DF_NODE_SYNC, .run = run_nothing, \
                   .item_size = sizeof (Item), .emit_size = sizeof (Item) }

static const DfGraphNodeDesc nodes[] = { NODE ("src"), NODE ("p"), NODE ("r"), NODE ("s") };

static void
assert_refused (const DfGraphEdgeDesc *edges, guint n_edges, const char *message)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  const DfGraphDesc desc = { "g", nodes, G_N_ELEMENTS (nodes), edges, n_edges, 0, FALSE };
  g_autoptr (GError) error = NULL;
  DfGraph *g = df_graph_new (rt, &desc, NULL, &error);
  g_assert_null (g);
  g_assert_error (error, DF_ERROR, DF_ERROR_USAGE);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_two_dead_edges (void)
{
  const DfGraphEdgeDesc edges[] = {
    { .from = 0, .to = 1 }, { .from = 1, .to = 2, .dead = dead_nothing },
    { .from = 1, .to = 3, .dead = dead_nothing },
  };
  assert_refused (edges, G_N_ELEMENTS (edges), "graph 'g': node 'p' has two dead-letter edges");
}

static void
test_from_start (void)
{
  const DfGraphEdgeDesc edges[] = {
    { .from = 0, .to = 1 }, { .from = 0, .to = 2, .dead = dead_nothing }, { .from = 1, .to = 3 },
  };
  assert_refused (edges, G_N_ELEMENTS (edges), "graph 'g': start node 'src' cannot have dead letters");
}

static void
test_zip (void)
{
  const DfGraphEdgeDesc edges[] = {
    { .from = 0, .to = 1 }, { .from = 1, .to = 2, .copy = copy_nothing, .zip = 1, .dead = dead_nothing },
  };
  assert_refused (edges, G_N_ELEMENTS (edges), "graph 'g': edge 1: a dead-letter edge cannot be a zip");
}

/* A flow's stage has no node state; a bare context none either. */
static void
test_state_outside_graphs (void)
{
  DfContext ctx = { NULL, NULL };
  g_assert_null (df_context_get_state (&ctx));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/graph-policy/dead-letters/two", test_two_dead_edges);
  g_test_add_func ("/graph-policy/dead-letters/from-start", test_from_start);
  g_test_add_func ("/graph-policy/dead-letters/zip", test_zip);
  g_test_add_func ("/graph-policy/state/outside-graphs", test_state_outside_graphs);
  return g_test_run ();
}
