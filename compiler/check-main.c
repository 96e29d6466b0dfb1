/* check-main.c — the main block.
 *
 * `main` turns the program into a standalone binary: each `run` names a
 * flow or graph, binds some of its inputs to constants, and the binary
 * reads the others from its command line.  So every run must name
 * something runnable, every binding must name an input and fit its type,
 * and every unbound input must have a type the command line can supply.
 * The flow checker covers what a run target itself must satisfy (a
 * repeating flow has no outputs).
 *
 * The command line itself (docs/cli.md) is checked here too: a default
 * (`n: int = 200`) must fit its input's type, defaults and help texts
 * belong on flow and graph inputs only, an option must not take the name
 * of one of main's own, and runs that share an option must agree on it.
 */
#include <string.h>
#include "program.h"

/* The flow or graph a run names; reports unknown-callee / not-callable. */
static AstDecl *
resolve_run_target (Program *program, const AstRun *run)
{
  if (run->target == NULL)
    return NULL;
  AstDecl *decl = program_lookup (program, run->target);
  if (decl == NULL)
    {
      Sym hint = program_suggest_decl (program, run->target,
                                       (1u << DECL_FLOW) | (1u << DECL_GRAPH));
      if (hint != NULL)
        diag_report (program->diags, DIAG_UNKNOWN_CALLEE, run->loc,
                     "unknown flow or graph '%s'; did you mean '%s'?", run->target, hint);
      else
        diag_report (program->diags, DIAG_UNKNOWN_CALLEE, run->loc,
                     "unknown flow or graph '%s'", run->target);
      return NULL;
    }
  if (decl->kind != DECL_FLOW && decl->kind != DECL_GRAPH)
    {
      Diag *d = diag_report (program->diags, DIAG_NOT_CALLABLE, run->loc,
                             "'%s' is %s; 'run' takes a flow or a graph",
                             run->target, ast_decl_kind_phrase (decl->kind));
      diag_note (d, decl->loc, "'%s' declared here", decl->name);
      return NULL;
    }
  return decl;
}

/* Reports a binding to an input the target lacks, with a suggestion. */
static void
report_unknown_input (Program *program, const AstRun *run, const AstBinding *b,
                      const AstParams *inputs)
{
  const char **names = g_new (const char *, inputs->n + 1);
  for (guint i = 0; i < inputs->n; i++)
    names[i] = inputs->items[i]->name;
  const char *hint = diag_suggest (b->param, names, inputs->n);
  g_free (names);
  const char *kind = run->decl->kind == DECL_FLOW ? "flow" : "graph";
  Diag *d;
  if (hint != NULL)
    d = diag_report (program->diags, DIAG_UNKNOWN_PARAM, b->loc,
                     "%s '%s' has no input '%s'; did you mean '%s'?", kind, run->target,
                     b->param, hint);
  else
    d = diag_report (program->diags, DIAG_UNKNOWN_PARAM, b->loc,
                     "%s '%s' has no input '%s'", kind, run->target, b->param);
  diag_note (d, run->decl->loc, "'%s' declared here", run->target);
}

/* One binding of a run: an input of the target, bound once, a constant of
 * its type (main has no values of its own to pass). */
static void
check_run_binding (Program *program, const AstRun *run, const AstParams *inputs, guint i)
{
  const AstBinding *b = run->bindings[i];
  const AstParam *input = ast_param_named (inputs, b->param);
  if (input == NULL)
    {
      report_unknown_input (program, run, b, inputs);
      return;
    }
  for (guint j = 0; j < i; j++)
    if (run->bindings[j]->param == b->param)
      {
        Diag *d = diag_report (program->diags, DIAG_DUPLICATE_BINDING, b->loc,
                               "input '%s' is bound twice", b->param);
        diag_note (d, run->bindings[j]->loc, "first bound here");
        return;
      }
  if (b->is_literal)
    types_check_literal (program, &b->lit, &input->type, input->name);
  else
    diag_report (program->diags, DIAG_MISSING_INPUT, b->key_loc,
                 "no value '%s' in main: a run binds inputs to constants", b->key);
}

