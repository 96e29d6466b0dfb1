/* dfrt-main.h — helpers for standalone programs (the generated main()).
 *
 *  - typed --name=value options with --help and exit status 2 on bad usage;
 *  - SIGINT/SIGTERM: the first cancels gracefully, the second exits;
 *  - a supervisor restarting a failed run with exponential back-off.
 */
#pragma once

#include "dfrt-types.h"

G_BEGIN_DECLS

/* Exit statuses of standalone programs. */
#define DF_EXIT_OK     0   /* every run succeeded */
#define DF_EXIT_FAILED 1   /* a run failed */
#define DF_EXIT_USAGE  2   /* bad command line */

/* ---------------------------------------------------------------- options */

typedef enum {
  DF_OPTION_INT,        /* gint64 *, checked against min/max when they differ */
  DF_OPTION_UINT,       /* guint64 *, checked against umax when it is not 0 */
  DF_OPTION_DOUBLE,     /* double *: finite */
  DF_OPTION_FLOAT,      /* double *: finite and within a float's range */
  DF_OPTION_BOOL,       /* gboolean *: --x, --no-x, --x=true|false */
  DF_OPTION_STRING,     /* const char **: points into argv, nothing to free */
  DF_OPTION_DURATION,   /* GTimeSpan *: 250ms, 2s, 5m, 1h, 10us, or 0 */
} DfOptionType;

/**
 * DfOption:
 * @name: the option without its dashes ("path" for --path=FILE)
 * @type: how to parse the value
 * @value: where to store it; holds the default on entry
 * @arg: the placeholder in --help ("FILE"); NULL for a default per type
 * @description: one line for --help (nullable)
 * @required: a missing required option is a usage error
 * @min: (DF_OPTION_INT) the smallest value accepted, when @min < @max
 * @max: (DF_OPTION_INT) the largest value accepted
 * @umax: (DF_OPTION_UINT) the largest value accepted; 0: G_MAXUINT64
 * @seen: (out) set when the option was given
 *
 * The command line these describe is documented in docs/cli.md.
 */
typedef struct {
  const char  *name;
  DfOptionType type;
  gpointer     value;
  const char  *arg;
  const char  *description;
  gboolean     required;
  gint64       min;
  gint64       max;
  guint64      umax;
  gboolean     seen;
} DfOption;

typedef enum {
  DF_MODE_ASYNC,        /* queued delivery (the default) */
  DF_MODE_SYNC,         /* depth-first, one item at a time, deterministic */
} DfMode;

/* The options every standalone program has, besides its inputs. */
typedef struct {
  gboolean  stats;            /* --stats: print statistics at the end */
  GTimeSpan stats_interval;   /* --stats-interval=SECS (or a duration): 0 or 1ms..24h */
  DfMode    mode;             /* --mode=sync|async */
  gint64    workers;          /* --workers=N (0: the runtime's default) */
  gboolean  quiet;            /* --quiet: no log of skipped or retried failures */
} DfStandardOptions;

/* Parses @argv (not modified) into @options and @standard (nullable).
 * Returns FALSE with DF_ERROR_USAGE on bad usage: an unknown, repeated or
 * malformed option, a value out of range, an argument that is no option
 * (after "--" too), or missing required options (all named in one
 * message).  --help sets *help and returns TRUE without checking required
 * options. */
DF_API gboolean df_options_parse   (DfOption *options, gsize n_options,
                                    DfStandardOptions *standard,
                                    int argc, char **argv,
                                    gboolean *help, GError **error);
/* The --help text (newly allocated). */
DF_API char    *df_options_help    (const char *program, const char *summary,
                                    const DfOption *options, gsize n_options,
                                    gboolean with_standard);
/* df_options_parse(), then: --help prints the help to stdout and exits 0;
 * bad usage prints "PROGRAM: MESSAGE" and a hint to stderr and exits 2.
 * PROGRAM is the base name of argv[0]; it also becomes g_get_prgname ()
 * (when unset), so that the runtime's own messages start with it. */
DF_API void     df_options_parse_or_exit (const char *summary,
                                          DfOption *options, gsize n_options,
                                          DfStandardOptions *standard,
                                          int argc, char **argv);

/* Parses a duration literal ("250ms", "2s", "5m", "1h", "10us", "0").
 * With @bare_seconds a plain number ("1.5") counts as seconds. */
