/* http-session.c — one SoupSession per runtime, kept as the runtime's data
 * so that it lives exactly as long as the runtime.
 *
 * One session means one pool of kept-alive connections for every HTTP
 * stage of every graph and flow on the runtime.  A session's settings
 * belong to the thread that made it, and libsoup runs a request in the
 * thread-default context of the thread that sends it: the session is
 * made, and every request sent, on the runtime thread, whose
 * thread-default context is the runtime's (http-fetch.c checks). */
#include "dfstd.h"
#include "http-fetch.h"

#define SESSION_KEY "dfstd-http-session"

/* libsoup's default of 2 connections per host would make a node of
 * `tasks 8` wait for 2; the session allows as many as a node may use. */
#define MAX_CONNS          64
#define MAX_CONNS_PER_HOST 16

SoupSession *
dfstd_http_session (DfRuntime *rt)
{
  SoupSession *session = df_runtime_get_data (rt, SESSION_KEY);
  if (session != NULL)
    return session;
  session = soup_session_new_with_options ("max-conns", MAX_CONNS,
                                           "max-conns-per-host", MAX_CONNS_PER_HOST,
                                           "user-agent", "dfstd ",
                                           NULL);
  df_runtime_set_data (rt, SESSION_KEY, session, g_object_unref);
  return session;
}
