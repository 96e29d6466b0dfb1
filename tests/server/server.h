/* server.h — the fake APIs of dfstd-test-server (tests/server/README.md).
 *
 * One file per job: server-main.c listens and dispatches, server-faults.c
 * decides which request is answered wrongly and counts everything,
 * server-breweries.c, server-quotes.c and server-backends.c make the
 * answers.  Every answer is generated from its request and the options,
 * so a test can compute what it should have received.
 */
#pragma once

#include <glib.h>
#include <libsoup/soup.h>

/* An answer before faults: a status and a JSON body (owned). */
typedef struct
{
  guint status;
  char *body;
} ServerAnswer;

void server_answer_set (ServerAnswer *answer, guint status, char *body);
void server_answer_error (ServerAnswer *answer, guint status, const char *message);
void server_answer_clear (ServerAnswer *answer);

/* Reads an unsigned number from a query parameter: `fallback` when it is
 * missing, FALSE (and an error answer) when it is not a number. */
gboolean server_query_uint (GHashTable *query, const char *name, guint fallback,
                            guint *value, ServerAnswer *answer);

/* server-breweries.c: a fixed list of `count` breweries. */
void server_breweries_init (guint count);
void server_breweries_shutdown (void);
void server_breweries_page (GHashTable *query, ServerAnswer *answer);
void server_breweries_all (ServerAnswer *answer);

/* server-quotes.c: the quote of the `request`th /quote (from 1). */
void server_quote (GHashTable *query, guint64 request, ServerAnswer *answer);

/* server-backends.c: the broker's two backends. */
void server_weather (GHashTable *query, ServerAnswer *answer);
void server_population (GHashTable *query, ServerAnswer *answer);

/* server-faults.c: the switches, the counters and the decision. */
typedef struct
{
  guint delay_ms;
  guint fail_first;
  guint fail_every;
  guint malformed_every;
} ServerFaultOptions;

typedef enum
{
  SERVER_FAULT_NONE,
  SERVER_FAULT_STATUS,     /* status= in the query */
  SERVER_FAULT_FAIL_FIRST, /* one of the first --fail-first of its path+query */
  SERVER_FAULT_FAIL_EVERY, /* the --fail-every'th request */
  SERVER_FAULT_MALFORMED,  /* the --malformed-every'th request */
} ServerFault;

typedef struct
{
  ServerFault fault;
  guint status;      /* for SERVER_FAULT_STATUS, FAIL_FIRST, FAIL_EVERY */
  guint delay_ms;
  guint64 number;    /* this request's number among those of its path, from 1 */
} ServerDecision;

void server_faults_init (const ServerFaultOptions *options);
void server_faults_shutdown (void);
gboolean server_faults_decide (const char *path, const char *raw_query,
                               GHashTable *query, ServerDecision *decision,
                               ServerAnswer *bad_query);
char *server_faults_stats_json (void);
