/* check-graph.c — graphs: nodes, cycles, nodes again, warnings (model and
 * the map of the pieces: check-graph.h).
 *
 * Passes 1, 4, 5 and 7 of the model, the helpers they share with
 * check-edges.c, and check_graphs, which runs every pass over each graph.
 */
#include <stdlib.h>
#include <string.h>
#include "check-graph.h"

/* ------------------------------------------------------------ small helpers */

/* ------------------------------------------------------------ 1. nodes */

/* The stage or flow a node runs; reports unknown-callee / not-callable. */
static AstDecl *
resolve_node_target (GraphCheck *gc, const AstNode *node)
{
  Program *program = gc->program;
  AstDecl *decl = node->stage ? program_lookup (program, node->stage) : NULL;
  gc->unresolved = gc->unresolved || decl == NULL
                   || (decl->kind != DECL_STAGE && decl->kind != DECL_FLOW);
  if (node->stage == NULL)
    return NULL;
  if (decl == NULL)
    {
      guint mask = (1u << DECL_STAGE) | (1u << DECL_FLOW);
      char *hint = diag_hint (program_suggest_decl (program, node->stage, mask));
      diag_report (program->diags, DIAG_UNKNOWN_CALLEE, node->stage_loc,
                   "unknown stage or flow '%s'%s", node->stage, hint);
      g_free (hint);
      return NULL;
    }
  if (decl->kind != DECL_STAGE && decl->kind != DECL_FLOW)
    {
      Diag *d = diag_report (program->diags, DIAG_NOT_CALLABLE, node->stage_loc,
                             "'%s' is %s; a node runs a stage or a flow",
                             node->stage, ast_decl_kind_phrase (decl->kind));
      diag_note (d, decl->loc, "'%s' declared here", decl->name);
      return NULL;
    }
  return decl;
}

/* Adds a node to the graph's node list and name table. */
void
graphchk_add_node (GraphCheck *gc, AstNode *node)
{
  node->index = gc->all_nodes.n;
  arena_vec_push (gc->program->arena, &gc->all_nodes, node);
  g_hash_table_insert (gc->by_name, (gpointer) node->name, node);
}

/* Explicit nodes: targets resolved, the second of two names reported. */
static void
collect_explicit_nodes (GraphCheck *gc)
{
  for (guint i = 0; i < gc->graph->n_nodes; i++)
    {
      AstNode *node = gc->graph->nodes[i];
      node->target = resolve_node_target (gc, node);
      if (node->name == NULL)
        continue;
      AstNode *first = g_hash_table_lookup (gc->by_name, node->name);
      if (first != NULL)
        {
          Diag *d = diag_report (gc->program->diags, DIAG_DUPLICATE_NODE, node->loc,
                                 "duplicate node '%s' in graph '%s'",
                                 node->name, gc->graph->decl.name);
          diag_note (d, first->loc, "'%s' first declared here", first->name);
          continue;
        }
      graphchk_add_node (gc, node);
    }
}

/* ------------------------------------------------------------ 4. cycles */

/* Links as adjacency lists (CSR): the links leaving node v are
 * order[first[v] .. first[v + 1]), in source order. */
typedef struct {
  guint *first;
  guint *order;
} Adjacency;

static Adjacency
build_adjacency (GraphCheck *gc)
{
  guint n = gc->all_nodes.n;
  Adjacency adj = { g_new0 (guint, n + 1), g_new (guint, gc->links->len + 1) };
  for (guint i = 0; i < gc->links->len; i++)
    adj.first[g_array_index (gc->links, Link, i).from + 1]++;
  for (guint v = 0; v < n; v++)
    adj.first[v + 1] += adj.first[v];
  guint *fill = g_memdup2 (adj.first, sizeof (guint) * (n + 1));
  for (guint i = 0; i < gc->links->len; i++)
    adj.order[fill[g_array_index (gc->links, Link, i).from]++] = i;
  g_free (fill);
  return adj;
}

/* Tarjan's algorithm without recursion (graphs may be 100,000 nodes deep).
 * Fills comp[v] with the component of every node. */
