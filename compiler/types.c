/* types.c — what the checks need to know about C types.
 *
 * dfc never parses C: a type is the words the user wrote.  That is enough
 * for the language's rules, which only ask a few questions of a type: is it
 * an integer (and of what range, for a constant that must fit), a floating
 * type, a boolean, a pointer, a string; and do two spellings agree.  The
 * ranges are those of LP64 Linux, the platform the generated code targets.
 */
#include <float.h>
#include <string.h>
#include "program.h"

/* ------------------------------------------------------------ classifying */

/* A named scalar: the GLib and <stdint.h> typedefs, and the bool words. */
typedef struct {
  const char *name;
  CTypeClass klass;
  guint bits;            /* integers: the width; 0 for floats */
  gboolean is_timespan;
} NamedScalar;

static const NamedScalar named_scalars[] = {
  { "gint", CTYPE_SIGNED, 32, FALSE },
  { "guint", CTYPE_UNSIGNED, 32, FALSE },
  { "gshort", CTYPE_SIGNED, 16, FALSE },
  { "gushort", CTYPE_UNSIGNED, 16, FALSE },
  { "glong", CTYPE_SIGNED, 64, FALSE },
  { "gulong", CTYPE_UNSIGNED, 64, FALSE },
  { "gchar", CTYPE_SIGNED, 8, FALSE },
  { "guchar", CTYPE_UNSIGNED, 8, FALSE },
  { "gint8", CTYPE_SIGNED, 8, FALSE },
  { "guint8", CTYPE_UNSIGNED, 8, FALSE },
  { "gint16", CTYPE_SIGNED, 16, FALSE },
  { "guint16", CTYPE_UNSIGNED, 16, FALSE },
  { "gint32", CTYPE_SIGNED, 32, FALSE },
  { "guint32", CTYPE_UNSIGNED, 32, FALSE },
  { "gint64", CTYPE_SIGNED, 64, TRUE },
  { "guint64", CTYPE_UNSIGNED, 64, FALSE },
  { "gsize", CTYPE_UNSIGNED, 64, FALSE },
  { "gssize", CTYPE_SIGNED, 64, FALSE },
  { "goffset", CTYPE_SIGNED, 64, FALSE },
  { "gintptr", CTYPE_SIGNED, 64, FALSE },
  { "guintptr", CTYPE_UNSIGNED, 64, FALSE },
  { "gunichar", CTYPE_UNSIGNED, 32, FALSE },
  { "GTimeSpan", CTYPE_SIGNED, 64, TRUE },
  { "int8_t", CTYPE_SIGNED, 8, FALSE },
  { "uint8_t", CTYPE_UNSIGNED, 8, FALSE },
  { "int16_t", CTYPE_SIGNED, 16, FALSE },
  { "uint16_t", CTYPE_UNSIGNED, 16, FALSE },
  { "int32_t", CTYPE_SIGNED, 32, FALSE },
  { "uint32_t", CTYPE_UNSIGNED, 32, FALSE },
  { "int64_t", CTYPE_SIGNED, 64, TRUE },
  { "uint64_t", CTYPE_UNSIGNED, 64, FALSE },
  { "size_t", CTYPE_UNSIGNED, 64, FALSE },
  { "ssize_t", CTYPE_SIGNED, 64, FALSE },
  { "intptr_t", CTYPE_SIGNED, 64, FALSE },
  { "uintptr_t", CTYPE_UNSIGNED, 64, FALSE },
  { "ptrdiff_t", CTYPE_SIGNED, 64, FALSE },
  { "off_t", CTYPE_SIGNED, 64, FALSE },
  { "time_t", CTYPE_SIGNED, 64, FALSE },
  { "gfloat", CTYPE_FLOAT, 0, FALSE },
  { "gdouble", CTYPE_FLOAT, 0, FALSE },
  { "gboolean", CTYPE_BOOL, 32, FALSE },
  { "bool", CTYPE_BOOL, 1, FALSE },
};

/* The range of an integer class of `bits` bits (a 1-bit "integer" is a
 * C bool: 0 or 1). */
static void
set_range (CTypeInfo *info, guint bits)
{
  if (bits == 1)
    {
      info->min = 0;
      info->max = 1;
    }
  else if (info->klass == CTYPE_UNSIGNED)
    {
      info->min = 0;
      info->max = bits == 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << bits) - 1;
    }
  else
    {
      info->min = bits == 64 ? G_MININT64 : -(G_GINT64_CONSTANT (1) << (bits - 1));
      info->max = bits == 64 ? (guint64) G_MAXINT64 : (G_GUINT64_CONSTANT (1) << (bits - 1)) - 1;
    }
}

static gboolean
is_qualifier (const char *word)
{
  return strcmp (word, "const") == 0 || strcmp (word, "volatile") == 0;
}

