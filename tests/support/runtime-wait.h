/* runtime-wait.h — waiting for a runtime's work to end, with a deadline
 * that fails the test rather than hanging it (the deadline is generous:
 * the tests assert what happened, never how long it took). */
#pragma once

#include <dfrt-gen.h>

/* Runs @rt until its flows and graphs end; after @seconds, stops it and
 * fails the test, naming the frames still alive. */
void runtime_run_or_fail (DfRuntime *rt, double seconds);

/* Iterates the default main context until *@flag (atomic) is non-zero;
 * fails the test after @seconds. */
void iterate_until_flag (const gint *flag, double seconds);
