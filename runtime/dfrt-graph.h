/* dfrt-graph.h — graphs: nodes joined by bounded queues.
 *
 * Generated code describes a graph with static const tables (a
 * DfGraphDesc of DfGraphNodeDesc and DfGraphEdgeDesc) and per-node
 * trampolines that call the user's stage functions; the runtime does the
 * rest: one ring buffer of fixed-size item structs per node input,
 * fan-out copies, fan-in, `zip`, `batch N within D`, `tasks N`, real
 * backpressure, start nodes (once, `every D`, `cron "…"`), error policies,
 * drain and cancel, and per-node statistics with the last N errors.
 * docs/runtime.md ("Graphs") shows the code dfc emits.
 *
 * Threading: everything runs on the runtime thread unless marked "any
 * thread".  Blocking nodes run on the worker pool; async nodes complete
 * from any thread.
 */
#pragma once

#include "dfrt-types.h"
#include "dfrt-fields.h"

G_BEGIN_DECLS

typedef struct _DfGraph DfGraph;

/* ------------------------------------------------------- the description */

typedef enum {
  DF_NODE_SYNC,       /* runs inline on the runtime thread */
  DF_NODE_BLOCKING,   /* runs on a worker thread */
  DF_NODE_ASYNC,      /* starts work, completes later from any thread */
} DfNodeKind;

typedef enum {
  DF_ON_ERROR_DEFAULT,  /* HALT under the graph's halt_on_error, else SKIP */
  DF_ON_ERROR_HALT,     /* stop the graph at this failure */
  DF_ON_ERROR_SKIP,     /* count it, keep the error, go on */
  DF_ON_ERROR_RETRY,    /* up to `retries` more attempts, then SKIP (or
                           HALT under halt_on_error) */
} DfOnError;

/* Runs the stage for one input (or one batch: @n_items item structs in a
 * row at @items; @n_items is 1 without `batch`; @items is NULL for a node
 * whose stage takes no inputs).  The items are borrowed: the runtime frees
 * them (item_free) after the invocation, after the last retry.
 *  - sync: on the runtime thread; returns FALSE with @error on failure.
 *    A `->` stage emits its outputs itself (df_graph_emit).
 *  - blocking: the same, on a worker thread.
 *  - async: calls the user's async function with @call and returns TRUE;
 *    the result comes through the call (NAME_return, df_call_complete,
 *    df_call_fail).  Returning FALSE fails the invocation at once.
 * @call is the invocation's call struct (call_size bytes: the generated
 * struct { DfCall call; outputs... }); df_call_get_context (call) is the
 * DfContext the stage receives. */
typedef gboolean (*DfNodeRunFunc)      (DfCall *call, gpointer items,
                                        gsize n_items, GError **error);
/* Async `->` stages: the call succeeded; move the outputs out of the call
 * struct into an item and df_graph_emit() it.  Runtime thread. */
typedef void     (*DfNodeCompleteFunc) (DfCall *call);
/* Frees the owned fields of one item struct (NULL fields allowed). */
typedef void     (*DfItemFreeFunc)     (gpointer item);
/* Start nodes: fills a zeroed input item from the graph's inputs and the
 * node's bindings.  Its values are borrowed, not copied (the graph's
 * inputs outlive its runs; constants are static), so a start node's item
 * has no item_free. */
typedef void     (*DfItemStartFunc)    (gconstpointer inputs, gpointer item);
/* An edge: fills the destination's input item @dst (zeroed, or for `zip`
 * partly filled by the other sources) from the emitted item @src.  `copy`
 * leaves @src intact (the type's copy function); `move` takes the owned
 * fields and sets them to NULL in @src. */
typedef void     (*DfEdgeConvertFunc)  (gpointer src, gpointer dst);
/* A dead-letter edge: fills the destination's input item @dst (zeroed)
 * from the input item @item the source node failed on, moving its owned
 * fields (it is freed afterwards with the source's item_free), and from
 * the failure's @message (borrowed: copy it). */
