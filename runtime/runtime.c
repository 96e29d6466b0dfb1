/* runtime.c — the DfRuntime object: creation, lifetime, running a loop.
 *
 * The runtime is a handful of parts that each own a file: the ready list
 * (ready.c), the timer heap (timers.c), the worker pool (workers.c).  This
 * file wires them together and decides when df_runtime_run() is done.
 */
#include "dfrt-private.h"

DfRuntime *
df_runtime_new (GMainContext *context)
{
  DfRuntime *rt = g_new0 (DfRuntime, 1);

  rt->refs = 1;
  rt->context = context ? g_main_context_ref (context)
                        : g_main_context_ref (g_main_context_default ());
  df_log_init (&rt->log);
  df_data_init (rt);
  df_ready_init (rt);
  df_timers_init (rt);
  df_workers_init (&rt->workers, rt->context);
  return rt;
}

DfRuntime *
df_runtime_ref (DfRuntime *rt)
{
  g_return_val_if_fail (rt != NULL, NULL);
  g_atomic_int_inc (&rt->refs);
  return rt;
}

/* Frames hold references, so by the time this runs no frame, call or
 * blocking job is left: the workers are idle and can be joined.  The
 * data goes first, while everything it may use (the context, the log)
 * is still there. */
static void
runtime_finalize (DfRuntime *rt)
{
  df_data_shutdown (rt);
  df_signals_shutdown (rt);
  df_timer_stop (rt, &rt->stats_timer);
  df_workers_shutdown (&rt->workers);
  df_timers_shutdown (rt);
  df_ready_shutdown (rt);
  g_list_free (rt->supervisors);
  df_runtime_log_flush (rt);
  df_log_shutdown (&rt->log);
  g_main_context_unref (rt->context);
  g_free (rt);
}

void
df_runtime_unref (DfRuntime *rt)
{
  g_return_if_fail (rt != NULL);
  if (g_atomic_int_dec_and_test (&rt->refs))
    runtime_finalize (rt);
}

GMainContext *
df_runtime_get_context (DfRuntime *rt)
{
  return rt->context;
}

void
df_runtime_set_max_workers (DfRuntime *rt, guint n)
{
  g_return_if_fail (n > 0);
  pthread_mutex_lock (&rt->workers.lock);
  rt->workers.max = MAX (n, rt->workers.threads->len);
  pthread_mutex_unlock (&rt->workers.lock);
}

guint
df_runtime_get_max_workers (DfRuntime *rt)
{
  pthread_mutex_lock (&rt->workers.lock);
  guint n = rt->workers.max;
  pthread_mutex_unlock (&rt->workers.lock);
  return n;
}

void
df_runtime_hold (DfRuntime *rt)
{
  g_atomic_int_inc (&rt->holds);
}

/* The last release may come from another thread while the runtime thread
 * sleeps in poll(): wake it so df_runtime_run() sees the count. */
void
df_runtime_release (DfRuntime *rt)
{
  g_return_if_fail (g_atomic_int_get (&rt->holds) > 0);
  if (g_atomic_int_dec_and_test (&rt->holds))
    g_main_context_wakeup (rt->context);
}

/* This thread stops iterating the context: flows it starts from now on
 * go through the queue without asking GLib whether it owns the context
 * (the next prepare() sets the hint again). */
