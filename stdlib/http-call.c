/* http-call.c — an async stage's request: sent under its call's
 * cancellable (cancelled by a time-out, a drain, a halt or a cancel),
 * its outcome handed to the stage's function that ends the call. */
#include "dfstd.h"
#include "http-fetch.h"
#include "http-request.h"

typedef struct {
  DfCall           *call;
  char             *what;
  DfstdHttpBodyFunc done;
} CallSend;

static void
call_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  CallSend *send = data;
  gsize length = 0;
  gboolean transient;
  GError *error = NULL;
  char *body = dfstd_http_fetch_finish (result, &length, &transient, &error);
  send->done (send->call, send->what, body, length, error);
  g_free (send->what);
  g_free (send);
}

void
dfstd_http_call_send (DfCall *call, SoupMessage *message, const char *what,
                      DfstdHttpBodyFunc done)
{
  CallSend *send = g_new (CallSend, 1);
  send->call = call;
  send->what = g_strdup (what);
  send->done = done;
  DfRuntime *rt = df_context_get_runtime (df_call_get_context (call));
  GError *error = NULL;
  /* The call's cancellable lives until the call ends, which is after the
   * fetch: GTask and libsoup hold their own references meanwhile. */
  if (!dfstd_http_fetch_async (rt, message, what, DFSTD_HTTP_MAX_BODY,
                               df_call_get_cancellable (call), call_fetched, send, &error))
    {
      done (call, what, NULL, 0, error);
      g_free (send->what);
      g_free (send);
    }
  g_object_unref (message);
}
