/* program-run.c — see program-run.h. */
#include <string.h>

#include "program-run.h"

void
program_run_clear (ProgramRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

GSubprocess *
program_spawn (const char *program_env, const char *const *args, const char *const *env,
               GSubprocessFlags flags)
{
  const char *path = g_getenv (program_env);
  g_assert_nonnull (path);
  return program_spawn_path (path, args, env, flags);
}

GSubprocess *
program_spawn_path (const char *path, const char *const *args, const char *const *env,
                    GSubprocessFlags flags)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  if ((flags & (G_SUBPROCESS_FLAGS_STDERR_MERGE | G_SUBPROCESS_FLAGS_STDERR_SILENCE)) == 0)
    flags |= G_SUBPROCESS_FLAGS_STDERR_PIPE;
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (flags | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      const char *eq = strchr (env[i], '=');
      g_assert_nonnull (eq);
      g_autofree char *name = g_strndup (env[i], eq - env[i]);
      g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
    }
  g_autoptr (GError) error = NULL;
  GSubprocess *proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata,
                                                    &error);
  g_assert_no_error (error);
  return proc;
}

static int
status_of (GSubprocess *proc, ProgramKilled killed, const char *err)
{
  if (g_subprocess_get_if_exited (proc))
    return g_subprocess_get_exit_status (proc);
  if (killed == PROGRAM_KILLED_FAILS)
    g_error ("the program was killed by signal %d; its standard error:\n%s",
             g_subprocess_get_term_sig (proc), err != NULL ? err : "(merged or not read)");
  return 128 + g_subprocess_get_term_sig (proc);
}

int
program_wait_status (GSubprocess *proc, ProgramKilled killed)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  return status_of (proc, killed, NULL);
}

ProgramRun
program_finish_full (GSubprocess *proc, ProgramKilled killed)
{
  ProgramRun run = { 0 };
  g_autoptr (GError) error = NULL;
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &run.out, &run.err, &error));
  g_assert_no_error (error);
  /* A stream that was merged or silenced reads as nothing. */
  if (run.out == NULL)
    run.out = g_strdup ("");
  if (run.err == NULL)
    run.err = g_strdup ("");
  run.status = status_of (proc, killed, run.err);
  return run;
}

ProgramRun
program_finish (GSubprocess *proc)
{
  return program_finish_full (proc, PROGRAM_KILLED_FAILS);
}

ProgramRun
program_interrupt (GSubprocess *proc, int signal)
{
  g_subprocess_send_signal (proc, signal);
  g_autoptr (GError) error = NULL;
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  return program_finish (proc);
}

ProgramRun
program_run (const char *program_env, const char *const *args)
{
  g_autoptr (GSubprocess) proc = program_spawn (program_env, args, NULL, G_SUBPROCESS_FLAGS_NONE);
  return program_finish (proc);
}