typedef struct {
  GraphCheck *gc;
  Adjacency adj;
  guint *index;          /* 0: not visited; else visit order + 1 */
  guint *low;
  gboolean *on_stack;
  guint *comp;
  GArray *stack;         /* guint nodes */
  GArray *calls;         /* guint pairs: node, next adjacency position */
  guint counter;
  guint n_comps;
} Tarjan;

/* Pops one finished component off the node stack. */
static void
tarjan_pop_component (Tarjan *t, guint root)
{
  guint w;
  do
    {
      w = g_array_index (t->stack, guint, t->stack->len - 1);
      g_array_set_size (t->stack, t->stack->len - 1);
      t->on_stack[w] = FALSE;
      t->comp[w] = t->n_comps;
    }
  while (w != root);
  t->n_comps++;
}

/* Enters node v: numbers it and pushes it on both stacks. */
static void
tarjan_enter (Tarjan *t, guint v)
{
  t->index[v] = t->low[v] = ++t->counter;
  g_array_append_val (t->stack, v);
  t->on_stack[v] = TRUE;
  guint frame[2] = { v, t->adj.first[v] };
  g_array_append_vals (t->calls, frame, 2);
}

/* Runs the search from `root` until its call stack is empty. */
static void
tarjan_from (Tarjan *t, guint root)
{
  tarjan_enter (t, root);
  while (t->calls->len > 0)
    {
      guint *frame = &g_array_index (t->calls, guint, t->calls->len - 2);
      guint v = frame[0];
      if (frame[1] < t->adj.first[v + 1])
        {
          guint w = g_array_index (t->gc->links, Link, t->adj.order[frame[1]++]).to;
          if (t->index[w] == 0)
            tarjan_enter (t, w);
          else if (t->on_stack[w])
            t->low[v] = MIN (t->low[v], t->index[w]);
          continue;
        }
      g_array_set_size (t->calls, t->calls->len - 2);
      if (t->low[v] == t->index[v])
        tarjan_pop_component (t, v);
      if (t->calls->len > 0)
        {
          guint parent = g_array_index (t->calls, guint, t->calls->len - 2);
          t->low[parent] = MIN (t->low[parent], t->low[v]);
        }
    }
}

/* The shortest path from `from` to `to` inside one component, as node
 * indices (from first), following links in source order. */
static GArray *
path_within (GraphCheck *gc, const Adjacency *adj, const guint *comp,
             guint from, guint to)
{
  GHashTable *parent = g_hash_table_new (NULL, NULL); /* node+1 -> node+1 */
  GArray *queue = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (queue, from);
  g_hash_table_insert (parent, GUINT_TO_POINTER (from + 1), GUINT_TO_POINTER (from + 1));
  for (guint head = 0; head < queue->len && !g_hash_table_contains (parent, GUINT_TO_POINTER (to + 1)); head++)
    {
      guint v = g_array_index (queue, guint, head);
      for (guint p = adj->first[v]; p < adj->first[v + 1]; p++)
        {
          guint w = g_array_index (gc->links, Link, adj->order[p]).to;
          if (comp[w] != comp[from]
              || g_hash_table_contains (parent, GUINT_TO_POINTER (w + 1)))
            continue;
          g_hash_table_insert (parent, GUINT_TO_POINTER (w + 1), GUINT_TO_POINTER (v + 1));
          g_array_append_val (queue, w);
        }
    }
  GArray *path = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint v = to;; v = GPOINTER_TO_UINT (g_hash_table_lookup (parent, GUINT_TO_POINTER (v + 1))) - 1)
    {
      g_array_prepend_val (path, v);
      if (v == from)
        break;
    }
  g_array_free (queue, TRUE);
  g_hash_table_destroy (parent);
  return path;
}

