/* flow-record.c — the flow checker's record of a flow, for lowering.
 *
 * The checks call these as they go (model: check-flow.h; the record:
 * flow-facts.h).  Nothing here decides anything: every view rule was
 * applied by the caller, which hands over what it found.  The record is
 * in an arena of its own (Program.facts_arena), freed once lowered.
 */
#include "check-flow.h"

static Arena *
record_arena (Checker *c)
{
  /* Freed once the flows are lowered: in chunks the system takes back. */
  if (c->program->facts_arena == NULL)
    c->program->facts_arena = arena_new_chunked (4 * 1024 * 1024);
  return c->program->facts_arena;
}

void
flow_record_begin (Checker *c, AstFlow *flow)
{
  c->facts = NULL;
  if (!c->program->record_flows || diags_error_count (c->program->diags) > 0)
    return;
  Arena *arena = record_arena (c);
  c->facts = arena_new0 (arena, FlowFacts);
  c->facts->inputs = arena_newv (arena, FactValue *, MAX (flow->in.n, 1u));
  c->facts->outputs = arena_newv (arena, FactValue *, MAX (flow->out.n, 1u));
  c->fact_values = g_ptr_array_new ();
  c->fact_stmt = NULL;
  c->read_pos = 0;
}

void
flow_record_end (Checker *c, AstFlow *flow, guint errors_before)
{
  if (c->facts == NULL)
    return;
  if (diags_error_count (c->program->diags) == errors_before)
    flow->facts = c->facts;
  g_clear_pointer (&c->fact_values, g_ptr_array_unref);
  c->facts = NULL;
  c->fact_stmt = NULL;
}

FactValue *
flow_record_value (Checker *c, Sym name, const AstTypeRef *type)
{
  if (c->facts == NULL)
    return NULL;
  FactValue *v = arena_new0 (record_arena (c), FactValue);
  v->name = name;
  v->type = type;
  g_ptr_array_add (c->fact_values, v);
  return v;
}

void
flow_record_input (Checker *c, guint index, Value *v)
{
  if ((v->fact = flow_record_value (c, v->name, v->type)) == NULL)
    return;
  v->fact->is_input = TRUE;
  c->facts->inputs[index] = v->fact;
}

void
flow_record_output (Checker *c, guint index, const Value *v)
{
  if (c->facts == NULL || v->fact == NULL)
    return;
  c->facts->outputs[index] = v->fact;
  v->fact->is_output = TRUE;
}

guint
flow_record_mark (Checker *c)
{
  return c->facts != NULL ? c->fact_values->len : 0;
}

FactStmt *
flow_record_open (Checker *c, FactKind kind, AstStmt *ast, guint n_reads, guint n_made)
{
  if (c->facts == NULL)
    return NULL;
  Arena *arena = record_arena (c);
  FactStmt *parent = c->fact_stmt;
  FactStmt *stmt = arena_new0 (arena, FactStmt);
  stmt->kind = kind;
  stmt->ast = ast;
  stmt->first_pos = c->read_pos + 1;
  stmt->n_reads = n_reads;
  stmt->reads = n_reads > 0 ? arena_newv (arena, FactValue *, n_reads) : NULL;
  stmt->n_made = n_made;
  stmt->made = n_made > 0 ? arena_newv (arena, FactValue *, n_made) : NULL;
  if (parent != NULL)
    arena_vec_push (arena, &parent->children, stmt);
  else
    c->facts->body = stmt;
  c->fact_stmt = stmt;
  return parent;
}

void
flow_record_close (Checker *c, FactStmt *parent)
{
  if (c->facts == NULL)
    return;
  c->fact_stmt->last_pos = c->read_pos;
  c->fact_stmt = parent;
}

void
flow_record_read (Checker *c, guint index, const Value *v)
{
  if (c->facts == NULL || v->fact == NULL)
    return;
  g_assert (index < c->fact_stmt->n_reads);
  c->fact_stmt->reads[index] = v->fact;
  v->fact->last_read = ++c->read_pos;
}

static void
home_at (FactValue *v, FactStmt *seq, guint index)
{
  v->home = seq;
  v->home_index = index;
}

/* A value that leaves a block or a branch is homed in the sequence that
 * can still see it, so `outs` override what a nested sequence decided. */
void
flow_record_home (Checker *c, guint index, guint first_value, const Outs *outs)
{
  if (c->facts == NULL)
    return;
  FactStmt *seq = c->fact_stmt;
  for (guint i = first_value; i < c->fact_values->len; i++)
    {
      FactValue *v = c->fact_values->pdata[i];
      if (v->home == NULL && !v->is_input)
        home_at (v, seq, index);
    }
  for (guint i = 0; i < outs->vec.n; i++)
    {
      FactValue *v = OUT (outs, i)->fact;
      if (v != NULL && !v->is_input)
        home_at (v, seq, index);
    }
}

void
flow_record_merge (Checker *c, Value *merged, Value **sources, guint n)
{
  if (c->facts == NULL)
    return;
  /* A static pick has one path: what it leaves is the arm's own value. */
  if (c->fact_stmt->kind == FACT_STATIC_PICK)
    {
      merged->fact = sources[0]->fact;
      return;
    }
  Arena *arena = record_arena (c);
  FactMerge *m = arena_new0 (arena, FactMerge);
  m->merged = merged->fact = flow_record_value (c, merged->name, merged->type);
  m->sources = arena_newv (arena, FactValue *, n);
  for (guint k = 0; k < n; k++)
    {
      m->sources[k] = sources[k]->fact;
      m->sources[k]->moved = TRUE;
    }
  arena_vec_push (arena, &c->fact_stmt->merges, m);
}
