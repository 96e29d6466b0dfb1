/* gen-main.c — `main { run ...; }` as int main (int argc, char **argv).
 *
 * Each unbound input of a run becomes a typed --name=value option (one
 * option per name, shared by the runs that read it), holding the input's
 * default and help text when the .df file gives them (docs/cli.md);
 * runtime/options.c does the parsing.  The runs start side
 * by side on one runtime; `restart on failure` puts a run under a
 * DfSupervisor.  A flow's scalar and string outputs are printed as
 * name=value lines.  Exit status: 0, 1 if a run failed, 2 on bad usage.
 */
#include <string.h>
#include "gen.h"

typedef struct {
  const AstParam *param;     /* the input of the first run that reads it */
  const AstLiteral *help;    /* the first help text of the inputs it sets */
  const char *option_type;   /* DF_OPTION_... */
  const char *c_type;        /* the variable's type */
} Option;

static gboolean
is_single_float (const AstCType *ctype)
{
  return strcmp (ctype->spelling, "float") == 0 || strcmp (ctype->spelling, "gfloat") == 0;
}

/* Which option type reads the input; the variable holds what the option
 * stores, and the run's input is set from it with a cast the range check
 * (option_range) makes safe. */
static void
classify_option (Option *opt)
{
  const AstCType *ctype = types_ctype (&opt->param->type);
  CTypeInfo info = types_classify (ctype);
  if (strcmp (ctype->spelling, "GTimeSpan") == 0)
    opt->option_type = "DF_OPTION_DURATION", opt->c_type = "GTimeSpan";
  else if (info.klass == CTYPE_BOOL)
    opt->option_type = "DF_OPTION_BOOL", opt->c_type = "gboolean";
  else if (info.klass == CTYPE_FLOAT && is_single_float (ctype))
    opt->option_type = "DF_OPTION_FLOAT", opt->c_type = "double";
  else if (info.klass == CTYPE_FLOAT)
    opt->option_type = "DF_OPTION_DOUBLE", opt->c_type = "double";
  else if (info.klass == CTYPE_SIGNED)
    opt->option_type = "DF_OPTION_INT", opt->c_type = "gint64";
  else if (info.klass == CTYPE_UNSIGNED)
    opt->option_type = "DF_OPTION_UINT", opt->c_type = "guint64";
  else
    opt->option_type = "DF_OPTION_STRING",
    opt->c_type = info.is_const_char_ptr ? "const char *" : "char *";
}

/* The options of every run, once per name, in order of first use. */
static GArray *
collect_options (Gen *g)
{
  const AstMain *main_ = g->program->file->mains[0];
  GArray *options = g_array_new (FALSE, TRUE, sizeof (Option));
  for (guint r = 0; r < main_->n_runs; r++)
    {
      const AstParams *in = ast_decl_inputs (main_->runs[r]->decl);   /* a flow's or a graph's */
      for (guint i = 0; i < in->n; i++)
        {
          const AstParam *param = in->items[i];
          if (ast_binding_named (main_->runs[r]->bindings, main_->runs[r]->n_bindings, param->name) != NULL)
            continue;
          Option *shared = NULL;
          for (guint k = 0; k < options->len && shared == NULL; k++)
            if (g_array_index (options, Option, k).param->name == param->name)
              shared = &g_array_index (options, Option, k);
          if (shared != NULL)
            {
              /* The checks made them agree on type and default; the help
               * text is the first one written. */
              if (shared->help == NULL)
                shared->help = param->help;
              continue;
            }
          Option opt = { .param = param, .help = param->help };
          classify_option (&opt);
          g_array_append_val (options, opt);
        }
    }
  return options;
}

