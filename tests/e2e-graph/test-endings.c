/* test-endings.c — endings.df: how graphs end, in both modes.  A drain
 * that cancels a start node's read is the end of its input, not a
 * failure; a drain cancels retry back-offs; a call that times out is
 * over (the run does not wait for it, its late result and later emits
 * are freed, never delivered); a halt cancels the running generator;
 * sync mode is depth-first through async nodes with memory bounded by
 * the queues.  After every run: in == ok + err + dropped at every node
 * and every counted string freed exactly once.  No timed assertions:
 * stages wait for their cancellable (which a time-out or a drain
 * cancels), and a "never" stage is released only after the run. */
#include <string.h>

#include "endings.h"
#include "graph-check.h"

/* Polls of 100 us before a stage gives up waiting (5 s): a stage that
 * waited in vain fails the test instead of hanging it. */
#define PATIENCE 50000

typedef struct {
  GPtrArray *log;           /* what the sinks and tagged stages saw */
  GPtrArray *stash;         /* DfCall *: never () calls, completed later */
  GMutex     lock;
  gint       release;       /* atomic: stuck () may return */
  gint       gen_cancelled; /* atomic: endless () saw its cancellable */
  gint       attempts[64];  /* late (): per value */
  gint       max_alive;     /* many (): counted strings alive, at most */
} T;

static T *t_now;            /* the test's state: stages run without user data too */

static void
t_init (T *t)
{
  memset (t, 0, sizeof *t);
  t->log = g_ptr_array_new_with_free_func (g_free);
  t->stash = g_ptr_array_new ();
  g_mutex_init (&t->lock);
  strs_reset ();
  t_now = t;
}

static void
t_clear (T *t)
{
  g_ptr_array_unref (t->log);
  g_ptr_array_unref (t->stash);
  g_mutex_clear (&t->lock);
  t_now = NULL;
}

static void
t_log (const char *fmt, ...) G_GNUC_PRINTF (1, 2);

static void
t_log (const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  char *s = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_mutex_lock (&t_now->lock);
  g_ptr_array_add (t_now->log, s);
  g_mutex_unlock (&t_now->lock);
}

static char *
t_log_joined (void)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < t_now->log->len; i++)
    g_string_append_printf (s, "%s%s", i ? " " : "", (char *) t_now->log->pdata[i]);
  return g_string_free (s, FALSE);
}

/* Waits until @ctx's cancellable is cancelled; FALSE if it never was. */
static gboolean
wait_cancelled (DfContext *ctx)
{
  GCancellable *c = df_context_get_cancellable (ctx);
  for (guint i = 0; i < PATIENCE; i++)
    {
      if (g_cancellable_is_cancelled (c))
        return TRUE;
      g_usleep (100);
    }
  return FALSE;
}

/* ----------------------------------------------------------------- stages */

gboolean
count_up (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    count_up_emit (ctx, i);
  return TRUE;
}

gboolean
keep (DfContext *ctx, char *s, GError **error)
{
  t_log ("%s", s);
  return TRUE;
}

gboolean
gather (DfContext *ctx, int v, GError **error)
{
  t_log ("%d", v);
  return TRUE;
}

gboolean
reader (DfContext *ctx, int n, int code, GError **error)
{
  for (int i = 0; i < n; i++)
    reader_emit (ctx, str_new ("r%d", i));
  df_graph_drain (df_context_get_graph (ctx));
  if (!wait_cancelled (ctx))
    {
      g_set_error (error, GT_ERROR, 1, "the drain did not cancel the reader");
      return FALSE;
    }
  /* What g_input_stream_read () reports, or the runtime's own code. */
  if (code == 0)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  else
    g_set_error_literal (error, DF_ERROR, DF_ERROR_CANCELLED, "cancelled");
  return FALSE;
}

gboolean
one_then_drain (DfContext *ctx, GError **error)
{
  one_then_drain_emit (ctx, 1);
  return wait_cancelled (ctx);
}

gboolean
always_fail (DfContext *ctx, int v, int *v_, GError **error)
{
  /* The back-off has not started yet: the drain comes during it. */
  df_graph_drain (df_context_get_graph (ctx));
  g_set_error (error, GT_ERROR, 2, "always_fail %d", v);
  return FALSE;
}

