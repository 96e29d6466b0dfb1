/* gen-header.c — the generated header: what the user implements, what
 * the user may call.
 *
 *   gboolean parse (DfContext *ctx, JsonArray *page, GPtrArray **rows, GError **error);
 *   void     fetch (DfCall *call, const char *url);
 *   void     fetch_return (DfCall *call, JsonArray *page);
 *   typedef struct { ... } IngestIn, IngestOut;
 *   void     ingest_start (DfRuntime *, const IngestIn *, GCancellable *, IngestDoneFunc, gpointer);
 *   gboolean ingest_run   (DfRuntime *, const IngestIn *, IngestOut *, GError **);
 *   void     ingest_out_clear (IngestOut *);
 */
#include "gen.h"

static void
stage_prototypes (Gen *g)
{
  AstFile *file = g->program->file;
  writer_line (g->h, "/* The stages: implemented by you.  Inputs are borrowed for the call;");
  writer_line (g->h, " * outputs pass to the runtime.  Return FALSE with @error set to fail. */");
  for (guint i = 0; i < file->n_stages; i++)
    {
      const AstStage *stage = file->stages[i];
      g_autofree char *proto = gen_stage_prototype (g, stage, FALSE);
      writer_at_source (g->h, stage->decl.loc.file, stage->decl.loc.line);
      writer_line (g->h, "%s;%s", proto, stage->kind == STAGE_BLOCKING ? "  /* on a worker thread */" : "");
      writer_at_self (g->h);
    }
  writer_blank (g->h);
}

static void
completion_prototypes (Gen *g)
{
  AstFile *file = g->program->file;
  gboolean any = FALSE;
  for (guint i = 0; i < file->n_stages; i++)
    {
      const AstStage *stage = file->stages[i];
      if (stage->kind != STAGE_ASYNC)
        continue;
      if (!any)
        writer_line (g->h, "/* Completion of the async stages: call exactly once, from any thread\n"
                           " * (or df_call_fail()).  The outputs pass to the runtime. */");
      any = TRUE;
      GString *s = g_string_new (NULL);
      g_string_append_printf (s, "void %s (DfCall *call", gen_entry_name (g, stage->decl.name, "return"));
      if (!stage->emits)   /* a generator has emitted its items */
        gen_param_list (s, &stage->out, gen_param_names (g, NULL, &stage->out), FALSE, FALSE);
      writer_line (g->h, "%s);", s->str);
      g_string_free (s, TRUE);
    }
  if (any)
    writer_blank (g->h);
}

/* typedef struct { fields } Name; — C has no empty structs, so an empty
 * list gets a placeholder member. */
static void
params_struct (Gen *g, const AstParams *params, const char *type_name)
{
  writer_line (g->h, "typedef struct {");
  writer_indent (g->h);
  for (guint i = 0; i < params->n; i++)
    {
      g_autofree char *decl = gen_decl (&params->items[i]->type, params->items[i]->name, FALSE);
      writer_line (g->h, "%s;", decl);
    }
  if (params->n == 0)
    writer_line (g->h, "char empty_;");
  writer_dedent (g->h);
  writer_line (g->h, "} %s;", type_name);
}

static void
flow_entry_points (Gen *g, const AstFlow *flow)
{
  const char *start = gen_entry_name (g, flow->decl.name, "start");
  const char *in = gen_type_name (g, flow->decl.name, "In");
  const char *out = gen_type_name (g, flow->decl.name, "Out");
  const char *done = gen_type_name (g, flow->decl.name, "DoneFunc");

  writer_line (g->h, "/* flow %s (%s:%u) */", flow->decl.name,
               program_loc_path (g->program, flow->decl.loc), flow->decl.loc.line);
  params_struct (g, &flow->in, in);
  params_struct (g, &flow->out, out);
  writer_line (g->h, "/* @out is NULL on failure.  Owned outputs left in @out are freed after");
  writer_line (g->h, " * the callback: take them with g_steal_pointer() to keep them. */");
  writer_line (g->h, "typedef void (*%s) (%s *out, const GError *error, gpointer user_data);", done, out);
  writer_line (g->h, "/* Starts the flow on @rt (inputs are borrowed until @done runs);");
  writer_line (g->h, " * @user_data also reaches the stages (df_context_get_user_data()). */");
  writer_line (g->h, "void %s (DfRuntime *rt, const %s *in, GCancellable *cancellable,", start, in);
  writer_line (g->h, "%*s %s done, gpointer user_data);", (int) strlen (start) + 6, "", done);
  writer_line (g->h, "/* Runs the flow to its end (the loop runs meanwhile); @out owns the outputs. */");
  writer_line (g->h, "gboolean %s (DfRuntime *rt, const %s *in, %s *out, GError **error);",
               gen_entry_name (g, flow->decl.name, "run"), in, out);
  writer_line (g->h, "/* Frees the owned outputs in @out. */");
  writer_line (g->h, "void %s (%s *out);", gen_entry_name (g, flow->decl.name, "out_clear"), out);
  writer_blank (g->h);
}

void
gen_header (Gen *g)
{
  AstFile *file = g->program->file;
  writer_line (g->h, "#pragma once");
  writer_blank (g->h);
  writer_line (g->h, "#include <dfrt-gen.h>");
  writer_blank (g->h);
  gen_cblocks (g, g->h, TRUE);
  writer_line (g->h, "G_BEGIN_DECLS");
  writer_blank (g->h);
  stage_prototypes (g);
  completion_prototypes (g);
  for (guint i = 0; i < file->n_flows; i++)
    flow_entry_points (g, file->flows[i]);
  gen_graph_header (g);
  gen_main_header (g);
  writer_line (g->h, "G_END_DECLS");
}