/* Reports the cycle closed by link `l`: its arrow, the whole cycle noted. */
static void
report_cycle (GraphCheck *gc, const Adjacency *adj, const guint *comp, const Link *l)
{
  const Arrow *arrow = &g_array_index (gc->arrows, Arrow, l->arrow);
  AstNode *from = gc->nodes[l->from].ast;
  AstNode *to = gc->nodes[l->to].ast;
  GArray *path = path_within (gc, adj, comp, l->to, l->from);
  GString *cycle = g_string_new ("cycle: ");
  for (guint i = 0; i < path->len; i++)
    g_string_append_printf (cycle, "%s -> ", gc->nodes[g_array_index (path, guint, i)].ast->name);
  g_string_append (cycle, to->name);
  Diag *d = diag_report (gc->program->diags, DIAG_GRAPH_CYCLE, arrow->loc,
                         "edge from '%s' to '%s' closes a cycle in graph '%s'",
                         from->name, to->name, gc->graph->decl.name);
  diag_note (d, to->loc, "%s", cycle->str);
  g_string_free (cycle, TRUE);
  g_array_free (path, TRUE);
}

/* Every cyclic component reported once, at its last link in source order. */
static void
check_cycles (GraphCheck *gc)
{
  guint n = gc->all_nodes.n;
  Tarjan t = { gc, build_adjacency (gc), g_new0 (guint, n), g_new0 (guint, n),
               g_new0 (gboolean, n), g_new0 (guint, n),
               g_array_new (FALSE, FALSE, sizeof (guint)),
               g_array_new (FALSE, FALSE, sizeof (guint)), 0, 0 };
  for (guint v = 0; v < n; v++)
    if (t.index[v] == 0)
      tarjan_from (&t, v);
  guint *closing = g_new0 (guint, t.n_comps + 1);  /* link + 1; 0: acyclic */
  for (guint i = 0; i < gc->links->len; i++)
    {
      const Link *l = &g_array_index (gc->links, Link, i);
      if (t.comp[l->from] == t.comp[l->to])
        closing[t.comp[l->from]] = i + 1;
    }
  for (guint c = 0; c < t.n_comps; c++)
    if (closing[c] != 0)
      report_cycle (gc, &t.adj, t.comp, &g_array_index (gc->links, Link, closing[c] - 1));
  g_free (closing);
  g_free (t.adj.first);
  g_free (t.adj.order);
  g_free (t.index);
  g_free (t.low);
  g_free (t.on_stack);
  g_free (t.comp);
  g_array_free (t.stack, TRUE);
  g_array_free (t.calls, TRUE);
}

/* ------------------------------------------------------------ 5. nodes again */

/* Reports a type disagreement between a producer and a reader. */
void
graphchk_report_disagreement (Program *program, Loc at, const AstTypeRef *produced,
                              const AstTypeRef *read, const char *what_produced,
                              const char *what_read, Loc producer_loc, const char *producer_note)
{
  const char *why = NULL;
  if (types_agree (produced, read, &why))
    return;
  Diag *d;
  if (why != NULL && strcmp (why, "ownership") == 0
      && types_free_fn (produced) != NULL && types_free_fn (read) != NULL)
    d = diag_report (program->diags, DIAG_OWNERSHIP_CONFLICT, at,
                     "%s is '%s' freed with '%s', but %s is '%s' freed with '%s'",
                     what_produced, types_display (produced), types_free_fn (produced),
                     what_read, types_display (read), types_free_fn (read));
  else
    d = diag_report (program->diags, DIAG_TYPE_MISMATCH, at, "%s is '%s', but %s is '%s'",
                     what_produced, types_display (produced), what_read,
                     types_display (read));
  diag_note (d, producer_loc, "%s", producer_note);
}

/* Graph input i read by a node's parameter: marked read, types agreed. */
static void
read_graph_input (GraphCheck *gc, guint i, Loc at, const AstNode *node,
                  const AstParam *param)
{
  gc->input_read[i] = TRUE;
  const AstParam *input = gc->graph->in.items[i];
  char *what_in = g_strdup_printf ("graph input '%s'", input->name);
  char *what_param = g_strdup_printf ("parameter '%s' of node '%s'", param->name, node->name);
  char *note = g_strdup_printf ("'%s' is a graph input declared here as '%s'", input->name,
                                types_display (&input->type));
  graphchk_report_disagreement (gc->program, at, &input->type, &param->type, what_in, what_param,
                                input->loc, note);
  g_free (what_in);
  g_free (what_param);
  g_free (note);
}

