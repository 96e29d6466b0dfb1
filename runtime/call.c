/* call.c — one async or blocking call site: begin, complete, resume.
 *
 * A DfCall is embedded in its frame and reused for every invocation of its
 * site.  Its `state` is the only field other threads touch; every change
 * to it is a compare-and-swap, so exactly one party wins each race:
 *
 *   IDLE ──begin──▶ RUNNING ──end_inline──▶ PENDING ──complete──▶ DONE
 *                      │                       │                   │ task
 *                      └─complete─▶ DONE_INLINE│timeout            ▼
 *                          (end_inline picks   ▼                 IDLE, step
 *                           it up: no loop  ABANDONED ─complete─▶ LATE
 *                           round trip)        (step resumed     │ task
 *                                               with a timeout)  ▼
 *                                                        IDLE, result discarded
 *
 * A completion first sets the CLAIMED bit (df_call_claim), then stores the
 * outputs, then moves to the final state.  So a second completion is seen
 * at the claim and refused before it can touch the first one's outputs,
 * and a timeout that fires while a result is being stored loses the race
 * instead of discarding it.
 *
 * Everything else (flags, timers, statistics, the frame's reference count)
 * is runtime-thread only.
 */
#include <string.h>

#include "dfrt-private.h"
#include "graph-private.h"

enum {
  CALL_IDLE,
  CALL_RUNNING,        /* begun; the user's function runs on the runtime thread */
  CALL_PENDING,        /* waiting for the completion */
  CALL_DONE_INLINE,    /* completed while RUNNING */
  CALL_DONE,           /* completed while PENDING; the task is queued */
  CALL_ABANDONED,      /* timed out; the completion is still owed */
  CALL_LATE,           /* completed after ABANDONED; queued to be discarded */
};
#define CALL_CLAIMED 0x100

/* Runtime-thread-only flags. */
enum {
  CALL_F_TIMED_OUT     = 1 << 0,  /* df_call_take_error() reports a timeout */
  CALL_F_SLEEPING      = 1 << 1,  /* the timer is a df_call_sleep() */
  CALL_F_WAKE_ON_IDLE  = 1 << 2,  /* the sleep ended before the late return */
  CALL_F_WAITING_SLOT  = 1 << 3,  /* queued on the site's DfLimit */
  CALL_F_HOLDS_SLOT    = 1 << 4,
  CALL_F_RETRY_GRACE   = 1 << 5,  /* the timer bounds the wait for the late return */
};

static DfRuntime *
call_runtime (DfCall *call)
{
  return call->context.frame->runtime;
}

static const char *
call_name (DfCall *call)
{
  return call->site && call->site->stage ? call->site->stage : "?";
}

/* ------------------------------------------------------------ cancelling */

/* Any thread.  The flag closes the race with a cancellable being created
 * at the same moment (see df_call_get_cancellable()). */
static void
call_request_cancel (DfCall *call)
{
  g_atomic_int_set (&call->cancel_requested, 1);
  GCancellable *c = g_atomic_pointer_get (&call->cancellable);
  if (c)
    g_cancellable_cancel (c);
}

GCancellable *
df_call_get_cancellable (DfCall *call)
{
  GCancellable *c = g_atomic_pointer_get (&call->cancellable);

  if (c == NULL)
    {
      GCancellable *fresh = g_cancellable_new ();
      if (g_atomic_pointer_compare_and_exchange (&call->cancellable, NULL, fresh))
        c = fresh;
      else
        {
          g_object_unref (fresh);
          c = g_atomic_pointer_get (&call->cancellable);
        }
    }
  if (g_atomic_int_get (&call->cancel_requested))
    g_cancellable_cancel (c);
  return c;
}

/* A new invocation must not inherit the previous one's cancellation.
 * Only the runtime thread sets the flag, and no other thread may use the
 * call while it is idle: a relaxed store, and only when it was set. */
static void
call_reset_cancel (DfCall *call)
{
  GCancellable *c = g_atomic_pointer_get (&call->cancellable);

  if (__atomic_load_n (&call->cancel_requested, __ATOMIC_RELAXED))
    __atomic_store_n (&call->cancel_requested, 0, __ATOMIC_RELAXED);
  if (c && g_cancellable_is_cancelled (c))
    {
      g_atomic_pointer_set (&call->cancellable, NULL);
      g_object_unref (c);
    }
}

/* --------------------------------------------------------------- timers */

static void call_timer_fired (DfTimer *timer);
static void call_task_run (DfTask *task);
static void call_end_grace (DfCall *call);

