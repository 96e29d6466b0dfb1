/* draw.c — the structure of flows and graphs as Graphviz or Mermaid.
 *
 * Drawing happens in two steps so that the two output formats share all
 * the knowledge of the language:
 *
 *   1. each flow and each graph becomes a Picture: a titled cluster of
 *      vertices (boxes, terminals, decisions, join points, zip points) and
 *      labelled links, built by walking the AST in source order;
 *   2. a Renderer writes the Picture in one format.
 *
 * A flow is drawn as a control-flow chart from an "in" terminal to an
 * "out" terminal: calls are boxes, `par` forks into side-by-side branches
 * and joins, `if` and dynamic picks are decisions with labelled branches
 * that join again, a static pick is followed by its arm.  A graph is drawn
 * as its nodes (with their options) and edges (with their mappings); a zip
 * is a point where its sources meet.
 *
 * Identifiers are generated (`c3_7`: cluster 3, vertex 7), never taken
 * from the source, so no name can clash with a keyword of either format;
 * every label is quoted and escaped for its format.
 */
#include <string.h>
#include "program.h"

typedef enum {
  SHAPE_BOX,
  SHAPE_TERMINAL,
  SHAPE_DECISION,
  SHAPE_JOIN,
  SHAPE_ZIP,
} Shape;

typedef struct {
  Shape shape;
  char *label;
  char *detail;          /* a second line, or NULL */
} Vertex;

typedef struct {
  guint from;
  guint to;
  char *label;           /* NULL: none */
  gboolean dashed;       /* not control or items in this process: a graph's
                            inputs, or items through a remote node's stream */
} PicLink;

typedef struct {
  guint number;          /* the cluster's position in the file */
  char *title;
  GArray *vertices;      /* Vertex */
  GArray *links;         /* PicLink */
} Picture;

/* ------------------------------------------------------------ pictures */

static Picture *
picture_new (guint number, char *title)
{
  Picture *pic = g_new0 (Picture, 1);
  pic->number = number;
  pic->title = title;
  pic->vertices = g_array_new (FALSE, FALSE, sizeof (Vertex));
  pic->links = g_array_new (FALSE, FALSE, sizeof (PicLink));
  return pic;
}

static void
picture_free (Picture *pic)
{
  for (guint i = 0; i < pic->vertices->len; i++)
    {
      g_free (g_array_index (pic->vertices, Vertex, i).label);
      g_free (g_array_index (pic->vertices, Vertex, i).detail);
    }
  for (guint i = 0; i < pic->links->len; i++)
    g_free (g_array_index (pic->links, PicLink, i).label);
  g_array_free (pic->vertices, TRUE);
  g_array_free (pic->links, TRUE);
  g_free (pic->title);
  g_free (pic);
}

/* Adds a vertex; takes ownership of `label` and `detail`. */
static guint
add_vertex (Picture *pic, Shape shape, char *label, char *detail)
{
  Vertex v = { shape, label, detail };
  g_array_append_val (pic->vertices, v);
  return pic->vertices->len - 1;
}

static void
add_link (Picture *pic, guint from, guint to, const char *label)
{
  PicLink link = { from, to, g_strdup (label), FALSE };
  g_array_append_val (pic->links, link);
}

/* ------------------------------------------------------------ label text */

