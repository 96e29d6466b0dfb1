/* workers.c — the worker pool for blocking stages.
 *
 * Threads belong to the runtime: started on demand up to the maximum,
 * idle until the runtime is freed, then joined.  The queue is intrusive
 * (a blocking DfCall waits on it through its own task link), so running a
 * blocking call allocates nothing; GThreadPool would allocate a list node
 * per push.  Results go back through the call's completion, i.e. the
 * runtime's incoming queue.
 *
 * pthread primitives, not GMutex/GCond: GLib's are futex-based and built
 * without instrumentation, so ThreadSanitizer could not see this
 * synchronisation.
 */
#include "dfrt-private.h"

/* The default upper bound, raised to the number of CPUs on big machines:
 * blocking stages mostly wait on I/O, not on a CPU. */
#define DF_WORKERS_DEFAULT 16

void
df_workers_init (DfWorkers *w, GMainContext *context)
{
  pthread_mutex_init (&w->lock, NULL);
  pthread_cond_init (&w->cond, NULL);
  w->head = w->tail = NULL;
  w->threads = g_ptr_array_new ();
  w->max = MAX ((guint) g_get_num_processors (), DF_WORKERS_DEFAULT);
  w->idle = 0;
  w->queued = 0;
  w->running = 0;
  w->stopping = FALSE;
  w->wake_when_idle = FALSE;
  w->context = context;
}

/* With the lock held: the next call, or NULL once stopping. */
static DfCall *
workers_next (DfWorkers *w)
{
  while (w->head == NULL && !w->stopping)
    {
      w->idle++;
      pthread_cond_wait (&w->cond, &w->lock);
      w->idle--;
    }
  if (w->head == NULL)
    return NULL;

  DfTask *task = w->head;
  w->head = task->next;
  if (w->head == NULL)
    w->tail = NULL;
  w->queued--;
  w->running++;
  task->next = NULL;
  return DF_CONTAINER_OF (task, DfCall, task);
}

static gpointer
worker_main (gpointer data)
{
  DfWorkers *w = data;

  pthread_mutex_lock (&w->lock);
  for (DfCall *call; (call = workers_next (w)) != NULL;)
    {
      pthread_mutex_unlock (&w->lock);
      df_call_run_on_worker (call);
      pthread_mutex_lock (&w->lock);
      /* Counted down only after the completion is queued, so an idle pool
       * and an empty queue mean the result has been seen. */
      w->running--;
      if (w->wake_when_idle && w->running == 0 && w->queued == 0)
        g_main_context_wakeup (w->context);
    }
  pthread_mutex_unlock (&w->lock);
  return NULL;
}

void
df_workers_push (DfWorkers *w, DfCall *call)
{
  pthread_mutex_lock (&w->lock);
  call->task.next = NULL;
  if (w->tail)
    w->tail->next = &call->task;
  else
    w->head = &call->task;
  w->tail = &call->task;
  w->queued++;

  /* Wake an idle worker, and start one more when the queue is longer than
   * the idle workers can take.  A worker about to wait re-checks the
   * queue under the lock, so no signal is lost. */
  if (w->idle > 0)
    pthread_cond_signal (&w->cond);
  if (w->queued > w->idle && w->threads->len < w->max)
    {
      char name[16];
      g_snprintf (name, sizeof name, "df-worker-%u", w->threads->len);
      g_ptr_array_add (w->threads, g_thread_new (name, worker_main, w));
    }
  pthread_mutex_unlock (&w->lock);
}

gboolean
df_workers_idle (DfWorkers *w)
{
  pthread_mutex_lock (&w->lock);
  gboolean idle = w->queued == 0 && w->running == 0;
  pthread_mutex_unlock (&w->lock);
  return idle;
}

void
df_workers_shutdown (DfWorkers *w)
{
  pthread_mutex_lock (&w->lock);
  g_warn_if_fail (w->head == NULL);
  w->stopping = TRUE;
  pthread_cond_broadcast (&w->cond);
  pthread_mutex_unlock (&w->lock);

  for (guint i = 0; i < w->threads->len; i++)
    g_thread_join (w->threads->pdata[i]);
  g_ptr_array_unref (w->threads);
  pthread_cond_destroy (&w->cond);
  pthread_mutex_destroy (&w->lock);
}