static void
call_arm_timeout (DfCall *call)
{
  if (call->site->timeout > 0)
    df_timer_start (call_runtime (call), &call->timer,
                    call->started + call->site->timeout);
}

/* The result won the race, or there is none: the timer can only have been
 * a timeout here; a sleeping call keeps its timer. */
static void
call_stop_timeout (DfCall *call)
{
  if (call->timer.slot != 0 && !(call->flags & CALL_F_SLEEPING))
    df_timer_stop (call_runtime (call), &call->timer);
}

/* ------------------------------------------------------- begin and end */

void
df_call_init (DfCall *call, DfFrame *frame, const DfCallSite *site,
              guint resume_id)
{
  g_return_if_fail (frame != NULL && site != NULL);
  memset (call, 0, sizeof *call);
  call->task.func = call_task_run;            /* df_task_init */
  call->context.frame = frame;
  call->context.call = call;
  call->site = site;
  call->resume_id = resume_id;
  call->timer.func = call_timer_fired;        /* df_timer_init */
  call->sibling = frame->calls;
  frame->calls = call;
}

static inline void
call_release_slot (DfCall *call)
{
  if (G_UNLIKELY (call->flags & CALL_F_HOLDS_SLOT))
    df_call_release_slot (call);
}

static gboolean
call_begin_as (DfCall *call, gint state)
{
  g_return_val_if_fail (g_atomic_int_get (&call->state) == CALL_IDLE, FALSE);
  g_return_val_if_fail (!(call->flags & (CALL_F_SLEEPING | CALL_F_WAITING_SLOT)), FALSE);

  df_frame_ref (call->context.frame);
  call->flags &= ~(CALL_F_TIMED_OUT | CALL_F_WAKE_ON_IDLE);
  call_reset_cancel (call);
  df_stats_call_begin (call->site->stats);
  /* The runtime's clock, so a virtual clock drives timeouts too. */
  call->started = (call->site->timeout > 0 || df_stats_timing_enabled ())
                  ? df_runtime_get_time (call_runtime (call)) : 0;
  /* Nobody else writes an idle call's state (a stray completion only
   * reads it and refuses): a release store publishes the reset above. */
  __atomic_store_n (&call->state, state, __ATOMIC_RELEASE);
  return TRUE;
}

void
df_call_begin (DfCall *call)
{
  call_begin_as (call, CALL_RUNNING);
}

/* The invocation has returned (on time or late): statistics, the limit
 * slot and the timeout are settled here and nowhere else. */
static void
call_returned (DfCall *call, gboolean late)
{
  gint64 started = 0;

  call_stop_timeout (call);
  /* Statistics measure on the real clock: under a virtual one, the
   * virtual time the call took, as a real start time. */
  if (df_stats_timing_enabled () && call->started != 0)
    {
      DfRuntime *rt = call_runtime (call);
      started = call->started;
      if (df_runtime_has_virtual_clock (rt))
        started = g_get_monotonic_time () - (df_runtime_get_time (rt) - call->started);
    }
  df_stats_call_end (call->site->stats, !late && call->error != NULL, started);
  call_release_slot (call);
}

gboolean
df_call_end_inline (DfCall *call)
{
  for (;;)
    {
      gint s = g_atomic_int_get (&call->state);

      if ((s & ~CALL_CLAIMED) == CALL_RUNNING)
        {
          gint pending = CALL_PENDING | (s & CALL_CLAIMED);
          if (!g_atomic_int_compare_and_exchange (&call->state, s, pending))
            continue;
          call_arm_timeout (call);
          return FALSE;
        }
      if (s == CALL_DONE_INLINE)
        {
          /* Final: nobody else writes it now. */
          __atomic_store_n (&call->state, CALL_IDLE, __ATOMIC_RELAXED);
          call_returned (call, FALSE);
          /* The step's caller holds its own reference. */
          df_frame_unref (call->context.frame);
          return TRUE;
        }
      g_critical ("df_call_end_inline: the call to '%s' was not begun",
                  call_name (call));
      return FALSE;
    }
}

void
df_call_run_blocking (DfCall *call, DfBlockingFunc func)
{
  g_return_if_fail (func != NULL);
  call->blocking = func;
  if (!call_begin_as (call, CALL_PENDING))
    return;
  call_arm_timeout (call);
  df_workers_push (&call_runtime (call)->workers, call);
}

/* ------------------------------------------------------------ completing */

