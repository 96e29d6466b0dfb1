/* dfc-run.h — running the dfc binary from tests. */
#pragma once

#include <glib.h>

typedef struct {
  int status;        /* exit status, or -1 if it did not exit normally */
  char *out;         /* stdout, NUL-terminated */
  gsize out_len;
  char *err;         /* stderr, NUL-terminated */
  gsize err_len;
} DfcResult;

/* Run `$DFC args...` in `cwd` (NULL: the current directory), feeding
 * `input` (NULL: nothing) on standard input. */
void dfc_run (const char *cwd, const char *const *args, const char *input, gsize input_len,
              DfcResult *result);
void dfc_result_clear (DfcResult *result);

/* The dfc binary under test: $DFC, set by meson. */
const char *dfc_path (void);

/* The source tree's tests/ directory: $DFC_TESTS, set by meson. */
const char *dfc_tests_dir (void);

/* The dfc options a test program's first line gives, `// dfc-flags: -Wall
 * --prefix app_`, as a NULL-terminated list (empty without that line):
 * the one convention of every .df file the tests compile. */
GStrv dfc_first_line_flags (const char *df_text);

/* For g_ptr_array_sort over an array of strings. */
gint dfc_compare_strings (gconstpointer a, gconstpointer b);

/* Compare `actual` with the file `expected_path`; with $DFC_UPDATE set,
 * write it instead.  On a difference, fail the test with both texts. */
void dfc_assert_golden (const char *expected_path, const char *actual, gsize actual_len);