static gboolean
has_word (const AstCType *ctype, const char *word)
{
  for (guint i = 0; i < ctype->n_words; i++)
    if (strcmp (ctype->words[i], word) == 0)
      return TRUE;
  return FALSE;
}

/* The one word left after dropping qualifiers, or NULL when there are
 * none or several. */
static const char *
single_base_word (const AstCType *ctype)
{
  const char *base = NULL;
  for (guint i = 0; i < ctype->n_words; i++)
    {
      if (is_qualifier (ctype->words[i]))
        continue;
      if (base != NULL)
        return NULL;
      base = ctype->words[i];
    }
  return base;
}

/* Counts of the C keywords that make up an arithmetic type. */
typedef struct {
  guint n_signed, n_unsigned, n_short, n_long, n_int, n_char, n_float, n_double, n_bool;
} Keywords;

/* FALSE when a word is not one of the arithmetic keywords. */
static gboolean
count_keywords (const AstCType *ctype, Keywords *k)
{
  memset (k, 0, sizeof *k);
  for (guint i = 0; i < ctype->n_words; i++)
    {
      const char *w = ctype->words[i];
      if (is_qualifier (w))
        continue;
      guint *slot = strcmp (w, "signed") == 0     ? &k->n_signed
                    : strcmp (w, "unsigned") == 0 ? &k->n_unsigned
                    : strcmp (w, "short") == 0    ? &k->n_short
                    : strcmp (w, "long") == 0     ? &k->n_long
                    : strcmp (w, "int") == 0      ? &k->n_int
                    : strcmp (w, "char") == 0     ? &k->n_char
                    : strcmp (w, "float") == 0    ? &k->n_float
                    : strcmp (w, "double") == 0   ? &k->n_double
                    : strcmp (w, "_Bool") == 0    ? &k->n_bool
                                                  : NULL;
      if (slot == NULL)
        return FALSE;
      (*slot)++;
    }
  return TRUE;
}

/* `unsigned long int`, `signed char`, `long double`, `_Bool`, ...: the
 * combinations C allows of its arithmetic keywords. */
static gboolean
classify_keywords (const AstCType *ctype, CTypeInfo *info)
{
  Keywords k;
  if (!count_keywords (ctype, &k))
    return FALSE;
  guint sign = k.n_signed + k.n_unsigned;
  guint total = sign + k.n_short + k.n_long + k.n_int + k.n_char + k.n_float + k.n_double + k.n_bool;
  if (total == 0 || sign > 1)
    return FALSE;
  if (k.n_bool > 0)
    {
      if (total != 1)
        return FALSE;
      info->klass = CTYPE_BOOL;
      set_range (info, 1);
      return TRUE;
    }
  if (k.n_float + k.n_double > 0)
    {
      gboolean ok = sign == 0 && k.n_short == 0 && k.n_int == 0 && k.n_char == 0
                    && k.n_float + k.n_double == 1 && (k.n_long == 0 || (k.n_double == 1 && k.n_long == 1));
      if (ok)
        info->klass = CTYPE_FLOAT;
      return ok;
    }
  if (k.n_char > 1 || k.n_int > 1 || k.n_short > 1 || k.n_long > 2 || (k.n_short && k.n_long)
      || (k.n_char && (k.n_short || k.n_long || k.n_int)))
    return FALSE;
  info->klass = k.n_unsigned ? CTYPE_UNSIGNED : CTYPE_SIGNED;
  /* Plain char is signed on the x86-64 Linux ABI. */
  set_range (info, k.n_char ? 8 : k.n_short ? 16 : k.n_long ? 64 : 32);
  return TRUE;
}

/* gint64, GTimeSpan, size_t, gboolean, ...: one typedef name. */
static gboolean
classify_named (const char *word, CTypeInfo *info)
{
  for (guint i = 0; i < G_N_ELEMENTS (named_scalars); i++)
    {
      const NamedScalar *s = &named_scalars[i];
      if (strcmp (s->name, word) != 0)
        continue;
      info->klass = s->klass;
      info->is_timespan = s->is_timespan;
      if (s->bits > 0)
        set_range (info, s->bits);
      return TRUE;
    }
  return FALSE;
}

/* `char *` and `gchar *`, with or without const on the characters. */
static void
classify_pointer (const AstCType *ctype, CTypeInfo *info)
{
  info->klass = CTYPE_POINTER;
  if (ctype->n_pointers != 1)
    return;
  const char *base = single_base_word (ctype);
  if (base == NULL || (strcmp (base, "char") != 0 && strcmp (base, "gchar") != 0))
    return;
  info->is_char_ptr = TRUE;
  info->is_const_char_ptr = has_word (ctype, "const");
}

