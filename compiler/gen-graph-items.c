/* gen-graph-items.c — what each stage or flow that a graph node runs
 * needs once per program (shared by every node running it), and the
 * header's part for graphs (docs/graphs.md):
 *
 *   typedef struct { char *line; } SplitWordsItem;   // its inputs: one input
 *   typedef struct { char *word; } SplitWordsEmit;   // its outputs: one item
 *   static void split_words_item_free (gpointer p);  // their owned fields
 *   static void split_words_emit_free (gpointer p);
 *   void split_words_emit (DfContext *ctx, char *word);   // generators
 *   void later_return (DfCall *call);                     // async generators
 *   static void fetch_node_complete (DfCall *call);       // async and blocking `->`, flows
 *
 * and in the header NAME_emit (), each graph's In struct, GRAPH_new (),
 * GRAPH_run () and GRAPH_get_desc ().
 */
#include <string.h>
#include "gen-graph.h"

/* -------------------------------------------------------------- targets */

/* --------------------------------------------------------------- nodes */

/* Does the node read any parameter from its input items? */
gboolean
gg_node_uses_items (const AstNode *node)
{
  const AstParams *in = ast_decl_inputs (node->target);
  for (guint i = 0; i < in->n; i++)
    if (ast_binding_named (node->bindings, node->n_bindings, in->items[i]->name) == NULL)
      return TRUE;
  return FALSE;
}

gboolean
gg_node_frees_items (const AstNode *node)
{
  if (node->start || !gg_node_uses_items (node))
    return FALSE;
  const AstParams *in = ast_decl_inputs (node->target);
  for (guint i = 0; i < in->n; i++)
    if (ast_binding_named (node->bindings, node->n_bindings, in->items[i]->name) == NULL && types_free_fn (&in->items[i]->type) != NULL)
      return TRUE;
  return FALSE;
}

/* What every node target needs, over all graphs. */
typedef struct {
  gboolean node;          /* some node runs it */
  gboolean item_free;     /* some node frees its items */
  gboolean complete;      /* outputs in the call struct: async, blocking `->` */
} DeclUse;

/* Every node target's use, over all graphs: AstDecl * -> DeclUse * (in
 * the arena). */
static GHashTable *
decl_uses (Gen *g)
{
  GHashTable *uses = g_hash_table_new (NULL, NULL);
  AstFile *file = g->program->file;
  for (guint i = 0; i < file->n_graphs; i++)
    {
      const AstGraph *graph = file->graphs[i];
      for (guint n = 0; n < graph->n_all_nodes; n++)
        {
          const AstNode *node = graph->all_nodes[n];
          DeclUse *use = g_hash_table_lookup (uses, node->target);
          if (use == NULL)
            {
              use = arena_new0 (g->program->arena, DeclUse);
              use->node = TRUE;
              use->complete = gen_emits_one (node->target)
                              && (gen_decl_kind (node->target) == STAGE_ASYNC
                                  || (gen_decl_kind (node->target) == STAGE_BLOCKING
                                      && ast_decl_outputs (node->target)->n > 0));
              g_hash_table_insert (uses, node->target, use);
            }
          use->item_free = use->item_free || gg_node_frees_items (node);
        }
    }
  return uses;
}

/* ------------------------------------------------------ per-target code */

static void
fields_struct (Gen *g, const AstParams *params, const char *type)
{
  Writer *w = g->c;
  writer_line (w, "typedef struct {");
  writer_indent (w);
  for (guint i = 0; i < params->n; i++)
    {
      g_autofree char *decl = gen_decl (&params->items[i]->type, params->items[i]->name, FALSE);
      writer_line (w, "%s;", decl);
    }
  writer_dedent (w);
  writer_line (w, "} %s;", type);
  writer_blank (w);
}

