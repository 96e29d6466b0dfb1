/* session-stages.c — the stages and user data of session.df. */
#include <stdio.h>

#include "session.h"

struct App {
  int opens, closes, delivered;
  char greeting[64];
};

struct Session {
  int run;          /* which run opened it, from 1 */
  int delivered;
};

App *
main_user_data_new (int argc, char **argv, GError **error)
{
  if (g_getenv ("SESSION_NO_APP") != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no app today");
      return NULL;
    }
  App *app = g_new0 (App, 1);
  g_snprintf (app->greeting, sizeof app->greeting, "hello from %d arguments", argc);
  return app;
}

void
main_user_data_free (App *app)
{
  printf ("opens=%d closes=%d delivered=%d\n", app->opens, app->closes, app->delivered);
  g_free (app);
}

gboolean
deliver_open (DfContext *ctx, Session **state, GError **error)
{
  App *app = df_context_get_user_data (ctx);
  Session *s = g_new0 (Session, 1);
  s->run = ++app->opens;
  *state = s;
  return TRUE;
}

void
deliver_close (DfContext *ctx, Session *s)
{
  App *app = df_context_get_user_data (ctx);
  app->closes++;
  printf ("run %d closed after %d\n", s->run, s->delivered);
  g_free (s);
}

gboolean
greet (DfContext *ctx, const char *who, const char **greeting, GError **error)
{
  App *app = df_context_get_user_data (ctx);
  *greeting = app->greeting;   /* borrowed: the App outlives the runs */
  return TRUE;
}

gboolean
feed (DfContext *ctx, int n, GError **error)
{
  for (int i = 0; i < n; i++)
    feed_emit (ctx, i);
  return TRUE;
}

gboolean
deliver (DfContext *ctx, int v, int fails, GError **error)
{
  App *app = df_context_get_user_data (ctx);
  Session *s = df_context_get_state (ctx);
  if (v == 3 && s->run <= fails)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "run %d lost its session", s->run);
      return FALSE;
    }
  s->delivered++;
  app->delivered++;
  return TRUE;
}
