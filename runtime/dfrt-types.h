/* dfrt-types.h — the names every dfrt header shares.
 *
 * Forward declarations, callback types and the export macro.  Include "dfrt.h"
 * rather than this file.
 */
#pragma once

#include <glib.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* The library is built with hidden visibility: only what is marked DF_API
 * is exported from libdfrt.so. */
#if defined(__GNUC__) || defined(__clang__)
#define DF_API __attribute__ ((visibility ("default")))
#else
#define DF_API
#endif

typedef struct _DfRuntime    DfRuntime;
typedef struct _DfContext    DfContext;
typedef struct _DfCall       DfCall;
typedef struct _DfFrame      DfFrame;
typedef struct _DfTask       DfTask;
typedef struct _DfTimer      DfTimer;
typedef struct _DfLimit      DfLimit;
typedef struct _DfStageStats DfStageStats;
typedef struct _DfSupervisor DfSupervisor;

G_END_DECLS
