/* sqlite-stages.c — the one stage of sqlite.df that is not the standard
 * library's. */
#include "sqlite.h"

gboolean
split_fields (DfContext *ctx, char *line, GStrv *record, GError **error)
{
  *record = g_strsplit (line, "|", -1);
  return TRUE;
}
