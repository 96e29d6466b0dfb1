/* check-edges.c — graph edges: arrows, fields, mappings, zip, copies, type
 * agreement (model: check-graph.h).
 *
 * Passes 2, 3 and 6 of the model: every edge name resolved to a node, each
 * edge statement split into arrows, and the items each arrow carries
 * matched against its destination's parameters.
 */
#include <string.h>

#include "check-graph.h"

/* ------------------------------------------------------------ small helpers */

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
  graphchk_add_node (gc, node);
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
                             name, ast_decl_kind_phrase (decl->kind));
      diag_note (d, decl->loc, "'%s' declared here", name);
      return NULL;
    }
  char *hint = diag_hint (suggest_node (gc, name));
  diag_report (gc->program->diags, DIAG_UNKNOWN_NODE, loc,
               "unknown node '%s' in graph '%s'%s", name, gc->graph->decl.name, hint);
  g_free (hint);
  return NULL;
}

/* Every name of every edge group resolved; zip only at the start. */
void
graphchk_resolve_edges (GraphCheck *gc)
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
void
graphchk_init_graph_nodes (GraphCheck *gc)
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
      if (!edge->dead_letters)   /* dead letters are not its items */
        src->n_out_arrows++;
      Link link = { src->ast->index, dest_node ? dest_node->ast->index : 0, index };
      if (dest_node != NULL)
        g_array_append_val (gc->links, link);
    }
}

/* Every edge statement split into arrows, in source order. */
void
graphchk_build_arrows (GraphCheck *gc)
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

/* ------------------------------------------------------------ 6. items */

/* The fields a dead letter of `src` carries besides `message`: the node's
 * inputs that its items fill (not those bound on the node; an input named
 * `message` is shadowed by the error's). */
static const AstParams *
failed_fields (GraphCheck *gc, GraphNode *src)
{
  if (src->failed != NULL || src->in == NULL)
    return src->failed;
  src->failed = arena_new0 (gc->program->arena, AstParams);
  src->failed->items = arena_newv (gc->program->arena, AstParam *, MAX (src->in->n, 1u));
  src->failed->loc = src->in->loc;
  for (guint p = 0; p < src->in->n; p++)
    if (ast_binding_named (src->ast->bindings, src->ast->n_bindings, src->in->items[p]->name) == NULL
        && strcmp (src->in->items[p]->name, "message") != 0)
      src->failed->items[src->failed->n++] = src->in->items[p];
  return src->failed;
}

/* The fields of the items an arrow takes from `src`. */
static const AstParams *
src_fields (GraphCheck *gc, const Arrow *arrow, GraphNode *src)
{
  return arrow->edge->dead_letters ? failed_fields (gc, src) : src->out;
}

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
      if (src == NULL || src_fields (gc, arrow, src) == NULL)
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
      const AstParam *field = src ? ast_param_named (src_fields (gc, arrow, src), name) : NULL;
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
      const AstParams *fields = src_fields (gc, arrow, src);
      for (guint f = 0; f < fields->n; f++)
        g_string_append_printf (s, "%s'%s'", s->len ? ", " : "", fields->items[f]->name);
    }
  if (arrow->edge->dead_letters)
    g_string_append_printf (s, "%s'message'", s->len ? ", " : "");
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
                         "%s from %s do not provide parameter '%s' of node '%s'",
                         arrow->edge->dead_letters ? "dead letters" : "items",
                         source, param->name, dest->ast->name);
  diag_note (d, param->loc, "'%s' declared here; the items carry %s", param->name, fields);
  g_free (source);
  g_free (fields);
}

/* A remote node's parameter crosses processes as a stream-entry field. */
static void
check_remote_type (GraphCheck *gc, const Arrow *arrow, const GraphNode *dest,
                   const AstParam *param)
{
  if (types_crosses_processes (&param->type))
    return;
  char *source = source_name (gc, arrow);
  Diag *d = diag_report (gc->program->diags, DIAG_REMOTE_TYPE, arrow->loc,
                         "items from %s cannot cross to remote node '%s': its parameter '%s' "
                         "is of type '%s'", source, dest->ast->name, param->name,
                         types_display (&param->type));
  Loc at = param->type.alias ? param->type.alias->decl.loc : param->type.loc;
  diag_note (d, at, "'%s' declared here; numbers, booleans, durations and strings owned "
             "with free = g_free cross processes", types_display (&param->type));
  g_free (source);
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
  graphchk_report_disagreement (gc->program, at, &field->type, &param->type, what_field, what_param,
                                field->loc, note);
  g_free (what_field);
  g_free (what_param);
  g_free (note);
}

