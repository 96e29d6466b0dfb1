/* gen-graph.c — per graph, what dfrt-graph.h runs (docs/graphs.md shows
 * the output): one converter per runtime edge (a zip source is one edge),
 * a start function per start node that reads graph inputs, a trampoline
 * per node calling its stage or flow, the DfGraphNodeDesc /
 * DfGraphEdgeDesc / DfGraphDesc tables, and the entry points
 * GRAPH_new (), GRAPH_run (), GRAPH_get_desc ().  The per-target item
 * structs are gen-graph-items.c's.
 *
 * Ownership on edges: every owned field an item carries is read by the
 * edges leaving its node in edge order (the order the runtime delivers
 * in); the last reader takes the value, earlier readers copy it (the
 * checker made sure a type without `copy` has one reader), and the
 * node's emit_free frees what nobody took.  A start node's item holds
 * graph inputs and constants, which are borrowed: it frees nothing.
 */
#include <string.h>
#include "gen-graph.h"

/* One destination parameter filled from one source field. */
typedef struct {
  const AstParam *param;
  const AstParam *field;  /* NULL: a dead letter's message */
  gboolean take;          /* the last reader of an owned field: moves it */
} Assign;

/* One runtime edge: a plain arrow, one source of a zip, or the dead
 * letters of a node (its input items and their error message). */
typedef struct {
  AstNode *from;
  AstNode *to;
  gboolean dead;
  guint zip;              /* 0, or the source's position from 1 */
  Assign *assigns;
  guint n_assigns;
} GEdge;

typedef struct {
  AstGraph *graph;
  GEdge *edges;
  guint n_edges;
} GraphInfo;

/* "T *": a pointer to one element of a type. */
static char *
pointer_to (const AstTypeRef *type)
{
  const char *spelling = gen_ctype (type);
  return g_strdup_printf ("%s%s*", spelling, g_str_has_suffix (spelling, "*") ? "" : " ");
}

static guint
n_batch_params (const AstNode *node)
{
  const AstParams *in = ast_decl_inputs (node->target);
  guint n = 0;
  for (guint i = 0; i < in->n; i++)
    n += in->items[i]->is_batch;
  return n;
}

/* A batch node whose items are exactly its one `T[]` parameter: the items
 * are passed as the array.  Others copy each batch parameter into arrays
 * in the node's call struct. */
static gboolean
batch_in_place (const AstNode *node)
{
  const AstParams *in = ast_decl_inputs (node->target);
  return in->n == 1 && in->items[0]->is_batch;
}

static gboolean
node_has_batch_call (const AstNode *node)
{
  return node->has_batch && n_batch_params (node) > 0 && !batch_in_place (node);
}

/* -------------------------------------------------------------- analysis */

/* The last reader of each owned field of each node takes it: one pass
 * backwards over the edges, remembering the (node, field) pairs read
 * later. */
static void
mark_takes (GraphInfo *info)
{
  GHashTable *later = g_hash_table_new (g_int64_hash, g_int64_equal);
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint n_keys = 0;
  for (guint i = 0; i < info->n_edges; i++)
    n_keys += info->edges[i].n_assigns;
  g_array_set_size (keys, MAX (n_keys, 1u));   /* stable addresses for the keys */
  n_keys = 0;
  for (guint i = info->n_edges; i-- > 0;)
    {
      GEdge *e = &info->edges[i];
      const AstParams *out = ast_decl_outputs (e->from->target);
      if (e->dead)
        continue;   /* takes from the failed item, not the emitted one */
      for (guint a = e->n_assigns; a-- > 0;)
        {
          Assign *as = &e->assigns[a];
          if (types_free_fn (&as->field->type) == NULL)
            continue;
          guint f = 0;
          while (out->items[f] != as->field)
            f++;
          gint64 *key = &g_array_index (keys, gint64, n_keys++);
          *key = ((gint64) f << 32) | e->from->index;   /* g_int64_hash hashes the low half */
          gboolean read_later = g_hash_table_contains (later, key);
          if (!read_later)
            g_hash_table_add (later, key);
          as->take = !read_later || types_copy_fn (&as->field->type) == NULL;
        }
    }
  g_hash_table_destroy (later);
  g_array_free (keys, TRUE);
}

