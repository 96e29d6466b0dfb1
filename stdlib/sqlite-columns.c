/* sqlite-columns.c — the column list of std/sqlite.df's stages
 * (sqlite-columns.h). */
#include "sqlite-columns.h"

#include <string.h>

char *
dfstd_sql_identifier (const char *name)
{
  GString *out = g_string_new ("\"");
  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* Sets the error and returns NULL, for the functions below. */
static gpointer
fail (GError **error, const char *table, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "bad columns for table %s: %s", table, what);
  return NULL;
}

/* Splits @columns at the commas outside parentheses and quotes (SQL's
 * '…', "…", `…` and […]), so a type such as DECIMAL(10,2) or a DEFAULT
 * 'a,b' stays in its column.  A ";" outside quotes is refused: the list
 * goes into one statement and must not end it. */
static GPtrArray *
split_definitions (const char *table, const char *columns, GError **error)
{
  g_autoptr (GPtrArray) defs = g_ptr_array_new_with_free_func (g_free);
  const char *start = columns;
  char quote = '\0';
  int depth = 0;
  for (const char *p = columns;; p++)
    {
      if (quote != '\0' && *p != '\0')
        quote = *p == quote ? '\0' : quote;
      else if (*p == '\'' || *p == '"' || *p == '`')
        quote = *p;
      else if (*p == '[')
        quote = ']';
      else if (*p == '(')
        depth++;
      else if (*p == ')' && --depth < 0)
        return fail (error, table, "a ')' without its '('");
      else if (*p == ';')
        return fail (error, table, "a ';' (one column list, not SQL statements)");
      else if ((*p == ',' && depth == 0) || *p == '\0')
        {
          if (*p == '\0' && quote != '\0')
            return fail (error, table, "a quote that is not closed");
          if (*p == '\0' && depth > 0)
            return fail (error, table, "a '(' without its ')'");
          g_ptr_array_add (defs, g_strstrip (g_strndup (start, (gsize) (p - start))));
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  return g_steal_pointer (&defs);
}

/* The name of the definition @def (its first word), checked: plain, and
 * not one of the @n names before it (SQLite compares them without case). */
static char *
definition_name (const char *table, const char *def, guint index, char **names, guint n,
                 GError **error)
{
  g_autofree char *what = NULL;
  if (def[0] == '\0')
    {
      what = g_strdup_printf ("column %u is empty", index + 1);
      return fail (error, table, what);
    }
  gsize len = strcspn (def, " \t\r\n");
  g_autofree char *name = g_strndup (def, len);
  if (strpbrk (name, "\"'`[]()") != NULL)
    {
      what = g_strdup_printf ("column %u: '%s' is not a plain name", index + 1, name);
      return fail (error, table, what);
    }
  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (names[i], name) == 0)
      {
        what = g_strdup_printf ("column '%s' is named twice", name);
        return fail (error, table, what);
      }
  return g_steal_pointer (&name);
}

/* Makes both statements from the checked names and definitions. */
static void
build_sql (DfstdColumns *cols, const char *table, GPtrArray *defs)
{
  g_autofree char *quoted_table = dfstd_sql_identifier (table);
  GString *create = g_string_new (NULL);
  GString *names = g_string_new (NULL);
  GString *values = g_string_new (NULL);
  g_string_printf (create, "CREATE TABLE IF NOT EXISTS %s (", quoted_table);
  for (guint i = 0; i < cols->n_names; i++)
    {
      const char *sep = i > 0 ? ", " : "";
      g_autofree char *name = dfstd_sql_identifier (cols->names[i]);
      const char *rest = (const char *) defs->pdata[i] + strlen (cols->names[i]);
      g_string_append_printf (create, "%s%s%s", sep, name, rest);
      g_string_append_printf (names, "%s%s", sep, name);
      g_string_append_printf (values, "%s?", sep);
    }
  g_string_append_c (create, ')');
  cols->create_sql = g_string_free (create, FALSE);
  cols->insert_sql = g_strdup_printf ("INSERT INTO %s (%s) VALUES (%s)", quoted_table,
                                      names->str, values->str);
  g_string_free (names, TRUE);
  g_string_free (values, TRUE);
}

DfstdColumns *
dfstd_columns_parse (const char *table, const char *columns, GError **error)
{
  if (table[0] == '\0')
    return fail (error, "\"\"", "the table has no name");
  g_autoptr (GPtrArray) defs = split_definitions (table, columns, error);
  if (defs == NULL)
    return NULL;
  if (defs->len == 1 && ((const char *) defs->pdata[0])[0] == '\0')
    return fail (error, table, "no column");

  g_autoptr (DfstdColumns) cols = g_new0 (DfstdColumns, 1);
  cols->names = g_new0 (char *, defs->len + 1);
  for (guint i = 0; i < defs->len; i++)
    {
      char *name = definition_name (table, defs->pdata[i], i, cols->names, i, error);
      if (name == NULL)
        return NULL;
      cols->names[i] = name;
      cols->n_names = i + 1;
    }
  build_sql (cols, table, defs);
  return g_steal_pointer (&cols);
}

void
dfstd_columns_free (DfstdColumns *cols)
{
  if (cols == NULL)
    return;
  g_strfreev (cols->names);
  g_free (cols->create_sql);
  g_free (cols->insert_sql);
  g_free (cols);
}
