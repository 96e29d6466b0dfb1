/* check-flow.c — flows: statements, outputs, unused values (model and
 * the map of the pieces: check-flow.h).
 *
 * Sequences, blocks, `par` and `if` move the environment between views;
 * a flow binds its inputs, walks its body, checks that its declared
 * outputs reach the end, and warns of values nobody read.  check_flows
 * runs it all: tables, then flows, then the arms no pick reached.
 */
#include "check-flow.h"

/* ------------------------------------------------------------- statements */

/* A sequence: each statement sees what the one before it left (per the
 * visibility).  With `restore`, leaves the environment as it found it.
 * The flow body needs no restoring (its scope ends after it), so it keeps
 * no undo log across its statements: a flow of 100,000 statements does not
 * hold 100,000 undo records. */
static Outs *
check_seq (Checker *c, AstStmt **items, guint n, gboolean restore)
{
  guint mark = c->undo->len;
  Outs *result = c->vis == VIS_ALL ? flow_outs_new (c) : NULL;
  Outs *last = NULL;
  for (guint i = 0; i < n; i++)
    {
      guint first_value = flow_record_mark (c);
      last = items[i] != NULL ? flowchk_stmt (c, items[i]) : flow_outs_any (c);
      flow_record_home (c, i, first_value, last);
      if (result != NULL)
        {
          result->any |= last->any;
          for (guint j = 0; j < last->vec.n; j++)
            flow_outs_push (c, result, OUT (last, j));
        }
      if (i + 1 < n)
        flow_env_advance (c, last);
      if (!restore)
        g_array_set_size (c->undo, mark);
    }
  flow_env_rollback (c, mark);
  if (result != NULL)
    return result;
  return last != NULL ? last : flow_outs_new (c);
}

static Outs *
check_block (Checker *c, AstStmt *stmt)
{
  if (stmt->u.block.n == 0)
    {
      diag_report (c->program->diags, DIAG_EMPTY_BLOCK, stmt->loc, "empty block");
      return flow_outs_new (c);
    }
  FactStmt *parent = flow_record_open (c, FACT_SEQ, stmt, 0, 0);
  Outs *outs = check_seq (c, stmt->u.block.items, stmt->u.block.n, TRUE);
  flow_record_close (c, parent);
  return outs;
}

static GHashTable *
copy_table (GHashTable *table)
{
  GHashTable *copy = g_hash_table_new (g_direct_hash, g_direct_equal);
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init (&it, table);
  while (g_hash_table_iter_next (&it, &key, &value))
    g_hash_table_insert (copy, key, value);
  return copy;
}

/* `par { ... }`: every branch sees the par's view; the outputs are the
 * union, and two branches may not produce one name. */