static void
runtime_forget_loop_thread (DfRuntime *rt)
{
  guintptr self = df_thread_id ();

  __atomic_compare_exchange_n (&rt->loop_thread, &self, 0, FALSE,
                               __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

gboolean
df_runtime_run (DfRuntime *rt)
{
  if (!g_main_context_acquire (rt->context))
    {
      g_critical ("df_runtime_run: another thread runs this runtime's context");
      return FALSE;
    }
  g_atomic_int_set (&rt->quit, 0);
  while ((df_frames_running (rt) > 0 || g_atomic_int_get (&rt->holds) > 0
          || df_ready_pending (rt))
         && !g_atomic_int_get (&rt->quit))
    df_runtime_iterate (rt);
  g_main_context_release (rt->context);
  runtime_forget_loop_thread (rt);
  return TRUE;
}

void
df_runtime_quit (DfRuntime *rt)
{
  g_atomic_int_set (&rt->quit, 1);
  g_main_context_wakeup (rt->context);
}

/* Cancellation goes through each frame's cancel task, so no done callback
 * runs inside this call and the live list is not changed while walked. */
void
df_runtime_cancel_all (DfRuntime *rt)
{
  rt->stopping = TRUE;
  for (DfFrame *f = rt->live; f != NULL; f = f->live_next)
    df_frame_cancel (f);
  df_graphs_cancel_all (rt);
  df_supervisors_stop (rt);
}

/* Wakes the loop at the end of the grace period (real time: a virtual
 * clock does not move while blocking calls run). */
static gboolean
shutdown_grace_over (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
shutdown_report (DfRuntime *rt, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  df_frames_describe_stuck (rt, names);
  if (names->len == 0)
    g_ptr_array_add (names, g_strdup ("a flow did not end"));
  g_ptr_array_add (names, NULL);
  g_autofree char *all = g_strjoinv ("; ", (char **) names->pdata);
  g_set_error_literal (error, DF_ERROR, DF_ERROR_TIMEOUT, all);
}

gboolean
df_runtime_shutdown (DfRuntime *rt, GTimeSpan grace, GError **error)
{
  g_return_val_if_fail (rt != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (df_runtime_is_dispatching (rt) || !g_main_context_acquire (rt->context))
    {
      g_critical ("df_runtime_shutdown: call it from the runtime thread, "
                  "outside the runtime's own callbacks");
      return FALSE;
    }
  /* Only when something still runs (a supervisor waiting to restart holds
   * the runtime): after a normal end the runtime is not "stopping". */
  if (df_frames_running (rt) > 0 || rt->graphs != NULL || g_atomic_int_get (&rt->holds) > 0)
    df_runtime_cancel_all (rt);

  gboolean over = FALSE;
  GSource *timer = g_timeout_source_new ((guint) MIN (MAX (grace, 0) / 1000, G_MAXUINT));
  g_source_set_callback (timer, shutdown_grace_over, &over, NULL);
  g_source_attach (timer, rt->context);
  while ((g_atomic_int_get (&rt->n_frames) > 0 || df_ready_pending (rt)) && !over)
    df_runtime_iterate (rt);
  g_source_destroy (timer);
  g_source_unref (timer);

  gboolean clean = g_atomic_int_get (&rt->n_frames) == 0;
  if (!clean)
    shutdown_report (rt, error);
  g_main_context_release (rt->context);
  runtime_forget_loop_thread (rt);
  return clean;
}

gboolean
df_runtime_is_stopping (DfRuntime *rt)
{
  return rt->stopping;
}

guint
df_runtime_get_n_frames (DfRuntime *rt)
{
  gint n = g_atomic_int_get (&rt->n_frames);

  if (df_runtime_is_dispatching (rt))
    n += rt->frames_delta;
  return (guint) n;
}

/* ------------------------------------------------------------- DfWait */

void
df_wait_init (DfWait *wait)
{
  pthread_mutex_init (&wait->lock, NULL);
  pthread_cond_init (&wait->cond, NULL);
  wait->context = NULL;
  wait->done = 0;
}

void
df_wait_clear (DfWait *wait)
{
  pthread_cond_destroy (&wait->cond);
  pthread_mutex_destroy (&wait->lock);
  if (wait->context)
    g_main_context_unref (wait->context);
}

/* Wakes both kinds of waiter: one blocked on the condition variable, and
 * one iterating the context (which may be asleep in poll()).  On the
 * thread that owns the context nobody can be asleep in its poll(): the
 * waiter, if it iterates, is this thread, and will see `done` when the
 * dispatch returns; so no wake-up is written (a system call). */
void
df_wait_done (DfWait *wait)
{
  pthread_mutex_lock (&wait->lock);
  g_atomic_int_set (&wait->done, 1);
  pthread_cond_broadcast (&wait->cond);
  if (wait->context && !g_main_context_is_owner (wait->context))
    g_main_context_wakeup (wait->context);
  pthread_mutex_unlock (&wait->lock);
}

void
df_runtime_wait (DfRuntime *rt, DfWait *wait)
{
  pthread_mutex_lock (&wait->lock);
  if (wait->context == NULL)
    wait->context = g_main_context_ref (rt->context);
  pthread_mutex_unlock (&wait->lock);

  /* Nobody else runs the loop: run it here until the event.  What is
   * ready runs first without a poll, so a flow that never waits (every
   * stage sync, or completing inline) ends without a main-loop iteration;
   * the loop still turns between batches, so timers, I/O and signals are
   * served as they would be by df_runtime_run (). */
  if (g_main_context_acquire (rt->context))
    {
      while (!g_atomic_int_get (&wait->done))
        {
          if (df_ready_pending (rt))
            df_ready_run (rt);
          if (!g_atomic_int_get (&wait->done))
            df_runtime_iterate (rt);
        }
      g_main_context_release (rt->context);
      runtime_forget_loop_thread (rt);
      /* df_wait_done() may still be inside its critical section on another
       * thread; once we hold the lock it has left, and the caller may
       * clear @wait. */
      pthread_mutex_lock (&wait->lock);
      pthread_mutex_unlock (&wait->lock);
      return;
    }

  /* Another thread runs the loop: sleep until it reports the event. */
  pthread_mutex_lock (&wait->lock);
  while (!g_atomic_int_get (&wait->done))
    pthread_cond_wait (&wait->cond, &wait->lock);
  pthread_mutex_unlock (&wait->lock);
}
