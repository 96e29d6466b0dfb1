/* graph-private.h — the graph runtime's internal header, sectioned by the
 * file that owns each part (queue.c, graph.c, graph-node.c,
 * graph-deliver.c, graph-jobs.c, graph-policy.c, node-state.c, graph-zip.c,
 * graph-stats.c).  Not installed; nothing here is exported.
 *
 * Threading: every field is runtime-thread only unless its comment says
 * otherwise.  Counters have a single writer (the runtime thread) and are
 * read from any thread with relaxed atomic loads.
 */
#pragma once

#include "dfrt-private.h"
#include "dfrt-graph.h"

/* Items a node takes per dispatch before it yields to other tasks. */
#define DF_GRAPH_BATCH 256
/* A blocking node's outbox: how far a worker's emits may run ahead of
 * the destinations' queues before emit waits.  Each time it fills, the
 * worker waits and wakes the runtime thread (tens of microseconds across
 * CPUs): 1024 items keep that cost per item small while memory stays
 * bounded (bench/graphs: 64 gave 1.3 us per item, 1024 about 0.13 us). */
#define DF_GRAPH_OUTBOX 1024
/* A blocking node's job: the inputs one worker job runs, one call after
 * the other (async mode, a node without `batch`, `timeout` or dead
 * letters).  Two thread wake-ups per job instead of per item. */
#define DF_GRAPH_JOB 64
#define DF_GRAPH_DEFAULT_QUEUE 10000
#define DF_GRAPH_DEFAULT_MAX_ERRORS 1000

/* Single writer, any reader: no read-modify-write, no lock. */
#define DF_CNT_ADD(field, n) \
  __atomic_store_n (&(field), __atomic_load_n (&(field), __ATOMIC_RELAXED) + (n), \
                    __ATOMIC_RELAXED)
#define DF_CNT_SET(field, v) __atomic_store_n (&(field), (v), __ATOMIC_RELAXED)
#define DF_CNT_GET(field)    __atomic_load_n (&(field), __ATOMIC_RELAXED)

/* ------------------------------------------------------------ queue.c */

/* A FIFO of fixed-size item structs in one array. */
typedef struct {
  guint8 *buf;
  gsize   stride;     /* item size, at least 1 */
  guint   cap;
  guint   head;
  guint   len;
} DfRing;

G_GNUC_INTERNAL void     df_ring_init  (DfRing *r, gsize item_size, guint cap);
G_GNUC_INTERNAL void     df_ring_clear (DfRing *r);
/* A zeroed slot at the tail (the ring must not be full). */
G_GNUC_INTERNAL gpointer df_ring_push  (DfRing *r);
/* The @i-th item from the head. */
G_GNUC_INTERNAL gpointer df_ring_peek  (DfRing *r, guint i);
/* Removes the head, copying it to @dst (nullable, item_size bytes). */
G_GNUC_INTERNAL void     df_ring_pop   (DfRing *r, gpointer dst, gsize item_size);
/* Doubles the capacity, keeping the order. */
G_GNUC_INTERNAL void     df_ring_grow  (DfRing *r);

/* Emitted items on their way from a node to its destinations: the
 * overflow of a sync node, the hand-over from blocking workers and async
 * completions.  Pushed from any thread, drained on the runtime thread,
 * which takes the whole ring at once (into `taken`) and delivers from
 * there without the lock. */
typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t  cond;       /* room for waiting pushers */
  DfRing          ring;       /* under lock: pushed, not taken yet */
  gsize           item_size;
  guint           bound;      /* waiting pushers wait while ring and taken
                                 could hold more than bound */
  guint           waiters;    /* under lock */
  gint            count;      /* atomic mirror of ring.len */
  gboolean        closed;     /* under lock: pushes are refused */
  /* The runtime thread reads `taken` at every item while workers push:
   * a cache line of its own on either side (false sharing cost more
   * than the lock did). */
  guint8          pad_before[64];
  DfRing          taken;      /* runtime thread: taken, not delivered yet */
  guint8          pad_after[64];
} DfOutbox;

typedef enum {
  DF_OUTBOX_PUSHED,
  DF_OUTBOX_PUSHED_FIRST,     /* it was empty: the node needs a kick */
  DF_OUTBOX_CLOSED,           /* refused; the caller still owns the item */
} DfOutboxPush;

