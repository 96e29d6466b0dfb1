/* http-fetch.c — one request on the runtime's session: sent, its status
 * checked, its body read into memory with a bound and checked to be
 * text, all asynchronously on the runtime's context.
 *
 * libsoup's soup_session_send_and_read_async () reads whatever the server
 * sends; a stage must not let a bad server fill the memory, so the body is
 * read here in chunks and refused past @max_body (at once when its
 * Content-Length says so).
 *
 * A body the fetch gave up on must not be read after all: libsoup closes
 * an unfinished response stream by skipping the rest of the body (to keep
 * the connection), unless the message's I/O is cancelled.  So libsoup gets
 * a cancellable of the fetch's own, cancelled with the caller's and when
 * the fetch gives up early (a status other than 2xx, a body past the
 * bound): the connection is dropped, whatever the server still sends.
 *
 * GIO and libsoup deliver each callback in the thread-default context of
 * the thread that started the operation, also the operations libsoup
 * starts from its own callbacks: the runtime's context must be the
 * runtime thread's thread-default one (it is, for a runtime on the global
 * default context, unless another context was pushed).  Pushing it around
 * our own calls would not reach libsoup's, so a request is refused with
 * an error that says so rather than left waiting on a context nobody
 * iterates. */
#include "dfstd.h"
#include "http-fetch.h"
#include "http-request.h"

#define READ_CHUNK (64 * 1024)

typedef struct {
  SoupMessage  *message;
  char         *what;
  GCancellable *caller;     /* the stage's (may be NULL) */
  GCancellable *own;        /* libsoup's: cancelled with @caller, or to give up */
  gulong        linked;     /* @caller's handler that cancels @own */
  gsize         max_body;
  GInputStream *stream;     /* the response body, once sent */
  char         *body;       /* what was read, then room for the next read */
  gsize         capacity;   /* of @body: at most max_body + 1 */
  gsize         length;     /* bytes of @body read */
  goffset       declared;   /* the Content-Length, or -1 */
  gboolean      transient;  /* the failure may pass if asked again */
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *f = data;
  /* Read to its end, or given up with fetch_fail (). */
  g_clear_object (&f->stream);
  g_cancellable_disconnect (f->caller, f->linked);
  g_clear_object (&f->caller);
  g_object_unref (f->own);
  g_free (f->body);
  g_object_unref (f->message);
  g_free (f->what);
  g_free (f);
}

static void
fetch_fail (GTask *task, GError *error, gboolean transient)
{
  Fetch *f = g_task_get_task_data (task);
  f->transient = transient && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The rest of the body, if any, is not read: the stream is dropped
   * with the message's I/O cancelled, so its close reads nothing more. */
  g_cancellable_cancel (f->own);
  g_clear_object (&f->stream);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* "64 MiB", or "1234 bytes" when not a whole number of MiB (plain ASCII:
 * g_format_size () puts a no-break space before the unit). */
static char *
describe_size (gsize bytes)
{
  const gsize mib = 1024 * 1024;
  if (bytes >= mib && bytes % mib == 0)
    return g_strdup_printf ("%" G_GSIZE_FORMAT " MiB", bytes / mib);
  return g_strdup_printf ("%" G_GSIZE_FORMAT " bytes", bytes);
}

static void fetch_read (GObject *source, GAsyncResult *result, gpointer data);

/* Room for @room more bytes: doubling, but never past max_body + 1 (what
 * the reads ask for at most), so a body near the bound takes no more
 * than the bound. */
static void
ensure_room (Fetch *f, gsize room)
{
  if (f->length + room <= f->capacity)
    return;
  f->capacity = MIN (MAX (f->capacity * 2, f->length + room), f->max_body + 1);
  f->body = g_realloc (f->body, f->capacity);
}

static void
fetch_read_next (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  /* At most one byte past the bound: enough to know it was passed. */
  gsize room = MIN (READ_CHUNK, f->max_body + 1 - f->length);
  /* And no more than the declared length and one byte (the read that
   * finds the end): a small answer keeps a small buffer, where asking for
   * a whole chunk each time grew every buffer to 64 KiB and back (glibc
   * then trimmed and re-faulted its heap under eight requests at once). */
  if (f->declared >= 0 && f->length <= (gsize) f->declared)
    room = MIN (room, (gsize) f->declared + 1 - f->length);
  ensure_room (f, room);
  g_input_stream_read_async (f->stream, f->body + f->length, room, G_PRIORITY_DEFAULT,
                             f->own, fetch_read, task);
}

/* The whole body is in: it must be text, and is handed over with a NUL
 * after it (the last read's room holds it). */
static void
fetch_finish_body (GTask *task)
{
  Fetch *f = g_task_get_task_data (task);
  const char *end;
  if (!g_utf8_validate_len (f->body, f->length, &end))
    {
      fetch_fail (task, g_error_new (DFSTD_HTTP_ERROR, 0,
                                     "%s: the body is not valid UTF-8 text (byte %" G_GSIZE_FORMAT ")",
                                     f->what, (gsize) (end - f->body)),
                  FALSE);
      return;
    }
  f->body[f->length] = '\0';
  g_task_return_pointer (task, g_realloc (g_steal_pointer (&f->body), f->length + 1), g_free);
  g_object_unref (task);
}

static void
fetch_read (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Fetch *f = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n < 0)
    {
      /* The connection broke while the body came: a transport error. */
      fetch_fail (task, dfstd_http_error_prefix (error, f->what), TRUE);
      return;
    }
  f->length += n;
  if (f->length > f->max_body)
    {
      g_autofree char *limit = describe_size (f->max_body);
      fetch_fail (task, g_error_new (DFSTD_HTTP_ERROR, 0, "%s: the body is larger than %s",
                                     f->what, limit),
                  FALSE);
      return;
    }
  if (n == 0)
    fetch_finish_body (task);
  else
    fetch_read_next (task);
}

