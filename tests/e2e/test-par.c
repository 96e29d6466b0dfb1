/* test-par.c — par.df: `par` flat and nested, sync/async/blocking stages,
 * async completions inline, later on the loop and from other threads. */
#include "par.h"

static gpointer expected_user_data;
static gint blocking_calls;

static void
check_call (DfCall *call)
{
  g_assert_true (e2e_is_main_thread ());   /* async stages start on the loop */
  g_assert_true (df_call_get_user_data (call) == expected_user_data);
}

static void
check_sync (DfContext *ctx)
{
  g_assert_true (e2e_is_main_thread ());
  g_assert_true (df_context_get_user_data (ctx) == expected_user_data);
}

static void
check_blocking (DfContext *ctx)
{
  g_assert_false (e2e_is_main_thread ());   /* a worker of the runtime */
  g_assert_true (df_context_get_user_data (ctx) == expected_user_data);
  g_assert_nonnull (df_context_get_stage_name (ctx));
  g_atomic_int_inc (&blocking_calls);
}

/* ------------------------------------------------------------------ stages */

gboolean
p_sync (DfContext *ctx, int x, int *a, GError **error)
{
  check_sync (ctx);
  *a = x + 1;
  return TRUE;
}

gboolean
p_sync2 (DfContext *ctx, int x, int *a2, GError **error)
{
  check_sync (ctx);
  *a2 = x * 2;
  return TRUE;
}

void
p_async (DfCall *call, int x)
{
  check_call (call);
  e2e_return_int (p_async_return, call, x + 2);
}

gboolean
p_block (DfContext *ctx, int x, int *c, GError **error)
{
  check_blocking (ctx);
  *c = x + 3;
  return TRUE;
}

void
p_tok_async (DfCall *call, int x)
{
  check_call (call);
  e2e_return_token (p_tok_async_return, call, token_new (x + 4));
}

gboolean
p_tok_block (DfContext *ctx, int x, Token **u, GError **error)
{
  check_blocking (ctx);
  *u = token_new (x + 5);
  return TRUE;
}

gboolean
p_join (DfContext *ctx, int a, int b, int c, Token *t, Token *u, int *sum, Token **t2, GError **error)
{
  check_sync (ctx);
  *sum = a + b + c + t->value + u->value;
  *t2 = token_copy (t);
  return TRUE;
}

void
q_a (DfCall *call, int x)
{
  check_call (call);
  e2e_return_int (q_a_return, call, x + 1);
}

gboolean
q_b (DfContext *ctx, int a1, int *b1, GError **error)
{
  check_sync (ctx);
  *b1 = a1 * 2;
  return TRUE;
}

void
q_c (DfCall *call, int a1)
{
  check_call (call);
  e2e_return_token (q_c_return, call, token_new (a1 * 3));
}

gboolean
q_d (DfContext *ctx, int b1, Token *c1, int *d1, GError **error)
{
  check_blocking (ctx);
  *d1 = b1 + c1->value;
  return TRUE;
}

gboolean
q_e (DfContext *ctx, int x, int *e1, GError **error)
{
  check_blocking (ctx);
  *e1 = x * 10;
  return TRUE;
}

void
q_f (DfCall *call, int x)
{
  check_call (call);
  e2e_return_token (q_f_return, call, token_new (x + 100));
}

void
q_g (DfCall *call, Token *f1)
{
  check_call (call);
  e2e_return_int (q_g_return, call, f1->value * 2);
}

gboolean
q_h (DfContext *ctx, int x, int *h1, GError **error)
{
  check_sync (ctx);
  *h1 = x - 1;
  return TRUE;
}

gboolean
q_total (DfContext *ctx, int d1, int e1, int g1, int h1, Token *c1, int *total, GError **error)
{
  check_sync (ctx);
  *total = d1 + e1 + g1 + h1 + c1->value;
  return TRUE;
}

void
r_left (DfCall *call, int x)
{
  check_call (call);
  e2e_return_token (r_left_return, call, token_new (x));
}

gboolean
r_right (DfContext *ctx, int x, Token **r, GError **error)
{
  check_blocking (ctx);
  *r = token_new (x * 2);
  return TRUE;
}

gboolean
r_merge (DfContext *ctx, Token *l, Token *r, int *m, GError **error)
{
  *m = l->value + r->value;
  return TRUE;
}

void
z_leaf (DfCall *call, int x)
{
  check_call (call);
  e2e_return_int (z_leaf_return, call, x);
}

