/* test-generators.c — generators.df: in async mode, a sync or async
 * generator that emits many items in one call keeps memory bounded by
 * its destination's queue (the full sync destination runs on what it has
 * queued while the emit waits), whether the async one emits in its call
 * or from a callback of the loop; a sync node without a queue of its own
 * runs at each emit.  Sync mode, depth-first, is bounded too.  Every run
 * checks the accounting, that every string was freed once, and how many
 * strings were alive at most. */
#include <string.h>

#include "generators.h"
#include "graph-check.h"

#define N 100000

static gint max_alive;
static gint64 dropped_count;

static void
note_alive (void)
{
  gint alive = strs_made () + strs_copied () - strs_freed ();
  if (alive > max_alive)
    max_alive = alive;
}

/* ------------------------------------------------------------------ stages */

gboolean
burst (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    {
      note_alive ();
      burst_emit (ctx, str_new ("b%d", i));
    }
  return TRUE;
}

void
burst_async (DfCall *call, int n)
{
  DfContext *ctx = df_call_get_context (call);
  for (int i = 0; i < n; i++)
    {
      note_alive ();
      burst_async_emit (ctx, str_new ("a%d", i));
    }
  burst_async_return (call);
}

typedef struct {
  DfCall *call;
  int     n;
} Later;

static gboolean
burst_later_idle (gpointer data)
{
  Later *later = data;
  DfContext *ctx = df_call_get_context (later->call);
  for (int i = 0; i < later->n; i++)
    {
      note_alive ();
      burst_later_emit (ctx, str_new ("l%d", i));
    }
  burst_later_return (later->call);
  g_free (later);
  return G_SOURCE_REMOVE;
}

void
burst_later (DfCall *call, int n)
{
  Later *later = g_new (Later, 1);
  *later = (Later) { call, n };
  GSource *idle = g_idle_source_new ();
  g_source_set_callback (idle, burst_later_idle, later, NULL);
  g_source_attach (idle, df_runtime_get_context (df_context_get_runtime (df_call_get_context (call))));
  g_source_unref (idle);
}

gboolean
slow (DfContext *ctx, char *s, char **s_, GError **error)
{
  volatile guint x = 0;
  for (int k = 0; k < 50; k++)
    x += (guint) k;
  (void) x;
  *s_ = str_copy (s);
  return TRUE;
}

gboolean
drop (DfContext *ctx, char *s, GError **error)
{
  dropped_count++;
  return TRUE;
}

/* ------------------------------------------------------------------ tests */

typedef DfGraph *(*NewFunc) (DfRuntime *rt, const void *in, GError **error);

typedef struct {
  const char *name;
  NewFunc     make;
  DfGraphMode mode;
  gint        bound;     /* strings alive at most */
} Case;

static void
test_bounded (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  SyncBurstIn in = { .n = N };     /* the four graphs' inputs are alike */
  GraphResult r = { 0 };

  max_alive = 0;
  dropped_count = 0;
  g_autoptr (DfGraph) g = c->make (rt, &in, NULL);
  g_assert_nonnull (g);
  df_graph_set_mode (g, c->mode);
  graph_run (g, &r, 120);
  g_assert_no_error (r.error);
  graph_assert_accounting (g);
  strs_assert_balanced ();
  g_assert_cmpint (dropped_count, ==, N);
  g_assert_cmpint (graph_node_stats (g, "drop").ok, ==, N);
  g_assert_cmpint (max_alive, <=, c->bound);
}

/* queue 8, the input and the output of the call running, slack. */
#define QUEUED_BOUND (8 + 2 + 4)
/* Nothing queued: the item of each node on the way. */
#define DIRECT_BOUND 4

static const Case cases[] = {
  { "/generators/sync/async-mode", (NewFunc) sync_burst_new, DF_GRAPH_ASYNC, QUEUED_BOUND },
  { "/generators/async/async-mode", (NewFunc) async_burst_new, DF_GRAPH_ASYNC, QUEUED_BOUND },
  { "/generators/later/async-mode", (NewFunc) later_burst_new, DF_GRAPH_ASYNC, QUEUED_BOUND },
  { "/generators/direct/async-mode", (NewFunc) direct_burst_new, DF_GRAPH_ASYNC, DIRECT_BOUND },
  { "/generators/sync/sync-mode", (NewFunc) sync_burst_new, DF_GRAPH_SYNC, QUEUED_BOUND },
  { "/generators/direct/sync-mode", (NewFunc) direct_burst_new, DF_GRAPH_SYNC, DIRECT_BOUND },
};

int
main (int argc, char **argv)
{
  gt_init (&argc, &argv);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].name, &cases[i], test_bounded);
  return g_test_run ();
}