G_GNUC_INTERNAL void         df_outbox_init  (DfOutbox *o, gsize item_size, guint bound);
/* Frees what is left with @item_free. */
G_GNUC_INTERNAL void         df_outbox_clear (DfOutbox *o, DfItemFreeFunc item_free);
/* Copies @item in.  With @wait, blocks while the outbox holds bound
 * items; without, grows instead.  Refused (DF_OUTBOX_CLOSED) when the
 * outbox is closed or *@refused (nullable, read under the lock) is set,
 * also while waiting.  Any thread. */
G_GNUC_INTERNAL DfOutboxPush df_outbox_push  (DfOutbox *o, gconstpointer item,
                                              gboolean wait, const gboolean *refused);
G_GNUC_INTERNAL void         df_outbox_close (DfOutbox *o);
/* Sets *@flag under the lock and wakes waiting pushers: from now on the
 * pushes that pass @flag are refused. */
G_GNUC_INTERNAL void         df_outbox_refuse (DfOutbox *o, gboolean *flag, gboolean value);
/* Runtime thread: nothing pushed is left to deliver. */
static inline gboolean
df_outbox_is_empty (DfOutbox *o)
{
  return o->taken.len == 0 && g_atomic_int_get (&o->count) == 0;
}
/* Runtime thread: the oldest item not delivered yet (taking what was
 * pushed when nothing taken is left), or NULL; it stays until
 * df_outbox_pop(). */
G_GNUC_INTERNAL gpointer     df_outbox_peek  (DfOutbox *o);
G_GNUC_INTERNAL void         df_outbox_pop   (DfOutbox *o);

/* ------------------------------------------------------------ graph.c */

typedef struct _DfGraphNode DfGraphNode;
typedef struct _DfZip       DfZip;

enum {
  DF_SLOT_IDLE,
  DF_SLOT_WAITING_LIMIT,   /* queued on the stage's DfLimit */
  DF_SLOT_RUNNING,         /* the call is in flight */
  DF_SLOT_SLEEPING,        /* retry back-off (the slot's own timer) */
  DF_SLOT_AWAITING_RETURN, /* a retry after a time-out waits for the
                              abandoned invocation, which borrows the
                              inputs, to return */
  DF_SLOT_RETIRED,         /* timed out and given up: no longer one of
                              the node's slots; frees its inputs when the
                              abandoned invocation returns, then is IDLE
                              (a spare in the node's `retired`) */
};

/* One invocation slot (`tasks N` of them): its call struct follows it in
 * the same allocation, then its input items. */
typedef struct {
  DfGraphNode *node;
  DfCall      *call;
  guint8      *items;       /* batch (or 1) input item structs */
  gsize        n_items;
  guint        state;
  guint        attempt;     /* failures of this input so far */
  gpointer     stage_state; /* `state (T)` of this task (node-state.c) */
  char        *dead_message; /* an abandoned call's failure, for its dead
                                letters once it has returned */
  gboolean     stage_state_open;
  DfTimer      backoff;     /* DF_SLOT_SLEEPING */
  DfTimer      deadline;    /* the node's `timeout` of a running call */
  gboolean     call_out;    /* the invocation has not returned yet */
  gboolean     refused;     /* under the outbox's lock: the invocation
                               timed out, its emits are freed */
  gint         emitted;     /* atomic: this invocation emitted (a running
                               generator, for the sync scheduler) */
  gboolean     drain_cancelled;  /* a drain cancelled this invocation */
  gint64       stopped_at;  /* when a drain, halt or cancel cancelled the
                               running invocation (runtime clock), 0:
                               not; DF_SHUTDOWN_GRACE later it is given up */
  gboolean     completing;  /* inside the node's `complete` */
  gpointer    *tokens;      /* a remote node's: its inputs' entries */
  gsize        job_done;    /* a job's inputs whose call returned TRUE
                               (written by the worker before it completes) */
  gsize        job_rest;    /* a job failed at its first input: the inputs
                               after it, which run once that one is over */
} DfGraphSlot;

typedef struct {
  gint64 in, out, ok, err, dropped, retries, queued, queue_max, in_flight, errors;
} DfNodeCounters;

