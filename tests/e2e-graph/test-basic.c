/* test-basic.c — basic.df: linear chains, error policies and the error
 * lists, start nodes with arguments, a graph without edges, fan-out copies
 * freed exactly once, and the depth-first order of sync mode; every run
 * checks in == ok + err + dropped at every node. */
#include <string.h>

#include "basic.h"
#include "graph-check.h"

/* What the stages of one run share (the graph's user data). */
typedef struct {
  GArray    *seen;    /* int, in arrival order */
  GPtrArray *log;     /* "node:value" */
} T;

static void
t_init (T *t)
{
  t->seen = g_array_new (FALSE, FALSE, sizeof (int));
  t->log = g_ptr_array_new_with_free_func (g_free);
  strs_reset ();
}

static void
t_clear (T *t)
{
  g_array_unref (t->seen);
  g_ptr_array_unref (t->log);
}

static T *
t_of (DfContext *ctx)
{
  return df_context_get_user_data (ctx);
}

static char *
t_log_joined (T *t)
{
  g_ptr_array_add (t->log, NULL);
  char *s = g_strjoinv (" ", (char **) t->log->pdata);
  g_ptr_array_set_size (t->log, t->log->len - 1);
  return s;
}

/* ------------------------------------------------------------------ stages */

gboolean
count_up (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    count_up_emit (ctx, i);
  return TRUE;
}

gboolean
double_it (DfContext *ctx, int v, int *v_, GError **error)
{
  *v_ = 2 * v;
  return TRUE;
}

gboolean
collect (DfContext *ctx, int v, GError **error)
{
  if (t_of (ctx) != NULL)   /* NULL under GRAPH_run (): no user data */
    g_array_append_val (t_of (ctx)->seen, v);
  return TRUE;
}

gboolean
check (DfContext *ctx, int v, int *v_, GError **error)
{
  if (v % 3 == 2)
    {
      g_set_error (error, GT_ERROR, 1, "check failed on %d", v);
      return FALSE;
    }
  *v_ = v;
  return TRUE;
}

gboolean
offset (DfContext *ctx, int n, int base, GError **error)
{
  for (int i = 0; i < n; i++)
    offset_emit (ctx, base + i);
  return TRUE;
}

gboolean
note (DfContext *ctx, int n, GError **error)
{
  g_array_append_val (t_of (ctx)->seen, n);
  return TRUE;
}

gboolean
words (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    words_emit (ctx, str_new ("w%d", i), i);
  return TRUE;
}

gboolean
keep (DfContext *ctx, char *s, GError **error)
{
  g_assert_nonnull (s);
  g_ptr_array_add (t_of (ctx)->log, g_strdup_printf ("%s:%s", df_context_get_stage_name (ctx), s));
  return TRUE;
}

gboolean
keep_i (DfContext *ctx, int i, GError **error)
{
  g_array_append_val (t_of (ctx)->seen, i);
  return TRUE;
}

gboolean
tag (DfContext *ctx, int v, const char *t, int *v_, GError **error)
{
  g_ptr_array_add (t_of (ctx)->log, g_strdup_printf ("%s:%d", t, v));
  *v_ = v;
  return TRUE;
}

gboolean
tag_sink (DfContext *ctx, int v, const char *t, GError **error)
{
  g_ptr_array_add (t_of (ctx)->log, g_strdup_printf ("%s:%d", t, v));
  return TRUE;
}

/* ------------------------------------------------------------------ tests */

static const char *const mode_names[] = { "async", "sync" };

/* Makes a graph with user data @t in @mode. */
static DfGraph *
make (DfGraph *graph, T *t, DfGraphMode mode)
{
  g_assert_nonnull (graph);
  df_graph_set_user_data (graph, t);
  df_graph_set_mode (graph, mode);
  return graph;
}

static void
test_linear (gconstpointer data)
{
  DfGraphMode mode = GPOINTER_TO_INT (data);
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  LinearIn in = { .n = 1000 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (linear_new (rt, &in, NULL), &t, mode);
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.seen->len, ==, 1000);
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpint (g_array_index (t.seen, int, i), ==, 2 * i);
  DfGraphNodeStats s = graph_node_stats (g, "count_up");
  g_assert_cmpint (s.in, ==, 1);
  g_assert_cmpint (s.out, ==, 1000);
  s = graph_node_stats (g, "double_it");
  g_assert_cmpint (s.in, ==, 1000);
  g_assert_cmpint (s.ok, ==, 1000);
  g_assert_cmpint (s.out, ==, 1000);
  g_assert_cmpint (s.queue_size, ==, 10000);
  g_assert_cmpint (graph_node_stats (g, "collect").ok, ==, 1000);
  graph_assert_accounting (g);
  t_clear (&t);

  /* The one-call entry point. */
  GError *error = NULL;
  in.n = 0;
  g_assert_true (linear_run (rt, &in, mode, &error));
  g_assert_no_error (error);
}

