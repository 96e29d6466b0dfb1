/* test-scale.c — scale.df: 10,000 flows started at once, and 100,000 in
 * flight at once, each waiting on an async call that is completed later in
 * batches (from the loop or from other threads).  Everything completes,
 * nothing leaks. */
#include "scale.h"

/* ------------------------------------------------------------------ stages */

gboolean
s_make (DfContext *ctx, int x, Token **t, GError **error)
{
  *t = token_new (x);
  return TRUE;
}

void
s_async (DfCall *call, Token *t)
{
  e2e_return_token (s_async_return, call, token_new (t->value * 2));
}

gboolean
s_block (DfContext *ctx, int x, int *b, GError **error)
{
  g_assert_false (e2e_is_main_thread ());
  *b = x * 3;
  return TRUE;
}

gboolean
s_sum (DfContext *ctx, Token *t, Token *u, int b, int *y, GError **error)
{
  *y = t->value + u->value + b;
  return TRUE;
}

typedef struct {
  DfCall *call;
  int x;
} Held;

static Held *holds;
static guint n_holds;

void
s_hold (DfCall *call, int x)
{
  g_assert_true (e2e_is_main_thread ());
  holds[n_holds].call = call;
  holds[n_holds].x = x;
  n_holds++;
}

gboolean
s_read (DfContext *ctx, Token *v, int *y, GError **error)
{
  *y = v->value;
  return TRUE;
}

/* ------------------------------------------------------------------- tests */

typedef struct {
  guint done;
  guint bad;
} Count;

static void
many_done (ManyOut *out, const GError *error, gpointer data)
{
  Count *c = data;
  /* x = 7: 7 + 14 + 21 */
  if (error != NULL || out->y != 42)
    c->bad++;
  c->done++;
}

static void
test_10k (gconstpointer data)
{
  enum { N = 10000 };
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  Count c = { 0 };
  ManyIn in = { .x = 7 };
  for (int i = 0; i < N; i++)
    many_start (rt, &in, NULL, many_done, &c);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, N);
  e2e_runtime_finish (rt);
  g_assert_cmpuint (c.done, ==, N);
  g_assert_cmpuint (c.bad, ==, 0);
  g_assert_cmpint (tokens_created (), ==, 2 * N);
}

enum { N_HELD = 100000, BATCH = 5000 };

typedef struct {
  guint next;
  Count *count;
} Completer;

static void
held_done (HeldOut *out, const GError *error, gpointer data)
{
  Count *c = data;
  if (error != NULL || out->y != 11)
    c->bad++;
  c->done++;
}

/* A g_timeout completes one batch per tick from the loop. */
static gboolean
complete_batch (gpointer data)
{
  Completer *co = data;
  guint end = MIN (co->next + BATCH, N_HELD);
  for (; co->next < end; co->next++)
    s_hold_return (holds[co->next].call, token_new (holds[co->next].x));
  return co->next < N_HELD ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

typedef struct {
  guint from, to;
} Slice;

static gpointer
complete_slice (gpointer data)
{
  Slice *s = data;
  for (guint i = s->from; i < s->to; i++)
    s_hold_return (holds[i].call, token_new (holds[i].x));
  return NULL;
}

static gboolean
all_held (gpointer data)
{
  return n_holds == N_HELD;
}

static gboolean
all_done (gpointer data)
{
  return ((Count *) data)->done == N_HELD;
}

static void
test_100k (gconstpointer data)
{
  gboolean threads = GPOINTER_TO_INT (data);
  DfRuntime *rt = e2e_runtime_new ();
  Count c = { 0 };
  holds = g_new0 (Held, N_HELD);
  n_holds = 0;
  HeldIn in = { .x = 11 };
  for (int i = 0; i < N_HELD; i++)
    held_start (rt, &in, NULL, held_done, &c);

  /* Every flow runs until its async call, then waits: all in flight. */
  e2e_iterate_until_true (all_held, NULL, 120);
  g_assert_cmpuint (df_runtime_get_n_frames (rt), ==, N_HELD);
  g_assert_cmpuint (c.done, ==, 0);

  Completer co = { 0, &c };
  GThread *workers[4];
  Slice slices[4];
  if (!threads)
    g_timeout_add (1, complete_batch, &co);
  else
    for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
      {
        slices[i].from = i * N_HELD / 4;
        slices[i].to = (i + 1) * N_HELD / 4;
        workers[i] = g_thread_new ("complete", complete_slice, &slices[i]);
      }
  e2e_iterate_until_true (all_done, &c, 120);
  if (threads)
    for (guint i = 0; i < G_N_ELEMENTS (workers); i++)
      g_thread_join (workers[i]);
  e2e_runtime_finish (rt);
  g_assert_cmpuint (c.done, ==, N_HELD);
  g_assert_cmpuint (c.bad, ==, 0);
  g_assert_cmpint (tokens_created (), ==, N_HELD);
  g_clear_pointer (&holds, g_free);
}

int
main (int argc, char **argv)
{
  e2e_init (&argc, &argv);
  g_test_add_data_func ("/scale/10k/inline", GINT_TO_POINTER (E2E_INLINE), test_10k);
  g_test_add_data_func ("/scale/10k/mixed", GINT_TO_POINTER (E2E_MIXED), test_10k);
  g_test_add_data_func ("/scale/100k-in-flight/loop-batches", GINT_TO_POINTER (FALSE), test_100k);
  g_test_add_data_func ("/scale/100k-in-flight/threads", GINT_TO_POINTER (TRUE), test_100k);
  return g_test_run ();
}