/* name=value for the outputs a terminal can show. */
static void
print_outputs (Gen *g, const AstFlow *flow)
{
  Writer *w = g->c;
  for (guint i = 0; i < flow->out.n; i++)
    {
      const AstParam *param = flow->out.items[i];
      CTypeInfo info = types_classify (types_ctype (&param->type));
      const char *name = param->name;
      if (info.is_char_ptr)
        writer_line (w, "g_print (\"%s=%%s\\n\", out->%s != NULL ? out->%s : \"(null)\");", name, name, name);
      else if (info.klass == CTYPE_BOOL)
        writer_line (w, "g_print (\"%s=%%s\\n\", out->%s ? \"true\" : \"false\");", name, name);
      else if (info.klass == CTYPE_SIGNED)
        writer_line (w, "g_print (\"%s=%%\" G_GINT64_FORMAT \"\\n\", (gint64) out->%s);", name, name);
      else if (info.klass == CTYPE_UNSIGNED)
        writer_line (w, "g_print (\"%s=%%\" G_GUINT64_FORMAT \"\\n\", (guint64) out->%s);", name, name);
      else if (info.klass == CTYPE_FLOAT)
        writer_line (w, "g_print (\"%s=%%.17g\\n\", (double) out->%s);", name, name);
    }
}

/* `restart on failure` and `on error skip halt after N` both run under a
 * DfSupervisor. */
static gboolean
run_supervised (const AstRun *run)
{
  return run->restart || run->has_threshold;
}

static void
run_functions (Gen *g, const AstRun *run, guint r)
{
  Writer *w = g->c;
  const AstFlow *flow = (const AstFlow *) run->decl;

  writer_line (w, "/* %s:%u: run %s */", program_loc_path (g->program, run->loc), run->loc.line, flow->decl.name);
  writer_line (w, "static %s run%u_in;", gen_type_name (g, flow->decl.name, "In"), r);
  if (run_supervised (run))
    writer_line (w, "static DfSupervisor *run%u_supervisor;", r);
  writer_blank (w);
  writer_line (w, "static void");
  writer_line (w, "run%u_done (%s *out, const GError *error, gpointer data)", r,
               gen_type_name (g, flow->decl.name, "Out"));
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "(void) data;");
  writer_line (w, "(void) out;");
  if (run_supervised (run))
    writer_line (w, "df_supervisor_run_finished (run%u_supervisor, error);", r);
  writer_line (w, "if (error != NULL)");
  writer_line (w, "  {");
  if (!run_supervised (run))
    writer_line (w, "    main_report (\"%s\", error);", flow->decl.name);
  writer_line (w, "    return;");
  writer_line (w, "  }");
  print_outputs (g, flow);
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "static void");
  writer_line (w, "run%u_start (DfSupervisor *supervisor, gpointer data)", r);
  writer_line (w, "{");
  writer_line (w, "  (void) supervisor;");
  writer_line (w, "  %s (data, &run%u_in, NULL, run%u_done, %s);", gen_entry_name (g, flow->decl.name, "start"), r, r,
               g->program->file->mains[0]->user_data ? "main_user_data" : "NULL");
  writer_line (w, "}");
  writer_blank (w);
}

/* runN_supervisor_done () of a run under `restart on failure`. */
static void
supervisor_done (Gen *g, const AstRun *run, guint r)
{
  Writer *w = g->c;
  if (!run_supervised (run))
    return;
  writer_line (w, "static void");
  writer_line (w, "run%u_supervisor_done (DfSupervisor *supervisor, const GError *error, gpointer data)", r);
  writer_line (w, "{");
  writer_line (w, "  (void) data;");
  writer_line (w, "  if (error != NULL)");
  writer_line (w, "    main_report (df_supervisor_get_name (supervisor), error);");
  writer_line (w, "}");
  writer_blank (w);
}