/* The runtime edges the checker recorded (AstGraph.graph_edges: what
 * fills what was decided there, once), with who takes each owned field. */
static void
analyze (Gen *g, AstGraph *graph, GraphInfo *info)
{
  info->graph = graph;
  info->n_edges = graph->n_graph_edges;
  info->edges = arena_newv (g->program->arena, GEdge, MAX (graph->n_graph_edges, 1u));
  for (guint i = 0; i < graph->n_graph_edges; i++)
    {
      const AstGraphEdge *edge = &graph->graph_edges[i];
      GEdge *e = &info->edges[i];
      *e = (GEdge) { edge->from, edge->to, edge->dead, edge->zip, NULL, edge->n_assigns };
      e->assigns = arena_newv (g->program->arena, Assign, MAX (edge->n_assigns, 1u));
      /* A failed item has no other reader: its fields are taken. */
      for (guint a = 0; a < edge->n_assigns; a++)
        e->assigns[a] = (Assign) { edge->assigns[a].param, edge->assigns[a].field, edge->dead };
    }
  mark_takes (info);
}

/* ------------------------------------------------------------- prepare */

gboolean
gen_graphs_prepare (Gen *g, GError **error)
{
  AstFile *file = g->program->file;
  for (guint i = 0; i < file->n_graphs; i++)
    {
      AstGraph *graph = file->graphs[i];
      g_autoptr (GHashTable) zipped = g_hash_table_new (NULL, NULL);
      for (guint n = 0; n < graph->n_all_nodes; n++)
        {
          const AstNode *node = graph->all_nodes[n];
          g_hash_table_add (g->called, node->target);
          if (!node->opts.has_limit && node->target->kind == DECL_STAGE
              && ((const AstStage *) node->target)->opts.has_limit)
            g_hash_table_add (g->limit_used, node->target);
        }
      for (guint e = 0; e < graph->n_edges; e++)
        {
          const AstEdge *edge = graph->edges[e];
          if (edge->n_groups < 2 || !edge->groups[0]->zip)
            continue;
          const AstEdgeGroup *zip = edge->groups[0];
          for (guint d = 0; d < edge->groups[1]->n; d++)
            {
              const AstNode *to = edge->groups[1]->nodes[d];
              if (zip->n > 32 || g_hash_table_contains (zipped, to))
                {
                  g_set_error (error, g_quark_from_static_string ("dfc-gen-error"), 0,
                               "%s:%u:%u: graph '%s': node '%s' %s; the runtime combines "
                               "one zip of at most 32 sources per node",
                               program_loc_path (g->program, zip->loc), zip->loc.line, zip->loc.col, graph->decl.name,
                               to->name, zip->n > 32 ? "zips more than 32 sources"
                                                     : "is the destination of two zips");
                  return FALSE;
                }
              g_hash_table_add (zipped, (gpointer) to);
            }
        }
    }
  return TRUE;
}

/* ------------------------------------------------------------ per graph */

