/* test-cond.c — cond.df: if/else, if without else, static and dynamic
 * picks on string and integer tables, misses with and without default. */
#include <string.h>

#include "cond.h"

/* ------------------------------------------------------------------ stages */

gboolean
c_maybe (DfContext *ctx, gboolean want, int x, Token **p, GError **error)
{
  *p = want ? token_new (x) : NULL;
  return TRUE;
}

void
c_yes (DfCall *call, Token *p)
{
  g_assert_nonnull (p);
  e2e_return_int (c_yes_return, call, p->value * 2);
}

gboolean
c_no (DfContext *ctx, int x, int *r, GError **error)
{
  *r = -x;
  return TRUE;
}

gboolean
c_dbl (DfContext *ctx, int x, int *y, GError **error)
{
  g_assert_false (e2e_is_main_thread ());
  *y = 2 * x;
  return TRUE;
}

void
c_inc (DfCall *call, int y)
{
  e2e_return_int (c_inc_return, call, y + 1);
}

typedef struct {
  DfCall *call;
  int x;
} TokJob;

static void
c_tok_finish (gpointer data)
{
  TokJob *job = data;
  c_tok_return (job->call, job->x + 1000, token_new (job->x));
  g_free (job);
}

void
c_tok (DfCall *call, int x)
{
  TokJob *job = g_new (TokJob, 1);
  job->call = call;
  job->x = x;
  e2e_defer (c_tok_finish, job);
}

gboolean
c_tok_sync (DfContext *ctx, int x, int *r, Token **t, GError **error)
{
  *r = x + 1000;
  *t = token_new (x);
  return TRUE;
}

static gint notes, uses;

gboolean
c_note (DfContext *ctx, int x, GError **error)
{
  notes++;
  return TRUE;
}

void
c_make (DfCall *call, int x)
{
  e2e_return_token (c_make_return, call, token_new (x));
}

gboolean
c_use (DfContext *ctx, Token *t, GError **error)
{
  g_assert_cmphex (t->magic, ==, TOKEN_MAGIC);
  uses++;
  return TRUE;
}

gboolean
c_final (DfContext *ctx, int x, int *x2, GError **error)
{
  *x2 = 3 * x;
  return TRUE;
}

gboolean
h_k (DfContext *ctx, int a, int k, int *b, GError **error)
{
  *b = a * 100 + k;
  return TRUE;
}

void
h_k_async (DfCall *call, int a, int k)
{
  e2e_return_int (h_k_async_return, call, a * 100 + k);
}

gboolean
h_k_block (DfContext *ctx, int a, int k, int *b, GError **error)
{
  g_assert_false (e2e_is_main_thread ());
  *b = a * 100 + k;
  return TRUE;
}

typedef struct {
  DfCall *call;
  int a, k;
} HTokJob;

static void
h_tok_finish (gpointer data)
{
  HTokJob *job = data;
  h_tok_return (job->call, job->a * 100 + job->k, token_new (job->k));
  g_free (job);
}

void
h_tok (DfCall *call, int a, int k)
{
  HTokJob *job = g_new (HTokJob, 1);
  job->call = call;
  job->a = a;
  job->k = k;
  e2e_defer (h_tok_finish, job);
}

gboolean
h_fallback (DfContext *ctx, int a, int *b, GError **error)
{
  *b = -a;
  return TRUE;
}

gboolean
w_pre (DfContext *ctx, int a, Token **pre, GError **error)
{
  *pre = token_new (a);
  return TRUE;
}

gboolean
w_post (DfContext *ctx, int b, Token *pre, Token *t, int *b2, GError **error)
{
  *b2 = b + pre->value + t->value;
  return TRUE;
}

/* ------------------------------------------------------------------- tests */

static void
test_if_else (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  GError *error = NULL;
  for (int want = 0; want < 2; want++)
    {
      IfPtrIn in = { .want = want, .x = 21 };
      IfPtrOut out;
      g_assert_true (if_ptr_run (rt, &in, &out, &error));
      g_assert_no_error (error);
      g_assert_cmpint (out.r, ==, want ? 42 : -21);

      IfNotPtrIn nin = { .want = want, .x = 21 };
      IfNotPtrOut nout;
      g_assert_true (if_not_ptr_run (rt, &nin, &nout, &error));
      g_assert_no_error (error);
      g_assert_cmpint (nout.r, ==, want ? 42 : -21);

      IfBoolIn bin = { .flag = want, .x = 5 };
      IfBoolOut bout;
      g_assert_true (if_bool_run (rt, &bin, &bout, &error));
      g_assert_no_error (error);
      g_assert_cmpint (bout.r, ==, want ? 11 + 1000 : -5 + 1000);
      g_assert_cmpint (bout.t->value, ==, want ? 11 : -5);
      if_bool_out_clear (&bout);
    }
  /* gboolean conditions are non-zero, not only TRUE. */
  IfBoolIn odd = { .flag = 2, .x = 5 };
  IfBoolOut odd_out;
  g_assert_true (if_bool_run (rt, &odd, &odd_out, &error));
  g_assert_cmpint (odd_out.r, ==, 1011);
  if_bool_out_clear (&odd_out);
  e2e_runtime_finish (rt);
}

