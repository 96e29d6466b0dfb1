/* graph-common.h — shared by the end-to-end tests of generated graphs.
 *
 * Each tests/e2e-graph/NAME.df is compiled by the in-tree dfc (with
 * -Werror); test-NAME.c implements its stages and runs its graphs through
 * the generated entry points.  The .df files include this header from a
 * %header{} block, so the generated code sees it too:
 *
 *   - Str, an owned string whose free and copy functions count every
 *     string made, copied and freed (type Str = char * { free = str_free;
 *     copy = str_copy; }), so that tests prove each one is freed once;
 *   - a node's kept errors, worker threads for async completions; running
 *     a graph and its accounting (in == ok + err + dropped at every node)
 *     are the support library's graph-check.h.
 */
#pragma once

#include <gio/gio.h>
#include <dfrt-gen.h>

G_BEGIN_DECLS

/* ------------------------------------------------------- counted strings */

char *str_new  (const char *fmt, ...) G_GNUC_PRINTF (1, 2);
char *str_copy (const char *s);
void  str_free (char *s);
void  strs_reset (void);
gint  strs_made (void);     /* str_new () */
gint  strs_copied (void);   /* str_copy () */
gint  strs_freed (void);    /* str_free () */
/* Every string made or copied since the reset was freed exactly once. */
#define strs_assert_balanced() \
  g_assert_cmpint (strs_freed (), ==, strs_made () + strs_copied ())

/* ------------------------------------------------------------------ runs */

/* g_test_init () and a deterministic environment. */
void gt_init (int *argc, char ***argv);

/* The messages of the errors a node keeps, oldest first, joined by "|". */
char *gt_errors (DfGraph *graph, const char *name);

/* An error of the tests' own domain, for stages that fail. */
#define GT_ERROR (gt_error_quark ())
GQuark gt_error_quark (void);

/* A queue of completions handed to worker threads (async stages that
 * complete from another thread): gt_later (func, data) runs func (data)
 * on one of 3 pthreads after about @usec microseconds. */
typedef void (*GtFunc) (gpointer data);
void gt_later (GtFunc func, gpointer data, gulong usec);
/* Waits until every handed-over completion has run. */
void gt_later_drain (void);

G_END_DECLS
