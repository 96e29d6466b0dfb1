/* http-pages.c — http_pages (std/http.df): a paged JSON API, page after
 * page until an empty array, emitted from a worker thread.
 *
 * The stage is a blocking generator so that its emit can wait while the
 * node's consumers are full (memory stays bounded however many pages
 * there are), yet its requests go through the runtime's one session on
 * the runtime's context like every other: each page is handed to the
 * runtime thread (on the runtime's ready list) and the worker waits for
 * its body.  The request runs
 * under the node's cancellable, so a drain, a halt or a cancel ends the
 * wait with the request's G_IO_ERROR_CANCELLED, which the runtime takes
 * for the end of the input.  The body is parsed on the worker: the page
 * it emits is a tree no other thread has seen.
 *
 * The hand-overs use pthread mutexes and conditions, as dfrt does, so
 * that ThreadSanitizer sees them. */
#include "dfstd.h"
#include "http-fetch.h"
#include "http-request.h"
#include "json-describe.h"

#include <pthread.h>

#define BACKOFF_FIRST (100 * G_TIME_SPAN_MILLISECOND)
#define BACKOFF_MAX   (10 * G_TIME_SPAN_SECOND)

/* One page's request, handed from the worker to the runtime thread.  The
 * worker waits until @done, so the inputs stay borrowed from it; the
 * outputs are the runtime thread's until it sets @done under the lock. */
typedef struct {
  DfTask          task;       /* on the runtime's ready list: page_send () */
  pthread_mutex_t lock;
  pthread_cond_t  cond;
  gboolean        done;
  /* in */
  DfRuntime      *rt;
  const char     *url;
  const char     *query;
  const char     *headers;
  GCancellable   *cancellable;
  /* out */
  char           *what;
  char           *body;
  gboolean        transient;
  GError         *error;
} PageRequest;

/* Runtime thread: the last touch of @request before the worker owns it. */
static void
page_done (PageRequest *request, char *body, gboolean transient, GError *error)
{
  pthread_mutex_lock (&request->lock);
  request->body = body;
  request->transient = transient;
  request->error = error;
  request->done = TRUE;
  pthread_cond_signal (&request->cond);
  pthread_mutex_unlock (&request->lock);
}

static void
page_fetched (GObject *source, GAsyncResult *result, gpointer data)
{
  gsize length;
  gboolean transient;
  GError *error = NULL;
  char *body = dfstd_http_fetch_finish (result, &length, &transient, &error);
  page_done (data, body, transient, error);
}

/* Runtime thread, from the runtime's ready list: builds the request and
 * sends it. */
static void
page_send (DfTask *task)
{
  PageRequest *request = (PageRequest *) task;
  GError *error = NULL;
  char *what = NULL;
  SoupMessage *message = dfstd_http_request_new ("GET", request->url, request->query,
                                                 request->headers, &what, &error);
  request->what = what;
  if (message == NULL)
    {
      page_done (request, NULL, FALSE, error);
      return;
    }
  dfstd_http_request_default_header (message, "Accept", "application/json");
  if (!dfstd_http_fetch_async (request->rt, message, what, DFSTD_HTTP_MAX_BODY,
                               request->cancellable, page_fetched, request, &error))
    page_done (request, NULL, FALSE, error);
  g_object_unref (message);
}

/* Worker thread: asks the runtime thread for one page's body and waits
 * for it.  The request goes on the runtime's own ready list, as the
 * runtime's completions from other threads do (lock-free, one wake-up
 * per batch).  Not g_main_context_invoke (): from a thread whose default
 * context is the runtime's, it runs the function right there whenever the
 * runtime thread is between two iterations. */
static char *
fetch_body (DfContext *ctx, const char *url, const char *query, const char *headers,
            char **what, gboolean *transient, GError **error)
{
  PageRequest request = {
    .rt = df_context_get_runtime (ctx),
    .url = url, .query = query, .headers = headers,
    .cancellable = df_context_get_cancellable (ctx),
  };
  pthread_mutex_init (&request.lock, NULL);
  pthread_cond_init (&request.cond, NULL);
  df_task_init (&request.task, page_send);
  df_runtime_schedule (request.rt, &request.task);

  pthread_mutex_lock (&request.lock);
  while (!request.done)
    pthread_cond_wait (&request.cond, &request.lock);
  pthread_mutex_unlock (&request.lock);
  pthread_mutex_destroy (&request.lock);
  pthread_cond_destroy (&request.cond);

  *what = request.what;
  *transient = request.transient;
  if (request.error != NULL)
    g_propagate_error (error, request.error);
  return request.body;
}

/* ------------------------------------------------------------ back-off */

/* Sleeps @span, or less when @cancellable is cancelled: FALSE then.  It
 * polls the cancellable's file descriptor, which a cancel makes readable,
 * rather than connecting a handler from this thread: GObject guards its
 * handler lists with a lock ThreadSanitizer cannot see, which libsoup
 * takes on the runtime thread for the same cancellable. */
