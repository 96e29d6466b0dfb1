/* rt-test.c — see rt-test.h. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "rt-test.h"

void
test_result_clear (TestResult *r)
{
  g_clear_error (&r->error);
  g_clear_pointer (&r->page, g_free);
  memset (r, 0, sizeof *r);
}

/* ------------------------------------------------------ generated code */

gboolean (*test_blocking_fetch) (DfContext *ctx, const char *url, char **page,
                                 GError **error);

void
fetch_return (DfCall *call, char *page)
{
  if (!df_call_claim (call))
    {
      g_free (page);
      return;
    }
  ((FetchCall *) call)->page = page;
  df_call_complete_claimed (call);
}

void
fetch_discard (DfCall *call)
{
  g_clear_pointer (&((FetchCall *) call)->page, g_free);
}

enum {
  FETCH_S_START,     /* get.df:1 fetch: take a limit slot */
  FETCH_S_GO,        /* call the stage */
  FETCH_S_WAIT,      /* wait for fetch_return() */
  FETCH_S_RETRY,     /* back-off over: try again */
};

typedef struct {
  DfFrame           base;
  guint             pc;
  const FetchFlowSpec *spec;
  const char       *url;
  char             *page;
  guint             retries_left;
  TestResult       *result;
  FetchCall         fetch;
} FetchFrame;

static gboolean
fetch_blocking_thunk (DfCall *call, GError **error)
{
  FetchFrame *f = (FetchFrame *) df_call_get_frame (call);
  return test_blocking_fetch (df_call_get_context (call), f->url, &f->fetch.page, error);
}

/* Returns FALSE when the step must wait. */
static gboolean
fetch_flow_go (FetchFrame *f)
{
  DfCall *call = &f->fetch.call;

  f->result->attempts++;
  if (f->spec->blocking)
    {
      df_call_run_blocking (call, fetch_blocking_thunk);
      return FALSE;
    }
  df_call_begin (call);
  f->spec->fetch (call, f->url);
  if (!df_call_end_inline (call))
    return FALSE;
  f->result->inline_completions++;
  return TRUE;
}

static void
fetch_flow_step (DfFrame *frame, DfCall *resumed)
{
  FetchFrame *f = (FetchFrame *) frame;
  DfCall *call = &f->fetch.call;
  GError *error;

  for (;;)
    switch (f->pc)
      {
      case FETCH_S_START:
        f->pc = FETCH_S_GO;
        if (!df_call_acquire (call))
          return;
        /* fallthrough */
      case FETCH_S_GO:
        f->pc = FETCH_S_WAIT;
        if (!fetch_flow_go (f))
          return;
        /* fallthrough */
      case FETCH_S_WAIT:
        if ((error = df_call_take_error (call)))
          {
            if (f->retries_left == 0)
              {
                df_frame_fail (frame, error);
                return;
              }
            g_error_free (error);
            f->retries_left--;
            f->pc = FETCH_S_RETRY;
            df_call_sleep (call, f->spec->backoff);
            return;
          }
        f->page = g_steal_pointer (&f->fetch.page);
        df_frame_return (frame);
        return;
      case FETCH_S_RETRY:
        f->pc = FETCH_S_START;
        break;
      default:
        g_assert_not_reached ();
      }
}

static void
fetch_flow_finalize (DfFrame *frame)
{
  g_free (((FetchFrame *) frame)->page);
}

static void
fetch_flow_done (DfFrame *frame, const GError *error, gpointer data)
{
  FetchFrame *f = (FetchFrame *) frame;
  TestResult *r = data;

  r->done = TRUE;
  r->error = error ? g_error_copy (error) : NULL;
  r->page = g_steal_pointer (&f->page);
}

static const DfFrameClass fetch_flow_class = {
  .name = "get",
  .size = sizeof (FetchFrame),
  .step = fetch_flow_step,
  .finalize = fetch_flow_finalize,
};

DfFrame *
fetch_flow_new (DfRuntime *rt, const FetchFlowSpec *spec, const char *url, TestResult *result)
{
  DfFrame *frame = df_frame_new (rt, &fetch_flow_class);
  FetchFrame *f = (FetchFrame *) frame;

  f->spec = spec;
  f->url = url;
  f->retries_left = spec->retries;
  f->result = result;
  df_call_init (&f->fetch.call, frame, spec->site, 0);
  df_frame_set_user_data (frame, spec->user_data);
  df_frame_set_done (frame, fetch_flow_done, result);
  return frame;
}

DfCall *
fetch_flow_call (DfFrame *frame)
{
  return &((FetchFrame *) frame)->fetch.call;
}

/* ------------------------------------------------------------ queues */

void
test_queue_init (TestQueue *q)
{
  pthread_mutex_init (&q->lock, NULL);
  pthread_cond_init (&q->cond, NULL);
  g_queue_init (&q->items);
  q->closed = FALSE;
}

void
test_queue_clear (TestQueue *q)
{
  g_queue_clear (&q->items);
  pthread_cond_destroy (&q->cond);
  pthread_mutex_destroy (&q->lock);
}

void
test_queue_push (TestQueue *q, gpointer item)
{
  pthread_mutex_lock (&q->lock);
  g_queue_push_tail (&q->items, item);
  pthread_cond_signal (&q->cond);
  pthread_mutex_unlock (&q->lock);
}

gpointer
test_queue_pop (TestQueue *q)
{
  pthread_mutex_lock (&q->lock);
  while (g_queue_is_empty (&q->items) && !q->closed)
    pthread_cond_wait (&q->cond, &q->lock);
  gpointer item = g_queue_pop_head (&q->items);
  pthread_mutex_unlock (&q->lock);
  return item;
}

void
test_queue_close (TestQueue *q)
{
  pthread_mutex_lock (&q->lock);
  q->closed = TRUE;
  pthread_cond_broadcast (&q->cond);
  pthread_mutex_unlock (&q->lock);
}

/* ------------------------------------------------------- child processes */

static char *self_path;

void
test_child_main (int argc, char **argv, TestChildFunc func)
{
  const char *mode = g_getenv ("DF_TEST_CHILD");

  self_path = argv[0];
  if (mode)
    exit (func (mode));
}

/* The runtime's tests also run under ThreadSanitizer, so the child is
 * run with g_spawn_sync (), which waits in this thread, not GSubprocess,
 * whose GLib worker thread hands the output over through futexes that
 * ThreadSanitizer cannot see (it reports races inside GLib).  Otherwise
 * by program-run's rules: {status, out, err}, a signal fails the test. */
ProgramRun
test_spawn_child (const char *mode)
{
  char *argv[] = { self_path, NULL };
  g_auto (GStrv) envp = g_environ_setenv (g_get_environ (), "DF_TEST_CHILD", mode, TRUE);
  ProgramRun run = { 0 };
  int wait_status = -1;
  GError *error = NULL;

  g_spawn_sync (NULL, argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &run.out, &run.err, &wait_status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (wait_status))
    g_error ("the child '%s' was killed by signal %d; its standard error:\n%s", mode,
             WTERMSIG (wait_status), run.err);
  run.status = WEXITSTATUS (wait_status);
  return run;
}