CTypeInfo
types_classify (const AstCType *ctype)
{
  CTypeInfo info = { .klass = CTYPE_OTHER };
  if (ctype == NULL)
    return info;
  if (ctype->n_pointers > 0)
    {
      classify_pointer (ctype, &info);
      return info;
    }
  /* An enum is an int to C: it takes integer constants and is a condition. */
  if (has_word (ctype, "enum"))
    {
      info.klass = CTYPE_SIGNED;
      set_range (&info, 32);
      return info;
    }
  const char *base = single_base_word (ctype);
  if (base != NULL && classify_named (base, &info))
    return info;
  if (!classify_keywords (ctype, &info))
    info = (CTypeInfo) { .klass = CTYPE_OTHER };
  return info;
}

/* -------------------------------------------------------------- references */

const AstCType *
types_ctype (const AstTypeRef *ref)
{
  if (ref == NULL)
    return NULL;
  if (ref->alias != NULL && ref->alias->ctype != NULL)
    return ref->alias->ctype;
  return ref->ctype;
}

Sym
types_free_fn (const AstTypeRef *ref)
{
  return ref != NULL && ref->alias != NULL ? ref->alias->free_fn : NULL;
}

Sym
types_copy_fn (const AstTypeRef *ref)
{
  return ref != NULL && ref->alias != NULL ? ref->alias->copy_fn : NULL;
}

gboolean
types_crosses_processes (const AstTypeRef *ref)
{
  CTypeInfo info = types_classify (types_ctype (ref));
  Sym free_fn = types_free_fn (ref);

  switch (info.klass)
    {
    case CTYPE_SIGNED:
    case CTYPE_UNSIGNED:
    case CTYPE_FLOAT:
    case CTYPE_BOOL:
      return TRUE;
    case CTYPE_POINTER:
      /* Decoding makes a new string: its owner must free it with g_free. */
      return info.is_char_ptr && !info.is_const_char_ptr && free_fn != NULL
             && strcmp (free_fn, "g_free") == 0;
    case CTYPE_OTHER:
      break;
    }
  return FALSE;
}

const char *
types_display (const AstTypeRef *ref)
{
  if (ref == NULL)
    return "?";
  if (ref->alias != NULL)
    return ref->alias->decl.name;
  const AstCType *ctype = types_ctype (ref);
  if (ctype != NULL && ctype->spelling != NULL)
    return ctype->spelling;
  return ref->ident != NULL ? ref->ident : "?";
}

static const char *
spelling_of (const AstTypeRef *ref)
{
  const AstCType *ctype = types_ctype (ref);
  return ctype != NULL && ctype->spelling != NULL ? ctype->spelling : "";
}

/* Readers borrow, so a borrowed reader of an owned value (or the other way
 * round) is fine; only two different free functions cannot both hold. */
gboolean
types_agree (const AstTypeRef *a, const AstTypeRef *b, const char **why)
{
  const char *sa = spelling_of (a), *sb = spelling_of (b);
  if (sa != sb && strcmp (sa, sb) != 0)
    {
      if (why != NULL)
        *why = "type";
      return FALSE;
    }
  Sym free_a = types_free_fn (a), free_b = types_free_fn (b);
  if (free_a != NULL && free_b != NULL && strcmp (free_a, free_b) != 0)
    {
      if (why != NULL)
        *why = "ownership";
      return FALSE;
    }
  return TRUE;
}

gboolean
types_input_accepts (const AstTypeRef *value, const AstTypeRef *input)
{
  if (types_agree (value, input, NULL))
    return TRUE;
  /* `const T *` from `T *`: C converts it implicitly, and the reader only
   * borrows, so the value's owner (the flow's frame) frees it as before. */
  const char *v = spelling_of (value), *in = spelling_of (input);
  return types_free_fn (input) == NULL && g_str_has_suffix (v, "*") && !g_str_has_prefix (v, "const ")
         && g_str_has_prefix (in, "const ") && strcmp (in + strlen ("const "), v) == 0;
}

/* ---------------------------------------------------------------- literals */

static const char *
literal_kind_name (LitKind kind)
{
  switch (kind)
    {
    case LIT_INT: return "integer";
    case LIT_FLOAT: return "float";
    case LIT_STRING: return "string";
    case LIT_BOOL: return "boolean";
    case LIT_DURATION: return "duration";
    }
  return "constant";
}

/* `true`/`false` bind to int as well as to the boolean types. */
static gboolean
is_plain_int (const AstCType *ctype)
{
  const char *base = single_base_word (ctype);
  if (base != NULL)
    return strcmp (base, "int") == 0 || strcmp (base, "gint") == 0 || strcmp (base, "signed") == 0;
  Keywords k;
  return count_keywords (ctype, &k) && k.n_signed == 1 && k.n_int == 1
         && k.n_unsigned + k.n_short + k.n_long + k.n_char + k.n_float + k.n_double + k.n_bool == 0;
}