static Outs *
check_par (Checker *c, AstStmt *stmt)
{
  Diags *diags = c->program->diags;
  if (stmt->u.block.n == 0)
    {
      diag_report (diags, DIAG_EMPTY_BLOCK, stmt->loc, "empty 'par'");
      return flow_outs_new (c);
    }
  ParFrame frame = {
    /* Under `all` a statement sees everything the par sees, so the
     * visibility rule already covers re-producing those names. */
    .snapshot = c->vis != VIS_ALL && !c->all_any ? copy_table (c->env) : NULL,
    .siblings = g_hash_table_new (g_direct_hash, g_direct_equal),
    .branch_of = g_hash_table_new (g_direct_hash, g_direct_equal),
  };
  g_ptr_array_add (c->par_frames, &frame);
  FactStmt *parent = flow_record_open (c, FACT_PAR, stmt, 0, 0);

  Outs *result = flow_outs_new (c);
  for (guint i = 0; i < stmt->u.block.n; i++)
    {
      AstStmt *branch = stmt->u.block.items[i];
      Outs *outs = branch != NULL ? flowchk_stmt (c, branch) : flow_outs_any (c);
      result->any |= outs->any;
      for (guint j = 0; j < outs->vec.n; j++)
        {
          Value *v = OUT (outs, j);
          guint from = GPOINTER_TO_UINT (g_hash_table_lookup (frame.branch_of, v->name));
          if (from == i + 1)
            continue;
          if (from != 0)
            {
              v->read = TRUE; /* reported once: not also unused */
              Diag *d = diag_report (diags, DIAG_MERGE_CONFLICT, v->loc,
                                     "'%s' is produced by two concurrent branches of one 'par'", v->name);
              diag_note (d, ((Value *) g_hash_table_lookup (frame.siblings, v->name))->loc,
                         "'%s' is also produced here", v->name);
              continue;
            }
          g_hash_table_insert (frame.branch_of, (gpointer) v->name, GUINT_TO_POINTER (i + 1));
          flow_outs_push (c, result, v);
        }
      /* Only now do later branches count this one as a sibling. */
      for (guint j = 0; j < outs->vec.n; j++)
        if (!g_hash_table_contains (frame.siblings, OUT (outs, j)->name))
          g_hash_table_insert (frame.siblings, (gpointer) OUT (outs, j)->name, OUT (outs, j));
    }

  flow_record_close (c, parent);
  g_ptr_array_set_size (c->par_frames, c->par_frames->len - 1);
  if (frame.snapshot != NULL)
    g_hash_table_destroy (frame.snapshot);
  g_hash_table_destroy (frame.siblings);
  g_hash_table_destroy (frame.branch_of);
  return result;
}

/* `if (x)`: x visible, and a boolean, integer or pointer. */
static void
check_condition (Checker *c, const AstIf *if_)
{
  Diags *diags = c->program->diags;
  if (if_->cond == NULL)
    return;
  Value *v = flow_env_lookup (c, if_->cond);
  if (v == NULL)
    {
      g_autofree char *h = diag_hint (flow_suggest_from_view (c, if_->cond, NULL));
      Diag *d = diag_report (diags, DIAG_UNAVAILABLE_VALUE, if_->cond_loc, "condition '%s' is not available here%s",
                             if_->cond, h);
      flowchk_explain_unavailable (c, d, if_->cond, if_->cond_loc, FALSE);
      return;
    }
  if (v == &c->any_value)
    return;
  v->read = TRUE;
  flow_record_read (c, 0, v);
  if (v->type == NULL)
    return;
  CTypeInfo info = types_classify (types_ctype (v->type));
  if (info.klass != CTYPE_FLOAT && info.klass != CTYPE_OTHER)
    return;
  Diag *d = diag_report (diags, DIAG_CONDITION_TYPE, if_->cond_loc,
                         "condition '%s' is '%s', which is neither boolean, integer nor pointer", v->name,
                         types_display (v->type));
  flowchk_note_producer (d, v);
}

/* `if (x) s [else s]`: only what every path produces remains. */
static Outs *
check_if (Checker *c, AstStmt *stmt)
{
  AstIf *if_ = &stmt->u.if_;
  FactStmt *parent = flow_record_open (c, FACT_IF, stmt, 1, 0);
  check_condition (c, if_);
  Outs *then_outs = if_->then_stmt != NULL ? flowchk_stmt (c, if_->then_stmt) : flow_outs_any (c);
  Outs *outs;
  if (if_->else_stmt == NULL)
    {
      for (guint i = 0; i < then_outs->vec.n; i++)
        flow_lost_mark (OUT (then_outs, i), LOST_IF_NO_ELSE);
      outs = flow_outs_new (c);
    }
  else
    {
      Outs *paths[2] = { then_outs, flowchk_stmt (c, if_->else_stmt) };
      outs = flow_intersect (c, paths, 2, LOST_IF_PATHS);
    }
  flow_record_close (c, parent);
  return outs;
}

Outs *
flowchk_stmt (Checker *c, AstStmt *stmt)
{
  switch (stmt->kind)
    {
    case STMT_CALL: return flowchk_call (c, stmt);
    case STMT_BLOCK: return check_block (c, stmt);
    case STMT_PAR: return check_par (c, stmt);
    case STMT_IF: return check_if (c, stmt);
    }
  return flow_outs_any (c);
}

