/* supervisor.c — restart a failed run with exponential back-off.
 *
 * `run NAME on error skip halt after N`: the same machinery with a failures-in-a-
 * row limit; a `repeat`/`every` round that completes (df_frame_round_done
 * in any frame of the run) starts the count again.
 *
 * `run NAME restart on failure backoff 1s..60s [max N]`: each failure is
 * reported, then the run is started again after a delay that doubles from
 * the initial value up to the maximum.  A run that stayed up at least as
 * long as the maximum delay counts as healthy, and the delay starts again
 * from the initial value.  The waiting uses a runtime timer, and the
 * supervisor holds the runtime so df_runtime_run() keeps going meanwhile.
 */
#include "dfrt-private.h"

struct _DfSupervisor {
  DfRuntime             *rt;
  char                  *name;
  DfSupervisorStartFunc  start;
  gpointer               start_data;
  DfSupervisorDoneFunc   done;
  gpointer               done_data;
  DfSupervisorReportFunc report;
  gpointer               report_data;
  GTimeSpan              initial;
  GTimeSpan              max;
  GTimeSpan              next_delay;
  guint                  max_restarts;   /* 0: no limit */
  guint                  restarts;
  guint                  max_in_row;     /* 0: no limit */
  guint                  in_row;         /* failures since the last progress */
  gint64                 run_started;
  GError                *last_failure;   /* while waiting to restart */
  DfTimer                timer;
  gboolean               active;         /* started, not yet done */
  gboolean               running;        /* a run is in progress */
};

static void supervisor_timer_fired (DfTimer *timer);

DfSupervisor *
df_supervisor_new (DfRuntime *rt, const char *name, DfSupervisorStartFunc start,
                   gpointer user_data)
{
  DfSupervisor *sup = g_new0 (DfSupervisor, 1);

  sup->rt = df_runtime_ref (rt);
  sup->name = g_strdup (name);
  sup->start = start;
  sup->start_data = user_data;
  sup->initial = G_TIME_SPAN_SECOND;
  sup->max = 60 * G_TIME_SPAN_SECOND;
  df_timer_init (&sup->timer, supervisor_timer_fired);
  rt->supervisors = g_list_prepend (rt->supervisors, sup);
  return sup;
}

void
df_supervisor_free (DfSupervisor *sup)
{
  if (sup == NULL)
    return;
  if (sup->running)
    g_critical ("df_supervisor_free: '%s' has a run in progress", sup->name);
  df_timer_stop (sup->rt, &sup->timer);
  if (sup->active)
    df_runtime_release (sup->rt);
  sup->rt->supervisors = g_list_remove (sup->rt->supervisors, sup);
  df_runtime_unref (sup->rt);
  g_clear_error (&sup->last_failure);
  g_free (sup->name);
  g_free (sup);
}

void
df_supervisor_set_backoff (DfSupervisor *sup, GTimeSpan initial, GTimeSpan max)
{
  g_return_if_fail (initial >= 0 && max >= initial);
  sup->initial = initial;
  sup->max = max;
}

void
df_supervisor_set_max_restarts (DfSupervisor *sup, guint max)
{
  sup->max_restarts = max;
}

void
df_supervisor_set_max_failures_in_row (DfSupervisor *sup, guint max)
{
  sup->max_in_row = max;
}

guint
df_supervisor_get_failures_in_row (DfSupervisor *sup)
{
  return sup->in_row;
}

void
df_supervisors_note_progress (DfRuntime *rt, DfSupervisor *sup)
{
  /* A frame may outlive its run (a late call): only a running
   * supervisor of this runtime counts. */
  if (g_list_find (rt->supervisors, sup) != NULL && sup->running)
    sup->in_row = 0;
}

void
df_supervisor_set_done_func (DfSupervisor *sup, DfSupervisorDoneFunc func, gpointer user_data)
{
  sup->done = func;
  sup->done_data = user_data;
}

void
df_supervisor_set_report_func (DfSupervisor *sup, DfSupervisorReportFunc func,
                               gpointer user_data)
{
  sup->report = func;
  sup->report_data = user_data;
}

guint
df_supervisor_get_restarts (DfSupervisor *sup)
{
  return sup->restarts;
}

const char *
df_supervisor_get_name (DfSupervisor *sup)
{
  return sup->name;
}

