/* dfrt-error.h — the DF_ERROR domain. */
#pragma once

#include "dfrt-types.h"

G_BEGIN_DECLS

/**
 * DF_ERROR:
 *
 * The error domain of failures the runtime itself reports.  Errors set by
 * stages keep their own domain and code; the runtime passes them on as they
 * are.
 */
#define DF_ERROR (df_error_quark ())

/**
 * DfError:
 * @DF_ERROR_STAGE_FAILED: a stage returned FALSE without setting an error.
 * @DF_ERROR_DISPATCH: a dynamic table pick found no arm for its key and the
 *   table has no `default`.
 * @DF_ERROR_TIMEOUT: a stage call ran longer than its `timeout`.
 * @DF_ERROR_CANCELLED: the flow was cancelled (by its caller, by a signal, or
 *   because another branch of an enclosing `par` failed).
 * @DF_ERROR_HALTED: a graph stopped at its first failure (`halt_on_error`).
 * @DF_ERROR_USAGE: bad command-line usage (standalone programs), or an API
 *   used in a way its documentation forbids.
 * @DF_ERROR_BAD_ENTRY: a stream entry that does not decode into its
 *   node's item (a field missing or not of its C type).
 *
 * The codes are stable: new ones are only ever added at the end.
 */
typedef enum {
  DF_ERROR_STAGE_FAILED,
  DF_ERROR_DISPATCH,
  DF_ERROR_TIMEOUT,
  DF_ERROR_CANCELLED,
  DF_ERROR_HALTED,
  DF_ERROR_USAGE,
  DF_ERROR_BAD_ENTRY,
} DfError;

DF_API GQuark df_error_quark (void);

/* The error a failed stage call ends with: @error itself when the stage set
 * one (transfer full, returned as is), else a new DF_ERROR_STAGE_FAILED
 * naming @stage.  Never returns NULL. */
DF_API GError *df_error_ensure (GError *error, const char *stage);

/* A new DF_ERROR_DISPATCH error for a dynamic pick of @key in @table. */
DF_API GError *df_error_new_dispatch (const char *table, const char *key);

/* A new DF_ERROR_CANCELLED error. */
DF_API GError *df_error_new_cancelled (void);

/* Writes @span (microseconds) as the shortest exact duration literal:
 * "250ms", "2s", "5m", "1h", "1500us".  @buf needs 32 bytes. */
DF_API const char *df_format_duration (GTimeSpan span, char buf[32]);

G_END_DECLS
