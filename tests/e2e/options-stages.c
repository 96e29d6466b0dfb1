/* options-stages.c — the stages of options.df: each passes its inputs on
 * as outputs, which the generated main () prints as name=value. */
#include "options.h"

gboolean
o_show (DfContext *ctx, const char *url, int per_page, gboolean verbose, gboolean colour, double ratio,
        float scale, GTimeSpan wait, const char **url_out, int *per_page_out, gboolean *verbose_out,
        gboolean *colour_out, double *ratio_out, double *scale_out, gint64 *wait_out, GError **error)
{
  *url_out = url;
  *per_page_out = per_page;
  *verbose_out = verbose;
  *colour_out = colour;
  *ratio_out = ratio;
  *scale_out = scale;
  *wait_out = wait;
  return TRUE;
}

gboolean
o_ints (DfContext *ctx, const char *tag, guint64 big, gint32 i32, guint u32, gsize size, gint8 i8, gint64 i64,
        gboolean colour, const char **tag_out, guint64 *big_out, gint32 *i32_out, guint *u32_out,
        gsize *size_out, gint8 *i8_out, gint64 *i64_out, gboolean *colour_too, GError **error)
{
  *colour_too = colour;
  *tag_out = tag;
  *big_out = big;
  *i32_out = i32;
  *u32_out = u32;
  *size_out = size;
  *i8_out = i8;
  *i64_out = i64;
  return TRUE;
}
