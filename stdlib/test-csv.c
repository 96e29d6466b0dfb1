/* test-csv.c — RFC 4180 quoting of write_csv (csv.c), field by field and
 * row by row, on the fields that are easy to get wrong. */
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/stdlib/csv/fields", test_fields);
  g_test_add_func ("/stdlib/csv/rows", test_rows);
  return g_test_run ();
}
