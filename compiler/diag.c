/* diag.c — diagnostics: collected during a run, printed once, sorted.
 *
 * Collecting first and printing at the end is what lets every phase report
 * as it goes while the user still reads the errors in file order, each
 * with its notes, and never the same one twice.
 */
#include <stdarg.h>
#include <string.h>
#include "diag.h"

typedef struct {
  Loc loc;
  char *message;
} Note;

struct Diag {
  DiagCode code;
  DiagSeverity severity;   /* after -Werror */
  Loc loc;
  char *message;
  guint seq;               /* report order: breaks ties in the sort */
  GArray *notes;           /* Note */
};

/* A file diagnostics point into: a Loc's `file` indexes these. */
typedef struct {
  const char *path;
  const char *source;
  gsize len;
  GArray *line_starts;     /* gsize offsets, built on first print */
} DiagFile;

struct Diags {
  GArray *files;           /* DiagFile; 0 is the file named on the command line */
  GPtrArray *list;         /* Diag *, owned */
  gboolean enabled[DIAG_COUNT];
  gboolean werror;
  guint error_limit;       /* errors printed before stopping; 0: all */
};

typedef struct {
  const char *code;
  DiagSeverity severity;
  const char *summary;
} DiagInfo;

static const DiagInfo diag_info[DIAG_COUNT] = {
#define DIAG(id, code, severity, summary) [DIAG_##id] = { code, SEVERITY_##severity, summary },
#include "diag-table.h"
};

const char *
diag_code_name (DiagCode code)
{
  return diag_info[code].code;
}

const char *
diag_code_summary (DiagCode code)
{
  return diag_info[code].summary;
}

DiagSeverity
diag_code_severity (DiagCode code)
{
  return diag_info[code].severity;
}

Diags *
diags_new (const char *path, const char *source, gsize len)
{
  Diags *diags = g_new0 (Diags, 1);
  diags->files = g_array_new (FALSE, TRUE, sizeof (DiagFile));
  diags_add_file (diags, path, source, len);
  diags->list = g_ptr_array_new ();
  for (guint i = 0; i < DIAG_COUNT; i++)
    diags->enabled[i] = TRUE;
  diags->error_limit = DIAGS_DEFAULT_ERROR_LIMIT;
  return diags;
}

guint
diags_add_file (Diags *diags, const char *path, const char *source, gsize len)
{
  DiagFile file = { .path = path, .source = source, .len = len };
  g_array_append_val (diags->files, file);
  return diags->files->len - 1;
}

static void
diag_free (Diag *diag)
{
  for (guint i = 0; diag->notes != NULL && i < diag->notes->len; i++)
    g_free (g_array_index (diag->notes, Note, i).message);
  if (diag->notes != NULL)
    g_array_unref (diag->notes);
  g_free (diag->message);
  g_free (diag);
}

void
diags_free (Diags *diags)
{
  if (diags == NULL)
    return;
  for (guint i = 0; i < diags->list->len; i++)
    diag_free (diags->list->pdata[i]);
  g_ptr_array_unref (diags->list);
  for (guint i = 0; i < diags->files->len; i++)
    {
      DiagFile *file = &g_array_index (diags->files, DiagFile, i);
      if (file->line_starts != NULL)
        g_array_unref (file->line_starts);
    }
  g_array_unref (diags->files);
  g_free (diags);
}

/* -W<code> / -Wno-<code>; `all` names every warning.  FALSE for a name
 * that is not a warning, so the command line can reject it. */
gboolean
diags_set_warning (Diags *diags, const char *code, gboolean enabled)
{
  gboolean all = strcmp (code, "all") == 0;
  gboolean found = FALSE;
  for (guint i = 0; i < DIAG_COUNT; i++)
    if (diag_info[i].severity == SEVERITY_WARNING && (all || strcmp (diag_info[i].code, code) == 0))
      {
        diags->enabled[i] = enabled;
        found = TRUE;
      }
  return found;
}

void
diags_set_werror (Diags *diags, gboolean werror)
{
  diags->werror = werror;
}

void
diags_set_error_limit (Diags *diags, guint limit)
{
  diags->error_limit = limit;
}

