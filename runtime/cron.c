/* cron.c — five-field cron expressions for `cron "…"` start nodes.
 *
 * Each field becomes a bit set; the next run time is found by walking
 * forward by month, day, hour and minute (skipping whole months or days
 * that cannot match), so even "0 0 29 2 *" is found without walking
 * minutes.
 */
#include <string.h>

#include "dfrt-private.h"
#include "dfrt-graph.h"

struct _DfCron {
  guint64  minute;     /* bits 0-59 */
  guint32  hour;       /* bits 0-23 */
  guint32  dom;        /* bits 1-31 */
  guint32  month;      /* bits 1-12 */
  guint32  dow;        /* bits 0-6, Sunday = 0 */
  gboolean dom_star;   /* the field started with '*' */
  gboolean dow_star;
};

typedef struct {
  const char *name;
  guint       min, max;
  const char *const *names;  /* nullable; names[i] is value min + i */
} CronField;

static const char *const month_names[] = {
  "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", NULL
};
static const char *const day_names[] = {
  "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

static const CronField fields[5] = {
  { "minute",       0, 59, NULL },
  { "hour",         0, 23, NULL },
  { "day of month", 1, 31, NULL },
  { "month",        1, 12, month_names },
  { "day of week",  0, 7,  day_names },
};

static gboolean
cron_error (GError **error, const char *expr, const CronField *f, const char *fmt, ...)
  G_GNUC_PRINTF (4, 5);

static gboolean
cron_error (GError **error, const char *expr, const CronField *f, const char *fmt, ...)
{
  va_list args;

  va_start (args, fmt);
  char *msg = g_strdup_vprintf (fmt, args);
  va_end (args);
  if (f)
    g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "cron expression '%s': %s field: %s",
                 expr, f->name, msg);
  else
    g_set_error (error, DF_ERROR, DF_ERROR_USAGE, "cron expression '%s': %s", expr, msg);
  g_free (msg);
  return FALSE;
}

/* A number or a name at *p. */
static gboolean
cron_value (const char **p, const CronField *f, const char *expr, guint *out, GError **error)
{
  const char *s = *p;

  if (g_ascii_isdigit (*s))
    {
      guint v = 0;
      while (g_ascii_isdigit (*s))
        {
          v = v * 10 + (guint) (*s++ - '0');
          if (v > 1000)
            break;
        }
      if (v < f->min || v > f->max)
        return cron_error (error, expr, f, "%u is out of range %u-%u", v, f->min, f->max);
      *out = v;
      *p = s;
      return TRUE;
    }
  if (f->names && g_ascii_isalpha (s[0]) && g_ascii_isalpha (s[1]) && g_ascii_isalpha (s[2]))
    for (guint i = 0; f->names[i]; i++)
      if (g_ascii_strncasecmp (s, f->names[i], 3) == 0 && !g_ascii_isalpha (s[3]))
        {
          *out = f->min + i;
          *p = s + 3;
          return TRUE;
        }
  return cron_error (error, expr, f, "unexpected '%.*s'", (int) strcspn (s, " \t,-/"), s);
}

/* One field, "a-b/n,c,*", into a bit set. */
static gboolean
cron_field (const char *text, const CronField *f, const char *expr, guint64 *bits,
            gboolean *star, GError **error)
{
  const char *p = text;

  *bits = 0;
  *star = text[0] == '*';
  for (;;)
    {
      guint lo, hi, step = 1;

      if (*p == '*')
        {
          lo = f->min;
          hi = f->max == 7 ? 6 : f->max;
          p++;
        }
      else
        {
          if (!cron_value (&p, f, expr, &lo, error))
            return FALSE;
          hi = lo;
          if (*p == '-')
            {
              p++;
              if (!cron_value (&p, f, expr, &hi, error))
                return FALSE;
              if (hi < lo)
                return cron_error (error, expr, f, "range %u-%u is backwards", lo, hi);
            }
        }
      if (*p == '/')
        {
          p++;
          if (!g_ascii_isdigit (*p))
            return cron_error (error, expr, f, "a step needs a number");
          step = 0;
          while (g_ascii_isdigit (*p) && step <= 1000)
            step = step * 10 + (guint) (*p++ - '0');
          if (step == 0 || step > f->max)
            return cron_error (error, expr, f, "step %u is out of range 1-%u", step, f->max);
          if (lo == hi && text[0] != '*')
            hi = f->max;   /* "5/15": from 5 to the end */
        }
      for (guint v = lo; v <= hi; v += step)
        *bits |= G_GUINT64_CONSTANT (1) << (f->max == 7 && v == 7 ? 0 : v);
      if (*p == '\0')
        return TRUE;
      if (*p != ',')
        return cron_error (error, expr, f, "unexpected '%c'", *p);
      p++;
    }
}