static void
test_if_no_else (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  GError *error = NULL;
  for (int flag = 0; flag < 2; flag++)
    for (int n = -1; n <= 1; n++)
      {
        notes = uses = 0;
        tokens_reset ();
        IfNoElseIn in = { .flag = flag, .n = n, .x = 4 };
        IfNoElseOut out;
        g_assert_true (if_no_else_run (rt, &in, &out, &error));
        g_assert_no_error (error);
        g_assert_cmpint (out.x2, ==, 12);
        g_assert_cmpint (notes, ==, 1);
        g_assert_cmpint (uses, ==, (n != 0) + !flag);
        g_assert_cmpint (tokens_created (), ==, 1 + !flag);
        g_assert_cmpint (tokens_live (), ==, 0);
      }
  e2e_runtime_finish (rt);
}

static int
pick_str (DfRuntime *rt, const char *kind, int a)
{
  PickStrIn in = { .kind = kind, .a = a };
  PickStrOut out;
  GError *error = NULL;
  g_assert_true (pick_str_run (rt, &in, &out, &error));
  g_assert_no_error (error);
  return out.b;
}

static void
test_pick_string (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  g_assert_cmpint (pick_str (rt, "on", 3), ==, 301);
  g_assert_cmpint (pick_str (rt, "one", 3), ==, 302);
  g_assert_cmpint (pick_str (rt, "onerous", 3), ==, 303);
  g_assert_cmpint (pick_str (rt, "two", 3), ==, 304);
  g_assert_cmpint (pick_str (rt, "t", 3), ==, 305);
  g_assert_cmpint (pick_str (rt, "a\tb", 3), ==, 306);
  g_assert_cmpint (pick_str (rt, "", 3), ==, 307);
  g_assert_cmpint (pick_str (rt, "\xc3\xa9t\xc3\xa9", 3), ==, 308);
  /* misses: the default arm */
  static const char *const misses[] = { "o", "oner", "onerou", "onerouss", "ones", "tw", "twoo",
                                        "a", "a\t", "ab", "x", "\xc3", "\xc3\xa9t", "ON", "one " };
  for (guint i = 0; i < G_N_ELEMENTS (misses); i++)
    g_assert_cmpint (pick_str (rt, misses[i], 3), ==, -3);
  g_assert_cmpint (pick_str (rt, NULL, 3), ==, -3);

  /* The same table, picked statically. */
  PickStaticIn sin = { .a = 4 };
  PickStaticOut sout;
  GError *error = NULL;
  g_assert_true (pick_static_run (rt, &sin, &sout, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sout.x1, ==, 402);
  g_assert_cmpint (sout.x2, ==, -4);
  g_assert_cmpint (sout.x3, ==, 406);
  g_assert_cmpint (sout.x4, ==, 407);
  g_assert_cmpint (sout.x5, ==, 409);
  e2e_runtime_finish (rt);
}

static void
test_pick_int (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  static const struct { int n; int b; } hits[] = {
    { 1, 701 }, { 2, 702 }, { -5, 703 }, { 16, 70405 }, { 1000000, 706 },
  };
  GError *error = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (hits); i++)
    {
      PickNumIn in = { .n = hits[i].n, .a = 7 };
      PickNumOut out;
      g_assert_true (pick_num_run (rt, &in, &out, &error));
      g_assert_no_error (error);
      g_assert_cmpint (out.b, ==, hits[i].b);

      PickNum64In in64 = { .n = hits[i].n, .a = 7 };
      PickNum64Out out64;
      g_assert_true (pick_num64_run (rt, &in64, &out64, &error));
      g_assert_no_error (error);
      g_assert_cmpint (out64.res, ==, hits[i].b);
    }
  /* no default: a miss is DF_ERROR_DISPATCH naming the key */
  static const gint64 misses[] = { 0, 3, 5, -1, 15, 17, 999999,
                                   G_GINT64_CONSTANT (0x100000001), G_MININT64 };
  for (guint i = 0; i < G_N_ELEMENTS (misses); i++)
    {
      PickNum64In in = { .n = misses[i], .a = 7 };
      PickNum64Out out;
      g_assert_false (pick_num64_run (rt, &in, &out, &error));
      g_assert_error (error, DF_ERROR, DF_ERROR_DISPATCH);
      g_autofree char *key = g_strdup_printf ("'%" G_GINT64_FORMAT "'", misses[i]);
      g_assert_nonnull (strstr (error->message, key));
      g_assert_nonnull (strstr (error->message, "by_num"));
      g_clear_error (&error);
      if (misses[i] >= G_MININT && misses[i] <= G_MAXINT)
        {
          PickNumIn in32 = { .n = (int) misses[i], .a = 7 };
          PickNumOut out32;
          g_assert_false (pick_num_run (rt, &in32, &out32, &error));
          g_assert_error (error, DF_ERROR, DF_ERROR_DISPATCH);
          g_clear_error (&error);
        }
    }
  e2e_runtime_finish (rt);
}