typedef struct {
  GError *error;
  gint64  time;
} DfErrorRecord;

/* What graph-policy.c keeps per node: the failures in a row (`halt after
 * N`) and the failure log's rate limit. */
typedef struct {
  guint      in_a_row;
  DfLogLimit log_limit;   /* the node's own share of the failure log */
} DfNodePolicy;

struct _DfGraphNode {
  DfGraph               *graph;
  const DfGraphNodeDesc *desc;
  guint                  index;
  DfCallSite             site;         /* built from desc */
  DfOnError              policy;       /* resolved: HALT, SKIP or RETRY */
  gboolean               inline_run;   /* runs on the runtime thread */

  /* edges */
  const DfGraphEdgeDesc **out;         /* fan-out in edge order */
  guint                  n_out;
  DfGraphNode          **sources;      /* upstream nodes, to wake */
  guint                  n_sources;
  guint                  open_sources; /* not finished yet */

  /* input */
  DfRing                 ring;
  guint                  queue_size;
  guint                  batch;        /* 1 without `batch` */
  guint                  job_max;      /* inputs per worker job; 0: none */
  DfTimer                batch_timer;  /* `within` */
  gboolean               batch_due;
  DfZip                 *zip;          /* a `zip (...) -> this` */
  guint8                *scratch;      /* one zeroed input item */

  /* start nodes */
  gboolean               is_start;
  guint                  pending_ticks;
  gboolean               ticking;      /* every/cron timer live */
  DfTimer                tick_timer;
  gint64                 next_tick;
  DfCron                *cron;

  /* output */
  DfOutbox               outbox;
  gboolean               blocked;      /* waits for a destination's room */

  /* invocations */
  DfGraphSlot          **slots;
  guint                  n_slots;
  GPtrArray             *retired;      /* DfGraphSlot *, freed at teardown */
  guint                  busy;         /* slots not idle */
  DfTask                 task;
  gint                   task_queued;  /* atomic */
  gboolean               in_pump;      /* running its own invocations */
  gboolean               finished;

  /* statistics (graph-stats.c) */
  DfNodeCounters         c;
  pthread_mutex_t        errors_lock;
  DfErrorRecord         *errors;       /* ring of max_errors, lazily */
  guint                  errors_head;
  guint                  errors_len;

  /* error policy (graph-policy.c) */
  DfNodePolicy           pol;
  const DfGraphEdgeDesc *dead;         /* its dead-letter edge, or NULL */

  /* processes (graph-remote.c) */
  gboolean               away;         /* runs in another process */
  gpointer               stream;       /* a remote node's, with a transport */
  gboolean               remote_write; /* a node here feeds its stream */
  gboolean               remote_read;  /* it runs here, fed by its stream */
  gboolean               remote_full;  /* its stream said it is full */
  gboolean               remote_wanting;
  gboolean               remote_ended; /* its stream's input has ended */
  guint                  writers_open; /* nodes here that feed its stream
                                          and have not finished */
  gpointer              *tokens;       /* remote_read: the queued inputs'
                                          entries, parallel to the ring */
  gint64                 redelivered;
};

struct _DfGraph {
  gint                refs;            /* atomic */
  DfRuntime          *rt;
  const DfGraphDesc  *desc;
  guint8             *inputs;
  DfGraphNode        *nodes;
  guint               n_nodes;
  guint              *topo;            /* node indices, sources first */
  guint              *sync_order;      /* the sync scheduler's preference */
  DfGraphMode         mode;
  guint               max_errors;
  gpointer            user_data;
  GCancellable       *cancellable;
  gulong              cancel_id;
  DfFrame            *frame;           /* holds the slots' calls */
  DfGraphDoneFunc     done;
  gpointer            done_data;

  gboolean            started;
  gboolean            running;         /* the start task has run */
  gboolean            finished;
  gboolean            halted;          /* halt or cancel: drop everything */
  gboolean            draining;
  gboolean            drain_on_stop;   /* df_runtime_cancel_all() drains it */
  gboolean            quiet;           /* no failure log (graph-policy.c) */
  DfTimer             grace_timer;     /* gives up calls a stop cancelled
                                          that have not returned */
  GSource            *grace_source;    /* the same in real time, under an
                                          auto-advancing virtual clock */
  GError             *error;
  guint               n_finished;
  guint               busy;            /* slots not idle, all nodes */
  gint                requests;        /* atomic: DF_GRAPH_REQ_* bits */
  gint                request_queued;  /* atomic */
  DfTask              request_task;
  DfTask              sync_task;       /* DF_GRAPH_SYNC scheduler */
  gint                sync_queued;     /* atomic */