static void
main_helpers (Gen *g)
{
  Writer *w = g->c;
  const AstMain *main_ = g->program->file->mains[0];
  writer_line (w, "/* ---- main (%s:%u) ---- */", program_loc_path (g->program, main_->loc),
               main_->loc.line);
  writer_blank (w);
  writer_line (w, "static DfRuntime *main_runtime;");
  writer_line (w, "static guint main_failures;");
  if (main_->user_data != NULL)
    {
      g_autofree char *decl = gen_decl (&main_->user_data->type, "main_user_data", FALSE);
      writer_line (w, "static %s;   /* main_user_data_new (), for every stage */", decl);
    }
  writer_blank (w);
  writer_line (w, "/* A run that failed; one stopped by a signal has not failed. */");
  writer_line (w, "static void");
  writer_line (w, "main_report (const char *run, const GError *error)");
  writer_line (w, "{");
  writer_line (w, "  if (g_error_matches (error, DF_ERROR, DF_ERROR_CANCELLED) && df_runtime_is_stopping (main_runtime))");
  writer_line (w, "    return;");
  writer_line (w, "  g_printerr (\"%%s: %%s\\n\", run, error->message);");
  writer_line (w, "  main_failures++;");
  writer_line (w, "}");
  writer_blank (w);
  /* Until main() names the program: the .df file's name, not its path. */
  g_autofree char *base = g_path_get_basename (g->program->path);
  if (g_str_has_suffix (base, ".df"))
    base[strlen (base) - 3] = '\0';
  g_autofree char *name = writer_c_string (base, strlen (base));
  writer_line (w, "static const char *");
  writer_line (w, "main_program (void)");
  writer_line (w, "{");
  writer_line (w, "  return g_get_prgname () != NULL ? g_get_prgname () : \"%s\";", name);
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "/* DF_VIRTUAL_CLOCK=1: the run on a virtual clock (docs/endings.md). */");
  writer_line (w, "static void");
  writer_line (w, "main_virtual_clock (DfRuntime *rt)");
  writer_line (w, "{");
  writer_line (w, "  g_autoptr (GError) error = NULL;");
  writer_line (w, "  if (!df_runtime_clock_from_env (rt, &error))");
  writer_line (w, "    {");
  writer_line (w, "      g_printerr (\"%%s: %%s\\n\", main_program (), error->message);");
  writer_line (w, "      exit (DF_EXIT_USAGE);");
  writer_line (w, "    }");
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "/* Calls still out once the runs ended (late, cancelled or stuck) get");
  writer_line (w, " * DF_SHUTDOWN_GRACE to come back; a stage that does not is named. */");
  writer_line (w, "static void");
  writer_line (w, "main_shutdown (DfRuntime *rt)");
  writer_line (w, "{");
  writer_line (w, "  g_autoptr (GError) error = NULL;");
  writer_line (w, "  if (!df_runtime_shutdown (rt, DF_SHUTDOWN_GRACE, &error))");
  writer_line (w, "    {");
  writer_line (w, "      g_printerr (\"%%s: %%s; exiting\\n\", main_program (), error->message);");
  writer_line (w, "      main_failures++;");
  writer_line (w, "    }");
  writer_line (w, "  df_runtime_log_flush (rt);");
  writer_line (w, "}");
  writer_blank (w);
}

/* ", .min = ..., .max = ...": an integer option takes only what its C type
 * holds (the run's input is that type, the option a gint64 or guint64). */
static char *
option_range (const Option *opt)
{
  CTypeInfo info = types_classify (types_ctype (&opt->param->type));
  if (strcmp (opt->option_type, "DF_OPTION_UINT") == 0)
    return info.max == G_MAXUINT64 ? g_strdup ("")
           : g_strdup_printf (", .umax = G_GUINT64_CONSTANT (%" G_GUINT64_FORMAT ")", info.max);
  if (strcmp (opt->option_type, "DF_OPTION_INT") != 0)
    return g_strdup ("");
  g_autofree char *min = info.min == G_MININT64 ? g_strdup ("G_MININT64")
                         : g_strdup_printf ("G_GINT64_CONSTANT (%" G_GINT64_FORMAT ")", info.min);
  g_autofree char *max = info.max >= (guint64) G_MAXINT64 ? g_strdup ("G_MAXINT64")
                         : g_strdup_printf ("G_GINT64_CONSTANT (%" G_GUINT64_FORMAT ")", info.max);
  return g_strdup_printf (", .min = %s, .max = %s", min, max);
}

