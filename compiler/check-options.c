/* check-options.c — options that do nothing where they are written.
 *
 * An option the generated code ignores is a mistake waiting to be found
 * in production: `timeout 1s` on a sync stage does not bound it, `queue
 * 100` on a start node bounds nothing.  Each is a warning (ignored-option)
 * at the option, saying why it has no effect:
 *
 *   timeout, limit   on a sync stage, at its declaration, at a call site in
 *                    a flow or on a node: a sync stage runs inline on the
 *                    loop thread, which can neither interrupt it nor run
 *                    two at once;
 *   tasks            on a node of a sync stage, for the same reason;
 *   queue            on a start node: nothing sends it items, so it has no
 *                    input queue.
 *
 * (`within` is grammatical only after `batch`, so it cannot be misplaced.)
 */
#include "program.h"

static const AstStage *
sync_stage (Program *program, Sym name)
{
  AstDecl *decl = name != NULL ? program_lookup (program, name) : NULL;
  if (decl == NULL || decl->kind != DECL_STAGE)
    return NULL;
  const AstStage *stage = (const AstStage *) decl;
  return stage->kind == STAGE_SYNC ? stage : NULL;
}

static void
report (Program *program, Loc at, const char *option, const char *where, const char *why)
{
  diag_report (program->diags, DIAG_IGNORED_OPTION, at, "'%s' has no effect %s: %s", option, where, why);
}

/* timeout/limit of `opts`, which apply to the sync stage `stage`. */
static void
check_sync_opts (Program *program, const AstCallOpts *opts, const AstStage *stage, const char *where)
{
  g_autofree char *why = g_strdup_printf ("'%s' is a sync stage, which runs inline on the loop thread "
                                          "(make it 'blocking' or 'async')", stage->decl.name);
  if (opts->has_timeout)
    report (program, opts->timeout_loc, "timeout", where, why);
  if (opts->has_limit)
    report (program, opts->limit_loc, "limit", where, why);
}

static void
check_stmt (Program *program, const AstStmt *stmt)
{
  if (stmt == NULL)
    return;
  switch (stmt->kind)
    {
    case STMT_CALL:
      {
        const AstStage *stage = sync_stage (program, stmt->u.call.callee);
        if (stage != NULL && stmt->u.call.pick == PICK_NONE)
          check_sync_opts (program, &stmt->u.call.opts, stage, "on this call");
        return;
      }
    case STMT_BLOCK:
    case STMT_PAR:
      for (guint i = 0; i < stmt->u.block.n; i++)
        check_stmt (program, stmt->u.block.items[i]);
      return;
    case STMT_IF:
      check_stmt (program, stmt->u.if_.then_stmt);
      check_stmt (program, stmt->u.if_.else_stmt);
      return;
    }
}

static void
check_node (Program *program, const AstNode *node)
{
  if (node->has_queue && node->start)
    report (program, node->queue_loc, "queue", "on a start node",
            "nothing sends it items, so it has no input queue");
  const AstStage *stage = node->target != NULL && node->target->kind == DECL_STAGE
                              ? sync_stage (program, node->target->name) : NULL;
  if (stage == NULL)
    return;
  check_sync_opts (program, &node->opts, stage, "on this node");
  if (node->has_tasks)
    report (program, node->tasks_loc, "tasks", "on this node",
            "a sync stage runs one item at a time on the loop thread (make it 'blocking' or 'async')");
}

void
check_options (Program *program)
{
  const AstFile *file = program->file;
  for (guint i = 0; i < file->n_stages; i++)
    {
      const AstStage *stage = file->stages[i];
      if (stage->kind == STAGE_SYNC)
        check_sync_opts (program, &stage->opts, stage, "on this stage");
    }
  for (guint i = 0; i < file->n_flows; i++)
    check_stmt (program, file->flows[i]->body);
  for (guint i = 0; i < file->n_tables; i++)
    for (guint j = 0; j < file->tables[i]->n_arms; j++)
      check_stmt (program, file->tables[i]->arms[j]->stmt);
  for (guint i = 0; i < file->n_graphs; i++)
    for (guint j = 0; j < file->graphs[i]->n_all_nodes; j++)
      check_node (program, file->graphs[i]->all_nodes[j]);
}
