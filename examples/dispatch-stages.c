/* dispatch-stages.c — the stages of examples/dispatch.df.
 *
 * A command is a word and an optional amount ("deposit 25", "balance");
 * the table picks the handler by the word.  Amounts are whole units.
 */
#include "dispatch.h"

#include <gio/gio.h>
#include <string.h>

/* "deposit 25" -> kind "deposit", amount 25; "balance" -> amount 0. */
gboolean
parse_command (DfContext *ctx, const char *line, char **kind, int *amount, GError **error)
{
  g_autofree char *command = g_strstrip (g_strdup (line));
  char *rest = command + strcspn (command, " \t");
  guint64 value = 0;

  if (*command == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "empty command");
      return FALSE;
    }
  if (*rest != '\0')
    {
      *rest++ = '\0';
      rest = g_strchug (rest);
      if (!g_ascii_string_to_unsigned (rest, 10, 0, G_MAXINT, &value, NULL))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "'%s' is not an amount", rest);
          return FALSE;
        }
    }
  *kind = g_strdup (command);
  *amount = (int) value;
  return TRUE;
}

static gboolean
check_amount (const char *command, int amount, GError **error)
{
  if (amount > 0)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "%s needs a positive amount", command);
  return FALSE;
}

gboolean
deposit (DfContext *ctx, int opening, int amount, int *balance, GError **error)
{
  if (!check_amount ("deposit", amount, error))
    return FALSE;
  if (opening > G_MAXINT - amount)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "a balance of %d cannot take %d more", opening, amount);
      return FALSE;
    }
  *balance = opening + amount;
  return TRUE;
}

/* A withdrawal is authorised later, from an idle source on the runtime's
 * context, as a remote service would answer. */
typedef struct {
  DfCall *call;
  int     opening;
  int     amount;
} Withdrawal;

static gboolean
withdraw_authorise (gpointer data)
{
  Withdrawal *w = data;

  if (w->amount > w->opening)
    df_call_failf (w->call, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   "insufficient funds: balance %d, withdrawal %d", w->opening, w->amount);
  else
    withdraw_return (w->call, w->opening - w->amount);
  return G_SOURCE_REMOVE;
}

void
withdraw (DfCall *call, int opening, int amount)
{
  GError *error = NULL;

  if (!check_amount ("withdraw", amount, &error))
    {
      df_call_fail (call, error);   /* during the call: fine too */
      return;
    }

  Withdrawal *w = g_new (Withdrawal, 1);
  *w = (Withdrawal) { .call = call, .opening = opening, .amount = amount };
  GSource *idle = g_idle_source_new ();
  g_source_set_callback (idle, withdraw_authorise, w, g_free);
  g_source_attach (idle, df_runtime_get_context (df_context_get_runtime (df_call_get_context (call))));
  g_source_unref (idle);
}

gboolean
show (DfContext *ctx, int opening, int *balance, GError **error)
{
  *balance = opening;
  return TRUE;
}

gboolean
reject (DfContext *ctx, char *kind, int *balance, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
               "unknown command '%s' (try deposit, withdraw or balance)", kind);
  return FALSE;
}
