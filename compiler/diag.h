/* diag.h — collecting and printing diagnostics.
 *
 * Phases report into a Diags as they go; nothing is printed until the
 * driver calls diag_print(), which sorts by position (file, line, column) (notes stay with their
 * diagnostic), drops exact duplicates (a table arm checked from two picks),
 * and renders each as
 *
 *     file.df:3:5: error: message [code]
 *         3 |     fetc(page_no = 1);
 *           |     ^~~~
 *     file.df:1:7: note: 'fetch' declared here
 */
#pragma once

#include <stdio.h>
#include "ast.h"

typedef enum {
#define DIAG(id, code, severity, summary) DIAG_##id,
#include "diag-table.h"
  DIAG_COUNT
} DiagCode;

typedef enum {
  SEVERITY_NOTE,
  SEVERITY_WARNING,
  SEVERITY_ERROR,
} DiagSeverity;

typedef struct Diag Diag;
typedef struct Diags Diags;

/* `path` and `source` (NUL-terminated, `len` bytes) are borrowed and must
 * outlive the Diags.  That file is file 0 of the Locs reported. */
Diags *diags_new (const char *path, const char *source, gsize len);
/* Another file Locs may point into (an import); returns its index. */
guint diags_add_file (Diags *diags, const char *path, const char *source, gsize len);
void diags_free (Diags *diags);

/* Warning control, applied when a diagnostic is reported. */
gboolean diags_set_warning (Diags *diags, const char *code, gboolean enabled);
void diags_set_werror (Diags *diags, gboolean werror);
/* Print at most `limit` errors, then say so and stop (0: no limit). */
#define DIAGS_DEFAULT_ERROR_LIMIT 20
void diags_set_error_limit (Diags *diags, guint limit);

/* Report a diagnostic at `loc`.  Returns a handle for attaching notes, or
 * NULL when the code is a disabled warning (diag_note accepts NULL). */
Diag *diag_report (Diags *diags, DiagCode code, Loc loc, const char *fmt, ...)
    G_GNUC_PRINTF (4, 5);
void diag_note (Diag *diag, Loc loc, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

guint diags_error_count (const Diags *diags);   /* errors, including -Werror warnings */
guint diags_warning_count (const Diags *diags);

/* Sort, deduplicate and print everything collected so far. */
void diags_print (Diags *diags, FILE *out);

/* Table lookups, for --help and docs. */
const char *diag_code_name (DiagCode code);
const char *diag_code_summary (DiagCode code);
DiagSeverity diag_code_severity (DiagCode code);

/* The closest of `candidates` to `name` (edit distance small relative to
 * the name's length), or NULL.  For "did you mean" hints. */
const char *diag_suggest (const char *name, const char *const *candidates, guint n);
/* "; did you mean 'x'?" for a suggestion, "" for none: the tail of a
 * message.  Free it. */
char *diag_hint (const char *suggestion);