  const DfGraphTransport *transport;   /* nullable: remote nodes are local */
  gpointer            transport_data;
  DfFieldsBuilder    *fields;          /* encoding, reused */
  gboolean            some_away;       /* df_graph_set_local_nodes () */

  DfTimer             stats_timer;
  GTimeSpan           stats_interval;
  DfGraphStatsFunc    stats_func;
  gpointer            stats_data;
};

enum {
  DF_GRAPH_REQ_START  = 1 << 0,
  DF_GRAPH_REQ_DRAIN  = 1 << 1,
  DF_GRAPH_REQ_CANCEL = 1 << 2,
};

/* Schedules the node's task (async mode) or the graph's scheduler (sync
 * mode).  Any thread. */
G_GNUC_INTERNAL void df_graph_node_kick (DfGraphNode *n);
/* Stops the graph at a failure of @n (@error: transfer full) or, with @n
 * NULL, because it was cancelled. */
G_GNUC_INTERNAL void df_graph_halt (DfGraph *g, DfGraphNode *n, GError *error);
/* The node may have finished: propagates to its destinations and ends
 * the graph after the last node. */
G_GNUC_INTERNAL void df_graph_node_check_finished (DfGraphNode *n);
/* @frame is a graph's (so its calls are slots). */
G_GNUC_INTERNAL extern const DfFrameClass df_graph_frame_class;
static inline gboolean
df_graph_is_frame (DfFrame *frame)
{
  return frame != NULL && frame->klass == &df_graph_frame_class;
}

/* ------------------------------------------------------- graph-node.c */

G_GNUC_INTERNAL void         df_graph_node_setup    (DfGraphNode *n);
G_GNUC_INTERNAL void         df_graph_node_teardown (DfGraphNode *n);
G_GNUC_INTERNAL DfGraphSlot *df_graph_slot_from_call (DfCall *call);
/* Async mode: drain, take a batch of inputs, run them. */
G_GNUC_INTERNAL void         df_graph_node_pump     (DfGraphNode *n);
/* Sync mode: deliver one item @n emitted (with @may_deliver), or try to
 * start one invocation of @n (of a start node only with @may_start);
 * TRUE if anything moved. */
G_GNUC_INTERNAL gboolean     df_graph_node_step_one (DfGraphNode *n, gboolean may_start,
                                                     gboolean may_deliver);
/* Runs the slot's input (once more after a failure); runtime thread. */
G_GNUC_INTERNAL void         df_graph_slot_attempt  (DfGraphSlot *slot);
/* Frees the slot's input items (n_items of them). */
G_GNUC_INTERNAL void         df_graph_slot_free_items (DfGraphSlot *slot);
/* The frame's step: a call of some slot completed, slept, or got its
 * limit slot. */
G_GNUC_INTERNAL void         df_graph_slot_resumed  (DfCall *call);
/* Cancels the node's running calls (drain: start nodes; halt: all);
 * @drain marks them so that their cancellation error ends their input. */
G_GNUC_INTERNAL void         df_graph_node_cancel_calls (DfGraphNode *n, gboolean drain);
/* Gives up the invocations that a drain, halt or cancel cancelled at
 * least DF_SHUTDOWN_GRACE before @now and that are still out: abandoned
 * as by a time-out, their inputs counted as dropped.  Returns when the
 * next of the others is due, G_MAXINT64 if none. */
G_GNUC_INTERNAL gint64       df_graph_node_give_up_stopped (DfGraphNode *n, gint64 now);
/* Halt or drain: ends the retry back-offs of the node's slots now (the
 * input counts as failed), so that no retry starts. */
G_GNUC_INTERNAL void         df_graph_node_stop_retries (DfGraphNode *n);
/* Sync mode: no invocation is in flight except running generators that
 * have emitted (their items are taken one at a time). */