typedef void     (*DfDeadLetterFunc)   (gpointer item, const char *message, gpointer dst);
/* A stage's `state (T)`: makes the state of one task of a node (before its
 * first item) or fails, which halts the graph; and frees it (after the
 * last item, on every ending).  Runtime thread; @ctx is the task's. */
typedef gboolean (*DfStateOpenFunc)    (DfContext *ctx, gpointer *state, GError **error);
typedef void     (*DfStateCloseFunc)   (DfContext *ctx, gpointer state);

/* A remote node's input item as stream-entry fields, and back (generated;
 * dfrt-fields.h).  Decode fills a zeroed item or fails (the entry is then
 * counted as the node's input, failed). */
typedef void     (*DfItemEncodeFunc) (gconstpointer item, DfFieldsBuilder *fields);
typedef gboolean (*DfItemDecodeFunc) (const DfFields *fields, gpointer item, GError **error);

typedef struct {
  const char         *name;        /* the node's name */
  /* The stage and its call site (see DfCallSite in dfrt-gen.h). */
  const char         *stage;
  DfStageStats       *stats;       /* nullable */
  DfLimit            *limit;       /* nullable; async and blocking nodes */
  GTimeSpan           timeout;     /* 0: none; async and blocking nodes */
  void              (*discard) (DfCall *call);  /* nullable: frees outputs
                                                   left in the call struct */
  gsize               call_size;   /* sizeof the call struct; 0: sizeof (DfCall) */
  DfNodeKind          kind;
  DfNodeRunFunc       run;
  DfNodeCompleteFunc  complete;    /* nullable */
  /* Input: one item struct per input (a `T[]` parameter: batch of them). */
  gsize               item_size;   /* 0: the stage takes no inputs */
  DfItemFreeFunc      item_free;   /* nullable: nothing owned */
  DfItemStartFunc     start;       /* start nodes; nullable */
  /* Output: what df_graph_emit() receives. */
  gsize               emit_size;   /* 0: `emits ()` or no outputs */
  DfItemFreeFunc      emit_free;   /* frees fields no edge moved */
  /* Options; 0 means the default. */
  guint               tasks;       /* default 1 */
  guint               queue;       /* default 10000 */
  guint               batch;       /* `batch N`: 0 = no batching */
  GTimeSpan           batch_within;
  GTimeSpan           every;       /* start nodes only */
  const char         *cron;        /* start nodes only */
  DfOnError           on_error;
  guint               retries;     /* DF_ON_ERROR_RETRY */
  GTimeSpan           backoff;     /* first delay; doubles up to backoff_max */
  GTimeSpan           backoff_max; /* 0: constant backoff */
  guint               halt_after;  /* skipped failures in a row that halt
                                      the graph (`halt after N`); 0: none */
  /* `state (T)`: one state per task (invocation slot); both or neither. */
  DfStateOpenFunc     state_open;
  DfStateCloseFunc    state_close;
  /* `remote`: with a transport (df_graph_set_transport), every edge into
   * the node goes through it, encoded; without one the node is local. */
  gboolean            remote;
  DfItemEncodeFunc    encode;
  DfItemDecodeFunc    decode;
} DfGraphNodeDesc;

typedef struct {
  guint              from, to;     /* node indices */
  DfEdgeConvertFunc  copy;         /* NULL: memcpy (same layout) */
  DfEdgeConvertFunc  move;         /* nullable: used for the last edge of a
                                      fan-out instead of copy */
  guint              zip;          /* 0: plain edge; k: the k-th source
                                      (from 1) of `zip(...) -> to` */
  DfDeadLetterFunc   dead;         /* non-NULL: a dead-letter edge (`from
                                      !-> to`): the items `from` failed on,
                                      not its outputs; copy and move unused;
                                      at most one per node, not from a start
                                      node, not a zip */
} DfGraphEdgeDesc;

