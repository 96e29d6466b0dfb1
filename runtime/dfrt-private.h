/* dfrt-private.h — the runtime's internal header, sectioned by the file
 * that owns each part.  Nothing here is exported (the library is built
 * with hidden visibility); names start with df_ and end in the owning
 * file's prefix so a reader knows where to look.
 */
#pragma once

#include "dfrt-gen.h"

/* ---------------------------------------------------------- runtime.c */

/* A blocking call waiting for, or running on, a worker thread. */
typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t  cond;       /* signalled when work arrives or on stop */
  DfTask         *head;       /* FIFO of DfCall tasks */
  DfTask         *tail;
  GPtrArray      *threads;    /* GThread *, started on demand */
  guint           max;
  guint           idle;       /* workers waiting for work */
  guint           queued;     /* calls in the FIFO */
  guint           running;    /* calls taken and not yet finished */
  gboolean        stopping;
  gboolean        wake_when_idle;   /* wake the context when the last call
                                       finishes (virtual clock, auto mode) */
  GMainContext   *context;
} DfWorkers;

/* log.c: one rate limit, DF_LOG_BURST lines a second of the runtime's
 * clock; the runtime's log has one, every graph node another. */
typedef struct {
  gint64          window;       /* start of the current second, -1: none yet */
  guint           in_window;    /* lines let through in it */
  guint64         suppressed;   /* lines held back since the last report */
} DfLogLimit;

/* log.c: the rate-limited log (df_runtime_log) */
typedef struct {
  pthread_mutex_t lock;
  DfLogLimit      limit;
  guint64         logged;       /* every df_runtime_log() call */
  gboolean        quiet;
} DfLog;

struct _DfRuntime {
  gint          refs;         /* atomic */
  GMainContext *context;

  /* ready.c: one source drains the ready list and the incoming queue */
  GSource      *ready_source;
  DfTask       *ready_head;   /* runtime thread only */
  DfTask       *ready_tail;
  DfTask       *incoming;     /* atomic: lock-free LIFO from other threads */
  guintptr      loop_thread;  /* atomic: df_thread_id() of the thread that
                                 last prepared the ready source, cleared
                                 when df_runtime_run() returns (a hint,
                                 see df_runtime_schedule) */
  guintptr      dispatching;  /* atomic: df_thread_id() of the thread inside
                                 one of this runtime's dispatches, else 0
                                 (see df_runtime_is_dispatching) */

  /* timers.c: one binary heap, one source */
  GSource      *timer_source;
  DfTimer     **heap;
  guint         heap_len;
  guint         heap_cap;
  gint64        ready_time;   /* what the timer source was last set to */
  gboolean      in_timer_dispatch;

  /* workers.c */
  DfWorkers     workers;

  /* log.c */
  DfLog         log;

  /* clock.c: the virtual clock, when set */
  gint          clock_virtual;  /* atomic: set once, before any timer */
  gboolean      clock_auto;     /* jump to the next deadline when idle */
  gint64        clock_now;      /* atomic: virtual time (wall microseconds) */

  /* frame.c / runtime.c: running frames and what keeps run() going */
  DfFrame      *live;         /* started, not finished */
  gint          n_frames;     /* atomic: allocated, not freed (but see
                                 frames_delta); while it is not 0 the
                                 frames hold one reference */
  gint          frames_delta; /* runtime thread: frames created less
                                 frames freed during the current dispatch,
                                 not yet in n_frames (frame.c) */
  DfFrame      *lingering;    /* finished, still held by late calls */
  gint          n_lingering;  /* runtime thread: the length of that list */
  gint          holds;        /* atomic: df_runtime_hold() */
  gint          quit;         /* atomic */
  gboolean      stopping;

  /* supervisor.c: supervisors to stop on cancel_all */
  GList        *supervisors;
  DfSupervisor *launching;        /* whose start function is running... */
  guintptr      launching_thread; /* atomic: ...on this thread */
  DfFrame      *stepping;         /* the frame whose step is running */

  /* graph.c: running graphs (DfGraph *), cancelled by cancel_all */
  GList        *graphs;

  /* signals.c */
  GSource      *signal_sources[2];
  DfSignalFunc  signal_func;
  gpointer      signal_data;
  guint         signals_seen;

  /* data.c: df_runtime_set_data (); the table is NULL once the runtime
   * is being freed */
  pthread_mutex_t data_lock;
  GHashTable   *data;         /* key (owned) -> DfDataEntry * */