static void
free_function (Gen *g, const AstParams *params, const char *type, const char *name)
{
  Writer *w = g->c;
  writer_line (w, "static void");
  writer_line (w, "%s (gpointer p)", name);
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "%s *it = p;", type);
  for (guint i = 0; i < params->n; i++)
    {
      Sym free_fn = types_free_fn (&params->items[i]->type);
      if (free_fn != NULL)
        writer_line (w, "g_clear_pointer (&it->%s, %s);", params->items[i]->name, free_fn);
    }
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

/* The generated NAME_emit () of a generator. */
static void
emit_function (Gen *g, const AstStage *stage)
{
  Writer *w = g->c;
  const char **names = gen_param_names (g, NULL, &stage->out);
  GString *params = g_string_new ("DfContext *ctx");
  for (guint i = 0; i < stage->out.n; i++)
    {
      g_autofree char *decl = gen_decl (&stage->out.items[i]->type, names[i], FALSE);
      g_string_append_printf (params, ", %s", decl);
    }
  writer_line (w, "void");
  writer_line (w, "%s (%s)", gen_entry_name (g, stage->decl.name, "emit"), params->str);
  writer_line (w, "{");
  writer_indent (w);
  if (stage->out.n == 0)
    writer_line (w, "df_graph_emit (ctx, NULL);");
  else
    {
      /* A compound literal: no local name to collide with a field's. */
      GString *init = g_string_new (NULL);
      for (guint i = 0; i < stage->out.n; i++)
        g_string_append_printf (init, "%s.%s = %s", i ? ", " : "", stage->out.items[i]->name, names[i]);
      writer_line (w, "df_graph_emit (ctx, &(%s) { %s });", gen_emit_type (g, &stage->decl), init->str);
      g_string_free (init, TRUE);
    }
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
  g_string_free (params, TRUE);
}

/* NAME_return (call) of an async generator: it has emitted its items. */
static void
generator_return (Gen *g, const AstStage *stage)
{
  Writer *w = g->c;
  writer_line (w, "void");
  writer_line (w, "%s (DfCall *call)", gen_entry_name (g, stage->decl.name, "return"));
  writer_line (w, "{");
  writer_line (w, "  if (df_call_claim (call))");
  writer_line (w, "    df_call_complete_claimed (call);");
  writer_line (w, "}");
  writer_blank (w);
}

/* Async or blocking `->` stage, or flow: its outputs, stored in its call
 * struct by NAME_return (), the blocking stage or the child flow, become
 * one item, on the runtime thread once the call succeeded in time. */
static void
complete_function (Gen *g, const AstDecl *decl)
{
  Writer *w = g->c;
  const AstParams *out = ast_decl_outputs (decl);
  writer_line (w, "static void");
  writer_line (w, "%s (DfCall *call)", gen_complete_name (g, decl));
  writer_line (w, "{");
  writer_indent (w);
  if (out->n == 0)
    writer_line (w, "df_graph_emit (df_call_get_context (call), NULL);");
  else
    {
      const char *call_type = gen_call_type (g, decl);
      writer_line (w, "%s *c = (%s *) call;", call_type, call_type);
      writer_line (w, "%s item;", gen_emit_type (g, decl));
      for (guint i = 0; i < out->n; i++)
        {
          const char *name = out->items[i]->name;
          if (types_free_fn (&out->items[i]->type) != NULL)
            writer_line (w, "item.%s = g_steal_pointer (&c->%s);", name, name);
          else
            writer_line (w, "item.%s = c->%s;", name, name);
        }
      writer_line (w, "df_graph_emit (df_call_get_context (call), &item);");
    }
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

/* `state (T)`: the user's NAME_open () / NAME_close () through the
 * runtime's gpointer. */
static void
state_functions (Gen *g, const AstStage *stage)
{
  Writer *w = g->c;
  const char *type = gen_ctype (&stage->state->type);
  writer_line (w, "static gboolean");
  writer_line (w, "%s (DfContext *ctx, gpointer *state, GError **error)", gen_state_fn (g, stage, "open", FALSE));
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "%s%sstate_ = NULL;", type, g_str_has_suffix (type, "*") ? "" : " ");
  writer_line (w, "gboolean ok = %s (ctx, &state_, error);", gen_state_fn (g, stage, "open", TRUE));
  writer_line (w, "*state = state_;");
  writer_line (w, "return ok;");
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "static void");
  writer_line (w, "%s (DfContext *ctx, gpointer state)", gen_state_fn (g, stage, "close", FALSE));
  writer_line (w, "{");
  writer_line (w, "  %s (ctx, state);", gen_state_fn (g, stage, "close", TRUE));
  writer_line (w, "}");
  writer_blank (w);
}

