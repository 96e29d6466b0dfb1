/* fields.c — an item as the fields of a stream entry (dfrt-fields.h).
 *
 * The builder keeps every name and value in one GString each time it is
 * reset, with offsets, so that encoding an item allocates nothing once
 * the builder has grown to the item's size; the view points into it.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "dfrt-private.h"
#include "dfrt-fields.h"

typedef struct {
  gsize name_at, value_at, value_len;
} FieldAt;

struct _DfFieldsBuilder {
  GString *bytes;            /* names and values, each NUL-terminated */
  GArray  *at;               /* FieldAt */
  GPtrArray *names, *values; /* the view's arrays */
  GArray  *lens;             /* gsize */
};

DfFieldsBuilder *
df_fields_builder_new (void)
{
  DfFieldsBuilder *b = g_new0 (DfFieldsBuilder, 1);
  b->bytes = g_string_new (NULL);
  b->at = g_array_new (FALSE, FALSE, sizeof (FieldAt));
  b->names = g_ptr_array_new ();
  b->values = g_ptr_array_new ();
  b->lens = g_array_new (FALSE, FALSE, sizeof (gsize));
  return b;
}

void
df_fields_builder_free (DfFieldsBuilder *b)
{
  if (b == NULL)
    return;
  g_string_free (b->bytes, TRUE);
  g_array_unref (b->at);
  g_ptr_array_unref (b->names);
  g_ptr_array_unref (b->values);
  g_array_unref (b->lens);
  g_free (b);
}

void
df_fields_builder_reset (DfFieldsBuilder *b)
{
  g_string_truncate (b->bytes, 0);
  g_array_set_size (b->at, 0);
}

void
df_fields_builder_view (DfFieldsBuilder *b, DfFields *out)
{
  guint n = b->at->len;

  /* The string may have moved while it grew: the pointers are made now. */
  g_ptr_array_set_size (b->names, n);
  g_ptr_array_set_size (b->values, n);
  g_array_set_size (b->lens, n);
  for (guint i = 0; i < n; i++)
    {
      FieldAt *a = &g_array_index (b->at, FieldAt, i);
      b->names->pdata[i] = b->bytes->str + a->name_at;
      b->values->pdata[i] = b->bytes->str + a->value_at;
      g_array_index (b->lens, gsize, i) = a->value_len;
    }
  out->n_fields = n;
  out->names = (const char *const *) b->names->pdata;
  out->values = (const char *const *) b->values->pdata;
  out->lens = (const gsize *) (void *) b->lens->data;
}

void
df_fields_add_string (DfFieldsBuilder *b, const char *name, const char *value, gssize len)
{
  if (value == NULL)
    return;     /* a NULL string is a field left out */
  FieldAt a = { .name_at = b->bytes->len };
  g_string_append_len (b->bytes, name, (gssize) strlen (name) + 1);
  a.value_at = b->bytes->len;
  a.value_len = len < 0 ? strlen (value) : (gsize) len;
  g_string_append_len (b->bytes, value, (gssize) a.value_len);
  g_string_append_c (b->bytes, '\0');
  g_array_append_val (b->at, a);
}

void
df_fields_add_int (DfFieldsBuilder *b, const char *name, gint64 value)
{
  char buf[24];
  df_fields_add_string (b, name, buf, g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value));
}

void
df_fields_add_uint (DfFieldsBuilder *b, const char *name, guint64 value)
{
  char buf[24];
  df_fields_add_string (b, name, buf, g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, value));
}

void
df_fields_add_double (DfFieldsBuilder *b, const char *name, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  df_fields_add_string (b, name, g_ascii_dtostr (buf, sizeof buf, value), -1);
}

void
df_fields_add_bool (DfFieldsBuilder *b, const char *name, gboolean value)
{
  df_fields_add_string (b, name, value ? "1" : "0", 1);
}

/* ---------------------------------------------------------------- reading */

/* The field's value and length, or NULL when it is left out. */
static const char *
field_find (const DfFields *f, const char *name, gsize *len)
{
  for (guint i = 0; i < f->n_fields; i++)
    if (strcmp (f->names[i], name) == 0)
      {
        *len = f->lens ? f->lens[i] : strlen (f->values[i]);
        return f->values[i];
      }
  return NULL;
}

