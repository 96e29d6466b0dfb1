/* gen-names.c — every name the generated C uses, made here and nowhere
 * else: public functions and types (with --prefix), the statics of the
 * .c, the fields of frames and items.  Each is interned in the program's
 * arena, so callers keep the pointer. */
#include "gen.h"

/* A name made from a format, interned in the program's arena. */
static const char * G_GNUC_PRINTF (2, 3)
sym_printf (Gen *g, const char *fmt, ...)
{
  va_list args;
  va_start (args, fmt);
  g_autofree char *name = g_strdup_vprintf (fmt, args);
  va_end (args);
  return program_sym (g->program, name);
}

const char *
gen_name (Gen *g, const char *name)
{
  return sym_printf (g, "%s%s", g->options->prefix, name);
}

const char *
gen_type_name (Gen *g, const char *name, const char *suffix)
{
  g_autofree char *joined = g_strconcat (g->options->prefix, name, NULL);
  GString *camel = g_string_new (NULL);
  gboolean up = TRUE;
  for (const char *p = joined; *p; p++)
    {
      if (*p == '_')
        {
          up = TRUE;
          continue;
        }
      g_string_append_c (camel, up ? g_ascii_toupper (*p) : *p);
      up = FALSE;
    }
  g_string_append (camel, suffix);
  const char *sym = program_sym (g->program, camel->str);
  g_string_free (camel, TRUE);
  return sym;
}

const char *
gen_upper (Gen *g, const char *name)
{
  g_autofree char *upper = g_ascii_strup (name, -1);
  return program_sym (g->program, upper);
}

const char **
gen_param_names (Gen *g, const AstParams *in, const AstParams *out)
{
  static const char *const reserved[] = { "ctx", "call", "error", "f" };
  const AstParams *lists[] = { in, out };
  guint n = (in ? in->n : 0) + (out ? out->n : 0), k = 0;
  const char **names = arena_newv (g->program->arena, const char *, MAX (n, 1u));
  g_autoptr (GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) own = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint r = 0; r < G_N_ELEMENTS (reserved); r++)
    g_hash_table_add (taken, (gpointer) reserved[r]);
  for (guint l = 0; l < 2; l++)
    for (guint i = 0; lists[l] != NULL && i < lists[l]->n; i++)
      g_hash_table_add (own, (gpointer) lists[l]->items[i]->name);
  for (guint l = 0; l < 2; l++)
    for (guint i = 0; lists[l] != NULL && i < lists[l]->n; i++)
      {
        const char *name = lists[l]->items[i]->name;
        if (g_hash_table_contains (taken, name))
          {
            GString *s = g_string_new (name);
            do
              g_string_append_c (s, '_');
            while (g_hash_table_contains (taken, s->str) || g_hash_table_contains (own, s->str));
            name = program_sym (g->program, s->str);
            g_string_free (s, TRUE);
          }
        g_hash_table_add (taken, (gpointer) name);
        names[k++] = name;
      }
  return names;
}

const char *
gen_frame_type (Gen *g, const AstFlow *flow)
{
  return gen_type_name (g, flow->decl.name, "Frame");
}

const char *
gen_state_type (Gen *g, const AstFlow *flow)
{
  return gen_type_name (g, flow->decl.name, "State");
}

const char *
gen_slot_field (Gen *g, const Slot *slot)
{
  return slot->is_input ? sym_printf (g, "in_%s", slot->name)
                        : sym_printf (g, "v%u_%s", slot->id, slot->name);
}

const char *
gen_site_field (Gen *g, const IrCall *call)
{
  return sym_printf (g, "c%u_%s", call->site, call->callee->name);
}

char *
gen_site_call (Gen *g, const IrCall *call)
{
  return g_strdup_printf ("&f->%s%s", gen_site_field (g, call),
                          gen_needs_call_type (call->callee) ? ".call" : "");
}

const char *
gen_flow_call_func (Gen *g, const AstFlow *flow)
{
  return sym_printf (g, "call_%s", flow->decl.name);
}

/* What a child flow started by gen_flow_call_func's function calls when
 * it ends: call_FLOW_done. */
const char *
gen_flow_call_done (Gen *g, const AstFlow *flow)
{
  return sym_printf (g, "call_%s_done", flow->decl.name);
}

const char *
gen_call_type (Gen *g, const AstDecl *callee)
{
  if (!gen_needs_call_type (callee))
    return "DfCall";
  return gen_type_name (g, callee->name, "Call");
}

const char *
gen_stats_name (Gen *g, const AstDecl *stage)
{
  return sym_printf (g, "stats_%s", stage->name);
}

const char *
gen_limit_name (Gen *g, const AstDecl *stage)
{
  return sym_printf (g, "limit_%s", stage->name);
}

const char *
gen_item_type (Gen *g, const AstDecl *decl)
{
  return gen_type_name (g, decl->name, "Item");
}

const char *
gen_emit_type (Gen *g, const AstDecl *decl)
{
  return gen_type_name (g, decl->name, "Emit");
}