static void
edge_converter (Gen *g, const GraphInfo *info, guint i)
{
  Writer *w = g->c;
  const GEdge *e = &info->edges[i];
  gboolean reads_src = FALSE;
  for (guint a = 0; a < e->n_assigns; a++)
    reads_src = reads_src || e->assigns[a].field != NULL;
  writer_line (w, "/* %s %s %s%s */", e->from->name, e->dead ? "!->" : "->", e->to->name,
               e->zip ? " (zip)" : e->dead ? ": the items it failed on" : "");
  writer_line (w, "static void");
  writer_line (w, "%s%u (gpointer src, %sgpointer dst)", gen_graph_static (g, info->graph, "edge"), i,
               e->dead ? "const char *message, " : "");
  writer_line (w, "{");
  writer_indent (w);
  if (!reads_src)
    writer_line (w, "(void) src;");
  if (e->n_assigns == 0)
    {
      if (e->dead)
        writer_line (w, "(void) message;");
      writer_line (w, "(void) dst;");
    }
  else
    {
      const char *from = e->dead ? gen_item_type (g, e->from->target) : gen_emit_type (g, e->from->target);
      const char *to = gen_item_type (g, e->to->target);
      if (reads_src)
        writer_line (w, "%s *s = src;", from);
      writer_line (w, "%s *d = dst;", to);
      for (guint a = 0; a < e->n_assigns; a++)
        {
          const Assign *as = &e->assigns[a];
          if (as->field == NULL)
            {
              writer_line (w, "d->%s = %s (message);", as->param->name, types_copy_fn (&as->param->type));
              continue;
            }
          Sym copy_fn = types_copy_fn (&as->field->type);
          if (types_free_fn (&as->field->type) == NULL)
            writer_line (w, "d->%s = s->%s;", as->param->name, as->field->name);
          else if (as->take)
            writer_line (w, "d->%s = g_steal_pointer (&s->%s);", as->param->name, as->field->name);
          else
            writer_line (w, "d->%s = %s (s->%s);", as->param->name, copy_fn, as->field->name);
        }
    }
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

/* Does an edge need a converter?  A destination without items takes
 * nothing (the runtime copies nothing), but a zip edge always has one. */
static gboolean
edge_has_converter (const GEdge *e)
{
  return e->zip > 0 || e->dead || gg_node_uses_items (e->to);
}

static void
start_function (Gen *g, const AstGraph *graph, const AstNode *node)
{
  Writer *w = g->c;
  const AstParams *in = ast_decl_inputs (node->target);
  writer_line (w, "static void");
  writer_line (w, "%s (gconstpointer inputs, gpointer item)", gen_node_static (g, graph, node, "start"));
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "const %s *in = inputs;", gen_type_name (g, graph->decl.name, "In"));
  writer_line (w, "%s *it = item;", gen_item_type (g, node->target));
  for (guint i = 0; i < in->n; i++)
    if (ast_binding_named (node->bindings, node->n_bindings, in->items[i]->name) == NULL)
      writer_line (w, "it->%s = in->%s;", in->items[i]->name, in->items[i]->name);
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

/* The arguments of a node's stage or flow, after `ctx` or `call`. */
static char *
node_args (Gen *g, const AstNode *node, gboolean *uses_inputs)
{
  const AstParams *in = ast_decl_inputs (node->target);
  GString *args = g_string_new (NULL);
  gboolean in_place = batch_in_place (node);
  for (guint i = 0; i < in->n; i++)
    {
      const AstParam *param = in->items[i];
      const AstBinding *b = ast_binding_named (node->bindings, node->n_bindings, param->name);
      if (b != NULL && b->is_literal)
        {
          g_autofree char *lit = gen_literal (&b->lit, &param->type);
          g_string_append_printf (args, ", %s", lit);
        }
      else if (b != NULL)
        {
          g_string_append_printf (args, ", in_->%s", b->key);
          *uses_inputs = TRUE;
        }
      else if (param->is_batch && in_place)
        {
          g_autofree char *ptr = pointer_to (&param->type);
          g_string_append_printf (args, ", (%s) items, n_items", ptr);
        }
      else if (param->is_batch)
        g_string_append_printf (args, ", c_->%s, n_items", gen_batch_field (g, param));
      else
        g_string_append_printf (args, ", it_->%s", param->name);
    }
  return g_string_free (args, FALSE);
}

/* struct { DfCall or the stage's call struct; T b_param[N]; }: the arrays
 * a batch is passed in, when the items cannot be. */
static void
batch_call_struct (Gen *g, const AstGraph *graph, const AstNode *node)
{
  Writer *w = g->c;
  const AstParams *in = ast_decl_inputs (node->target);
  writer_line (w, "typedef struct {");
  writer_indent (w);
  writer_line (w, "%s base;", gen_call_type (g, node->target));
  for (guint i = 0; i < in->n; i++)
    if (in->items[i]->is_batch)
      {
        g_autofree char *field = g_strdup_printf ("%s[%" G_GINT64_FORMAT "]", gen_batch_field (g, in->items[i]),
                                                  node->batch);
        g_autofree char *decl = gen_decl (&in->items[i]->type, field, FALSE);
        writer_line (w, "%s;", decl);
      }
  writer_dedent (w);
  writer_line (w, "} %s;", gen_node_call_type (g, graph, node));
  writer_blank (w);
}

static void
trampoline (Gen *g, const AstGraph *graph, const AstNode *node)
{
  Writer *w = g->c;
  const AstDecl *target = node->target;
  const AstParams *in = ast_decl_inputs (target);
  const AstParams *out = ast_decl_outputs (target);
  StageKind kind = gen_decl_kind (target);
  gboolean uses_inputs = FALSE;
  g_autofree char *args = node_args (g, node, &uses_inputs);
  const char *fn = gen_name (g, target->name);
  gboolean batch_call = node_has_batch_call (node);

  if (batch_call)
    batch_call_struct (g, graph, node);
  writer_line (w, "static gboolean");
  writer_line (w, "%s (DfCall *call, gpointer items, gsize n_items, GError **error)",
               gen_node_static (g, graph, node, "run"));
  writer_line (w, "{");
  writer_indent (w);
  if (uses_inputs)
    writer_line (w, "const %s *in_ = df_call_get_graph_inputs (call);", gen_type_name (g, graph->decl.name, "In"));
  gboolean has_it = gg_node_uses_items (node) && !batch_in_place (node);
  if (has_it)
    writer_line (w, "%s *it_ = items;", gen_item_type (g, target));
  if (batch_call)
    {
      const char *type = gen_node_call_type (g, graph, node);
      writer_line (w, "%s *c_ = (%s *) call;", type, type);
    }
  if (!has_it && !batch_in_place (node))
    writer_line (w, "(void) items;");
  if (n_batch_params (node) == 0)
    writer_line (w, "(void) n_items;");
  if (batch_call)
    {
      writer_line (w, "for (gsize i = 0; i < n_items; i++)");
      writer_line (w, "  {");
      for (guint i = 0; i < in->n; i++)
        if (in->items[i]->is_batch)
          writer_line (w, "    c_->%s[i] = it_[i].%s;", gen_batch_field (g, in->items[i]), in->items[i]->name);
      writer_line (w, "  }");
    }
  else if (batch_in_place (node) && node->has_batch)
    writer_line (w, "G_STATIC_ASSERT (sizeof (%s) == sizeof (%s));", gen_item_type (g, target),
                 gen_ctype (&in->items[0]->type));

  if (target->kind == DECL_FLOW || kind == STAGE_ASYNC)
    {
      /* Async: the call completes later; a flow runs as a child frame. */
      const char *callee = target->kind == DECL_FLOW ? gen_flow_call_func (g, (const AstFlow *) target) : fn;
      writer_line (w, "(void) error;");
      writer_at_source (w, node->stage_loc.file, node->stage_loc.line);
      writer_line (w, "%s (call%s);", callee, args);
      writer_at_self (w);
      writer_line (w, "return TRUE;");
    }
  else if (!gen_emits_one (target))
    {
      writer_at_source (w, node->stage_loc.file, node->stage_loc.line);
      writer_line (w, "return %s (df_call_get_context (call)%s, error);", fn, args);
      writer_at_self (w);
    }
  else if (kind == STAGE_BLOCKING && out->n > 0)
    {
      /* A blocking `->` stage writes its outputs into its call struct, as
       * in flows; what a failing stage left there is freed.  They become
       * an item on the runtime thread (the node's `complete`) only when
       * the call ended on time: a late return is discarded, never
       * delivered. */
      const char *call_type = gen_call_type (g, target);
      GString *outs = g_string_new (NULL);
      for (guint i = 0; i < out->n; i++)
        g_string_append_printf (outs, ", &o_->%s", out->items[i]->name);
      writer_line (w, "%s *o_ = (%s *) call;", call_type, call_type);
      writer_at_source (w, node->stage_loc.file, node->stage_loc.line);
      if (!gen_has_discard (target))
        {
          writer_line (w, "return %s (df_call_get_context (call)%s%s, error);", fn, args, outs->str);
          writer_at_self (w);
        }
      else
        {
          writer_line (w, "if (!%s (df_call_get_context (call)%s%s, error))", fn, args, outs->str);
          writer_at_self (w);
          writer_line (w, "  {");
          writer_line (w, "    %s (call);", gen_discard_name (g, target));
          writer_line (w, "    return FALSE;");
          writer_line (w, "  }");
          writer_line (w, "return TRUE;");
        }
      g_string_free (outs, TRUE);
    }
  else
    {
      /* A sync `->` stage: its outputs are one item, emitted when it
       * succeeded; what a failing stage left in them is freed. */
      GString *outs = g_string_new (NULL);
      for (guint i = 0; i < out->n; i++)
        g_string_append_printf (outs, ", &out_.%s", out->items[i]->name);
      if (out->n > 0)
        writer_line (w, "%s out_ = { 0 };", gen_emit_type (g, target));
      writer_at_source (w, node->stage_loc.file, node->stage_loc.line);
      writer_line (w, "if (!%s (df_call_get_context (call)%s%s, error))", fn, args, outs->str);
      writer_at_self (w);
      writer_line (w, "  {");
      if (gen_any_owned (out))
        writer_line (w, "    %s (&out_);", gen_emit_free_name (g, target));
      writer_line (w, "    return FALSE;");
      writer_line (w, "  }");
      writer_line (w, "df_graph_emit (df_call_get_context (call), %s);", out->n > 0 ? "&out_" : "NULL");
      writer_line (w, "return TRUE;");
      g_string_free (outs, TRUE);
    }
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

static const char *
node_kind_name (StageKind kind)
{
  switch (kind)
    {
    case STAGE_SYNC: return "DF_NODE_SYNC";
    case STAGE_BLOCKING: return "DF_NODE_BLOCKING";
    case STAGE_ASYNC: return "DF_NODE_ASYNC";
    }
  g_assert_not_reached ();
}

static char *
duration (gint64 us)
{
  return g_strdup_printf ("G_GINT64_CONSTANT (%" G_GINT64_FORMAT ")", us);
}

/* on error: the node's policy, else the stage's own `retry`. */
static void
error_retry (Writer *w, const AstNode *node)
{
  const AstRetry *retry = NULL;
  switch (node->on_error.kind)
    {
    case ON_ERROR_HALT:
      writer_line (w, ".on_error = DF_ON_ERROR_HALT,");
      return;
    case ON_ERROR_SKIP:
      writer_line (w, ".on_error = DF_ON_ERROR_SKIP,");
      return;
    case ON_ERROR_RETRY:
      retry = &node->on_error.retry;
      break;
    case ON_ERROR_DEFAULT:
    case ON_ERROR_FAIL:
      if (node->target->kind == DECL_STAGE && ((const AstStage *) node->target)->opts.retry.set)
        retry = &((const AstStage *) node->target)->opts.retry;
      break;
    }
  if (retry == NULL || retry->count <= 0)
    return;
  writer_line (w, ".on_error = DF_ON_ERROR_RETRY,");
  writer_line (w, ".retries = %" G_GINT64_FORMAT ",", retry->count);
  if (retry->has_backoff)
    {
      g_autofree char *min = duration (retry->backoff_min_us);
      g_autofree char *max = duration (retry->backoff_max_us);
      writer_line (w, ".backoff = %s,", min);
      writer_line (w, ".backoff_max = %s,", max);
    }
}

/* The node's error policy and its `halt after N`. */
static void
error_policy (Writer *w, const AstNode *node)
{
  error_retry (w, node);
  if (node->has_halt_after)
    writer_line (w, ".halt_after = %" G_GINT64_FORMAT ",", node->halt_after);
}

static void
node_desc (Gen *g, const AstGraph *graph, const AstNode *node)
{
  Writer *w = g->c;
  const AstDecl *target = node->target;
  const AstStage *stage = target->kind == DECL_STAGE ? (const AstStage *) target : NULL;
  StageKind kind = gen_decl_kind (target);
  gboolean async = kind == STAGE_ASYNC;

  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, ".name = \"%s\",", node->name);
  writer_line (w, ".stage = \"%s\",", target->name);
  if (stage != NULL)
    writer_line (w, ".stats = &%s,", gen_stats_name (g, target));
  if (stage != NULL && stage->state != NULL)
    {
      writer_line (w, ".state_open = %s,", gen_state_fn (g, stage, "open", FALSE));
      writer_line (w, ".state_close = %s,", gen_state_fn (g, stage, "close", FALSE));
    }
  if (node->opts.has_limit)
    writer_line (w, ".limit = &%s,", gen_node_static (g, graph, node, "limit"));
  else if (stage != NULL && stage->opts.has_limit)
    writer_line (w, ".limit = &%s,", gen_limit_name (g, target));
  gint64 timeout = node->opts.has_timeout ? node->opts.timeout_us
                   : stage != NULL && stage->opts.has_timeout ? stage->opts.timeout_us : 0;
  if (timeout > 0)
    {
      g_autofree char *d = duration (timeout);
      writer_line (w, ".timeout = %s,", d);
    }
  /* Outputs in the call struct: async `->` stages and flows, blocking
   * `->` stages with outputs. */
  gboolean outs_in_call = gen_emits_one (target)
                          && (async || (kind == STAGE_BLOCKING && ast_decl_outputs (target)->n > 0));
  if (outs_in_call && gen_has_discard (target))
    writer_line (w, ".discard = %s,", gen_discard_name (g, target));
  if (node_has_batch_call (node))
    writer_line (w, ".call_size = sizeof (%s),", gen_node_call_type (g, graph, node));
  else if (outs_in_call || (async && !gen_is_generator (target)))
    writer_line (w, ".call_size = sizeof (%s),", gen_call_type (g, target));
  writer_line (w, ".kind = %s,", node_kind_name (kind));
  writer_line (w, ".run = %s,", gen_node_static (g, graph, node, "run"));
  if (outs_in_call || (async && gen_emits_one (target)))
    writer_line (w, ".complete = %s,", gen_complete_name (g, target));
  if (gg_node_uses_items (node))
    {
      writer_line (w, ".item_size = sizeof (%s),", gen_item_type (g, target));
      if (gg_node_frees_items (node))
        writer_line (w, ".item_free = %s,", gen_item_free_name (g, target));
    }
  if (node->start && gg_node_uses_items (node))
    writer_line (w, ".start = %s,", gen_node_static (g, graph, node, "start"));
  if (gen_has_emit_struct (target))
    {
      writer_line (w, ".emit_size = sizeof (%s),", gen_emit_type (g, target));
      if (gen_any_owned (ast_decl_outputs (target)))
        writer_line (w, ".emit_free = %s,", gen_emit_free_name (g, target));
    }
  if (node->has_tasks)
    writer_line (w, ".tasks = %" G_GINT64_FORMAT ",", node->tasks);
  if (node->has_queue)
    writer_line (w, ".queue = %" G_GINT64_FORMAT ",", node->queue);
  if (node->has_batch)
    writer_line (w, ".batch = %" G_GINT64_FORMAT ",", node->batch);
  if (node->has_within)
    {
      g_autofree char *d = duration (node->within_us);
      writer_line (w, ".batch_within = %s,", d);
    }
  if (node->has_every)
    {
      g_autofree char *d = duration (node->every_us);
      writer_line (w, ".every = %s,", d);
    }
  if (node->has_cron && node->cron != NULL)
    {
      g_autofree char *cron = writer_c_string (node->cron, strlen (node->cron));
      writer_line (w, ".cron = \"%s\",", cron);
    }
  error_policy (w, node);
  if (node->remote)
    gen_graph_remote_desc (g, graph, node);
  writer_dedent (w);
  writer_line (w, "},");
}

static void
graph_tables (Gen *g, const GraphInfo *info)
{
  Writer *w = g->c;
  const AstGraph *graph = info->graph;
  const char *nodes = gen_graph_static (g, graph, "nodes");
  const char *edges = gen_graph_static (g, graph, "edges");

  writer_line (w, "static const DfGraphNodeDesc %s[] = {", nodes);
  writer_indent (w);
  for (guint n = 0; n < graph->n_all_nodes; n++)
    node_desc (g, graph, graph->all_nodes[n]);
  writer_dedent (w);
  writer_line (w, "};");
  writer_blank (w);
  if (info->n_edges > 0)
    {
      writer_line (w, "static const DfGraphEdgeDesc %s[] = {", edges);
      writer_indent (w);
      for (guint i = 0; i < info->n_edges; i++)
        {
          const GEdge *e = &info->edges[i];
          GString *s = g_string_new (NULL);
          g_string_append_printf (s, "{ .from = %u, .to = %u", e->from->index, e->to->index);
          if (edge_has_converter (e))
            g_string_append_printf (s, ", .%s = %s%u", e->dead ? "dead" : "copy",
                                    gen_graph_static (g, graph, "edge"), i);
          if (e->zip)
            g_string_append_printf (s, ", .zip = %u", e->zip);
          writer_line (w, "%s },   /* %s %s %s */", s->str, e->from->name, e->dead ? "!->" : "->",
                       e->to->name);
          g_string_free (s, TRUE);
        }
      writer_dedent (w);
      writer_line (w, "};");
      writer_blank (w);
    }
  writer_line (w, "static const DfGraphDesc %s = {", gen_graph_static (g, graph, "desc"));
  writer_indent (w);
  writer_line (w, ".name = \"%s\",", graph->decl.name);
  writer_line (w, ".nodes = %s,", nodes);
  writer_line (w, ".n_nodes = %u,", graph->n_all_nodes);
  if (info->n_edges > 0)
    {
      writer_line (w, ".edges = %s,", edges);
      writer_line (w, ".n_edges = %u,", info->n_edges);
    }
  writer_line (w, ".inputs_size = sizeof (%s),", gen_type_name (g, graph->decl.name, "In"));
  writer_line (w, ".halt_on_error = %s,", graph->halt_on_error ? "TRUE" : "FALSE");
  writer_dedent (w);
  writer_line (w, "};");
  writer_blank (w);
}

static void
entry_points (Gen *g, const AstGraph *graph)
{
  Writer *w = g->c;
  const char *in = gen_type_name (g, graph->decl.name, "In");

  writer_line (w, "const DfGraphDesc *");
  writer_line (w, "%s (void)", gen_entry_name (g, graph->decl.name, "get_desc"));
  writer_line (w, "{");
  writer_line (w, "  return &%s;", gen_graph_static (g, graph, "desc"));
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "DfGraph *");
  writer_line (w, "%s (DfRuntime *rt, const %s *in, GError **error)", gen_entry_name (g, graph->decl.name, "new"), in);
  writer_line (w, "{");
  writer_line (w, "  return df_graph_new (rt, &%s, in, error);", gen_graph_static (g, graph, "desc"));
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "gboolean");
  writer_line (w, "%s (DfRuntime *rt, const %s *in, DfGraphMode mode, GError **error)", gen_entry_name (g, graph->decl.name, "run"), in);
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "DfGraph *graph = %s (rt, in, error);", gen_entry_name (g, graph->decl.name, "new"));
  writer_line (w, "if (graph == NULL)");
  writer_line (w, "  return FALSE;");
  writer_line (w, "df_graph_set_mode (graph, mode);");
  writer_line (w, "gboolean ok = df_graph_run (graph, error);");
  writer_line (w, "df_graph_unref (graph);");
  writer_line (w, "return ok;");
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