/* v = 0 .. 9: check fails on 2, 5, 8. */
static void
test_skip (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  SkipErrorsIn in = { .n = 10 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (skip_errors_new (rt, &in, NULL), &t, GPOINTER_TO_INT (data));
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.seen->len, ==, 7);
  DfGraphNodeStats s = graph_node_stats (g, "check");
  g_assert_cmpint (s.in, ==, 10);
  g_assert_cmpint (s.ok, ==, 7);
  g_assert_cmpint (s.err, ==, 3);
  g_assert_cmpint (s.errors, ==, 3);
  g_assert_cmpint (s.out, ==, 7);
  g_autofree char *errors = gt_errors (g, "check");
  g_assert_cmpstr (errors, ==, "check failed on 2|check failed on 5|check failed on 8");
  graph_assert_accounting (g);
  t_clear (&t);
}

/* The errors kept per node: the last N. */
static void
test_error_list (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  SkipErrorsIn in = { .n = 30 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (skip_errors_new (rt, &in, NULL), &t, DF_GRAPH_ASYNC);
  df_graph_set_max_errors (g, 2);
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpint (graph_node_stats (g, "check").err, ==, 10);
  g_assert_cmpint (graph_node_stats (g, "check").errors, ==, 10);
  g_autofree char *errors = gt_errors (g, "check");
  g_assert_cmpstr (errors, ==, "check failed on 26|check failed on 29");
  g_autofree char *none = gt_errors (g, "collect");
  g_assert_cmpstr (none, ==, "");
  g_autofree char *report = df_graph_format_stats (g);
  g_assert_nonnull (strstr (report, "graph skip_errors\n"));
  g_assert_nonnull (strstr (report, "  check: 10 errors, last: check failed on 29\n"));
  graph_assert_accounting (g);
  t_clear (&t);
}

typedef DfGraph *(*NewFunc) (DfRuntime *rt, const void *in, GError **error);

/* Halting at the first failure: the graph or the node says so. */
static void
run_halting (DfGraph *g, T *t, const char *graph, const char *node)
{
  GraphResult r = { 0 };

  graph_run (g, &r, 30);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_HALTED);
  g_autofree char *want = g_strdup_printf ("graph '%s' halted: node '%s' failed: check failed on 2",
                                           graph, node);
  g_assert_cmpstr (r.error->message, ==, want);
  DfGraphNodeStats s = graph_node_stats (g, node);
  g_assert_cmpint (s.err, ==, 1);
  /* 0 and 1 went through before 2 failed (sync mode: each at once). */
  g_assert_cmpuint (t->seen->len, <=, 2);
  g_assert_cmpint (s.ok, <=, 2);
  graph_assert_accounting (g);
  graph_result_clear (&r);
}

static void
test_halt (gconstpointer data)
{
  DfGraphMode mode = GPOINTER_TO_INT (data);
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  T t;

  t_init (&t);
  HaltGraphIn in1 = { .n = 100 };
  g_autoptr (DfGraph) g1 = make (halt_graph_new (rt, &in1, NULL), &t, mode);
  run_halting (g1, &t, "halt_graph", "check");
  t_clear (&t);

  t_init (&t);
  HaltNodeIn in2 = { .n = 100 };
  g_autoptr (DfGraph) g2 = make (halt_node_new (rt, &in2, NULL), &t, mode);
  run_halting (g2, &t, "halt_node", "chk");
  if (mode == DF_GRAPH_SYNC)
    g_assert_cmpuint (t.seen->len, ==, 2);
  t_clear (&t);

  /* A node's `on error skip` wins over the graph's halt_on_error. */
  t_init (&t);
  GraphResult r = { 0 };
  SkipUnderHaltIn in3 = { .n = 100 };
  g_autoptr (DfGraph) g3 = make (skip_under_halt_new (rt, &in3, NULL), &t, mode);
  graph_run (g3, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.seen->len, ==, 67);
  g_assert_cmpint (graph_node_stats (g3, "chk").err, ==, 33);
  graph_assert_accounting (g3);
  t_clear (&t);

  /* The one-call entry point reports the halt. */
  GError *error = NULL;
  g_assert_false (halt_graph_run (rt, &in1, mode, &error));
  g_assert_error (error, DF_ERROR, DF_ERROR_HALTED);
  g_clear_error (&error);
}

