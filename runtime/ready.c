/* ready.c — the ready list and the cross-thread completion queue.
 *
 * Everything that wakes a flow (a call completed, a limit slot freed, a
 * start, a cancel request) is a DfTask put on one of two lists:
 *
 *  - the ready list, a plain FIFO touched only by the runtime thread;
 *  - the incoming queue, a lock-free LIFO that other threads push onto
 *    (Treiber stack).  The runtime thread takes it whole with one atomic
 *    exchange and reverses it, so there is no ABA problem and no lock.
 *
 * One GSource drains both, at most DF_READY_BATCH tasks per dispatch so
 * other sources still get their turn.  A push onto an empty incoming queue
 * wakes the loop; pushes onto a non-empty one do not, as a wake-up is
 * already pending: one wake-up per batch, not per completion.
 */
#include "dfrt-private.h"

/* Tasks run per dispatch; the rest wait for the next loop iteration (which
 * costs one poll(), about 0.5 µs, shared by the whole batch). */
#define DF_READY_BATCH 256

__thread char df_thread_anchor __attribute__ ((tls_model ("initial-exec")));

typedef struct {
  GSource    source;
  DfRuntime *rt;
} ReadySource;

gboolean
df_ready_pending (DfRuntime *rt)
{
  return rt->ready_head != NULL || g_atomic_pointer_get (&rt->incoming) != NULL;
}

static gboolean
ready_prepare (GSource *source, gint *timeout)
{
  DfRuntime *rt = ((ReadySource *) source)->rt;

  if (__atomic_load_n (&rt->loop_thread, __ATOMIC_RELAXED) != df_thread_id ())
    __atomic_store_n (&rt->loop_thread, df_thread_id (), __ATOMIC_SEQ_CST);
  /* Pairs with df_runtime_schedule(): either it sees this thread's mark
   * and wakes the loop, or this sees its task below and does not sleep. */
  __atomic_thread_fence (__ATOMIC_SEQ_CST);
  *timeout = -1;
  return df_ready_pending (rt);
}

static gboolean
ready_check (GSource *source)
{
  return df_ready_pending (((ReadySource *) source)->rt);
}

static void
ready_append (DfRuntime *rt, DfTask *task)
{
  task->next = NULL;
  if (rt->ready_tail)
    rt->ready_tail->next = task;
  else
    rt->ready_head = task;
  rt->ready_tail = task;
}

/* Moves the incoming queue to the ready list, oldest first: reversed,
 * then spliced on in one step. */
static void
ready_take_incoming (DfRuntime *rt)
{
  DfTask *lifo = g_atomic_pointer_exchange (&rt->incoming, NULL);
  DfTask *fifo = NULL, *last = lifo;

  if (lifo == NULL)
    return;
  while (lifo)
    {
      DfTask *next = lifo->next;
      lifo->next = fifo;
      fifo = lifo;
      lifo = next;
    }
  if (rt->ready_tail)
    rt->ready_tail->next = fifo;
  else
    rt->ready_head = fifo;
  rt->ready_tail = last;
}

void
df_ready_run (DfRuntime *rt)
{
  /* A task may free the last frame and with it the last reference. */
  df_runtime_ref (rt);
  guintptr mark = df_runtime_dispatch_enter (rt);

  rt->counters.ready_dispatches++;
  ready_take_incoming (rt);
  for (guint n = 0; n < DF_READY_BATCH && rt->ready_head; n++)
    {
      rt->counters.tasks_run++;
      DfTask *task = rt->ready_head;
      rt->ready_head = task->next;
      if (rt->ready_head == NULL)
        rt->ready_tail = NULL;
      task->next = NULL;
      task->func (task);
    }
  df_frames_flush (rt);
  df_runtime_dispatch_leave (rt, mark);
  df_runtime_unref (rt);
}

static gboolean
ready_dispatch (GSource *source, GSourceFunc callback, gpointer user_data)
{
  df_ready_run (((ReadySource *) source)->rt);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs ready_funcs = {
  .prepare = ready_prepare,
  .check = ready_check,
  .dispatch = ready_dispatch,
};

void
df_ready_init (DfRuntime *rt)
{
  GSource *source = g_source_new (&ready_funcs, sizeof (ReadySource));

  ((ReadySource *) source)->rt = rt;
  g_source_set_static_name (source, "dfrt ready list");
  g_source_attach (source, rt->context);
  rt->ready_source = source;
}

void
df_ready_shutdown (DfRuntime *rt)
{
  g_warn_if_fail (rt->ready_head == NULL);
  g_warn_if_fail (g_atomic_pointer_get (&rt->incoming) == NULL);
  g_source_destroy (rt->ready_source);
  g_source_unref (rt->ready_source);
}

void
df_task_init (DfTask *task, DfTaskFunc func)
{
  task->next = NULL;
  task->func = func;
}

/* Only the thread that owns the context may touch the ready list; that
 * thread needs no wake-up either, as the source's prepare() will see the
 * task before the loop next sleeps.
 *
 * Inside one of the runtime's own dispatches (where nearly every
 * schedule happens: steps, completions inline, timers) that is known
 * without a lock.  Elsewhere on the loop thread (a user's GSource
 * completing a call) g_main_context_is_owner() decides; it is exact but
 * takes the context's lock, so it is asked only there: the thread hint
 * (stale at worst, never wrong the other way) keeps every other thread
 * off that lock, and so does g_main_depth () == 0 (no dispatch running
 * on this thread: code starting flows before it runs the loop).  Those
 * use the queue: one compare-and-swap and, once per batch, a wake-up. */
void
df_runtime_schedule (DfRuntime *rt, DfTask *task)
{
  if (df_runtime_is_dispatching (rt)
      || (__atomic_load_n (&rt->loop_thread, __ATOMIC_RELAXED) == df_thread_id ()
          && g_main_depth () > 0
          && g_main_context_is_owner (rt->context)))
    {
      ready_append (rt, task);
      return;
    }

  DfTask *head;
  do
    {
      head = g_atomic_pointer_get (&rt->incoming);
      task->next = head;
    }
  while (!g_atomic_pointer_compare_and_exchange (&rt->incoming, head, task));

  /* Only a push onto an empty queue wakes the loop, and only when some
   * thread iterates the context: loop_thread is 0 from the end of
   * df_runtime_run() until the next prepare(), which will see the task
   * (the fence there pairs with the compare-and-swap above).  So flows
   * started before the loop runs cost no wake-up. */
  if (head == NULL && __atomic_load_n (&rt->loop_thread, __ATOMIC_SEQ_CST) != 0)
    {
      __atomic_fetch_add (&rt->counters.wakeups, 1, __ATOMIC_RELAXED);
      g_main_context_wakeup (rt->context);
    }
}
