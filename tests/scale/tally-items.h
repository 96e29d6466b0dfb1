/* tally-items.h — what the scale-out tests' hand-written graphs share,
 * shaped like generated code: the `tally` graph's item (one gint64), its
 * In struct, the source node that emits 0 .. n-1, and the item as stream
 * fields. */
#pragma once

#include <dfrt.h>

typedef struct { gint64 v; } IntItem;
typedef struct { gint64 n; } CountIn;

/* The start node's item from the graph's inputs, and its run: n items. */
void     tally_src_start  (gconstpointer inputs, gpointer item);
gboolean tally_src_run    (DfCall *call, gpointer items, gsize n, GError **error);
/* IntItem as the field "v". */
void     tally_int_encode (gconstpointer item, DfFieldsBuilder *fields);
gboolean tally_int_decode (const DfFields *fields, gpointer item, GError **error);