void
never (DfCall *call, int v)
{
  g_mutex_lock (&t_now->lock);
  g_ptr_array_add (t_now->stash, call);
  g_mutex_unlock (&t_now->lock);
}

gboolean
stuck (DfContext *ctx, int v, char **s, GError **error)
{
  while (!g_atomic_int_get (&t_now->release))
    g_usleep (100);
  *s = str_new ("stuck%d", v);    /* late: freed by the runtime */
  return TRUE;
}

gboolean
late (DfContext *ctx, int v, char **s, GError **error)
{
  if (g_atomic_int_add (&t_now->attempts[v % 64], 1) == 0)
    {
      wait_cancelled (ctx);       /* the time-out cancels it */
      *s = str_new ("late%d", v);
      return TRUE;
    }
  *s = str_new ("ok%d", v);
  return TRUE;
}

gboolean
gen_late (DfContext *ctx, GError **error)
{
  gen_late_emit (ctx, str_new ("g0"));
  wait_cancelled (ctx);
  gen_late_emit (ctx, str_new ("g1"));    /* after the time-out: freed */
  return TRUE;
}

gboolean
endless (DfContext *ctx, GError **error)
{
  GCancellable *c = df_context_get_cancellable (ctx);
  for (int i = 0; i < 100000; i++)
    {
      if (g_cancellable_is_cancelled (c))
        {
          g_atomic_int_set (&t_now->gen_cancelled, 1);
          return TRUE;
        }
      endless_emit (ctx, i);
    }
  return TRUE;
}

gboolean
check_v (DfContext *ctx, int v, int *v_, GError **error)
{
  if (v == 5)
    {
      g_set_error (error, GT_ERROR, 3, "check_v %d", v);
      return FALSE;
    }
  *v_ = v;
  return TRUE;
}

typedef struct {
  DfCall *call;
  int     v;
} Job;

static void
tag_a_finish (gpointer data)
{
  Job *job = data;
  t_log ("a%d", job->v);
  tag_a_return (job->call, job->v);
  g_free (job);
}

void
tag_a (DfCall *call, int v)
{
  Job *job = g_new (Job, 1);
  *job = (Job) { call, v };
  gt_later (tag_a_finish, job, 100);
}

static void
tag_b_finish (gpointer data)
{
  Job *job = data;
  t_log ("b%d", job->v);
  tag_b_return (job->call, job->v);
  g_free (job);
}

void
tag_b (DfCall *call, int v)
{
  Job *job = g_new (Job, 1);
  *job = (Job) { call, v };
  gt_later (tag_b_finish, job, 100);
}

gboolean
many (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    {
      gint alive = strs_made () + strs_copied () - strs_freed ();
      if (alive > t_now->max_alive)
        t_now->max_alive = alive;
      many_emit (ctx, str_new ("m%d", i));
    }
  return TRUE;
}

typedef struct {
  DfCall *call;
  char   *s;
} PassJob;

static void
pass_finish (gpointer data)
{
  PassJob *job = data;
  pass_return (job->call, job->s);
  g_free (job);
}

void
pass (DfCall *call, char *s)
{
  PassJob *job = g_new (PassJob, 1);
  *job = (PassJob) { call, str_copy (s) };
  gt_later (pass_finish, job, 0);
}

/* ------------------------------------------------------------------ tests */

static DfGraph *
make (DfGraph *graph, DfGraphMode mode)
{
  g_assert_nonnull (graph);
  df_graph_set_mode (graph, mode);
  return graph;
}

/* Lets calls abandoned by a time-out come back and be discarded. */
static void
settle (DfRuntime *rt)
{
  gt_later_drain ();
  while (df_runtime_get_n_frames (rt) > 0)
    g_main_context_iteration (df_runtime_get_context (rt), TRUE);
}

