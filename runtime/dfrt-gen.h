/* dfrt-gen.h — the runtime API for generated code.
 *
 * The structs here are public only so that generated code can embed them
 * (one heap allocation per flow instance, none per call); their fields are
 * private: use the functions.  See docs/runtime.md for how a generated
 * step function drives them.
 *
 * Unless marked "any thread", everything here runs on the runtime thread.
 */
#pragma once

#include <stddef.h>
#include <pthread.h>

#include "dfrt.h"

G_BEGIN_DECLS

/* The struct that holds @ptr, a pointer to its @member. */
#define DF_CONTAINER_OF(ptr, type, member) \
  ((type *) (void *) ((char *) (ptr) - offsetof (type, member)))

/* ------------------------------------------------------------------ tasks */

typedef void (*DfTaskFunc) (DfTask *task);

/**
 * DfTask:
 *
 * An intrusive node of the runtime's ready list: df_runtime_schedule() puts
 * it there (from any thread) and the runtime's one scheduling source calls
 * its function on the runtime thread, in batches.  A task is on the list at
 * most once at a time; the owner guarantees that.
 */
struct _DfTask {
  /*< private >*/
  DfTask    *next;
  DfTaskFunc func;
};

DF_API void df_task_init        (DfTask *task, DfTaskFunc func);
/* Any thread.  From the runtime thread the task joins the ready list
 * directly; from another thread it goes through one lock-free queue, and
 * the loop is woken once per batch, not once per task. */
DF_API void df_runtime_schedule (DfRuntime *rt, DfTask *task);

/* ----------------------------------------------------------------- timers */

typedef void (*DfTimerFunc) (DfTimer *timer);

/**
 * DfTimer:
 *
 * A timer embedded in the struct it serves (find that with
 * DF_CONTAINER_OF).  All timers of a runtime live in one binary heap served
 * by one GSource whose ready time is the earliest deadline.
 */
struct _DfTimer {
  /*< private >*/
  gint64      deadline;   /* g_get_monotonic_time() clock */
  guint       slot;       /* 1 + index in the heap; 0: not armed */
  DfTimerFunc func;
};

DF_API void     df_timer_init     (DfTimer *timer, DfTimerFunc func);
/* Arms (or re-arms) @timer for @deadline (monotonic microseconds).  The
 * function runs on the runtime thread once the deadline has passed, with
 * the timer disarmed; it may re-arm it. */
DF_API void     df_timer_start    (DfRuntime *rt, DfTimer *timer, gint64 deadline);
DF_API void     df_timer_start_in (DfRuntime *rt, DfTimer *timer, GTimeSpan delay);
/* Disarms @timer if armed. */
DF_API void     df_timer_stop     (DfRuntime *rt, DfTimer *timer);
DF_API gboolean df_timer_is_armed (const DfTimer *timer);
/* Timers armed on @rt (for tests and statistics). */
DF_API guint    df_runtime_get_n_timers (DfRuntime *rt);

/* ------------------------------------------------------------------ stats */

/* One per stage, static in generated code: DF_STAGE_STATS_INIT ("fetch"). */
struct _DfStageStats {
  /*< private >*/
  const char   *name;
  gint64        calls;
  gint64        failures;
  gint64        timeouts;
  gint64        in_flight;
  gint64        time_us;
  gint          registered;
  DfStageStats *next;
};
#define DF_STAGE_STATS_INIT(stage_name) { (stage_name), 0, 0, 0, 0, 0, 0, NULL }

/* Around a sync stage call (the runtime counts async and blocking calls
 * itself):
 *   gint64 t = df_stage_stats_enter (&parse_stats);
 *   ok = parse (ctx, ...);
 *   df_stage_stats_leave (&parse_stats, t, ok);
 * Any thread. */
DF_API gint64 df_stage_stats_enter (DfStageStats *stats);
DF_API void   df_stage_stats_leave (DfStageStats *stats, gint64 token, gboolean ok);

/* ------------------------------------------------------------------ limit */

/**
 * DfLimit:
 *
 * `limit N`: at most N invocations in flight across the whole process.
 * Static in generated code: static DfLimit fetch_limit = DF_LIMIT_INIT (4);
 * Calls queue in FIFO order when it is full.
 */
struct _DfLimit {
  /*< private >*/
  pthread_mutex_t lock;
  guint           max;
  guint           used;
  DfTask         *head;
  DfTask         *tail;
};
#define DF_LIMIT_INIT(n) { PTHREAD_MUTEX_INITIALIZER, (n), 0, NULL, NULL }

