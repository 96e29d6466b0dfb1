/* flow-env.c — the flow checker's values and views (model: check-flow.h).
 *
 * Values and the Outs a statement leaves; the environment (the current
 * view) and its undo log; "did you mean" from the view; and the merge of
 * what several paths leave (if/else, a dynamic pick).
 */
#include <string.h>
#include "check-flow.h"

/* ------------------------------------------------------------------ values */

Outs *
flow_outs_new (Checker *c)
{
  return arena_new0 (c->scratch, Outs);
}

Outs *
flow_outs_any (Checker *c)
{
  Outs *outs = flow_outs_new (c);
  outs->any = TRUE;
  return outs;
}

void
flow_outs_push (Checker *c, Outs *outs, Value *v)
{
  arena_vec_push (c->scratch, &outs->vec, v);
}

Value *
flow_value_new (Checker *c, Sym name, const AstTypeRef *type, Loc loc)
{
  Value *v = arena_new0 (c->scratch, Value);
  v->name = name;
  v->type = type;
  v->loc = loc;
  g_ptr_array_add (c->values, v);
  return v;
}

/* A value published by a call; remembered for "produced here" notes. */
Value *
flow_production_new (Checker *c, Sym name, Sym output, const AstTypeRef *type, Loc loc, Sym producer)
{
  Value *v = flow_value_new (c, name, type, loc);
  v->output = output;
  v->producer = producer;
  v->is_production = TRUE;
  g_hash_table_insert (c->ever, (gpointer) name, v);
  return v;
}

/* Record why `v` (and what it merges) stopped being visible, unless an
 * earlier reason is known. */
void
flow_lost_mark (Value *v, LostReason reason)
{
  if (v->lost != LOST_NONE)
    return;
  v->lost = reason;
  for (guint i = 0; i < v->n_children; i++)
    flow_lost_mark (v->children[i], reason);
}

/* ------------------------------------------------------------- environment */

Value *
flow_env_lookup (Checker *c, Sym name)
{
  Value *v = g_hash_table_lookup (c->env, name);
  if (v == NULL && c->vis != VIS_NONE && c->inputs != NULL)
    v = g_hash_table_lookup (c->inputs, name);
  if (v == NULL && (c->env_any || c->all_any))
    v = &c->any_value;
  return v;
}

void
flow_env_set (Checker *c, Sym name, Value *v)
{
  Undo u = { .name = name, .old = g_hash_table_lookup (c->env, name) };
  g_array_append_val (c->undo, u);
  g_hash_table_insert (c->env, (gpointer) name, v);
}

static void
env_remove (Checker *c, Sym name)
{
  Undo u = { .name = name, .old = g_hash_table_lookup (c->env, name) };
  g_array_append_val (c->undo, u);
  g_hash_table_remove (c->env, name);
}

static void
env_set_any (Checker *c, gboolean any)
{
  Undo u = { .name = NULL, .old_any = c->env_any };
  g_array_append_val (c->undo, u);
  c->env_any = any;
}

void
flow_env_rollback (Checker *c, guint mark)
{
  while (c->undo->len > mark)
    {
      const Undo *u = &g_array_index (c->undo, Undo, c->undo->len - 1);
      if (u->name == NULL)
        c->env_any = u->old_any;
      else if (u->old != NULL)
        g_hash_table_insert (c->env, (gpointer) u->name, u->old);
      else
        g_hash_table_remove (c->env, u->name);
      g_array_set_size (c->undo, c->undo->len - 1);
    }
}

/* Under none/initial the next view holds only the last outputs; the
 * table then holds one statement's outputs, so clearing it is cheap. */
static void
env_clear (Checker *c)
{
  guint n = g_hash_table_size (c->env);
  if (n == 0)
    return;
  Sym *names = g_new (Sym, n);
  GHashTableIter it;
  gpointer key;
  guint i = 0;
  g_hash_table_iter_init (&it, c->env);
  while (g_hash_table_iter_next (&it, &key, NULL))
    names[i++] = key;
  for (i = 0; i < n; i++)
    env_remove (c, names[i]);
  g_free (names);
}

