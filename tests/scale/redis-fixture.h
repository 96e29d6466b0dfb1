/* redis-fixture.h — a redis-server of the tests' own, on 127.0.0.1 at a
 * free port, with no persistence: nothing is written to disk, and the
 * working directory it is given is checked empty and removed when it
 * stops. */
#pragma once

#include <glib.h>

typedef struct {
  GPid    pid;
  guint16 port;
  char   *dir;
} RedisServer;

/* Starts the server ($DFSCALE_REDIS_SERVER, else redis-server from PATH)
 * and waits until it answers PING.  FALSE (test skipped) when there is no
 * redis-server; any other failure fails the test. */
gboolean redis_server_start (RedisServer *server);
/* Stops it (SIGTERM, then waits) and removes its directory. */
void     redis_server_stop  (RedisServer *server);
/* Stops it with SIGKILL (a broker that goes away), keeping the port. */
void     redis_server_kill  (RedisServer *server);
