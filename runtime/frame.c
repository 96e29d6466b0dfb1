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
#include <string.h>

#include "dfrt-private.h"

enum {
  FRAME_F_STARTED       = 1 << 0,
  FRAME_F_FINISHED      = 1 << 1,
  FRAME_F_RESUME_QUEUED = 1 << 2,
  FRAME_F_LINGERING     = 1 << 3,   /* on rt->lingering */
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

/* Frame counting.  rt->n_frames (atomic) is what df_runtime_run() and
 * df_runtime_get_n_frames() read, and while it is not zero the frames
 * hold one reference to the runtime between them (taken on 0 -> 1,
 * dropped on 1 -> 0: the count is changed only by atomic adds that see
 * the old value, so the transitions pair up).  Inside one of the
 * runtime's dispatches, where nearly all frames are freed and many are
 * created, a change goes to rt->frames_delta instead, a plain counter of
 * the runtime thread added to n_frames once at the end of the dispatch
 * (df_frames_flush): no atomic per frame.  The dispatch holds its own
 * reference meanwhile, and n_frames never drops below the true count
 * while a delta is pending, except by frames the same delta created. */
static void
frames_add (DfRuntime *rt, gint n)
{
  gint old = g_atomic_int_add (&rt->n_frames, n);

  g_warn_if_fail (old + n >= 0);
  if (old == 0 && n > 0)
    df_runtime_ref (rt);
  else if (old > 0 && old + n == 0)
    df_runtime_unref (rt);
}

void
df_frames_flush (DfRuntime *rt)
{
  gint n = rt->frames_delta;

  if (n != 0)
    {
      rt->frames_delta = 0;
      frames_add (rt, n);
    }
}

/* Frame memory.  A finished flow's frame goes to a per-thread cache of
 * free blocks sorted by size class (frames up to 2 KiB, at most
 * FRAME_CACHE_BYTES per thread), and the next frame of that class on that
 * thread reuses it: a pop and the memset that zeroes it, instead of
 * calloc() and free() (whose bins a burst of a thousand frames overflows).
 * Frames are freed on the runtime thread and mostly created there, so the
 * cache needs no lock; a frame created on another thread comes from that
 * thread's cache or from malloc.  Off under AddressSanitizer and with
 * G_SLICE=always-malloc (as the tests set it for valgrind), so that a use
 * after free is still caught.
 *
 * A class is a malloc chunk size (16-byte steps, 8 bytes of header): a
 * block is allocated with all the usable bytes of its chunk, so any frame
 * of the class fits in it, and it costs no more memory than malloc (size). */
#define FRAME_CACHE_CLASSES 132                 /* frames up to 2 KiB */
#define FRAME_CACHE_BYTES   (1024 * 1024)       /* per thread */

static inline guint
frame_class (gsize size)
{
  return (guint) ((size + 8 + 15) / 16);
}

static inline gsize
frame_class_bytes (guint cls)
{
  return (gsize) cls * 16 - 8;
}

#if defined(__SANITIZE_ADDRESS__)
#define FRAME_CACHE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FRAME_CACHE_SANITIZED 1
#endif
#endif

typedef struct _FreeFrame FreeFrame;
struct _FreeFrame {
  FreeFrame *next;
};

typedef struct {
  FreeFrame *bins[FRAME_CACHE_CLASSES];
  gsize      bytes;
} FrameCache;

static __thread FrameCache *frame_cache __attribute__ ((tls_model ("initial-exec")));
static pthread_key_t frame_cache_key;
static gint frame_cache_mode;           /* 0: not decided, 1: on, 2: off */

static void
frame_cache_destroy (gpointer data)
{
  FrameCache *c = data;

  for (guint i = 0; i < FRAME_CACHE_CLASSES; i++)
    while (c->bins[i])
      {
        FreeFrame *ff = c->bins[i];
        c->bins[i] = ff->next;
        g_free (ff);
      }
  if (frame_cache == c)
    frame_cache = NULL;
  g_free (c);
}

static G_GNUC_NO_INLINE gboolean
frame_cache_decide (void)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      const char *slice = g_getenv ("G_SLICE");
      gboolean off = slice != NULL && strstr (slice, "always-malloc") != NULL;
#ifdef FRAME_CACHE_SANITIZED
      off = TRUE;
#endif
      if (!off && pthread_key_create (&frame_cache_key, frame_cache_destroy) != 0)
        off = TRUE;
      g_atomic_int_set (&frame_cache_mode, off ? 2 : 1);
      g_once_init_leave (&once, 1);
    }
  return g_atomic_int_get (&frame_cache_mode) == 1;
}

static inline gboolean
frame_cache_enabled (void)
{
  /* Acquire: frame_cache_key was created before the mode was set. */
  gint mode = __atomic_load_n (&frame_cache_mode, __ATOMIC_ACQUIRE);

  return G_LIKELY (mode == 1) || (mode == 0 && frame_cache_decide ());
}

static gpointer
frame_alloc (gsize size)
{
  guint cls = frame_class (size);
  FrameCache *c = frame_cache;

  if (c != NULL && cls < FRAME_CACHE_CLASSES && c->bins[cls] != NULL)
    {
      FreeFrame *ff = c->bins[cls];
      c->bins[cls] = ff->next;
      c->bytes -= frame_class_bytes (cls);
      memset (ff, 0, size);
      return ff;
    }
  if (cls < FRAME_CACHE_CLASSES && frame_cache_enabled ())
    return g_malloc0 (frame_class_bytes (cls));
  return g_malloc0 (size);
}

