/* prog-stages.c — the stages of prog.df, a standalone program whose main()
 * is generated; test-prog.c runs it. */
#include "prog.h"

typedef struct {
  DfCall *call;
  char *greeting;
  int count;
  gboolean loud;
  double half;
  gint64 waited;
  guint id;
} Greet;

static void
greet_finish (gpointer data)
{
  Greet *g = data;
  m_greet_return (g->call, g->greeting, g->count, g->loud, g->half, g->waited, g->id);
  g_free (g);
}

void
m_greet (DfCall *call, const char *name, int times, gboolean loud, double ratio, GTimeSpan wait, guint8 small)
{
  Greet *g = g_new0 (Greet, 1);
  g->call = call;
  GString *s = g_string_new (NULL);
  for (int i = 0; i < times; i++)
    g_string_append_printf (s, "%s%s", i > 0 ? " " : "", loud ? "HELLO" : "hello");
  g_string_append_printf (s, " %s", name);
  g->greeting = g_string_free (s, FALSE);
  g->count = times;
  g->loud = loud;
  g->half = ratio / 2;
  g->waited = wait;
  g->id = small * 1000u;
  e2e_defer_mode (E2E_LATER, greet_finish, g);
}

gboolean
m_check (DfContext *ctx, int code, int *code_ok, GError **error)
{
  if (code != 0)
    {
      g_set_error (error, E2E_ERROR, E2E_ERROR_BOOM, "code %d is not 0", code);
      return FALSE;
    }
  *code_ok = 1;
  return TRUE;
}

/* Fails until its run has been started `tries` times. */
gboolean
m_flaky (DfContext *ctx, int tries, int *attempts, GError **error)
{
  static int made;
  made++;
  g_printerr ("flaky: attempt %d\n", made);
  if (made < tries)
    {
      g_set_error (error, E2E_ERROR, E2E_ERROR_FLAKY, "attempt %d of %d", made, tries);
      return FALSE;
    }
  *attempts = made;
  return TRUE;
}
