/* skip-stages.c — the stages of skip.df.  Round N (from 1) fails when
 * the pattern's Nth character is 'f'; past its end every round fails.
 * sk_show prints the round and the runtime's time since the first round,
 * which the virtual clock makes exact. */
#include <stdio.h>
#include <string.h>

#include "skip.h"

static int rounds;
static gint64 first;

gboolean
sk_read (DfContext *ctx, const char *pattern, int *round, GError **error)
{
  gint64 now = df_runtime_get_time (df_context_get_runtime (ctx));
  if (rounds++ == 0)
    first = now;
  if ((size_t) rounds > strlen (pattern) || pattern[rounds - 1] == 'f')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "round %d failed at +%" G_GINT64_FORMAT "s",
                   rounds, (now - first) / G_TIME_SPAN_SECOND);
      return FALSE;
    }
  *round = rounds;
  return TRUE;
}

gboolean
sk_show (DfContext *ctx, int round, GError **error)
{
  gint64 now = df_runtime_get_time (df_context_get_runtime (ctx));
  printf ("round %d at +%" G_GINT64_FORMAT "s\n", round, (now - first) / G_TIME_SPAN_SECOND);
  return TRUE;
}