typedef struct {
  const char              *name;
  const DfGraphNodeDesc   *nodes;
  guint                    n_nodes;
  const DfGraphEdgeDesc   *edges;  /* a node's fan-out order is edge order */
  guint                    n_edges;
  gsize                    inputs_size;   /* sizeof the generated In struct */
  gboolean                 halt_on_error;
} DfGraphDesc;

/* ------------------------------------------------------------- lifetime */

typedef enum {
  DF_GRAPH_ASYNC,   /* queued (default) */
  DF_GRAPH_SYNC,    /* depth-first, one invocation at a time, deterministic */
} DfGraphMode;

/* Checks @desc (edges, cycles, zip, options, cron expressions: a
 * DF_ERROR_USAGE error) and makes a graph.  @inputs (inputs_size bytes, the
 * generated In struct) is copied; the values it points to are borrowed
 * until the graph ends.  Nothing runs before df_graph_start(). */
DF_API DfGraph  *df_graph_new   (DfRuntime *rt, const DfGraphDesc *desc,
                                 gconstpointer inputs, GError **error);
/* Any thread. */
DF_API DfGraph  *df_graph_ref   (DfGraph *graph);
DF_API void      df_graph_unref (DfGraph *graph);

/* Before df_graph_start(). */
DF_API void      df_graph_set_mode       (DfGraph *graph, DfGraphMode mode);
/* The errors kept per node (default 1000; 0 keeps none). */
DF_API void      df_graph_set_max_errors (DfGraph *graph, guint n);
/* What df_context_get_user_data() returns to the stages. */
DF_API void      df_graph_set_user_data  (DfGraph *graph, gpointer user_data);
/* Cancelling @cancellable (any thread) is df_graph_cancel(). */
DF_API void      df_graph_set_cancellable (DfGraph *graph, GCancellable *cancellable);
/* With @drain TRUE, df_runtime_cancel_all() (the first SIGINT/SIGTERM of
 * a standalone program) drains the graph instead of cancelling it: its
 * start nodes stop and the queued work finishes, and the graph ends
 * normally.  A graph started once the runtime is stopping is drained at
 * once.  Default FALSE. */
DF_API void      df_graph_set_drain_on_stop (DfGraph *graph, gboolean drain);
/* Every failure a node skips or retries is logged on stderr as it
 * happens (at most 10 lines a second per node, then one line with the
 * count not shown); @quiet TRUE silences that log.  Default FALSE. */
DF_API void      df_graph_set_quiet (DfGraph *graph, gboolean quiet);

/* The graph ended: @error is NULL on success (also after a drain),
 * DF_ERROR_HALTED after a halt (its message names the node and the
 * failure), DF_ERROR_CANCELLED after df_graph_cancel().  Borrowed. */
typedef void (*DfGraphDoneFunc) (DfGraph *graph, const GError *error,
                                 gpointer user_data);

/* Starts the graph; @done runs on the runtime thread when it has ended.
 * Any thread; once per graph.  The runtime keeps the graph alive (and
 * df_runtime_run() running) until it ends. */
DF_API void      df_graph_start (DfGraph *graph, DfGraphDoneFunc done,
                                 gpointer user_data);
/* Starts the graph and waits for its end (see df_runtime_wait()). */
DF_API gboolean  df_graph_run   (DfGraph *graph, GError **error);

/* Stops the start nodes (pending ticks are dropped, running start
 * invocations see their cancellables cancelled) and lets the queued work
 * finish; the graph then ends normally.  Any thread. */
DF_API void      df_graph_drain  (DfGraph *graph);
/* Drops every queued item (counted), cancels what runs, and ends the
 * graph with DF_ERROR_CANCELLED once the running invocations have
 * returned.  Any thread.  df_runtime_cancel_all() cancels every graph. */
DF_API void      df_graph_cancel (DfGraph *graph);
DF_API gboolean  df_graph_is_finished (DfGraph *graph);
DF_API const char *df_graph_get_name  (DfGraph *graph);
DF_API DfRuntime  *df_graph_get_runtime (DfGraph *graph);