G_GNUC_INTERNAL gboolean     df_graph_sync_may_step (DfGraph *g);
/* Sync mode: every running generator waits for room that only another
 * start node can make (a zip waiting for its other sources). */
G_GNUC_INTERNAL gboolean     df_graph_sync_generators_stuck (DfGraph *g);
/* Drops the queued inputs (counted). */
G_GNUC_INTERNAL void         df_graph_node_drop_queued  (DfGraphNode *n);
/* ---------------------------------------------------- graph-deliver.c */

/* The destinations of @n all have room for one more item. */
G_GNUC_INTERNAL gboolean df_graph_node_has_room (DfGraphNode *n);
/* Sync mode: runs @dst at once on @item (one of its input items, whose
 * fields pass to it) if it is idle, as node delivery does; FALSE (and
 * @item untouched) otherwise. */
G_GNUC_INTERNAL gboolean df_graph_node_run_item_now (DfGraphNode *dst, gpointer item);
/* Wakes upstream nodes waiting for room in @n. */
G_GNUC_INTERNAL void     df_graph_node_wake_sources (DfGraphNode *n);

/* Moves what fits from the outbox to the destinations; TRUE when empty. */
G_GNUC_INTERNAL gboolean df_graph_node_drain_outbox   (DfGraphNode *n);
/* The same, at most @max items; returns how many moved. */
G_GNUC_INTERNAL guint    df_graph_node_deliver_outbox (DfGraphNode *n, guint max, gboolean *empty);

/* ------------------------------------------------------- graph-jobs.c */

/* On the worker: the slot's inputs, one call after the other. */
G_GNUC_INTERNAL gboolean df_graph_job_run      (DfGraphSlot *slot, GError **error);
/* The job returned (@error: its failed input's, borrowed): counts and
 * frees the inputs whose calls succeeded; FALSE when that was all. */
G_GNUC_INTERNAL gboolean df_graph_job_settle   (DfGraphSlot *slot, GError *error);
/* After the input a job failed at: the rest runs (TRUE) or is dropped. */
G_GNUC_INTERNAL gboolean df_graph_job_continue (DfGraphSlot *slot);

/* ----------------------------------------------------- graph-remote.c */

/* graph_start_now (): opens the streams of remote nodes, marks the nodes
 * that run elsewhere finished; returns the node whose stream could not be
 * opened (with @error), or NULL. */
G_GNUC_INTERNAL DfGraphNode *df_graph_remote_start (DfGraph *g, GError **error);
/* The graph has ended: closes the streams. */
G_GNUC_INTERNAL void     df_graph_remote_close   (DfGraph *g);
/* Delivery: @dst's stream takes @item (its source's emit, through the
 * edge's @convert); the stream's room. */
G_GNUC_INTERNAL void     df_graph_remote_send    (DfGraphNode *dst, DfEdgeConvertFunc convert,
                                                  gconstpointer item, gsize emit_size);
/* A local source of @dst has finished: the last one ends the writing. */
G_GNUC_INTERNAL void     df_graph_remote_source_finished (DfGraphNode *dst);
/* @n read from its stream: asks for as many entries as its queue has room
 * for, when no read is out. */
G_GNUC_INTERNAL void     df_graph_remote_want    (DfGraphNode *n);
/* The ring's head input is being taken (into @slot_token) or dropped. */
G_GNUC_INTERNAL gpointer df_graph_remote_pop_token (DfGraphNode *n);
/* The slot's input @i is over. */
G_GNUC_INTERNAL void     df_graph_remote_item_done (DfGraphSlot *slot, gsize i, gboolean handled);

/* ----------------------------------------------------- graph-policy.c */

/* Runtime thread.  The invocation succeeded: the failures in a row end. */
static inline void
df_graph_node_succeeded (DfGraphNode *n)
{
  n->pol.in_a_row = 0;
}
/* The invocation failed and will be retried after @delay (attempt
 * @attempt of the node's retries): logged. */
G_GNUC_INTERNAL void df_graph_node_retrying  (DfGraphNode *n, const GError *error,
                                              guint attempt, GTimeSpan delay);
