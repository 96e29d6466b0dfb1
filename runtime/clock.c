/* clock.c — the runtime's clock: real, or virtual for tests.
 *
 * Every timeout, back-off, `every`, `within`, supervisor delay, statistics
 * interval and cron wall time is read from df_runtime_get_time() or
 * df_runtime_get_real_time(), so swapping the clock swaps time for all of
 * them.  A virtual clock stands still until a test moves it
 * (df_runtime_advance_clock) or, in auto-advance mode, until the runtime
 * has nothing left to do: then it jumps to the next timer's deadline.
 * Timers fire in deadline order either way, so a pipeline with ten-second
 * back-offs runs in milliseconds and the same way every time.
 *
 * One value serves as both monotonic and wall time: the virtual clock
 * starts at a wall time the test chooses, and both advance together.
 */
#include <string.h>

#include "dfrt-private.h"

gint64
df_runtime_get_time (DfRuntime *rt)
{
  if (G_UNLIKELY (__atomic_load_n (&rt->clock_virtual, __ATOMIC_RELAXED)))
    return __atomic_load_n (&rt->clock_now, __ATOMIC_ACQUIRE);
  return g_get_monotonic_time ();
}

gint64
df_runtime_get_real_time (DfRuntime *rt)
{
  if (G_UNLIKELY (__atomic_load_n (&rt->clock_virtual, __ATOMIC_RELAXED)))
    return __atomic_load_n (&rt->clock_now, __ATOMIC_ACQUIRE);
  return g_get_real_time ();
}

gboolean
df_runtime_has_virtual_clock (DfRuntime *rt)
{
  return __atomic_load_n (&rt->clock_virtual, __ATOMIC_RELAXED) != 0;
}

void
df_runtime_set_virtual_clock (DfRuntime *rt, gint64 start, gboolean auto_advance)
{
  g_return_if_fail (rt != NULL);
  g_return_if_fail (start >= 0);
  /* Deadlines already armed were computed on the real clock. */
  if (rt->heap_len > 0 || g_atomic_int_get (&rt->n_frames) > 0)
    {
      g_critical ("df_runtime_set_virtual_clock: timers or flows exist already; "
                  "set the clock before anything is scheduled");
      return;
    }
  __atomic_store_n (&rt->clock_now, start > 0 ? start : g_get_real_time (),
                    __ATOMIC_RELEASE);
  __atomic_store_n (&rt->clock_virtual, 1, __ATOMIC_RELEASE);
  rt->clock_auto = auto_advance;
  /* Blocking calls finishing must wake the loop so it can jump again. */
  pthread_mutex_lock (&rt->workers.lock);
  rt->workers.wake_when_idle = auto_advance;
  pthread_mutex_unlock (&rt->workers.lock);
  df_timers_clock_changed (rt);
}

/* Only forward: a deadline in the past has fired already. */
static void
clock_move_to (DfRuntime *rt, gint64 t)
{
  if (t > __atomic_load_n (&rt->clock_now, __ATOMIC_RELAXED))
    __atomic_store_n (&rt->clock_now, t, __ATOMIC_RELEASE);
}

/* Runs whatever is ready (tasks, other sources) without waiting.  Bounded
 * so that a source that is always ready cannot keep it going for ever. */
static void
clock_drain (DfRuntime *rt)
{
  for (guint n = 0; n < 1u << 20 && g_main_context_iteration (rt->context, FALSE); n++)
    ;
}

void
df_runtime_advance_clock (DfRuntime *rt, GTimeSpan span)
{
  g_return_if_fail (rt != NULL);
  g_return_if_fail (span >= 0);
  if (!df_runtime_has_virtual_clock (rt))
    {
      g_critical ("df_runtime_advance_clock: the runtime has a real clock");
      return;
    }
  if (df_runtime_is_dispatching (rt) || !g_main_context_acquire (rt->context))
    {
      g_critical ("df_runtime_advance_clock: call it from the runtime thread, "
                  "outside the runtime's own callbacks");
      return;
    }
  gint64 target = df_runtime_get_time (rt) + span;

  clock_drain (rt);
  /* One deadline at a time: what a timer starts runs (and may arm an
   * earlier timer) before time moves on. */
  while (rt->heap_len > 0 && df_timers_next_deadline (rt) <= target)
    {
      clock_move_to (rt, df_timers_next_deadline (rt));
      df_timers_fire_due (rt);
      clock_drain (rt);
    }
  clock_move_to (rt, target);
  clock_drain (rt);
  g_main_context_release (rt->context);
}

/* Idle: nothing on the ready lists, no blocking call queued or running.
 * An async stage completing from elsewhere (a thread, I/O, a real GLib
 * timeout) is not seen: auto-advance treats it as not yet started. */
static gboolean
clock_idle (DfRuntime *rt)
{
  return !df_ready_pending (rt) && df_workers_idle (&rt->workers);
}

gboolean
df_clock_step_when_idle (DfRuntime *rt)
{
  if (g_main_context_iteration (rt->context, FALSE))
    return TRUE;
  if (rt->heap_len == 0 || !clock_idle (rt))
    return FALSE;
  clock_move_to (rt, df_timers_next_deadline (rt));
  df_timers_fire_due (rt);
  return TRUE;
}

void
df_runtime_iterate (DfRuntime *rt)
{
  if (G_UNLIKELY (rt->clock_auto) && df_clock_step_when_idle (rt))
    return;
  g_main_context_iteration (rt->context, TRUE);
}

gboolean
df_runtime_clock_from_env (DfRuntime *rt, GError **error)
{
  const char *value = g_getenv ("DF_VIRTUAL_CLOCK");

  if (value == NULL || *value == '\0' || strcmp (value, "0") == 0)
    return TRUE;
  if (strcmp (value, "1") == 0)
    {
      df_runtime_set_virtual_clock (rt, 0, TRUE);
      return TRUE;
    }
  g_autoptr (GDateTime) start = g_date_time_new_from_iso8601 (value, NULL);
  gint64 us = start ? g_date_time_to_unix (start) * G_TIME_SPAN_SECOND
                      + g_date_time_get_microsecond (start) : -1;
  if (us <= 0)
    {
      g_set_error (error, DF_ERROR, DF_ERROR_USAGE,
                   "DF_VIRTUAL_CLOCK=%s: expected 1, 0 or a date-time such as "
                   "2026-01-01T00:00:00Z", value);
      return FALSE;
    }
  df_runtime_set_virtual_clock (rt, us, TRUE);
  return TRUE;
}