gboolean
df_call_claim (DfCall *call)
{
  if (call == NULL)
    {
      g_critical ("dfrt: a stage completed a NULL call; the completion is ignored");
      return FALSE;
    }
  for (;;)
    {
      gint s = g_atomic_int_get (&call->state);
      gint base = s & ~CALL_CLAIMED;

      if ((s & CALL_CLAIMED)
          || (base != CALL_RUNNING && base != CALL_PENDING && base != CALL_ABANDONED))
        {
          g_critical ("dfrt: the call to stage '%s' was completed twice "
                      "(or was not in flight); this completion is ignored",
                      call_name (call));
          return FALSE;
        }
      if (g_atomic_int_compare_and_exchange (&call->state, s, s | CALL_CLAIMED))
        return TRUE;
    }
}

gboolean
df_call_is_open (DfCall *call)
{
  g_return_val_if_fail (call != NULL, FALSE);
  gint s = g_atomic_int_get (&call->state);

  /* Claimed means a completion is being stored: no longer open. */
  return s == CALL_RUNNING || s == CALL_PENDING;
}

void
df_call_complete_claimed (DfCall *call)
{
  /* Read before publishing: once DONE, the runtime may reuse the call. */
  DfRuntime *rt = call_runtime (call);
  gint next;

  /* On the runtime thread inside its dispatch (the common inline case: a
   * stage completing during its own call), nobody else can move a claimed
   * state: end_inline and the timers run on this thread, and a second
   * completion stops at the CLAIMED bit.  So no compare-and-swap. */
  if (df_runtime_is_dispatching (rt))
    {
      gint s = __atomic_load_n (&call->state, __ATOMIC_RELAXED);
      if (G_LIKELY (s & CALL_CLAIMED))
        {
          switch (s & ~CALL_CLAIMED)
            {
            case CALL_RUNNING: next = CALL_DONE_INLINE; break;
            case CALL_PENDING: next = CALL_DONE; break;
            default:           next = CALL_LATE; break;
            }
          __atomic_store_n (&call->state, next, __ATOMIC_RELEASE);
          if (next != CALL_DONE_INLINE)
            df_runtime_schedule (rt, &call->task);
          return;
        }
    }

  for (;;)
    {
      gint s = g_atomic_int_get (&call->state);
      if (!(s & CALL_CLAIMED))
        {
          g_critical ("df_call_complete_claimed: the call to '%s' was not claimed",
                      call_name (call));
          return;
        }
      switch (s & ~CALL_CLAIMED)
        {
        case CALL_RUNNING: next = CALL_DONE_INLINE; break;
        case CALL_PENDING: next = CALL_DONE; break;
        default:           next = CALL_LATE; break;
        }
      if (g_atomic_int_compare_and_exchange (&call->state, s, next))
        break;
    }
  /* Inline: df_call_end_inline() takes it from here, without the loop. */
  if (next != CALL_DONE_INLINE)
    df_runtime_schedule (rt, &call->task);
}

void
df_call_complete (DfCall *call)
{
  if (df_call_claim (call))
    df_call_complete_claimed (call);
}

void
df_call_fail (DfCall *call, GError *error)
{
  if (call == NULL)
    {
      g_critical ("df_call_fail: a NULL call (error: %s); the failure is ignored",
                  error ? error->message : "none");
      g_clear_error (&error);
      return;
    }
  if (!df_call_claim (call))
    {
      g_clear_error (&error);
      return;
    }
  call->error = df_error_ensure (error, call_name (call));
  df_call_complete_claimed (call);
}

void
df_call_fail_literal (DfCall *call, GQuark domain, gint code, const char *message)
{
  df_call_fail (call, g_error_new_literal (domain, code, message));
}

void
df_call_failf (DfCall *call, GQuark domain, gint code, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  GError *error = g_error_new_valist (domain, code, format, args);
  va_end (args);
  df_call_fail (call, error);
}

/* Worker thread. */
void
df_call_run_on_worker (DfCall *call)
{
  GError *error = NULL;

  if (call->blocking (call, &error))
    {
      if (error)
        {
          g_warning ("blocking stage '%s' succeeded but set an error: %s",
                     call_name (call), error->message);
          g_clear_error (&error);
        }
      df_call_complete (call);
    }
  else
    df_call_fail (call, error);
}

/* ---------------------------------------------- back on the runtime thread */

/* A result nobody will read: free it. */
static void
call_discard (DfCall *call)
{
  if (call->error)
    g_clear_error (&call->error);
  else if (call->site->discard)
    call->site->discard (call);
}

static void
call_resume (DfCall *call)
{
  DfFrame *frame = call->context.frame;

  df_frame_ref (frame);
  df_frame_step (frame, call);
  df_frame_unref (frame);
}