/* A node binding `p = input`: the graph input must exist and agree. */
static void
check_input_binding (GraphCheck *gc, const AstNode *node, const AstBinding *b,
                     const AstParam *param)
{
  gint i = ast_param_index (&gc->graph->in, b->key);
  if (i < 0)
    {
      char *hint = diag_hint (program_suggest_param (&gc->graph->in, b->key));
      gc->unresolved = TRUE;
      diag_report (gc->program->diags, DIAG_MISSING_INPUT, b->key_loc,
                   "graph '%s' has no input '%s'%s", gc->graph->decl.name, b->key, hint);
      g_free (hint);
      return;
    }
  read_graph_input (gc, i, b->key_loc, node, param);
}

/* One node binding: a parameter of the target, bound once, fitting. */
static void
check_node_binding (GraphCheck *gc, const GraphNode *gn, guint i)
{
  const AstNode *node = gn->ast;
  const AstBinding *b = node->bindings[i];
  const AstParam *param = ast_param_named (gn->in, b->param);
  if (param == NULL)
    {
      char *hint = diag_hint (program_suggest_param (gn->in, b->param));
      Diag *d = diag_report (gc->program->diags, DIAG_UNKNOWN_PARAM, b->loc,
                             "%s '%s' has no parameter '%s'%s",
                             node->target->kind == DECL_FLOW ? "flow" : "stage",
                             node->stage, b->param, hint);
      diag_note (d, node->target->loc, "'%s' declared here", node->stage);
      g_free (hint);
      return;
    }
  const AstBinding *first = ast_binding_named (node->bindings, node->n_bindings, b->param);
  if (first != NULL && first != b)
    {
      Diag *d = diag_report (gc->program->diags, DIAG_DUPLICATE_BINDING, b->loc,
                             "parameter '%s' is bound twice", b->param);
      diag_note (d, first->loc, "first bound here");
      return;
    }
  if (param->is_batch)
    diag_report (gc->program->diags, DIAG_BATCH_PARAM, b->loc,
                 "batch parameter '%s' takes items, not a binding", b->param);
  else if (b->is_literal)
    types_check_literal (gc->program, &b->lit, &param->type, param->name);
  else
    check_input_binding (gc, node, b, param);
}

/* A start node's unbound parameters come from graph inputs of that name. */
static void
check_start_params (GraphCheck *gc, const GraphNode *gn)
{
  const AstNode *node = gn->ast;
  for (guint p = 0; p < gn->in->n; p++)
    {
      const AstParam *param = gn->in->items[p];
      if (ast_binding_named (node->bindings, node->n_bindings, param->name) != NULL)
        continue;
      gint i = ast_param_index (&gc->graph->in, param->name);
      if (i < 0 || param->is_batch)
        {
          Diag *d = diag_report (gc->program->diags, DIAG_START_PARAM, node->loc,
                                 "parameter '%s' of start node '%s' is neither bound "
                                 "nor a graph input", param->name, node->name);
          diag_note (d, param->loc, "'%s' declared here", param->name);
          continue;
        }
      read_graph_input (gc, i, node->loc, node, param);
    }
}

/* The first `T[]` parameter of a node's target, or NULL. */
static const AstParam *
batch_param (const GraphNode *gn)
{
  for (guint p = 0; p < gn->in->n; p++)
    if (gn->in->items[p]->is_batch)
      return gn->in->items[p];
  return NULL;
}

