/* http-fetch.h — requests on the runtime's one SoupSession, on the
 * runtime thread: the session (http-session.c), a request sent and its
 * body read with a bound (http-fetch.c), and an async stage's call ended
 * by one (http-call.c). */
#pragma once

#include <libsoup/soup.h>

#include "http.h"

G_BEGIN_DECLS

/* The one SoupSession of @rt, made at its first request and freed with
 * the runtime.  Runtime thread. */
SoupSession *dfstd_http_session (DfRuntime *rt);

/* Sends @message on @rt's session and reads its body, of at most
 * @max_body bytes, asynchronously on @rt's context; @callback runs there
 * too.  FALSE, and no callback, when @rt's context is not the calling
 * thread's thread-default one (where libsoup would deliver).  Runtime
 * thread. */
gboolean dfstd_http_fetch_async (DfRuntime *rt, SoupMessage *message, const char *what,
                                 gsize max_body, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data,
                                 GError **error);

/* The body of a 2xx response: valid UTF-8 without a NUL, NUL-terminated
 * (its length in @length), owned.  NULL with an error that starts with
 * "what: " otherwise (a cancellation as GIO gave it); *@transient is set
 * to whether asking again may help: a transport error or a 5xx status. */
char *dfstd_http_fetch_finish (GAsyncResult *result, gsize *length, gboolean *transient,
                               GError **error);

/* What an async stage does with a fetched body: completes @call (its
 * NAME_return () or df_call_fail ()).  @body (owned) is NULL and @error
 * set (transfer full) on failure.  Runtime thread. */
typedef void (*DfstdHttpBodyFunc) (DfCall *call, const char *what, char *body, gsize length,
                                   GError *error);

/* Sends @message (transfer full) for the async stage @call, under its
 * cancellable, and gives the outcome to @done, which ends the call. */
void dfstd_http_call_send (DfCall *call, SoupMessage *message, const char *what,
                           DfstdHttpBodyFunc done);

G_END_DECLS
