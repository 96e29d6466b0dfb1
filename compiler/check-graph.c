/* check-graph.c — graphs: nodes, edges, cycles, item fields, copies.
 *
 * A graph is checked in passes over its own items, so that the work is
 * proportional to its size:
 *
 *   1. nodes:   explicit `node` items, their targets and duplicates;
 *   2. edges:   every name of every edge group resolved to a node (naming a
 *               stage or flow directly declares an implicit node);
 *   3. arrows:  each edge statement split into arrows, one per (source,
 *               destination) pair of consecutive groups, a zip group being
 *               one combined source; arrows are numbered in source order,
 *               which makes every later decision deterministic;
 *   4. cycles:  strongly connected components (iterative Tarjan); a cyclic
 *               component is reported at its last arrow in source order,
 *               with the cycle through that arrow in a note;
 *   5. nodes again, now that start nodes are known: bindings, schedules,
 *               batches, start parameters (option values are the parser's);
 *   6. items:   for every arrow, every destination parameter found among
 *               the source's fields (by name or through the mapping), types
 *               agreed, and owned fields counted per reader for `copy`;
 *   7. warnings: graph inputs nobody reads, items nobody takes.
 *
 * Where diagnostics point: an arrow is underlined from its source name (or
 * `zip`) to its destination name, so "at the edge" (edge-field, cycle,
 * copy-needed) is the arrow's source; a type disagreement is "at the
 * reader": the mapping that reads the field, else the destination name.
 *
 * The scratch state (GraphNode, Arrow) lives in GLib containers freed at
 * the end of each graph; what later phases need is recorded in the AST's
 * sema fields (all_nodes, AstNode.target/start, AstEdgeGroup.nodes).
 */
#include <stdlib.h>
#include <string.h>
#include "program.h"

#define NO_INDEX G_MAXUINT

/* One owned field of a source and how many arrows read it (copy-needed). */
typedef struct {
  Sym field;
  guint readers;
  Sym first_reader;
  gboolean reported;
} FieldReads;

/* What the checker knows about one node beyond its AST. */
typedef struct {
  AstNode *ast;
  const AstParams *in;   /* the target's parameters; NULL when unresolved */
  const AstParams *out;  /* the fields of its items; NULL when unresolved */
  gboolean emits_items;  /* an emits stage, or a stage/flow with outputs */
  guint n_in_arrows;
  guint n_out_arrows;
  GArray *reads;         /* FieldReads, created on the first owned read */
} GraphNode;

/* One arrow: the items of one source (or one zip) into one destination. */
typedef struct {
  const AstEdge *edge;
  guint into;            /* index of the destination group in the chain */
  guint from_name;       /* index in the source group; NO_INDEX for a zip */
  guint dest_name;       /* index in the destination group */
  Loc loc;               /* from the source name to the destination name */
} Arrow;

/* One graph link for the cycle search: a source node to a destination. */
typedef struct {
  guint from;
  guint to;
  guint arrow;
} Link;

typedef struct {
  Program *program;
  AstGraph *graph;
  GHashTable *by_name;   /* Sym -> AstNode * */
  ArenaVec all_nodes;
  GraphNode *nodes;      /* indexed by AstNode.index */
  GArray *arrows;        /* Arrow, in source order */
  GArray *links;         /* Link, in source order */
  gboolean *input_read;  /* per graph input */
  gboolean unresolved;   /* a name did not resolve: no warnings, they would echo it */
} GraphCheck;

/* ------------------------------------------------------------ small helpers */

/* "did you mean" among the names of a parameter list. */
static const char *
suggest_param (const AstParams *params, Sym name)
{
  if (params == NULL || params->n == 0 || name == NULL)
    return NULL;
  const char **names = g_new (const char *, params->n);
  for (guint i = 0; i < params->n; i++)
    names[i] = params->items[i]->name;
  const char *hint = diag_suggest (name, names, params->n);
  g_free (names);
  return hint;
}

