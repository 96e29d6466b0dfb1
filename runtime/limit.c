/* limit.c — `limit N`: at most N invocations in flight, process-wide.
 *
 * A DfLimit is static in generated code and shared by every runtime and
 * thread, so it has a mutex (taken twice per limited call; the stage's work
 * dwarfs that).  Waiting calls queue in FIFO order through their own task
 * link; a release hands its slot straight to the first waiter, whose step
 * the runtime then resumes on its own runtime thread.
 */
#include "dfrt-private.h"

gboolean
df_limit_acquire_or_queue (DfLimit *limit, DfCall *call)
{
  gboolean got;

  pthread_mutex_lock (&limit->lock);
  got = limit->used < limit->max;
  if (got)
    limit->used++;
  else
    {
      call->task.next = NULL;
      if (limit->tail)
        limit->tail->next = &call->task;
      else
        limit->head = &call->task;
      limit->tail = &call->task;
    }
  pthread_mutex_unlock (&limit->lock);
  return got;
}

gboolean
df_limit_try_acquire (DfLimit *limit)
{
  gboolean got;

  pthread_mutex_lock (&limit->lock);
  got = limit->used < limit->max;
  if (got)
    limit->used++;
  pthread_mutex_unlock (&limit->lock);
  return got;
}

void
df_limit_release (DfLimit *limit)
{
  DfTask *waiter;

  pthread_mutex_lock (&limit->lock);
  waiter = limit->head;
  if (waiter)
    {
      /* The slot passes to the waiter: `used` does not change. */
      limit->head = waiter->next;
      if (limit->head == NULL)
        limit->tail = NULL;
      waiter->next = NULL;
    }
  else if (limit->used > 0)
    limit->used--;
  else
    g_critical ("df_limit_release: no slot is taken");
  pthread_mutex_unlock (&limit->lock);

  if (waiter)
    {
      DfCall *call = DF_CONTAINER_OF (waiter, DfCall, task);
      df_runtime_schedule (call->context.frame->runtime, waiter);
    }
}

guint
df_limit_get_used (DfLimit *limit)
{
  pthread_mutex_lock (&limit->lock);
  guint used = limit->used;
  pthread_mutex_unlock (&limit->lock);
  return used;
}
