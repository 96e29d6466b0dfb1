/* flow-bench.c — generated flows (flows.df) against hand-written C and the
 * naive GLib way, measured in one run.
 *
 *   flow-bench [--quick]
 *   flow-bench --sleepers N      (one row; run in a fresh process by the
 *                                 above, so that resident memory is this
 *                                 measurement's alone)
 *
 * Prints a Markdown table (bench/flows/run-flow-bench writes it into
 * docs/benchmarks.md).  Every comparison is a ratio within this run.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "flows.h"

static gboolean quick;

static double
now_ns (void)
{
  return (double) g_get_monotonic_time () * 1000.0;
}

/* Resident memory in bytes, from /proc/self/statm. */
static gsize
resident_bytes (void)
{
  gsize pages = 0, resident = 0;
  FILE *f = fopen ("/proc/self/statm", "r");
  if (f != NULL)
    {
      if (fscanf (f, "%zu %zu", &pages, &resident) != 2)
        resident = 0;
      fclose (f);
    }
  return resident * (gsize) sysconf (_SC_PAGESIZE);
}

/* ------------------------------------------------------------ the stages */

gboolean
add1 (DfContext *ctx, int x, int *y, GError **error)
{
  *y = x + 1;
  return TRUE;
}

gboolean
mul2 (DfContext *ctx, int y, int *z, GError **error)
{
  *z = y * 2;
  return TRUE;
}

gboolean
sub3 (DfContext *ctx, int z, int *w, GError **error)
{
  *w = z - 3;
  return TRUE;
}

gboolean
join (DfContext *ctx, int a, int b, int *s, GError **error)
{
  *s = a + b;
  return TRUE;
}

/* Both complete inside their own call: the par goes on without a trip
 * through the loop. */
void
left (DfCall *call, int x)
{
  left_return (call, x + 1);
}

void
right (DfCall *call, int x)
{
  right_return (call, x + 2);
}

gboolean
nap (DfContext *ctx, int x, int *y, GError **error)
{
  g_usleep (10 * 1000);
  *y = x;
  return TRUE;
}

/* sleep10: every call waits the same 10 ms, so pending calls form a FIFO
 * by deadline, drained by one 1 ms tick: the user's own values are the
 * call and its deadline (16 bytes a flow). */
typedef struct {
  DfCall *call;
  gint64 deadline;
  int n;
} Sleeper;

static GArray *sleepers;
static guint sleepers_head;
static double lateness_sum;
static guint lateness_n;

void
sleep10 (DfCall *call, int n)
{
  Sleeper s = { call, g_get_monotonic_time () + 10 * 1000, n };
  g_array_append_val (sleepers, s);
}

static gboolean
sleepers_tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  while (sleepers_head < sleepers->len)
    {
      Sleeper *s = &g_array_index (sleepers, Sleeper, sleepers_head);
      if (s->deadline > now)
        break;
      lateness_sum += (double) (now - s->deadline);
      lateness_n++;
      sleepers_head++;
      sleep10_return (s->call, s->n);
    }
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------ baselines */

G_GNUC_NO_INLINE static int direct_add1 (int x) { return x + 1; }
G_GNUC_NO_INLINE static int direct_mul2 (int y) { return y * 2; }
G_GNUC_NO_INLINE static int direct_sub3 (int z) { return z - 3; }

static double
direct_chain_ns (guint n)
{
  volatile int sink = 0;
  double start = now_ns ();
  for (guint i = 0; i < n; i++)
    sink = direct_sub3 (direct_mul2 (direct_add1 ((int) i)));
  (void) sink;
  return (now_ns () - start) / n;
}

/* The naive GLib way: each stage is an idle callback that adds the next. */
typedef struct {
  int v;
  guint *done;
} IdleCall;

static gboolean
idle_stage3 (gpointer data)
{
  IdleCall *c = data;
  c->v -= 3;
  (*c->done)++;
  g_free (c);
  return G_SOURCE_REMOVE;
}

static gboolean
idle_stage2 (gpointer data)
{
  ((IdleCall *) data)->v *= 2;
  g_idle_add (idle_stage3, data);
  return G_SOURCE_REMOVE;
}

