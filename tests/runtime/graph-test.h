/* graph-test.h — what dfc would generate for the item types of the graph
 * tests (running a graph and checking its accounting: the support
 * library's graph-check.h).
 *
 *     type Str = char * { free = test_str_free; copy = test_str_copy; };
 *
 * Strings are counted (allocated vs freed) so that tests can prove every
 * copy made for a fan-out is freed exactly once.
 */
#pragma once

#include "graph-check.h"
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