DfCron *
df_cron_parse (const char *expr, GError **error)
{
  g_return_val_if_fail (expr != NULL, NULL);

  g_auto (GStrv) parts = g_strsplit_set (expr, " \t", -1);
  const char *words[5];
  guint n = 0;

  for (guint i = 0; parts[i]; i++)
    if (parts[i][0] != '\0')
      {
        if (n == 5)
          {
            cron_error (error, expr, NULL, "more than five fields");
            return NULL;
          }
        words[n++] = parts[i];
      }
  if (n != 5)
    {
      cron_error (error, expr, NULL, "expected five fields (minute hour day month weekday), got %u", n);
      return NULL;
    }

  DfCron *cron = g_new0 (DfCron, 1);
  guint64 bits[5];
  gboolean star[5];
  for (guint i = 0; i < 5; i++)
    if (!cron_field (words[i], &fields[i], expr, &bits[i], &star[i], error))
      {
        g_free (cron);
        return NULL;
      }
  cron->minute = bits[0];
  cron->hour = (guint32) bits[1];
  cron->dom = (guint32) bits[2];
  cron->month = (guint32) bits[3];
  cron->dow = (guint32) bits[4];
  cron->dom_star = star[2];
  cron->dow_star = star[4];
  return cron;
}

void
df_cron_free (DfCron *cron)
{
  g_free (cron);
}

static gboolean
cron_day_matches (const DfCron *cron, guint y, guint m, guint d)
{
  gboolean dom = (cron->dom >> d) & 1;
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  guint wd = g_date_get_weekday (&date) % 7;   /* Monday 1 .. Sunday 7 -> 0 */
  gboolean dow = (cron->dow >> wd) & 1;

  if (cron->dom_star || cron->dow_star)
    return dom && dow;
  return dom || dow;
}

GDateTime *
df_cron_next (const DfCron *cron, GDateTime *after)
{
  g_return_val_if_fail (cron != NULL && after != NULL, NULL);

  GTimeZone *tz = g_date_time_get_timezone (after);
  gint y = g_date_time_get_year (after);
  guint mo = (guint) g_date_time_get_month (after);
  guint d = (guint) g_date_time_get_day_of_month (after);
  guint h = (guint) g_date_time_get_hour (after);
  guint mi = (guint) g_date_time_get_minute (after) + 1;
  gint last_year = y + 8;

  for (;;)
    {
      /* Normalise the carry of the last step. */
      if (mi > 59) { mi = 0; h++; }
      if (h > 23) { h = 0; d++; }
      if (d > g_date_get_days_in_month ((GDateMonth) mo, (GDateYear) y)) { d = 1; mo++; }
      if (mo > 12) { mo = 1; y++; }
      if (y > last_year)
        return NULL;

      if (!((cron->month >> mo) & 1))
        { mo++; d = 1; h = 0; mi = 0; if (mo > 12) { mo = 1; y++; } continue; }
      if (!cron_day_matches (cron, (guint) y, mo, d))
        { d++; h = 0; mi = 0; continue; }
      if (!((cron->hour >> h) & 1))
        { h++; mi = 0; continue; }
      if (!((cron->minute >> mi) & 1))
        { mi++; continue; }

      GDateTime *t = g_date_time_new (tz, y, (gint) mo, (gint) d, (gint) h, (gint) mi, 0);
      /* A local time that does not exist (DST) or repeats: go on. */
      if (t && g_date_time_compare (t, after) > 0)
        return t;
      if (t)
        g_date_time_unref (t);
      mi++;
    }
}
