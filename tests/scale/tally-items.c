/* tally-items.c — see tally-items.h. */
#include "tally-items.h"

void
tally_src_start (gconstpointer inputs, gpointer item)
{
  ((IntItem *) item)->v = ((const CountIn *) inputs)->n;
}

gboolean
tally_src_run (DfCall *call, gpointer items, gsize n, GError **error)
{
  gint64 total = ((IntItem *) items)->v;

  for (gint64 i = 0; i < total; i++)
    df_graph_emit (df_call_get_context (call), &(IntItem) { i });
  return TRUE;
}

void
tally_int_encode (gconstpointer item, DfFieldsBuilder *fields)
{
  df_fields_add_int (fields, "v", ((const IntItem *) item)->v);
}

gboolean
tally_int_decode (const DfFields *fields, gpointer item, GError **error)
{
  return df_fields_get_int (fields, "v", G_MININT64, G_MAXINT64, &((IntItem *) item)->v, error);
}