DF_API gboolean df_parse_duration  (const char *text, gboolean bare_seconds,
                                    GTimeSpan *out);

/* ------------------------------------------------------------------ clock */

/* DF_VIRTUAL_CLOCK in the environment puts @rt on an auto-advancing
 * virtual clock (df_runtime_set_virtual_clock()), so a whole program's
 * timing can be tested in milliseconds: "1" starts it at the current
 * time, an ISO 8601 date-time with a zone ("2026-01-01T00:00:00Z") at that
 * time; unset, empty or "0" leaves the real clock.  Anything else is
 * DF_ERROR_USAGE.  Right after df_runtime_new(). */
DF_API gboolean df_runtime_clock_from_env (DfRuntime *rt, GError **error);

/* ---------------------------------------------------------------- signals */

/* Called on the first SIGINT/SIGTERM, on the runtime thread. */
typedef void (*DfSignalFunc) (DfRuntime *rt, int signum, gpointer user_data);

/* Watches SIGINT and SIGTERM on the runtime's context.  The first signal
 * prints a note to stderr and calls @func (NULL: df_runtime_cancel_all());
 * the second exits the process at once with status 128 + signum.  The watch
 * ends with the runtime.  Runtime thread; once per runtime. */
DF_API void df_runtime_watch_signals (DfRuntime *rt, DfSignalFunc func,
                                      gpointer user_data);

/* ------------------------------------------------------------- supervisor */

/* Starts one run; the run must end with df_supervisor_run_finished(). */
typedef void (*DfSupervisorStartFunc)  (DfSupervisor *sup, gpointer user_data);
/* The supervisor is done: the run succeeded (@error NULL), the restarts
 * were used up, or the runtime is stopping. */
typedef void (*DfSupervisorDoneFunc)   (DfSupervisor *sup, const GError *error,
                                        gpointer user_data);
/* A run failed; the supervisor restarts it after @delay (@delay < 0: it
 * gives up).  @restart counts from 1. */
typedef void (*DfSupervisorReportFunc) (DfSupervisor *sup, const GError *error,
                                        guint restart, GTimeSpan delay,
                                        gpointer user_data);

/* Everything on the runtime thread.  The supervisor holds the runtime
 * (df_runtime_hold()) from df_supervisor_start() until it is done. */
DF_API DfSupervisor *df_supervisor_new      (DfRuntime *rt, const char *name,
                                             DfSupervisorStartFunc start,
                                             gpointer user_data);
DF_API void          df_supervisor_free     (DfSupervisor *sup);
/* Back-off: @initial after the first failure, doubling up to @max.
 * Default 1s..60s.  A run that lasted at least @max resets it. */
DF_API void          df_supervisor_set_backoff  (DfSupervisor *sup,
                                                 GTimeSpan initial,
                                                 GTimeSpan max);
/* At most @max restarts (0, the default: no limit). */
DF_API void          df_supervisor_set_max_restarts (DfSupervisor *sup,
                                                     guint max);
/* `on error skip halt after N`: give up after @max failures in a row (0, the
 * default: no limit).  A round finished by a `repeat` or `every` flow of
 * the run (df_frame_round_done) ends the row. */
DF_API void          df_supervisor_set_max_failures_in_row (DfSupervisor *sup,
                                                            guint max);
DF_API guint         df_supervisor_get_failures_in_row     (DfSupervisor *sup);
DF_API void          df_supervisor_set_done_func   (DfSupervisor *sup,
                                                    DfSupervisorDoneFunc func,
                                                    gpointer user_data);
/* Default: one line per failure to the runtime's log (df_runtime_log():
 * rate-limited, silenced by df_runtime_set_quiet()),
 * "NAME: run failed: MESSAGE; restart N in 2s". */
DF_API void          df_supervisor_set_report_func (DfSupervisor *sup,
                                                    DfSupervisorReportFunc func,
                                                    gpointer user_data);
DF_API void          df_supervisor_start        (DfSupervisor *sup);
DF_API void          df_supervisor_run_finished (DfSupervisor *sup,
                                                 const GError *error);
DF_API guint         df_supervisor_get_restarts (DfSupervisor *sup);
DF_API const char   *df_supervisor_get_name     (DfSupervisor *sup);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DfSupervisor, df_supervisor_free)

G_END_DECLS