static void
graph_code (Gen *g, AstGraph *graph)
{
  Writer *w = g->c;
  GraphInfo info;
  analyze (g, graph, &info);

  writer_line (w, "/* ---- graph %s (%s:%u) ---- */", graph->decl.name,
               program_loc_path (g->program, graph->decl.loc), graph->decl.loc.line);
  writer_blank (w);
  for (guint n = 0; n < graph->n_all_nodes; n++)
    if (graph->all_nodes[n]->opts.has_limit)
      writer_line (w, "static DfLimit %s = DF_LIMIT_INIT (%" G_GINT64_FORMAT ");",
                   gen_node_static (g, graph, graph->all_nodes[n], "limit"), graph->all_nodes[n]->opts.limit);
  for (guint i = 0; i < info.n_edges; i++)
    if (edge_has_converter (&info.edges[i]))
      edge_converter (g, &info, i);
  for (guint n = 0; n < graph->n_all_nodes; n++)
    {
      const AstNode *node = graph->all_nodes[n];
      if (node->start && gg_node_uses_items (node))
        start_function (g, graph, node);
      if (node->remote)
        gen_graph_remote_codec (g, graph, node);
      trampoline (g, graph, node);
    }
  graph_tables (g, &info);
  entry_points (g, graph);
}

void
gen_graphs (Gen *g)
{
  AstFile *file = g->program->file;
  gen_graph_items (g);
  for (guint i = 0; i < file->n_graphs; i++)
    graph_code (g, file->graphs[i]);
}