/* batch needs T[], T[] needs batch, and neither applies to a start node. */
static void
check_batch (GraphCheck *gc, const GraphNode *gn)
{
  const AstNode *node = gn->ast;
  const AstParam *param = batch_param (gn);
  Diags *diags = gc->program->diags;
  if (node->has_batch && node->start)
    diag_report (diags, DIAG_NODE_OPTION, node->batch_loc,
                 "'batch' applies to a node with incoming edges; '%s' is a start node",
                 node->name);
  else if (node->has_batch && param == NULL)
    diag_report (diags, DIAG_NODE_OPTION, node->batch_loc,
                 "'batch' needs a T[] parameter; '%s' has none", node->stage);
  else if (param != NULL && !node->has_batch && !node->start)
    {
      Diag *d = diag_report (diags, DIAG_BATCH_PARAM, node->loc,
                             "node '%s' needs 'batch N': parameter '%s' of '%s' is a batch",
                             node->name, param->name, node->stage);
      diag_note (d, param->batch_loc.line ? param->batch_loc : param->loc,
                 "'%s' declared here", param->name);
    }
}

/* ---- option values */

/* Is `s` a whole number in [lo, hi], optionally followed by `-hi`/`/step`? */
static gboolean
cron_atom_ok (const char *s, int lo, int hi)
{
  char *end;
  if (strcmp (s, "*") == 0)
    return TRUE;
  if (!g_ascii_isdigit (s[0]))
    return FALSE;
  long a = strtol (s, &end, 10);
  if (a < lo || a > hi)
    return FALSE;
  if (*end == '-')
    {
      if (!g_ascii_isdigit (end[1]))
        return FALSE;
      long b = strtol (end + 1, &end, 10);
      if (b < a || b > hi)
        return FALSE;
    }
  return *end == '\0';
}

/* One cron field: a comma list of `*`, `N`, `N-M`, each optionally `/S`. */
static gboolean
cron_field_ok (const char *field, int lo, int hi)
{
  gboolean ok = field[0] != '\0';
  char **items = g_strsplit (field, ",", -1);
  for (guint i = 0; ok && items[i] != NULL; i++)
    {
      char *slash = strchr (items[i], '/');
      if (slash != NULL)
        {
          *slash = '\0';
          char *end;
          long step = g_ascii_isdigit (slash[1]) ? strtol (slash + 1, &end, 10) : 0;
          ok = step >= 1 && step <= hi && *end == '\0';
        }
      ok = ok && cron_atom_ok (items[i], lo, hi);
    }
  g_strfreev (items);
  return ok;
}

/* A five-field cron expression: minute hour day-of-month month weekday. */
static gboolean
cron_ok (const char *cron)
{
  static const int lo[5] = { 0, 0, 1, 1, 0 };
  static const int hi[5] = { 59, 23, 31, 12, 7 };
  char **fields = g_strsplit_set (cron, " \t", -1);
  guint n = 0;
  gboolean ok = TRUE;
  for (guint i = 0; fields[i] != NULL; i++)
    {
      if (fields[i][0] == '\0')
        continue;
      ok = ok && n < 5 && cron_field_ok (fields[i], lo[n], hi[n]);
      n++;
    }
  g_strfreev (fields);
  return ok && n == 5;
}

/* The parser checks option values; a cron expression needs the fields. */
static void
check_cron (Program *program, const AstNode *node)
{
  if (node->has_cron && (node->cron == NULL || !cron_ok (node->cron)))
    diag_report (program->diags, DIAG_BAD_OPTION, node->cron_loc,
                 "invalid cron expression; 'cron' takes five fields: minute (0-59), "
                 "hour (0-23), day of month (1-31), month (1-12), weekday (0-7)");
}

/* every/cron: schedules for start nodes only. */
static void
check_schedule (GraphCheck *gc, const AstNode *node)
{
  Diags *diags = gc->program->diags;
  if (node->start)
    return;
  if (node->has_every)
    diag_report (diags, DIAG_NODE_OPTION, node->every_loc,
                 "'every' applies to start nodes only; '%s' has an incoming edge", node->name);
  if (node->has_cron)
    diag_report (diags, DIAG_NODE_OPTION, node->cron_loc,
                 "'cron' applies to start nodes only; '%s' has an incoming edge", node->name);
}

