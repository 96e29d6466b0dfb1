/* signals.c — SIGINT/SIGTERM for standalone programs.
 *
 * The first signal stops gracefully: running flows are cancelled (they end
 * with DF_ERROR_CANCELLED, freeing what they own) and supervisors stop
 * restarting, so the program drains and exits on its own.  A second signal
 * means the user does not want to wait: exit at once.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "dfrt-private.h"

static const int watched[2] = { SIGINT, SIGTERM };

static void
signal_received (DfRuntime *rt, int signum)
{
  const char *prog = g_get_prgname () ? g_get_prgname () : "dfrt";

  if (rt->signals_seen++ > 0)
    {
      g_printerr ("%s: %s again, exiting now\n", prog, g_strsignal (signum));
      _exit (128 + signum);
    }
  g_printerr ("%s: %s, stopping (send it again to exit at once)\n", prog,
              g_strsignal (signum));
  if (rt->signal_func)
    rt->signal_func (rt, signum, rt->signal_data);
  else
    df_runtime_cancel_all (rt);
}

static gboolean
on_sigint (gpointer data)
{
  signal_received (data, SIGINT);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_sigterm (gpointer data)
{
  signal_received (data, SIGTERM);
  return G_SOURCE_CONTINUE;
}

void
df_runtime_watch_signals (DfRuntime *rt, DfSignalFunc func, gpointer user_data)
{
  static const GSourceFunc handlers[2] = { on_sigint, on_sigterm };

  g_return_if_fail (rt->signal_sources[0] == NULL);
  rt->signal_func = func;
  rt->signal_data = user_data;
  for (gsize i = 0; i < G_N_ELEMENTS (watched); i++)
    {
      /* Not g_unix_signal_add(): that only serves the default context. */
      GSource *source = g_unix_signal_source_new (watched[i]);
      g_source_set_callback (source, handlers[i], rt, NULL);
      g_source_attach (source, rt->context);
      rt->signal_sources[i] = source;
    }
}

void
df_signals_shutdown (DfRuntime *rt)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rt->signal_sources); i++)
    if (rt->signal_sources[i])
      {
        g_source_destroy (rt->signal_sources[i]);
        g_source_unref (rt->signal_sources[i]);
        rt->signal_sources[i] = NULL;
      }
}
