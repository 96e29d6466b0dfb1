/* frame.c — one running flow instance: start, step, finish, free.
 *
 * A frame is the one allocation of a flow instance.  Its reference count
 * (runtime thread only) counts what may still touch it: the flow itself
 * until it finishes, a queued first step or yield, every call in flight
 * (including late ones after a timeout or after the flow ended), every
 * sleeping call and every call queued on a limit.  The frame is freed
 * when the last of those is gone, so a late completion never writes into
 * freed memory.
 *
 * Cancellation requests may come from any thread (df_frame_cancel, a
 * caller's GCancellable); they become the frame's cancel task, so the
 * flow always fails on the runtime thread, between steps.
 */
#include "dfrt-private.h"

enum {
  FRAME_F_STARTED       = 1 << 0,
  FRAME_F_FINISHED      = 1 << 1,
  FRAME_F_RESUME_QUEUED = 1 << 2,
};

/* cancel_state: at most one cancel task is ever queued. */
enum {
  CANCEL_IDLE,
  CANCEL_QUEUED,
  CANCEL_CLOSED,   /* handled, or the frame finished */
};

static void frame_resume_run (DfTask *task);
static void frame_cancel_run (DfTask *task);

/* -------------------------------------------------------------- lifetime */

DfFrame *
df_frame_new (DfRuntime *rt, const DfFrameClass *klass)
{
  g_return_val_if_fail (rt != NULL && klass != NULL, NULL);
  g_return_val_if_fail (klass->size >= sizeof (DfFrame) && klass->step != NULL, NULL);

  DfFrame *f = g_malloc0 (klass->size);
  f->klass = klass;
  f->runtime = df_runtime_ref (rt);
  f->refs = 1;                    /* the flow, until it finishes */
  f->context.frame = f;
  df_task_init (&f->resume_task, frame_resume_run);
  df_task_init (&f->cancel_task, frame_cancel_run);
  g_atomic_int_inc (&rt->n_frames);
  df_runtime_hold (rt);
  return f;
}

void
df_frame_ref (DfFrame *frame)
{
  frame->refs++;
}

static void
frame_free (DfFrame *f)
{
  DfRuntime *rt = f->runtime;

  if (f->klass->finalize)
    f->klass->finalize (f);
  for (DfCall *call = f->calls; call; call = call->sibling)
    df_call_dispose (call);
  g_clear_object (&f->cancellable);
  g_clear_object (&f->external);
  g_free (f);
  g_atomic_int_add (&rt->n_frames, -1);
  df_runtime_release (rt);
  df_runtime_unref (rt);
}

void
df_frame_unref (DfFrame *frame)
{
  g_return_if_fail (frame->refs > 0);
  if (--frame->refs == 0)
    frame_free (frame);
}

void
df_frame_set_done (DfFrame *frame, DfFrameDoneFunc done, gpointer user_data)
{
  frame->done = done;
  frame->done_data = user_data;
}

void
df_frame_set_user_data (DfFrame *frame, gpointer user_data)
{
  frame->user_data = user_data;
}

/* ------------------------------------------------------------- live list */

static void
live_insert (DfFrame *f)
{
  DfRuntime *rt = f->runtime;

  f->live_prev = NULL;
  f->live_next = rt->live;
  if (rt->live)
    rt->live->live_prev = f;
  rt->live = f;
}

static void
live_remove (DfFrame *f)
{
  if (f->live_prev)
    f->live_prev->live_next = f->live_next;
  else
    f->runtime->live = f->live_next;
  if (f->live_next)
    f->live_next->live_prev = f->live_prev;
  f->live_prev = f->live_next = NULL;
}

/* --------------------------------------------------------------- running */

/* The frame is not shared before this, so the flags and the count may be
 * set from any thread; scheduling publishes them. */
void
df_frame_start (DfFrame *frame)
{
  g_return_if_fail (!(frame->flags & (FRAME_F_STARTED | FRAME_F_RESUME_QUEUED)));
  frame->flags |= FRAME_F_RESUME_QUEUED;
  frame->refs++;
  df_runtime_schedule (frame->runtime, &frame->resume_task);
}

void
df_frame_yield (DfFrame *frame)
{
  if (frame->flags & (FRAME_F_RESUME_QUEUED | FRAME_F_FINISHED))
    return;
  frame->flags |= FRAME_F_RESUME_QUEUED;
  frame->refs++;
  df_runtime_schedule (frame->runtime, &frame->resume_task);
}

void
df_frame_step (DfFrame *frame, DfCall *resumed)
{
  if (!(frame->flags & FRAME_F_FINISHED))
    frame->klass->step (frame, resumed);
}

static void
frame_resume_run (DfTask *task)
{
  DfFrame *f = DF_CONTAINER_OF (task, DfFrame, resume_task);

  f->flags &= ~FRAME_F_RESUME_QUEUED;
  if (!(f->flags & FRAME_F_STARTED))
    {
      f->flags |= FRAME_F_STARTED;
      if (!(f->flags & FRAME_F_FINISHED))
        live_insert (f);
      /* Started after df_runtime_cancel_all(): cancelled before it runs. */
      if (f->runtime->stopping && !(f->flags & FRAME_F_FINISHED))
        df_frame_fail (f, df_error_new_cancelled ());
    }
  df_frame_step (f, NULL);
  df_frame_unref (f);
}