gboolean
z_add (DfContext *ctx, int y1, int y2, int y3, int y4, int *s, GError **error)
{
  *s = y1 + 10 * y2 + 100 * y3 + 1000 * y4;
  return TRUE;
}

/* ------------------------------------------------------------------- tests */

static void
test_flat (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  expected_user_data = NULL;
  g_atomic_int_set (&blocking_calls, 0);
  ParFlatIn in = { .x = 10 };
  ParFlatOut out;
  GError *error = NULL;
  g_assert_true (par_flat_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.sum, ==, 5 * 10 + 15);
  g_assert_cmpint (out.t2->value, ==, 14);
  g_assert_cmpint (g_atomic_int_get (&blocking_calls), ==, 2);
  /* t and u were freed after p_join; t2 is ours. */
  g_assert_cmpint (tokens_live (), ==, 1);
  par_flat_out_clear (&out);

  ParSyncIn sin = { .x = 7 };
  ParSyncOut sout;
  g_assert_true (par_sync_run (rt, &sin, &sout, &error));
  g_assert_cmpint (sout.a, ==, 8);
  g_assert_cmpint (sout.a2, ==, 14);

  ParSingleIn one = { .x = 7 };
  ParSingleOut one_out;
  g_assert_true (par_single_run (rt, &one, &one_out, &error));
  g_assert_cmpint (one_out.b, ==, 9);
  e2e_runtime_finish (rt);
}

static void
test_nested (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  expected_user_data = NULL;
  ParNestedIn in = { .x = 1 };
  ParNestedOut out;
  GError *error = NULL;
  g_assert_true (par_nested_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.total, ==, 228);

  ParNoneIn nin = { .x = 5 };
  ParNoneOut nout;
  g_assert_true (par_none_run (rt, &nin, &nout, &error));
  g_assert_no_error (error);
  g_assert_cmpint (nout.m, ==, 15);

  ParDeepIn din = { .x = 3 };
  ParDeepOut dout;
  g_assert_true (par_deep_run (rt, &din, &dout, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dout.s, ==, 3333);

  for (int go = 0; go < 2; go++)
    {
      ParInIfIn iin = { .x = 3, .go = go };
      ParInIfOut iout;
      g_assert_true (par_in_if_run (rt, &iin, &iout, &error));
      g_assert_no_error (error);
      g_assert_cmpint (iout.s, ==, go ? 3333 : 1010033);
    }
  e2e_runtime_finish (rt);
}

typedef struct {
  gint pending;
  gint bad;
} Count;

static void
nested_done (ParNestedOut *out, const GError *error, gpointer data)
{
  Count *c = data;
  g_assert_true (e2e_is_main_thread ());
  if (error != NULL || out->total != 228)
    c->bad++;
  c->pending--;
}

static void
flat_done (ParFlatOut *out, const GError *error, gpointer data)
{
  Count *c = data;
  if (error != NULL || out->sum != 5 * 10 + 15 || out->t2->value != 14)
    c->bad++;
  c->pending--;
}

/* Many instances at once, each branch completing its own way; the user
 * data given to _start reaches every stage. */
static void
test_concurrent (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  Count c = { 0 };
  expected_user_data = &c;
  ParNestedIn in = { .x = 1 };
  ParFlatIn fin = { .x = 10 };
  for (int i = 0; i < 300; i++)
    {
      c.pending += 2;
      par_nested_start (rt, &in, NULL, nested_done, &c);
      par_flat_start (rt, &fin, NULL, flat_done, &c);
    }
  e2e_runtime_finish (rt);
  g_assert_cmpint (c.pending, ==, 0);
  g_assert_cmpint (c.bad, ==, 0);
  expected_user_data = NULL;
}

int
main (int argc, char **argv)
{
  e2e_init (&argc, &argv);
  static const char *const tests[] = { "flat", "nested", "concurrent" };
  static const GTestDataFunc funcs[] = { test_flat, test_nested, test_concurrent };
  for (guint t = 0; t < G_N_ELEMENTS (tests); t++)
    for (int m = 0; m < E2E_N_MODES; m++)
      {
        g_autofree char *path = g_strdup_printf ("/par/%s/%s", tests[t], e2e_mode_names[m]);
        g_test_add_data_func (path, GINT_TO_POINTER (m), funcs[t]);
      }
  return g_test_run ();
}
