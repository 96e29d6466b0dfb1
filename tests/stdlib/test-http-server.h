/* test-http-server.h — the in-process HTTP server test-http.c runs its
 * graphs and flows against: a SoupServer on 127.0.0.1 at a free port,
 * in the same GMainContext as the runtime, so that every request is
 * served by the iterations the run itself makes (no thread, no network
 * beyond the loopback).
 *
 * Routes:
 *   /text               200, UTF-8 text (TEST_SERVER_TEXT)
 *   /latin1             200, a body that is not UTF-8
 *   /notjson            200, text that is not JSON
 *   /echo               200, JSON: {"method", "query", "x_token", "x_trace", "accept"}
 *   /status/NNN         status NNN
 *   /post               POST only: {"content_type": ..., "got": the JSON body}
 *   /post-empty         POST only: 204, no body
 *   /pages?page=N       page N of test_server_set_pages (), then []
 *   /slow               never answered: the hook runs (a drain, a cancel)
 *   /big-declared       a Content-Length past the 64 MiB bound
 *   /big-stream         more than 64 MiB, chunked
 *   /endless            200, a chunked body that never ends
 *   /endless-500        500, a chunked body that never ends
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define TEST_SERVER_TEXT "plain text\nsecond line: \xc3\xbc" "n\xc3\xaf" "c\xc3\xb6" "d\xc3\xa9"

typedef struct _TestServer TestServer;

/* Listens on 127.0.0.1, port 0, in @context (NULL: the global default). */
TestServer *test_server_new  (GMainContext *context);
void        test_server_free (TestServer *server);

/* "http://127.0.0.1:PORT@path" (newly allocated). */
char *test_server_url (TestServer *server, const char *path);

/* /pages serves @n_pages pages of @per_page items {"id": I, "page": P},
 * ids from 1 in order, and [] after them. */
void test_server_set_pages (TestServer *server, guint n_pages, guint per_page);
/* Page @page answers @status its first @times requests (G_MAXUINT:
 * every time), then as usual. */
void test_server_fail_page (TestServer *server, guint page, guint times, guint status);
/* Page @page answers 200 with @body instead of its items. */
void test_server_set_page_body (TestServer *server, guint page, const char *body);
/* Page @page is not answered, like /slow. */
void test_server_set_slow_page (TestServer *server, guint page);

/* Runs @func (@data) when a request that will not be answered (/slow, a
 * slow page) has arrived, or when one of page @page's failures has been
 * answered (0: none). */
void test_server_set_hook (TestServer *server, void (*func) (gpointer data), gpointer data);
void test_server_set_hook_on_failure (TestServer *server, guint page);

/* Requests served so far, each "METHOD /path?query", in order; and the
 * number for one "METHOD /path?query". */
GPtrArray *test_server_get_log (TestServer *server);
guint      test_server_count (TestServer *server, const char *request);
/* Unanswered requests (/slow, slow pages) whose client closed the
 * connection: a cancelled request. */
guint      test_server_n_aborted (TestServer *server);

G_END_DECLS
