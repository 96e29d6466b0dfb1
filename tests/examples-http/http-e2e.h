/* http-e2e.h — what the HTTP examples' end-to-end tests share: running an
 * example to its end, reading the CSV it wrote, asking the test server
 * for its counts. */
#pragma once

#include <gio/gio.h>

#include "test-server-spawn.h"

/* A finished program: its exit status, stdout and stderr. */
typedef struct
{
  int status;
  char *out;
  char *err;
} ExampleRun;

void example_run_clear (ExampleRun *run);

/* Starts the example whose path is in the environment variable `program`
 * with `args` (NULL-terminated), stdout and stderr piped. */
GSubprocess *example_spawn (const char *program, const char *const *args);

/* Waits for it and collects what it wrote; asserts it exited (no crash). */
ExampleRun example_finish (GSubprocess *process);

/* example_spawn then example_finish. */
ExampleRun example_run (const char *program, const char *const *args);

/* The records of an RFC 4180 file, as the dfstd CSV writer writes it:
 * every record ends in CRLF, a field with a comma, a quote or a line
 * break is quoted and its quotes doubled.  NULL and an error when the
 * text is not that (a quote left open, a record cut short). */
GPtrArray *csv_parse (const char *text, gsize length, GError **error);

/* csv_parse of the file at `path`, asserting it parses. */
GPtrArray *csv_read (const char *path);

/* Asserts in == ok + err + dropped on every row of the --stats table in
 * `err` and returns the row of `node`: in, ok, err, dropped. */
typedef struct
{
  guint64 in, ok, err, dropped;
} NodeStats;

NodeStats stats_of_node (const char *err, const char *node);

/* /stats of the test server: group ("paths", "queries", "faults") and
 * member; 0 when the member is missing. */
gint64 server_count (TestServer *server, const char *group, const char *name);

/* Starts the test server with `args`, asserting it started. */
TestServer *server_start (const char *const *args);

/* Stops it, asserting it ended with status 0. */
void server_stop (TestServer *server);

/* A fresh scratch directory for the files of one test, and a path in it. */
char *scratch_dir (void);
char *scratch_path (const char *dir, const char *name);
void scratch_remove (const char *dir);
