/* stats.c — per-stage counters and their registry.
 *
 * Counters are updated with relaxed atomic adds: no lock on the hot path,
 * correct even when two runtimes on two threads run the same stage, and
 * readable from any thread.  A DfStageStats registers itself on first
 * use; the registry (a mutex and an intrusive list) is touched once per
 * stage, never per call.
 */
#include <stdio.h>

#include "dfrt-private.h"

#define COUNT_ADD(field, n) __atomic_fetch_add (&(field), (n), __ATOMIC_RELAXED)
#define COUNT_GET(field)    __atomic_load_n (&(field), __ATOMIC_RELAXED)

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static DfStageStats *registry_head;
static DfStageStats **registry_tail = &registry_head;
static gint timing;

static void
stats_register (DfStageStats *s)
{
  if (g_atomic_int_get (&s->registered))
    return;
  pthread_mutex_lock (&registry_lock);
  if (!g_atomic_int_get (&s->registered))
    {
      s->next = NULL;
      *registry_tail = s;
      registry_tail = &s->next;
      g_atomic_int_set (&s->registered, 1);
    }
  pthread_mutex_unlock (&registry_lock);
}

gboolean
df_stats_timing_enabled (void)
{
  return g_atomic_int_get (&timing) != 0;
}

void
df_stats_set_timing (gboolean enabled)
{
  g_atomic_int_set (&timing, enabled ? 1 : 0);
}

void
df_stats_call_begin (DfStageStats *stats)
{
  if (stats == NULL)
    return;
  stats_register (stats);
  COUNT_ADD (stats->calls, 1);
  COUNT_ADD (stats->in_flight, 1);
}

void
df_stats_call_end (DfStageStats *stats, gboolean failed, gint64 started)
{
  if (stats == NULL)
    return;
  COUNT_ADD (stats->in_flight, -1);
  if (failed)
    COUNT_ADD (stats->failures, 1);
  if (started)
    COUNT_ADD (stats->time_us, g_get_monotonic_time () - started);
}

void
df_stats_call_timeout (DfStageStats *stats)
{
  if (stats == NULL)
    return;
  COUNT_ADD (stats->failures, 1);
  COUNT_ADD (stats->timeouts, 1);
}

gint64
df_stage_stats_enter (DfStageStats *stats)
{
  df_stats_call_begin (stats);
  return df_stats_timing_enabled () ? g_get_monotonic_time () : 0;
}

void
df_stage_stats_leave (DfStageStats *stats, gint64 token, gboolean ok)
{
  df_stats_call_end (stats, !ok, token);
}

void
df_stage_stats_get (const DfStageStats *stats, DfStageStatsValues *out)
{
  out->name = stats->name;
  out->calls = COUNT_GET (stats->calls);
  out->failures = COUNT_GET (stats->failures);
  out->timeouts = COUNT_GET (stats->timeouts);
  out->in_flight = COUNT_GET (stats->in_flight);
  out->time_us = COUNT_GET (stats->time_us);
}

/* Copies under the lock, calls without it: @func may use stages. */
void
df_stats_foreach (DfStatsForeachFunc func, gpointer user_data)
{
  GArray *values = g_array_new (FALSE, FALSE, sizeof (DfStageStatsValues));

  pthread_mutex_lock (&registry_lock);
  for (DfStageStats *s = registry_head; s; s = s->next)
    {
      DfStageStatsValues v;
      df_stage_stats_get (s, &v);
      g_array_append_val (values, v);
    }
  pthread_mutex_unlock (&registry_lock);

  for (guint i = 0; i < values->len; i++)
    func (&g_array_index (values, DfStageStatsValues, i), user_data);
  g_array_unref (values);
}

static void
format_one (const DfStageStatsValues *v, gpointer data)
{
  gint64 ended = v->calls - v->in_flight;

  g_string_append_printf (data, "%-24s %10" G_GINT64_FORMAT " %9" G_GINT64_FORMAT
                          " %9" G_GINT64_FORMAT " %9" G_GINT64_FORMAT " %9" G_GINT64_FORMAT "\n",
                          v->name, v->calls, v->failures, v->timeouts, v->in_flight,
                          ended > 0 ? v->time_us / ended : 0);
}

char *
df_stats_format (void)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%-24s %10s %9s %9s %9s %9s\n", "stage", "calls",
                          "failures", "timeouts", "in_flight", "avg_us");
  df_stats_foreach (format_one, out);
  return g_string_free (out, FALSE);
}

static void
stats_timer_fired (DfTimer *timer)
{
  DfRuntime *rt = DF_CONTAINER_OF (timer, DfRuntime, stats_timer);
  char *text = df_stats_format ();

  g_printerr ("%s", text);
  g_free (text);
  df_timer_start_in (rt, timer, rt->stats_interval);
}

void
df_runtime_log_stats (DfRuntime *rt, GTimeSpan interval)
{
  rt->stats_interval = interval;
  if (interval <= 0)
    {
      df_timer_stop (rt, &rt->stats_timer);
      return;
    }
  df_timer_init (&rt->stats_timer, stats_timer_fired);
  df_timer_start_in (rt, &rt->stats_timer, interval);
}

void
df_runtime_get_counters (DfRuntime *rt, DfRuntimeCounters *out)
{
  out->tasks_run = rt->counters.tasks_run;
  out->ready_dispatches = rt->counters.ready_dispatches;
  out->wakeups = __atomic_load_n (&rt->counters.wakeups, __ATOMIC_RELAXED);
  out->timers_fired = rt->counters.timers_fired;
  out->timer_dispatches = rt->counters.timer_dispatches;
  pthread_mutex_lock (&rt->workers.lock);
  out->workers_started = rt->workers.threads->len;
  pthread_mutex_unlock (&rt->workers.lock);
}
