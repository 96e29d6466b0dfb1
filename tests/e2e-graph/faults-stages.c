/* faults-stages.c — the stages of faults.df. */
#include "faults.h"

gboolean
numbers (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    numbers_emit (ctx, i);
  return TRUE;
}

gboolean
flaky (DfContext *ctx, int v, int period, int from, int *v_, GError **error)
{
  if (v % period == 0 || v >= from)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no good: %d", v);
      return FALSE;
    }
  *v_ = v;
  return TRUE;
}

gboolean
drop (DfContext *ctx, int v, GError **error)
{
  return TRUE;
}