/* "; did you mean 'x'?" or "", for the end of a message. */
static char *
hint_suffix (const char *hint)
{
  return hint ? g_strdup_printf ("; did you mean '%s'?", hint) : g_strdup ("");
}

/* What a declaration kind is called in messages. */
static const char *
decl_kind_name (DeclKind kind)
{
  switch (kind)
    {
    case DECL_TYPE: return "a type";
    case DECL_STAGE: return "a stage";
    case DECL_TABLE: return "a table";
    case DECL_FLOW: return "a flow";
    case DECL_GRAPH: return "a graph";
    }
  return "a declaration";
}

/* A span from `from` to the end of `to` when both are on one line. */
static Loc
span_loc (Loc from, Loc to)
{
  Loc loc = from;
  if (to.line == from.line && to.col + to.len > from.col + from.len)
    loc.len = to.col + to.len - from.col;
  return loc;
}

/* The inputs and outputs of a node's target, when it can run as a node. */
static void
target_signature (AstDecl *target, const AstParams **in, const AstParams **out,
                  gboolean *emits_items)
{
  if (target != NULL && target->kind == DECL_STAGE)
    {
      AstStage *stage = (AstStage *) target;
      *in = &stage->in;
      *out = &stage->out;
      *emits_items = stage->emits || stage->out.n > 0;
    }
  else if (target != NULL && target->kind == DECL_FLOW)
    {
      AstFlow *flow = (AstFlow *) target;
      *in = &flow->in;
      *out = &flow->out;
      *emits_items = flow->out.n > 0;
    }
}

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
      char *hint = hint_suffix (program_suggest_decl (program, node->stage, mask));
      diag_report (program->diags, DIAG_UNKNOWN_CALLEE, node->stage_loc,
                   "unknown stage or flow '%s'%s", node->stage, hint);
      g_free (hint);
      return NULL;
    }
  if (decl->kind != DECL_STAGE && decl->kind != DECL_FLOW)
    {
      Diag *d = diag_report (program->diags, DIAG_NOT_CALLABLE, node->stage_loc,
                             "'%s' is %s; a node runs a stage or a flow",
                             node->stage, decl_kind_name (decl->kind));
      diag_note (d, decl->loc, "'%s' declared here", decl->name);
      return NULL;
    }
  return decl;
}

/* Adds a node to the graph's node list and name table. */
static void
add_node (GraphCheck *gc, AstNode *node)
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
      add_node (gc, node);
    }
}

/* ------------------------------------------------------------ 2. edges */

/* "did you mean" for an edge name: a node of this graph, else a stage. */
static const char *
suggest_node (GraphCheck *gc, Sym name)
{
  const char **names = g_new (const char *, gc->all_nodes.n + 1);
  for (guint i = 0; i < gc->all_nodes.n; i++)
    names[i] = ((AstNode *) gc->all_nodes.items[i])->name;
  const char *hint = diag_suggest (name, names, gc->all_nodes.n);
  g_free (names);
  if (hint == NULL)
    hint = program_suggest_decl (gc->program, name,
                                 (1u << DECL_STAGE) | (1u << DECL_FLOW));
  return hint;
}

/* An implicit node: a stage or flow named directly in an edge. */
static AstNode *
make_implicit_node (GraphCheck *gc, Sym name, Loc loc, AstDecl *target)
{
  AstNode *node = arena_new0 (gc->program->arena, AstNode);
  node->name = name;
  node->loc = loc;
  node->stage = name;
  node->stage_loc = loc;
  node->implicit = TRUE;
  node->target = target;
  add_node (gc, node);
  return node;
}

/* The node an edge name denotes: a node, or an implicit node of a stage or
 * flow; reports unknown-node otherwise. */
