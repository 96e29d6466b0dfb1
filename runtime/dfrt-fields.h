/* dfrt-fields.h — an item as the fields of a stream entry.
 *
 * A node whose input crosses processes (docs/scale-out.md) receives its
 * items as stream entries: one field per item field, a name and a value.
 * Generated code encodes an item with the df_fields_add_* functions and
 * decodes one with the df_fields_get_* functions; a transport moves the
 * fields.  Values are text, so that any client reads them: integers in
 * decimal, floating point numbers in the shortest form that reads back
 * the same double, booleans "1" and "0", strings as they are (binary-safe;
 * a NULL string is a field left out).  Decoding checks each value against
 * its C type and fails with DF_ERROR_BAD_ENTRY naming the field.
 */
#pragma once

#include "dfrt-types.h"

G_BEGIN_DECLS

/* Fields to read: borrowed arrays (a transport's entry). */
typedef struct {
  guint              n_fields;
  const char *const *names;
  const char *const *values;
  const gsize       *lens;      /* of the values; NULL: NUL-terminated */
} DfFields;

/* Fields being written: owns what it holds. */
typedef struct _DfFieldsBuilder DfFieldsBuilder;

DF_API DfFieldsBuilder *df_fields_builder_new   (void);
DF_API void             df_fields_builder_free  (DfFieldsBuilder *b);
/* Forgets the fields added, keeping the memory. */
DF_API void             df_fields_builder_reset (DfFieldsBuilder *b);
/* What was added, valid until the next add, reset or free. */
DF_API void             df_fields_builder_view  (DfFieldsBuilder *b, DfFields *out);

DF_API void df_fields_add_string (DfFieldsBuilder *b, const char *name, const char *value,
                                  gssize len);
DF_API void df_fields_add_int    (DfFieldsBuilder *b, const char *name, gint64 value);
DF_API void df_fields_add_uint   (DfFieldsBuilder *b, const char *name, guint64 value);
DF_API void df_fields_add_double (DfFieldsBuilder *b, const char *name, double value);
DF_API void df_fields_add_bool   (DfFieldsBuilder *b, const char *name, gboolean value);

/* A newly allocated copy of the field's value (NULL when it is left out). */
DF_API gboolean df_fields_get_string (const DfFields *f, const char *name, char **out,
                                      GError **error);
/* An integer within [@min, @max] (the C type's range). */
DF_API gboolean df_fields_get_int    (const DfFields *f, const char *name, gint64 min,
                                      gint64 max, gint64 *out, GError **error);
DF_API gboolean df_fields_get_uint   (const DfFields *f, const char *name, guint64 max,
                                      guint64 *out, GError **error);
DF_API gboolean df_fields_get_double (const DfFields *f, const char *name, double *out,
                                      GError **error);
DF_API gboolean df_fields_get_bool   (const DfFields *f, const char *name, gboolean *out,
                                      GError **error);

G_END_DECLS
