/* writer.c — indentation, line counting and #line for generated C. */
#include <stdarg.h>
#include <string.h>
#include "writer.h"

struct Writer {
  GString *out;
  char *self_name;       /* escaped for a string literal */
  GPtrArray *df_paths;   /* char *, each escaped for a string literal */
  gboolean lines;
  guint indent;
  guint line;            /* lines completed so far */
  gboolean at_self;      /* no #line into the .df file is in force */
};

Writer *
writer_new (const char *self_name, const char *const *df_paths, guint n_paths, gboolean lines)
{
  Writer *w = g_new0 (Writer, 1);
  w->out = g_string_new (NULL);
  w->self_name = writer_c_string (self_name, strlen (self_name));
  w->df_paths = g_ptr_array_new_full (n_paths, g_free);
  for (guint i = 0; i < n_paths; i++)
    g_ptr_array_add (w->df_paths, writer_c_string (df_paths[i], strlen (df_paths[i])));
  w->lines = lines;
  w->at_self = TRUE;
  return w;
}

void
writer_free (Writer *w)
{
  if (w == NULL)
    return;
  g_string_free (w->out, TRUE);
  g_free (w->self_name);
  g_ptr_array_unref (w->df_paths);
  g_free (w);
}

const GString *
writer_text (const Writer *w)
{
  return w->out;
}

GString *
writer_steal_text (Writer *w)
{
  GString *text = w->out;
  w->out = g_string_new (NULL);
  return text;
}

void
writer_raw (Writer *w, const char *text, gsize len)
{
  g_string_append_len (w->out, text, len);
  for (gsize i = 0; i < len; i++)
    w->line += text[i] == '\n';
}

void
writer_printf (Writer *w, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *text = g_strdup_vprintf (fmt, args);
  va_end (args);
  writer_raw (w, text, strlen (text));
}

void
writer_line (Writer *w, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *text = g_strdup_vprintf (fmt, args);
  va_end (args);
  if (text[0] != '\0')
    for (guint i = 0; i < w->indent; i++)
      g_string_append (w->out, "  ");
  writer_raw (w, text, strlen (text));
  writer_raw (w, "\n", 1);
}

void
writer_blank (Writer *w)
{
  writer_raw (w, "\n", 1);
}

void
writer_indent (Writer *w)
{
  w->indent++;
}

void
writer_dedent (Writer *w)
{
  g_assert (w->indent > 0);
  w->indent--;
}

void
writer_at_source (Writer *w, guint32 df_file, guint32 df_line)
{
  if (!w->lines)
    return;
  g_return_if_fail (df_file < w->df_paths->len);
  writer_printf (w, "#line %u \"%s\"\n", df_line, (const char *) w->df_paths->pdata[df_file]);
  w->at_self = FALSE;
}

void
writer_at_self (Writer *w)
{
  if (!w->lines || w->at_self)
    return;
  /* The directive names the line after itself. */
  writer_printf (w, "#line %u \"%s\"\n", w->line + 2, w->self_name);
  w->at_self = TRUE;
}

char *
writer_c_string (const char *s, gsize len)
{
  GString *out = g_string_sized_new (len + 2);
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) s[i];
      switch (c)
        {
        case '\\': g_string_append (out, "\\\\"); break;
        case '"': g_string_append (out, "\\\""); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default:
          /* Octal, always three digits, so a following digit cannot join
           * the escape; '?' too, against trigraphs. */
          if (c < 0x20 || c >= 0x7f || c == '?')
            g_string_append_printf (out, "\\%03o", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  return g_string_free (out, FALSE);
}