static AstNode *
resolve_edge_name (GraphCheck *gc, Sym name, Loc loc)
{
  AstNode *node = g_hash_table_lookup (gc->by_name, name);
  if (node != NULL)
    return node;
  AstDecl *decl = program_lookup (gc->program, name);
  if (decl != NULL && (decl->kind == DECL_STAGE || decl->kind == DECL_FLOW))
    return make_implicit_node (gc, name, loc, decl);
  gc->unresolved = TRUE;
  if (decl != NULL)
    {
      Diag *d = diag_report (gc->program->diags, DIAG_UNKNOWN_NODE, loc,
                             "'%s' is %s, not a node, stage or flow",
                             name, decl_kind_name (decl->kind));
      diag_note (d, decl->loc, "'%s' declared here", name);
      return NULL;
    }
  char *hint = hint_suffix (suggest_node (gc, name));
  diag_report (gc->program->diags, DIAG_UNKNOWN_NODE, loc,
               "unknown node '%s' in graph '%s'%s", name, gc->graph->decl.name, hint);
  g_free (hint);
  return NULL;
}

/* Every name of every edge group resolved; zip only at the start. */
static void
resolve_edges (GraphCheck *gc)
{
  Arena *arena = gc->program->arena;
  for (guint e = 0; e < gc->graph->n_edges; e++)
    {
      AstEdge *edge = gc->graph->edges[e];
      for (guint g = 0; g < edge->n_groups; g++)
        {
          AstEdgeGroup *group = edge->groups[g];
          group->nodes = arena_newv (arena, AstNode *, group->n ? group->n : 1);
          for (guint k = 0; k < group->n; k++)
            if (group->names[k] != NULL)
              group->nodes[k] = resolve_edge_name (gc, group->names[k],
                                                   group->name_locs[k]);
          if (group->zip && g > 0)
            diag_report (gc->program->diags, DIAG_ZIP_CONFLICT, group->loc,
                         "zip may only start an edge");
        }
    }
}

/* ------------------------------------------------------------ 3. arrows */

/* Scratch state for every node, once all nodes are known. */
static void
init_graph_nodes (GraphCheck *gc)
{
  gc->nodes = g_new0 (GraphNode, gc->all_nodes.n);
  for (guint i = 0; i < gc->all_nodes.n; i++)
    {
      GraphNode *gn = &gc->nodes[i];
      gn->ast = gc->all_nodes.items[i];
      target_signature (gn->ast->target, &gn->in, &gn->out, &gn->emits_items);
    }
}

/* The node behind name k of a group, or NULL. */
static GraphNode *
group_node (GraphCheck *gc, const AstEdgeGroup *group, guint k)
{
  AstNode *node = group->nodes ? group->nodes[k] : NULL;
  return node ? &gc->nodes[node->index] : NULL;
}

/* The names of the source group an arrow takes items from: all of a zip,
 * else just its own (so that a wide fan-in stays linear). */
static void
arrow_sources (const AstEdgeGroup *from, guint from_name, guint *first, guint *end)
{
  *first = from_name == NO_INDEX ? 0 : from_name;
  *end = from_name == NO_INDEX ? from->n : from_name + 1;
}

/* Records one arrow and the links it adds between nodes. */
static void
add_arrow (GraphCheck *gc, const AstEdge *edge, guint into, guint from_name,
           guint dest_name)
{
  const AstEdgeGroup *from = edge->groups[into - 1];
  const AstEdgeGroup *dest = edge->groups[into];
  GraphNode *dest_node = group_node (gc, dest, dest_name);
  Loc from_loc = from_name == NO_INDEX ? from->loc : from->name_locs[from_name];
  Arrow arrow = { edge, into, from_name, dest_name,
                  span_loc (from_loc, dest->name_locs[dest_name]) };
  guint index = gc->arrows->len;
  g_array_append_val (gc->arrows, arrow);
  if (dest_node != NULL)
    dest_node->n_in_arrows++;
  guint first, end;
  arrow_sources (from, from_name, &first, &end);
  for (guint k = first; k < end; k++)
    {
      GraphNode *src = group_node (gc, from, k);
      if (src == NULL)
        continue;
      src->n_out_arrows++;
      Link link = { src->ast->index, dest_node ? dest_node->ast->index : 0, index };
      if (dest_node != NULL)
        g_array_append_val (gc->links, link);
    }
}

