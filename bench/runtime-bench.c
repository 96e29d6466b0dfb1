/* runtime-bench.c — what the runtime's scheduling costs, against the
 * GLib idioms it replaces.
 *
 *  1. ready-list round trip: a task that re-schedules itself, vs. an idle
 *     callback that adds the next idle (g_idle_add per step);
 *  2. cross-thread completion: a thread completes N async calls, vs. the
 *     same thread doing one g_idle_add per completion;
 *  3. a whole flow instance (frame, one async call completed inline);
 *  4. N pending timeouts firing: the runtime's heap vs. one g_timeout_add
 *     source each.
 *
 * Prints one line per measurement, "name  ns/op  (ratio)".  Ratios within
 * one run are what to compare; absolute figures depend on the machine.
 *   runtime-bench [SCALE]   (default 1: about a second in all)
 */
#include <stdio.h>
#include <stdlib.h>

#include "dfrt-gen.h"

static double scale = 1.0;

static guint
n_of (double base)
{
  return (guint) MAX (1000.0, base * scale);
}

static double
ns_per (gint64 start, guint n)
{
  return (double) (g_get_monotonic_time () - start) * 1000.0 / n;
}

static void
report (const char *name, double ns, double baseline)
{
  if (baseline > 0)
    printf ("%-44s %9.1f ns/op  (%.1fx faster than g_idle_add)\n", name, ns, baseline / ns);
  else
    printf ("%-44s %9.1f ns/op\n", name, ns);
}

/* ------------------------------------------------- 1. ready round trip */

typedef struct {
  DfTask     task;
  DfRuntime *rt;
  guint      left;
} Hopper;

static void
hop (DfTask *task)
{
  Hopper *h = DF_CONTAINER_OF (task, Hopper, task);

  if (--h->left > 0)
    df_runtime_schedule (h->rt, &h->task);
  else
    df_runtime_release (h->rt);
}

static double
bench_ready (DfRuntime *rt, guint n)
{
  Hopper h = { .rt = rt, .left = n };

  df_task_init (&h.task, hop);
  df_runtime_hold (rt);
  gint64 t = g_get_monotonic_time ();
  df_runtime_schedule (rt, &h.task);
  df_runtime_run (rt);
  return ns_per (t, n);
}

static guint idle_left;

static gboolean
idle_hop (gpointer loop)
{
  if (--idle_left > 0)
    g_idle_add (idle_hop, loop);
  else
    g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static double
bench_idle (guint n)
{
  GMainLoop *loop = g_main_loop_new (NULL, FALSE);

  idle_left = n;
  gint64 t = g_get_monotonic_time ();
  g_idle_add (idle_hop, loop);
  g_main_loop_run (loop);
  g_main_loop_unref (loop);
  return ns_per (t, n);
}

/* --------------------------------------------- 2. cross-thread completion */

typedef struct {
  DfFrame base;
  DfCall  call;
} OneCall;

static GPtrArray *parked;
static guint finished;

static void
one_call_step (DfFrame *frame, DfCall *resumed)
{
  OneCall *f = (OneCall *) frame;

  if (resumed)
    {
      g_clear_error (&(GError *) { df_call_take_error (resumed) });
      finished++;
      df_frame_return (frame);
      return;
    }
  df_call_begin (&f->call);
  g_ptr_array_add (parked, &f->call);     /* the "user function" */
  df_call_end_inline (&f->call);
}

static const DfFrameClass one_call_class = {
  .name = "one", .size = sizeof (OneCall), .step = one_call_step,
};
static const DfCallSite one_site = { .stage = "remote" };

static gpointer
complete_all (gpointer data)
{
  GPtrArray *calls = data;

  for (guint i = 0; i < calls->len; i++)
    df_call_complete (calls->pdata[i]);
  return NULL;
}

/* Starts @n frames, lets each park its call, then times the completions
 * from another thread through to the end of every flow. */
static double
bench_cross_thread (DfRuntime *rt, guint n)
{
  parked = g_ptr_array_sized_new (n);
  finished = 0;
  for (guint i = 0; i < n; i++)
    {
      DfFrame *frame = df_frame_new (rt, &one_call_class);
      df_call_init (&((OneCall *) frame)->call, frame, &one_site, 0);
      df_frame_start (frame);
    }
  while (parked->len < n)
    g_main_context_iteration (NULL, TRUE);

  gint64 t = g_get_monotonic_time ();
  GThread *thread = g_thread_new ("completer", complete_all, parked);
  df_runtime_run (rt);
  double ns = ns_per (t, n);
  g_thread_join (thread);
  g_assert (finished == n);
  g_ptr_array_unref (parked);
  return ns;
}

static guint idle_done;

static gboolean
count_idle (gpointer data)
{
  idle_done++;
  return G_SOURCE_REMOVE;
}

static gpointer
idle_per_completion (gpointer data)
{
  guint n = GPOINTER_TO_UINT (data);

  for (guint i = 0; i < n; i++)
    g_idle_add (count_idle, NULL);
  return NULL;
}

static double
bench_cross_thread_idle (guint n)
{
  idle_done = 0;
  gint64 t = g_get_monotonic_time ();
  GThread *thread = g_thread_new ("completer", idle_per_completion, GUINT_TO_POINTER (n));
  while (idle_done < n)
    g_main_context_iteration (NULL, TRUE);
  double ns = ns_per (t, n);
  g_thread_join (thread);
  return ns;
}

/* ------------------------------------------------- 3. a flow instance */

typedef struct {
  DfFrame base;
  DfCall  call;
} InlineFlow;

static guint to_start;
static void inline_start (DfRuntime *rt);

static void
inline_step (DfFrame *frame, DfCall *resumed)
{
  InlineFlow *f = (InlineFlow *) frame;

  df_call_begin (&f->call);
  df_call_complete (&f->call);             /* the user completes at once */
  if (!df_call_end_inline (&f->call))
    g_assert_not_reached ();
  finished++;
  df_frame_return (frame);
}

static void
inline_done (DfFrame *frame, const GError *error, gpointer rt)
{
  if (to_start > 0)
    inline_start (rt);
}

static const DfFrameClass inline_class = {
  .name = "inline", .size = sizeof (InlineFlow), .step = inline_step,
};

static void
inline_start (DfRuntime *rt)
{
  DfFrame *frame = df_frame_new (rt, &inline_class);

  to_start--;
  df_call_init (&((InlineFlow *) frame)->call, frame, &one_site, 0);
  df_frame_set_done (frame, inline_done, rt);
  df_frame_start (frame);
}

/* Steady state: 1000 flows in flight, each one's end starts the next. */
static double
bench_flows (DfRuntime *rt, guint n)
{
  finished = 0;
  to_start = n;
  gint64 t = g_get_monotonic_time ();
  for (guint i = 0; i < 1000 && to_start > 0; i++)
    inline_start (rt);
  df_runtime_run (rt);
  g_assert (finished == n);
  return ns_per (t, n);
}

/* ------------------------------------------------------- 4. timers */

typedef struct {
  DfTimer timer;
  gint64  deadline;
} Probe;

static gint64 worst_late;
static guint fired;

static void
probe_fired (DfTimer *timer)
{
  Probe *p = DF_CONTAINER_OF (timer, Probe, timer);
  worst_late = MAX (worst_late, g_get_monotonic_time () - p->deadline);
  fired++;
}

/* Arms @n timers due 200 ms from now, spread over 100 ms (late enough
 * that arming is done before the first is due), and waits for all. */
static double
bench_timers (DfRuntime *rt, guint n, double *late_ms)
{
  Probe *probes = g_new (Probe, n);
  gint64 base = g_get_monotonic_time () + 200000;

  worst_late = 0;
  fired = 0;
  gint64 t = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      df_timer_init (&probes[i].timer, probe_fired);
      probes[i].deadline = base + (i % 100) * 1000;
      df_timer_start (rt, &probes[i].timer, probes[i].deadline);
    }
  double arm = ns_per (t, n);
  while (fired < n)
    g_main_context_iteration (NULL, TRUE);
  *late_ms = worst_late / 1000.0;
  g_free (probes);
  return arm;
}