/* A drain cancels the reader; its cancellation error ends its input. */
static void
test_drain_read (gconstpointer data)
{
  for (int code = 0; code < 2; code++)
    {
      g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
      DrainReadIn in = { .n = 7, .code = code };
      GraphResult r = { 0 };
      T t;

      t_init (&t);
      g_autoptr (DfGraph) g = make (drain_read_new (rt, &in, NULL), GPOINTER_TO_INT (data));
      graph_run (g, &r, 30);
      g_assert_no_error (r.error);
      graph_assert_accounting (g);
      DfGraphNodeStats s = graph_node_stats (g, "reader");
      g_assert_cmpint (s.ok, ==, 1);
      g_assert_cmpint (s.err, ==, 0);
      g_assert_cmpint (graph_node_stats (g, "keep").ok, ==, 7);
      g_assert_cmpuint (t.log->len, ==, 7);
      strs_assert_balanced ();
      t_clear (&t);
    }
}

/* A drain during a 20 s back-off cancels it: no retry starts, the
 * failure is counted, the run ends now. */
static void
test_drain_backoff (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DrainBackoffIn in = { 0 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (drain_backoff_new (rt, &in, NULL), GPOINTER_TO_INT (data));
  graph_run (g, &r, 10);    /* far less than one back-off */
  g_assert_no_error (r.error);
  graph_assert_accounting (g);
  DfGraphNodeStats s = graph_node_stats (g, "f");
  g_assert_cmpint (s.in, ==, 1);
  g_assert_cmpint (s.err, ==, 1);
  g_assert_cmpint (s.retries, <=, 1);
  g_assert_cmpuint (t.log->len, ==, 0);
  t_clear (&t);
}

/* Calls that never complete while the graph runs: each times out, is
 * skipped at once, and the run ends without them.  Completed later,
 * their results are freed, never delivered. */
static void
test_never (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  NeverEndsIn in = { .n = 5 };
  GError *error = NULL;
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (never_ends_new (rt, &in, NULL), GPOINTER_TO_INT (data));
  g_assert_true (df_graph_run (g, &error));
  g_assert_no_error (error);
  graph_assert_accounting (g);
  g_assert_cmpint (graph_node_stats (g, "a").err, ==, 5);
  g_assert_cmpint (graph_node_stats (g, "b").err, ==, 5);
  g_assert_cmpint (graph_node_stats (g, "keep").in, ==, 0);
  g_autofree char *errors = gt_errors (g, "a");
  g_assert_nonnull (strstr (errors, "timed out"));

  g_assert_cmpuint (t.stash->len, ==, 5);
  for (guint i = 0; i < t.stash->len; i++)
    never_return (t.stash->pdata[i], str_new ("never%u", i));
  g_atomic_int_set (&t.release, 1);
  settle (rt);
  g_assert_cmpuint (t.log->len, ==, 0);
  strs_assert_balanced ();
  t_clear (&t);
}

/* The same under `on error halt`: the run halts at the first time-out. */
static void
test_never_halt (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  NeverHaltsIn in = { .n = 3 };
  GError *error = NULL;
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (never_halts_new (rt, &in, NULL), GPOINTER_TO_INT (data));
  g_assert_false (df_graph_run (g, &error));
  g_assert_error (error, DF_ERROR, DF_ERROR_HALTED);
  g_assert_nonnull (strstr (error->message, "timed out"));
  g_clear_error (&error);
  graph_assert_accounting (g);
  for (guint i = 0; i < t.stash->len; i++)
    never_return (t.stash->pdata[i], str_new ("never%u", i));
  settle (rt);
  g_assert_cmpuint (t.log->len, ==, 0);
  strs_assert_balanced ();
  t_clear (&t);
}

/* A late return is discarded: the retry's result is the only one. */
static void
test_late_retry (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  LateRetryIn in = { .n = 20 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (late_retry_new (rt, &in, NULL), GPOINTER_TO_INT (data));
  graph_run (g, &r, 60);
  g_assert_no_error (r.error);
  settle (rt);
  graph_assert_accounting (g);
  g_assert_cmpuint (t.log->len, ==, 20);
  for (guint i = 0; i < t.log->len; i++)
    g_assert_true (g_str_has_prefix (t.log->pdata[i], "ok"));
  DfGraphNodeStats s = graph_node_stats (g, "l");
  g_assert_cmpint (s.ok, ==, 20);
  g_assert_cmpint (s.retries, ==, 20);
  strs_assert_balanced ();
  t_clear (&t);
}

/* Under `on error skip` a timed-out item is an error, never delivered. */
static void
test_late_skip (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  LateSkipIn in = { .n = 6 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (late_skip_new (rt, &in, NULL), GPOINTER_TO_INT (data));
  graph_run (g, &r, 60);
  g_assert_no_error (r.error);
  settle (rt);
  graph_assert_accounting (g);
  g_assert_cmpint (graph_node_stats (g, "l").err, ==, 6);
  g_assert_cmpint (graph_node_stats (g, "keep").in, ==, 0);
  g_assert_cmpuint (t.log->len, ==, 0);
  strs_assert_balanced ();
  t_clear (&t);
}

/* What a generator emits after its time-out is freed. */
static void
test_gen_timeout (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  GenTimeoutIn in = { 0 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (gen_timeout_new (rt, &in, NULL), GPOINTER_TO_INT (data));
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  settle (rt);
  graph_assert_accounting (g);
  g_autofree char *log = t_log_joined ();
  g_assert_cmpstr (log, ==, "g0");
  g_assert_cmpint (graph_node_stats (g, "gen_late").err, ==, 1);
  strs_assert_balanced ();
  t_clear (&t);
}

/* A halt cancels the generator that is running, in both modes. */
static void
test_halt_gen (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  HaltGenIn in = { 0 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (halt_gen_new (rt, &in, NULL), GPOINTER_TO_INT (data));
  graph_run (g, &r, 60);
  g_assert_error (r.error, DF_ERROR, DF_ERROR_HALTED);
  graph_result_clear (&r);
  graph_assert_accounting (g);
  g_assert_true (g_atomic_int_get (&t.gen_cancelled));
  t_clear (&t);
}

/* Sync mode: each item goes through both async nodes and the sink
 * before the next one starts. */
static void
test_depth_first (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  DepthIn in = { .n = 4 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (depth_new (rt, &in, NULL), DF_GRAPH_SYNC);
  graph_run (g, &r, 30);
  g_assert_no_error (r.error);
  graph_assert_accounting (g);
  g_autofree char *log = t_log_joined ();
  g_assert_cmpstr (log, ==, "a0 b0 0 a1 b1 1 a2 b2 2 a3 b3 3");
  t_clear (&t);
}

/* A blocking source into an async node through `queue 4`: the strings
 * alive at once stay within the queue and the outbox, in both modes. */
static void
test_bounded (gconstpointer data)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  BoundedAsyncIn in = { .n = 5000 };
  GraphResult r = { 0 };
  T t;

  t_init (&t);
  g_autoptr (DfGraph) g = make (bounded_async_new (rt, &in, NULL), GPOINTER_TO_INT (data));
  graph_run (g, &r, 120);
  g_assert_no_error (r.error);
  graph_assert_accounting (g);
  g_assert_cmpuint (t.log->len, ==, 5000);
  /* queue 4, the blocking outbox (1024 items), one in the call, slack. */
  g_assert_cmpint (t.max_alive, <=, 4 + 1024 + 16);
  strs_assert_balanced ();
  t_clear (&t);
}

int
main (int argc, char **argv)
{
  static const char *const mode_names[] = { "async", "sync" };
  gt_init (&argc, &argv);
  for (int m = 0; m < 2; m++)
    {
      gpointer mode = GINT_TO_POINTER (m == 0 ? DF_GRAPH_ASYNC : DF_GRAPH_SYNC);
#define ADD(name, func) \
      do { \
        g_autofree char *path = g_strdup_printf ("/graph-endings/%s/%s", name, mode_names[m]); \
        g_test_add_data_func (path, mode, func); \
      } while (0)
      ADD ("drain-read", test_drain_read);
      ADD ("drain-backoff", test_drain_backoff);
      ADD ("never", test_never);
      ADD ("never-halt", test_never_halt);
      ADD ("late-retry", test_late_retry);
      ADD ("late-skip", test_late_skip);
      ADD ("generator-timeout", test_gen_timeout);
      ADD ("halt-generator", test_halt_gen);
      ADD ("bounded", test_bounded);
#undef ADD
    }
  g_test_add_func ("/graph-endings/depth-first/sync", test_depth_first);
  return g_test_run ();
}
