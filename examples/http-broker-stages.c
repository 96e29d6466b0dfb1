/* http-broker-stages.c — the one stage of examples/http-broker.df that is
 * not in the standard library: the answer, from both backends' parts. */
#include "http-broker.h"

gboolean
compose (DfContext *ctx, char *city, char *sky, char *people, char **response, GError **error)
{
  *response = g_strdup_printf ("%s: weather %s; population %s", city, sky, people);
  return TRUE;
}