/* The invocation of @slot failed for good (@error: transfer full): sends
 * its items to the node's dead letters (once it has returned when
 * @abandoned), then halts the graph or, under skip, logs it and halts
 * after `halt after N` in a row. */
G_GNUC_INTERNAL void df_graph_node_failed    (DfGraphNode *n, DfGraphSlot *slot, GError *error,
                                              gboolean abandoned);
/* df_graph_new (): at most one dead-letter edge per node, none from a
 * start node (@indeg: incoming edges per node). */
G_GNUC_INTERNAL gboolean df_graph_check_dead_letters (const DfGraphDesc *desc, const guint *indeg,
                                                      GError **error);
/* An abandoned invocation has returned: its dead letters go now. */
G_GNUC_INTERNAL void df_graph_slot_settled   (DfGraphSlot *slot);
/* A timed-out invocation's dead letters wait for its late return: the
 * node does not finish before they are sent, or dropped (counted at the
 * destination) by a halt or a drain. */
G_GNUC_INTERNAL gboolean df_graph_node_dead_letters_pending (DfGraphNode *n);
G_GNUC_INTERNAL void     df_graph_slot_drop_dead_letters    (DfGraphSlot *slot);
/* The node's dead-letter destination has room for all it would have in
 * flight after taking one more input (gates taking inputs, never the
 * delivery of outputs, which would wait for calls that wait for it). */
G_GNUC_INTERNAL gboolean df_graph_dead_has_room (DfGraphNode *n);
static inline gboolean
df_graph_node_dead_has_room (DfGraphNode *n)
{
  return n->dead == NULL || df_graph_dead_has_room (n);
}
/* The node has ended: says how many failures the rate limit held back
 * and ends its dead letters (the destination's source). */
G_GNUC_INTERNAL void df_graph_node_policy_end (DfGraphNode *n);

/* ------------------------------------------------------- node-state.c */

/* Runtime thread.  Opens the slot's state before its first item; FALSE
 * with @error when the stage's open function failed. */
G_GNUC_INTERNAL gboolean df_graph_slot_open_state   (DfGraphSlot *slot, GError **error);
/* Closes every open state of the node, once each.  No call may run. */
G_GNUC_INTERNAL void     df_graph_node_close_states (DfGraphNode *n);

/* -------------------------------------------------------- graph-zip.c */

G_GNUC_INTERNAL DfZip   *df_zip_new      (guint n_sources, gsize item_size, guint cap);
G_GNUC_INTERNAL void     df_zip_free     (DfZip *z, DfItemFreeFunc item_free);
/* Source @pos (from 0) of @d's zip can hand over one more item. */
G_GNUC_INTERNAL gboolean df_zip_has_room (DfGraphNode *d, guint pos);
G_GNUC_INTERNAL void     df_zip_push     (DfGraphNode *d, guint pos,
                                          DfEdgeConvertFunc convert, gpointer src);
/* Moves complete rows into @d's queue while it has room; TRUE if any. */
G_GNUC_INTERNAL gboolean df_zip_flush    (DfGraphNode *d);
/* Source @pos has finished: rows it will never fill are leftovers. */
G_GNUC_INTERNAL void     df_zip_source_finished (DfGraphNode *d, guint pos);
G_GNUC_INTERNAL void     df_zip_drop_all (DfGraphNode *d);
G_GNUC_INTERNAL gboolean df_zip_is_empty (DfGraphNode *d);

/* ------------------------------------------------------ graph-stats.c */

G_GNUC_INTERNAL void df_graph_stats_init   (DfGraphNode *n);
G_GNUC_INTERNAL void df_graph_stats_clear  (DfGraphNode *n);
/* Keeps a copy of @error in the node's ring. */
G_GNUC_INTERNAL void df_graph_record_error (DfGraphNode *n, const GError *error);
G_GNUC_INTERNAL void df_graph_stats_start  (DfGraph *g);
G_GNUC_INTERNAL void df_graph_stats_stop   (DfGraph *g);
/* The input queue grew: keep its high-water mark. */
static inline void
df_graph_count_queued (DfGraphNode *n)
{
  DF_CNT_SET (n->c.queued, n->ring.len);
  if ((gint64) n->ring.len > n->c.queue_max)
    DF_CNT_SET (n->c.queue_max, n->ring.len);
}