static void
frame_release (gpointer mem, gsize size)
{
  guint cls = frame_class (size);
  gsize bytes = frame_class_bytes (cls);

  if (cls >= FRAME_CACHE_CLASSES || !frame_cache_enabled ())
    {
      g_free (mem);
      return;
    }
  FrameCache *c = frame_cache;
  if (G_UNLIKELY (c == NULL))
    {
      c = g_new0 (FrameCache, 1);
      frame_cache = c;
      pthread_setspecific (frame_cache_key, c);
    }
  if (c->bytes + bytes > FRAME_CACHE_BYTES)
    {
      g_free (mem);
      return;
    }
  FreeFrame *ff = mem;
  ff->next = c->bins[cls];
  c->bins[cls] = ff;
  c->bytes += bytes;
}

DfFrame *
df_frame_new (DfRuntime *rt, const DfFrameClass *klass)
{
  g_return_val_if_fail (rt != NULL && klass != NULL, NULL);
  g_return_val_if_fail (klass->size >= sizeof (DfFrame) && klass->step != NULL, NULL);

  /* Any thread: the caller holds a reference to @rt until here.  Counted
   * before the memset: a locked instruction waits for the store buffer
   * to drain, which after zeroing the frame costs as much again. */
  if (df_runtime_is_dispatching (rt))
    rt->frames_delta++;
  else
    frames_add (rt, 1);

  DfFrame *f = frame_alloc (klass->size);
  f->klass = klass;
  f->runtime = rt;
  /* A supervised run's frames, and the frames they start (flow calls,
   * retries), know their supervisor. */
  if (__atomic_load_n (&rt->launching_thread, __ATOMIC_RELAXED) == df_thread_id ())
    f->supervisor = rt->launching;
  else if (df_runtime_is_dispatching (rt) && rt->stepping != NULL)
    f->supervisor = rt->stepping->supervisor;
  f->refs = 1;                    /* the flow, until it finishes */
  f->context.frame = f;
  f->resume_task.func = frame_resume_run;    /* (zeroed: next is NULL) */
  f->cancel_task.func = frame_cancel_run;
  return f;
}

static void lingering_remove (DfFrame *f);

/* The last reference is gone (df_frame_unref, inline in dfrt-private.h). */
void
df_frame_free (DfFrame *f)
{
  DfRuntime *rt = f->runtime;

  if (f->flags & FRAME_F_LINGERING)
    lingering_remove (f);
  if (f->klass->finalize)
    f->klass->finalize (f);
  if (f->calls)
    df_calls_dispose (f->calls);
  g_clear_object (&f->cancellable);
  g_clear_object (&f->external);
  frame_release (f, f->klass->size);
  /* Runtime thread, so df_runtime_run() sees the count after this
   * iteration: no wake-up.  May drop the frames' reference last. */
  if (df_runtime_is_dispatching (rt))
    rt->frames_delta--;
  else
    frames_add (rt, -1);
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

/* A finished frame that late calls still hold joins the lingering list
 * (through the live links, free once it left the live list): it no longer
 * keeps df_runtime_run() going, and df_runtime_shutdown() can name what
 * it waits for. */
static void
lingering_insert (DfFrame *f)
{
  DfRuntime *rt = f->runtime;

  f->flags |= FRAME_F_LINGERING;
  f->live_prev = NULL;
  f->live_next = rt->lingering;
  if (rt->lingering)
    rt->lingering->live_prev = f;
  rt->lingering = f;
  rt->n_lingering++;
}

static void
lingering_remove (DfFrame *f)
{
  DfRuntime *rt = f->runtime;

  if (f->live_prev)
    f->live_prev->live_next = f->live_next;
  else
    rt->lingering = f->live_next;
  if (f->live_next)
    f->live_next->live_prev = f->live_prev;
  f->live_prev = f->live_next = NULL;
  f->flags &= ~FRAME_F_LINGERING;
  rt->n_lingering--;
}

gint
df_frames_running (DfRuntime *rt)
{
  return g_atomic_int_get (&rt->n_frames) + rt->frames_delta - rt->n_lingering;
}

static void
frames_describe (DfFrame *list, GPtrArray *names)
{
  for (DfFrame *f = list; f; f = f->live_next)
    for (DfCall *call = f->calls; call; call = call->sibling)
      {
        char *what = df_call_describe_stuck (call);
        if (what == NULL)
          continue;
        gboolean seen = FALSE;
        for (guint i = 0; i < names->len && !seen; i++)
          seen = strcmp (names->pdata[i], what) == 0;
        if (seen)
          g_free (what);
        else
          g_ptr_array_add (names, what);
      }
}

void
df_frames_describe_stuck (DfRuntime *rt, GPtrArray *names)
{
  frames_describe (rt->live, names);
  frames_describe (rt->lingering, names);
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
    {
      DfRuntime *rt = frame->runtime;
      DfFrame *outer = rt->stepping;
      rt->stepping = frame;
      frame->klass->step (frame, resumed);
      rt->stepping = outer;
    }
}

void
df_frame_round_done (DfFrame *frame)
{
  if (frame->supervisor != NULL)
    df_supervisors_note_progress (frame->runtime, frame->supervisor);
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
  if (f->calls)
    df_calls_frame_finished (f->calls);
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
  if (error)
    g_error_free (error);
  if (f->refs > 1)
    lingering_insert (f);
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
