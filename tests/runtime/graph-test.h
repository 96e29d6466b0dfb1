/* graph-test.h — what dfc would generate for the item types of the graph
 * tests, plus helpers to run a graph and check its accounting.
 *
 *     type Str = char * { free = test_str_free; copy = test_str_copy; };
 *
 * Strings are counted (allocated vs freed) so that tests can prove every
 * copy made for a fan-out is freed exactly once.
 */
#pragma once

#include "rt-test.h"

/* ------------------------------------------------------- counted strings */

extern gint test_str_allocs;
extern gint test_str_frees;

char *test_str_new  (const char *fmt, ...) G_GNUC_PRINTF (1, 2);
char *test_str_copy (const char *s);
void  test_str_free (char *s);
void  test_str_reset (void);
/* Every counted string was freed, exactly once (ASan catches the rest). */
void  test_str_assert_balanced (void);

/* ------------------------------------------------------------ item types */

/* emits (v: gint64) and a node input (v: gint64) */
typedef struct { gint64 v; } IntItem;
/* emits (s: Str) and a node input (s: Str) */
typedef struct { char *s; } StrItem;

void int_emit (DfContext *ctx, gint64 v);     /* generated NAME_emit */
void str_emit (DfContext *ctx, char *s);      /* takes @s */

void str_item_free (gpointer item);
void str_edge_copy (gpointer src, gpointer dst);
void str_edge_move (gpointer src, gpointer dst);

/* --------------------------------------------------------------- running */

typedef struct {
  gboolean done;
  GError  *error;
} GraphResult;

/* Starts @graph and runs its runtime until it ends (fails the test after
 * @seconds).  The result's error is a copy. */
void graph_run (DfGraph *graph, GraphResult *result, double seconds);
void graph_result_clear (GraphResult *result);

/* At every node: in == ok + err + dropped, nothing queued or in flight,
 * and the input queue never went past its bound. */
void graph_assert_accounting (DfGraph *graph);
/* The stats of the node named @name. */
DfGraphNodeStats graph_node_stats (DfGraph *graph, const char *name);