gboolean
df_frame_is_finished (DfFrame *frame)
{
  return (frame->flags & FRAME_F_FINISHED) != 0;
}

DfContext *
df_frame_get_context (DfFrame *frame)
{
  return &frame->context;
}

DfRuntime *
df_frame_get_runtime (DfFrame *frame)
{
  return frame->runtime;
}

/* ---------------------------------------------------------- cancellation */

static void
frame_request_cancel (DfFrame *f)
{
  if (g_atomic_int_compare_and_exchange (&f->cancel_state, CANCEL_IDLE, CANCEL_QUEUED))
    df_runtime_schedule (f->runtime, &f->cancel_task);
}

void
df_frame_cancel (DfFrame *frame)
{
  frame_request_cancel (frame);
}

static void
frame_external_cancelled (GCancellable *cancellable, gpointer data)
{
  frame_request_cancel (data);
}

void
df_frame_set_cancellable (DfFrame *frame, GCancellable *cancellable)
{
  g_return_if_fail (frame->external == NULL);
  g_return_if_fail (!(frame->flags & FRAME_F_STARTED));
  if (cancellable == NULL)
    return;
  frame->external = g_object_ref (cancellable);
  /* Calls the handler at once when already cancelled (and returns 0). */
  frame->external_id = g_cancellable_connect (cancellable,
                                              G_CALLBACK (frame_external_cancelled),
                                              frame, NULL);
}

/* The queued cancel task holds a reference only when the flow finished
 * before it ran (see frame_close_cancel()). */
static void
frame_cancel_run (DfTask *task)
{
  DfFrame *f = DF_CONTAINER_OF (task, DfFrame, cancel_task);
  gboolean finished = df_frame_is_finished (f);

  g_atomic_int_set (&f->cancel_state, CANCEL_CLOSED);
  if (finished)
    df_frame_unref (f);
  else
    df_frame_fail (f, df_error_new_cancelled ());
}

/* After g_cancellable_disconnect() returns, the handler cannot run again;
 * a cancel task it (or df_frame_cancel) already queued must find the
 * frame alive, so it gets a reference. */
static void
frame_close_cancel (DfFrame *f)
{
  if (f->external && f->external_id)
    g_cancellable_disconnect (f->external, f->external_id);
  f->external_id = 0;
  if (!g_atomic_int_compare_and_exchange (&f->cancel_state, CANCEL_IDLE, CANCEL_CLOSED)
      && g_atomic_int_get (&f->cancel_state) == CANCEL_QUEUED)
    f->refs++;
}

GCancellable *
df_context_get_cancellable (DfContext *ctx)
{
  if (ctx->call)
    return df_call_get_cancellable (ctx->call);

  DfFrame *f = ctx->frame;
  GCancellable *c = g_atomic_pointer_get (&f->cancellable);
  if (c == NULL)
    {
      GCancellable *fresh = g_cancellable_new ();
      if (g_atomic_pointer_compare_and_exchange (&f->cancellable, NULL, fresh))
        c = fresh;
      else
        {
          g_object_unref (fresh);
          c = g_atomic_pointer_get (&f->cancellable);
        }
    }
  if (g_atomic_int_get (&f->cancelled))
    g_cancellable_cancel (c);
  return c;
}

gpointer
df_context_get_user_data (DfContext *ctx)
{
  return ctx->frame->user_data;
}

DfRuntime *
df_context_get_runtime (DfContext *ctx)
{
  return ctx->frame->runtime;
}

const char *
df_context_get_stage_name (DfContext *ctx)
{
  return ctx->call ? df_call_get_stage_name (ctx->call) : NULL;
}

/* ------------------------------------------------------------- finishing */

static void
frame_finish (DfFrame *f, GError *error)
{
  if (f->flags & FRAME_F_FINISHED)
    {
      g_critical ("dfrt: flow '%s' finished twice", f->klass->name);
      g_clear_error (&error);
      return;
    }
  f->flags |= FRAME_F_FINISHED;
  if (f->flags & FRAME_F_STARTED)
    live_remove (f);

  /* Stop what is in flight first: their results will be discarded. */
  for (DfCall *call = f->calls; call; call = call->sibling)
    df_call_frame_finished (call);
  if (error)
    {
      g_atomic_int_set (&f->cancelled, 1);
      GCancellable *c = g_atomic_pointer_get (&f->cancellable);
      if (c)
        g_cancellable_cancel (c);
    }
  frame_close_cancel (f);

  if (f->done)
    f->done (f, error, f->done_data);
  g_clear_error (&error);
  df_frame_unref (f);     /* the flow's own reference */
}

void
df_frame_return (DfFrame *frame)
{
  frame_finish (frame, NULL);
}

void
df_frame_fail (DfFrame *frame, GError *error)
{
  if (error == NULL)
    error = g_error_new (DF_ERROR, DF_ERROR_STAGE_FAILED, "flow '%s' failed",
                         frame->klass->name);
  frame_finish (frame, error);
}
