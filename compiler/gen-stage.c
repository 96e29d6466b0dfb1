/* gen-stage.c — what each stage needs once per program: its statistics,
 * the struct its calls store outputs in, its completion function, its
 * process-wide limit.
 *
 *   static DfStageStats stats_fetch = DF_STAGE_STATS_INIT ("fetch");
 *   typedef struct { DfCall call; JsonArray *page; } FetchCall;
 *   void fetch_return (DfCall *call, JsonArray *page) { ... }
 */
#include "gen.h"

/* typedef struct { DfCall call; outputs } NameCall;  and, when an output
 * is owned, the function that frees outputs nobody will read. */
static void
call_type (Gen *g, const AstDecl *callee)
{
  const AstParams *out = ast_decl_outputs (callee);
  const char *type = gen_call_type (g, callee);
  Writer *w = g->c;
  gboolean owned = gen_has_discard (callee);

  writer_line (w, "typedef struct {");
  writer_indent (w);
  writer_line (w, "DfCall call;");
  for (guint i = 0; i < out->n; i++)
    {
      g_autofree char *decl = gen_decl (&out->items[i]->type, out->items[i]->name, FALSE);
      writer_line (w, "%s;", decl);
    }
  writer_dedent (w);
  writer_line (w, "} %s;", type);
  writer_blank (w);
  /* Only call sites use it: a stage no flow calls needs none. */
  if (!owned || !g_hash_table_contains (g->called, callee))
    return;
  writer_line (w, "static void");
  writer_line (w, "%s (DfCall *call)", gen_discard_name (g, callee));
  writer_line (w, "{");
  writer_indent (w);
  for (guint i = 0; i < out->n; i++)
    {
      Sym free_fn = types_free_fn (&out->items[i]->type);
      if (free_fn != NULL)
        writer_line (w, "g_clear_pointer (&((%s *) call)->%s, %s);", type, out->items[i]->name, free_fn);
    }
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

/* The generated NAME_return(): refuse a second completion (freeing what
 * it brought), else store the outputs and complete. */
static void
return_function (Gen *g, const AstStage *stage)
{
  Writer *w = g->c;
  const char *type = gen_call_type (g, &stage->decl);
  const char **names = gen_param_names (g, NULL, &stage->out);
  GString *params = g_string_new ("DfCall *call");
  for (guint i = 0; i < stage->out.n; i++)
    {
      g_autofree char *decl = gen_decl (&stage->out.items[i]->type, names[i], FALSE);
      g_string_append_printf (params, ", %s", decl);
    }
  writer_line (w, "void");
  writer_line (w, "%s (%s)", gen_entry_name (g, stage->decl.name, "return"), params->str);
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "if (!df_call_claim (call))");
  writer_line (w, "  {");
  for (guint i = 0; i < stage->out.n; i++)
    {
      Sym free_fn = types_free_fn (&stage->out.items[i]->type);
      if (free_fn != NULL)
        writer_line (w, "    g_clear_pointer (&%s, %s);", names[i], free_fn);
    }
  writer_line (w, "    return;");
  writer_line (w, "  }");
  for (guint i = 0; i < stage->out.n; i++)
    writer_line (w, "((%s *) call)->%s = %s;", type, stage->out.items[i]->name, names[i]);
  writer_line (w, "df_call_complete_claimed (call);");
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
  g_string_free (params, TRUE);
}

void
gen_stages (Gen *g)
{
  AstFile *file = g->program->file;
  gboolean any = FALSE;
  for (guint i = 0; i < file->n_stages; i++)
    if (g_hash_table_contains (g->called, file->stages[i]))
      {
        const AstStage *stage = file->stages[i];
        writer_line (g->c, "static DfStageStats %s = DF_STAGE_STATS_INIT (\"%s\");",
                     gen_stats_name (g, &stage->decl), stage->decl.name);
        any = TRUE;
      }
  for (guint i = 0; i < file->n_stages; i++)
    if (g_hash_table_contains (g->limit_used, file->stages[i]))
      writer_line (g->c, "static DfLimit %s = DF_LIMIT_INIT (%" G_GINT64_FORMAT ");",
                   gen_limit_name (g, &file->stages[i]->decl), file->stages[i]->opts.limit);
  if (any)
    writer_blank (g->c);
  for (guint i = 0; i < file->n_stages; i++)
    {
      const AstStage *stage = file->stages[i];
      if (stage->emits || !gen_needs_call_type (&stage->decl))
        continue;
      call_type (g, &stage->decl);
      if (stage->kind == STAGE_ASYNC)
        return_function (g, stage);
    }
  for (guint i = 0; i < file->n_flows; i++)
    if (g_hash_table_contains (g->called, file->flows[i]))
      call_type (g, &file->flows[i]->decl);
}

/* The prototype of a stage's user function, without the trailing ";":
 * `definition` breaks the line after the return type (GNU style) and
 * marks every parameter G_GNUC_UNUSED but @error, as a skeleton for the
 * user to fill in (dfc --stubs). */
char *
gen_stage_prototype (Gen *g, const AstStage *stage, gboolean definition)
{
  GString *s = g_string_new (NULL);
  const char *name = gen_name (g, stage->decl.name);
  const char **names = gen_param_names (g, &stage->in, &stage->out);
  const char *unused = definition ? " G_GNUC_UNUSED" : "";
  const char *between = definition ? "\n" : " ";
  if (stage->kind == STAGE_ASYNC)
    {
      g_string_append_printf (s, "void%s%s (DfCall *call", between, name);
      gen_param_list (s, &stage->in, names, FALSE, definition);
    }
  else
    {
      g_string_append_printf (s, "gboolean%s%s (DfContext *ctx%s", between, name, unused);
      gen_param_list (s, &stage->in, names, FALSE, definition);
      if (!stage->emits)   /* a generator's outputs are its NAME_emit () */
        gen_param_list (s, &stage->out, names + stage->in.n, TRUE, definition);
      g_string_append (s, ", GError **error");
    }
  g_string_append (s, ")");
  return g_string_free (s, FALSE);
}