Diag *
diag_report (Diags *diags, DiagCode code, Loc loc, const char *fmt, ...)
{
  g_return_val_if_fail (code < DIAG_COUNT, NULL);
  if (!diags->enabled[code])
    return NULL;

  Diag *diag = g_new0 (Diag, 1);
  diag->code = code;
  diag->severity = diag_info[code].severity;
  if (diag->severity == SEVERITY_WARNING && diags->werror)
    diag->severity = SEVERITY_ERROR;
  diag->loc = loc;
  diag->seq = diags->list->len;
  va_list args;
  va_start (args, fmt);
  diag->message = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_ptr_array_add (diags->list, diag);
  return diag;
}

void
diag_note (Diag *diag, Loc loc, const char *fmt, ...)
{
  if (diag == NULL)
    return;
  if (diag->notes == NULL)
    diag->notes = g_array_new (FALSE, FALSE, sizeof (Note));
  Note note = { .loc = loc };
  va_list args;
  va_start (args, fmt);
  note.message = g_strdup_vprintf (fmt, args);
  va_end (args);
  g_array_append_val (diag->notes, note);
}

/* Counts are only final after diags_print() has dropped duplicates, but
 * the phases ask "any error so far?", which duplicates do not change. */
static guint
count_severity (const Diags *diags, DiagSeverity severity)
{
  guint n = 0;
  for (guint i = 0; i < diags->list->len; i++)
    if (((Diag *) diags->list->pdata[i])->severity == severity)
      n++;
  return n;
}

guint
diags_error_count (const Diags *diags)
{
  return count_severity (diags, SEVERITY_ERROR);
}

guint
diags_warning_count (const Diags *diags)
{
  return count_severity (diags, SEVERITY_WARNING);
}

/* ---------------------------------------------------------------- printing */

static gint
diag_compare (gconstpointer pa, gconstpointer pb)
{
  const Diag *a = *(const Diag *const *) pa;
  const Diag *b = *(const Diag *const *) pb;
  if (a->loc.file != b->loc.file)
    return a->loc.file < b->loc.file ? -1 : 1;
  if (a->loc.line != b->loc.line)
    return a->loc.line < b->loc.line ? -1 : 1;
  if (a->loc.col != b->loc.col)
    return a->loc.col < b->loc.col ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static gboolean
diag_same (const Diag *a, const Diag *b)
{
  return a->code == b->code && a->loc.file == b->loc.file && a->loc.line == b->loc.line
         && a->loc.col == b->loc.col
         && strcmp (a->message, b->message) == 0;
}

/* Sort, then drop a diagnostic identical to one already kept at the same
 * place (a table arm is checked once per pick and may repeat itself). */
static void
sort_and_dedupe (Diags *diags)
{
  g_ptr_array_sort (diags->list, diag_compare);
  guint kept = 0;
  for (guint i = 0; i < diags->list->len; i++)
    {
      Diag *d = diags->list->pdata[i];
      gboolean dup = FALSE;
      /* Equal diagnostics share line and column, so they are adjacent
       * within the run of that position. */
      for (guint j = kept; j-- > 0;)
        {
          Diag *k = diags->list->pdata[j];
          if (k->loc.file != d->loc.file || k->loc.line != d->loc.line || k->loc.col != d->loc.col)
            break;
          if (diag_same (k, d))
            {
              dup = TRUE;
              break;
            }
        }
      if (dup)
        diag_free (d);
      else
        diags->list->pdata[kept++] = d;
    }
  g_ptr_array_set_size (diags->list, kept);
}

/* The file `loc` is in; file 0 for an index no file has (a Loc made up
 * by a phase that never saw a token). */
static DiagFile *
file_of (Diags *diags, const Loc *loc)
{
  guint index = loc->file < diags->files->len ? loc->file : 0;
  return &g_array_index (diags->files, DiagFile, index);
}

static void
index_lines (DiagFile *file)
{
  if (file->line_starts != NULL)
    return;
  file->line_starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize start = 0;
  g_array_append_val (file->line_starts, start);
  for (gsize i = 0; i < file->len; i++)
    if (file->source[i] == '\n')
      {
        gsize next = i + 1;
        g_array_append_val (file->line_starts, next);
      }
}

/* The text of 1-based `line` without its newline; FALSE past the end. */
static gboolean
source_line (DiagFile *file, guint32 line, const char **text, gsize *len)
{
  index_lines (file);
  if (line == 0 || line > file->line_starts->len)
    return FALSE;
  gsize start = g_array_index (file->line_starts, gsize, line - 1);
  gsize end = line < file->line_starts->len
                  ? g_array_index (file->line_starts, gsize, line) - 1
                  : file->len;
  if (end > start && file->source[end - 1] == '\r')
    end--;
  *text = file->source + start;
  *len = end - start;
  return TRUE;
}

/* How much of a long source line is echoed: this many bytes around the
 * caret, the rest elided with "...".  A minified or generated line of a
 * megabyte must not be copied into every diagnostic on it. */
#define ECHO_WIDTH 200

/* The part of a line that is echoed: [*start, *end) around the caret at
 * byte `col` (0-based), cut at character boundaries. */
static void
echo_window (const char *text, gsize len, gsize col, gsize *start, gsize *end)
{
  *start = 0;
  *end = len;
  if (len <= ECHO_WIDTH)
    return;
  gsize caret = MIN (col, len);
  *start = caret > ECHO_WIDTH / 2 ? caret - ECHO_WIDTH / 2 : 0;
  *end = MIN (len, *start + ECHO_WIDTH);
  if (*end == len)
    *start = len - ECHO_WIDTH;
  while (*start > 0 && ((guchar) text[*start] & 0xC0) == 0x80)
    (*start)--;
  while (*end < len && ((guchar) text[*end] & 0xC0) == 0x80)
    (*end)++;
}

/* Echo a source line safely: control bytes would garble the terminal (an
 * escape sequence could rewrite it), so they are shown as \xHH. */
static void
append_sanitized (GString *out, const char *text, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) text[i];
      if ((c < 0x20 && c != '\t') || c == 0x7f)
        g_string_append_printf (out, "\\x%02X", c);
      else
        g_string_append_c (out, (char) c);
    }
}