/* The option's variable, holding its default (docs/cli.md). */
static void
option_variable (Gen *g, const Option *opt)
{
  const AstParam *param = opt->param;
  g_autofree char *value = param->default_value != NULL
                           ? gen_literal (param->default_value, &param->type)
                           : g_strdup (g_str_has_suffix (opt->c_type, "*") ? "NULL" : "0");
  writer_line (g->c, "%s%sopt_%s = %s;", opt->c_type, g_str_has_suffix (opt->c_type, "*") ? "" : " ",
               param->name, value);
}

/* ", .description = \"...\"" for an input with a help text. */
static char *
option_description (const Option *opt)
{
  const AstLiteral *help = opt->help;
  if (help == NULL)
    return g_strdup ("");
  g_autofree char *body = writer_c_string (help->str, help->str_len);
  return g_strdup_printf (", .description = \"%s\"", body);
}

static void
option_table (Gen *g, GArray *options)
{
  Writer *w = g->c;
  for (guint i = 0; i < options->len; i++)
    option_variable (g, &g_array_index (options, Option, i));
  writer_line (w, "DfOption options[] = {");
  writer_indent (w);
  for (guint i = 0; i < options->len; i++)
    {
      const Option *opt = &g_array_index (options, Option, i);
      const char *name = opt->param->name;
      g_autofree char *description = option_description (opt);
      g_autofree char *range = option_range (opt);
      writer_line (w, "{ .name = \"%s\", .type = %s, .value = &opt_%s%s%s%s },",
                   name, opt->option_type, name, description,
                   opt->param->default_value == NULL ? ", .required = TRUE" : "", range);
    }
  gen_scale_main_options (g);
  writer_line (w, "{ .name = NULL },");
  writer_dedent (w);
  writer_line (w, "};");
}

/* The first line of --help: what the program runs, by name, each once
 * (never a path of the build). */
static char *
program_summary (const AstMain *main_)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  for (guint r = 0; r < main_->n_runs; r++)
    if (!g_ptr_array_find (names, main_->runs[r]->target, NULL))
      g_ptr_array_add (names, (gpointer) main_->runs[r]->target);
  GString *s = g_string_new ("Runs ");
  for (guint i = 0; i < names->len; i++)
    {
      const char *sep = i == 0 ? "" : i + 1 == names->len ? " and " : ", ";
      g_string_append_printf (s, "%s%s", sep, (const char *) names->pdata[i]);
    }
  g_string_append_c (s, '.');
  return g_string_free (s, FALSE);
}

/* `every NAME`: a span that is not positive is a bad command line (or a
 * bad constant in the run), refused before anything runs. */
static void
check_every_input (Gen *g, const AstRun *run, guint r)
{
  if (run->decl->kind != DECL_FLOW || ((const AstFlow *) run->decl)->every_input == NULL)
    return;
  const AstFlow *flow = (const AstFlow *) run->decl;
  const AstBinding *b = ast_binding_named (run->bindings, run->n_bindings, flow->every_input);
  writer_line (g->c, "if (run%u_in.%s <= 0)", r, flow->every_input);
  writer_line (g->c, "  {");
  if (b != NULL && b->is_literal)
    writer_line (g->c, "    g_printerr (\"%%s: '%s = ...' of run %s must be a positive duration\\n\", g_get_prgname ());",
                 flow->every_input, flow->decl.name);
  else
    writer_line (g->c, "    g_printerr (\"%%s: --%s must be a positive duration (every %s of flow %s)\\n\", g_get_prgname ());",
                 flow->every_input, flow->every_input, flow->decl.name);
  writer_line (g->c, "    return DF_EXIT_USAGE;");
  writer_line (g->c, "  }");
}

