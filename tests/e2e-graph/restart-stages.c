/* restart-stages.c — the stages of restart.df and restart-long.df (the
 * same stages; RESTART_HEADER names the header to implement). */
#include <stdio.h>
#include <stdlib.h>

#ifndef RESTART_HEADER
#define RESTART_HEADER "restart.h"
#endif
#include RESTART_HEADER

gboolean
flaky_source (DfContext *ctx, int n, GError **error)
{
  static int runs;
  const char *env = g_getenv ("FLAKY_FAILS");
  int fails = env ? atoi (env) : 2;
  if (++runs <= fails)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "run %d fails", runs);
      return FALSE;
    }
  for (int i = 0; i < n; i++)
    flaky_source_emit (ctx, i);
  return TRUE;
}

gboolean
print_v (DfContext *ctx, int v, GError **error)
{
  printf ("%d\n", v);
  return TRUE;
}
