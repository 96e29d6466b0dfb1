/* test-fields.c — an item as the fields of a stream entry: every value
 * reads back as written (the integer ranges' ends, doubles that need all
 * their digits, infinities, strings with a NUL inside, a NULL string),
 * and every value that is not of its type fails with DF_ERROR_BAD_ENTRY
 * naming the field. */
#include <math.h>
#include <string.h>

#include <dfrt.h>

static void
test_round_trip (void)
{
  DfFieldsBuilder *b = df_fields_builder_new ();
  DfFields f;

  for (int round = 0; round < 2; round++)   /* the second after a reset */
    {
      df_fields_builder_reset (b);
      df_fields_add_int (b, "min", G_MININT64);
      df_fields_add_int (b, "max", G_MAXINT64);
      df_fields_add_uint (b, "umax", G_MAXUINT64);
      df_fields_add_double (b, "tenth", 0.1);
      df_fields_add_double (b, "tiny", 5e-324);
      df_fields_add_double (b, "big", -1.7976931348623157e308);
      df_fields_add_double (b, "inf", INFINITY);
      df_fields_add_bool (b, "yes", TRUE);
      df_fields_add_bool (b, "no", FALSE);
      df_fields_add_string (b, "bytes", "a\0b", 3);
      df_fields_add_string (b, "text", "héllo", -1);
      df_fields_add_string (b, "none", NULL, -1);
      df_fields_builder_view (b, &f);
      g_assert_cmpuint (f.n_fields, ==, 11);    /* "none" is left out */

      gint64 i;
      guint64 u;
      double d;
      gboolean yes, no;
      g_autofree char *bytes = NULL, *text = NULL, *none = NULL;
      g_autoptr (GError) error = NULL;
      g_assert_true (df_fields_get_int (&f, "min", G_MININT64, G_MAXINT64, &i, &error));
      g_assert_cmpint (i, ==, G_MININT64);
      g_assert_true (df_fields_get_int (&f, "max", G_MININT64, G_MAXINT64, &i, &error));
      g_assert_cmpint (i, ==, G_MAXINT64);
      g_assert_true (df_fields_get_uint (&f, "umax", G_MAXUINT64, &u, &error));
      g_assert_cmpuint (u, ==, G_MAXUINT64);
      g_assert_true (df_fields_get_double (&f, "tenth", &d, &error));
      g_assert_true (d == 0.1);
      g_assert_true (df_fields_get_double (&f, "tiny", &d, &error));
      g_assert_true (d == 5e-324);
      g_assert_true (df_fields_get_double (&f, "big", &d, &error));
      g_assert_true (d == -1.7976931348623157e308);
      g_assert_true (df_fields_get_double (&f, "inf", &d, &error));
      g_assert_true (isinf (d) && d > 0);
      g_assert_true (df_fields_get_bool (&f, "yes", &yes, &error) && yes);
      g_assert_true (df_fields_get_bool (&f, "no", &no, &error) && !no);
      g_assert_true (df_fields_get_string (&f, "bytes", &bytes, &error));
      g_assert_cmpmem (bytes, 3, "a\0b", 3);
      g_assert_true (df_fields_get_string (&f, "text", &text, &error));
      g_assert_cmpstr (text, ==, "héllo");
      g_assert_true (df_fields_get_string (&f, "none", &none, &error));
      g_assert_null (none);
      g_assert_no_error (error);
    }
  df_fields_builder_free (b);
}

static void
assert_bad (const DfFields *f, const char *name, const char *message)
{
  g_autoptr (GError) error = NULL;
  gint64 i;
  guint64 u;
  double d;
  gboolean v;

  if (g_str_has_prefix (name, "i:"))
    g_assert_false (df_fields_get_int (f, name + 2, -5, 5, &i, &error));
  else if (g_str_has_prefix (name, "u:"))
    g_assert_false (df_fields_get_uint (f, name + 2, 10, &u, &error));
  else if (g_str_has_prefix (name, "d:"))
    g_assert_false (df_fields_get_double (f, name + 2, &d, &error));
  else
    g_assert_false (df_fields_get_bool (f, name + 2, &v, &error));
  g_assert_error (error, DF_ERROR, DF_ERROR_BAD_ENTRY);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_bad (void)
{
  const char *names[] = { "big", "word", "tail", "neg", "two", "nul", "empty" };
  const char *values[] = { "6", "abc", "3x", "-1", "2", "1\0", "" };
  const gsize lens[] = { 1, 3, 2, 2, 1, 2, 0 };
  DfFields f = { G_N_ELEMENTS (names), names, values, lens };

  assert_bad (&f, "i:big", "field 'big' is '6', not an integer in [-5, 5]");
  assert_bad (&f, "i:word", "field 'word' is 'abc', not an integer in [-5, 5]");
  assert_bad (&f, "i:tail", "field 'tail' is '3x', not an integer in [-5, 5]");
  assert_bad (&f, "i:empty", "field 'empty' is '', not an integer in [-5, 5]");
  assert_bad (&f, "i:gone", "the entry has no field 'gone'");
  assert_bad (&f, "u:neg", "field 'neg' is '-1', not an integer in [0, 10]");
  assert_bad (&f, "d:word", "field 'word' is 'abc', not a number");
  assert_bad (&f, "d:nul", "field 'nul' is '1', not a number");
  assert_bad (&f, "b:two", "field 'two' is '2', not 1 or 0");
  assert_bad (&f, "b:gone", "the entry has no field 'gone'");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fields/round-trip", test_round_trip);
  g_test_add_func ("/fields/bad", test_bad);
  return g_test_run ();
}