/* `halt after N` counts skipped failures: a node whose failures halt the
 * graph at once (its `on error halt`, or retries or the default under the
 * graph's halt_on_error) has none to count. */
gboolean
graphchk_halts_at_first_failure (const GraphCheck *gc, const AstNode *node)
{
  OnErrorKind kind = node->on_error.kind;
  return kind == ON_ERROR_HALT || (kind != ON_ERROR_SKIP && gc->graph->halt_on_error);
}

static void
check_threshold (GraphCheck *gc, const AstNode *node)
{
  if (!node->has_halt_after || !graphchk_halts_at_first_failure (gc, node))
    return;
  if (node->on_error.kind == ON_ERROR_HALT)
    diag_report (gc->program->diags, DIAG_NODE_OPTION, node->halt_after_loc,
                 "'halt after' counts skipped failures; node '%s' halts at its first one "
                 "('on error halt')", node->name);
  else if (gc->graph->halt_on_error)
    {
      Diag *d = diag_report (gc->program->diags, DIAG_NODE_OPTION, node->halt_after_loc,
                             "'halt after' counts skipped failures; under the graph's "
                             "'halt_on_error' node '%s' halts at its first one", node->name);
      diag_note (d, gc->graph->halt_loc, "write 'on error skip halt after %" G_GINT64_FORMAT
                 "' to skip up to %" G_GINT64_FORMAT " in a row", node->halt_after,
                 node->halt_after - 1);
    }
}

/* A generator's retry would run it again from the start, emitting again
 * the items that already went downstream: no retry on generators, the
 * node's `on error retry` nor its stage's own `retry N`. */
static void
check_generator_retry (GraphCheck *gc, const AstNode *node)
{
  if (node->target == NULL || node->target->kind != DECL_STAGE)
    return;
  const AstStage *stage = (const AstStage *) node->target;
  if (!stage->emits)
    return;
  Diags *diags = gc->program->diags;
  if (node->on_error.kind == ON_ERROR_RETRY)
    {
      Diag *d = diag_report (diags, DIAG_RETRY_EMITS, node->on_error.loc,
                             "node '%s' cannot retry generator '%s': a retry runs it again "
                             "from the start and emits its items a second time",
                             node->name, node->stage);
      diag_note (d, stage->decl.loc,
                 "retry inside '%s', where it knows what it has emitted, or write "
                 "'on error skip' or 'on error halt'", stage->decl.name);
    }
  else if (node->on_error.kind == ON_ERROR_DEFAULT && stage->opts.retry.set)
    {
      Diag *d = diag_report (diags, DIAG_RETRY_EMITS, node->loc,
                             "node '%s' would retry generator '%s': a retry runs it again "
                             "from the start and emits its items a second time",
                             node->name, node->stage);
      diag_note (d, stage->opts.retry.loc,
                 "'%s' is declared with 'retry'; write 'on error skip' or 'on error halt' "
                 "on the node, or retry inside the stage", stage->decl.name);
    }
}

/* `remote`: what a stream can feed — a node with incoming edges, none of
 * them a zip or dead letters (their items meet, or are handed over, in
 * one process). */
static void
check_remote (GraphCheck *gc, const AstNode *node)
{
  Diags *diags = gc->program->diags;

  if (!node->remote)
    return;
  if (node->start)
    {
      diag_report (diags, DIAG_NODE_OPTION, node->remote_loc,
                   "'remote' applies to nodes with incoming edges; '%s' is a start node",
                   node->name);
      return;
    }
  for (guint i = 0; i < gc->arrows->len; i++)
    {
      const Arrow *a = &g_array_index (gc->arrows, Arrow, i);
      const AstEdgeGroup *into = a->edge->groups[a->into];
      gboolean zip = a->edge->groups[a->into - 1]->zip;
      if (into->nodes == NULL || into->nodes[a->dest_name] != node
          || (!zip && !a->edge->dead_letters))
        continue;
      Diag *d = diag_report (diags, DIAG_NODE_OPTION, node->remote_loc,
                             "'remote' does not apply to '%s': it is the destination of %s",
                             node->name, zip ? "a zip, whose rows are made in one process"
                                             : "dead letters, handed over in the process "
                                               "that failed");
      diag_note (d, a->loc, "the %s here", zip ? "zip" : "dead-letter edge");
      return;
    }
}

