/* test-link.c — link_one.df and link_two.df declare the same stages,
 * table and flows; generated with --prefix one_ and --prefix two_ they
 * link into one program and run side by side. */
#include "link_one.h"
#include "link_two.h"

static void
work_finish (DfCall *call, int value, gboolean two)
{
  if (two)
    two_work_return (call, token_new (value));
  else
    one_work_return (call, token_new (value));
}

void
one_work (DfCall *call, int x, int k)
{
  work_finish (call, x * 10 + k, FALSE);
}

void
two_work (DfCall *call, int x, int k)
{
  work_finish (call, x * 10 + k + 100, TRUE);
}

gboolean
one_blocking_work (DfContext *ctx, Token *t, int *y, GError **error)
{
  *y = t->value;
  return TRUE;
}

gboolean
two_blocking_work (DfContext *ctx, Token *t, int *y, GError **error)
{
  *y = -t->value;
  return TRUE;
}

static void
test_both (void)
{
  DfRuntime *rt = e2e_runtime_new ();
  GError *error = NULL;
  OneOuterIn in1 = { .x = 4 };
  OneOuterOut out1;
  TwoOuterIn in2 = { .x = 4 };
  TwoOuterOut out2;
  g_assert_true (one_outer_run (rt, &in1, &out1, &error));
  g_assert_no_error (error);
  g_assert_true (two_outer_run (rt, &in2, &out2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out1.y, ==, 41);
  g_assert_cmpint (out2.y, ==, -142);

  OneInnerIn i1 = { .x = 5, .kind = "zz" };
  OneInnerOut o1;
  g_assert_true (one_inner_run (rt, &i1, &o1, &error));
  g_assert_cmpint (o1.t->value, ==, 50);
  one_inner_out_clear (&o1);
  e2e_runtime_finish (rt);
}

int
main (int argc, char **argv)
{
  e2e_init (&argc, &argv);
  g_test_add_func ("/link/two-prefixes", test_both);
  return g_test_run ();
}