static void
target_code (Gen *g, GHashTable *uses, const AstDecl *decl)
{
  static const DeclUse unused = { FALSE, FALSE, FALSE };
  const DeclUse *found = g_hash_table_lookup (uses, decl);
  DeclUse use = found != NULL ? *found : unused;
  const AstParams *in = ast_decl_inputs (decl);
  const AstParams *out = ast_decl_outputs (decl);
  gboolean generator = gen_is_generator (decl);

  if (!use.node && !generator)
    return;
  writer_line (g->c, "/* %s %s (%s:%u) as a graph node */", decl->kind == DECL_FLOW ? "flow" : "stage",
               decl->name, program_loc_path (g->program, decl->loc), decl->loc.line);
  writer_blank (g->c);
  if (use.node && in->n > 0)
    fields_struct (g, in, gen_item_type (g, decl));   /* a `T[]` parameter's item holds one T */
  if (gen_has_emit_struct (decl))
    fields_struct (g, out, gen_emit_type (g, decl));
  if (use.item_free)
    free_function (g, in, gen_item_type (g, decl), gen_item_free_name (g, decl));
  if (use.node && gen_has_emit_struct (decl) && gen_any_owned (out))
    free_function (g, out, gen_emit_type (g, decl), gen_emit_free_name (g, decl));
  if (generator)
    {
      emit_function (g, (const AstStage *) decl);
      if (gen_decl_kind (decl) == STAGE_ASYNC)
        generator_return (g, (const AstStage *) decl);
    }
  if (use.complete)
    complete_function (g, decl);
  if (use.node && decl->kind == DECL_STAGE && ((const AstStage *) decl)->state != NULL)
    state_functions (g, (const AstStage *) decl);
}

void
gen_graph_items (Gen *g)
{
  AstFile *file = g->program->file;
  GHashTable *uses = decl_uses (g);
  for (guint i = 0; i < file->n_stages; i++)
    target_code (g, uses, &file->stages[i]->decl);
  for (guint i = 0; i < file->n_flows; i++)
    target_code (g, uses, &file->flows[i]->decl);
  g_hash_table_unref (uses);
}

/* ------------------------------------------------------------- header */

static void
graph_entry_points (Gen *g, const AstGraph *graph)
{
  Writer *w = g->h;
  const char *in = gen_type_name (g, graph->decl.name, "In");

  writer_line (w, "/* graph %s (%s:%u) */", graph->decl.name,
               program_loc_path (g->program, graph->decl.loc), graph->decl.loc.line);
  writer_line (w, "typedef struct {");
  writer_indent (w);
  for (guint i = 0; i < graph->in.n; i++)
    {
      g_autofree char *decl = gen_decl (&graph->in.items[i]->type, graph->in.items[i]->name, FALSE);
      writer_line (w, "%s;", decl);
    }
  if (graph->in.n == 0)
    writer_line (w, "char empty_;");
  writer_dedent (w);
  writer_line (w, "} %s;", in);
  writer_line (w, "DfGraph *%s (DfRuntime *rt, const %s *in, GError **error);",
               gen_entry_name (g, graph->decl.name, "new"), in);
  writer_line (w, "gboolean %s (DfRuntime *rt, const %s *in, DfGraphMode mode, GError **error);",
               gen_entry_name (g, graph->decl.name, "run"), in);
  writer_line (w, "const DfGraphDesc *%s (void);", gen_entry_name (g, graph->decl.name, "get_desc"));
  writer_blank (w);
}