static gboolean
bad_field (GError **error, const char *name, const char *value, gsize len, const char *want)
{
  if (value == NULL)
    g_set_error (error, DF_ERROR, DF_ERROR_BAD_ENTRY, "the entry has no field '%s'", name);
  else
    g_set_error (error, DF_ERROR, DF_ERROR_BAD_ENTRY, "field '%s' is '%.*s', not %s", name,
                 (int) MIN (len, 64), value, want);
  return FALSE;
}

/* A NUL-terminated copy on the stack for strtoll and friends (values are
 * binary-safe, numbers are short). */
#define NUMBER_MAX 64

static gboolean
number_text (const char *value, gsize len, char *buf)
{
  if (value == NULL || len == 0 || len >= NUMBER_MAX || memchr (value, '\0', len))
    return FALSE;
  memcpy (buf, value, len);
  buf[len] = '\0';
  return TRUE;
}

gboolean
df_fields_get_string (const DfFields *f, const char *name, char **out, GError **error)
{
  gsize len = 0;
  const char *value = field_find (f, name, &len);

  *out = NULL;
  if (value != NULL)
    {
      /* All the bytes (g_strndup would stop at a NUL inside). */
      *out = g_malloc (len + 1);
      memcpy (*out, value, len);
      (*out)[len] = '\0';
    }
  return TRUE;
}

gboolean
df_fields_get_int (const DfFields *f, const char *name, gint64 min, gint64 max, gint64 *out,
                   GError **error)
{
  gsize len = 0;
  const char *value = field_find (f, name, &len);
  char buf[NUMBER_MAX], *end = NULL;
  g_autofree char *want = g_strdup_printf ("an integer in [%" G_GINT64_FORMAT ", %"
                                           G_GINT64_FORMAT "]", min, max);

  if (!number_text (value, len, buf))
    return bad_field (error, name, value, len, want);
  errno = 0;
  gint64 v = g_ascii_strtoll (buf, &end, 10);
  if (errno != 0 || *end != '\0' || v < min || v > max)
    return bad_field (error, name, value, len, want);
  *out = v;
  return TRUE;
}

gboolean
df_fields_get_uint (const DfFields *f, const char *name, guint64 max, guint64 *out,
                    GError **error)
{
  gsize len = 0;
  const char *value = field_find (f, name, &len);
  char buf[NUMBER_MAX], *end = NULL;
  g_autofree char *want = g_strdup_printf ("an integer in [0, %" G_GUINT64_FORMAT "]", max);

  if (!number_text (value, len, buf) || buf[0] == '-')
    return bad_field (error, name, value, len, want);
  errno = 0;
  guint64 v = g_ascii_strtoull (buf, &end, 10);
  if (errno != 0 || *end != '\0' || v > max)
    return bad_field (error, name, value, len, want);
  *out = v;
  return TRUE;
}

gboolean
df_fields_get_double (const DfFields *f, const char *name, double *out, GError **error)
{
  gsize len = 0;
  const char *value = field_find (f, name, &len);
  char buf[NUMBER_MAX], *end = NULL;

  if (!number_text (value, len, buf))
    return bad_field (error, name, value, len, "a number");
  errno = 0;
  double v = g_ascii_strtod (buf, &end);
  /* (ERANGE with a finite result is an underflow: a subnormal that
   * df_fields_add_double wrote reads back as itself.) */
  if ((errno == ERANGE && isinf (v)) || *end != '\0')
    return bad_field (error, name, value, len, "a number");
  *out = v;
  return TRUE;
}

gboolean
df_fields_get_bool (const DfFields *f, const char *name, gboolean *out, GError **error)
{
  gsize len = 0;
  const char *value = field_find (f, name, &len);

  if (value == NULL || len != 1 || (value[0] != '0' && value[0] != '1'))
    return bad_field (error, name, value, len, "1 or 0");
  *out = value[0] == '1';
  return TRUE;
}