/* Columns count bytes; the caret line must count what the terminal shows:
 * one cell per UTF-8 character, tabs copied so they expand alike, and four
 * cells for a control byte shown as \xHH.  `text` is the echoed window. */
static void
append_caret (GString *out, const char *text, gsize len, gsize col, gsize span_len)
{
  for (gsize i = 0; i < col && i < len; i++)
    {
      guchar c = (guchar) text[i];
      if ((c & 0xC0) == 0x80)
        continue;
      if ((c < 0x20 && c != '\t') || c == 0x7f)
        g_string_append (out, "    ");
      else
        g_string_append_c (out, c == '\t' ? '\t' : ' ');
    }
  g_string_append_c (out, '^');
  gsize span = span_len > 1 ? span_len - 1 : 0;
  if (col < len && span > len - col - 1)
    span = len - col - 1;
  for (gsize i = 0; i < span; i++)
    if (((guchar) text[col + 1 + i] & 0xC0) != 0x80)
      g_string_append_c (out, '~');
}

static void
append_source_line (GString *out, const char *text, gsize len, const Loc *loc)
{
  gsize col = loc->col > 0 ? loc->col - 1 : 0;
  gsize start, end;
  echo_window (text, len, col, &start, &end);
  const char *before = start > 0 ? "..." : "";
  g_string_append_printf (out, "%5u | %s", loc->line, before);
  append_sanitized (out, text + start, end - start);
  if (end < len)
    g_string_append (out, "...");
  g_string_append_printf (out, "\n      | %s", start > 0 ? "   " : "");
  append_caret (out, text + start, end - start, col >= start ? col - start : 0, loc->len);
  g_string_append_c (out, '\n');
}

static void
append_located (Diags *diags, GString *out, const Loc *loc, const char *label,
                const char *message, const char *code)
{
  DiagFile *file = file_of (diags, loc);
  if (loc->line > 0)
    g_string_append_printf (out, "%s:%u:%u: %s: %s", file->path, loc->line, loc->col, label, message);
  else
    g_string_append_printf (out, "%s: %s: %s", file->path, label, message);
  if (code != NULL)
    g_string_append_printf (out, " [%s]", code);
  g_string_append_c (out, '\n');

  const char *text;
  gsize len;
  if (source_line (file, loc->line, &text, &len))
    append_source_line (out, text, len, loc);
}

static void
append_summary (GString *out, guint errors, guint warnings)
{
  if (errors == 0 && warnings == 0)
    return;
  if (errors > 0)
    g_string_append_printf (out, "%u error%s", errors, errors == 1 ? "" : "s");
  if (errors > 0 && warnings > 0)
    g_string_append (out, " and ");
  if (warnings > 0)
    g_string_append_printf (out, "%u warning%s", warnings, warnings == 1 ? "" : "s");
  g_string_append (out, " generated.\n");
}

