/* prog-stages.c — the stages of prog.df, a standalone graph program. */
#include <stdio.h>

#include "prog.h"

gboolean
source (DfContext *ctx, int n, GError **error)
{
  GCancellable *cancellable = df_context_get_cancellable (ctx);
  for (int i = 0; n < 0 || i < n; i++)
    {
      if (n < 0)
        {
          /* Until the first signal drains the graph (which cancels the
           * start nodes' calls); with -2, ending then with the error a
           * GIO read reports, which the drain takes as the end. */
          if (g_cancellable_is_cancelled (cancellable) && n == -2)
            return !g_cancellable_set_error_if_cancelled (cancellable, error);
          /* With -3, stuck: a stage that ignores the cancellation and
           * never returns. */
          while (g_cancellable_is_cancelled (cancellable) && n == -3)
            g_usleep (G_USEC_PER_SEC);
          if (g_cancellable_is_cancelled (cancellable))
            break;
          g_usleep (100);
        }
      source_emit (ctx, i);
    }
  return TRUE;
}

gboolean
check (DfContext *ctx, int v, int bad, int *v_, GError **error)
{
  if (v == bad)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "check failed on %d", v);
      return FALSE;
    }
  *v_ = v;
  return TRUE;
}

gboolean
show (DfContext *ctx, int v, const char *tag, int pause, GError **error)
{
  printf ("%s %d\n", tag, v);
  if (pause > 0)
    g_usleep ((gulong) pause * 1000);
  return TRUE;
}
