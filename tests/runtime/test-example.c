/* test-example.c — the example of docs/runtime.md, compiled and run.
 *
 * What dfc would generate for
 *
 *     type Line = char * { free = g_free; };
 *     stage fetch(url: const char *) -> (page: Line) async timeout 2s;
 *     stage parse(page: Line) -> (rows: int);
 *     stage store(rows: int) -> (status: int) blocking retry 2 backoff 10ms;
 *     flow ingest(url: const char *) -> (status: int) {
 *         fetch; parse; store;
 *     }
 *
 * (generated parts marked GENERATED), and the user's side: the three
 * stages and a program calling the flow.
 */
#include "dfrt-gen.h"

/* ===================================================== GENERATED: header */

typedef struct { const char *url; } IngestIn;
typedef struct { int status; } IngestOut;
typedef void (*IngestDoneFunc) (const IngestOut *out, const GError *error, gpointer user_data);

/* implemented by the user */
void     fetch (DfCall *call, const char *url);
gboolean parse (DfContext *ctx, char *page, int *rows, GError **error);
gboolean store (DfContext *ctx, int rows, int *status, GError **error);   /* worker thread */
/* generated, called by the user */
void     fetch_return (DfCall *call, char *page);      /* any thread, exactly once */
/* entry points */
void     ingest_start (DfRuntime *rt, const IngestIn *in, GCancellable *cancellable,
                       IngestDoneFunc done, gpointer user_data);
gboolean ingest_run   (DfRuntime *rt, const IngestIn *in, IngestOut *out, GError **error);

/* ======================================================= GENERATED: code */

static DfStageStats fetch_stats = DF_STAGE_STATS_INIT ("fetch");
static DfStageStats parse_stats = DF_STAGE_STATS_INIT ("parse");
static DfStageStats store_stats = DF_STAGE_STATS_INIT ("store");

/* One struct per async/blocking stage: the call, then its outputs. */
typedef struct { DfCall call; char *page; } FetchCall;
typedef struct { DfCall call; int status; } StoreCall;

static void
fetch_discard (DfCall *call)
{
  g_clear_pointer (&((FetchCall *) call)->page, g_free);
}

static const DfCallSite ingest_fetch_site = {
  .stage = "fetch", .stats = &fetch_stats,
  .timeout = 2 * G_TIME_SPAN_SECOND, .discard = fetch_discard,
};
static const DfCallSite ingest_store_site = { .stage = "store", .stats = &store_stats };

void
fetch_return (DfCall *call, char *page)
{
  if (!df_call_claim (call))      /* a second completion: refused, reported */
    {
      g_free (page);
      return;
    }
  ((FetchCall *) call)->page = page;
  df_call_complete_claimed (call);
}

enum {
  INGEST_S_FETCH,          /* ingest.df:7 fetch */
  INGEST_S_FETCH_WAIT,
  INGEST_S_STORE_WAIT,     /* ingest.df:7 store */
  INGEST_S_STORE_RETRY,
};

typedef struct {
  DfFrame        base;          /* first */
  guint          pc;
  /* values */
  const char    *url;
  char          *page;
  int            rows;
  int            status;
  /* retry counter of `store` */
  guint          store_tries;
  /* call sites */
  FetchCall      fetch;
  StoreCall      store;
  /* the caller */
  IngestDoneFunc done;
  gpointer       done_data;
} IngestFrame;

static gboolean
ingest_store_thunk (DfCall *call, GError **error)       /* on a worker */
{
  IngestFrame *f = (IngestFrame *) df_call_get_frame (call);
  return store (df_call_get_context (call), f->rows, &f->store.status, error);
}

/* fetch, then parse (sync, same state), then store on the pool. */
static void
ingest_step (DfFrame *frame, DfCall *resumed G_GNUC_UNUSED)
{
  IngestFrame *f = (IngestFrame *) frame;
  GError *error = NULL;
  gboolean ok;
  gint64 t;

  for (;;)
    switch (f->pc)
      {
      case INGEST_S_FETCH:
        f->pc = INGEST_S_FETCH_WAIT;
        df_call_begin (&f->fetch.call);
        fetch (&f->fetch.call, f->url);
        if (!df_call_end_inline (&f->fetch.call))
          return;
        /* completed during fetch(): no trip through the loop */
        /* fallthrough */
      case INGEST_S_FETCH_WAIT:
        if ((error = df_call_take_error (&f->fetch.call)))
          goto fail;
        f->page = g_steal_pointer (&f->fetch.page);

        t = df_stage_stats_enter (&parse_stats);
        ok = parse (df_frame_get_context (frame), f->page, &f->rows, &error);
        df_stage_stats_leave (&parse_stats, t, ok);
        g_clear_pointer (&f->page, g_free);            /* its last reader */
        if (!ok)
          {
            error = df_error_ensure (error, "parse");
            goto fail;
          }
        /* fallthrough */
      case INGEST_S_STORE_RETRY:
        f->pc = INGEST_S_STORE_WAIT;
        df_call_run_blocking (&f->store.call, ingest_store_thunk);
        return;
      case INGEST_S_STORE_WAIT:
        if ((error = df_call_take_error (&f->store.call)))
          {
            if (f->store_tries++ < 2)                  /* retry 2 backoff 10ms */
              {
                g_clear_error (&error);
                f->pc = INGEST_S_STORE_RETRY;
                df_call_sleep (&f->store.call, 10 * G_TIME_SPAN_MILLISECOND);
                return;
              }
            goto fail;
          }
        f->status = f->store.status;
        df_frame_return (frame);
        return;
      }
fail:
  df_frame_fail (frame, error);
}

