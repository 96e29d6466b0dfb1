/* test-sqlite-columns.c — the column list of std/sqlite.df's stages
 * (sqlite-columns.c): the statements made from good lists, with every
 * name quoted, and the message for each kind of bad list. */
#include "sqlite-columns.h"

typedef struct {
  const char *table;
  const char *columns;
  const char *create_sql;
  const char *insert_sql;
} GoodCase;

static const GoodCase good_cases[] = {
  { "items", "id INTEGER PRIMARY KEY, name TEXT, price REAL",
    "CREATE TABLE IF NOT EXISTS \"items\" (\"id\" INTEGER PRIMARY KEY, \"name\" TEXT, \"price\" REAL)",
    "INSERT INTO \"items\" (\"id\", \"name\", \"price\") VALUES (?, ?, ?)" },
  /* No type; white space around the definitions. */
  { "t", "  a ,\tb  ",
    "CREATE TABLE IF NOT EXISTS \"t\" (\"a\", \"b\")",
    "INSERT INTO \"t\" (\"a\", \"b\") VALUES (?, ?)" },
  /* Commas inside parentheses and quotes stay in their column. */
  { "prices", "amount DECIMAL(10,2) NOT NULL, note TEXT DEFAULT 'a,b'",
    "CREATE TABLE IF NOT EXISTS \"prices\" (\"amount\" DECIMAL(10,2) NOT NULL, \"note\" TEXT DEFAULT 'a,b')",
    "INSERT INTO \"prices\" (\"amount\", \"note\") VALUES (?, ?)" },
  /* A table name that would end the identifier is quoted whole. */
  { "x\" (a); DROP TABLE y; --", "a",
    "CREATE TABLE IF NOT EXISTS \"x\"\" (a); DROP TABLE y; --\" (\"a\")",
    "INSERT INTO \"x\"\" (a); DROP TABLE y; --\" (\"a\") VALUES (?)" },
};

static void
test_good (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      const GoodCase *c = &good_cases[i];
      g_autoptr (GError) error = NULL;
      g_autoptr (DfstdColumns) cols = dfstd_columns_parse (c->table, c->columns, &error);
      g_assert_no_error (error);
      g_assert_nonnull (cols);
      g_assert_cmpstr (cols->create_sql, ==, c->create_sql);
      g_assert_cmpstr (cols->insert_sql, ==, c->insert_sql);
      g_assert_cmpuint (cols->n_names, ==, g_strv_length (cols->names));
    }
}

typedef struct {
  const char *table;
  const char *columns;
  const char *message;
} BadCase;

static const BadCase bad_cases[] = {
  { "t", "", "bad columns for table t: no column" },
  { "t", "   ", "bad columns for table t: no column" },
  { "t", "a TEXT,, b", "bad columns for table t: column 2 is empty" },
  { "t", "a TEXT,", "bad columns for table t: column 2 is empty" },
  { "t", "a, A", "bad columns for table t: column 'A' is named twice" },
  { "t", "\"a b\" TEXT", "bad columns for table t: column 1: '\"a' is not a plain name" },
  { "t", "a TEXT); DROP TABLE t; --", "bad columns for table t: a ')' without its '('" },
  { "t", "a TEXT; DROP TABLE t", "bad columns for table t: a ';' (one column list, not SQL statements)" },
  { "t", "a DECIMAL(10,2", "bad columns for table t: a '(' without its ')'" },
  { "t", "a TEXT DEFAULT 'x", "bad columns for table t: a quote that is not closed" },
  { "", "a", "bad columns for table \"\": the table has no name" },
};

static void
test_bad (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autoptr (GError) error = NULL;
      g_assert_null (dfstd_columns_parse (c->table, c->columns, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (error->message, ==, c->message);
    }
}

static void
test_identifier (void)
{
  g_autofree char *plain = dfstd_sql_identifier ("name");
  g_autofree char *quote = dfstd_sql_identifier ("a\"b");
  g_autofree char *empty = dfstd_sql_identifier ("");
  g_assert_cmpstr (plain, ==, "\"name\"");
  g_assert_cmpstr (quote, ==, "\"a\"\"b\"");
  g_assert_cmpstr (empty, ==, "\"\"");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stdlib/sqlite/columns/good", test_good);
  g_test_add_func ("/stdlib/sqlite/columns/bad", test_bad);
  g_test_add_func ("/stdlib/sqlite/columns/identifier", test_identifier);
  return g_test_run ();
}
