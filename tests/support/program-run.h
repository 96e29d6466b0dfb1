/* program-run.h — a test's child program: spawned with arguments and
 * environment, finished into what it did ({status, out, err}).  The one
 * set of rules for every test that runs a generated program. */
#pragma once

#include <gio/gio.h>

/* A finished program. */
typedef struct {
  int   status;   /* exit status (see ProgramKilled for a signal) */
  char *out;      /* stdout */
  char *err;      /* stderr; "" when merged into stdout or silenced */
} ProgramRun;

void program_run_clear (ProgramRun *run);

/* What a death by a signal means.  Most tests expect their program to
 * exit, so a signal is a crash that fails the test with the program's
 * stderr; the tests of signal handling send a second signal on purpose
 * and assert the status a shell would report for it. */
typedef enum {
  PROGRAM_KILLED_FAILS,       /* fail the test, showing stderr */
  PROGRAM_KILLED_IS_STATUS,   /* status = 128 + the signal */
} ProgramKilled;

/* A NULL-terminated list of strings in place: PROGRAM_ARGS ("--n=3"). */
#define PROGRAM_ARGS(...) ((const char *const[]) { __VA_ARGS__, NULL })

/* Starts the program whose path is in the environment variable
 * @program_env (set by meson; asserted set) with @args (NULL-terminated)
 * and @env ("NAME=VALUE" entries added to the test's environment,
 * NULL-terminated, nullable).  Stdout is always piped; stderr is piped
 * unless @flags merge or silence it; @flags may add
 * G_SUBPROCESS_FLAGS_STDIN_PIPE (see program_interrupt). */
GSubprocess *program_spawn (const char *program_env, const char *const *args,
                            const char *const *env, GSubprocessFlags flags);

/* The same for the program at @path (a test binary running itself). */
GSubprocess *program_spawn_path (const char *path, const char *const *args,
                                 const char *const *env, GSubprocessFlags flags);

/* Waits for @proc to end and returns its status, by @killed's rule. */
int program_wait_status (GSubprocess *proc, ProgramKilled killed);

/* Collects @proc's stdout and stderr until it ends (closing its stdin
 * pipe, if any, first), then its status by @killed's rule. */
ProgramRun program_finish_full (GSubprocess *proc, ProgramKilled killed);

/* program_finish_full with PROGRAM_KILLED_FAILS. */
ProgramRun program_finish (GSubprocess *proc);

/* Sends @signal to @proc, waits for it to end on its own, and only then
 * finishes it.  The order matters when its stdin is a pipe left open: a
 * program that drains on the signal must find its read cancelled, not
 * an end of input, and program_finish closes the pipe first. */
ProgramRun program_interrupt (GSubprocess *proc, int signal);

/* program_spawn without environment or flags, then program_finish. */
ProgramRun program_run (const char *program_env, const char *const *args);
