/* test-vis.c — vis.df: visibility none / initial / all, and mappers
 * (constants of every literal kind, `param = key`, renames, drops). */
#include <string.h>

#include "vis.h"
#include "runtime-wait.h"

/* ------------------------------------------------------------------ stages */

gboolean
n_double (DfContext *ctx, int x, int *y, GError **error)
{
  *y = 2 * x;
  return TRUE;
}

gboolean
n_inc (DfContext *ctx, int y, int *y_out, GError **error)
{
  *y_out = y + 1;
  return TRUE;
}

gboolean
n_square (DfContext *ctx, int y, int *z, GError **error)
{
  *z = y * y;
  return TRUE;
}

gboolean
t_make (DfContext *ctx, int x, Token **t, GError **error)
{
  *t = token_new (x);
  return TRUE;
}

void
t_wrap (DfCall *call, Token *t)
{
  g_assert_cmphex (t->magic, ==, TOKEN_MAGIC);
  e2e_return_token (t_wrap_return, call, token_new (t->value * 10));
}

gboolean
t_value (DfContext *ctx, Token *u, int *v, Token **w, GError **error)
{
  *v = u->value + 1;
  *w = token_new (u->value + 2);
  return TRUE;
}

gboolean
i_scale (DfContext *ctx, int x, int factor, int *y, GError **error)
{
  *y = x * factor;
  return TRUE;
}

void
i_offset (DfCall *call, int y, int base)
{
  e2e_return_int (i_offset_return, call, y + base);
}

gboolean
i_check (DfContext *ctx, int z, const char *label, Token *t, gboolean *ok, GError **error)
{
  *ok = z == 3 * 4 + 100 && strcmp (label, "lbl") == 0 && t->value == 77;
  return TRUE;
}

gboolean
a_one (DfContext *ctx, int x, int *y, GError **error)
{
  *y = x + 1;
  return TRUE;
}

gboolean
a_two (DfContext *ctx, int y, int *z, GError **error)
{
  g_assert_false (e2e_is_main_thread ());
  *z = y * 10;
  return TRUE;
}

gboolean
a_three (DfContext *ctx, int x, int y, int z, int *s, Token **keep, GError **error)
{
  *s = x * 10000 + y * 100 + z;
  *keep = token_new (x);
  return TRUE;
}

static gint consts_calls;