/* ------------------------------------------------------------------ flows */

static const char *
visibility_name (Visibility vis)
{
  return vis == VIS_NONE ? "none" : vis == VIS_INITIAL ? "initial" : "all";
}

static void
begin_scope (Checker *c, AstFlow *flow, Visibility vis, gboolean all_any)
{
  c->scratch = arena_new ();
  c->flow = flow;
  c->vis = vis;
  c->all_any = all_any;
  c->env = g_hash_table_new (g_direct_hash, g_direct_equal);
  c->env_any = FALSE;
  c->inputs = g_hash_table_new (g_direct_hash, g_direct_equal);
  c->ever = g_hash_table_new (g_direct_hash, g_direct_equal);
  c->values = g_ptr_array_new ();
  g_array_set_size (c->undo, 0);
}

static void
end_scope (Checker *c)
{
  g_hash_table_destroy (c->env);
  g_hash_table_destroy (c->inputs);
  g_hash_table_destroy (c->ever);
  g_ptr_array_unref (c->values);
  g_clear_pointer (&c->producers, g_hash_table_destroy);
  c->env = c->inputs = c->ever = NULL;
  c->values = NULL;
  c->flow = NULL;
  /* A fresh arena per flow: the memory of the last one is reused rather
   * than touched anew, which is what a 10,000-flow file spends its time on. */
  arena_free (c->scratch);
  c->scratch = NULL;
}

/* `every NAME`: NAME is one of the flow's inputs, a duration (GTimeSpan,
 * gint64 or int64_t, what a duration constant binds to). */
static void
check_every_input (Checker *c, const AstFlow *flow)
{
  Diags *diags = c->program->diags;
  const AstParam *input = ast_param_named (&flow->in, flow->every_input);
  if (input == NULL)
    {
      g_autofree char *hint = diag_hint (program_suggest_param (&flow->in, flow->every_input));
      diag_report (diags, DIAG_BAD_OPTION, flow->every_input_loc,
                   "'every %s' names no input of flow '%s'; it takes a duration or an input%s",
                   flow->every_input, flow->decl.name, hint);
      return;
    }
  if (!types_classify (types_ctype (&input->type)).is_timespan)
    {
      Diag *d = diag_report (diags, DIAG_BAD_OPTION, flow->every_input_loc,
                             "'every %s' needs a duration, but input '%s' is '%s' (GTimeSpan, gint64 "
                             "or int64_t)", flow->every_input, input->name, types_display (&input->type));
      diag_note (d, input->loc, "'%s' declared here", input->name);
    }
}

/* Flow options: `repeat` and `every` exclude each other; a repeating flow
 * never finishes, so it has no outputs.  TRUE when outputs are moot. */
static gboolean
check_flow_options (Checker *c, const AstFlow *flow)
{
  Diags *diags = c->program->diags;
  if (flow->repeat && flow->has_every)
    {
      gboolean every_second = flow->every_loc.line > flow->repeat_loc.line
                              || (flow->every_loc.line == flow->repeat_loc.line
                                  && flow->every_loc.col > flow->repeat_loc.col);
      Loc second = every_second ? flow->every_loc : flow->repeat_loc;
      Loc first = every_second ? flow->repeat_loc : flow->every_loc;
      Diag *d = diag_report (diags, DIAG_DUPLICATE_OPTION, second,
                             "'%s' conflicts with '%s' ('every' already repeats the flow)",
                             every_second ? "every" : "repeat", every_second ? "repeat" : "every");
      diag_note (d, first, "'%s' given here", every_second ? "repeat" : "every");
    }
  if (flow->every_input != NULL)
    check_every_input (c, flow);
  if ((flow->repeat || flow->has_every) && flow->out.n > 0)
    {
      Loc at = flow->repeat ? flow->repeat_loc : flow->every_loc;
      Diag *d = diag_report (diags, DIAG_REPEAT_OUTPUTS, at,
                             "flow '%s' repeats forever and cannot have outputs", flow->decl.name);
      diag_note (d, flow->out.items[0]->loc, "output '%s' declared here", flow->out.items[0]->name);
      return TRUE;
    }
  return FALSE;
}