static gint
cmp_int (gconstpointer a, gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

static void
test_starts (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  StartsIn in = { .n = 4, .base = 100 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (starts_new (rt, &in, NULL), &t, GPOINTER_TO_INT (data));
  in.n = -1;   /* copied by starts_new () */
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_array_sort (t.seen, cmp_int);
  /* a: 0..3, b: 0..2, c: 100, 101, d: 4 */
  static const int want[] = { 0, 0, 1, 1, 2, 2, 3, 4, 100, 101 };
  g_assert_cmpuint (t.seen->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_cmpint (g_array_index (t.seen, int, i), ==, want[i]);
  for (guint i = 0; i < 4; i++)
    {
      DfGraphNodeStats s;
      df_graph_get_node_stats (g, i, &s);
      g_assert_cmpint (s.in, ==, 1);   /* one tick each */
      g_assert_cmpint (s.ok, ==, 1);
    }
  graph_assert_accounting (g);
  t_clear (&t);
}

static void
test_lonely (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  LonelyIn in = { .n = 3 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (lonely_new (rt, &in, NULL), &t, GPOINTER_TO_INT (data));
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_array_sort (t.seen, cmp_int);
  g_assert_cmpuint (t.seen->len, ==, 2);
  g_assert_cmpint (g_array_index (t.seen, int, 0), ==, 3);
  g_assert_cmpint (g_array_index (t.seen, int, 1), ==, 7);
  g_assert_cmpint (graph_node_stats (g, "a").out, ==, 0);
  graph_assert_accounting (g);
  t_clear (&t);
}

static guint
count_prefix (GPtrArray *log, const char *prefix)
{
  guint n = 0;
  for (guint i = 0; i < log->len; i++)
    n += g_str_has_prefix (log->pdata[i], prefix);
  return n;
}

static void
test_fanout (gconstpointer data)
{
  DfGraphMode mode = GPOINTER_TO_INT (data);
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  FanoutIn in = { .n = 100 };
  g_autoptr (DfGraph) g = make (fanout_new (rt, &in, NULL), &t, mode);
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.log->len, ==, 300);
  g_assert_cmpuint (count_prefix (t.log, "keep:w"), ==, 300);
  /* One string per item, copied for a and b, taken by c. */
  g_assert_cmpint (strs_made (), ==, 100);
  g_assert_cmpint (strs_copied (), ==, 200);
  strs_assert_balanced ();
  graph_assert_accounting (g);
  t_clear (&t);

  t_init (&t);
  TakeFirstIn in2 = { .n = 50 };
  g_autoptr (DfGraph) g2 = make (take_first_new (rt, &in2, NULL), &t, mode);
  graph_result_clear (&r);
  graph_run (g2, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.log->len, ==, 50);
  g_assert_cmpuint (t.seen->len, ==, 50);
  g_assert_cmpint (strs_copied (), ==, 0);
  strs_assert_balanced ();
  graph_assert_accounting (g2);
  t_clear (&t);

  t_init (&t);
  UnreadIn in3 = { .n = 50 };
  g_autoptr (DfGraph) g3 = make (unread_new (rt, &in3, NULL), &t, mode);
  graph_result_clear (&r);
  graph_run (g3, &r, 30);
  g_assert_no_error (r.error);
  g_assert_cmpuint (t.seen->len, ==, 50);
  g_assert_cmpint (strs_freed (), ==, 50);
  strs_assert_balanced ();
  graph_assert_accounting (g3);
  t_clear (&t);
  graph_result_clear (&r);
}

/* Sync mode: each item runs through every node before the next, in
 * edge order; async mode delivers the same items, in another order. */
static void
test_order (gconstpointer data)
{
  DfGraphMode mode = GPOINTER_TO_INT (data);
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  OrderIn in = { .n = 3 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (order_new (rt, &in, NULL), &t, mode);
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  g_autofree char *log = t_log_joined (&t);
  if (mode == DF_GRAPH_SYNC)
    g_assert_cmpstr (log, ==, "a:0 b:0 c:0 d:0 a:1 b:1 c:1 d:1 a:2 b:2 c:2 d:2");
  else
    g_assert_cmpuint (t.log->len, ==, 12);
  graph_assert_accounting (g);
  t_clear (&t);
}

int
main (int argc, char **argv)
{
  gt_init (&argc, &argv);
  for (int m = 0; m < 2; m++)
    {
      gpointer mode = GINT_TO_POINTER (m == 0 ? DF_GRAPH_ASYNC : DF_GRAPH_SYNC);
#define ADD(name, func) \
      do { \
        g_autofree char *path = g_strdup_printf ("/graph/%s/%s", name, mode_names[m]); \
        g_test_add_data_func (path, mode, func); \
      } while (0)
      ADD ("linear", test_linear);
      ADD ("skip", test_skip);
      ADD ("halt", test_halt);
      ADD ("starts", test_starts);
      ADD ("no-edges", test_lonely);
      ADD ("fanout", test_fanout);
      ADD ("order", test_order);
#undef ADD
    }
  g_test_add_func ("/graph/error-list", test_error_list);
  return g_test_run ();
}