/* A node, once start nodes are known. */
static void
check_node (GraphCheck *gc, const GraphNode *gn)
{
  check_schedule (gc, gn->ast);
  check_remote (gc, gn->ast);
  check_threshold (gc, gn->ast);
  check_generator_retry (gc, gn->ast);
  if (gn->in == NULL)
    return;
  for (guint i = 0; i < gn->ast->n_bindings; i++)
    check_node_binding (gc, gn, i);
  check_batch (gc, gn);
  if (gn->ast->start)
    check_start_params (gc, gn);
}

/* Every node once start nodes are known; every written node's cron (a
 * duplicate node is in no list but its own). */
static void
check_nodes (GraphCheck *gc)
{
  for (guint i = 0; i < gc->all_nodes.n; i++)
    check_node (gc, &gc->nodes[i]);
  for (guint i = 0; i < gc->graph->n_nodes; i++)
    check_cron (gc->program, gc->graph->nodes[i]);
}

/* ------------------------------------------------------------ 7. warnings */

/* Graph inputs no node reads; nodes whose items no edge takes. */
static void
check_unused (GraphCheck *gc)
{
  if (gc->unresolved)
    return;
  for (guint i = 0; i < gc->graph->in.n; i++)
    if (!gc->input_read[i])
      diag_report (gc->program->diags, DIAG_UNUSED_INPUT, gc->graph->in.items[i]->loc,
                   "graph input '%s' is never read", gc->graph->in.items[i]->name);
  for (guint i = 0; i < gc->all_nodes.n; i++)
    {
      const GraphNode *gn = &gc->nodes[i];
      if (gn->emits_items && gn->n_out_arrows == 0)
        diag_report (gc->program->diags, DIAG_DISCARDED_ITEMS, gn->ast->loc,
                     "items of node '%s' are discarded: no edge leaves it", gn->ast->name);
    }
}

/* ------------------------------------------------------------ the graph */

static void
free_graph_check (GraphCheck *gc)
{
  for (guint i = 0; i < gc->all_nodes.n; i++)
    if (gc->nodes[i].reads != NULL)
      g_array_free (gc->nodes[i].reads, TRUE);
  g_free (gc->nodes);
  g_free (gc->input_read);
  g_array_free (gc->arrows, TRUE);
  g_array_free (gc->links, TRUE);
  g_hash_table_destroy (gc->by_name);
}

static void
check_graph (Program *program, AstGraph *graph)
{
  if (graph->n_nodes == 0 && graph->n_edges == 0)
    diag_report (program->diags, DIAG_EMPTY_BLOCK, graph->open_loc,
                 "graph '%s' has no nodes", graph->decl.name);
  GraphCheck gc = {
    .program = program,
    .graph = graph,
    .by_name = g_hash_table_new (NULL, NULL),
    .arrows = g_array_new (FALSE, FALSE, sizeof (Arrow)),
    .links = g_array_new (FALSE, FALSE, sizeof (Link)),
    .input_read = g_new0 (gboolean, graph->in.n + 1),
  };
  collect_explicit_nodes (&gc);
  graphchk_resolve_edges (&gc);
  graph->all_nodes = (AstNode **) gc.all_nodes.items;
  graph->n_all_nodes = gc.all_nodes.n;
  graphchk_init_graph_nodes (&gc);
  graphchk_build_arrows (&gc);
  check_cycles (&gc);
  check_nodes (&gc);
  graphchk_check_dead_letters (&gc);
  graphchk_check_items (&gc);
  check_unused (&gc);
  free_graph_check (&gc);
}

void
check_graphs (Program *program)
{
  for (guint i = 0; i < program->file->n_graphs; i++)
    check_graph (program, program->file->graphs[i]);
}