/* The response's headers are in: a status other than 2xx fails at once
 * (its body is not read), as does a Content-Length past the bound. */
static void
fetch_sent (GObject *source, GAsyncResult *result, gpointer data)
{
  GTask *task = data;
  Fetch *f = g_task_get_task_data (task);
  GError *error = NULL;
  f->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (f->stream == NULL)
    {
      fetch_fail (task, dfstd_http_error_prefix (error, f->what), TRUE);
      return;
    }
  guint status = soup_message_get_status (f->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      fetch_fail (task, dfstd_http_status_error (f->message, f->what), status >= 500);
      return;
    }
  SoupMessageHeaders *headers = soup_message_get_response_headers (f->message);
  goffset declared = -1;
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    declared = soup_message_headers_get_content_length (headers);
  if (declared > (goffset) f->max_body)
    {
      g_autofree char *size = describe_size ((gsize) declared);
      g_autofree char *limit = describe_size (f->max_body);
      fetch_fail (task, g_error_new (DFSTD_HTTP_ERROR, 0,
                                     "%s: the body of %s is larger than %s",
                                     f->what, size, limit),
                  FALSE);
      return;
    }
  /* A declared length is taken at its word for the first allocation
   * (bounded above); the reads then find out. */
  f->declared = declared;
  ensure_room (f, declared >= 0 ? (gsize) declared + 1 : READ_CHUNK);
  fetch_read_next (task);
}

/* The runtime's context is where this thread's callbacks go. */
static gboolean
check_context (DfRuntime *rt, const char *what, GError **error)
{
  GMainContext *current = g_main_context_ref_thread_default ();
  gboolean ok = current == df_runtime_get_context (rt);
  g_main_context_unref (current);
  if (!ok)
    g_set_error (error, DFSTD_HTTP_ERROR, 0,
                 "%s: the runtime's GMainContext is not the thread-default context of "
                 "the thread that runs it (g_main_context_push_thread_default ())", what);
  return ok;
}

static void
cancel_own (GCancellable *caller, gpointer own)
{
  g_cancellable_cancel (own);
}

gboolean
dfstd_http_fetch_async (DfRuntime *rt, SoupMessage *message, const char *what,
                        gsize max_body, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data, GError **error)
{
  if (!check_context (rt, what, error))
    return FALSE;
  Fetch *f = g_new0 (Fetch, 1);
  f->declared = -1;
  f->message = g_object_ref (message);
  f->what = g_strdup (what);
  f->max_body = max_body;
  f->own = g_cancellable_new ();
  if (cancellable != NULL)
    {
      f->caller = g_object_ref (cancellable);
      /* Runs cancel_own () at once if @cancellable is cancelled already. */
      f->linked = g_cancellable_connect (cancellable, G_CALLBACK (cancel_own), f->own, NULL);
    }
  /* The task checks the caller's cancellable, not ours: giving up early
   * cancels ours, and the error must be the reason, not a cancellation. */
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, dfstd_http_fetch_async);
  g_task_set_task_data (task, f, fetch_free);
  soup_session_send_async (dfstd_http_session (rt), message, G_PRIORITY_DEFAULT, f->own,
                           fetch_sent, task);
  return TRUE;
}

char *
dfstd_http_fetch_finish (GAsyncResult *result, gsize *length, gboolean *transient,
                         GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  GTask *task = G_TASK (result);
  Fetch *f = g_task_get_task_data (task);
  *length = f->length;
  *transient = f->transient;
  return g_task_propagate_pointer (task, error);
}