static gboolean
idle_stage1 (gpointer data)
{
  ((IdleCall *) data)->v += 1;
  g_idle_add (idle_stage2, data);
  return G_SOURCE_REMOVE;
}

static double
idle_chain_ns (guint n)
{
  guint done = 0;
  double start = now_ns ();
  for (guint i = 0; i < n; i++)
    {
      IdleCall *c = g_new (IdleCall, 1);
      c->v = (int) i;
      c->done = &done;
      g_idle_add (idle_stage1, c);
    }
  while (done < n)
    g_main_context_iteration (NULL, TRUE);
  return (now_ns () - start) / n;
}

/* par of two stages then a merge, the naive way: one idle per stage. */
typedef struct {
  int a, b, pending;
  guint *done;
} IdleFork;

static gboolean
idle_join (gpointer data)
{
  IdleFork *c = data;
  volatile int s = c->a + c->b;
  (void) s;
  (*c->done)++;
  g_free (c);
  return G_SOURCE_REMOVE;
}

static gboolean
idle_left (gpointer data)
{
  IdleFork *c = data;
  c->a += 1;
  if (--c->pending == 0)
    g_idle_add (idle_join, c);
  return G_SOURCE_REMOVE;
}

static gboolean
idle_right (gpointer data)
{
  IdleFork *c = data;
  c->b += 2;
  if (--c->pending == 0)
    g_idle_add (idle_join, c);
  return G_SOURCE_REMOVE;
}

static double
idle_fork_ns (guint n)
{
  guint done = 0;
  double start = now_ns ();
  for (guint i = 0; i < n; i++)
    {
      IdleFork *c = g_new0 (IdleFork, 1);
      c->a = c->b = (int) i;
      c->pending = 2;
      c->done = &done;
      g_idle_add (idle_left, c);
      g_idle_add (idle_right, c);
    }
  while (done < n)
    g_main_context_iteration (NULL, TRUE);
  return (now_ns () - start) / n;
}

/* -------------------------------------------------------- generated flows */

static void
chain_counted (ChainOut *out, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  (*(guint *) data)++;
}

static void
fork_counted (ForkOut *out, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  (*(guint *) data)++;
}

/* Start `n` flows, at most `batch` in flight, and run them to the end. */
static double
chain_flow_ns (DfRuntime *rt, guint n, guint batch)
{
  guint done = 0;
  double start = now_ns ();
  for (guint i = 0; i < n; i += batch)
    {
      for (guint k = 0; k < batch && i + k < n; k++)
        chain_start (rt, &(ChainIn) { (int) (i + k) }, NULL, chain_counted, &done);
      df_runtime_run (rt);
    }
  g_assert_cmpuint (done, ==, n);
  return (now_ns () - start) / n;
}

/* `n` calls of chain_run (), one flow at a time: what a caller pays for
 * the blocking entry point, which waits for the flow it started. */
static double
chain_run_ns (DfRuntime *rt, guint n)
{
  gint64 sum = 0;
  double start = now_ns ();
  for (guint i = 0; i < n; i++)
    {
      ChainOut out;
      GError *error = NULL;
      if (!chain_run (rt, &(ChainIn) { (int) i }, &out, &error))
        g_error ("chain_run: %s", error->message);
      sum += out.w;
    }
  double ns = (now_ns () - start) / n;
  g_assert_cmpint (sum, !=, 0);
  return ns;
}

static double
fork_flow_ns (DfRuntime *rt, guint n, guint batch)
{
  guint done = 0;
  double start = now_ns ();
  for (guint i = 0; i < n; i += batch)
    {
      for (guint k = 0; k < batch && i + k < n; k++)
        fork_start (rt, &(ForkIn) { (int) (i + k) }, NULL, fork_counted, &done);
      df_runtime_run (rt);
    }
  g_assert_cmpuint (done, ==, n);
  return (now_ns () - start) / n;
}

static void
sleeper_counted (SleeperOut *out, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  (*(guint *) data)++;
}