static gboolean
gsource_fired (gpointer data)
{
  Probe *p = data;
  worst_late = MAX (worst_late, g_get_monotonic_time () - p->deadline);
  fired++;
  return G_SOURCE_REMOVE;
}

static double
bench_gtimeouts (guint n, double *late_ms)
{
  Probe *probes = g_new (Probe, n);
  gint64 base = g_get_monotonic_time () + 200000;

  worst_late = 0;
  fired = 0;
  gint64 t = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      probes[i].deadline = base + (i % 100) * 1000;
      GSource *s = g_timeout_source_new (0);
      g_source_set_ready_time (s, probes[i].deadline);
      g_source_set_callback (s, gsource_fired, &probes[i], NULL);
      g_source_attach (s, NULL);
      g_source_unref (s);
    }
  double arm = ns_per (t, n);
  while (fired < n)
    g_main_context_iteration (NULL, TRUE);
  *late_ms = worst_late / 1000.0;
  g_free (probes);
  return arm;
}

static gboolean
wanted (const char *only, const char *name)
{
  return only == NULL || g_str_equal (only, name);
}

int
main (int argc, char **argv)
{
  const char *only = argc > 2 ? argv[2] : NULL;

  if (argc > 1)
    scale = g_ascii_strtod (argv[1], NULL);
  if (!(scale > 0))
    {
      fprintf (stderr, "usage: runtime-bench [SCALE [ready|cross|flow|timers]]\n");
      return 2;
    }

  DfRuntime *rt = df_runtime_new (NULL);
  if (wanted (only, "ready"))
    {
      guint n = n_of (1e6);
      double idle = bench_idle (n);
      report ("g_idle_add round trip", idle, 0);
      report ("ready-list round trip (df_runtime_schedule)", bench_ready (rt, n), idle);
    }
  if (wanted (only, "cross"))
    {
      guint n = n_of (2e5);
      double idle = bench_cross_thread_idle (n);
      report ("cross-thread: one g_idle_add per completion", idle, 0);
      report ("cross-thread: df_call_complete via the queue", bench_cross_thread (rt, n), idle);
    }
  if (wanted (only, "flow"))
    report ("flow instance (frame + inline async call)", bench_flows (rt, n_of (5e5)), 0);
  if (wanted (only, "timers"))
    {
      guint n = n_of (1e5);
      double late_g, late_d;
      double g = bench_gtimeouts (n, &late_g);
      double d = bench_timers (rt, n, &late_d);
      printf ("%-44s %9.1f ns to arm, fired at most %.1f ms late\n",
              "100k timeouts: one GSource each", g, late_g);
      printf ("%-44s %9.1f ns to arm, fired at most %.1f ms late\n",
              "100k timeouts: the runtime's heap", d, late_d);
    }
  df_runtime_unref (rt);
  return 0;
}