/* A duration in the largest unit that writes it exactly. */
static void
append_duration (GString *s, gint64 us)
{
  static const struct { gint64 us; const char *unit; } units[] = {
    { G_GINT64_CONSTANT (3600000000), "h" }, { 60000000, "m" },
    { 1000000, "s" }, { 1000, "ms" }, { 1, "us" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (us % units[i].us == 0 || units[i].us == 1)
      {
        g_string_append_printf (s, "%" G_GINT64_FORMAT "%s", us / units[i].us, units[i].unit);
        return;
      }
}

/* A literal as written in the source. */
static void
append_literal (GString *s, const AstLiteral *lit)
{
  if (lit->text != NULL)
    g_string_append (s, lit->text);
  else if (lit->kind == LIT_BOOL)
    g_string_append (s, lit->b ? "true" : "false");
  else if (lit->kind == LIT_DURATION)
    append_duration (s, lit->duration_us);
  else if (lit->kind == LIT_INT)
    g_string_append_printf (s, "%s%" G_GUINT64_FORMAT, lit->negative ? "-" : "", lit->magnitude);
  else if (lit->kind == LIT_FLOAT)
    g_string_append_printf (s, "%g", lit->f);
  else
    g_string_append_printf (s, "\"%s\"", lit->str ? lit->str : "");
}

/* ` (a = 1, b = c)` for bindings or mappings; nothing when there are none. */
static void
append_bindings (GString *s, AstBinding *const *bindings, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      const AstBinding *b = bindings[i];
      g_string_append_printf (s, "%s%s = ", i ? ", " : "(", b->param);
      if (b->is_literal)
        append_literal (s, &b->lit);
      else
        g_string_append (s, b->key ? b->key : "?");
    }
  if (n > 0)
    g_string_append (s, ")");
}

/* Appends ", " unless the string is empty. */
static void
append_separator (GString *s)
{
  if (s->len > 0)
    g_string_append (s, ", ");
}

/* `retry N backoff A..B`. */
static void
append_retry (GString *s, const AstRetry *retry)
{
  g_string_append_printf (s, "retry %" G_GINT64_FORMAT, retry->count);
  if (!retry->has_backoff)
    return;
  g_string_append (s, " backoff ");
  append_duration (s, retry->backoff_min_us);
  if (retry->backoff_max_us != retry->backoff_min_us)
    {
      g_string_append (s, "..");
      append_duration (s, retry->backoff_max_us);
    }
}

/* timeout, limit and retry of a call, stage or node. */
static void
append_call_opts (GString *s, const AstCallOpts *opts)
{
  if (opts->has_timeout)
    {
      append_separator (s);
      g_string_append (s, "timeout ");
      append_duration (s, opts->timeout_us);
    }
  if (opts->has_limit)
    {
      append_separator (s);
      g_string_append_printf (s, "limit %" G_GINT64_FORMAT, opts->limit);
    }
  if (opts->retry.set)
    {
      append_separator (s);
      append_retry (s, &opts->retry);
    }
}

/* `on error ...` when written. */
static void
append_on_error (GString *s, const AstOnError *on_error)
{
  static const char *const names[] = { NULL, "fail", "halt", "skip", NULL };
  if (on_error->kind == ON_ERROR_DEFAULT)
    return;
  append_separator (s);
  g_string_append (s, "on error ");
  if (on_error->kind == ON_ERROR_RETRY)
    append_retry (s, &on_error->retry);
  else
    g_string_append (s, names[on_error->kind]);
}

/* The string, or NULL when empty (a vertex without a second line). */
static char *
string_or_null (GString *s)
{
  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}

/* `in: a, b` / `out: x` for a flow's terminals. */
static char *
params_label (const char *what, const AstParams *params)
{
  GString *s = g_string_new (what);
  for (guint i = 0; i < params->n; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : ": ", params->items[i]->name);
  return g_string_free (s, FALSE);
}

/* ------------------------------------------------------------ flows */

typedef struct {
  Program *program;
  Picture *pic;
  /* Inside a table arm, picks are not expanded again: arms that pick from
   * tables whose arms pick from tables would multiply (or never end). */
  gboolean in_arm;
} FlowDraw;

static guint draw_stmt (FlowDraw *fd, guint from, const char *label, const AstStmt *stmt);

/* The call as written: `name[key](bindings) => (renames)`. */
static char *
call_label (const AstCall *call)
{
  GString *s = g_string_new (call->callee);
  if (call->pick == PICK_VALUE)
    g_string_append_printf (s, "[%s]", call->pick_key);
  else if (call->pick != PICK_NONE)
    {
      g_string_append (s, "[");
      append_literal (s, call->pick_lit);
      g_string_append (s, "]");
    }
  append_bindings (s, call->bindings, call->n_bindings);
  for (guint i = 0; i < call->n_renames; i++)
    g_string_append_printf (s, "%s%s = %s", i ? ", " : " => (",
                            call->renames[i]->key ? call->renames[i]->key : "_",
                            call->renames[i]->output);
  if (call->n_renames > 0)
    g_string_append (s, ")");
  return g_string_free (s, FALSE);
}

/* A key of a table arm as written. */
static char *
arm_label (const AstTableArm *arm)
{
  if (arm->kind == KEY_DEFAULT)
    return g_strdup ("default");
  GString *s = g_string_new (NULL);
  append_literal (s, &arm->lit);
  return g_string_free (s, FALSE);
}

/* The table whose arms a pick expands to, or NULL: unknown, or the pick
 * is itself inside an arm. */
static AstTable *
pick_table (FlowDraw *fd, const AstCall *call)
{
  AstDecl *decl = program_lookup (fd->program, call->callee);
  if (decl == NULL || decl->kind != DECL_TABLE || fd->in_arm)
    return NULL;
  return (AstTable *) decl;
}

/* The arm a static pick chooses: the checker's choice, else by key. */
static const AstTableArm *
static_arm (const AstTable *table, const AstCall *call)
{
  const AstTableArm *fallback = NULL;
  if (call->arm != NULL)
    return call->arm;
  for (guint i = 0; i < table->n_arms; i++)
    {
      const AstTableArm *arm = table->arms[i];
      if (arm->kind == KEY_DEFAULT)
        fallback = arm;
      else if (arm->kind == KEY_STRING && call->pick == PICK_STRING
               && arm->lit.str_len == call->pick_lit->str_len
               && memcmp (arm->lit.str, call->pick_lit->str, arm->lit.str_len) == 0)
        return arm;
      else if (arm->kind == KEY_INT && call->pick == PICK_INT
               && arm->lit.negative == call->pick_lit->negative
               && arm->lit.magnitude == call->pick_lit->magnitude)
        return arm;
    }
  return fallback;
}

/* A dynamic pick: a decision with one labelled branch per arm. */
static guint
draw_dynamic_pick (FlowDraw *fd, guint decision, AstTable *table)
{
  guint join = add_vertex (fd->pic, SHAPE_JOIN, g_strdup (""), NULL);
  fd->in_arm = TRUE;
  for (guint i = 0; i < table->n_arms; i++)
    {
      char *key = arm_label (table->arms[i]);
      guint exit = draw_stmt (fd, decision, key, table->arms[i]->stmt);
      add_link (fd->pic, exit, join, exit == decision ? key : NULL);
      g_free (key);
    }
  fd->in_arm = FALSE;
  return join;
}

/* A call: a box; a pick also draws the arm (or arms) it leads to. */
static guint
draw_call (FlowDraw *fd, guint from, const char *label, const AstCall *call)
{
  GString *opts = g_string_new (NULL);
  append_call_opts (opts, &call->opts);
  AstTable *table = call->pick != PICK_NONE ? pick_table (fd, call) : NULL;
  Shape shape = table && call->pick == PICK_VALUE ? SHAPE_DECISION : SHAPE_BOX;
  guint v = add_vertex (fd->pic, shape, call_label (call), string_or_null (opts));
  add_link (fd->pic, from, v, label);
  if (table == NULL)
    return v;
  if (call->pick == PICK_VALUE)
    return draw_dynamic_pick (fd, v, table);
  const AstTableArm *arm = static_arm (table, call);
  if (arm == NULL || arm->stmt == NULL)
    return v;
  fd->in_arm = TRUE;
  guint exit = draw_stmt (fd, v, NULL, arm->stmt);
  fd->in_arm = FALSE;
  return exit;
}

/* `par`: a fork point, the branches side by side, a join point. */
static guint
draw_par (FlowDraw *fd, guint from, const char *label, const AstBlock *block)
{
  guint fork = add_vertex (fd->pic, SHAPE_JOIN, g_strdup (""), NULL);
  guint join = add_vertex (fd->pic, SHAPE_JOIN, g_strdup (""), NULL);
  add_link (fd->pic, from, fork, label);
  for (guint i = 0; i < block->n; i++)
    add_link (fd->pic, draw_stmt (fd, fork, NULL, block->items[i]), join, NULL);
  if (block->n == 0)
    add_link (fd->pic, fork, join, NULL);
  return join;
}

/* `if`: a decision, the branches labelled true/false, a join point. */
static guint
draw_if (FlowDraw *fd, guint from, const char *label, const AstIf *if_)
{
  char *cond = g_strdup_printf ("if (%s%s)", if_->negate ? "!" : "", if_->cond);
  guint decision = add_vertex (fd->pic, SHAPE_DECISION, cond, NULL);
  add_link (fd->pic, from, decision, label);
  guint join = add_vertex (fd->pic, SHAPE_JOIN, g_strdup (""), NULL);
  guint then_exit = draw_stmt (fd, decision, "true", if_->then_stmt);
  add_link (fd->pic, then_exit, join, then_exit == decision ? "true" : NULL);
  guint else_exit = if_->else_stmt ? draw_stmt (fd, decision, "false", if_->else_stmt)
                                   : decision;
  add_link (fd->pic, else_exit, join, else_exit == decision ? "false" : NULL);
  return join;
}

/* Draws `stmt` entered from vertex `from` along a link labelled `label`;
 * returns the vertex control leaves it from (`from` for an empty block). */
static guint
draw_stmt (FlowDraw *fd, guint from, const char *label, const AstStmt *stmt)
{
  if (stmt == NULL)
    return from;
  switch (stmt->kind)
    {
    case STMT_CALL:
      return draw_call (fd, from, label, &stmt->u.call);
    case STMT_PAR:
      return draw_par (fd, from, label, &stmt->u.block);
    case STMT_IF:
      return draw_if (fd, from, label, &stmt->u.if_);
    case STMT_BLOCK:
      for (guint i = 0; i < stmt->u.block.n; i++)
        {
          from = draw_stmt (fd, from, label, stmt->u.block.items[i]);
          label = NULL;
        }
      return from;
    }
  return from;
}

/* The cluster title: `flow name` and its options. */
static char *
flow_title (const AstFlow *flow)
{
  static const char *const vis[] = { "none", "initial", "all" };
  GString *opts = g_string_new (NULL);
  if (flow->has_visibility)
    g_string_append_printf (opts, "visibility %s", vis[flow->visibility]);
  if (flow->repeat)
    {
      append_separator (opts);
      g_string_append (opts, "repeat");
    }
  if (flow->has_every)
    {
      append_separator (opts);
      g_string_append (opts, "every ");
      if (flow->every_input != NULL)
        g_string_append (opts, flow->every_input);
      else
        append_duration (opts, flow->every_us);
    }
  append_on_error (opts, &flow->on_error);
  char *title = opts->len ? g_strdup_printf ("flow %s [%s]", flow->decl.name, opts->str)
                          : g_strdup_printf ("flow %s", flow->decl.name);
  g_string_free (opts, TRUE);
  return title;
}

static Picture *
flow_picture (Program *program, const AstFlow *flow, guint number)
{
  FlowDraw fd = { program, picture_new (number, flow_title (flow)), FALSE };
  guint start = add_vertex (fd.pic, SHAPE_TERMINAL, params_label ("in", &flow->in), NULL);
  guint exit = draw_stmt (&fd, start, NULL, flow->body);
  guint end = add_vertex (fd.pic, SHAPE_TERMINAL, params_label ("out", &flow->out), NULL);
  add_link (fd.pic, exit, end, NULL);
  return fd.pic;
}

/* ------------------------------------------------------------ graphs */

/* A node's options as a second line: tasks, queue, batch, schedule, ... */
static char *
node_detail (const AstNode *node)
{
  GString *s = g_string_new (NULL);
  if (node->remote)
    g_string_append (s, "remote");
  if (node->has_tasks)
    {
      append_separator (s);
      g_string_append_printf (s, "tasks %" G_GINT64_FORMAT, node->tasks);
    }
  if (node->has_queue)
    {
      append_separator (s);
      g_string_append_printf (s, "queue %" G_GINT64_FORMAT, node->queue);
    }
  if (node->has_batch)
    {
      append_separator (s);
      g_string_append_printf (s, "batch %" G_GINT64_FORMAT, node->batch);
      if (node->has_within)
        {
          g_string_append (s, " within ");
          append_duration (s, node->within_us);
        }
    }
  if (node->has_every)
    {
      append_separator (s);
      g_string_append (s, "every ");
      append_duration (s, node->every_us);
    }
  if (node->has_cron)
    {
      append_separator (s);
      g_string_append_printf (s, "cron \"%s\"", node->cron ? node->cron : "");
    }
  append_call_opts (s, &node->opts);
  append_on_error (s, &node->on_error);
  if (node->has_halt_after)
    {
      append_separator (s);
      g_string_append_printf (s, "halt after %" G_GINT64_FORMAT, node->halt_after);
    }
  return string_or_null (s);
}

/* `name = stage(bindings)`, or just the stage when the names agree. */
static char *
node_label (const AstNode *node)
{
  GString *s = g_string_new (NULL);
  if (node->stage != NULL && node->stage != node->name)
    g_string_append_printf (s, "%s = %s", node->name, node->stage);
  else
    g_string_append (s, node->name);
  append_bindings (s, node->bindings, node->n_bindings);
  return g_string_free (s, FALSE);
}

/* The vertex of an edge name; a name no node declares gets a plain box. */
static guint
node_vertex (Picture *pic, GHashTable *vertices, Sym name)
{
  gpointer v;
  if (g_hash_table_lookup_extended (vertices, name, NULL, &v))
    return GPOINTER_TO_UINT (v);
  guint index = add_vertex (pic, SHAPE_BOX, g_strdup (name), NULL);
  g_hash_table_insert (vertices, (gpointer) name, GUINT_TO_POINTER (index));
  return index;
}

/* The vertices items leave a group from: its nodes, or one zip point. */
static GArray *
group_sources (Picture *pic, GHashTable *vertices, const AstEdgeGroup *group)
{
  GArray *sources = g_array_new (FALSE, FALSE, sizeof (guint));
  guint zip = group->zip ? add_vertex (pic, SHAPE_ZIP, g_strdup ("zip"), NULL) : 0;
  for (guint k = 0; k < group->n; k++)
    {
      guint v = node_vertex (pic, vertices, group->names[k]);
      if (group->zip)
        add_link (pic, v, zip, NULL);
      else
        g_array_append_val (sources, v);
    }
  if (group->zip)
    g_array_append_val (sources, zip);
  return sources;
}

/* One edge statement: links between consecutive groups, the mapping on
 * the links into the last group; a dead-letter edge says so on its link. */
static void
draw_edge (Picture *pic, GHashTable *vertices, const AstEdge *edge)
{
  GString *mapping = g_string_new (edge->dead_letters ? "dead letters" : NULL);
  if (edge->dead_letters && edge->n_mappings > 0)
    g_string_append (mapping, " ");
  append_bindings (mapping, edge->mappings, edge->n_mappings);
  GArray *sources = edge->n_groups ? group_sources (pic, vertices, edge->groups[0]) : NULL;
  for (guint g = 1; g < edge->n_groups; g++)
    {
      const char *label = g + 1 == edge->n_groups && mapping->len ? mapping->str : NULL;
      for (guint i = 0; i < sources->len; i++)
        for (guint k = 0; k < edge->groups[g]->n; k++)
          {
            const AstNode *to = edge->groups[g]->nodes ? edge->groups[g]->nodes[k] : NULL;
            add_link (pic, g_array_index (sources, guint, i),
                      node_vertex (pic, vertices, edge->groups[g]->names[k]), label);
            /* Into a remote node: through its stream, another process. */
            if (to != NULL && to->remote)
              g_array_index (pic->links, PicLink, pic->links->len - 1).dashed = TRUE;
          }
      g_array_free (sources, TRUE);
      sources = group_sources (pic, vertices, edge->groups[g]);
    }
  if (sources != NULL)
    g_array_free (sources, TRUE);
  g_string_free (mapping, TRUE);
}

/* The graph's inputs (vertex 0) go to its start nodes: the boxes no link
 * enters. */
static void
link_inputs (Picture *pic)
{
  gboolean *entered = g_new0 (gboolean, pic->vertices->len);
  for (guint i = 0; i < pic->links->len; i++)
    entered[g_array_index (pic->links, PicLink, i).to] = TRUE;
  for (guint v = 1; v < pic->vertices->len; v++)
    if (!entered[v] && g_array_index (pic->vertices, Vertex, v).shape == SHAPE_BOX)
      {
        add_link (pic, 0, v, NULL);
        g_array_index (pic->links, PicLink, pic->links->len - 1).dashed = TRUE;
      }
  g_free (entered);
}

static char *
graph_title (const AstGraph *graph)
{
  return g_strdup_printf ("graph %s%s", graph->decl.name,
                          graph->halt_on_error ? " [halt_on_error]" : "");
}

static Picture *
graph_picture (const AstGraph *graph, guint number)
{
  Picture *pic = picture_new (number, graph_title (graph));
  GHashTable *vertices = g_hash_table_new (NULL, NULL);  /* Sym -> index */
  if (graph->in.n > 0)
    add_vertex (pic, SHAPE_TERMINAL, params_label ("in", &graph->in), NULL);
  for (guint i = 0; i < graph->n_nodes; i++)
    {
      const AstNode *node = graph->nodes[i];
      if (node->name == NULL || g_hash_table_contains (vertices, node->name))
        continue;
      guint v = add_vertex (pic, SHAPE_BOX, node_label (node), node_detail (node));
      g_hash_table_insert (vertices, (gpointer) node->name, GUINT_TO_POINTER (v));
    }
  for (guint i = 0; i < graph->n_edges; i++)
    draw_edge (pic, vertices, graph->edges[i]);
  if (graph->in.n > 0)
    link_inputs (pic);
  g_hash_table_destroy (vertices);
  return pic;
}

/* ------------------------------------------------------------ renderers */

typedef struct {
  void (*begin) (GString *out);
  void (*open) (GString *out, const Picture *pic);
  void (*vertex) (GString *out, const Picture *pic, guint index);
  void (*link) (GString *out, const Picture *pic, const PicLink *link);
  void (*close) (GString *out);
  void (*end) (GString *out);
} Renderer;

/* ---- Graphviz */

/* Text for inside a double-quoted DOT string. */
static void
dot_escape (GString *out, const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
}

/* A double-quoted DOT string: one line, or two joined by "\n". */
static void
dot_quote (GString *out, const char *line, const char *second)
{
  g_string_append_c (out, '"');
  dot_escape (out, line);
  if (second != NULL)
    {
      g_string_append (out, "\\n");
      dot_escape (out, second);
    }
  g_string_append_c (out, '"');
}

static void
dot_begin (GString *out)
{
  g_string_append (out, "digraph dfc {\n"
                        "  fontname=\"Helvetica\";\n"
                        "  node [shape=box, fontname=\"Helvetica\"];\n"
                        "  edge [fontname=\"Helvetica\"];\n");
}

static void
dot_open (GString *out, const Picture *pic)
{
  g_string_append_printf (out, "  subgraph cluster_c%u {\n    label=", pic->number);
  dot_quote (out, pic->title, NULL);
  g_string_append (out, ";\n");
}

static void
dot_vertex (GString *out, const Picture *pic, guint index)
{
  static const char *const shapes[] = {
    [SHAPE_BOX] = "", [SHAPE_TERMINAL] = ", shape=oval",
    [SHAPE_DECISION] = ", shape=diamond", [SHAPE_JOIN] = ", shape=point",
    [SHAPE_ZIP] = ", shape=circle",
  };
  const Vertex *v = &g_array_index (pic->vertices, Vertex, index);
  g_string_append_printf (out, "    c%u_%u [label=", pic->number, index);
  dot_quote (out, v->label, v->detail);
  g_string_append_printf (out, "%s];\n", shapes[v->shape]);
}

static void
dot_link (GString *out, const Picture *pic, const PicLink *link)
{
  g_string_append_printf (out, "    c%u_%u -> c%u_%u", pic->number, link->from,
                          pic->number, link->to);
  if (link->label != NULL)
    {
      g_string_append (out, " [label=");
      dot_quote (out, link->label, NULL);
      g_string_append (out, "]");
    }
  if (link->dashed)
    g_string_append (out, " [style=dashed]");
  g_string_append (out, ";\n");
}

static void
dot_close (GString *out)
{
  g_string_append (out, "  }\n");
}

static void
dot_end (GString *out)
{
  g_string_append (out, "}\n");
}

static const Renderer dot_renderer = {
  dot_begin, dot_open, dot_vertex, dot_link, dot_close, dot_end,
};

/* ---- Mermaid */

/* Text for inside a double-quoted Mermaid string: characters that could
 * end the string or start markup become entity codes. */
static void
mermaid_escape (GString *out, const char *text)
{
  for (const char *p = text; *p; p++)
    {
      if (*p == '"' || *p == '#' || *p == '<' || *p == '>' || *p == '&' || *p == '`')
        g_string_append_printf (out, "#%d;", (unsigned char) *p);
      else
        g_string_append_c (out, *p);
    }
}

/* A double-quoted Mermaid string: one line, or two joined by <br/>. */
static void
mermaid_quote (GString *out, const char *line, const char *second)
{
  g_string_append_c (out, '"');
  mermaid_escape (out, line);
  if (second != NULL)
    {
      g_string_append (out, "<br/>");
      mermaid_escape (out, second);
    }
  g_string_append_c (out, '"');
}

static void
mermaid_begin (GString *out)
{
  g_string_append (out, "flowchart TB\n");
}

static void
mermaid_open (GString *out, const Picture *pic)
{
  g_string_append_printf (out, "  subgraph c%u[", pic->number);
  mermaid_quote (out, pic->title, NULL);
  g_string_append (out, "]\n    direction TB\n");
}

static void
mermaid_vertex (GString *out, const Picture *pic, guint index)
{
  static const char *const shapes[][2] = {
    [SHAPE_BOX] = { "[", "]" }, [SHAPE_TERMINAL] = { "([", "])" },
    [SHAPE_DECISION] = { "{", "}" }, [SHAPE_JOIN] = { "((", "))" },
    [SHAPE_ZIP] = { "((", "))" },
  };
  const Vertex *v = &g_array_index (pic->vertices, Vertex, index);
  g_string_append_printf (out, "    c%u_%u%s", pic->number, index, shapes[v->shape][0]);
  mermaid_quote (out, v->shape == SHAPE_JOIN ? " " : v->label, v->detail);
  g_string_append_printf (out, "%s\n", shapes[v->shape][1]);
}

static void
mermaid_link (GString *out, const Picture *pic, const PicLink *link)
{
  g_string_append_printf (out, "    c%u_%u %s", pic->number, link->from,
                          link->dashed ? "-.->" : "-->");
  if (link->label != NULL)
    {
      g_string_append_c (out, '|');
      mermaid_quote (out, link->label, NULL);
      g_string_append_c (out, '|');
    }
  g_string_append_printf (out, " c%u_%u\n", pic->number, link->to);
}

static void
mermaid_close (GString *out)
{
  g_string_append (out, "  end\n");
}

static void
mermaid_end (GString *out)
{
}

static const Renderer mermaid_renderer = {
  mermaid_begin, mermaid_open, mermaid_vertex, mermaid_link, mermaid_close, mermaid_end,
};

/* ------------------------------------------------------------ the file */

static void
render_picture (const Renderer *r, const Picture *pic, GString *out)
{
  r->open (out, pic);
  for (guint i = 0; i < pic->vertices->len; i++)
    r->vertex (out, pic, i);
  for (guint i = 0; i < pic->links->len; i++)
    r->link (out, pic, &g_array_index (pic->links, PicLink, i));
  r->close (out);
}

/* Every flow and graph, in source order, as one drawing. */
static void
draw_file (Program *program, const Renderer *r, GString *out)
{
  AstFile *file = program->file;
  guint number = 0;
  r->begin (out);
  for (guint i = 0; i < file->n_items; i++)
    {
      const AstDecl *decl = file->items[i].kind == ITEM_DECL ? file->items[i].u.decl : NULL;
      Picture *pic = NULL;
      if (decl != NULL && decl->kind == DECL_FLOW)
        pic = flow_picture (program, (const AstFlow *) decl, number++);
      else if (decl != NULL && decl->kind == DECL_GRAPH)
        pic = graph_picture ((const AstGraph *) decl, number++);
      if (pic == NULL)
        continue;
      render_picture (r, pic, out);
      picture_free (pic);
    }
  r->end (out);
}

void
draw_dot (Program *program, GString *out)
{
  draw_file (program, &dot_renderer, out);
}

void
draw_mermaid (Program *program, GString *out)
{
  draw_file (program, &mermaid_renderer, out);
}