static void
ingest_finalize (DfFrame *frame)
{
  g_free (((IngestFrame *) frame)->page);
}

static void
ingest_done (DfFrame *frame, const GError *error, gpointer data G_GNUC_UNUSED)
{
  IngestFrame *f = (IngestFrame *) frame;
  IngestOut out = { .status = f->status };

  f->done (error ? NULL : &out, error, f->done_data);
}

static const DfFrameClass ingest_class = {
  .name = "ingest", .size = sizeof (IngestFrame),
  .step = ingest_step, .finalize = ingest_finalize,
};

void
ingest_start (DfRuntime *rt, const IngestIn *in, GCancellable *cancellable,
              IngestDoneFunc done, gpointer user_data)
{
  DfFrame *frame = df_frame_new (rt, &ingest_class);
  IngestFrame *f = (IngestFrame *) frame;

  f->url = in->url;
  f->done = done;
  f->done_data = user_data;
  df_call_init (&f->fetch.call, frame, &ingest_fetch_site, 0);
  df_call_init (&f->store.call, frame, &ingest_store_site, 0);
  df_frame_set_user_data (frame, user_data);
  df_frame_set_done (frame, ingest_done, NULL);
  df_frame_set_cancellable (frame, cancellable);
  df_frame_start (frame);
}

typedef struct {
  DfWait     wait;
  IngestOut *out;
  GError    *error;
} IngestRun;

static void
ingest_run_done (const IngestOut *out, const GError *error, gpointer data)
{
  IngestRun *run = data;

  if (error)
    run->error = g_error_copy (error);
  else
    *run->out = *out;
  df_wait_done (&run->wait);
}

gboolean
ingest_run (DfRuntime *rt, const IngestIn *in, IngestOut *out, GError **error)
{
  IngestRun run = { .out = out };

  df_wait_init (&run.wait);
  ingest_start (rt, in, NULL, ingest_run_done, &run);
  df_runtime_wait (rt, &run.wait);
  df_wait_clear (&run.wait);
  if (run.error)
    {
      g_propagate_error (error, run.error);
      return FALSE;
    }
  return TRUE;
}

/* ================================================== the user's stages */

static gpointer
download (gpointer call)
{
  g_usleep (1000);                                   /* the network */
  fetch_return (call, g_strdup ("a,b,c,d"));
  return NULL;
}

void
fetch (DfCall *call, const char *url)
{
  if (g_str_has_prefix (url, "cache:"))
    fetch_return (call, g_strdup ("x,y"));           /* completes inline */
  else
    g_thread_unref (g_thread_new ("download", download, call));
}

gboolean
parse (DfContext *ctx G_GNUC_UNUSED, char *page, int *rows, GError **error)
{
  if (*page == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "empty page");
      return FALSE;
    }
  *rows = 1;
  for (const char *p = page; *p; p++)
    *rows += *p == ',';
  return TRUE;
}

static gint store_failures;

gboolean
store (DfContext *ctx G_GNUC_UNUSED, int rows, int *status, GError **error)
{
  if (g_atomic_int_add (&store_failures, -1) > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY, "database busy");
      return FALSE;
    }
  *status = 200 + rows;
  return TRUE;
}

/* ===================================================== the caller */

static void
test_run_sync (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  IngestOut out = { 0 };
  GError *error = NULL;

  g_atomic_int_set (&store_failures, 1);            /* one retry */
  g_assert_true (ingest_run (rt, &(IngestIn) { "https://example.org" }, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.status, ==, 204);

  g_assert_true (ingest_run (rt, &(IngestIn) { "cache:x" }, &out, &error));
  g_assert_cmpint (out.status, ==, 202);

  g_atomic_int_set (&store_failures, 3);            /* more than retry 2 */
  g_assert_false (ingest_run (rt, &(IngestIn) { "cache:y" }, &out, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&error);
  df_runtime_run (rt);                              /* let the frames go */
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
}

static void
count_ok (const IngestOut *out G_GNUC_UNUSED, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  (*(guint *) data)++;
}

static void
test_start_many (void)
{
  g_autoptr (DfRuntime) rt = df_runtime_new (NULL);
  guint ok = 0;

  g_atomic_int_set (&store_failures, 0);
  for (int i = 0; i < 100; i++)
    ingest_start (rt, &(IngestIn) { i % 2 ? "cache:a" : "net:b" }, NULL, count_ok, &ok);
  df_runtime_run (rt);
  g_assert_cmpuint (ok, ==, 100);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/runtime/example/run", test_run_sync);
  g_test_add_func ("/runtime/example/start-many", test_start_many);
  return g_test_run ();
}
