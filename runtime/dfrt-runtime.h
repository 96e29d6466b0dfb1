/* dfrt-runtime.h — the runtime object: one per GMainContext.
 *
 * Threading: a DfRuntime belongs to the thread that iterates its
 * GMainContext ("the runtime thread").  Flow steps, done callbacks, timers
 * and supervisors run there.  Functions marked "any thread" may be called
 * from anywhere.
 */
#pragma once

#include <pthread.h>

#include "dfrt-types.h"

G_BEGIN_DECLS

/* Creates a runtime that schedules on @context (NULL: the global default
 * context).  Cheap: no thread is started until the first blocking call. */
DF_API DfRuntime    *df_runtime_new            (GMainContext *context);
/* Reference counting; any thread.  Every frame holds a reference, so a
 * runtime outlives the flows running on it. */
DF_API DfRuntime    *df_runtime_ref            (DfRuntime *rt);
DF_API void          df_runtime_unref          (DfRuntime *rt);

DF_API GMainContext *df_runtime_get_context    (DfRuntime *rt);

/* The time as the runtime sees it, in monotonic microseconds: every
 * timeout, back-off, `every`, `within` and statistics interval is
 * measured on this clock.  Any thread. */
DF_API gint64        df_runtime_get_time       (DfRuntime *rt);

/* The most worker threads blocking stages may use (started on demand).
 * Default: the number of CPUs, at least 16.  Set it before the first
 * blocking call; later changes only raise the limit. */
DF_API void          df_runtime_set_max_workers (DfRuntime *rt, guint n);
DF_API guint         df_runtime_get_max_workers (DfRuntime *rt);

/* Runs the context until no frame is alive and nothing holds the runtime
 * (see df_runtime_hold()), or until df_runtime_quit().  Must be able to
 * acquire the context (g_main_context_acquire); returns FALSE at once
 * otherwise. */
DF_API gboolean      df_runtime_run            (DfRuntime *rt);
/* Makes df_runtime_run() return after the current iteration; any thread. */
DF_API void          df_runtime_quit           (DfRuntime *rt);

/* Keeps df_runtime_run() running while there is no frame (a supervisor
 * waiting to restart holds the runtime, for example); any thread. */
DF_API void          df_runtime_hold           (DfRuntime *rt);
DF_API void          df_runtime_release        (DfRuntime *rt);

/* Cancels every running flow (they end with DF_ERROR_CANCELLED) and makes
 * the runtime "stopping": supervisors stop restarting and flows started
 * from now on are cancelled at once.  Runtime thread. */
DF_API void          df_runtime_cancel_all     (DfRuntime *rt);
DF_API gboolean      df_runtime_is_stopping    (DfRuntime *rt);

/* Frames allocated and not yet freed (finished flows whose late async
 * calls have not returned still count). */
DF_API guint         df_runtime_get_n_frames   (DfRuntime *rt);

/**
 * DfWait:
 *
 * Waits for one event, such as the end of a flow, on the runtime thread or
 * from any other thread: df_runtime_wait() iterates the context when it
 * can acquire it, and blocks on a condition variable when another thread
 * runs the loop.  Stack-allocated; fields private.
 */
typedef struct {
  /*< private >*/
  pthread_mutex_t lock;
  pthread_cond_t  cond;
  GMainContext   *context;
  gint            done;
} DfWait;

DF_API void df_wait_init    (DfWait *wait);
DF_API void df_wait_clear   (DfWait *wait);
/* Marks the event as happened and wakes the waiter; any thread. */
DF_API void df_wait_done    (DfWait *wait);
DF_API void df_runtime_wait (DfRuntime *rt, DfWait *wait);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DfRuntime, df_runtime_unref)

G_END_DECLS