/* The call's task: a completion, a late completion or a granted slot. */
static void
call_task_run (DfTask *task)
{
  DfCall *call = DF_CONTAINER_OF (task, DfCall, task);
  DfFrame *frame = call->context.frame;
  gint s = g_atomic_int_get (&call->state);

  if (s == CALL_DONE || s == CALL_LATE)
    {
      gboolean late = s == CALL_LATE;
      g_atomic_int_set (&call->state, CALL_IDLE);
      if (call->flags & CALL_F_RETRY_GRACE)
        call_end_grace (call);
      call_returned (call, late);
      if (late || df_frame_is_finished (frame))
        call_discard (call);
      if (!late || (call->flags & CALL_F_WAKE_ON_IDLE))
        {
          call->flags &= ~CALL_F_WAKE_ON_IDLE;
          df_frame_step (frame, call);
        }
      df_frame_unref (frame);   /* taken by begin */
    }
  else if (call->flags & CALL_F_WAITING_SLOT)
    {
      call->flags &= ~CALL_F_WAITING_SLOT;
      call->flags |= CALL_F_HOLDS_SLOT;
      if (df_frame_is_finished (frame))
        df_call_release_slot (call);
      else
        df_frame_step (frame, call);
      df_frame_unref (frame);   /* taken by acquire */
    }
  else
    g_critical ("dfrt: the call to '%s' was scheduled in state %d",
                call_name (call), s);
}

static void
call_timed_out (DfCall *call)
{
  /* Fails when the result is being stored or already queued: it wins. */
  if (!g_atomic_int_compare_and_exchange (&call->state, CALL_PENDING, CALL_ABANDONED))
    return;
  call->flags |= CALL_F_TIMED_OUT;
  df_stats_call_timeout (call->site->stats);
  call_request_cancel (call);
  call_resume (call);
}

/* A retry must not reuse the call while an abandoned invocation may still
 * write into it: when that one is still out, the step is resumed by its
 * late return instead.  The wait is bounded by one more `timeout` (the
 * late call's cancellable was cancelled when it timed out): a call that
 * has not come back by then fails the flow, so a stage that never returns
 * cannot keep a retrying flow alive. */
static void
call_sleep_over (DfCall *call)
{
  DfFrame *frame = call->context.frame;

  call->flags &= ~CALL_F_SLEEPING;
  if (g_atomic_int_get (&call->state) == CALL_IDLE)
    {
      df_frame_step (frame, call);
      df_frame_unref (frame);   /* taken by sleep */
      return;
    }
  call->flags |= CALL_F_WAKE_ON_IDLE;
  /* A graph's node slots keep their own retry rules (graph-node.c). */
  if (call->site->timeout > 0 && !df_graph_is_frame (frame))
    {
      /* The sleep's frame reference passes to the grace timer. */
      call->flags |= CALL_F_RETRY_GRACE;
      df_timer_start_in (call_runtime (call), &call->timer, call->site->timeout);
      return;
    }
  df_frame_unref (frame);   /* taken by sleep */
}

/* The late return came, or the frame ended: the grace timer is done. */
static void
call_end_grace (DfCall *call)
{
  call->flags &= ~CALL_F_RETRY_GRACE;
  df_timer_stop (call_runtime (call), &call->timer);
  df_frame_unref (call->context.frame);   /* taken by sleep */
}

static void
call_grace_over (DfCall *call)
{
  DfFrame *frame = call->context.frame;
  char buf[32];

  call->flags &= ~(CALL_F_RETRY_GRACE | CALL_F_WAKE_ON_IDLE);
  if (!df_frame_is_finished (frame))
    df_frame_fail (frame, g_error_new (DF_ERROR, DF_ERROR_TIMEOUT,
                                       "stage '%s' timed out after %s and did not "
                                       "return; not retried", call_name (call),
                                       df_format_duration (call->site->timeout, buf)));
  df_frame_unref (frame);   /* taken by sleep */
}

static void
call_timer_fired (DfTimer *timer)
{
  DfCall *call = DF_CONTAINER_OF (timer, DfCall, timer);

  if (call->flags & CALL_F_SLEEPING)
    call_sleep_over (call);
  else if (call->flags & CALL_F_RETRY_GRACE)
    call_grace_over (call);
  else
    call_timed_out (call);
}

void
df_call_sleep (DfCall *call, GTimeSpan delay)
{
  gint base = g_atomic_int_get (&call->state) & ~CALL_CLAIMED;

  g_return_if_fail (!(call->flags & (CALL_F_SLEEPING | CALL_F_WAITING_SLOT)));
  g_return_if_fail (base == CALL_IDLE || base == CALL_ABANDONED || base == CALL_LATE);

  df_frame_ref (call->context.frame);
  call->flags |= CALL_F_SLEEPING;
  df_timer_start_in (call_runtime (call), &call->timer, delay);
}