/* Generated NAME_emit(): hands one item (emit_size bytes; its owned
 * fields pass to the runtime; the struct itself stays the caller's) from
 * the stage running with @ctx to every destination of its node.
 *  - sync node: never waits; items that find a destination queue full
 *    wait in the node's overflow, and the node takes no new input until
 *    it is empty.
 *  - blocking node: any worker thread; waits while the node's outbox
 *    (1024 items) is full, i.e. until the destinations have room.
 *  - async node: any thread, until the call completes; never waits
 *    (buffered like a sync node's overflow).
 * After the graph has halted or been cancelled the item is dropped. */
DF_API void      df_graph_emit (DfContext *ctx, gpointer item);

/* The graph's In struct (inputs_size bytes, as given to df_graph_new())
 * for a call of one of its nodes, or NULL when @call is not a graph
 * node's: generated trampolines read a node's graph-input bindings
 * (`p = path`) from it.  Any thread, while the call runs. */
DF_API gconstpointer df_call_get_graph_inputs (DfCall *call);
/* The graph a stage runs in (@ctx as the stage received it), or NULL
 * outside graphs: a stage may df_graph_drain() its own graph.  Any
 * thread, while the call runs. */
DF_API DfGraph      *df_context_get_graph     (DfContext *ctx);
/* The state of the node task running the stage (what its `state (T)`
 * open function made), or NULL: outside graphs, or for a stage without
 * state.  Any thread, while the call runs. */
DF_API gpointer      df_context_get_state     (DfContext *ctx);

/* ----------------------------------------------------------- statistics */

/* One node's counters; each field read atomically (any thread).  Every
 * input a node receives ends as exactly one of ok, err or dropped, so once
 * the graph has ended   in == ok + err + dropped   at every node (while it
 * runs, queued and in_flight make up the rest).  A start node's inputs
 * are its invocations (ticks); a `zip` source item that never completes a
 * row counts as one input of the destination, dropped. */
typedef struct {
  const char *name;
  gint64      in;         /* inputs received */
  gint64      out;        /* items emitted */
  gint64      ok;         /* inputs whose invocation succeeded */
  gint64      err;        /* inputs whose invocation failed (after retries) */
  gint64      dropped;    /* inputs discarded unprocessed (halt, cancel,
                             drain, zip leftovers, coalesced ticks) */
  gint64      retries;    /* attempts repeated by `retry` */
  gint64      queued;     /* in the input queue now */
  gint64      queue_max;  /* high-water mark of the input queue */
  gint64      queue_size; /* its bound */
  gint64      in_flight;  /* inputs in running invocations */
  gint64      errors;     /* failed attempts, retried ones included
                             (a batch is one) */
  gint64      redelivered; /* remote node: inputs a stopped consumer had
                              taken, handled here again */
} DfGraphNodeStats;

DF_API guint       df_graph_get_n_nodes    (DfGraph *graph);
DF_API const char *df_graph_get_node_name  (DfGraph *graph, guint node);
/* The node's index, or -1. */
DF_API gint        df_graph_find_node      (DfGraph *graph, const char *name);
/* The node has no incoming edge: its inputs are its invocations, made
 * from the graph's inputs, so a failed one (its `err`) is input lost. */
DF_API gboolean    df_graph_node_is_start  (DfGraph *graph, guint node);
/* Any thread. */
DF_API void        df_graph_get_node_stats (DfGraph *graph, guint node,
                                            DfGraphNodeStats *out);

/* The last max_errors errors of a node, oldest first: @time is wall-clock
 * microseconds (g_get_real_time()), @error borrowed for the call.  Any
 * thread. */
typedef void (*DfGraphErrorFunc) (guint node, gint64 time, const GError *error,
                                  gpointer user_data);
DF_API void        df_graph_foreach_error  (DfGraph *graph, guint node,
                                            DfGraphErrorFunc func,
                                            gpointer user_data);

