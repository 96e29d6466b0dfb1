/* dfrt-stats.h — per-stage counters.
 *
 * Generated code declares one static DfStageStats per stage (struct in
 * dfrt-gen.h); the runtime registers it on first use.  Counters are
 * process-wide, updated with relaxed atomics (no lock on the hot path) and
 * may be read from any thread.
 */
#pragma once

#include "dfrt-types.h"

G_BEGIN_DECLS

/* A consistent-enough copy of one stage's counters (each field is read
 * atomically; the set is not a snapshot under a lock). */
typedef struct {
  const char *name;
  gint64      calls;       /* invocations started */
  gint64      failures;    /* ended with an error, including timeouts */
  gint64      timeouts;    /* abandoned by `timeout` */
  gint64      in_flight;   /* started and not yet returned */
  gint64      time_us;     /* total time in the stage, when timing is on */
} DfStageStatsValues;

DF_API void df_stage_stats_get    (const DfStageStats *stats,
                                   DfStageStatsValues *out);

typedef void (*DfStatsForeachFunc) (const DfStageStatsValues *values,
                                    gpointer user_data);

/* Every registered stage, in order of registration; any thread. */
DF_API void  df_stats_foreach     (DfStatsForeachFunc func, gpointer user_data);
/* A table of every registered stage (newly allocated, one line each,
 * "stage calls failures timeouts in_flight avg_us"). */
DF_API char *df_stats_format      (void);
/* Measure time spent in stages (two clock reads per call); off by
 * default. */
DF_API void  df_stats_set_timing  (gboolean enabled);
/* Prints df_stats_format() to stderr every @interval (0 stops); the
 * printing does not keep df_runtime_run() alive.  Runtime thread. */
DF_API void  df_runtime_log_stats (DfRuntime *rt, GTimeSpan interval);

/* What the runtime itself did, for tests and benchmarks: proof that work
 * is batched (tasks_run / ready_dispatches) and that cross-thread
 * completions share wake-ups (wakeups vs. completions). */
typedef struct {
  guint64 tasks_run;          /* ready-list tasks run */
  guint64 ready_dispatches;   /* dispatches of the ready-list source */
  guint64 wakeups;            /* loop wake-ups by other threads */
  guint64 timers_fired;
  guint64 timer_dispatches;   /* dispatches of the timer source */
  guint   workers_started;    /* worker threads started so far */
} DfRuntimeCounters;

/* Runtime thread (or while nobody runs the loop). */
DF_API void df_runtime_get_counters (DfRuntime *rt, DfRuntimeCounters *out);

G_END_DECLS
