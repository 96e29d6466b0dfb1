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
  gboolean        stopping;
} DfWorkers;

struct _DfRuntime {
  gint          refs;         /* atomic */
  GMainContext *context;

  /* ready.c: one source drains the ready list and the incoming queue */
  GSource      *ready_source;
  DfTask       *ready_head;   /* runtime thread only */
  DfTask       *ready_tail;
  DfTask       *incoming;     /* atomic: lock-free LIFO from other threads */
  GThread      *loop_thread;  /* atomic: the thread that last prepared the
                                 ready source (a hint, see schedule) */

  /* timers.c: one binary heap, one source */
  GSource      *timer_source;
  DfTimer     **heap;
  guint         heap_len;
  guint         heap_cap;
  gint64        ready_time;   /* what the timer source was last set to */
  gboolean      in_timer_dispatch;

  /* workers.c */
  DfWorkers     workers;

  /* frame.c / runtime.c: running frames and what keeps run() going */
  DfFrame      *live;         /* started, not finished */
  gint          n_frames;     /* atomic: allocated, not freed */
  gint          holds;        /* atomic: frames + df_runtime_hold() */
  gint          quit;         /* atomic */
  gboolean      stopping;

  /* supervisor.c: supervisors to stop on cancel_all */
  GList        *supervisors;

  /* graph.c: running graphs (DfGraph *), cancelled by cancel_all */
  GList        *graphs;

  /* signals.c */
  GSource      *signal_sources[2];
  DfSignalFunc  signal_func;
  gpointer      signal_data;
  guint         signals_seen;

  /* stats.c; wakeups is atomic (other threads count it) */
  DfRuntimeCounters counters;
  DfTimer       stats_timer;
  GTimeSpan     stats_interval;
};

/* ------------------------------------------------------------ ready.c */

G_GNUC_INTERNAL void df_ready_init     (DfRuntime *rt);
G_GNUC_INTERNAL void df_ready_shutdown (DfRuntime *rt);

/* ----------------------------------------------------------- timers.c */

G_GNUC_INTERNAL void df_timers_init     (DfRuntime *rt);
G_GNUC_INTERNAL void df_timers_shutdown (DfRuntime *rt);

/* ---------------------------------------------------------- workers.c */

G_GNUC_INTERNAL void df_workers_init     (DfWorkers *w);
/* Stops and joins every worker; the queue must be empty. */
G_GNUC_INTERNAL void df_workers_shutdown (DfWorkers *w);
G_GNUC_INTERNAL void df_workers_push     (DfWorkers *w, DfCall *call);

/* ------------------------------------------------------------- call.c */

/* Runs a blocking call's function on the calling (worker) thread and
 * completes the call. */
G_GNUC_INTERNAL void df_call_run_on_worker (DfCall *call);
/* The frame ended: stop the call's timers and cancel what is in flight. */
G_GNUC_INTERNAL void df_call_frame_finished (DfCall *call);
/* The frame is being freed: drop what the call still owns. */
G_GNUC_INTERNAL void df_call_dispose (DfCall *call);

/* ------------------------------------------------------------ frame.c */

G_GNUC_INTERNAL void df_frame_ref   (DfFrame *frame);
G_GNUC_INTERNAL void df_frame_unref (DfFrame *frame);
/* Calls the step unless the frame has finished. */
G_GNUC_INTERNAL void df_frame_step  (DfFrame *frame, DfCall *resumed);

/* ------------------------------------------------------------ limit.c */

/* Takes a slot, or queues @call's task to be scheduled when one is its. */
G_GNUC_INTERNAL gboolean df_limit_acquire_or_queue (DfLimit *limit, DfCall *call);

/* ------------------------------------------------------------ stats.c */

G_GNUC_INTERNAL gboolean df_stats_timing_enabled (void);
G_GNUC_INTERNAL void df_stats_call_begin   (DfStageStats *stats);
/* @failed: count a failure; @started: the begin time, 0 when untimed. */
G_GNUC_INTERNAL void df_stats_call_end     (DfStageStats *stats, gboolean failed,
                                            gint64 started);
G_GNUC_INTERNAL void df_stats_call_timeout (DfStageStats *stats);

/* ------------------------------------------------------- supervisor.c */

/* The runtime is stopping: supervisors waiting to restart give up. */
G_GNUC_INTERNAL void df_supervisors_stop (DfRuntime *rt);

/* ------------------------------------------------------------ graph.c */

/* The runtime is stopping: every running graph is cancelled. */
G_GNUC_INTERNAL void df_graphs_cancel_all (DfRuntime *rt);

/* ----------------------------------------------------------- signals.c */

G_GNUC_INTERNAL void df_signals_shutdown (DfRuntime *rt);
