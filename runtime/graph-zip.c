/* graph-zip.c — `zip(a, b, c) -> d`: the k-th items of each source make
 * the k-th input of d.
 *
 * Rows are d's input item structs in a ring of d's queue size; source i
 * fills the fields its edge maps into row pending[i] (counted from the
 * head), and a row whose every source has filled it moves into d's input
 * queue.  A source more than `queue` rows ahead of the slowest one has no
 * room: it is blocked like any source of a full queue.  Once a source has
 * finished, the rows past its count can never complete: they are dropped
 * (each source item in them counts as one input of d, dropped), and so is
 * everything that arrives for them later.
 */
#include <string.h>

#include "graph-private.h"

struct _DfZip {
  guint    n_src;
  guint    cap;
  gsize    stride;
  guint8  *rows;
  guint32 *masks;      /* per physical row: the sources that filled it */
  guint32  full;
  guint    head;
  guint   *pending;    /* per source: rows filled, from the head */
  guint    limit;      /* rows at or past this never complete */
};

DfZip *
df_zip_new (guint n_sources, gsize item_size, guint cap)
{
  DfZip *z = g_new0 (DfZip, 1);

  z->n_src = n_sources;
  z->cap = MAX (cap, 1);
  z->stride = MAX (item_size, 1);
  z->rows = g_malloc0_n (z->cap, z->stride);
  z->masks = g_new0 (guint32, z->cap);
  z->full = n_sources == 32 ? G_MAXUINT32 : (1u << n_sources) - 1;
  z->pending = g_new0 (guint, n_sources);
  z->limit = G_MAXUINT;
  return z;
}

static guint8 *
zip_row (DfZip *z, guint r, guint *phys)
{
  guint at = (z->head + r) % z->cap;

  if (phys)
    *phys = at;
  return z->rows + (gsize) at * z->stride;
}

static guint
zip_max_pending (DfZip *z)
{
  guint m = 0;

  for (guint i = 0; i < z->n_src; i++)
    m = MAX (m, z->pending[i]);
  return m;
}

/* Drops rows [from, end): every source item in them counts. */
static void
zip_drop_rows (DfGraphNode *d, guint from)
{
  DfZip *z = d->zip;
  guint end = zip_max_pending (z);

  for (guint r = from; r < end; r++)
    {
      guint phys;
      guint8 *row = zip_row (z, r, &phys);
      gint64 parts = 0;
      for (guint32 m = z->masks[phys]; m; m &= m - 1)
        parts++;
      if (parts && d->desc->item_free)
        d->desc->item_free (row);
      memset (row, 0, z->stride);
      z->masks[phys] = 0;
      DF_CNT_ADD (d->c.in, parts);
      DF_CNT_ADD (d->c.dropped, parts);
    }
  for (guint i = 0; i < z->n_src; i++)
    z->pending[i] = MIN (z->pending[i], from);
}

void
df_zip_free (DfZip *z, DfItemFreeFunc item_free)
{
  for (guint r = 0; r < z->cap; r++)
    if (z->masks[r] && item_free)
      item_free (z->rows + (gsize) r * z->stride);
  g_free (z->rows);
  g_free (z->masks);
  g_free (z->pending);
  g_free (z);
}

gboolean
df_zip_has_room (DfGraphNode *d, guint pos)
{
  DfZip *z = d->zip;

  return z->pending[pos] >= z->limit || z->pending[pos] < z->cap;
}

void
df_zip_push (DfGraphNode *d, guint pos, DfEdgeConvertFunc convert, gpointer src)
{
  DfZip *z = d->zip;

  if (z->pending[pos] >= z->limit)
    {
      /* Its row can never complete: a leftover. */
      memset (d->scratch, 0, z->stride);
      convert (src, d->scratch);
      if (d->desc->item_free)
        d->desc->item_free (d->scratch);
      DF_CNT_ADD (d->c.in, 1);
      DF_CNT_ADD (d->c.dropped, 1);
      return;
    }
  guint phys;
  guint8 *row = zip_row (z, z->pending[pos], &phys);
  convert (src, row);
  z->masks[phys] |= 1u << pos;
  z->pending[pos]++;
}

gboolean
df_zip_flush (DfGraphNode *d)
{
  DfZip *z = d->zip;
  gboolean moved = FALSE;

  while (z->masks[z->head] == z->full && d->ring.len < d->ring.cap)
    {
      gpointer slot = df_ring_push (&d->ring);
      guint8 *row = z->rows + (gsize) z->head * z->stride;
      memcpy (slot, row, z->stride);
      memset (row, 0, z->stride);
      z->masks[z->head] = 0;
      z->head = (z->head + 1) % z->cap;
      for (guint i = 0; i < z->n_src; i++)
        z->pending[i]--;
      if (z->limit != G_MAXUINT)
        z->limit--;
      DF_CNT_ADD (d->c.in, 1);
      df_graph_count_queued (d);
      moved = TRUE;
    }
  return moved;
}

void
df_zip_source_finished (DfGraphNode *d, guint pos)
{
  DfZip *z = d->zip;

  z->limit = MIN (z->limit, z->pending[pos]);
  zip_drop_rows (d, z->limit);
  /* Sources waiting for room now drop instead. */
  df_graph_node_wake_sources (d);
}

void
df_zip_drop_all (DfGraphNode *d)
{
  zip_drop_rows (d, 0);
}

gboolean
df_zip_is_empty (DfGraphNode *d)
{
  return zip_max_pending (d->zip) == 0;
}
