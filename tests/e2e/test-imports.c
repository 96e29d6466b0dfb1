/* test-imports.c — imports.df and imports/tokens.df generate one program:
 * the stages of both files run in one flow, and the type the imported
 * file declares frees its tokens exactly once. */
#include "imports.h"

void
make (DfCall *call, int x)
{
  e2e_return_token ((E2eReturnToken) make_return, call, token_new (2 * x));
}

gboolean
measure (DfContext *ctx, Token *t, int *y, GError **error)
{
  *y = t->value + 1;
  return TRUE;
}

static void
test_two_files (void)
{
  tokens_reset ();
  DfRuntime *rt = e2e_runtime_new ();
  GError *error = NULL;
  for (int x = 0; x < 3; x++)
    {
      TwiceIn in = { .x = x };
      TwiceOut out;
      g_assert_true (twice_run (rt, &in, &out, &error));
      g_assert_no_error (error);
      g_assert_cmpint (out.y, ==, 2 * x + 1);
    }
  e2e_runtime_finish (rt);
  g_assert_cmpint (tokens_created (), ==, 3);
  g_assert_cmpint (tokens_live (), ==, 0);
}

int
main (int argc, char **argv)
{
  e2e_init (&argc, &argv);
  g_test_add_func ("/imports/two-files", test_two_files);
  return g_test_run ();
}
