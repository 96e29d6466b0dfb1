/* rt-test.h — hand-written flows that imitate generated code, shared by
 * the runtime tests.
 *
 * The "fetch flow" is what dfc would emit for
 *     stage fetch(url: Url) -> (page: Line) async [timeout D] [limit N];
 *     flow get(url: Url) -> (page: Line) [on error retry N backoff D] { fetch; }
 * with the stage's implementation supplied by each test, plus a blocking
 * variant.  A pthread queue feeds completer threads (pthread, not GLib
 * locks, so ThreadSanitizer sees the hand-over).
 */
#pragma once

#include <pthread.h>

#include "dfrt-gen.h"
#include "program-run.h"
#include "runtime-wait.h"

/* What a flow's done callback saw. */
typedef struct {
  gboolean done;
  GError  *error;
  char    *page;
  guint    attempts;
  guint    inline_completions;
} TestResult;

void test_result_clear (TestResult *r);

/* --------------------------------------------------------- the fetch flow */

typedef void (*TestFetchFunc) (DfCall *call, const char *url);

/* The generated wrapper of the async stage's call: the DfCall, then its
 * outputs. */
typedef struct {
  DfCall call;
  char  *page;
} FetchCall;

/* The generated completion function. */
void fetch_return (DfCall *call, char *page);
/* The generated discard function of FetchCall. */
void fetch_discard (DfCall *call);

typedef struct {
  const DfCallSite *site;       /* timeout, limit, stats */
  TestFetchFunc     fetch;      /* the user's async function */
  gboolean          blocking;   /* run blocking_fetch on the pool instead */
  guint             retries;    /* `on error retry N` */
  GTimeSpan         backoff;
  gpointer          user_data;  /* df_call_get_user_data() */
} FetchFlowSpec;

DfFrame *fetch_flow_new (DfRuntime *rt, const FetchFlowSpec *spec, const char *url,
                         TestResult *result);
DfCall  *fetch_flow_call (DfFrame *frame);

/* The user's blocking stage for spec->blocking: stage fetch(...) blocking.
 * Tests set it; runs on a worker thread. */
extern gboolean (*test_blocking_fetch) (DfContext *ctx, const char *url, char **page,
                                        GError **error);

/* --------------------------------------------------- completer threads */

typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t  cond;
  GQueue          items;
  gboolean        closed;
} TestQueue;

void     test_queue_init  (TestQueue *q);
void     test_queue_clear (TestQueue *q);
void     test_queue_push  (TestQueue *q, gpointer item);
/* NULL once closed and empty. */
gpointer test_queue_pop   (TestQueue *q);
void     test_queue_close (TestQueue *q);

/* Child processes: a test binary's main() calls test_child_main() first;
 * when the DF_TEST_CHILD environment variable names a child mode, it runs
 * @func (mode) and exits with what it returns.  test_spawn_child() runs
 * the binary in that mode to its end (program-run.h: a child killed by a
 * signal fails the test). */
typedef int (*TestChildFunc) (const char *mode);
void       test_child_main (int argc, char **argv, TestChildFunc func);
ProgramRun test_spawn_child (const char *mode);
