/* sqlite-columns.h — the `columns` parameter of std/sqlite.df's stages
 * ("id INTEGER PRIMARY KEY, name TEXT") read into column names and the
 * two SQL statements made from it, apart from the database so the unit
 * tests can run it on strings. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  GStrv names;         /* the column names, in order, as written */
  guint n_names;
  char *create_sql;    /* CREATE TABLE IF NOT EXISTS "t" ("a" TYPE, …) */
  char *insert_sql;    /* INSERT INTO "t" ("a", …) VALUES (?, …) */
} DfstdColumns;

/* @name as an SQL identifier: in double quotes, each double quote in it
 * doubled, so no name can end the identifier and start SQL of its own. */
char *dfstd_sql_identifier (const char *name);

/* Reads @columns, a comma-separated list of column definitions: each a
 * name (the first word; quoted by us) and, optionally, its type and
 * constraints (kept as written, for CREATE TABLE).  Commas inside
 * parentheses or quotes do not separate columns ("DECIMAL(10,2)").  The
 * error says what is wrong with the list: none, an empty definition, a
 * name given twice, an unbalanced parenthesis or quote, a ";". */
DfstdColumns *dfstd_columns_parse (const char *table, const char *columns, GError **error);

void dfstd_columns_free (DfstdColumns *cols);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DfstdColumns, dfstd_columns_free)

G_END_DECLS
