/* http-e2e.h — what the HTTP examples' end-to-end tests share beyond the
 * support library's (program-run.h runs an example, stats-table.h reads
 * its --stats): reading the CSV it wrote, asking the test server for its
 * counts. */
#pragma once

#include <gio/gio.h>

#include "program-run.h"
#include "scratch-dir.h"
#include "stats-table.h"
#include "test-server-spawn.h"

/* The records of an RFC 4180 file, as the dfstd CSV writer writes it:
 * every record ends in CRLF, a field with a comma, a quote or a line
 * break is quoted and its quotes doubled.  NULL and an error when the
 * text is not that (a quote left open, a record cut short). */
GPtrArray *csv_parse (const char *text, gsize length, GError **error);

/* csv_parse of the file at `path`, asserting it parses. */
GPtrArray *csv_read (const char *path);

/* /stats of the test server: group ("paths", "queries", "faults") and
 * member; 0 when the member is missing. */
gint64 server_count (TestServer *server, const char *group, const char *name);

/* Starts the test server with `args`, asserting it started. */
TestServer *server_start (const char *const *args);

/* Stops it, asserting it ended with status 0. */
void server_stop (TestServer *server);
