/* json-stages.c — the one stage of json.df that is not the standard
 * library's: an item's fields, found with json_path_one and turned into
 * text with json_text, as one CSV record. */
#include "json.h"

static const char *const item_fields[] = { "$.sku", "$.qty", "$.note" };

gboolean
item_row (DfContext *ctx, JsonNode *value, GStrv *record, GError **error)
{
  g_auto (GStrv) fields = g_new0 (char *, G_N_ELEMENTS (item_fields) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (item_fields); i++)
    {
      g_autoptr (JsonNode) field = NULL;
      if (!json_path_one (ctx, value, item_fields[i], &field, error)
          || !json_text (ctx, field, &fields[i], error))
        return FALSE;
    }
  *record = g_steal_pointer (&fields);
  return TRUE;
}
