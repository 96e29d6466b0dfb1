/* soup-baseline.h — the HTTP benchmark's baseline: the GET loop a careful
 * C programmer writes by hand with libsoup 3 and json-glib. */
#pragma once

#include <glib.h>

typedef struct {
  guint64 pages;      /* non-empty arrays among them */
  guint64 items;      /* elements of those arrays */
} SoupBaselineCounts;

/* GETs TARGET?per_page=1&page=N for N = 1, 2, … with at most
 * MAX_IN_FLIGHT requests at a time on one new SoupSession, each body
 * parsed with json-glib and required to be an array, on a GMainLoop of
 * the thread-default context.  LIMIT > 0 asks for pages 1 … LIMIT; 0
 * asks until the first empty array, which ends the loop once the
 * requests in flight are in.  FALSE and ERROR at the first failure. */
gboolean soup_baseline_run (const char *target, guint max_in_flight, guint limit,
                            SoupBaselineCounts *counts, GError **error);
