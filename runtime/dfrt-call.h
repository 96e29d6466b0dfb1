/* dfrt-call.h — what a stage implementation calls.
 *
 * Sync and blocking stages receive a DfContext; async stages receive a
 * DfCall and finish it exactly once, from any thread, through the
 * generated NAME_return() function, df_call_complete() (no outputs) or
 * df_call_fail().
 */
#pragma once

#include "dfrt-types.h"

G_BEGIN_DECLS

/* Ends the call successfully.  For stages without outputs; stages with
 * outputs use their generated NAME_return().  Any thread, exactly once: a
 * second completion is reported with g_critical() and ignored. */
DF_API void          df_call_complete         (DfCall *call);

/* Ends the call with @error (transfer full; NULL means "failed without a
 * reason" and becomes DF_ERROR_STAGE_FAILED).  Any thread, exactly once. */
DF_API void          df_call_fail             (DfCall *call, GError *error);
DF_API void          df_call_fail_literal     (DfCall *call, GQuark domain,
                                               gint code, const char *message);
DF_API void          df_call_failf            (DfCall *call, GQuark domain,
                                               gint code, const char *format,
                                               ...) G_GNUC_PRINTF (4, 5);

/* Cancelled when this call is no longer wanted: it timed out, or its flow
 * failed or was cancelled.  Created on first use; owned by the call (valid
 * until the call is completed; ref it to keep it longer).  Any thread. */
DF_API GCancellable *df_call_get_cancellable  (DfCall *call);

/* The context of the call (the same value a sync stage receives). */
DF_API DfContext    *df_call_get_context      (DfCall *call);
/* Shortcut for df_context_get_user_data (df_call_get_context (call)). */
DF_API gpointer      df_call_get_user_data    (DfCall *call);
/* The name of the stage being called ("fetch"). */
DF_API const char   *df_call_get_stage_name   (DfCall *call);

/* The user data given when the flow was started (generated NAME_start()). */
DF_API gpointer      df_context_get_user_data   (DfContext *ctx);
/* Cancelled when the work of @ctx is no longer wanted: for a blocking stage
 * the call's cancellable, for a sync stage the flow's.  Any thread. */
DF_API GCancellable *df_context_get_cancellable (DfContext *ctx);
DF_API DfRuntime    *df_context_get_runtime     (DfContext *ctx);
/* The stage being called, or NULL for a sync stage's flow context. */
DF_API const char   *df_context_get_stage_name  (DfContext *ctx);

G_END_DECLS
