/* log.c — the runtime's one line-per-event log: skipped and retried
 * failures, stuck stages, anything a user must not miss.
 *
 * Data loss must never be silent, yet a pipeline failing on every item of
 * a million must not bury the terminal: at most DF_LOG_BURST lines per
 * second of the runtime's clock, then one "N more suppressed" line when
 * the next second begins (or at df_runtime_log_flush()).  The runtime's
 * clock, so a virtual clock makes the limit deterministic.  `--quiet`
 * (df_runtime_set_quiet) silences it; the counting goes on regardless.
 */
#include <stdarg.h>

#include "dfrt-private.h"

void
df_log_limit_init (DfLogLimit *limit)
{
  limit->window = -1;
  limit->in_window = 0;
  limit->suppressed = 0;
}

gboolean
df_log_limit_admit (DfLogLimit *limit, gint64 now, guint64 *held_back)
{
  *held_back = 0;
  if (limit->window < 0 || now - limit->window >= G_TIME_SPAN_SECOND)
    {
      *held_back = df_log_limit_take_held_back (limit);
      limit->window = now;
      limit->in_window = 0;
    }
  if (limit->in_window >= DF_LOG_BURST)
    {
      limit->suppressed++;
      return FALSE;
    }
  limit->in_window++;
  return TRUE;
}

guint64
df_log_limit_take_held_back (DfLogLimit *limit)
{
  guint64 n = limit->suppressed;

  limit->suppressed = 0;
  return n;
}

void
df_log_init (DfLog *log)
{
  pthread_mutex_init (&log->lock, NULL);
  df_log_limit_init (&log->limit);
  log->logged = 0;
  log->quiet = FALSE;
}

void
df_log_shutdown (DfLog *log)
{
  pthread_mutex_destroy (&log->lock);
}

static const char *
log_program (void)
{
  return g_get_prgname () ? g_get_prgname () : "dfrt";
}

/* With the lock held. */
static void
log_report_suppressed (DfLog *log, guint64 n)
{
  if (n > 0 && !log->quiet)
    g_printerr ("%s: %" G_GUINT64_FORMAT " more message%s suppressed\n", log_program (),
                n, n == 1 ? "" : "s");
}

void
df_runtime_set_quiet (DfRuntime *rt, gboolean quiet)
{
  g_return_if_fail (rt != NULL);
  pthread_mutex_lock (&rt->log.lock);
  rt->log.quiet = quiet != FALSE;
  pthread_mutex_unlock (&rt->log.lock);
}

gboolean
df_runtime_get_quiet (DfRuntime *rt)
{
  g_return_val_if_fail (rt != NULL, FALSE);
  pthread_mutex_lock (&rt->log.lock);
  gboolean quiet = rt->log.quiet;
  pthread_mutex_unlock (&rt->log.lock);
  return quiet;
}

void
df_runtime_logv (DfRuntime *rt, const char *format, va_list args)
{
  g_return_if_fail (rt != NULL && format != NULL);
  gint64 now = df_runtime_get_time (rt);
  DfLog *log = &rt->log;

  pthread_mutex_lock (&log->lock);
  log->logged++;
  guint64 held_back;
  gboolean admitted = df_log_limit_admit (&log->limit, now, &held_back);
  log_report_suppressed (log, held_back);
  if (admitted && !log->quiet)
    {
      g_autofree char *line = g_strdup_vprintf (format, args);
      g_printerr ("%s\n", line);
    }
  pthread_mutex_unlock (&log->lock);
}

void
df_log_write (DfRuntime *rt, const char *line)
{
  pthread_mutex_lock (&rt->log.lock);
  if (!rt->log.quiet)
    g_printerr ("%s\n", line);
  pthread_mutex_unlock (&rt->log.lock);
}

void
df_runtime_log (DfRuntime *rt, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  df_runtime_logv (rt, format, args);
  va_end (args);
}

void
df_runtime_log_flush (DfRuntime *rt)
{
  g_return_if_fail (rt != NULL);
  pthread_mutex_lock (&rt->log.lock);
  log_report_suppressed (&rt->log, df_log_limit_take_held_back (&rt->log.limit));
  pthread_mutex_unlock (&rt->log.lock);
}

guint64
df_runtime_get_n_logged (DfRuntime *rt)
{
  g_return_val_if_fail (rt != NULL, 0);
  pthread_mutex_lock (&rt->log.lock);
  guint64 n = rt->log.logged;
  pthread_mutex_unlock (&rt->log.lock);
  return n;
}