/* The flow input behind `v` (itself, or one path of a merge), or NULL. */
static const Value *
input_behind (const Value *v)
{
  if (v->is_input)
    return v;
  for (guint k = 0; k < v->n_children; k++)
    {
      const Value *input = input_behind (v->children[k]);
      if (input != NULL)
        return input;
    }
  return NULL;
}

/* A flow borrows its inputs, but its caller owns its outputs: an owned
 * input passed through as an output must be copied, which takes a `copy`
 * function. */
static void
check_output_ownership (Checker *c, const AstParam *param, const Value *v)
{
  const Value *input = input_behind (v);
  if (input == NULL || input->type == NULL || types_free_fn (input->type) == NULL
      || types_copy_fn (input->type) != NULL)
    return;
  Diag *d = diag_report (c->program->diags, DIAG_OUTPUT_NEEDS_COPY, param->loc,
                         "output '%s' passes on the flow input '%s', which the flow only borrows, "
                         "and its type '%s' has no copy function",
                         param->name, input->name, types_display (input->type));
  diag_note (d, input->loc, "'%s' declared here; give its type a 'copy = FUNCTION;' option, "
             "or produce the output with a stage", input->name);
}

/* The declared outputs must be in the view at the end of the body. */
static void
check_flow_outputs (Checker *c, const AstFlow *flow, const Outs *body)
{
  flow_env_advance (c, body);
  for (guint i = 0; i < flow->out.n; i++)
    {
      const AstParam *param = flow->out.items[i];
      Value *v = flow_env_lookup (c, param->name);
      if (v == &c->any_value)
        continue;
      if (v != NULL)
        {
          v->read = TRUE;
          flow_record_output (c, i, v);
          g_autofree char *reader = g_strdup_printf ("output '%s' of flow '%s'", param->name, flow->decl.name);
          flowchk_agreement (c, param->loc, v, &param->type, reader);
          check_output_ownership (c, param, v);
          continue;
        }
      Diag *d;
      if (g_hash_table_contains (c->ever, param->name) || flowchk_sibling_production (c, param->name) != NULL
          || g_hash_table_contains (c->inputs, param->name))
        d = diag_report (c->program->diags, DIAG_MISSING_OUTPUT, param->loc,
                         "output '%s' of flow '%s' is not available at the end of the flow (visibility %s)",
                         param->name, flow->decl.name, visibility_name (c->vis));
      else
        d = diag_report (c->program->diags, DIAG_MISSING_OUTPUT, param->loc,
                         "output '%s' of flow '%s' is never produced", param->name, flow->decl.name);
      flowchk_explain_unavailable (c, d, param->name, param->loc, TRUE);
    }
}

static gboolean
is_flow_output (const AstFlow *flow, GHashTable *outputs, Sym name)
{
  if (outputs != NULL)
    return g_hash_table_contains (outputs, name);
  return ast_param_index (&flow->out, name) >= 0;
}

/* Produced values nobody read: a read of a merged value reads each of its
 * paths, settled here newest first (merges come after what they merge). */
static void
report_unused (Checker *c, const AstFlow *flow)
{
  for (guint i = c->values->len; i-- > 0;)
    {
      Value *v = c->values->pdata[i];
      for (guint k = 0; v->read && k < v->n_children; k++)
        v->children[k]->read = TRUE;
    }
  if (c->all_any || flow == NULL)
    return;
  g_autoptr (GHashTable) outputs = NULL;
  if (flow->out.n > 8)
    {
      outputs = g_hash_table_new (g_direct_hash, g_direct_equal);
      for (guint i = 0; i < flow->out.n; i++)
        g_hash_table_add (outputs, (gpointer) flow->out.items[i]->name);
    }
  for (guint i = 0; i < c->values->len; i++)
    {
      const Value *v = c->values->pdata[i];
      if (!v->is_production || v->read || is_flow_output (flow, outputs, v->name))
        continue;
      diag_report (c->program->diags, DIAG_UNUSED_OUTPUT, v->loc,
                   "value '%s' produced by '%s' is never read (drop it with '=> (_ = %s)')", v->name,
                   v->producer, v->output != NULL ? v->output : v->name);
    }
}