void
diags_print (Diags *diags, FILE *out)
{
  sort_and_dedupe (diags);
  g_autoptr (GString) text = g_string_new (NULL);
  guint errors_shown = 0;
  for (guint i = 0; i < diags->list->len; i++)
    {
      const Diag *d = diags->list->pdata[i];
      if (d->severity == SEVERITY_ERROR && diags->error_limit > 0
          && errors_shown++ == diags->error_limit)
        {
          /* As clang does: the first errors are the ones worth reading,
           * and thousands of them only bury those. */
          g_string_append_printf (text, "%s: error: too many errors emitted, stopping now "
                                  "[-ferror-limit=%u]\n",
                                  g_array_index (diags->files, DiagFile, 0).path, diags->error_limit);
          break;
        }
      const char *label = d->severity == SEVERITY_ERROR ? "error" : "warning";
      append_located (diags, text, &d->loc, label, d->message, diag_info[d->code].code);
      for (guint j = 0; d->notes != NULL && j < d->notes->len; j++)
        {
          const Note *note = &g_array_index (d->notes, Note, j);
          append_located (diags, text, &note->loc, "note", note->message, NULL);
        }
    }
  append_summary (text, diags_error_count (diags), diags_warning_count (diags));
  fwrite (text->str, 1, text->len, out);
  fflush (out);
}

/* ------------------------------------------------------------ suggestions */

/* The largest edit distance a suggestion may be from the name: a third of
 * the name, but never more than this, so that comparing a 30,000-character
 * name costs a band of the distance table, not all of it. */
#define SUGGEST_MAX_DISTANCE 8

/* Edit distance counting a swap of two neighbours as one edit (optimal
 * string alignment: "paht" is one edit from "path"), case-insensitively.
 * Only the band |i - j| <= limit of the table can hold a distance within
 * `limit`, so only that band is computed (cells outside count as
 * limit + 1): time O(len * limit).  Gives up, returning `limit` + 1, once
 * every cell of a row exceeds `limit`. */
static guint
edit_distance (const char *a, const char *b, guint limit)
{
  gsize la = strlen (a), lb = strlen (b);
  if ((la > lb ? la - lb : lb - la) > limit)
    return limit + 1;
  guint over = limit + 1;
  g_autofree guint *rows = g_new (guint, 3 * (lb + 1));
  guint *before = rows, *prev = rows + lb + 1, *cur = rows + 2 * (lb + 1);
  for (gsize j = 0; j <= lb; j++)
    before[j] = prev[j] = cur[j] = j <= limit ? (guint) j : over;
  for (gsize i = 1; i <= la; i++)
    {
      gsize lo = i > limit ? i - limit : 1, hi = MIN (lb, i + limit);
      cur[0] = i <= limit ? (guint) i : over;
      if (lo > 1)
        cur[lo - 1] = over;
      guint best = cur[0];
      for (gsize j = lo; j <= hi; j++)
        {
          gchar ca = g_ascii_tolower (a[i - 1]), cb = g_ascii_tolower (b[j - 1]);
          guint d = MIN (MIN (prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + (ca != cb));
          if (i > 1 && j > 1 && ca == g_ascii_tolower (b[j - 2]) && g_ascii_tolower (a[i - 2]) == cb)
            d = MIN (d, before[j - 2] + 1);
          cur[j] = MIN (d, over);
          best = MIN (best, cur[j]);
        }
      if (hi < lb)
        cur[hi + 1] = over;
      if (best > limit)
        return over;
      guint *t = before;
      before = prev;
      prev = cur;
      cur = t;
    }
  return prev[lb];
}

const char *
diag_suggest (const char *name, const char *const *candidates, guint n)
{
  /* A third of the name, at least one edit: "fetc" finds "fetch".  Names
   * shorter than three letters are all near each other ("a" is one edit
   * from "b"), so they get no suggestion. */
  gsize len = strlen (name);
  if (len < 3)
    return NULL;
  guint limit = (guint) MIN ((gsize) SUGGEST_MAX_DISTANCE, MAX ((gsize) 1, len / 3));
  const char *best = NULL;
  guint best_distance = limit + 1;
  for (guint i = 0; i < n; i++)
    {
      if (strcmp (candidates[i], name) == 0)
        continue;
      guint d = edit_distance (name, candidates[i], best_distance - 1);
      if (d < best_distance)
        {
          best = candidates[i];
          best_distance = d;
          if (d == 0)
            break;
        }
    }
  return best;
}

char *
diag_hint (const char *suggestion)
{
  return suggestion != NULL ? g_strdup_printf ("; did you mean '%s'?", suggestion) : g_strdup ("");
}
