/* error.c — the DF_ERROR domain and the errors the runtime makes. */
#include "dfrt-private.h"

G_DEFINE_QUARK (df-error-quark, df_error)

GError *
df_error_ensure (GError *error, const char *stage)
{
  if (error)
    return error;
  return g_error_new (DF_ERROR, DF_ERROR_STAGE_FAILED,
                      "stage '%s' failed without an error", stage ? stage : "?");
}

GError *
df_error_new_dispatch (const char *table, const char *key)
{
  if (key == NULL)
    return g_error_new (DF_ERROR, DF_ERROR_DISPATCH,
                        "table '%s' has no arm for a NULL key and no default", table);
  return g_error_new (DF_ERROR, DF_ERROR_DISPATCH,
                      "table '%s' has no arm for '%s' and no default", table, key);
}

GError *
df_error_new_cancelled (void)
{
  return g_error_new_literal (DF_ERROR, DF_ERROR_CANCELLED, "cancelled");
}

const char *
df_format_duration (GTimeSpan span, char buf[32])
{
  static const struct { GTimeSpan size; const char *unit; } units[] = {
    { G_TIME_SPAN_HOUR, "h" },
    { G_TIME_SPAN_MINUTE, "m" },
    { G_TIME_SPAN_SECOND, "s" },
    { G_TIME_SPAN_MILLISECOND, "ms" },
  };

  if (span == 0)
    {
      g_strlcpy (buf, "0s", 32);
      return buf;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (units); i++)
    if (span % units[i].size == 0)
      {
        g_snprintf (buf, 32, "%" G_GINT64_FORMAT "%s", span / units[i].size, units[i].unit);
        return buf;
      }
  g_snprintf (buf, 32, "%" G_GINT64_FORMAT "us", span);
  return buf;
}