gboolean
consts (DfContext *ctx, int i, int neg, int hex, gint64 big, guint u, gint8 small, double f, double e,
        float nf, double fi, gboolean b, gboolean nb, int bi, bool bb, _Bool b2, const char *s,
        const char *esc, const gchar *empty, GTimeSpan d_us, gint64 d_ms, GTimeSpan d_s, GTimeSpan d_m,
        int64_t d_h, int *sum, GError **error)
{
  g_atomic_int_inc (&consts_calls);
  g_assert_cmpint (i, ==, 42);
  g_assert_cmpint (neg, ==, -7);
  g_assert_cmpint (hex, ==, 31);
  g_assert_cmpint (big, ==, G_GINT64_CONSTANT (5000000000));
  g_assert_cmpuint (u, ==, 4000000000u);
  g_assert_cmpint (small, ==, -128);
  g_assert_cmpfloat (f, ==, 2.5);
  g_assert_cmpfloat (e, ==, 2.5e-3);
  g_assert_cmpfloat (nf, ==, -0.5f);
  g_assert_cmpfloat (fi, ==, 3.0);
  g_assert_true (b);
  g_assert_false (nb);
  g_assert_cmpint (bi, ==, 1);
  g_assert_true (bb);
  g_assert_false (b2);
  g_assert_cmpstr (s, ==, "hello");
  g_assert_cmpstr (esc, ==, "a\tb\"c\\dA\n");
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpint (d_us, ==, 10);
  g_assert_cmpint (d_ms, ==, 250 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (d_s, ==, 2 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (d_m, ==, 5 * G_TIME_SPAN_MINUTE);
  g_assert_cmpint (d_h, ==, G_TIME_SPAN_HOUR);
  *sum = i + neg + hex;
  return TRUE;
}

void
consts_async (DfCall *call, int n, const char *s, GTimeSpan d)
{
  g_assert_cmpstr (s, ==, "async");
  g_assert_cmpint (d, ==, 3 * G_TIME_SPAN_SECOND);
  e2e_return_int (consts_async_return, call, n + (int) (d / G_TIME_SPAN_SECOND));
}

gboolean
m_pair (DfContext *ctx, int x, int *lo, int *hi, GError **error)
{
  *lo = x - 1;
  *hi = x + 5;
  return TRUE;
}

gboolean
m_sub (DfContext *ctx, int a, int b, int *d, GError **error)
{
  *d = a - b;
  return TRUE;
}

static void
m_toks_finish (gpointer data)
{
  DfCall *call = data;
  m_toks_return (call, token_new (1), token_new (2));
}

void
m_toks (DfCall *call, int x)
{
  e2e_defer (m_toks_finish, call);
}

static gint m_note_seen;

gboolean
m_note (DfContext *ctx, int d, GError **error)
{
  g_atomic_int_set (&m_note_seen, d);
  return TRUE;
}

gboolean
m_drop_all (DfContext *ctx, int x, Token **t, Token **u, GError **error)
{
  g_assert_false (e2e_is_main_thread ());
  *t = token_new (x);
  *u = token_new (x);
  return TRUE;
}

gboolean
m_id (DfContext *ctx, int x, int *x2, GError **error)
{
  *x2 = x * 2;
  return TRUE;
}

void
ch_inc (DfCall *call, int v)
{
  e2e_return_int (ch_inc_return, call, v + 1);
}

void
ch_tok (DfCall *call, Token *t)
{
  e2e_return_token (ch_tok_return, call, token_new (t->value + 1));
}

/* ------------------------------------------------------------------- tests */

static void
test_none (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  VisNoneIn in = { .x = 3 };
  VisNoneOut out;
  GError *error = NULL;
  g_assert_true (vis_none_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.z, ==, 64);   /* (2*3 + 1 + 1)^2 */
  vis_none_out_clear (&out);
  e2e_runtime_finish (rt);
}

static void
test_none_tokens (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  VisNoneTokIn in = { .x = 4 };
  VisNoneTokOut out;
  GError *error = NULL;
  g_assert_true (vis_none_tok_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.v, ==, 41);
  g_assert_cmpint (out.w->value, ==, 42);
  /* t and u were freed after their readers; w is the caller's. */
  g_assert_cmpint (tokens_created (), ==, 3);
  g_assert_cmpint (tokens_live (), ==, 1);
  vis_none_tok_out_clear (&out);
  g_assert_null (out.w);
  e2e_runtime_finish (rt);
}

static void
test_initial (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  Token *t = token_new (77);
  VisInitialIn in = { .x = 3, .factor = 4, .base = 100, .label = "lbl", .t = t };
  VisInitialOut out;
  GError *error = NULL;
  g_assert_true (vis_initial_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.z, ==, 112);
  g_assert_true (out.label == in.label);   /* borrowed: passed through */
  /* An owned input that is an output is copied: the caller keeps its own. */
  g_assert_nonnull (out.t);
  g_assert_true (out.t != t);
  g_assert_cmpint (out.t->value, ==, 77);
  g_assert_cmpint (tokens_copied (), ==, 1);
  vis_initial_out_clear (&out);
  g_assert_cmphex (t->magic, ==, TOKEN_MAGIC);   /* the flow never freed the input */

  VisInitialLateIn late = { .x = 3, .factor = 4, .base = 100, .label = "lbl", .t = t };
  VisInitialLateOut late_out;
  g_assert_true (vis_initial_late_run (rt, &late, &late_out, &error));
  g_assert_no_error (error);
  g_assert_true (late_out.ok);
  vis_initial_late_out_clear (&late_out);
  token_free (t);
  e2e_runtime_finish (rt);
}

static void
test_all (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  VisAllIn in = { .x = 5 };
  VisAllOut out;
  GError *error = NULL;
  g_assert_true (vis_all_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.x, ==, 5);
  g_assert_cmpint (out.y, ==, 6);
  g_assert_cmpint (out.s, ==, 5 * 10000 + 6 * 100 + 60);
  g_assert_cmpint (out.keep->value, ==, 5);
  /* Steal an owned output: out_clear leaves it alone. */
  Token *keep = g_steal_pointer (&out.keep);
  vis_all_out_clear (&out);
  g_assert_cmphex (keep->magic, ==, TOKEN_MAGIC);
  token_free (keep);
  e2e_runtime_finish (rt);
}

static void
test_consts (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  MapperConstsIn in = { 0 };
  MapperConstsOut out;
  GError *error = NULL;
  g_atomic_int_set (&consts_calls, 0);
  g_assert_true (mapper_consts_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (consts_calls, ==, 1);
  g_assert_cmpint (out.sum, ==, 42 - 7 + 31);

  for (int m = 0; m < E2E_MIXED; m++)
    {
      e2e_mode = m;
      MapperConstsAsyncIn ain = { .n = 10 };
      MapperConstsAsyncOut aout;
      g_assert_true (mapper_consts_async_run (rt, &ain, &aout, &error));
      g_assert_no_error (error);
      g_assert_cmpint (aout.sum, ==, 13);
    }
  e2e_runtime_finish (rt);
}

static void
test_keys (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  MapperKeysIn in = { .x = 10 };
  MapperKeysOut out;
  GError *error = NULL;
  g_atomic_int_set (&m_note_seen, 0);
  g_assert_true (mapper_keys_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.d, ==, 15 - 9);
  g_assert_cmpint (out.diff, ==, 9 - 15);
  g_assert_cmpint (g_atomic_int_get (&m_note_seen), ==, 6);   /* m_note read d */
  g_assert_cmpint (out.k->value, ==, 1);
  /* drop was freed by the flow; k is the caller's */
  g_assert_cmpint (tokens_created (), ==, 2);
  g_assert_cmpint (tokens_live (), ==, 1);
  mapper_keys_out_clear (&out);

  MapperRenameNoneIn rin = { .x = 10 };
  MapperRenameNoneOut rout;
  g_assert_true (mapper_rename_none_run (rt, &rin, &rout, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rout.d, ==, 15 - 9);   /* a = hi, b = lo */
  e2e_runtime_finish (rt);
}

static void
test_drops (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  MapperDropsIn in = { .x = 21 };
  MapperDropsOut out;
  GError *error = NULL;
  g_assert_true (mapper_drops_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.x2, ==, 42);
  g_assert_cmpint (tokens_created (), ==, 2);
  g_assert_cmpint (tokens_live (), ==, 0);
  e2e_runtime_finish (rt);
}

/* Every flow once more, all started at once with _start. */
typedef struct {
  gint pending;
  gint failures;
} Many;

static void
many_none_done (VisNoneOut *out, const GError *error, gpointer data)
{
  Many *m = data;
  if (error != NULL || out->z != 64)
    m->failures++;
  m->pending--;
}

static void
many_tok_done (VisNoneTokOut *out, const GError *error, gpointer data)
{
  Many *m = data;
  if (error != NULL || out->v != 41 || out->w->value != 42)
    m->failures++;
  m->pending--;   /* out->w is freed after this callback */
}

static void
many_keys_done (MapperKeysOut *out, const GError *error, gpointer data)
{
  Many *m = data;
  if (error != NULL || out->d != 6 || out->k->value != 1)
    m->failures++;
  m->pending--;
}

static void
test_started_together (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = E2E_MIXED;
  Many m = { 0 };
  VisNoneIn none_in = { .x = 3 };
  VisNoneTokIn tok_in = { .x = 4 };
  MapperKeysIn keys_in = { .x = 10 };
  for (int i = 0; i < 50; i++)
    {
      m.pending += 3;
      vis_none_start (rt, &none_in, NULL, many_none_done, &m);
      vis_none_tok_start (rt, &tok_in, NULL, many_tok_done, &m);
      mapper_keys_start (rt, &keys_in, NULL, many_keys_done, &m);
    }
  e2e_runtime_finish (rt);
  g_assert_cmpint (m.pending, ==, 0);
  g_assert_cmpint (m.failures, ==, 0);
}

static void
chain_done (ChainOut *out, const GError *error, gpointer data)
{
  g_assert_no_error (error);
  g_assert_cmpint (out->v, ==, 10);
  (*(gint *) data)++;
}

/* Async stages that complete inside their call go on in the same step:
 * one ready-list task per flow, however many calls. */
static void
test_inline_chain (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = E2E_INLINE;
  DfRuntimeCounters before, after;
  runtime_run_or_fail (rt, 30);
  df_runtime_get_counters (rt, &before);
  gint done = 0;
  ChainIn in = { .v = 0 };
  for (int i = 0; i < 100; i++)
    chain_start (rt, &in, NULL, chain_done, &done);
  runtime_run_or_fail (rt, 30);
  df_runtime_get_counters (rt, &after);
  g_assert_cmpint (done, ==, 100);
  g_assert_cmpuint (after.tasks_run - before.tasks_run, <=, 100);

  /* an owned value replaced four times: each old one freed, the input kept */
  Token *t = token_new (1);
  ChainTokIn tin = { .t = t };
  ChainTokOut tout;
  GError *error = NULL;
  g_assert_true (chain_tok_run (rt, &tin, &tout, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tout.t->value, ==, 5);
  g_assert_true (tout.t != t);
  g_assert_cmpint (tokens_live (), ==, 2);   /* the input and the output */
  chain_tok_out_clear (&tout);
  token_free (t);
  e2e_runtime_finish (rt);
}

int
main (int argc, char **argv)
{
  e2e_init (&argc, &argv);
  g_test_add_func ("/vis/none", test_none);
  for (int m = 0; m < E2E_N_MODES; m++)
    {
      g_autofree char *tok = g_strdup_printf ("/vis/none-tokens/%s", e2e_mode_names[m]);
      g_autofree char *keys = g_strdup_printf ("/vis/mapper-keys/%s", e2e_mode_names[m]);
      g_test_add_data_func (tok, GINT_TO_POINTER (m), test_none_tokens);
      g_test_add_data_func (keys, GINT_TO_POINTER (m), test_keys);
    }
  g_test_add_func ("/vis/initial", test_initial);
  g_test_add_func ("/vis/all", test_all);
  g_test_add_func ("/vis/mapper-consts", test_consts);
  g_test_add_func ("/vis/mapper-drops", test_drops);
  g_test_add_func ("/vis/started-together", test_started_together);
  g_test_add_func ("/vis/inline-chain", test_inline_chain);
  return g_test_run ();
}