static void
check_flow (Checker *c, AstFlow *flow)
{
  gboolean outputs_moot = check_flow_options (c, flow);
  if (flow->body == NULL)
    return;
  guint errors_before = diags_error_count (c->program->diags);
  begin_scope (c, flow, flow->visibility, FALSE);
  flow_record_begin (c, flow);
  for (guint i = 0; i < flow->in.n; i++)
    {
      AstParam *param = flow->in.items[i];
      if (g_hash_table_contains (c->inputs, param->name))
        continue;
      Value *v = flow_value_new (c, param->name, &param->type, param->loc);
      v->is_input = TRUE;
      flow_record_input (c, i, v);
      g_hash_table_insert (c->inputs, (gpointer) param->name, v);
      if (c->vis == VIS_NONE)
        flow_env_set (c, param->name, v);
    }

  AstStmt *body = flow->body;
  gboolean empty = body->kind == STMT_BLOCK && body->u.block.n == 0;
  if (empty)
    diag_report (c->program->diags, DIAG_EMPTY_BLOCK, body->loc, "flow '%s' has an empty body", flow->decl.name);
  else
    {
      FactStmt *parent = flow_record_open (c, FACT_SEQ, body, 0, 0);
      Outs *outs = check_seq (c, body->u.block.items, body->u.block.n, FALSE);
      flow_record_close (c, parent);
      if (!outputs_moot)
        check_flow_outputs (c, flow, outs);
    }
  report_unused (c, flow);
  flow_record_end (c, flow, errors_before);
  end_scope (c);
}

/* Arms no pick reached: checked once where every name is available, so
 * that mistakes independent of the view (an unknown stage, a bad
 * constant) are still reported. */
static void
check_unpicked_arms (Checker *c, AstFile *file)
{
  begin_scope (c, NULL, VIS_NONE, TRUE);
  for (guint i = 0; i < file->n_tables; i++)
    {
      AstTable *table = file->tables[i];
      for (guint j = 0; j < table->n_arms; j++)
        {
          AstTableArm *arm = table->arms[j];
          if (arm->stmt == NULL || g_hash_table_contains (c->checked_arms, arm))
            continue;
          g_hash_table_add (c->checked_arms, arm);
          g_hash_table_add (c->active_tables, table);
          flowchk_stmt (c, arm->stmt);
          g_hash_table_remove (c->active_tables, table);
        }
    }
  report_unused (c, NULL);
  end_scope (c);
}

void
check_flows (Program *program)
{
  AstFile *file = program->file;
  if (file == NULL)
    return;
  Checker c = {
    .program = program,
    .table_infos = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, flowchk_table_info_free),
    .checked_arms = g_hash_table_new (g_direct_hash, g_direct_equal),
    .active_tables = g_hash_table_new (g_direct_hash, g_direct_equal),
    .undo = g_array_new (FALSE, FALSE, sizeof (Undo)),
    .par_frames = g_ptr_array_new (),
  };
  for (guint i = 0; i < file->n_tables; i++)
    flowchk_table_decl (&c, file->tables[i]);
  for (guint i = 0; i < file->n_flows; i++)
    check_flow (&c, file->flows[i]);
  check_unpicked_arms (&c, file);

  g_ptr_array_unref (c.par_frames);
  g_array_unref (c.undo);
  g_hash_table_destroy (c.active_tables);
  g_hash_table_destroy (c.checked_arms);
  g_hash_table_destroy (c.table_infos);
}