static gboolean
sleep_unless_cancelled (GCancellable *cancellable, GTimeSpan span)
{
  GPollFD wake;
  if (!g_cancellable_make_pollfd (cancellable, &wake))
    {
      g_usleep ((gulong) span);
      return !g_cancellable_is_cancelled (cancellable);
    }
  gint64 end = g_get_monotonic_time () + span;
  for (;;)
    {
      gint64 left = end - g_get_monotonic_time ();
      if (g_cancellable_is_cancelled (cancellable) || left <= 0)
        break;
      g_poll (&wake, 1, (gint) ((left + 999) / 1000));
    }
  g_cancellable_release_fd (cancellable);
  return !g_cancellable_is_cancelled (cancellable);
}

/* The wait before retry @attempt (from 1): 100 ms, doubling, at most 10 s. */
static GTimeSpan
backoff (int attempt)
{
  GTimeSpan delay = BACKOFF_FIRST;
  for (int i = 1; i < attempt && delay < BACKOFF_MAX; i++)
    delay *= 2;
  return MIN (delay, BACKOFF_MAX);
}

static void
log_retry (DfContext *ctx, const GError *error, int attempt, int retries, GTimeSpan delay)
{
  char buf[32];
  DfGraph *graph = df_context_get_graph (ctx);
  g_autofree char *where = graph ? g_strdup_printf ("graph '%s': ", df_graph_get_name (graph))
                                 : g_strdup ("");
  df_runtime_log (df_context_get_runtime (ctx), "%s: %s%s: %s; retry %d of %d in %s",
                  g_get_prgname () ? g_get_prgname () : "dfstd", where,
                  df_context_get_stage_name (ctx), error->message, attempt, retries,
                  df_format_duration (delay, buf));
}

/* --------------------------------------------------------------- pages */

/* One page, parsed: a transport error or a 5xx is asked again up to
 * @retries times, anything else fails at once.  *@what is set to "GET
 * URL" of the page.  NULL with @error set, a cancellation as the request
 * ended with it. */
static JsonNode *
fetch_page (DfContext *ctx, const char *url, const char *query, const char *headers,
            int retries, char **what, GError **error)
{
  GCancellable *cancellable = df_context_get_cancellable (ctx);
  for (int attempt = 1;; attempt++)
    {
      gboolean transient = FALSE;
      GError *local = NULL;
      g_clear_pointer (what, g_free);
      g_autofree char *body = fetch_body (ctx, url, query, headers, what, &transient, &local);
      if (body != NULL)
        return dfstd_http_parse_json (ctx, *what, body, error);
      if (!transient || attempt > retries)
        {
          g_propagate_error (error, local);
          return NULL;
        }
      /* A drain or halt came meanwhile: no retry, and none logged. */
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_error_free (local);
          return NULL;
        }
      GTimeSpan delay = backoff (attempt);
      log_retry (ctx, local, attempt, retries, delay);
      g_error_free (local);
      if (!sleep_unless_cancelled (cancellable, delay))
        {
          g_cancellable_set_error_if_cancelled (cancellable, error);
          return NULL;
        }
    }
}

static gboolean
check_parameters (const char *page_param, int retries, GError **error)
{
  if (*page_param == '\0')
    {
      g_set_error_literal (error, DFSTD_HTTP_ERROR, 0, "http_pages: page_param is empty");
      return FALSE;
    }
  if (retries < 0)
    {
      g_set_error (error, DFSTD_HTTP_ERROR, 0,
                   "http_pages: retries is %d, not 0 or more", retries);
      return FALSE;
    }
  return TRUE;
}

DFSTD_API gboolean
http_pages (DfContext *ctx, const char *url, const char *query, const char *headers,
            const char *page_param, int first_page, int retries, GError **error)
{
  if (!check_parameters (page_param, retries, error))
    return FALSE;
  for (gint64 page = first_page; page <= G_MAXINT; page++)
    {
      g_autofree char *page_query = *query == '\0'
        ? g_strdup_printf ("%s=%" G_GINT64_FORMAT, page_param, page)
        : g_strdup_printf ("%s&%s=%" G_GINT64_FORMAT, query, page_param, page);
      g_autofree char *what = NULL;
      JsonNode *value = fetch_page (ctx, url, page_query, headers, retries, &what, error);
      if (value == NULL)
        return FALSE;
      if (!JSON_NODE_HOLDS_ARRAY (value))
        {
          g_set_error (error, DFSTD_HTTP_ERROR, 0, "%s: the page is %s, not a JSON array",
                       what, dfstd_json_describe (value));
          json_node_unref (value);
          return FALSE;
        }
      if (json_array_get_length (json_node_get_array (value)) == 0)
        {
          json_node_unref (value);
          return TRUE;
        }
      /* Waits while the node's consumers are full. */
      http_pages_emit (ctx, value);
    }
  g_set_error (error, DFSTD_HTTP_ERROR, 0, "GET %s: past page %d, and still no empty page",
               url, G_MAXINT);
  return FALSE;
}
