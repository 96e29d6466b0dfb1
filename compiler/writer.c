/* writer.c — indentation, line counting and #line for generated C.
 *
 * The text accumulates in a buffer; a writer given a file hands the
 * buffer to it whenever it passes WRITER_BLOCK bytes, so that generating
 * a large program never holds its whole text (100,000 stages make 160 MB
 * of C and header). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "writer.h"

enum { WRITER_BLOCK = 256 * 1024 };

struct Writer {
  GString *out;
  FILE *file;            /* NULL: the text stays in `out` */
  int write_errno;       /* the first failed write's, 0 if none */
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
writer_stream_to (Writer *w, FILE *file)
{
  g_return_if_fail (w->out->len == 0 && w->file == NULL);
  w->file = file;
}

/* The buffer to the file, which is then empty; a failure is kept for
 * writer_finish () and stops further writes. */
static void
writer_drain (Writer *w)
{
  if (w->write_errno == 0 && w->out->len > 0
      && fwrite (w->out->str, 1, w->out->len, w->file) != w->out->len)
    w->write_errno = errno != 0 ? errno : EIO;
  g_string_truncate (w->out, 0);
}

/* Called after every addition: the counting of lines and the hand-over. */
static void
writer_added (Writer *w, gsize from)
{
  for (const char *p = w->out->str + from; (p = memchr (p, '\n', w->out->str + w->out->len - p)) != NULL; p++)
    w->line++;
  if (w->file != NULL && w->out->len >= WRITER_BLOCK)
    writer_drain (w);
}

gboolean
writer_finish (Writer *w, const char *what, GError **error)
{
  g_return_val_if_fail (w->file != NULL, FALSE);
  writer_drain (w);
  if (w->write_errno == 0 && fflush (w->file) != 0)
    w->write_errno = errno != 0 ? errno : EIO;
  if (w->write_errno == 0)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (w->write_errno), "cannot write '%s': %s",
               what, g_strerror (w->write_errno));
  return FALSE;
}

void
writer_raw (Writer *w, const char *text, gsize len)
{
  gsize from = w->out->len;
  g_string_append_len (w->out, text, len);
  writer_added (w, from);
}

void
writer_printf (Writer *w, const char *fmt, ...)
{
  gsize from = w->out->len;
  va_list args;
  va_start (args, fmt);
  g_string_append_vprintf (w->out, fmt, args);
  va_end (args);
  writer_added (w, from);
}

void
writer_line (Writer *w, const char *fmt, ...)
{
  gsize from = w->out->len;
  if (fmt[0] != '\0')
    for (guint i = 0; i < w->indent; i++)
      g_string_append (w->out, "  ");
  gsize text_at = w->out->len;
  va_list args;
  va_start (args, fmt);
  g_string_append_vprintf (w->out, fmt, args);
  va_end (args);
  /* An empty line has no indentation, whatever made it empty. */
  if (w->out->len == text_at)
    g_string_truncate (w->out, from);
  g_string_append_c (w->out, '\n');
  writer_added (w, from);
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
