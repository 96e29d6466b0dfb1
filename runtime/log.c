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
df_log_init (DfLog *log)
{
  pthread_mutex_init (&log->lock, NULL);
  log->window = -1;            /* no line yet */
  log->in_window = 0;
  log->suppressed = 0;
  log->quiet = 0;
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
log_report_suppressed (DfLog *log)
{
  if (log->suppressed > 0 && !log->quiet)
    g_printerr ("%s: %u more message%s suppressed\n", log_program (),
                log->suppressed, log->suppressed == 1 ? "" : "s");
  log->suppressed = 0;
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
  if (log->window < 0 || now - log->window >= G_TIME_SPAN_SECOND)
    {
      log_report_suppressed (log);
      log->window = now;
      log->in_window = 0;
    }
  if (log->in_window >= DF_LOG_BURST)
    log->suppressed++;
  else
    {
      log->in_window++;
      if (!log->quiet)
        {
          g_autofree char *line = g_strdup_vprintf (format, args);
          g_printerr ("%s\n", line);
        }
    }
  pthread_mutex_unlock (&log->lock);
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
  log_report_suppressed (&rt->log);
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