/* runN_in.x = the option, or the run's constant. */
static void
set_run_inputs (Gen *g, const AstRun *run, guint r)
{
  const AstParams *in = ast_decl_inputs (run->decl);
  for (guint i = 0; i < in->n; i++)
    {
      const AstParam *param = in->items[i];
      const AstBinding *b = ast_binding_named (run->bindings, run->n_bindings, param->name);
      if (b != NULL && b->is_literal)
        {
          g_autofree char *lit = gen_literal (&b->lit, &param->type);
          writer_line (g->c, "run%u_in.%s = %s;", r, param->name, lit);
        }
      else
        writer_line (g->c, "run%u_in.%s = (%s) opt_%s;", r, param->name, gen_ctype (&param->type), param->name);
    }
  check_every_input (g, run, r);
}

/* The delay before a skipped failure's run starts again, when there is
 * no `restart` back-off: an `every D` flow's next round is due D later,
 * anything else starts again at once. */
static char *
skip_delay (const AstRun *run, guint r)
{
  const AstFlow *flow = (const AstFlow *) run->decl;
  if (flow->every_input != NULL)
    return g_strdup_printf ("(gint64) run%u_in.%s", r, flow->every_input);
  return g_strdup_printf ("G_GINT64_CONSTANT (%" G_GINT64_FORMAT ")", flow->has_every ? flow->every_us : 0);
}

static void
start_run (Gen *g, const AstRun *run, guint r)
{
  Writer *w = g->c;
  if (!run_supervised (run))
    {
      writer_line (w, "run%u_start (NULL, rt);", r);
      return;
    }
  writer_line (w, "run%u_supervisor = df_supervisor_new (rt, \"%s\", run%u_start, rt);", r, run->target, r);
  if (run->has_backoff)
    writer_line (w, "df_supervisor_set_backoff (run%u_supervisor, G_GINT64_CONSTANT (%" G_GINT64_FORMAT
                    "), G_GINT64_CONSTANT (%" G_GINT64_FORMAT "));", r, run->backoff_min_us, run->backoff_max_us);
  else if (!run->restart)
    {
      g_autofree char *delay = skip_delay (run, r);
      writer_line (w, "df_supervisor_set_backoff (run%u_supervisor, %s, %s);", r, delay, delay);
    }
  if (run->has_max)
    writer_line (w, "df_supervisor_set_max_restarts (run%u_supervisor, %" G_GINT64_FORMAT ");", r, run->max);
  if (run->has_threshold)
    writer_line (w, "df_supervisor_set_max_failures_in_row (run%u_supervisor, %" G_GINT64_FORMAT ");",
                 r, run->threshold);
  writer_line (w, "df_supervisor_set_done_func (run%u_supervisor, run%u_supervisor_done, NULL);", r, r);
  writer_line (w, "df_supervisor_start (run%u_supervisor);", r);
}

/* `main (T)`: the user's data, made once the command line is known. */
static void
user_data_new (Gen *g)
{
  Writer *w = g->c;
  if (g->program->file->mains[0]->user_data == NULL)
    return;
  writer_line (w, "GError *error = NULL;");
  writer_line (w, "main_user_data = %s (argc, argv, &error);", gen_name (g, "main_user_data_new"));
  writer_line (w, "if (error != NULL)");
  writer_line (w, "  {");
  writer_line (w, "    g_printerr (\"%%s: %%s\\n\", g_get_prgname () ? g_get_prgname () : argv[0], error->message);");
  writer_line (w, "    g_error_free (error);");
  writer_line (w, "    return DF_EXIT_FAILED;");
  writer_line (w, "  }");
}

void
gen_main_header (Gen *g)
{
  Writer *w = g->h;
  AstFile *file = g->program->file;
  if (file->n_mains == 0 || file->mains[0]->user_data == NULL)
    return;
  const AstParam *data = file->mains[0]->user_data;
  g_autofree char *decl = gen_decl (&data->type, "data", FALSE);
  writer_line (w, "/* main's user data (`main (%s)`): implemented by you.  main () makes it", types_display (&data->type));
  writer_line (w, " * once its options are parsed (@error set: it prints the message and exits");
  writer_line (w, " * with status 1) and frees it after every run has ended; every stage of");
  writer_line (w, " * its runs reads it with df_context_get_user_data (ctx). */");
  writer_line (w, "%s%s%s (int argc, char **argv, GError **error);", gen_ctype (&data->type),
               g_str_has_suffix (gen_ctype (&data->type), "*") ? "" : " ", gen_name (g, "main_user_data_new"));
  writer_line (w, "void %s (%s);", gen_name (g, "main_user_data_free"), decl);
  writer_blank (w);
}