/* A table, one line per node: "node in out ok err dropped retries queued
 * max/size", then each node's last error.  Newly allocated; any thread. */
DF_API char       *df_graph_format_stats   (DfGraph *graph);

typedef void (*DfGraphStatsFunc) (DfGraph *graph, gpointer user_data);
/* Calls @func (NULL: print df_graph_format_stats() to stderr) every
 * @interval while the graph runs (0 stops).  Runtime thread. */
DF_API void        df_graph_set_stats_interval (DfGraph *graph, GTimeSpan interval,
                                                DfGraphStatsFunc func,
                                                gpointer user_data);

/* ----------------------------------------------------------------- cron */

/* A five-field cron expression: minute hour day-of-month month
 * day-of-week; each field `*`, numbers, ranges `a-b`, steps `*` + "/n" or
 * `a-b/n`, lists `a,b`; month and day names (jan, mon); day of week 0-7
 * (0 and 7 are Sunday).  When both day fields are restricted, a day
 * matching either runs (Vixie cron).  Bad input: DF_ERROR_USAGE. */
typedef struct _DfCron DfCron;

DF_API DfCron    *df_cron_parse (const char *expr, GError **error);
DF_API void       df_cron_free  (DfCron *cron);
/* The first matching minute strictly after @after (same time zone), or
 * NULL if none in the next 8 years (e.g. "0 0 30 2 *"). */
DF_API GDateTime *df_cron_next  (const DfCron *cron, GDateTime *after);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DfGraph, df_graph_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DfCron, df_cron_free)

/* --------------------------------------------------------- remote nodes */

/* How the items of remote nodes cross processes (dfscale implements it on
 * Redis streams).  Every function runs on the runtime thread. */
typedef struct {
  /* The stream of remote node @node: written to when @write (a node that
   * feeds it runs here), read from when @read (it runs here).  Returns
   * the stream's handle, or NULL with @error. */
  gpointer (*open)        (gpointer data, DfGraph *graph, guint node, gboolean write,
                           gboolean read, GError **error);
  /* One entry into the stream; FALSE when it is full from now on (say
   * df_graph_remote_room () when it has room again). */
  gboolean (*send)        (gpointer data, gpointer stream, const DfFields *fields);
  /* Up to @n entries are wanted: df_graph_remote_push () each, then
   * df_graph_remote_pushed () once. */
  void     (*want)        (gpointer data, gpointer stream, guint n);
  /* The entry pushed with @token is over: handled (acknowledge it) or
   * not (a halt dropped it: leave it for another consumer). */
  void     (*done)        (gpointer data, gpointer stream, gpointer token, gboolean handled);
  /* Nothing more is written into the stream from this process. */
  void     (*end_writing) (gpointer data, gpointer stream);
  /* The graph has ended. */
  void     (*close)       (gpointer data, gpointer stream);
} DfGraphTransport;

/* Before df_graph_start (): the remote nodes' items go through @transport
 * (@data its state, borrowed). */
DF_API void     df_graph_set_transport   (DfGraph *graph, const DfGraphTransport *transport,
                                          gpointer data);
/* Before df_graph_start (): only these nodes run in this process (NULL:
 * all).  FALSE with @error for a name that is no node, and for an edge
 * between a node that runs here and one that does not unless its
 * destination is remote. */
DF_API gboolean df_graph_set_local_nodes (DfGraph *graph, const char *const *names,
                                          GError **error);
/* The transport's side. */
DF_API void     df_graph_remote_push     (DfGraph *graph, guint node, const DfFields *fields,
                                          gpointer token, gboolean redelivered);
DF_API void     df_graph_remote_pushed   (DfGraph *graph, guint node);
DF_API void     df_graph_remote_room     (DfGraph *graph, guint node);
/* The stream's input has ended (every writer ended, every entry read), or
 * the transport failed (@error: the graph halts with it). */
DF_API void     df_graph_remote_ended    (DfGraph *graph, guint node, const GError *error);

G_END_DECLS