/* From one statement's view to the next one's, in a sequence. */
void
flow_env_advance (Checker *c, const Outs *outs)
{
  if (c->vis != VIS_ALL)
    {
      env_clear (c);
      if (c->env_any != outs->any)
        env_set_any (c, outs->any);
    }
  else if (outs->any && !c->env_any)
    env_set_any (c, TRUE);
  for (guint i = 0; i < outs->vec.n; i++)
    flow_env_set (c, OUT (outs, i)->name, OUT (outs, i));
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Would `v` fit a reader of type `want` (NULL: any reader)? */
static gboolean
fits (const Value *v, const AstTypeRef *want)
{
  return want == NULL || v->type == NULL || types_input_accepts (v->type, want);
}

/* "did you mean": the visible name closest to `name` (of a type that fits
 * `want`).  Only on the error path, so walking the view is fine; sorted
 * for a deterministic pick. */
const char *
flow_suggest_from_view (Checker *c, Sym name, const AstTypeRef *want)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init (&it, c->env);
  while (g_hash_table_iter_next (&it, &key, &value))
    if (fits (value, want))
      g_ptr_array_add (names, key);
  if (c->vis != VIS_NONE && c->inputs != NULL)
    {
      g_hash_table_iter_init (&it, c->inputs);
      while (g_hash_table_iter_next (&it, &key, &value))
        if (!g_hash_table_contains (c->env, key) && fits (value, want))
          g_ptr_array_add (names, key);
    }
  g_ptr_array_sort (names, compare_names);
  return diag_suggest (name, (const char *const *) names->pdata, names->len);
}

/* ----------------------------------------------------------------- merges */

/* One name across the paths being merged. */
typedef struct {
  ArenaVec values;          /* Value *, one per path that has it */
  guint last_path;          /* path index + 1 that added last */
} Tally;

/* The names every path produces (if/else, a dynamic pick): one merged
 * value each; the rest are lost to `reason`.  Paths whose outputs are
 * unknown (`any`) do not constrain the result. */
Outs *
flow_intersect (Checker *c, Outs **paths, guint n, LostReason reason)
{
  Outs *result = flow_outs_new (c);
  guint known = 0;
  Outs *first = NULL;
  for (guint i = 0; i < n; i++)
    if (!paths[i]->any)
      {
        known++;
        if (first == NULL)
          first = paths[i];
      }
  if (known == 0)
    {
      result->any = n > 0;
      return result;
    }

  GHashTable *tallies = g_hash_table_new (g_direct_hash, g_direct_equal);
  for (guint i = 0; i < n; i++)
    for (guint j = 0; !paths[i]->any && j < paths[i]->vec.n; j++)
      {
        Value *v = OUT (paths[i], j);
        Tally *t = g_hash_table_lookup (tallies, v->name);
        if (t == NULL)
          {
            t = arena_new0 (c->scratch, Tally);
            g_hash_table_insert (tallies, (gpointer) v->name, t);
          }
        if (t->last_path == i + 1)
          continue;
        t->last_path = i + 1;
        arena_vec_push (c->scratch, &t->values, v);
      }

  for (guint j = 0; j < first->vec.n; j++)
    {
      Tally *t = g_hash_table_lookup (tallies, OUT (first, j)->name);
      if (t->values.n != known || t->last_path == 0)
        continue;
      t->last_path = 0; /* emitted */
      Value *v0 = t->values.items[0];
      /* One path leaves it as it is; but the record merges even one
       * path (a dynamic pick of a one-arm table), as lowering moves it. */
      if (known == 1 && c->facts == NULL)
        {
          flow_outs_push (c, result, v0);
          continue;
        }
      Value *merged = flow_value_new (c, v0->name, v0->type, v0->loc);
      merged->producer = v0->producer;
      merged->output = v0->output;
      merged->children = (Value **) t->values.items;
      merged->n_children = t->values.n;
      merged->pick_renamed = v0->pick_renamed;
      for (guint k = 1; k < t->values.n; k++)
        {
          Value *vk = t->values.items[k];
          if (v0->type != NULL && vk->type != NULL)
            flowchk_agreement (c, vk->loc, v0, vk->type, "on another path it");
        }
      flow_record_merge (c, merged, (Value **) t->values.items, t->values.n);
      flow_outs_push (c, result, merged);
    }

  for (guint i = 0; i < n; i++)
    for (guint j = 0; !paths[i]->any && j < paths[i]->vec.n; j++)
      {
        Value *v = OUT (paths[i], j);
        Tally *t = g_hash_table_lookup (tallies, v->name);
        if (t->values.n != known)
          flow_lost_mark (v, reason);
      }
  g_hash_table_destroy (tallies);
  return result;
}
