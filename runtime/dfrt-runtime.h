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
/* The wall time as the runtime sees it (microseconds since the Unix
 * epoch, as g_get_real_time()): what `cron` reads.  Any thread. */
DF_API gint64        df_runtime_get_real_time  (DfRuntime *rt);

/* The virtual clock, for tests (docs/endings.md, "Testing timing with the
 * virtual clock").  From this call on, both clocks above read a virtual
 * time that starts at @start (wall microseconds; 0: now) and moves only
 * when df_runtime_advance_clock() moves it, or, with @auto_advance, when
 * the runtime is idle (nothing ready, no blocking call queued or running):
 * then it jumps to the earliest timer deadline.  Call it once, right
 * after df_runtime_new(), before any flow, graph or timer exists.  Runtime
 * thread. */
DF_API void          df_runtime_set_virtual_clock (DfRuntime *rt, gint64 start,
                                                   gboolean auto_advance);
DF_API gboolean      df_runtime_has_virtual_clock (DfRuntime *rt);
/* Moves the virtual clock forward by @span: the timers due in that span
 * fire one deadline at a time, in deadline order, each followed by what it
 * made ready (without waiting for blocking calls).  Runtime thread, not
 * inside one of the runtime's callbacks. */
DF_API void          df_runtime_advance_clock  (DfRuntime *rt, GTimeSpan span);
/* One iteration of the runtime's context as df_runtime_run() does it: with
 * an auto-advancing virtual clock it moves time when idle instead of
 * sleeping.  For loops of their own (a generated GRAPH_run, a test). */
DF_API void          df_runtime_iterate        (DfRuntime *rt);

/* The most worker threads blocking stages may use (started on demand).
 * Default: the number of CPUs, at least 16.  Set it before the first
 * blocking call; later changes only raise the limit. */
DF_API void          df_runtime_set_max_workers (DfRuntime *rt, guint n);
DF_API guint         df_runtime_get_max_workers (DfRuntime *rt);

/* Runs the context until no flow or graph is running, nothing is queued
 * and nothing holds the runtime (see df_runtime_hold()), or until
 * df_runtime_quit().  Flows that have ended but still wait for a late
 * call (one that timed out, or was cancelled when its flow ended) do not
 * keep it running: df_runtime_shutdown() waits for those.  Must be able
 * to acquire the context (g_main_context_acquire); returns FALSE at once
 * otherwise. */
DF_API gboolean      df_runtime_run            (DfRuntime *rt);

/* How long the generated main() lets stuck calls finish: 1 second. */
#define DF_SHUTDOWN_GRACE G_TIME_SPAN_SECOND

/* Ends everything on @rt, boundedly: cancels what still runs (as
 * df_runtime_cancel_all()), then iterates the context until every frame
 * is freed (every late async completion and every blocking call has come
 * back and its outputs are freed), or until @grace of real time has
 * passed.  TRUE when nothing is left.  FALSE with DF_ERROR_TIMEOUT when
 * calls are still out; the message names their stages ("stage 'slow' did
 * not return").  Then the runtime must not be used again: the stuck calls
 * keep its memory (df_runtime_unref() will not free it) and its worker
 * threads running, and the process should exit.  Runtime thread, not
 * inside one of the runtime's callbacks. */
DF_API gboolean      df_runtime_shutdown       (DfRuntime *rt, GTimeSpan grace,
                                                GError **error);
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

/* The runtime's log of events a user must see as they happen: failures
 * skipped or retried, restarts.  One line to stderr per call, the message
 * as given (lead with the run's or node's name: "poll: run failed: ..."),
 * at most 10 a second of the runtime's clock; past that, lines are
 * counted and one "PROGRAM: N more messages suppressed" follows when the
 * next second begins or at df_runtime_log_flush().  Any thread. */
DF_API void          df_runtime_log            (DfRuntime *rt, const char *format,
                                                ...) G_GNUC_PRINTF (2, 3);
DF_API void          df_runtime_logv           (DfRuntime *rt, const char *format,
                                                va_list args) G_GNUC_PRINTF (2, 0);
/* Prints the "N more suppressed" line now, if any are pending. */
DF_API void          df_runtime_log_flush      (DfRuntime *rt);
/* `--quiet`: df_runtime_log() prints nothing (it still counts).  One
 * setting for the whole runtime, flows and graphs alike.  Any thread. */
DF_API void          df_runtime_set_quiet      (DfRuntime *rt, gboolean quiet);
DF_API gboolean      df_runtime_get_quiet      (DfRuntime *rt);
/* df_runtime_log() calls so far, printed or not (for tests). */
DF_API guint64       df_runtime_get_n_logged   (DfRuntime *rt);

/* Data a library keeps per runtime (one HTTP session per runtime, say),
 * under @key; a library prefixes its keys with its name ("dfstd-http").
 * Setting a key replaces its value (the old one's @destroy runs) and NULL
 * removes it.  Every value left is destroyed when the runtime is freed
 * (its last reference dropped, which its last frame may do), before
 * anything else of the runtime.  The destroy functions run outside the
 * runtime's lock.  Any thread. */
DF_API void          df_runtime_set_data       (DfRuntime *rt, const char *key,
                                                gpointer data, GDestroyNotify destroy);
/* The value set under @key, or NULL.  Any thread; the value is not
 * referenced for the caller: keep it only while it cannot be replaced. */
DF_API gpointer      df_runtime_get_data       (DfRuntime *rt, const char *key);

/**
 * DfWait:
 *
 * Waits for one event, such as the end of a flow, on the runtime thread or
 * from any other thread: df_runtime_wait() runs the ready tasks and
 * iterates the context between their batches when it can acquire it (a
 * flow that never waits ends without a main-loop iteration), and blocks on
 * a condition variable when another thread runs the loop.
 * Stack-allocated; fields private.
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
