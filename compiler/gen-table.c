/* gen-table.c — string dispatch as a generated match, not a search.
 *
 * A dynamic pick on a string table calls TABLE_match(key), a trie of
 * `switch` statements on the key's bytes that ends in one strcmp() of the
 * remaining suffix: the cost is the key's length, whatever the number of
 * arms.
 */
#include <string.h>
#include "gen.h"

typedef struct {
  const char *bytes;
  gsize len;
  guint arm;
} Key;

static gint
key_compare (gconstpointer a, gconstpointer b)
{
  const Key *ka = a, *kb = b;
  int c = memcmp (ka->bytes, kb->bytes, MIN (ka->len, kb->len));
  return c != 0 ? c : (ka->len > kb->len) - (ka->len < kb->len);
}

/* Keys [from, to) share their first `depth` bytes. */
static void
trie (Writer *w, const Key *keys, guint from, guint to, gsize depth)
{
  if (to - from == 1)
    {
      const Key *k = &keys[from];
      g_autofree char *rest = writer_c_string (k->bytes + depth, k->len - depth);
      writer_line (w, "return strcmp (key + %" G_GSIZE_FORMAT ", \"%s\") == 0 ? %u : -1;", depth, rest, k->arm);
      return;
    }
  writer_line (w, "switch ((guchar) key[%" G_GSIZE_FORMAT "])", depth);
  writer_line (w, "  {");
  writer_indent (w);
  for (guint i = from; i < to;)
    {
      /* A key that ends here sorts first and has byte 0 at `depth`. */
      guchar c = keys[i].len > depth ? (guchar) keys[i].bytes[depth] : 0;
      guint j = i + 1;
      while (j < to && keys[j].len > depth && (guchar) keys[j].bytes[depth] == c)
        j++;
      if (g_ascii_isgraph (c) && c != '\'' && c != '\\')
        writer_line (w, "case '%c':", c);
      else
        writer_line (w, "case 0x%02x:", c);
      writer_indent (w);
      if (c == 0)
        writer_line (w, "return %u;", keys[i].arm);
      else
        trie (w, keys, i, j, depth + 1);
      writer_dedent (w);
      i = j;
    }
  writer_line (w, "default:");
  writer_line (w, "  return -1;");
  writer_dedent (w);
  writer_line (w, "  }");
}

static void
match_function (Gen *g, const AstTable *table)
{
  Writer *w = g->c;
  g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (Key));
  for (guint i = 0; i < table->n_arms; i++)
    {
      const AstTableArm *arm = table->arms[i];
      /* A key holding a NUL byte can never equal a C string. */
      if (arm->kind == KEY_STRING && memchr (arm->lit.str, '\0', arm->lit.str_len) == NULL)
        {
          Key key = { arm->lit.str, arm->lit.str_len, i };
          g_array_append_val (keys, key);
        }
    }
  g_array_sort (keys, key_compare);

  writer_line (w, "/* table %s: the arm of a key, -1 when none matches. */", table->decl.name);
  writer_line (w, "static int");
  writer_line (w, "%s (const char *key)", gen_match_func (g, table));
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "if (key == NULL)");
  writer_line (w, "  return -1;");
  if (keys->len == 0)
    writer_line (w, "return -1;");
  else
    trie (w, (const Key *) keys->data, 0, keys->len, 0);
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

void
gen_tables (Gen *g)
{
  /* Every string table some flow picks from at run time, once, in the
   * order of the file. */
  AstFile *file = g->program->file;
  g_autoptr (GHashTable) used = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < file->n_flows; i++)
    {
      IrFlow *ir = g_hash_table_lookup (g->ir, file->flows[i]);
      for (guint p = 0; p < ir->n_picks; p++)
        if (ir->picks[p]->string_keys)
          g_hash_table_add (used, ir->picks[p]->table);
    }
  for (guint i = 0; i < file->n_tables; i++)
    if (g_hash_table_contains (used, file->tables[i]))
      match_function (g, file->tables[i]);
}
