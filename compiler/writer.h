/* writer.h — the one writer of generated C.
 *
 * Everything dfc generates goes through a Writer: it indents, counts the
 * lines it has written (so that `#line` directives can point back into
 * the generated file after pointing into the .df file), and escapes what
 * lands inside C string literals.
 */
#pragma once

#include <stdio.h>
#include <glib.h>

typedef struct Writer Writer;

/* `self_name`: how the generated file names itself in #line directives;
 * `df_paths`: the program's .df files, by a Loc's `file`; `lines`: FALSE
 * for --no-line. */
Writer *writer_new (const char *self_name, const char *const *df_paths, guint n_paths,
                    gboolean lines);
void writer_free (Writer *w);
/* The text written so far; the writer keeps it. */
const GString *writer_text (const Writer *w);
/* The text written so far, now the caller's; the writer starts empty. */
GString *writer_steal_text (Writer *w);
/* From now on (nothing written yet) the text goes to `file` in large
 * blocks as it is written, and is not kept; the caller keeps the file
 * and closes it.  writer_finish () writes the rest. */
void writer_stream_to (Writer *w, FILE *file);
/* What is left, to the file and flushed; FALSE with `error` ("cannot
 * write 'WHAT': …") if this or an earlier write failed. */
gboolean writer_finish (Writer *w, const char *what, GError **error);

/* One line at the current indentation ("" for an empty line). */
void writer_line (Writer *w, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
/* Text without indentation or newline. */
void writer_raw (Writer *w, const char *text, gsize len);
void writer_printf (Writer *w, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
void writer_blank (Writer *w);
void writer_indent (Writer *w);
void writer_dedent (Writer *w);

/* `#line N "file.df"` for what follows, when directives are on: line
 * `df_line` of the program's file `df_file`. */
void writer_at_source (Writer *w, guint32 df_file, guint32 df_line);
/* `#line` back to the generated file itself. */
void writer_at_self (Writer *w);

/* `s` as the body of a C string literal (quotes not included). */
char *writer_c_string (const char *s, gsize len);