/* `state (T)`: what the user implements for each stage that keeps one. */
static void
state_prototypes (Gen *g)
{
  AstFile *file = g->program->file;
  Writer *w = g->h;
  gboolean any = FALSE;
  for (guint i = 0; i < file->n_stages; i++)
    {
      const AstStage *stage = file->stages[i];
      if (stage->state == NULL)
        continue;
      if (!any)
        {
          writer_line (w, "/* The state of a stage (`state (T)`), one per task of each graph node that");
          writer_line (w, " * runs it: NAME_open () makes it before the task's first item (FALSE with");
          writer_line (w, " * @error halts the graph); NAME_close () frees it once after the node's last");
          writer_line (w, " * item, however the graph ended.  The stage reads it with");
          writer_line (w, " * df_context_get_state (ctx).  Both implemented by you; runtime thread. */");
        }
      any = TRUE;
      g_autofree char *state = gen_decl (&stage->state->type, "state", TRUE);
      g_autofree char *value = gen_decl (&stage->state->type, "state", FALSE);
      writer_line (w, "gboolean %s (DfContext *ctx, %s, GError **error);", gen_state_fn (g, stage, "open", TRUE), state);
      writer_line (w, "void %s (DfContext *ctx, %s);", gen_state_fn (g, stage, "close", TRUE), value);
    }
  if (any)
    writer_blank (w);
}

void
gen_graph_header (Gen *g)
{
  AstFile *file = g->program->file;
  Writer *w = g->h;
  gboolean any = FALSE;
  for (guint i = 0; i < file->n_stages; i++)
    {
      const AstStage *stage = file->stages[i];
      if (!stage->emits)
        continue;
      if (!any)
        {
          writer_line (w, "/* Emitting an item from a generator stage (emits): its fields pass to the");
          writer_line (w, " * runtime.  @ctx is the context the stage received (an async one:");
          writer_line (w, " * df_call_get_context (call)).  Sync: on the runtime thread, never waits;");
          writer_line (w, " * blocking: on the stage's worker thread, waits while the destinations");
          writer_line (w, " * are full; async: any thread until the call is completed. */");
        }
      any = TRUE;
      const char **names = gen_param_names (g, NULL, &stage->out);
      GString *s = g_string_new (NULL);
      g_string_append_printf (s, "void %s (DfContext *ctx", gen_entry_name (g, stage->decl.name, "emit"));
      for (guint k = 0; k < stage->out.n; k++)
        {
          g_autofree char *decl = gen_decl (&stage->out.items[k]->type, names[k], FALSE);
          g_string_append_printf (s, ", %s", decl);
        }
      writer_line (w, "%s);", s->str);
      g_string_free (s, TRUE);
    }
  if (any)
    writer_blank (w);
  state_prototypes (g);
  if (file->n_graphs > 0)
    {
      writer_line (w, "/* The graphs (dfrt-graph.h), each with its inputs as an In struct:");
      writer_line (w, " *   NAME_new ()      the graph, not started: set it up with df_graph_set_* ()");
      writer_line (w, " *                    (mode, user data for the stages, ...), then");
      writer_line (w, " *                    df_graph_start () or df_graph_run (); unref it.  @in is");
      writer_line (w, " *                    copied; what it points to is borrowed until the end;");
      writer_line (w, " *   NAME_run ()      makes it and runs it to its end in @mode (the loop runs");
      writer_line (w, " *                    meanwhile); FALSE with @error if it halted;");
      writer_line (w, " *   NAME_get_desc () its description, for df_graph_new (). */");
    }
  for (guint i = 0; i < file->n_graphs; i++)
    graph_entry_points (g, file->graphs[i]);
}
