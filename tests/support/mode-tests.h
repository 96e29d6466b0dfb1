/* mode-tests.h — registering a program's tests once per scheduling mode.
 * The generated programs run in --mode=sync and --mode=async, and each
 * test must hold in both: /PREFIX/sync/NAME and /PREFIX/async/NAME, the
 * test function getting "--mode=sync" or "--mode=async" as its data. */
#pragma once

#include <glib.h>

typedef struct {
  const char   *name;
  GTestDataFunc func;
} ModeTest;

/* Adds each of @tests (@n of them) under @prefix for both modes, every
 * test of sync first, then of async. */
void mode_tests_add (const char *prefix, const ModeTest *tests, guint n);