/* `message` of a dead letter: the runtime hands over the error message,
 * which the item must own, so the parameter's type is a string type with
 * `copy` (to make its own copy) and `free`. */
static void
check_dead_message (GraphCheck *gc, const Arrow *arrow, const GraphNode *dest,
                    const AstParam *param)
{
  const AstTypeRef *type = &param->type;
  if (types_classify (types_ctype (type)).is_char_ptr && types_copy_fn (type) != NULL
      && types_free_fn (type) != NULL)
    return;
  Diag *d = diag_report (gc->program->diags, DIAG_DEAD_LETTER, arrow->loc,
                         "parameter '%s' of node '%s' takes the dead letters' message but has "
                         "type '%s'; the item owns the message: a char * type with 'free' and 'copy'",
                         param->name, dest->ast->name, types_display (type));
  diag_note (d, param->loc, "'%s' declared here; e.g. type Text = char * { free = g_free; "
             "copy = g_strdup; };", param->name);
}

/* The runtime edges of an arrow (one per source of a zip), recorded for
 * the generator with the fields each moves (AstGraph.graph_edges); they
 * start with no field.  Returns the first. */
static AstGraphEdge *
record_runtime_edges (GraphCheck *gc, const Arrow *arrow, const GraphNode *dest, guint *n_edges)
{
  const AstEdgeGroup *from = arrow->edge->groups[arrow->into - 1];
  guint first, end;
  arrow_sources (from, arrow->from_name, &first, &end);
  guint at = gc->graph_edges->len;
  *n_edges = end - first;
  g_array_set_size (gc->graph_edges, at + end - first);
  for (guint k = first; k < end; k++)
    {
      AstGraphEdge *e = &g_array_index (gc->graph_edges, AstGraphEdge, at + k - first);
      e->from = from->nodes[k];
      e->to = dest->ast;
      e->dead = arrow->edge->dead_letters;
      e->zip = from->zip ? k + 1 : 0;
      e->assigns = arena_newv (gc->program->arena, AstEdgeAssign, MAX (dest->in->n, 1u));
    }
  return &g_array_index (gc->graph_edges, AstGraphEdge, at);
}

/* `param` is filled from `field` of the items of `origin`, one of the
 * arrow's sources (NULL field: a dead letter's message). */
static void
record_assign (AstGraphEdge *edges, guint n_edges, const AstNode *origin, const AstParam *param,
               const AstParam *field)
{
  guint k = 0;
  while (k < n_edges && edges[k].from != origin)
    k++;
  g_assert (k < n_edges);
  edges[k].assigns[edges[k].n_assigns++] = (AstEdgeAssign) { param, field };
}