  /* stats.c; wakeups is atomic (other threads count it) */
  DfRuntimeCounters counters;
  DfTimer       stats_timer;
  GTimeSpan     stats_interval;
};

/* ------------------------------------------------------------ ready.c */

G_GNUC_INTERNAL void df_ready_init     (DfRuntime *rt);
G_GNUC_INTERNAL void df_ready_shutdown (DfRuntime *rt);
/* A task waits on the ready list or the incoming queue. */
G_GNUC_INTERNAL gboolean df_ready_pending (DfRuntime *rt);
/* Runs one batch of ready tasks (the incoming queue first moved over), as
 * the ready source's dispatch does.  Only on the thread that owns the
 * context. */
G_GNUC_INTERNAL void df_ready_run (DfRuntime *rt);

/* TRUE when the calling thread is inside one of @rt's dispatches (ready
 * list, timers): it owns the context, so it is the runtime thread and
 * nothing else runs runtime-thread code at the same time.  Exact, and a
 * load and a compare: only this thread ever stores its own id there, and
 * it clears it on leaving.  FALSE elsewhere, even on the runtime thread
 * (a user's GSource): callers then take the general path. */
G_GNUC_INTERNAL extern __thread char df_thread_anchor
  __attribute__ ((tls_model ("initial-exec")));

/* The calling thread's identity: the address of a thread-local variable
 * (unique among running threads; two instructions, no call). */
static inline guintptr
df_thread_id (void)
{
  return (guintptr) &df_thread_anchor;
}

static inline gboolean
df_runtime_is_dispatching (DfRuntime *rt)
{
  return __atomic_load_n (&rt->dispatching, __ATOMIC_RELAXED) == df_thread_id ();
}

/* Marks the calling thread as dispatching @rt; returns the previous mark
 * for df_runtime_dispatch_leave() (dispatches may nest). */
static inline guintptr
df_runtime_dispatch_enter (DfRuntime *rt)
{
  guintptr prev = __atomic_load_n (&rt->dispatching, __ATOMIC_RELAXED);
  __atomic_store_n (&rt->dispatching, df_thread_id (), __ATOMIC_RELAXED);
  return prev;
}

static inline void
df_runtime_dispatch_leave (DfRuntime *rt, guintptr prev)
{
  __atomic_store_n (&rt->dispatching, prev, __ATOMIC_RELAXED);
}

/* ------------------------------------------------------------- data.c */

G_GNUC_INTERNAL void df_data_init     (DfRuntime *rt);
/* Destroys every value, outside the lock. */
G_GNUC_INTERNAL void df_data_shutdown (DfRuntime *rt);

/* ----------------------------------------------------------- timers.c */

G_GNUC_INTERNAL void df_timers_init     (DfRuntime *rt);
G_GNUC_INTERNAL void df_timers_shutdown (DfRuntime *rt);
/* Fires every timer whose deadline has passed on the runtime's clock. */
G_GNUC_INTERNAL void   df_timers_fire_due      (DfRuntime *rt);
/* The earliest deadline, -1 when no timer is armed. */
G_GNUC_INTERNAL gint64 df_timers_next_deadline (DfRuntime *rt);
/* The clock became virtual: the GSource's ready time no longer applies. */
G_GNUC_INTERNAL void   df_timers_clock_changed (DfRuntime *rt);

/* -------------------------------------------------------------- log.c */

/* Lines per second of the runtime's clock before df_runtime_log() starts
 * counting instead of printing. */
#define DF_LOG_BURST 10

G_GNUC_INTERNAL void df_log_init     (DfLog *log);
G_GNUC_INTERNAL void df_log_shutdown (DfLog *log);

/* The rate limit.  admit() says whether a line may be printed @now; when
 * @now opens a new second it first hands back, in @held_back, how many
 * lines the last one held back (to report before the line).  The caller
 * serialises calls on one limit. */
G_GNUC_INTERNAL void     df_log_limit_init          (DfLogLimit *limit);
G_GNUC_INTERNAL gboolean df_log_limit_admit         (DfLogLimit *limit, gint64 now,
                                                     guint64 *held_back);
/* Lines held back and not yet reported; resets the count. */
G_GNUC_INTERNAL guint64  df_log_limit_take_held_back (DfLogLimit *limit);
/* Prints @line on stderr unless the runtime is quiet: for logs that keep
 * their own DfLogLimit.  Any thread. */
G_GNUC_INTERNAL void     df_log_write               (DfRuntime *rt, const char *line);

/* ------------------------------------------------------------ clock.c */

