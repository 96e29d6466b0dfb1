/* test-csv.c — RFC 4180 quoting of write_csv and append_csv (csv.c),
 * field by field and row by row, on the fields that are easy to get
 * wrong; the header row; the rules a record must follow. */
#include "csv.h"

typedef struct {
  const char *field;
  const char *quoted;
} FieldCase;

static const FieldCase field_cases[] = {
  { "", "" },
  { "plain", "plain" },
  { " spaces kept ", " spaces kept " },
  { "tab\there", "tab\there" },
  { "a,b", "\"a,b\"" },
  { ",", "\",\"" },
  { "say \"hi\"", "\"say \"\"hi\"\"\"" },
  { "\"", "\"\"\"\"" },
  { "\"\"", "\"\"\"\"\"\"" },
  { "two\nlines", "\"two\nlines\"" },
  { "cr\ronly", "\"cr\ronly\"" },
  { "crlf\r\n", "\"crlf\r\n\"" },
  { "all: , \" \r\n", "\"all: , \"\" \r\n\"" },
  { "caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac" },
  { "'single'", "'single'" },
  { ";semi;", ";semi;" },
};

static void
test_fields (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_cases); i++)
    {
      g_autoptr (GString) out = g_string_new ("prefix|");
      dfstd_csv_append_field (out, field_cases[i].field);
      g_autofree char *want = g_strconcat ("prefix|", field_cases[i].quoted, NULL);
      g_assert_cmpstr (out->str, ==, want);
    }
}

typedef struct {
  const char *fields[4];
  guint n_fields;
  const char *row;
} RowCase;

static const RowCase row_cases[] = {
  { { NULL }, 0, "\r\n" },
  { { "" }, 1, "\r\n" },
  { { "", "" }, 2, ",\r\n" },
  { { "a", "b", "c" }, 3, "a,b,c\r\n" },
  { { "1,5", "x" }, 2, "\"1,5\",x\r\n" },
  { { "line\nbreak", "\"q\"", "" }, 3, "\"line\nbreak\",\"\"\"q\"\"\",\r\n" },
};

static void
test_rows (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (row_cases); i++)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      dfstd_csv_append_row (out, row_cases[i].fields, row_cases[i].n_fields);
      g_assert_cmpstr (out->str, ==, row_cases[i].row);
    }
}

/* A header's names are split at commas and written as one row. */
static void
test_header (void)
{
  g_autoptr (GString) out = g_string_new (NULL);
  dfstd_csv_append_header (out, "time,price,a \"b\"");
  g_assert_cmpstr (out->str, ==, "time,price,\"a \"\"b\"\"\"\r\n");
}

/* The rules a record must follow to be written, each with its message. */
static void
test_check_record (void)
{
  const char *two[] = { "a", "b", NULL };
  const char *bad_utf8[] = { "ok", "\xff", NULL };
  g_autoptr (GError) error = NULL;
  g_assert_true (dfstd_csv_check_record (two, "out.csv", "x,y", &error));
  g_assert_no_error (error);
  g_assert_true (dfstd_csv_check_record (two, "out.csv", "", &error));
  g_assert_no_error (error);

  g_assert_false (dfstd_csv_check_record (two, "out.csv", "x,y,z", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==,
                   "cannot write to out.csv: a record of 2 fields under a header of 3 columns");
  g_clear_error (&error);

  g_assert_false (dfstd_csv_check_record (bad_utf8, "out.csv", "", &error));
  g_assert_error (error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE);
  g_assert_cmpstr (error->message, ==,
                   "cannot write to out.csv: field 2 of the record is not valid UTF-8");
  g_clear_error (&error);

  g_assert_false (dfstd_csv_check_record (NULL, "out.csv", "x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==, "cannot write to out.csv: the record is NULL");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stdlib/csv/fields", test_fields);
  g_test_add_func ("/stdlib/csv/rows", test_rows);
  g_test_add_func ("/stdlib/csv/header", test_header);
  g_test_add_func ("/stdlib/csv/check-record", test_check_record);
  return g_test_run ();
}