/* Fills every unbound parameter of the destination from the arrow's items. */
static void
check_arrow_fields (GraphCheck *gc, const Arrow *arrow)
{
  GraphNode *dest = group_node (gc, arrow->edge->groups[arrow->into], arrow->dest_name);
  if (dest == NULL || dest->in == NULL)
    return;   /* unresolved: reported already */
  guint n_edges;
  AstGraphEdge *edges = record_runtime_edges (gc, arrow, dest, &n_edges);
  for (guint p = 0; p < dest->in->n; p++)
    {
      const AstParam *param = dest->in->items[p];
      if (ast_binding_named (dest->ast->bindings, dest->ast->n_bindings, param->name) != NULL)
        continue;
      const AstBinding *map = arrow_mapping (arrow, param->name);
      if (map != NULL && (map->is_literal || map->key == NULL))
        continue;  /* reported with the mapping */
      if (arrow->edge->dead_letters && strcmp (map ? map->key : param->name, "message") == 0)
        {
          check_dead_message (gc, arrow, dest, param);
          record_assign (edges, n_edges, edges->from, param, NULL);
          continue;
        }
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
      if (dest->ast->remote && !arrow->edge->dead_letters)
        check_remote_type (gc, arrow, dest, param);
      record_assign (edges, n_edges, origin->ast, param, field);
      if (!arrow->edge->dead_letters)   /* a failed item has no other reader */
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
  char *hint = diag_hint (program_suggest_param (lacking->in, map->param));
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
  char *hint = diag_hint (program_suggest_param (fields, map->key));
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
      Arrow one = { edge, edge->n_groups - 1, k, 0, map->key_loc };
      const AstParams *fields = src ? src_fields (gc, &one, src) : NULL;
      if (fields == NULL)
        return;  /* unresolved: reported already */
      found = found || ast_param_named (fields, map->key) != NULL;
      if (from->zip || ast_param_named (fields, map->key) != NULL)
        continue;
      if (edge->dead_letters && strcmp (map->key, "message") == 0)
        continue;   /* a mapping may rename the message too */
      char *source = g_strdup_printf ("'%s'", src->ast->name);
      report_mapping_field (gc, map, source, fields);
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

/* ------------------------------------------------------ dead letters */

/* What a dead-letter edge `a !-> b` needs beyond an edge's checks: `a`
 * has input items (not a start node), skips its failures, and sends its
 * dead letters to one node; `b` takes plain items (no zip). */
static void
check_dead_edge (GraphCheck *gc, const AstEdge *edge, GHashTable *senders)
{
  Diags *diags = gc->program->diags;
  GraphNode *src = group_node (gc, edge->groups[0], 0);
  GraphNode *dest = group_node (gc, edge->groups[1], 0);
  Loc loc = span_loc (edge->groups[0]->name_locs[0], edge->groups[1]->name_locs[0]);
  if (src == NULL || dest == NULL)
    return;   /* unknown: reported already */
  const AstEdge *first = g_hash_table_lookup (senders, src->ast);
  if (first != NULL)
    {
      Diag *d = diag_report (diags, DIAG_DEAD_LETTER, loc,
                             "node '%s' already sends its dead letters to '%s'", src->ast->name,
                             first->groups[1]->names[0]);
      diag_note (d, first->bang_loc, "first dead-letter edge here");
      return;
    }
  g_hash_table_insert (senders, src->ast, (gpointer) edge);
  if (src->ast->start)
    diag_report (diags, DIAG_DEAD_LETTER, loc,
                 "'%s' is a start node: it has no input items to send as dead letters",
                 src->ast->name);
  else if (graphchk_halts_at_first_failure (gc, src->ast))
    {
      Diag *d = diag_report (diags, DIAG_DEAD_LETTER, loc,
                             "a failure of node '%s' halts the graph, so it has no dead letters",
                             src->ast->name);
      diag_note (d, src->ast->loc, "write 'on error skip' on '%s' to send its failed items to '%s'",
                 src->ast->name, dest->ast->name);
    }
  for (guint e = 0; e < gc->graph->n_edges; e++)
    if (gc->graph->edges[e]->groups[0]->zip)
      for (guint d = 0; d < gc->graph->edges[e]->groups[1]->n; d++)
        if (gc->graph->edges[e]->groups[1]->nodes[d] == dest->ast)
          diag_report (diags, DIAG_DEAD_LETTER, loc,
                       "node '%s' takes a zip; dead letters need a node with plain inputs",
                       dest->ast->name);
}

void
graphchk_check_dead_letters (GraphCheck *gc)
{
  GHashTable *senders = g_hash_table_new (NULL, NULL);   /* AstNode * -> first AstEdge * */
  for (guint e = 0; e < gc->graph->n_edges; e++)
    if (gc->graph->edges[e]->dead_letters)
      check_dead_edge (gc, gc->graph->edges[e], senders);
  g_hash_table_destroy (senders);
}

/* Mappings and zips of every edge statement, then every arrow's fields. */
void
graphchk_check_items (GraphCheck *gc)
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
  gc->graph_edges = g_array_new (FALSE, TRUE, sizeof (AstGraphEdge));
  gboolean all_resolved = TRUE;
  for (guint a = 0; a < gc->arrows->len; a++)
    {
      const Arrow *arrow = &g_array_index (gc->arrows, Arrow, a);
      if (arrow_resolved (gc, arrow))
        check_arrow_fields (gc, arrow);
      else
        all_resolved = FALSE;
    }
  if (all_resolved)
    {
      AstGraph *graph = gc->graph;
      graph->n_graph_edges = gc->graph_edges->len;
      graph->graph_edges = arena_newv (gc->program->arena, AstGraphEdge, MAX (graph->n_graph_edges, 1u));
      if (graph->n_graph_edges > 0)
        memcpy (graph->graph_edges, gc->graph_edges->data, sizeof (AstGraphEdge) * graph->n_graph_edges);
    }
  g_clear_pointer (&gc->graph_edges, g_array_unref);
}