/* Every edge statement split into arrows, in source order. */
static void
build_arrows (GraphCheck *gc)
{
  for (guint e = 0; e < gc->graph->n_edges; e++)
    {
      const AstEdge *edge = gc->graph->edges[e];
      for (guint into = 1; into < edge->n_groups; into++)
        {
          const AstEdgeGroup *from = edge->groups[into - 1];
          guint n_from = from->zip ? 1 : from->n;
          for (guint f = 0; f < n_from; f++)
            for (guint d = 0; d < edge->groups[into]->n; d++)
              add_arrow (gc, edge, into, from->zip ? NO_INDEX : f, d);
        }
    }
  for (guint i = 0; i < gc->all_nodes.n; i++)
    gc->nodes[i].ast->start = gc->nodes[i].n_in_arrows == 0;
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
static void
report_disagreement (Program *program, Loc at, const AstTypeRef *produced,
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
  report_disagreement (gc->program, at, &input->type, &param->type, what_in, what_param,
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
      char *hint = hint_suffix (suggest_param (&gc->graph->in, b->key));
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
      char *hint = hint_suffix (suggest_param (gn->in, b->param));
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

/* A node, once start nodes are known. */
static void
check_node (GraphCheck *gc, const GraphNode *gn)
{
  check_schedule (gc, gn->ast);
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

/* ------------------------------------------------------------ 6. items */

/* A readable name for an arrow's source: 'a' or zip(a, b). */
static char *
source_name (GraphCheck *gc, const Arrow *arrow)
{
  const AstEdgeGroup *from = arrow->edge->groups[arrow->into - 1];
  if (arrow->from_name != NO_INDEX)
    return g_strdup_printf ("'%s'", from->names[arrow->from_name]);
  GString *s = g_string_new ("zip(");
  for (guint k = 0; k < from->n; k++)
    g_string_append_printf (s, "%s%s", k ? ", " : "", from->names[k]);
  g_string_append (s, ")");
  return g_string_free (s, FALSE);
}

/* Are all the sources and the destination of an arrow resolved? */
static gboolean
arrow_resolved (GraphCheck *gc, const Arrow *arrow)
{
  const AstEdgeGroup *from = arrow->edge->groups[arrow->into - 1];
  GraphNode *dest = group_node (gc, arrow->edge->groups[arrow->into], arrow->dest_name);
  if (dest == NULL || dest->in == NULL)
    return FALSE;
  guint first, end;
  arrow_sources (from, arrow->from_name, &first, &end);
  for (guint k = first; k < end; k++)
    {
      GraphNode *src = group_node (gc, from, k);
      if (src == NULL || src->out == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The field of that name in an arrow's items and the node producing it. */
static const AstParam *
arrow_field (GraphCheck *gc, const Arrow *arrow, Sym name, GraphNode **origin)
{
  const AstEdgeGroup *from = arrow->edge->groups[arrow->into - 1];
  guint first, end;
  arrow_sources (from, arrow->from_name, &first, &end);
  for (guint k = first; k < end; k++)
    {
      GraphNode *src = group_node (gc, from, k);
      const AstParam *field = src ? ast_param_named (src->out, name) : NULL;
      if (field != NULL)
        {
          *origin = src;
          return field;
        }
    }
  return NULL;
}

/* The edge mapping for parameter `param`, when the arrow is into the last
 * group of its chain, or NULL. */
static const AstBinding *
arrow_mapping (const Arrow *arrow, Sym param)
{
  if (arrow->into != arrow->edge->n_groups - 1)
    return NULL;
  for (guint i = 0; i < arrow->edge->n_mappings; i++)
    if (arrow->edge->mappings[i]->param == param)
      return arrow->edge->mappings[i];
  return NULL;
}

/* The fields an arrow's items carry, for a note: "'a', 'b'" or "no fields". */
static char *
describe_fields (GraphCheck *gc, const Arrow *arrow)
{
  const AstEdgeGroup *from = arrow->edge->groups[arrow->into - 1];
  GString *s = g_string_new (NULL);
  guint first, end;
  arrow_sources (from, arrow->from_name, &first, &end);
  for (guint k = first; k < end; k++)
    {
      GraphNode *src = group_node (gc, from, k);
      if (src == NULL)
        continue;
      for (guint f = 0; f < src->out->n; f++)
        g_string_append_printf (s, "%s'%s'", s->len ? ", " : "", src->out->items[f]->name);
    }
  if (s->len == 0)
    g_string_append (s, "no fields");
  return g_string_free (s, FALSE);
}

/* A destination parameter no field of the arrow provides. */
static void
report_edge_field (GraphCheck *gc, const Arrow *arrow, const GraphNode *dest,
                   const AstParam *param)
{
  char *source = source_name (gc, arrow);
  char *fields = describe_fields (gc, arrow);
  Diag *d = diag_report (gc->program->diags, DIAG_EDGE_FIELD, arrow->loc,
                         "items from %s do not provide parameter '%s' of node '%s'",
                         source, param->name, dest->ast->name);
  diag_note (d, param->loc, "'%s' declared here; the items carry %s", param->name, fields);
  g_free (source);
  g_free (fields);
}

/* Counts one more reader of an owned field and reports the second one
 * when the type has no copy function. */
static void
count_owned_read (GraphCheck *gc, const Arrow *arrow, GraphNode *origin,
                  const AstParam *field, const GraphNode *dest)
{
  if (types_free_fn (&field->type) == NULL || types_copy_fn (&field->type) != NULL)
    return;
  if (origin->reads == NULL)
    origin->reads = g_array_new (FALSE, TRUE, sizeof (FieldReads));
  FieldReads *r = NULL;
  for (guint i = 0; i < origin->reads->len && r == NULL; i++)
    if (g_array_index (origin->reads, FieldReads, i).field == field->name)
      r = &g_array_index (origin->reads, FieldReads, i);
  if (r == NULL)
    {
      FieldReads fresh = { field->name, 0, dest->ast->name, FALSE };
      g_array_append_val (origin->reads, fresh);
      r = &g_array_index (origin->reads, FieldReads, origin->reads->len - 1);
    }
  if (++r->readers < 2 || r->reported)
    return;
  r->reported = TRUE;
  const AstTypeRef *type = &field->type;
  Diag *d = diag_report (gc->program->diags, DIAG_COPY_NEEDED, arrow->loc,
                         "owned field '%s' of '%s' goes to both '%s' and '%s', but "
                         "type '%s' has no copy function", field->name,
                         origin->ast->name, r->first_reader, dest->ast->name,
                         types_display (type));
  diag_note (d, type->alias ? type->alias->decl.loc : field->loc,
             "'%s' declared here", types_display (type));
}

/* A field read by a parameter: the types agree (reported at `at`). */
static void
check_field_type (GraphCheck *gc, Loc at, const GraphNode *origin, const AstParam *field,
                  const GraphNode *dest, const AstParam *param)
{
  char *what_field = g_strdup_printf ("field '%s' of '%s'", field->name, origin->ast->name);
  char *what_param = g_strdup_printf ("parameter '%s' of node '%s'", param->name,
                                      dest->ast->name);
  char *note = g_strdup_printf ("'%s' is an output of '%s' declared here as '%s'",
                                field->name, origin->ast->stage, types_display (&field->type));
  report_disagreement (gc->program, at, &field->type, &param->type, what_field, what_param,
                       field->loc, note);
  g_free (what_field);
  g_free (what_param);
  g_free (note);
}

/* Fills every unbound parameter of the destination from the arrow's items. */
static void
check_arrow_fields (GraphCheck *gc, const Arrow *arrow)
{
  GraphNode *dest = group_node (gc, arrow->edge->groups[arrow->into], arrow->dest_name);
  for (guint p = 0; p < dest->in->n; p++)
    {
      const AstParam *param = dest->in->items[p];
      if (ast_binding_named (dest->ast->bindings, dest->ast->n_bindings, param->name) != NULL)
        continue;
      const AstBinding *map = arrow_mapping (arrow, param->name);
      if (map != NULL && (map->is_literal || map->key == NULL))
        continue;  /* reported with the mapping */
      GraphNode *origin = NULL;
      const AstParam *field = arrow_field (gc, arrow, map ? map->key : param->name, &origin);
      if (field == NULL)
        {
          if (map == NULL)
            report_edge_field (gc, arrow, dest, param);
          continue;  /* an unknown mapped field is reported with the mapping */
        }
      /* The reader: the mapping that reads the field, else the destination. */
      Loc reader = map ? map->loc
                       : arrow->edge->groups[arrow->into]->name_locs[arrow->dest_name];
      check_field_type (gc, reader, origin, field, dest, param);
      count_owned_read (gc, arrow, origin, field, dest);
    }
}

/* zip: no two sources may carry a field of one name (one pass, so that a
 * wide zip stays linear). */
static void
check_zip_fields (GraphCheck *gc, const AstEdgeGroup *group)
{
  GHashTable *owner = g_hash_table_new (NULL, NULL);  /* field -> member + 1 */
  for (guint j = 0; j < group->n; j++)
    {
      GraphNode *member = group_node (gc, group, j);
      for (guint f = 0; member != NULL && member->out != NULL && f < member->out->n; f++)
        {
          Sym field = member->out->items[f]->name;
          guint i = GPOINTER_TO_UINT (g_hash_table_lookup (owner, field));
          if (i == j + 1)
            continue;  /* one stage naming an output twice: reported already */
          if (i == 0)
            {
              g_hash_table_insert (owner, (gpointer) field, GUINT_TO_POINTER (j + 1));
              continue;
            }
          Diag *d = diag_report (gc->program->diags, DIAG_ZIP_CONFLICT, group->name_locs[j],
                                 "zip sources '%s' and '%s' both have field '%s'",
                                 group->names[i - 1], group->names[j], field);
          diag_note (d, group->name_locs[i - 1], "'%s' zipped here", group->names[i - 1]);
        }
    }
  g_hash_table_destroy (owner);
}

/* A mapping's destination parameter must exist on a destination of the
 * last group (a fan-out may map a parameter only some destinations take). */
static void
check_mapping_param (GraphCheck *gc, const AstEdge *edge, const AstBinding *map)
{
  const AstEdgeGroup *last = edge->groups[edge->n_groups - 1];
  GraphNode *lacking = NULL;
  for (guint d = 0; d < last->n; d++)
    {
      GraphNode *dest = group_node (gc, last, d);
      if (dest == NULL || dest->in == NULL)
        return;  /* unresolved: reported already */
      if (ast_param_named (dest->in, map->param) != NULL)
        return;
      lacking = lacking ? lacking : dest;
    }
  if (lacking == NULL)
    return;
  char *hint = hint_suffix (suggest_param (lacking->in, map->param));
  if (last->n == 1)
    diag_report (gc->program->diags, DIAG_UNKNOWN_FIELD, map->loc,
                 "node '%s' has no parameter '%s'%s", lacking->ast->name, map->param, hint);
  else
    diag_report (gc->program->diags, DIAG_UNKNOWN_FIELD, map->loc,
                 "no destination of this edge has a parameter '%s'", map->param);
  g_free (hint);
}

/* Reports a mapping field the items from `source` lack. */
static void
report_mapping_field (GraphCheck *gc, const AstBinding *map, const char *source,
                      const AstParams *fields)
{
  char *hint = hint_suffix (suggest_param (fields, map->key));
  diag_report (gc->program->diags, DIAG_UNKNOWN_FIELD, map->key_loc,
               "items from %s have no field '%s'%s", source, map->key, hint);
  g_free (hint);
}

/* A mapping's source field must exist in the items of every source; for a
 * zip, in one of its members. */
static void
check_mapping_field (GraphCheck *gc, const AstEdge *edge, const AstBinding *map)
{
  const AstEdgeGroup *from = edge->groups[edge->n_groups - 2];
  gboolean found = FALSE;
  for (guint k = 0; k < from->n; k++)
    {
      GraphNode *src = group_node (gc, from, k);
      if (src == NULL || src->out == NULL)
        return;  /* unresolved: reported already */
      found = found || ast_param_named (src->out, map->key) != NULL;
      if (from->zip || ast_param_named (src->out, map->key) != NULL)
        continue;
      char *source = g_strdup_printf ("'%s'", src->ast->name);
      report_mapping_field (gc, map, source, src->out);
      g_free (source);
    }
  if (from->zip && !found)
    {
      Arrow zip = { edge, edge->n_groups - 1, NO_INDEX, 0, map->key_loc };
      char *source = source_name (gc, &zip);
      report_mapping_field (gc, map, source, NULL);
      g_free (source);
    }
}

/* One mapping `x = y`: a field, a parameter, written once. */
static void
check_mapping (GraphCheck *gc, const AstEdge *edge, guint i)
{
  const AstBinding *map = edge->mappings[i];
  for (guint j = 0; j < i; j++)
    if (edge->mappings[j]->param == map->param)
      {
        Diag *d = diag_report (gc->program->diags, DIAG_DUPLICATE_BINDING, map->loc,
                               "parameter '%s' mapped twice", map->param);
        diag_note (d, edge->mappings[j]->loc, "first mapped here");
        return;
      }
  check_mapping_param (gc, edge, map);
  if (map->is_literal || map->key == NULL)
    diag_report (gc->program->diags, DIAG_UNKNOWN_FIELD, map->is_literal ? map->lit.loc : map->loc,
                 "an edge mapping names a field of the items; bind constants on the node");
  else
    check_mapping_field (gc, edge, map);
}

/* Mappings and zips of every edge statement, then every arrow's fields. */
static void
check_items (GraphCheck *gc)
{
  for (guint e = 0; e < gc->graph->n_edges; e++)
    {
      const AstEdge *edge = gc->graph->edges[e];
      if (edge->n_groups < 2)
        continue;
      for (guint g = 0; g < edge->n_groups; g++)
        if (edge->groups[g]->zip)
          check_zip_fields (gc, edge->groups[g]);
      for (guint i = 0; i < edge->n_mappings; i++)
        check_mapping (gc, edge, i);
    }
  for (guint a = 0; a < gc->arrows->len; a++)
    {
      const Arrow *arrow = &g_array_index (gc->arrows, Arrow, a);
      if (arrow_resolved (gc, arrow))
        check_arrow_fields (gc, arrow);
    }
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
  GraphCheck gc = { program, graph, g_hash_table_new (NULL, NULL), { NULL, 0, 0 },
                    NULL, g_array_new (FALSE, FALSE, sizeof (Arrow)),
                    g_array_new (FALSE, FALSE, sizeof (Link)),
                    g_new0 (gboolean, graph->in.n + 1), FALSE };
  collect_explicit_nodes (&gc);
  resolve_edges (&gc);
  graph->all_nodes = (AstNode **) gc.all_nodes.items;
  graph->n_all_nodes = gc.all_nodes.n;
  init_graph_nodes (&gc);
  build_arrows (&gc);
  check_cycles (&gc);
  check_nodes (&gc);
  check_items (&gc);
  check_unused (&gc);
  free_graph_check (&gc);
}

void
check_graphs (Program *program)
{
  for (guint i = 0; i < program->file->n_graphs; i++)
    check_graph (program, program->file->graphs[i]);
}
