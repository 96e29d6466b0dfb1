/* sqlite-insert.c — sqlite_insert (std/sqlite.df): each batch of CSV
 * records as rows of a table, in one transaction. */
#include "dfstd.h"
#include "sqlite-database.h"

DFSTD_API gboolean
sqlite_insert_open (DfContext *ctx, DfstdDatabase **state, GError **error)
{
  *state = dfstd_database_new ();
  return TRUE;
}

DFSTD_API void
sqlite_insert_close (DfContext *ctx, DfstdDatabase *state)
{
  dfstd_database_free (state);
}

/* Field i of the record to column i, as text: the column's type affinity
 * makes "42" an INTEGER in an INTEGER column, as the sqlite3 shell's
 * .import does.  The strings outlive the step, so SQLite need not copy
 * them. */
static gboolean
bind_record (sqlite3_stmt *insert, const DfstdColumns *cols, gconstpointer rows, gsize row,
             GError **error)
{
  const char *const *record = ((const char *const *const *) rows)[row];
  guint n_fields = record != NULL ? g_strv_length ((GStrv) record) : 0;
  if (n_fields != cols->n_names)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "a record of %u fields for %u columns", n_fields, cols->n_names);
      return FALSE;
    }
  for (guint i = 0; i < n_fields; i++)
    sqlite3_bind_text (insert, (int) i + 1, record[i], -1, SQLITE_STATIC);
  return TRUE;
}

DFSTD_API gboolean
sqlite_insert (DfContext *ctx, GStrv *record, gsize record_len, const char *path,
               const char *into, const char *columns, GError **error)
{
  DfstdDatabase *database = df_context_get_state (ctx);
  return dfstd_database_ensure_open (database, path, into, columns, error)
         && dfstd_database_insert (database, record, record_len, bind_record,
                                   df_context_get_cancellable (ctx), error);
}