/* Can the command line supply a value of this type: an integer, float,
 * boolean or duration, or a string the runtime does not have to free? */
static gboolean
command_line_type (const AstParam *input)
{
  if (input->is_batch)
    return FALSE;
  CTypeInfo info = types_classify (types_ctype (&input->type));
  switch (info.klass)
    {
    case CTYPE_SIGNED:
    case CTYPE_UNSIGNED:
    case CTYPE_FLOAT:
    case CTYPE_BOOL:
      return TRUE;
    case CTYPE_POINTER:
      return info.is_char_ptr && types_free_fn (&input->type) == NULL;
    case CTYPE_OTHER:
      return info.is_timespan;
    }
  return FALSE;
}

/* Every unbound input must come from the command line. */
static void
check_run_inputs (Program *program, const AstRun *run, const AstParams *inputs)
{
  for (guint i = 0; i < inputs->n; i++)
    {
      const AstParam *input = inputs->items[i];
      if (ast_binding_named (run->bindings, run->n_bindings, input->name) != NULL || command_line_type (input))
        continue;
      Diag *d = diag_report (program->diags, DIAG_RUN_INPUT, run->loc,
                             "input '%s' of '%s' has type '%s', which the command line "
                             "cannot supply; bind it in the run",
                             input->name, run->target, types_display (&input->type));
      diag_note (d, input->loc, "'%s' declared here", input->name);
    }
}

/* ------------------------------------------------------- the command line */

/* main's own options (runtime/options.c, standard_init, and --help,
 * --quiet, --version).  A run input is its own option, --NAME, so it
 * must not be one of these; `_` counts as `-`, since `stats_interval`
 * next to `--stats-interval` would only confuse. */
static const char *const reserved_options[] = {
  "help", "mode", "quiet", "stats", "stats-interval", "version", "workers",
};

static const char *
reserved_option (Sym name)
{
  g_autofree char *dashed = g_strdup (name);
  g_strdelimit (dashed, "_", '-');
  for (guint i = 0; i < G_N_ELEMENTS (reserved_options); i++)
    if (strcmp (dashed, reserved_options[i]) == 0)
      return reserved_options[i];
  return NULL;
}

/* A default and a help text mean something only where main reads an
 * input from the command line: on the inputs of flows and graphs. */
static void
report_misplaced (Program *program, const AstParams *params, const char *where)
{
  for (guint i = 0; i < params->n; i++)
    {
      const AstParam *param = params->items[i];
      const AstLiteral *lit = param->default_value != NULL ? param->default_value : param->help;
      if (lit == NULL)
        continue;
      diag_report (program->diags, DIAG_MISPLACED_DEFAULT, lit->loc,
                   "%s on %s '%s' has no effect; only the inputs of flows and graphs have them",
                   param->default_value != NULL ? "a default" : "a help text", where, param->name);
    }
}

static void
check_input_defaults (Program *program, const AstParams *inputs)
{
  for (guint i = 0; i < inputs->n; i++)
    {
      const AstParam *param = inputs->items[i];
      if (param->default_value != NULL)
        types_check_literal (program, param->default_value, &param->type, param->name);
    }
}

/* Defaults and help texts, wherever they are written. */
static void
check_command_line_texts (Program *program)
{
  AstFile *file = program->file;
  for (guint i = 0; i < file->n_stages; i++)
    {
      report_misplaced (program, &file->stages[i]->in, "stage parameter");
      report_misplaced (program, &file->stages[i]->out, "stage output");
    }
  for (guint i = 0; i < file->n_flows; i++)
    {
      check_input_defaults (program, &file->flows[i]->in);
      report_misplaced (program, &file->flows[i]->out, "flow output");
    }
  for (guint i = 0; i < file->n_graphs; i++)
    check_input_defaults (program, &file->graphs[i]->in);
}

