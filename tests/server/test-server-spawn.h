/* test-server-spawn.h — start dfstd-test-server from a test, ask it, stop it.
 *
 * The server's path comes from $DFSTD_TEST_SERVER_BIN (tests/server/
 * meson.build sets it).  Its stdin is a pipe the test holds: if the test
 * dies, the pipe closes and the server ends by itself.
 */
#pragma once

#include <gio/gio.h>

typedef struct _TestServer TestServer;

/* Starts the server with `args` (NULL-terminated, may be NULL) and waits
 * for its URL line. */
TestServer *test_server_start (const char *const *args, GError **error);

/* "http://127.0.0.1:PORT/" */
const char *test_server_url (TestServer *server);

/* The server's URL with `path_and_query` ("breweries?page=2") after it. */
char *test_server_url_for (TestServer *server, const char *path_and_query);

/* GET `path_and_query` on the server: the body, and the status in
 * `status`; NULL and an error if no response came. */
GBytes *test_server_get (TestServer *server, const char *path_and_query, guint *status,
                         GError **error);

/* Closes the server's stdin and waits for it: TRUE if it exited with 0.
 * Frees `server` in every case. */
gboolean test_server_stop (TestServer *server, GError **error);
