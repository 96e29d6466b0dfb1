/* test-dead.c — dead.df: the items a node failed on reach its dead-letter
 * node with their fields and the error message, counted as err at the
 * failing node and as in at the dead-letter node; every row string freed
 * exactly once; a sync node and a blocking one with tasks, retries and a
 * mapped edge; both modes. */
#include <string.h>

#include "dead.h"
#include "graph-check.h"

typedef struct {
  GMutex     lock;
  GPtrArray *rejected;    /* "i:row:message", in arrival order */
  guint      attempts[64];
  gint       sunk;
} T;

static T *
t_of (DfContext *ctx)
{
  return df_context_get_user_data (ctx);
}

/* ------------------------------------------------------------------ stages */

gboolean
rows (DfContext *ctx, const char *pattern, GError **error)
{
  for (int i = 0; pattern[i] != '\0'; i++)
    rows_emit (ctx, str_new ("row %d", i), i);
  return TRUE;
}

gboolean
parse (DfContext *ctx, char *row, int i, const char *pattern, int *i_, GError **error)
{
  T *t = t_of (ctx);
  g_mutex_lock (&t->lock);
  guint attempt = t->attempts[i]++;
  g_mutex_unlock (&t->lock);
  if (pattern[i] == 'x' || (pattern[i] == 'r' && attempt == 0))
    {
      g_set_error (error, GT_ERROR, 1, "bad %s", row);
      return FALSE;
    }
  *i_ = i;
  return TRUE;
}

gboolean
parse_b (DfContext *ctx, char *row, int i, const char *pattern, int *i_, GError **error)
{
  return parse (ctx, row, i, pattern, i_, error);
}

/* 'x' items complete a second later, long after their timeout; the
 * others at once. */
typedef struct {
  DfCall *call;
  int i;
} Late;

static void
late_return (gpointer data)
{
  Late *l = data;
  parse_a_return (l->call, l->i);   /* discarded: the call timed out */
  g_free (l);
}

void
parse_a (DfCall *call, char *row, int i, const char *pattern)
{
  if (pattern[i] != 'x')
    {
      parse_a_return (call, i);
      return;
    }
  Late *l = g_new (Late, 1);
  l->call = call;
  l->i = i;
  gt_later (late_return, l, G_USEC_PER_SEC);
}

gboolean
explode (DfContext *ctx, char *row, int i, const char *pattern, GError **error)
{
  for (int k = 0; k < 50; k++)
    explode_emit (ctx, i);
  if (pattern[i] == 'x')
    {
      g_set_error (error, GT_ERROR, 1, "exploded %s", row);
      return FALSE;
    }
  return TRUE;
}

gboolean
sink (DfContext *ctx, int i, GError **error)
{
  g_atomic_int_inc (&t_of (ctx)->sunk);
  return TRUE;
}

gboolean
reject (DfContext *ctx, char *row, int i, char *message, GError **error)
{
  g_ptr_array_add (t_of (ctx)->rejected, g_strdup_printf ("%d:%s:%s", i, row, message));
  return TRUE;
}

gboolean
reject_as (DfContext *ctx, char *line, char *why, GError **error)
{
  g_ptr_array_add (t_of (ctx)->rejected, g_strdup_printf ("%s:%s", line, why));
  return TRUE;
}

/* ------------------------------------------------------------------- runs */

static GError *
run (DfGraph *graph, T *t, DfGraphMode mode)
{
  GraphResult r = { 0 };
  memset (t, 0, sizeof *t);
  g_mutex_init (&t->lock);
  t->rejected = g_ptr_array_new_with_free_func (g_free);
  df_graph_set_mode (graph, mode);
  df_graph_set_user_data (graph, t);
  df_graph_set_quiet (graph, TRUE);
  graph_run (graph, &r, 30);
  graph_assert_accounting (graph);
  strs_assert_balanced ();
  return r.error;
}