static void
supervisor_launch (DfSupervisor *sup)
{
  DfRuntime *rt = sup->rt;
  DfSupervisor *outer = rt->launching;
  guintptr outer_thread = __atomic_load_n (&rt->launching_thread, __ATOMIC_RELAXED);

  g_clear_error (&sup->last_failure);
  sup->running = TRUE;
  sup->run_started = df_runtime_get_time (rt);
  /* The frames the start function creates belong to this run. */
  rt->launching = sup;
  __atomic_store_n (&rt->launching_thread, df_thread_id (), __ATOMIC_RELAXED);
  sup->start (sup, sup->start_data);
  rt->launching = outer;
  __atomic_store_n (&rt->launching_thread, outer_thread, __ATOMIC_RELAXED);
}

void
df_supervisor_start (DfSupervisor *sup)
{
  g_return_if_fail (!sup->active);
  sup->active = TRUE;
  sup->restarts = 0;
  sup->in_row = 0;
  sup->next_delay = sup->initial;
  df_runtime_hold (sup->rt);
  supervisor_launch (sup);
}

/* The done function may free the supervisor: nothing touches it after. */
static void
supervisor_end (DfSupervisor *sup, const GError *error)
{
  sup->active = FALSE;
  df_runtime_release (sup->rt);
  if (sup->done)
    sup->done (sup, error, sup->done_data);
}

/* The default report goes to the runtime's log: rate-limited, and
 * silenced by --quiet, like every skipped or retried failure. */
static void
supervisor_report (DfSupervisor *sup, const GError *error, GTimeSpan delay)
{
  char buf[32], row[64] = "";

  if (sup->report)
    {
      sup->report (sup, error, sup->restarts, delay, sup->report_data);
      return;
    }
  if (sup->max_in_row > 0 && delay >= 0)
    g_snprintf (row, sizeof row, " (%u of %u failures in a row)", sup->in_row, sup->max_in_row);
  if (delay >= 0)
    df_runtime_log (sup->rt, "%s: run failed: %s; restart %u in %s%s", sup->name,
                    error->message, sup->restarts, df_format_duration (delay, buf), row);
  else if (sup->max_in_row > 0 && sup->in_row >= sup->max_in_row)
    df_runtime_log (sup->rt, "%s: run failed: %s; giving up after %u failures in a row",
                    sup->name, error->message, sup->in_row);
  else
    df_runtime_log (sup->rt, "%s: run failed: %s; giving up after %u restart%s", sup->name,
                    error->message, sup->restarts, sup->restarts == 1 ? "" : "s");
}

void
df_supervisor_run_finished (DfSupervisor *sup, const GError *error)
{
  g_return_if_fail (sup->running);
  sup->running = FALSE;

  if (error == NULL || sup->rt->stopping)
    {
      supervisor_end (sup, error);
      return;
    }
  sup->in_row++;
  if ((sup->max_restarts && sup->restarts >= sup->max_restarts)
      || (sup->max_in_row && sup->in_row >= sup->max_in_row))
    {
      supervisor_report (sup, error, -1);
      supervisor_end (sup, error);
      return;
    }
  /* A run that stayed up long enough was healthy: start the back-off over. */
  if (df_runtime_get_time (sup->rt) - sup->run_started >= sup->max)
    sup->next_delay = sup->initial;
  GTimeSpan delay = sup->next_delay;
  sup->next_delay = MIN (delay * 2, sup->max);
  sup->restarts++;
  supervisor_report (sup, error, delay);
  /* Kept for df_supervisors_stop(): a stop during the back-off ends the
   * supervisor with this failure, not with a cancellation. */
  g_clear_error (&sup->last_failure);
  sup->last_failure = g_error_copy (error);
  df_timer_start_in (sup->rt, &sup->timer, delay);
}

static void
supervisor_timer_fired (DfTimer *timer)
{
  supervisor_launch (DF_CONTAINER_OF (timer, DfSupervisor, timer));
}

/* Supervisors waiting to restart give up now, done with the failure they
 * were going to restart after (the program failed, a signal only cut the
 * back-off short); running ones will see the runtime stopping when their
 * run ends (it is being cancelled). */
void
df_supervisors_stop (DfRuntime *rt)
{
  GList *waiting = NULL;

  for (GList *l = rt->supervisors; l; l = l->next)
    {
      DfSupervisor *sup = l->data;
      if (sup->active && !sup->running && df_timer_is_armed (&sup->timer))
        waiting = g_list_prepend (waiting, sup);
    }
  for (GList *l = waiting; l; l = l->next)
    {
      DfSupervisor *sup = l->data;
      GError *error = sup->last_failure ? g_steal_pointer (&sup->last_failure)
                                        : df_error_new_cancelled ();
      df_timer_stop (rt, &sup->timer);
      supervisor_end (sup, error);
      g_error_free (error);
    }
  g_list_free (waiting);
}