/* An unbound input named like one of main's own options. */
static void
check_reserved (Program *program, const AstRun *run, const AstParam *input)
{
  const char *reserved = reserved_option (input->name);
  if (reserved == NULL)
    return;
  Diag *d = diag_report (program->diags, DIAG_RESERVED_OPTION, input->loc,
                         "input '%s' would be the option '--%s', which main already has; "
                         "rename the input or bind it in the run",
                         input->name, reserved);
  diag_note (d, run->loc, "'%s' is run here, reading '%s' from the command line",
             run->target, input->name);
}

/* Two runs reading one option (by name) must mean one option: the same
 * type, the same default.  Returns FALSE when they do not (reported). */
static gboolean
check_shared_option (Program *program, const AstRun *run, const AstParam *input,
                     const AstRun *first_run, const AstParam *first)
{
  const char *what = NULL;
  if (!types_agree (&input->type, &first->type, NULL))
    what = "type";
  else if ((input->default_value == NULL) != (first->default_value == NULL)
           || (input->default_value != NULL
               && strcmp (input->default_value->text, first->default_value->text) != 0))
    what = "default";
  if (what == NULL)
    return TRUE;
  Diag *d = diag_report (program->diags, DIAG_OPTION_CONFLICT, run->loc,
                         "'%s' and '%s' both read '--%s' from the command line, with a different %s",
                         first_run->target, run->target, input->name, what);
  diag_note (d, first->loc, "'%s' of '%s' declared here", first->name, first_run->target);
  diag_note (d, input->loc, "'%s' of '%s' declared here", input->name, run->target);
  return FALSE;
}

typedef struct {
  const AstRun *run;
  const AstParam *input;
} OptionUse;

/* Every input main reads from the command line, across the runs.  A
 * conflict is reported once per input, however often its flow is run. */
static void
check_run_options (Program *program, const AstMain *main_block)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr (GHashTable) conflicting = g_hash_table_new (NULL, NULL);
  for (guint r = 0; r < main_block->n_runs; r++)
    {
      const AstRun *run = main_block->runs[r];
      if (run->decl == NULL)
        continue;
      const AstParams *inputs = ast_decl_inputs (run->decl);
      for (guint i = 0; i < inputs->n; i++)
        {
          const AstParam *input = inputs->items[i];
          if (ast_binding_named (run->bindings, run->n_bindings, input->name) != NULL)
            continue;
          OptionUse *first = g_hash_table_lookup (seen, input->name);
          if (first != NULL)
            {
              if (first->input != input && !g_hash_table_contains (conflicting, input)
                  && !check_shared_option (program, run, input, first->run, first->input))
                g_hash_table_add (conflicting, (gpointer) input);
              continue;
            }
          check_reserved (program, run, input);
          first = g_new (OptionUse, 1);
          *first = (OptionUse) { run, input };
          g_hash_table_insert (seen, (gpointer) input->name, first);
        }
    }
}

static void
check_run (Program *program, AstRun *run)
{
  run->decl = resolve_run_target (program, run);
  if (run->decl == NULL)
    return;
  if (run->has_threshold && run->decl->kind == DECL_GRAPH)
    diag_report (program->diags, DIAG_BAD_OPTION, run->threshold_loc,
                 "'on error skip halt after' is for flow runs; a graph's nodes take "
                 "their own 'on error'");
  const AstParams *inputs = ast_decl_inputs (run->decl);
  for (guint i = 0; i < run->n_bindings; i++)
    check_run_binding (program, run, inputs, i);
  check_run_inputs (program, run, inputs);
}

void
check_main (Program *program)
{
  AstFile *file = program->file;
  for (guint m = 0; m < file->n_mains; m++)
    {
      AstMain *main_block = file->mains[m];
      if (m > 0)
        {
          Diag *d = diag_report (program->diags, DIAG_DUPLICATE_MAIN, main_block->loc,
                                 "a second 'main' block; a program has only one");
          diag_note (d, file->mains[0]->loc, "first 'main' here");
        }
      if (main_block->n_runs == 0)
        diag_report (program->diags, DIAG_EMPTY_BLOCK, main_block->loc,
                     "'main' runs nothing");
      for (guint r = 0; r < main_block->n_runs; r++)
        check_run (program, main_block->runs[r]);
      check_run_options (program, main_block);
    }
  check_command_line_texts (program);
}