static gint
by_text (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* What the dead-letter node saw, sorted (tasks finish in any order). */
static char *
rejected (T *t)
{
  g_ptr_array_sort (t->rejected, by_text);
  g_ptr_array_add (t->rejected, NULL);
  char *s = g_strjoinv ("|", (char **) t->rejected->pdata);
  g_ptr_array_unref (t->rejected);
  g_mutex_clear (&t->lock);
  return s;
}

static void
test_sync_node (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DeadIn in = { .pattern = ".x..xx." };
  T t;

  strs_reset ();
  g_autoptr (DfGraph) g = dead_new (rt, &in, NULL);
  GError *error = run (g, &t, GPOINTER_TO_INT (data));
  g_assert_no_error (error);
  DfGraphNodeStats p = graph_node_stats (g, "p"), r = graph_node_stats (g, "reject");
  g_assert_cmpint (p.in, ==, 7);
  g_assert_cmpint (p.ok, ==, 4);
  g_assert_cmpint (p.err, ==, 3);
  g_assert_cmpint (r.in, ==, p.err);   /* every failed item, once */
  g_assert_cmpint (r.ok, ==, 3);
  g_assert_cmpint (t.sunk, ==, 4);
  g_autofree char *s = rejected (&t);
  g_assert_cmpstr (s, ==, "1:row 1:bad row 1|4:row 4:bad row 4|5:row 5:bad row 5");
}

/* The item strings move into the dead letters: none is copied. */
static void
test_no_copies (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DeadIn in = { .pattern = "xxxx" };
  T t;

  strs_reset ();
  g_autoptr (DfGraph) g = dead_new (rt, &in, NULL);
  GError *error = run (g, &t, DF_GRAPH_SYNC);
  g_assert_no_error (error);
  g_assert_cmpint (strs_made (), ==, 4);
  g_assert_cmpint (strs_copied (), ==, 4);   /* the messages, nothing else */
  g_autofree char *s = rejected (&t);
  g_assert_cmpstr (s, ==, "0:row 0:bad row 0|1:row 1:bad row 1|2:row 2:bad row 2|3:row 3:bad row 3");
}

/* Retried items that succeed are no dead letters; a mapping renames. */
static void
test_tasks (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DeadTasksIn in = { .pattern = "x.r.x.rr.x..x......x" };
  T t;

  strs_reset ();
  g_autoptr (DfGraph) g = dead_tasks_new (rt, &in, NULL);
  GError *error = run (g, &t, GPOINTER_TO_INT (data));
  g_assert_no_error (error);
  DfGraphNodeStats p = graph_node_stats (g, "p"), r = graph_node_stats (g, "r");
  g_assert_cmpint (p.in, ==, 20);
  g_assert_cmpint (p.err, ==, 5);
  g_assert_cmpint (p.ok, ==, 15);
  g_assert_cmpint (p.retries, ==, 5 + 3);
  g_assert_cmpint (r.in, ==, 5);
  g_assert_cmpint (r.ok, ==, 5);
  g_autofree char *s = rejected (&t);
  g_assert_cmpstr (s, ==, "row 0:bad row 0|row 12:bad row 12|row 19:bad row 19|row 4:bad row 4|"
                          "row 9:bad row 9");
}

/* Three in a row halt: the third's dead letter is dropped with the rest. */
static void
test_halt (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DeadTasksIn in = { .pattern = "..xxxxxxxx" };   /* 3 in a row in any order of completion */
  T t;

  strs_reset ();
  g_autoptr (DfGraph) g = dead_tasks_new (rt, &in, NULL);
  g_autoptr (GError) error = run (g, &t, GPOINTER_TO_INT (data));
  g_assert_error (error, DF_ERROR, DF_ERROR_HALTED);
  DfGraphNodeStats r = graph_node_stats (g, "r");
  g_assert_cmpint (r.in, >=, 1);
  g_assert_cmpint (r.in, ==, r.ok + r.dropped);
  g_autofree char *s = rejected (&t);
  (void) s;
}

/* A timed-out call's dead letter waits for the call to return. */
static void
test_late (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DeadLateIn in = { .pattern = "..x..x.." };
  T t;

  strs_reset ();
  g_autoptr (DfGraph) g = dead_late_new (rt, &in, NULL);
  GError *error = run (g, &t, GPOINTER_TO_INT (data));
  gt_later_drain ();
  g_assert_no_error (error);
  DfGraphNodeStats p = graph_node_stats (g, "p"), r = graph_node_stats (g, "reject");
  g_assert_cmpint (p.err, ==, 2);
  g_assert_cmpint (r.in, ==, 2);
  g_assert_cmpint (t.sunk, ==, 6);
  g_autofree char *s = rejected (&t);
  g_assert_true (g_str_has_prefix (s, "2:row 2:"));
  g_assert_nonnull (strstr (s, "|5:row 5:"));
}

static void
test_generator (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DeadGenIn in = { .pattern = "xxxxx.xxxx.x" };
  T t;

  strs_reset ();
  g_autoptr (DfGraph) g = dead_gen_new (rt, &in, NULL);
  GError *error = run (g, &t, GPOINTER_TO_INT (data));
  g_assert_no_error (error);
  DfGraphNodeStats e = graph_node_stats (g, "e"), r = graph_node_stats (g, "r");
  g_assert_cmpint (e.err, ==, 10);
  g_assert_cmpint (r.in, ==, 10);
  g_assert_cmpint (t.sunk, ==, 12 * 50);
  g_autofree char *s = rejected (&t);
  g_assert_true (g_str_has_prefix (s, "0:row 0:exploded row 0|"));
}

int
main (int argc, char **argv)
{
  gt_init (&argc, &argv);
  static const struct { const char *name; GTestDataFunc func; } tests[] = {
    { "sync-node", test_sync_node },
    { "tasks", test_tasks },
    { "halt", test_halt },
    { "late", test_late },
    { "generator", test_generator },
  };
  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    for (int mode = DF_GRAPH_ASYNC; mode <= DF_GRAPH_SYNC; mode++)
      {
        g_autofree char *path = g_strdup_printf ("/dead/%s/%s", tests[i].name,
                                                 mode == DF_GRAPH_SYNC ? "sync" : "async");
        g_test_add_data_func (path, GINT_TO_POINTER (mode), tests[i].func);
      }
  g_test_add_func ("/dead/no-copies", test_no_copies);
  return g_test_run ();
}