const char *
gen_item_free_name (Gen *g, const AstDecl *decl)
{
  return sym_printf (g, "%s_item_free", decl->name);
}

const char *
gen_emit_free_name (Gen *g, const AstDecl *decl)
{
  return sym_printf (g, "%s_emit_free", decl->name);
}

const char *
gen_complete_name (Gen *g, const AstDecl *decl)
{
  return sym_printf (g, "%s_node_complete", decl->name);
}

const char *
gen_state_fn (Gen *g, const AstStage *stage, const char *what, gboolean user)
{
  g_autofree char *name = g_strconcat (stage->decl.name, user ? "_" : "__state_", what, NULL);
  return user ? gen_name (g, name) : program_sym (g->program, name);
}

/* A public entry point or function of a declaration: prefix + NAME +
 * "_" + what ("run", "start", "new", "get_desc", "out_clear", "return",
 * "emit"). */
const char *
gen_entry_name (Gen *g, const char *decl_name, const char *what)
{
  g_autofree char *name = g_strconcat (decl_name, "_", what, NULL);
  return gen_name (g, name);
}

/* The static that frees the outputs of a call nobody will read. */
const char *
gen_discard_name (Gen *g, const AstDecl *callee)
{
  return sym_printf (g, "%s_discard", callee->name);
}

/* Thread N of a flow's state machine. */
const char *
gen_thread_func (Gen *g, const AstFlow *flow, guint thread)
{
  return sym_printf (g, "%s_t%u", flow->decl.name, thread);
}

/* A flow's statics: FLOW_what ("step", "finalize", "class", "frame_new",
 * "frame_done", "start_full", "run_thread", "run_done", "round_site", and
 * the retry wrapper's "retry_step", "retry_done", …). */
const char *
gen_flow_static (Gen *g, const AstFlow *flow, const char *what)
{
  return sym_printf (g, "%s_%s", flow->decl.name, what);
}

/* A frame's program counter of thread N (pcN) and join counter of `par`
 * N (joinN). */
const char *
gen_pc_field (Gen *g, guint thread)
{
  return sym_printf (g, "pc%u", thread);
}

const char *
gen_join_field (Gen *g, guint par)
{
  return sym_printf (g, "join%u", par);
}

/* The array a batching node's call struct holds for batch parameter
 * `param` (b_NAME). */
const char *
gen_batch_field (Gen *g, const AstParam *param)
{
  return sym_printf (g, "b_%s", param->name);
}

/* A flow's program-counter states: FLOW_START, FLOW_ROUND (what =
 * "START", "ROUND"). */
const char *
gen_flow_state (Gen *g, const AstFlow *flow, const char *what)
{
  return sym_printf (g, "%s_%s", gen_upper (g, flow->decl.name), what);
}

/* FLOW_JN: where the thread that forked `par` N goes on after its join. */
const char *
gen_join_state (Gen *g, const AstFlow *flow, guint par)
{
  return sym_printf (g, "%s_J%u", gen_upper (g, flow->decl.name), par);
}

/* FLOW_SN_CALLEE_WHAT: where call site N resumes (what = "GO", "HAVE",
 * "WAIT"). */
const char *
gen_call_state (Gen *g, const AstFlow *flow, const IrCall *call, const char *what)
{
  return sym_printf (g, "%s_S%u_%s_%s", gen_upper (g, flow->decl.name), call->site,
                     gen_upper (g, call->callee->name), what);
}

/* A call site's statics: FLOW_siteN (its DfCallSite), FLOW_limitN (the
 * DfLimit of a site with a `limit N` of its own). */
const char *
gen_site_static (Gen *g, const AstFlow *flow, const IrCall *call, const char *what)
{
  return sym_printf (g, "%s_%s%u", flow->decl.name, what, call->site);
}

/* A graph's statics: GRAPH__what. */
const char *
gen_graph_static (Gen *g, const AstGraph *graph, const char *what)
{
  return sym_printf (g, "%s__%s", graph->decl.name, what);
}

/* A node's statics: GRAPH__NODE_what. */
const char *
gen_node_static (Gen *g, const AstGraph *graph, const AstNode *node, const char *what)
{
  return sym_printf (g, "%s__%s_%s", graph->decl.name, node->name, what);
}

/* The call struct of a node that batches: Graph__NodeCall. */
const char *
gen_node_call_type (Gen *g, const AstGraph *graph, const AstNode *node)
{
  return sym_printf (g, "%s__%s", gen_type_name (g, graph->decl.name, ""),
                     gen_type_name (g, node->name, "Call"));
}

/* What a blocking call site runs on a worker thread. */
const char *
gen_blocking_func (Gen *g, const AstFlow *flow, const IrCall *call)
{
  return sym_printf (g, "%s_blocking%u", flow->decl.name, call->site);
}

/* TABLE_match (): a string key's arm. */
const char *
gen_match_func (Gen *g, const AstTable *table)
{
  return sym_printf (g, "%s_match", table->decl.name);
}