static void
test_pick_owned (gconstpointer data)
{
  DfRuntime *rt = e2e_runtime_new ();
  e2e_mode = GPOINTER_TO_INT (data);
  GError *error = NULL;

  PickWordIn tok = { .word = "tok", .a = 2 };
  PickWordOut out;
  g_assert_true (pick_word_run (rt, &tok, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.b2, ==, 209 + 2 + 9);
  g_assert_cmpint (tokens_live (), ==, 0);

  PickWordIn pair = { .word = "pair", .a = 2 };
  g_assert_true (pick_word_run (rt, &pair, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.b2, ==, 211 + 2 + 10);
  g_assert_cmpint (tokens_live (), ==, 0);

  /* A miss without default fails after w_pre: its token is freed. */
  static const char *const misses[] = { "nope", "to", "toke", "pai", "", NULL };
  for (guint i = 0; i < G_N_ELEMENTS (misses); i++)
    {
      PickWordIn miss = { .word = misses[i], .a = 2 };
      gint before = tokens_created ();
      g_assert_false (pick_word_run (rt, &miss, &out, &error));
      g_assert_error (error, DF_ERROR, DF_ERROR_DISPATCH);
      g_assert_nonnull (strstr (error->message, "by_word"));
      if (misses[i] != NULL)
        {
          g_autofree char *key = g_strdup_printf ("'%s'", misses[i]);
          g_assert_nonnull (strstr (error->message, key));
        }
      g_clear_error (&error);
      g_assert_cmpint (tokens_created (), ==, before + 1);
      g_assert_cmpint (tokens_live (), ==, 0);
    }
  e2e_runtime_finish (rt);
}

#define WIDE(flow, Flow, value) \
  ({ \
    Flow##In in_ = { .n = (value), .a = 1 }; \
    Flow##Out out_; \
    GError *error_ = NULL; \
    g_assert_true (flow##_run (rt, &in_, &out_, &error_)); \
    g_assert_no_error (error_); \
    out_.b; \
  })

static void
test_pick_wide (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  g_assert_cmpint (WIDE (pick_wide_int, PickWideInt, 705032704), ==, 104);
  g_assert_cmpint (WIDE (pick_wide_int, PickWideInt, -1), ==, 106);
  g_assert_cmpint (WIDE (pick_wide_int, PickWideInt, 255), ==, 105);
  g_assert_cmpint (WIDE (pick_wide_int, PickWideInt, 0), ==, -1);
  g_assert_cmpint (WIDE (pick_wide_int, PickWideInt, G_MAXINT), ==, -1);
  g_assert_cmpint (WIDE (pick_wide_int, PickWideInt, G_MININT), ==, -1);
  g_assert_cmpint (WIDE (pick_wide_u8, PickWideU8, 255), ==, 105);
  g_assert_cmpint (WIDE (pick_wide_u8, PickWideU8, 0), ==, -1);
  g_assert_cmpint (WIDE (pick_wide_i64, PickWideI64, G_GINT64_CONSTANT (5000000000)), ==, 101);
  g_assert_cmpint (WIDE (pick_wide_i64, PickWideI64, G_MININT64), ==, 102);
  g_assert_cmpint (WIDE (pick_wide_i64, PickWideI64, G_MAXINT64), ==, 103);
  g_assert_cmpint (WIDE (pick_wide_i64, PickWideI64, 705032704), ==, 104);
  g_assert_cmpint (WIDE (pick_wide_i64, PickWideI64, -1), ==, 106);
  g_assert_cmpint (WIDE (pick_wide_u64, PickWideU64, G_MAXUINT64), ==, 107);
  g_assert_cmpint (WIDE (pick_wide_u64, PickWideU64, G_GUINT64_CONSTANT (5000000000)), ==, 101);
  g_assert_cmpint (WIDE (pick_wide_u64, PickWideU64, (guint64) G_MAXINT64), ==, 103);
  g_assert_cmpint (WIDE (pick_wide_u64, PickWideU64, (guint64) G_MAXINT64 + 1), ==, -1);
  g_assert_cmpint (WIDE (pick_wide_u64, PickWideU64, 255), ==, 105);
  e2e_runtime_finish (rt);
}

int
main (int argc, char **argv)
{
  e2e_init (&argc, &argv);
  static const char *const tests[] = { "if-else", "if-no-else", "pick-string", "pick-int", "pick-owned" };
  static const GTestDataFunc funcs[] = { test_if_else, test_if_no_else, test_pick_string, test_pick_int,
                                         test_pick_owned };
  for (guint t = 0; t < G_N_ELEMENTS (tests); t++)
    for (int m = 0; m < E2E_N_MODES; m++)
      {
        g_autofree char *path = g_strdup_printf ("/cond/%s/%s", tests[t], e2e_mode_names[m]);
        g_test_add_data_func (path, GINT_TO_POINTER (m), funcs[t]);
      }
  g_test_add_func ("/cond/pick-wide-keys", test_pick_wide);
  return g_test_run ();
}
