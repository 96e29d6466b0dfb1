/* e2e-common.h — shared by the end-to-end tests of generated flows.
 *
 * Each tests/e2e/NAME.df is compiled by the in-tree dfc; test-NAME.c
 * implements its stages and runs its flows.  This header is included by
 * the .df files' %header{} blocks, so the generated code sees it too:
 *
 *   - Token, an owned type whose free and copy functions count every value
 *     made, copied and freed (type Tok = Token * { free = token_free;
 *     copy = token_copy; }), so that tests can assert that every value is
 *     freed exactly once;
 *   - deferring an async stage's completion: inline (inside the call), later
 *     on the main loop, or from another thread;
 *   - running a runtime until its flows end and checking what is left
 *     (the deadline itself is the support library's runtime-wait.h).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <gio/gio.h>
#include <dfrt-gen.h>

G_BEGIN_DECLS

/* ------------------------------------------------------------------ tokens */

typedef struct {
  guint32 magic;   /* TOKEN_MAGIC while alive */
  int value;
} Token;

#define TOKEN_MAGIC 0x70c3e2e0u

Token *token_new (int value);
/* The copy function of Tok: a new token with the same value. */
Token *token_copy (const Token *token);
/* The free function of Tok: checks that @token is alive. */
void token_free (Token *token);

/* Counters since the last tokens_reset(); any thread. */
void tokens_reset (void);
gint tokens_created (void);   /* token_new() */
gint tokens_copied (void);    /* token_copy() */
gint tokens_freed (void);     /* token_free() */
gint tokens_live (void);      /* created + copied - freed */
/* Every token made or copied since the reset was freed exactly once. */
#define tokens_assert_balanced() \
  do { \
    g_assert_cmpint (tokens_freed (), ==, tokens_created () + tokens_copied ()); \
  } while (0)

/* ------------------------------------------------------- async completion */

typedef enum {
  E2E_INLINE,   /* complete inside the stage's own call */
  E2E_LATER,    /* complete from the main loop (an idle source) */
  E2E_THREAD,   /* complete from another thread */
  E2E_MIXED,    /* each of the three in turn */
  E2E_N_MODES,
} E2eMode;

extern const char *const e2e_mode_names[E2E_N_MODES];

/* The mode e2e_defer() uses; tests set it. */
extern E2eMode e2e_mode;

typedef void (*E2eFunc) (gpointer data);

/* Runs @func (@data) as @mode says. */
void e2e_defer_mode (E2eMode mode, E2eFunc func, gpointer data);
void e2e_defer (E2eFunc func, gpointer data);

/* Completing the common shapes of async stages through their generated
 * NAME_return() in the current mode. */
typedef void (*E2eReturnInt) (DfCall *call, int value);
typedef void (*E2eReturnToken) (DfCall *call, Token *token);
void e2e_return_int (E2eReturnInt ret, DfCall *call, int value);
/* @token (transfer full) passes to @ret. */
void e2e_return_token (E2eReturnToken ret, DfCall *call, Token *token);
/* df_call_fail() in the current mode. */
void e2e_fail (DfCall *call, GError *error);
/* df_call_complete() (a stage without outputs) in the current mode. */
void e2e_complete (DfCall *call);

/* Waits for every completion handed to other threads. */
void e2e_threads_drain (void);

gboolean e2e_is_main_thread (void);

/* ------------------------------------------------------------------ runs */

/* g_test_init() plus what the helpers need. */
void e2e_init (int *argc, char ***argv);

/* A new runtime on the default context; resets the token counters. */
DfRuntime *e2e_runtime_new (void);
/* iterate_until_flag () (runtime-wait.h) through df_runtime_iterate (),
 * so that a virtual clock with auto-advance moves while waiting. */
void e2e_iterate_rt_until (DfRuntime *rt, const gint *flag, double seconds);
/* Iterates the default context until @check (@data) returns TRUE, waking
 * up every millisecond (@check may watch other threads); fails the test
 * after @seconds. */
void e2e_iterate_until_true (gboolean (*check) (gpointer data), gpointer data, double seconds);
/* Runs @rt until every frame is gone, then checks that every token was
 * freed exactly once, and unrefs @rt. */
void e2e_runtime_finish (DfRuntime *rt);

/* An error of the tests' own domain, for stages that fail. */
#define E2E_ERROR (e2e_error_quark ())
GQuark e2e_error_quark (void);
enum { E2E_ERROR_BOOM = 7, E2E_ERROR_FLAKY = 8 };

G_END_DECLS
