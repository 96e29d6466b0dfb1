/* gen-c.c — the C spelling of the program's own text: types,
 * declarations, constants, and the `%{ … %}` blocks, verbatim. */
#include "gen.h"

const char *
gen_ctype (const AstTypeRef *type)
{
  return types_ctype (type)->spelling;
}

char *
gen_decl (const AstTypeRef *type, const char *name, gboolean out)
{
  const char *spelling = gen_ctype (type);
  gboolean pointer = g_str_has_suffix (spelling, "*");
  return g_strdup_printf ("%s%s%s%s", spelling, pointer ? "" : " ", out ? "*" : "", name);
}

/* ", TYPE name" for each parameter (one more `*` level for outputs, with
 * `out`), ", T *name, gsize name_len" for a batch `T[]`; each marked
 * G_GNUC_UNUSED with `unused`. */
void
gen_param_list (GString *s, const AstParams *params, const char *const *names, gboolean out,
                gboolean unused)
{
  const char *mark = unused ? " G_GNUC_UNUSED" : "";
  for (guint i = 0; i < params->n; i++)
    {
      gboolean batch = params->items[i]->is_batch;
      g_autofree char *decl = gen_decl (&params->items[i]->type, names[i], out || batch);
      g_string_append_printf (s, ", %s%s", decl, mark);
      if (batch)
        g_string_append_printf (s, ", gsize %s_len%s", names[i], mark);
    }
}

static char *
int_literal (const AstLiteral *lit, CTypeInfo info)
{
  if (info.klass == CTYPE_FLOAT)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".0", lit->negative ? "-" : "", lit->magnitude);
  if (lit->negative)
    {
      /* INT64_MIN has no positive literal: write it as an expression. */
      if (lit->magnitude > G_MAXINT64)
        return g_strdup ("(-G_MAXINT64 - 1)");
      return g_strdup_printf ("-%" G_GUINT64_FORMAT, lit->magnitude);
    }
  const char *suffix = lit->magnitude > G_MAXINT64 ? "u" : lit->magnitude > G_MAXINT32 ? "ll" : "";
  if (info.klass == CTYPE_UNSIGNED && lit->magnitude > G_MAXINT32)
    suffix = "ull";
  return g_strdup_printf ("%" G_GUINT64_FORMAT "%s", lit->magnitude, suffix);
}

char *
gen_literal (const AstLiteral *lit, const AstTypeRef *type)
{
  CTypeInfo info = types_classify (types_ctype (type));
  switch (lit->kind)
    {
    case LIT_INT:
      return int_literal (lit, info);
    case LIT_FLOAT:
      return g_strdup_printf ("%.17g", lit->f);
    case LIT_BOOL:
      return g_strdup (lit->b ? "TRUE" : "FALSE");
    case LIT_DURATION:
      return g_strdup_printf ("G_GINT64_CONSTANT (%" G_GINT64_FORMAT ")", lit->duration_us);
    case LIT_STRING:
      {
        g_autofree char *body = writer_c_string (lit->str, lit->str_len);
        return g_strdup_printf ("\"%s\"", body);
      }
    }
  g_assert_not_reached ();
}

/* %{ ... %} or %header{ ... %}, verbatim, with #line into the .df file. */
void
gen_cblocks (Gen *g, Writer *w, gboolean header)
{
  AstFile *file = g->program->file;
  for (guint i = 0; i < file->n_cblocks; i++)
    {
      const AstCBlock *block = file->cblocks[i];
      if (block->header != header)
        continue;
      writer_at_source (w, block->loc.file, block->text_line);
      writer_raw (w, block->text, block->len);
      if (block->len > 0 && block->text[block->len - 1] != '\n')
        writer_raw (w, "\n", 1);
      writer_at_self (w);
    }
}