/* Auto-advance: runs what is ready without blocking, or, when the runtime
 * is idle, moves the virtual clock to the next deadline and fires it.
 * FALSE when it did neither (the caller may block). */
G_GNUC_INTERNAL gboolean df_clock_step_when_idle (DfRuntime *rt);

/* ---------------------------------------------------------- workers.c */

G_GNUC_INTERNAL void df_workers_init     (DfWorkers *w, GMainContext *context);
/* No blocking call queued or running. */
G_GNUC_INTERNAL gboolean df_workers_idle  (DfWorkers *w);
/* Stops and joins every worker; the queue must be empty. */
G_GNUC_INTERNAL void df_workers_shutdown (DfWorkers *w);
G_GNUC_INTERNAL void df_workers_push     (DfWorkers *w, DfCall *call);

/* ------------------------------------------------------------- call.c */

/* Runs a blocking call's function on the calling (worker) thread and
 * completes the call. */
G_GNUC_INTERNAL void df_call_run_on_worker (DfCall *call);
/* The frame ended: stop the timers of its calls (DfFrame.calls, linked
 * by DfCall.sibling) and cancel what is in flight. */
G_GNUC_INTERNAL void df_calls_frame_finished (DfCall *calls);
/* The frame is being freed: drop what the call still owns. */
G_GNUC_INTERNAL void df_call_dispose (DfCall *call);
G_GNUC_INTERNAL void df_calls_dispose (DfCall *calls);
/* "stage 'x' did not return" (blocking) or "... did not complete"
 * (async) when the call is still out, else NULL.  Newly allocated. */
G_GNUC_INTERNAL char *df_call_describe_stuck (DfCall *call);

/* ------------------------------------------------------------ frame.c */

/* Adds the frames created and freed during a dispatch to n_frames; at
 * the end of each dispatch. */
G_GNUC_INTERNAL void df_frames_flush (DfRuntime *rt);
/* Frames that keep df_runtime_run() going: allocated, less those that
 * finished and wait only for late calls.  Runtime thread. */
G_GNUC_INTERNAL gint df_frames_running (DfRuntime *rt);
/* Appends to @names (char *, owned) the stages of calls still out in
 * every frame of @rt, once each, as "stage 'x' did not return". */
G_GNUC_INTERNAL void df_frames_describe_stuck (DfRuntime *rt, GPtrArray *names);
G_GNUC_INTERNAL void df_frame_free  (DfFrame *frame);

/* The frame's reference count: runtime thread only, so plain. */
static inline void
df_frame_ref (DfFrame *frame)
{
  frame->refs++;
}

static inline void
df_frame_unref (DfFrame *frame)
{
  g_return_if_fail (frame->refs > 0);
  if (--frame->refs == 0)
    df_frame_free (frame);
}
/* Calls the step unless the frame has finished. */
G_GNUC_INTERNAL void df_frame_step  (DfFrame *frame, DfCall *resumed);

/* ------------------------------------------------------------ limit.c */

/* Takes a slot, or queues @call's task to be scheduled when one is its. */
G_GNUC_INTERNAL gboolean df_limit_acquire_or_queue (DfLimit *limit, DfCall *call);

/* ------------------------------------------------------------ stats.c */

G_GNUC_INTERNAL extern gint df_stats_timing;
static inline gboolean
df_stats_timing_enabled (void)
{
  return G_UNLIKELY (__atomic_load_n (&df_stats_timing, __ATOMIC_RELAXED) != 0);
}
G_GNUC_INTERNAL void df_stats_call_begin   (DfStageStats *stats);
/* @failed: count a failure; @started: the begin time, 0 when untimed. */
G_GNUC_INTERNAL void df_stats_call_end     (DfStageStats *stats, gboolean failed,
                                            gint64 started);
G_GNUC_INTERNAL void df_stats_call_timeout (DfStageStats *stats);

/* ------------------------------------------------------- supervisor.c */

/* The runtime is stopping: supervisors waiting to restart give up. */
G_GNUC_INTERNAL void df_supervisors_stop (DfRuntime *rt);
/* A frame of @sup's run finished a round (df_frame_round_done). */
G_GNUC_INTERNAL void df_supervisors_note_progress (DfRuntime *rt, DfSupervisor *sup);

/* ------------------------------------------------------------ graph.c */

/* The runtime is stopping: every running graph is cancelled. */
G_GNUC_INTERNAL void df_graphs_cancel_all (DfRuntime *rt);

/* ----------------------------------------------------------- signals.c */

G_GNUC_INTERNAL void df_signals_shutdown (DfRuntime *rt);