/* For code that manages slots by hand (graph nodes, sync call sites); call
 * sites with a DfCall use df_call_acquire().  Any thread. */
DF_API gboolean df_limit_try_acquire (DfLimit *limit);
DF_API void     df_limit_release     (DfLimit *limit);
DF_API guint    df_limit_get_used    (DfLimit *limit);

/* ------------------------------------------------------------ call sites */

/* Frees the outputs an async/blocking call stored in its generated call
 * struct when nobody will read them (the call returned after a timeout, or
 * after its flow ended).  Must accept outputs that are NULL. */
typedef void     (*DfDiscardFunc)  (DfCall *call);
/* Runs a blocking stage on a worker thread: reads the inputs from the
 * frame, stores the outputs in the call struct, returns FALSE with @error
 * on failure.  The runtime completes the call. */
typedef gboolean (*DfBlockingFunc) (DfCall *call, GError **error);

/* What is fixed about one call site: static const in generated code. */
typedef struct {
  const char    *stage;     /* for messages and df_call_get_stage_name() */
  DfStageStats  *stats;     /* nullable */
  DfLimit       *limit;     /* nullable: no `limit` */
  GTimeSpan      timeout;   /* 0: no `timeout` */
  DfDiscardFunc  discard;   /* nullable: no owned outputs */
} DfCallSite;

struct _DfContext {
  /*< private >*/
  DfFrame *frame;
  DfCall  *call;
};

/**
 * DfCall:
 *
 * One async or blocking call site of a flow, embedded in its frame
 * (generated code wraps it with the stage's outputs:
 * struct { DfCall call; JsonArray *page; }).  Reused for every invocation
 * of that site, including retries.
 */
struct _DfCall {
  /*< private >*/
  DfTask             task;
  DfContext          context;
  DfCall            *sibling;      /* the frame's list of call sites */
  const DfCallSite  *site;
  DfBlockingFunc     blocking;
  GError            *error;
  GCancellable      *cancellable;
  gint64             started;
  DfTimer            timer;
  gint               state;
  gint               cancel_requested;
  guint              resume_id;
  guint              flags;
};

/* ----------------------------------------------------------------- frames */

/* Runs the flow until it must wait.  @resumed is the call whose event woke
 * it (completion, timeout, sleep over, limit slot granted), NULL for the
 * first run and after df_frame_yield(). */
typedef void (*DfStepFunc)      (DfFrame *frame, DfCall *resumed);
/* Frees the owned values still held by the frame, just before its memory. */
typedef void (*DfFinalizeFunc)  (DfFrame *frame);
/* The flow ended (@error NULL: success, borrowed).  Copy or steal the
 * outputs (set stolen fields to NULL so finalize does not free them). */
typedef void (*DfFrameDoneFunc) (DfFrame *frame, const GError *error,
                                 gpointer user_data);

/* Static const in generated code, one per flow. */
typedef struct {
  const char     *name;
  gsize           size;       /* sizeof the generated frame struct */
  DfStepFunc      step;
  DfFinalizeFunc  finalize;   /* nullable */
} DfFrameClass;

/**
 * DfFrame:
 *
 * The first member of every generated frame struct.
 */
struct _DfFrame {
  /*< private >*/
  DfTask              resume_task;
  DfTask              cancel_task;
  const DfFrameClass *klass;
  DfRuntime          *runtime;
  DfFrame            *live_prev;
  DfFrame            *live_next;
  DfCall             *calls;
  DfContext           context;
  DfFrameDoneFunc     done;
  gpointer            done_data;
  gpointer            user_data;
  GCancellable       *cancellable;
  GCancellable       *external;
  gulong              external_id;
  gint                refs;
  gint                cancel_state;
  gint                cancelled;
  guint               flags;
  DfSupervisor       *supervisor;   /* the supervised run it belongs to */
};

/* Allocates a zeroed frame of klass->size bytes (the instance's only
 * allocation).  Any thread. */
DF_API DfFrame   *df_frame_new            (DfRuntime *rt, const DfFrameClass *klass);
DF_API void       df_frame_set_done       (DfFrame *frame, DfFrameDoneFunc done,
                                           gpointer user_data);
/* What df_context_get_user_data() returns to the flow's stages. */
DF_API void       df_frame_set_user_data  (DfFrame *frame, gpointer user_data);
/* Cancelling @cancellable (from any thread) cancels the flow.  Before
 * df_frame_start(). */
