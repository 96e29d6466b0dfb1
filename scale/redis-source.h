/* redis-source.h — a hiredis asynchronous context as a GSource
 * (redis-source.c says why not hiredis's own adapter).  Internal. */
#pragma once

#include <glib.h>

struct redisAsyncContext;

/* Installs the source's hooks in @ac; attach it to the context that
 * drives the connection.  It stops polling when hiredis frees @ac. */
GSource *df_redis_source_new        (struct redisAsyncContext *ac);
/* Asks to be woken when the socket is writable (a connect completes
 * then). */
void     df_redis_source_want_write (GSource *source);
