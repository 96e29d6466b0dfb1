/* graph-test.c — see graph-test.h. */
#include "graph-test.h"

gint test_str_allocs;
gint test_str_frees;

char *
test_str_new (const char *fmt, ...)
{
  va_list args;

  va_start (args, fmt);
  char *s = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_atomic_int_inc (&test_str_allocs);
  return s;
}

char *
test_str_copy (const char *s)
{
  if (s == NULL)
    return NULL;
  g_atomic_int_inc (&test_str_allocs);
  return g_strdup (s);
}

void
test_str_free (char *s)
{
  if (s == NULL)
    return;
  g_atomic_int_inc (&test_str_frees);
  g_free (s);
}

void
test_str_reset (void)
{
  g_atomic_int_set (&test_str_allocs, 0);
  g_atomic_int_set (&test_str_frees, 0);
}

void
test_str_assert_balanced (void)
{
  g_assert_cmpint (g_atomic_int_get (&test_str_allocs), ==, g_atomic_int_get (&test_str_frees));
}

void
int_emit (DfContext *ctx, gint64 v)
{
  IntItem item = { v };
  df_graph_emit (ctx, &item);
}

void
str_emit (DfContext *ctx, char *s)
{
  StrItem item = { s };
  df_graph_emit (ctx, &item);
}

void
str_item_free (gpointer item)
{
  test_str_free (((StrItem *) item)->s);
}

void
str_edge_copy (gpointer src, gpointer dst)
{
  ((StrItem *) dst)->s = test_str_copy (((StrItem *) src)->s);
}

void
str_edge_move (gpointer src, gpointer dst)
{
  ((StrItem *) dst)->s = g_steal_pointer (&((StrItem *) src)->s);
}
