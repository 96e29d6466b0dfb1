/* merge-stages.c — the stages of examples/merge.df.
 *
 * A stock list is a header line "sku<SEP>name<SEP>qty" and one item per
 * line, separated by commas (CSV, without quoting) or tabs (TSV).  Rows
 * are GPtrArrays of Item that free their items.  The loaders and the
 * writer are blocking stages: they run on the runtime's worker threads.
 */
#include "merge.h"

#include <gio/gio.h>
#include <string.h>

typedef struct {
  char  *sku;
  char  *name;
  gint64 qty;
} Item;

static Item *
item_new (const char *sku, const char *name, gint64 qty)
{
  Item *item = g_new (Item, 1);

  item->sku = g_strdup (sku);
  item->name = g_strdup (name);
  item->qty = qty;
  return item;
}

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->sku);
  g_free (item->name);
  g_free (item);
}

static int
item_compare (gconstpointer a, gconstpointer b)
{
  const Item *x = *(const Item *const *) a;
  const Item *y = *(const Item *const *) b;

  return strcmp (x->sku, y->sku);
}

/* A quantity: decimal digits only.  Not g_ascii_string_to_signed(): its
 * first use in a thread may initialise GLib's C locale under a g_once,
 * and when two worker threads race there the waiting one comes back with
 * errno = EAGAIN, which g_ascii_string_to_signed() then reports as "not a
 * number" (GLib 2.74).  Both loaders run at once on workers, so this
 * example would fail now and then. */
static gboolean
parse_quantity (const char *text, gint64 *out)
{
  gint64 value = 0;
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p) || value > (G_MAXINT64 - (*p - '0')) / 10)
        return FALSE;
      value = value * 10 + (*p - '0');
    }
  *out = value;
  return TRUE;
}

/* One item line; line_no counts from 1 for the messages. */
static Item *
parse_item (const char *path, guint line_no, const char *line, const char *separator,
            GError **error)
{
  g_auto (GStrv) fields = g_strsplit (line, separator, -1);
  gint64 qty;

  if (g_strv_length (fields) != 3 || *fields[0] == '\0'
      || !parse_quantity (fields[2], &qty))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s:%u: expected sku, name and a quantity, got '%s'", path, line_no, line);
      return NULL;
    }
  return item_new (fields[0], fields[1], qty);
}

static gboolean
load_items (const char *path, const char *separator, GPtrArray **rows, GError **error)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;

  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autofree char *header = g_strjoin (separator, "sku", "name", "qty", NULL);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (item_free);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strchomp (lines[i]);   /* also drops a '\r' */
      if (*line == '\0')
        continue;
      if (i == 0)
        {
          if (strcmp (line, header) != 0)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "%s:1: expected the header 'sku%sname%sqty'", path,
                           separator[0] == '\t' ? "\\t" : separator,
                           separator[0] == '\t' ? "\\t" : separator);
              return FALSE;
            }
          continue;
        }
      Item *item = parse_item (path, i + 1, line, separator, error);
      if (item == NULL)
        return FALSE;
      g_ptr_array_add (items, item);
    }
  *rows = g_steal_pointer (&items);
  return TRUE;
}

gboolean
load_csv (DfContext *ctx, const char *path, GPtrArray **rows, GError **error)
{
  return load_items (path, ",", rows, error);
}

gboolean
load_tsv (DfContext *ctx, const char *path, GPtrArray **rows, GError **error)
{
  return load_items (path, "\t", rows, error);
}

/* Every sku of both lists once, sorted; the quantities of an sku on both
 * lists add up, and the left list's name wins.  The inputs are borrowed:
 * the merge copies what it keeps. */
gboolean
merge (DfContext *ctx, GPtrArray *left, GPtrArray *right, GPtrArray **rows, GError **error)
{
  g_autoptr (GHashTable) by_sku = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *merged = g_ptr_array_new_with_free_func (item_free);
  GPtrArray *sources[] = { left, right };

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    for (guint i = 0; i < sources[s]->len; i++)
      {
        const Item *item = g_ptr_array_index (sources[s], i);
        Item *seen = g_hash_table_lookup (by_sku, item->sku);
        if (seen != NULL)
          {
            if (item->qty > G_MAXINT64 - seen->qty)
              {
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             "%s: the total quantity is too large", item->sku);
                g_ptr_array_unref (merged);
                return FALSE;
              }
            seen->qty += item->qty;
            continue;
          }
        Item *copy = item_new (item->sku, item->name, item->qty);
        g_ptr_array_add (merged, copy);
        g_hash_table_insert (by_sku, copy->sku, copy);
      }
  g_ptr_array_sort (merged, item_compare);
  *rows = merged;
  return TRUE;
}

/* A CSV field, quoted when it needs to be (a name from the TSV list may
 * hold a comma). */
static void
append_field (GString *text, const char *field)
{
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (text, field);
      return;
    }
  g_string_append_c (text, '"');
  for (const char *c = field; *c != '\0'; c++)
    {
      if (*c == '"')
        g_string_append_c (text, '"');
      g_string_append_c (text, *c);
    }
  g_string_append_c (text, '"');
}

/* Writes the rows as CSV to @endpoint (replaced atomically). */
gboolean
write_out (DfContext *ctx, GPtrArray *rows, const char *endpoint, int *written,
           GError **error)
{
  g_autoptr (GString) text = g_string_new ("sku,name,qty\n");

  for (guint i = 0; i < rows->len; i++)
    {
      const Item *item = g_ptr_array_index (rows, i);
      append_field (text, item->sku);
      g_string_append_c (text, ',');
      append_field (text, item->name);
      g_string_append_printf (text, ",%" G_GINT64_FORMAT "\n", item->qty);
    }
  if (!g_file_set_contents (endpoint, text->str, (gssize) text->len, error))
    return FALSE;
  *written = (int) rows->len;
  return TRUE;
}