DF_API void       df_frame_set_cancellable (DfFrame *frame, GCancellable *cancellable);
/* Schedules the first step.  Any thread; exactly once per frame. */
DF_API void       df_frame_start          (DfFrame *frame);
/* Ends the flow (in its step, which must then return without touching the
 * frame): calls the done function, cancels calls still in flight (their
 * late results are discarded) and frees the frame once none is left. */
DF_API void       df_frame_return         (DfFrame *frame);
DF_API void       df_frame_fail           (DfFrame *frame, GError *error);
/* Fails the flow with DF_ERROR_CANCELLED soon (never inside this call).
 * Any thread, while the frame is alive (before its done function ran). */
DF_API void       df_frame_cancel         (DfFrame *frame);
/* Runs the step again, with @resumed NULL, from the ready list: a
 * `repeat` flow yields between rounds so it does not starve the loop. */
DF_API void       df_frame_yield          (DfFrame *frame);
/* A `repeat` or `every` flow finished a round: under a supervisor, the
 * run is making progress (its failures-in-a-row count starts again). */
DF_API void       df_frame_round_done     (DfFrame *frame);
DF_API gboolean   df_frame_is_finished    (DfFrame *frame);
DF_API DfContext *df_frame_get_context    (DfFrame *frame);
DF_API DfRuntime *df_frame_get_runtime    (DfFrame *frame);

/* ------------------------------------------------------------------ calls */

/* Registers a call site in its frame; once, when the frame is built. */
DF_API void     df_call_init          (DfCall *call, DfFrame *frame,
                                       const DfCallSite *site, guint resume_id);
/* The @resume_id given to df_call_init(): which branch/state to resume. */
DF_API guint    df_call_get_resume_id (const DfCall *call);
DF_API DfFrame *df_call_get_frame     (DfCall *call);

/* Takes a slot of the site's DfLimit (TRUE at once when the site has none
 * or a slot is free).  FALSE: the call is queued and the step is resumed
 * with it when a slot is its own.  The slot is given back when the
 * invocation returns. */
DF_API gboolean df_call_acquire       (DfCall *call);

/* Async call protocol:
 *     df_call_begin (call);
 *     fetch (call, f->url);              // the user's async function
 *     if (!df_call_end_inline (call))
 *       return;                          // resumed with `call` later
 *     // completed during fetch(): go on without a trip through the loop
 */
DF_API void     df_call_begin         (DfCall *call);
DF_API gboolean df_call_end_inline    (DfCall *call);

/* Blocking call: begins @call and runs @func on a worker thread; the step
 * is resumed with @call when it has returned. */
DF_API void     df_call_run_blocking  (DfCall *call, DfBlockingFunc func);

/* After the call finished (inline or resumed): NULL on success, else the
 * error (transfer full), DF_ERROR_TIMEOUT for a timeout. */
DF_API GError  *df_call_take_error    (DfCall *call);

/* Resumes the step with @call after @delay, and not before an abandoned
 * (timed-out) invocation of the call has returned: the way to retry, even
 * with no back-off.  Also `every D`. */
DF_API void     df_call_sleep         (DfCall *call, GTimeSpan delay);
/* Before a retry: one line to the runtime's log (df_runtime_log),
 * "FLOW: MESSAGE; retry ATTEMPT of MAX in DELAY", so a retried failure is
 * never silent.  Nothing while the runtime is stopping (the flow is being
 * cancelled; no retry will run). */
DF_API void     df_call_log_retry     (DfCall *call, const GError *error,
                                       guint attempt, guint max, GTimeSpan delay);

/* Generated NAME_return() functions: claim, store outputs, complete.
 *     if (!df_call_claim (call)) { free the outputs; return; }
 *     ((FetchCall *) call)->page = page;
 *     df_call_complete_claimed (call);
 * df_call_claim() reports a second completion (g_critical) and returns
 * FALSE.  Any thread. */
DF_API gboolean df_call_claim            (DfCall *call);
/* TRUE while the current invocation of @call may still deliver results:
 * begun, not completed, not abandoned by a timeout.  For emitters (an
 * async generator's df_graph_emit()) to refuse what comes after the end
 * of their call.  Any thread; @call must still be valid memory (its
 * frame or graph alive). */
DF_API gboolean df_call_is_open          (DfCall *call);
DF_API void     df_call_complete_claimed (DfCall *call);

/* Gives back the DfLimit slot a call holds without having begun (a sync
 * call site with `limit`). */
DF_API void     df_call_release_slot  (DfCall *call);

G_END_DECLS
