/* timers.c — every timer of a runtime in one binary heap, one GSource.
 *
 * A g_timeout_add() per timer would put one GSource per pending timeout in
 * the context, and GLib walks every source at every iteration: at 100,000
 * pending timers that is tens of milliseconds per iteration.  Here a timer
 * is a DfTimer embedded in whatever it serves (no allocation), the heap is
 * keyed by monotonic deadline, and the one source's ready time is the
 * earliest deadline.  Arm, re-arm and stop are O(log n) thanks to the
 * index each timer keeps of its own heap slot.
 */
#include "dfrt-private.h"

/* Below this many slots the heap array is never shrunk. */
#define HEAP_MIN_CAP 64

/* -------------------------------------------------------------- the heap */

static void
heap_place (DfRuntime *rt, guint i, DfTimer *t)
{
  rt->heap[i] = t;
  t->slot = i + 1;
}

static void
heap_sift_up (DfRuntime *rt, guint i)
{
  DfTimer *t = rt->heap[i];

  while (i > 0)
    {
      guint parent = (i - 1) / 2;
      if (rt->heap[parent]->deadline <= t->deadline)
        break;
      heap_place (rt, i, rt->heap[parent]);
      i = parent;
    }
  heap_place (rt, i, t);
}

static void
heap_sift_down (DfRuntime *rt, guint i)
{
  DfTimer *t = rt->heap[i];

  for (;;)
    {
      guint child = 2 * i + 1;
      if (child >= rt->heap_len)
        break;
      if (child + 1 < rt->heap_len
          && rt->heap[child + 1]->deadline < rt->heap[child]->deadline)
        child++;
      if (t->deadline <= rt->heap[child]->deadline)
        break;
      heap_place (rt, i, rt->heap[child]);
      i = child;
    }
  heap_place (rt, i, t);
}

static void
heap_push (DfRuntime *rt, DfTimer *t)
{
  if (rt->heap_len == rt->heap_cap)
    {
      rt->heap_cap = MAX (HEAP_MIN_CAP, rt->heap_cap * 2);
      rt->heap = g_renew (DfTimer *, rt->heap, rt->heap_cap);
    }
  rt->heap[rt->heap_len++] = t;
  heap_sift_up (rt, rt->heap_len - 1);
}

/* Gives memory back after a burst (100,000 timers, then few). */
static void
heap_maybe_shrink (DfRuntime *rt)
{
  if (rt->heap_cap > HEAP_MIN_CAP && rt->heap_len < rt->heap_cap / 4)
    {
      rt->heap_cap /= 2;
      rt->heap = g_renew (DfTimer *, rt->heap, rt->heap_cap);
    }
}

static void
heap_remove (DfRuntime *rt, DfTimer *t)
{
  guint i = t->slot - 1;
  DfTimer *last = rt->heap[--rt->heap_len];

  t->slot = 0;
  if (last != t)
    {
      heap_place (rt, i, last);
      /* The moved timer may belong above or below its new slot. */
      if (i > 0 && rt->heap[(i - 1) / 2]->deadline > last->deadline)
        heap_sift_up (rt, i);
      else
        heap_sift_down (rt, i);
    }
  heap_maybe_shrink (rt);
}

/* ------------------------------------------------------------ the source */

/* Tells the source about a new earliest deadline.  Skipped during dispatch
 * (the dispatch sets it once at the end) and when unchanged, because
 * g_source_set_ready_time() takes the context lock. */
static void
timers_sync_ready_time (DfRuntime *rt)
{
  if (rt->in_timer_dispatch)
    return;
  /* A virtual clock's deadlines mean nothing to GLib: clock.c fires them. */
  gint64 want = rt->heap_len && !df_runtime_has_virtual_clock (rt)
                ? rt->heap[0]->deadline : -1;
  if (want != rt->ready_time)
    {
      rt->ready_time = want;
      g_source_set_ready_time (rt->timer_source, want);
    }
}

typedef struct {
  GSource    source;
  DfRuntime *rt;
} TimerSource;

/* Fires the timers due now.  The budget (the heap size on entry) bounds
 * the loop, so timers re-armed for "now" by their own functions cannot
 * keep it spinning. */
void
df_timers_fire_due (DfRuntime *rt)
{
  df_runtime_ref (rt);
  guintptr mark = df_runtime_dispatch_enter (rt);
  gint64 now = df_runtime_get_time (rt);
  guint budget = rt->heap_len;

  rt->counters.timer_dispatches++;
  rt->in_timer_dispatch = TRUE;
  while (budget-- > 0 && rt->heap_len > 0 && rt->heap[0]->deadline <= now)
    {
      DfTimer *t = rt->heap[0];
      heap_remove (rt, t);
      rt->counters.timers_fired++;
      t->func (t);
    }
  rt->in_timer_dispatch = FALSE;
  /* The source may still be set to the deadline just served. */
  rt->ready_time = G_MININT64;
  timers_sync_ready_time (rt);
  df_frames_flush (rt);
  df_runtime_dispatch_leave (rt, mark);
  df_runtime_unref (rt);
}

static gboolean
timer_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  df_timers_fire_due (((TimerSource *) source)->rt);
  return G_SOURCE_CONTINUE;
}

gint64
df_timers_next_deadline (DfRuntime *rt)
{
  return rt->heap_len ? rt->heap[0]->deadline : -1;
}

void
df_timers_clock_changed (DfRuntime *rt)
{
  rt->ready_time = G_MININT64;
  timers_sync_ready_time (rt);
}

static GSourceFuncs timer_funcs = {
  .dispatch = timer_dispatch,
};

void
df_timers_init (DfRuntime *rt)
{
  GSource *source = g_source_new (&timer_funcs, sizeof (TimerSource));

  ((TimerSource *) source)->rt = rt;
  g_source_set_static_name (source, "dfrt timers");
  g_source_set_ready_time (source, -1);
  g_source_attach (source, rt->context);
  rt->timer_source = source;
  rt->ready_time = -1;
}

void
df_timers_shutdown (DfRuntime *rt)
{
  g_warn_if_fail (rt->heap_len == 0);
  g_source_destroy (rt->timer_source);
  g_source_unref (rt->timer_source);
  g_free (rt->heap);
}

/* ------------------------------------------------------------------ API */

void
df_timer_init (DfTimer *timer, DfTimerFunc func)
{
  timer->deadline = 0;
  timer->slot = 0;
  timer->func = func;
}

void
df_timer_start (DfRuntime *rt, DfTimer *timer, gint64 deadline)
{
  g_return_if_fail (timer->func != NULL);
  if (timer->slot)
    {
      guint i = timer->slot - 1;
      gint64 old = timer->deadline;
      timer->deadline = deadline;
      if (deadline < old)
        heap_sift_up (rt, i);
      else
        heap_sift_down (rt, i);
    }
  else
    {
      timer->deadline = deadline;
      heap_push (rt, timer);
    }
  timers_sync_ready_time (rt);
}

void
df_timer_start_in (DfRuntime *rt, DfTimer *timer, GTimeSpan delay)
{
  df_timer_start (rt, timer, df_runtime_get_time (rt) + MAX (delay, 0));
}

void
df_timer_stop (DfRuntime *rt, DfTimer *timer)
{
  if (timer->slot == 0)
    return;
  heap_remove (rt, timer);
  timers_sync_ready_time (rt);
}

gboolean
df_timer_is_armed (const DfTimer *timer)
{
  return timer->slot != 0;
}

guint
df_runtime_get_n_timers (DfRuntime *rt)
{
  return rt->heap_len;
}