void
gen_main (Gen *g)
{
  const AstMain *main_ = g->program->file->mains[0];
  Writer *w = g->c;
  g_autoptr (GArray) options = collect_options (g);

  main_helpers (g);
  gen_scale_main_helpers (g);
  gen_graph_main_helpers (g);
  for (guint r = 0; r < main_->n_runs; r++)
    {
      if (main_->runs[r]->decl->kind == DECL_GRAPH)
        gen_graph_run_functions (g, main_->runs[r], r);
      else
        run_functions (g, main_->runs[r], r);
      supervisor_done (g, main_->runs[r], r);
    }

  writer_line (w, "int");
  writer_line (w, "main (int argc, char **argv)");
  writer_line (w, "{");
  writer_indent (w);
  option_table (g, options);
  writer_line (w, "DfStandardOptions standard = { 0 };");
  writer_line (w, "setlocale (LC_ALL, \"\");   /* messages in the user's language and charset */");
  g_autofree char *summary = program_summary (main_);
  writer_line (w, "df_options_parse_or_exit (\"%s\", options, %u, &standard, argc, argv);",
               summary, options->len + (gen_main_runs_remote (g) ? 3 : 0));
  user_data_new (g);
  writer_line (w, "DfRuntime *rt = df_runtime_new (NULL);");
  writer_line (w, "main_runtime = rt;");
  writer_line (w, "main_virtual_clock (rt);");
  writer_line (w, "df_runtime_set_quiet (rt, standard.quiet);   /* --quiet: no log of skipped or retried failures */");
  writer_line (w, "if (standard.workers > 0)");
  writer_line (w, "  df_runtime_set_max_workers (rt, (guint) standard.workers);");
  if (gen_main_runs_flows (g))
    {
      writer_line (w, "if (standard.stats_interval > 0)");
      writer_line (w, "  df_runtime_log_stats (rt, standard.stats_interval);");
    }
  gen_graph_main_setup (g);
  gen_scale_main_start (g);
  /* The first signal cancels flows and drains graphs (drain-on-stop). */
  writer_line (w, "df_runtime_watch_signals (rt, NULL, NULL);");
  for (guint r = 0; r < main_->n_runs; r++)
    set_run_inputs (g, main_->runs[r], r);
  for (guint r = 0; r < main_->n_runs; r++)
    start_run (g, main_->runs[r], r);
  writer_line (w, "df_runtime_run (rt);");
  writer_line (w, "main_shutdown (rt);");
  if (gen_main_runs_flows (g))
    {
      writer_line (w, "if (standard.stats)");
      writer_line (w, "  {");
      writer_line (w, "    g_autofree char *stats = df_stats_format ();");
      writer_line (w, "    g_printerr (\"%%s\", stats);");
      writer_line (w, "  }");
    }
  gen_graph_main_finish (g);
  gen_scale_main_finish (g);
  for (guint r = 0; r < main_->n_runs; r++)
    if (run_supervised (main_->runs[r]))
      writer_line (w, "df_supervisor_free (run%u_supervisor);", r);
  /* String options point into argv (docs/runtime.md): nothing to free. */
  writer_line (w, "df_runtime_unref (rt);");
  if (main_->user_data != NULL)
    writer_line (w, "%s (main_user_data);", gen_name (g, "main_user_data_free"));
  writer_line (w, "return main_failures > 0 ? DF_EXIT_FAILED : DF_EXIT_OK;");
  writer_dedent (w);
  writer_line (w, "}");
}