/* `n` flows in flight at once, each in a 10 ms async stage. */
static void
sleepers_in_flight (DfRuntime *rt, guint n)
{
  guint done = 0;
  sleepers = g_array_sized_new (FALSE, FALSE, sizeof (Sleeper), n);
  sleepers_head = 0;
  lateness_sum = 0;
  lateness_n = 0;
  gsize before = resident_bytes ();
  double start = now_ns ();
  for (guint i = 0; i < n; i++)
    sleeper_start (rt, &(SleeperIn) { (int) i }, NULL, sleeper_counted, &done);
  /* Every flow reaches its async stage in the first dispatch. */
  while (sleepers->len < n)
    g_main_context_iteration (NULL, TRUE);
  gsize during = resident_bytes ();
  guint tick = g_timeout_add (1, sleepers_tick, NULL);
  df_runtime_run (rt);
  double wall_ms = (now_ns () - start) / 1e6;
  g_source_remove (tick);
  g_assert_cmpuint (done, ==, n);

  double per_flow = (double) (during - before) / n - sizeof (Sleeper);
  printf ("| %s flows in flight, each in a 10 ms async stage | %.0f ms wall, mean lateness %.2f ms | "
          "%.0f bytes per flow above the user's own | — |\n",
          n >= 1000000 ? "1,000,000" : "100,000", wall_ms, lateness_sum / lateness_n / 1000.0, per_flow);
  g_array_unref (sleepers);
}

static void
napper_counted (NapperOut *out, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  (*(guint *) data)++;
}

static void
blocking_calls (DfRuntime *rt)
{
  guint done = 0, n = 1000;
  df_runtime_set_max_workers (rt, 16);
  double start = now_ns ();
  for (guint i = 0; i < n; i++)
    napper_start (rt, &(NapperIn) { (int) i }, NULL, napper_counted, &done);
  df_runtime_run (rt);
  double wall_ms = (now_ns () - start) / 1e6;
  g_assert_cmpuint (done, ==, n);
  printf ("| 1,000 blocking calls of 10 ms on 16 workers | %.0f ms | ideal 625 ms | %.1f%% above ideal |\n",
          wall_ms, (wall_ms / 625.0 - 1.0) * 100.0);
}

/* Each in-flight measurement runs in a process of its own: frames that
 * earlier measurements freed would otherwise be reused and hide memory. */
static void
sleepers_in_child (const char *self, guint n)
{
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *argv[] = { self, "--sleepers", count, NULL };
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("%s --sleepers %u: %s", self, n, error->message);
  fputs (out, stdout);
}

int
main (int argc, char **argv)
{
  if (argc > 2 && strcmp (argv[1], "--sleepers") == 0)
    {
      DfRuntime *rt = df_runtime_new (NULL);
      sleepers_in_flight (rt, (guint) g_ascii_strtoull (argv[2], NULL, 10));
      df_runtime_unref (rt);
      return 0;
    }
  quick = argc > 1 && strcmp (argv[1], "--quick") == 0;
  guint n = quick ? 100000 : 2000000;
  DfRuntime *rt = df_runtime_new (NULL);

  double direct = direct_chain_ns (n * 10);
  double chain = chain_flow_ns (rt, n, 1000);
  double idle = idle_chain_ns (n / 4);
  printf ("| measurement | dfc | baseline | ratio |\n|---|---:|---:|---:|\n");
  printf ("| 3-stage sync flow, per call (frame included) | %.1f ns | direct noinline calls %.1f ns; "
          "g_idle_add per stage %.0f ns | %.1fx direct, %.0fx faster than idle |\n",
          chain, direct, idle, chain / direct, idle / chain);
  double run = chain_run_ns (rt, n / 4);
  printf ("| the same flow through `chain_run` (one at a time, waits for each) | %.1f ns | "
          "direct noinline calls %.1f ns | %.1fx direct |\n", run, direct, run / direct);

  double fork = fork_flow_ns (rt, n, 1000);
  double idle_fork = idle_fork_ns (n / 4);
  printf ("| par of two async stages completing at once, then a merge, per call | %.1f ns | "
          "g_idle_add per stage %.0f ns | %.0fx faster |\n", fork, idle_fork, idle_fork / fork);

  fflush (stdout);
  sleepers_in_child (argv[0], 100000);
  if (!quick)
    sleepers_in_child (argv[0], 1000000);
  blocking_calls (rt);
  df_runtime_unref (rt);
  return 0;
}
