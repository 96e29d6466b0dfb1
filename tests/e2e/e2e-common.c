/* e2e-common.c — see e2e-common.h. */
#include "e2e-common.h"
#include "runtime-wait.h"

/* ------------------------------------------------------------------ tokens */

static gint n_created, n_copied, n_freed;

Token *
token_new (int value)
{
  Token *token = g_new (Token, 1);
  token->magic = TOKEN_MAGIC;
  token->value = value;
  g_atomic_int_inc (&n_created);
  return token;
}

Token *
token_copy (const Token *token)
{
  g_assert_nonnull (token);
  g_assert_cmphex (token->magic, ==, TOKEN_MAGIC);
  Token *copy = g_new (Token, 1);
  *copy = *token;
  g_atomic_int_inc (&n_copied);
  return copy;
}

void
token_free (Token *token)
{
  g_assert_nonnull (token);   /* g_clear_pointer never passes NULL */
  g_assert_cmphex (token->magic, ==, TOKEN_MAGIC);
  token->magic = 0xdeadu;
  g_atomic_int_inc (&n_freed);
  g_free (token);
}

void
tokens_reset (void)
{
  g_atomic_int_set (&n_created, 0);
  g_atomic_int_set (&n_copied, 0);
  g_atomic_int_set (&n_freed, 0);
}

gint tokens_created (void) { return g_atomic_int_get (&n_created); }
gint tokens_copied (void) { return g_atomic_int_get (&n_copied); }
gint tokens_freed (void) { return g_atomic_int_get (&n_freed); }

gint
tokens_live (void)
{
  return tokens_created () + tokens_copied () - tokens_freed ();
}

/* ------------------------------------------------------- async completion */

const char *const e2e_mode_names[E2E_N_MODES] = { "inline", "later", "thread", "mixed" };

E2eMode e2e_mode = E2E_INLINE;

static GThread *main_thread;
static GThreadPool *pool;
static guint mixed_turn;

typedef struct {
  E2eFunc func;
  gpointer data;
} Deferred;

static gboolean
run_later (gpointer data)
{
  Deferred *d = data;
  d->func (d->data);
  g_free (d);
  return G_SOURCE_REMOVE;
}

static void
run_in_thread (gpointer data, gpointer user_data)
{
  (void) user_data;
  g_assert_false (e2e_is_main_thread ());
  run_later (data);
}

void
e2e_defer_mode (E2eMode mode, E2eFunc func, gpointer data)
{
  if (mode == E2E_MIXED)
    mode = (E2eMode) (mixed_turn++ % 3);
  if (mode == E2E_INLINE)
    {
      func (data);
      return;
    }
  Deferred *d = g_new (Deferred, 1);
  d->func = func;
  d->data = data;
  if (mode == E2E_LATER)
    g_idle_add (run_later, d);
  else
    {
      g_assert_nonnull (pool);
      g_thread_pool_push (pool, d, NULL);
    }
}

void
e2e_defer (E2eFunc func, gpointer data)
{
  e2e_defer_mode (e2e_mode, func, data);
}

typedef struct {
  DfCall *call;
  E2eReturnInt ret_int;
  E2eReturnToken ret_token;
  int value;
  Token *token;
  GError *error;
  gboolean complete;
} Completion;

static void
completion_run (gpointer data)
{
  Completion *c = data;
  if (c->ret_int != NULL)
    c->ret_int (c->call, c->value);
  else if (c->ret_token != NULL)
    c->ret_token (c->call, c->token);
  else if (c->complete)
    df_call_complete (c->call);
  else
    df_call_fail (c->call, c->error);
  g_free (c);
}

void
e2e_return_int (E2eReturnInt ret, DfCall *call, int value)
{
  Completion *c = g_new0 (Completion, 1);
  c->call = call;
  c->ret_int = ret;
  c->value = value;
  e2e_defer (completion_run, c);
}

void
e2e_return_token (E2eReturnToken ret, DfCall *call, Token *token)
{
  Completion *c = g_new0 (Completion, 1);
  c->call = call;
  c->ret_token = ret;
  c->token = token;
  e2e_defer (completion_run, c);
}

void
e2e_fail (DfCall *call, GError *error)
{
  Completion *c = g_new0 (Completion, 1);
  c->call = call;
  c->error = error;
  e2e_defer (completion_run, c);
}

void
e2e_complete (DfCall *call)
{
  Completion *c = g_new0 (Completion, 1);
  c->call = call;
  c->complete = TRUE;
  e2e_defer (completion_run, c);
}

static GThreadPool *
pool_new (void)
{
  GError *error = NULL;
  GThreadPool *p = g_thread_pool_new (run_in_thread, NULL, 4, FALSE, &error);
  g_assert_no_error (error);
  return p;
}

void
e2e_threads_drain (void)
{
  g_thread_pool_free (pool, FALSE, TRUE);
  pool = pool_new ();
}

gboolean
e2e_is_main_thread (void)
{
  return g_thread_self () == main_thread;
}

/* ------------------------------------------------------------------ runs */

G_DEFINE_QUARK (e2e-error-quark, e2e_error)

void
e2e_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  main_thread = g_thread_self ();
  pool = pool_new ();
}

DfRuntime *
e2e_runtime_new (void)
{
  tokens_reset ();
  e2e_mode = E2E_INLINE;
  return df_runtime_new (NULL);
}

static gboolean
flag_deadline (gpointer data)
{
  g_atomic_int_set ((gint *) data, 1);
  return G_SOURCE_REMOVE;
}

void
e2e_iterate_rt_until (DfRuntime *rt, const gint *flag, double seconds)
{
  gint expired = 0;
  guint id = g_timeout_add ((guint) (seconds * 1000), flag_deadline, &expired);
  while (!g_atomic_int_get (flag) && !expired)
    df_runtime_iterate (rt);
  if (expired)
    g_error ("timed out after %.1fs", seconds);
  g_source_remove (id);
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
e2e_iterate_until_true (gboolean (*check) (gpointer data), gpointer data, double seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_TIME_SPAN_SECOND);
  guint id = g_timeout_add (1, tick, NULL);
  while (!check (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("timed out after %.1fs", seconds);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
}

void
e2e_runtime_finish (DfRuntime *rt)
{
  runtime_run_or_fail (rt, 60);
  e2e_threads_drain ();
  /* Completions from threads may have queued the last steps, and ended
   * flows may wait for late calls: the shutdown waits for both. */
  g_autoptr (GError) error = NULL;
  if (!df_runtime_shutdown (rt, 60 * G_TIME_SPAN_SECOND, &error))
    g_error ("the runtime did not shut down: %s", error->message);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, 0);
  tokens_assert_balanced ();
  df_runtime_unref (rt);
}