/* Does an integer constant fit the range in `info`? */
static gboolean
integer_fits (const AstLiteral *lit, const CTypeInfo *info)
{
  if (lit->negative && lit->magnitude > 0)
    {
      if (info->min >= 0)
        return FALSE;
      guint64 limit = (guint64) (-(info->min + 1)) + 1;
      return lit->magnitude <= limit;
    }
  return lit->magnitude <= info->max;
}

typedef enum {
  FIT_OK,
  FIT_KIND,       /* the wrong kind of constant for the type */
  FIT_RANGE,      /* the right kind, out of range */
  FIT_NEGATIVE,   /* a negative integer into an unsigned type */
  FIT_OWNED,      /* a string into an owned type */
} Fit;

static Fit
literal_fit (const AstLiteral *lit, const AstTypeRef *ref, const CTypeInfo *info)
{
  switch (lit->kind)
    {
    case LIT_INT:
      if (info->klass == CTYPE_FLOAT)
        return FIT_OK;
      if (info->klass != CTYPE_SIGNED && info->klass != CTYPE_UNSIGNED && info->klass != CTYPE_BOOL)
        return FIT_KIND;
      if (integer_fits (lit, info))
        return FIT_OK;
      return lit->negative && info->klass == CTYPE_UNSIGNED ? FIT_NEGATIVE : FIT_RANGE;
    case LIT_FLOAT:
      if (info->klass != CTYPE_FLOAT)
        return FIT_KIND;
      {
        const AstCType *ctype = types_ctype (ref);
        const char *base = single_base_word (ctype);
        gboolean narrow = base != NULL && (strcmp (base, "float") == 0 || strcmp (base, "gfloat") == 0);
        return narrow && (lit->f > FLT_MAX || lit->f < -FLT_MAX) ? FIT_RANGE : FIT_OK;
      }
    case LIT_STRING:
      if (types_free_fn (ref) != NULL)
        return FIT_OWNED;
      return info->is_const_char_ptr ? FIT_OK : FIT_KIND;
    case LIT_BOOL:
      return info->klass == CTYPE_BOOL || is_plain_int (types_ctype (ref)) ? FIT_OK : FIT_KIND;
    case LIT_DURATION:
      return info->is_timespan ? FIT_OK : FIT_KIND;
    }
  return FIT_KIND;
}

/* What a constant of each kind binds to, for the message. */
static const char *
literal_accepts (LitKind kind)
{
  switch (kind)
    {
    case LIT_INT: return "an integer binds to an integer or floating type it fits";
    case LIT_FLOAT: return "a float binds to float, double or gdouble";
    case LIT_STRING: return "a string binds to 'const char *', 'const gchar *' or a borrowed alias of one";
    case LIT_BOOL: return "true and false bind to gboolean, bool, _Bool or int";
    case LIT_DURATION: return "a duration is a GTimeSpan and binds to GTimeSpan, gint64 or int64_t";
    }
  return "";
}

gboolean
types_check_literal (Program *program, const AstLiteral *lit, const AstTypeRef *ref, Sym param)
{
  CTypeInfo info = types_classify (types_ctype (ref));
  Fit fit = literal_fit (lit, ref, &info);
  if (fit == FIT_OK)
    return TRUE;

  const char *text = lit->text != NULL ? lit->text : "";
  const char *type = types_display (ref);
  const char *kind = literal_kind_name (lit->kind);
  Diag *d;
  switch (fit)
    {
    case FIT_RANGE:
      d = diag_report (program->diags, DIAG_LITERAL_TYPE, lit->loc,
                       "%s %s is out of range for parameter '%s' of type '%s'", kind, text, param, type);
      break;
    case FIT_NEGATIVE:
      d = diag_report (program->diags, DIAG_LITERAL_TYPE, lit->loc,
                       "negative integer %s cannot bind to parameter '%s' of unsigned type '%s'", text,
                       param, type);
      break;
    case FIT_OWNED:
      d = diag_report (program->diags, DIAG_LITERAL_TYPE, lit->loc,
                       "string %s cannot bind to parameter '%s' of owned type '%s' (the runtime would free it)",
                       text, param, type);
      break;
    default:
      d = diag_report (program->diags, DIAG_LITERAL_TYPE, lit->loc,
                       "%s %s cannot bind to parameter '%s' of type '%s'; %s", kind, text, param, type,
                       literal_accepts (lit->kind));
      break;
    }
  diag_note (d, ref->loc, "'%s' is declared here as '%s'", param, type);
  return FALSE;
}