void
df_call_log_retry (DfCall *call, const GError *error, guint attempt, guint max,
                   GTimeSpan delay)
{
  DfRuntime *rt = call_runtime (call);
  char buf[32];

  if (df_runtime_is_stopping (rt))
    return;
  df_runtime_log (rt, "%s: %s; retry %u of %u in %s", call->context.frame->klass->name,
                  error ? error->message : "failed", attempt, max,
                  df_format_duration (delay, buf));
}

GError *
df_call_take_error (DfCall *call)
{
  if (call->flags & CALL_F_TIMED_OUT)
    {
      char buf[32];
      call->flags &= ~CALL_F_TIMED_OUT;
      return g_error_new (DF_ERROR, DF_ERROR_TIMEOUT, "stage '%s' timed out after %s",
                          call_name (call), df_format_duration (call->site->timeout, buf));
    }
  /* Not finished (or abandoned): a late completion may be writing it. */
  if (g_atomic_int_get (&call->state) != CALL_IDLE)
    return NULL;
  return g_steal_pointer (&call->error);
}

/* ---------------------------------------------------------------- limits */

gboolean
df_call_acquire (DfCall *call)
{
  DfLimit *limit = call->site->limit;

  if (limit == NULL)
    return TRUE;
  g_return_val_if_fail (!(call->flags & (CALL_F_HOLDS_SLOT | CALL_F_WAITING_SLOT)), TRUE);

  if (df_limit_acquire_or_queue (limit, call))
    {
      call->flags |= CALL_F_HOLDS_SLOT;
      return TRUE;
    }
  /* The granting thread schedules the task; it runs here, after this. */
  call->flags |= CALL_F_WAITING_SLOT;
  df_frame_ref (call->context.frame);
  return FALSE;
}

void
df_call_release_slot (DfCall *call)
{
  if (call->flags & CALL_F_HOLDS_SLOT)
    {
      call->flags &= ~CALL_F_HOLDS_SLOT;
      df_limit_release (call->site->limit);
    }
}

/* ------------------------------------------------------- the frame's end */

static inline void
call_frame_finished (DfCall *call)
{
  if (call->flags & CALL_F_SLEEPING)
    {
      df_timer_stop (call_runtime (call), &call->timer);
      call->flags &= ~CALL_F_SLEEPING;
      df_frame_unref (call->context.frame);
    }
  else if (call->flags & CALL_F_RETRY_GRACE)
    call_end_grace (call);
  else if (call->timer.slot != 0)
    df_timer_stop (call_runtime (call), &call->timer);
  call->flags &= ~CALL_F_WAKE_ON_IDLE;
  /* An idle call has nothing in flight to cancel (its cancellable is
   * valid only until its completion), unless a stage kept the cancellable
   * of an earlier invocation: cancel that one. */
  if (g_atomic_int_get (&call->state) != CALL_IDLE
      || g_atomic_pointer_get (&call->cancellable) != NULL)
    call_request_cancel (call);
}

void
df_calls_frame_finished (DfCall *calls)
{
  for (DfCall *call = calls; call; call = call->sibling)
    call_frame_finished (call);
}

static inline void
call_dispose (DfCall *call)
{
  GCancellable *c = g_atomic_pointer_get (&call->cancellable);

  if (c)
    {
      g_object_unref (c);
      call->cancellable = NULL;
    }
  if (call->error)
    g_clear_error (&call->error);
  call_release_slot (call);
}

void
df_call_dispose (DfCall *call)
{
  call_dispose (call);
}

void
df_calls_dispose (DfCall *calls)
{
  for (DfCall *call = calls; call; call = call->sibling)
    call_dispose (call);
}

char *
df_call_describe_stuck (DfCall *call)
{
  gint base = g_atomic_int_get (&call->state) & ~CALL_CLAIMED;

  if (base != CALL_RUNNING && base != CALL_PENDING && base != CALL_ABANDONED)
    return NULL;
  return g_strdup_printf ("stage '%s' did not %s", call_name (call),
                          call->blocking ? "return" : "complete");
}

/* -------------------------------------------------------------- accessors */

guint
df_call_get_resume_id (const DfCall *call)
{
  return call->resume_id;
}

DfFrame *
df_call_get_frame (DfCall *call)
{
  return call->context.frame;
}

DfContext *
df_call_get_context (DfCall *call)
{
  return &call->context;
}

gpointer
df_call_get_user_data (DfCall *call)
{
  return call->context.frame->user_data;
}

const char *
df_call_get_stage_name (DfCall *call)
{
  return call_name (call);
}
