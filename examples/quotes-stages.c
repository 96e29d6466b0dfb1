/* quotes-stages.c — the two stages of examples/quotes.df that are not in
 * the standard library. */
#include "quotes.h"

/* One row: the quote's time, then its price. */
gboolean
quote_row (DfContext *ctx, char *stamp, char *price, GStrv *record, GError **error)
{
  *record = g_strdupv ((char *[]) { stamp, price, NULL });
  return TRUE;
}

/* After the count'th row, stops the program as a SIGINT does: the round
 * ends, no other starts, and the program exits with status 0. */
gboolean
stop_after (DfContext *ctx, int count, GError **error)
{
  static int rows;

  if (++rows >= count)
    df_runtime_cancel_all (df_context_get_runtime (ctx));
  return TRUE;
}
