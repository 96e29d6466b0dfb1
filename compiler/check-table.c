/* check-table.c — tables and picks (model: check-flow.h).
 *
 * A table on its own (arms, one kind of key, each key once) and
 * `table[key]`: a static pick checks the arm its key selects, a dynamic
 * pick checks every arm and keeps what all of them produce.
 */
#include "check-flow.h"

/* ----------------------------------------------------------------- tables */

/* A table's keys, indexed once. */
typedef struct {
  KeyKind kind;             /* KEY_DEFAULT while no keyed arm */
  AstTableArm *default_arm;
  GHashTable *index;        /* GBytes key -> AstTableArm * */
} TableInfo;

/* The identity of a key: kind and value, `-0` being `0`. */
static GBytes *
key_bytes (KeyKind kind, const AstLiteral *lit)
{
  GByteArray *bytes = g_byte_array_new ();
  if (kind == KEY_STRING)
    {
      g_byte_array_append (bytes, (const guint8 *) "s", 1);
      if (lit->str != NULL)
        g_byte_array_append (bytes, (const guint8 *) lit->str, lit->str_len);
    }
  else
    {
      char buf[40];
      int len = g_snprintf (buf, sizeof buf, "i%s%" G_GUINT64_FORMAT,
                            lit->negative && lit->magnitude > 0 ? "-" : "", lit->magnitude);
      g_byte_array_append (bytes, (const guint8 *) buf, len);
    }
  return g_byte_array_free_to_bytes (bytes);
}

static const char *
key_kind_name (KeyKind kind)
{
  return kind == KEY_STRING ? "string" : "integer";
}

void
flowchk_table_info_free (gpointer p)
{
  TableInfo *info = p;
  g_hash_table_destroy (info->index);
  g_free (info);
}

/* A table on its own: arms, one kind of key, each key once. */
void
flowchk_table_decl (Checker *c, AstTable *table)
{
  Diags *diags = c->program->diags;
  TableInfo *info = g_new0 (TableInfo, 1);
  info->kind = KEY_DEFAULT;
  info->index = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  g_hash_table_insert (c->table_infos, table, info);

  if (table->n_arms == 0)
    diag_report (diags, DIAG_EMPTY_BLOCK, table->open_loc, "table '%s' has no arms", table->decl.name);

  const AstTableArm *first_keyed = NULL;
  for (guint i = 0; i < table->n_arms; i++)
    {
      AstTableArm *arm = table->arms[i];
      if (arm->kind == KEY_DEFAULT)
        {
          if (info->default_arm != NULL)
            {
              Diag *d = diag_report (diags, DIAG_TABLE_KEYS, arm->loc, "table '%s' has two 'default' arms",
                                     table->decl.name);
              diag_note (d, info->default_arm->loc, "first 'default' here");
            }
          else
            info->default_arm = arm;
          continue;
        }
      if (first_keyed == NULL)
        {
          first_keyed = arm;
          info->kind = arm->kind;
        }
      else if (arm->kind != info->kind)
        {
          Diag *d = diag_report (diags, DIAG_TABLE_KEYS, arm->loc,
                                 "table '%s' mixes string and integer keys: %s is %s key", table->decl.name,
                                 arm->lit.text, arm->kind == KEY_STRING ? "a string" : "an integer");
          diag_note (d, first_keyed->loc, "the first key, %s, makes it a table of %s keys", first_keyed->lit.text,
                     key_kind_name (info->kind));
          continue;
        }
      GBytes *key = key_bytes (arm->kind, &arm->lit);
      AstTableArm *earlier = g_hash_table_lookup (info->index, key);
      if (earlier != NULL)
        {
          Diag *d = diag_report (diags, DIAG_TABLE_KEYS, arm->loc, "key %s appears twice in table '%s'",
                                 arm->lit.text, table->decl.name);
          diag_note (d, earlier->loc, "first appears here");
          g_bytes_unref (key);
          continue;
        }
      g_hash_table_insert (info->index, key, arm);
    }
}

/* A dynamic pick's key: visible, and of the table's kind of key. */
static void
check_dispatch_key (Checker *c, const AstCall *call, const AstTable *table, const TableInfo *info)
{
  Diags *diags = c->program->diags;
  Value *v = flow_env_lookup (c, call->pick_key);
  if (v == NULL)
    {
      g_autofree char *h = diag_hint (flow_suggest_from_view (c, call->pick_key, NULL));
      Diag *d = diag_report (diags, DIAG_UNAVAILABLE_VALUE, call->pick_loc,
                             "dispatch key '%s' is not available here%s", call->pick_key, h);
      flowchk_explain_unavailable (c, d, call->pick_key, call->pick_loc, FALSE);
      return;
    }
  if (v == &c->any_value)
    return;
  v->read = TRUE;
  flow_record_read (c, 0, v);
  if (v->type == NULL)
    return;
  CTypeInfo ti = types_classify (types_ctype (v->type));
  gboolean integer = ti.klass == CTYPE_SIGNED || ti.klass == CTYPE_UNSIGNED;
  gboolean ok = info->kind == KEY_STRING ? ti.is_char_ptr
                : info->kind == KEY_INT  ? integer
                                         : ti.is_char_ptr || integer;
  if (ok)
    return;
  Diag *d;
  if (info->kind == KEY_DEFAULT)
    d = diag_report (diags, DIAG_PICK_KIND, call->pick_loc,
                     "dispatch key '%s' is '%s'; a dispatch key must be a string ('const char *' or 'char *') "
                     "or an integer",
                     v->name, types_display (v->type));
  else
    d = diag_report (diags, DIAG_PICK_KIND, call->pick_loc,
                     "dispatch key '%s' is '%s', but table '%s' has %s keys%s", v->name,
                     types_display (v->type), table->decl.name, key_kind_name (info->kind),
                     info->kind == KEY_STRING ? " (it needs 'const char *' or 'char *')" : "");
  flowchk_note_producer (d, v);
}

/* A static pick's arm: the key's arm, else `default`, else an error. */
static AstTableArm *
static_arm (Checker *c, const AstCall *call, const AstTable *table, const TableInfo *info)
{
  Diags *diags = c->program->diags;
  KeyKind kind = call->pick == PICK_STRING ? KEY_STRING : KEY_INT;
  if (info->kind != KEY_DEFAULT && info->kind != kind)
    {
      Diag *d = diag_report (diags, DIAG_PICK_KIND, call->pick_loc,
                             "%s key %s for table '%s', which has %s keys", key_kind_name (kind),
                             call->pick_lit->text, table->decl.name, key_kind_name (info->kind));
      diag_note (d, table->decl.loc, "'%s' declared here", table->decl.name);
      return NULL;
    }
  GBytes *key = key_bytes (kind, call->pick_lit);
  AstTableArm *arm = g_hash_table_lookup (info->index, key);
  g_bytes_unref (key);
  if (arm == NULL)
    arm = info->default_arm;
  if (arm != NULL)
    return arm;

  const char *suggestion = NULL;
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  if (kind == KEY_STRING)
    {
      for (guint i = 0; i < table->n_arms; i++)
        if (table->arms[i]->kind == KEY_STRING && table->arms[i]->lit.str != NULL)
          g_ptr_array_add (keys, (gpointer) table->arms[i]->lit.str);
      if (call->pick_lit->str != NULL)
        suggestion = diag_suggest (call->pick_lit->str, (const char *const *) keys->pdata, keys->len);
    }
  g_autofree char *h = suggestion != NULL ? g_strdup_printf ("; did you mean \"%s\"?", suggestion) : g_strdup ("");
  Diag *d = diag_report (diags, DIAG_DISPATCH_KEY, call->pick_loc, "table '%s' has no key %s and no default%s",
                         table->decl.name, call->pick_lit->text, h);
  diag_note (d, table->decl.loc, "'%s' declared here", table->decl.name);
  return NULL;
}

/* The rename for arm output `name`, or NULL. */
static const AstRename *
pick_rename (const AstCall *call, const AstRename **valid, Sym name)
{
  for (guint i = 0; i < call->n_renames; i++)
    if (valid[i] != NULL && valid[i]->output == name)
      return valid[i];
  return NULL;
}

/* Does some arm produce `name`? */
static gboolean
arms_produce (Outs **arm_outs, guint n, Sym name)
{
  for (guint i = 0; i < n; i++)
    {
      if (arm_outs[i]->any)
        return TRUE;
      for (guint j = 0; j < arm_outs[i]->vec.n; j++)
        if (OUT (arm_outs[i], j)->name == name)
          return TRUE;
    }
  return FALSE;
}

/* The renames of a pick, against what its arms produce. */
static const AstRename **
check_pick_renames (Checker *c, const AstCall *call, const AstTable *table, Outs **arm_outs, guint n)
{
  Diags *diags = c->program->diags;
  const AstRename **valid = arena_newv (c->scratch, const AstRename *, call->n_renames + 1);
  for (guint i = 0; i < call->n_renames; i++)
    {
      const AstRename *r = call->renames[i];
      if (!arms_produce (arm_outs, n, r->output))
        {
          Diag *d;
          if (call->pick == PICK_VALUE)
            d = diag_report (diags, DIAG_UNKNOWN_OUTPUT, r->output_loc, "no arm of table '%s' produces '%s'",
                             table->decl.name, r->output);
          else
            d = diag_report (diags, DIAG_UNKNOWN_OUTPUT, r->output_loc,
                             "the arm %s picks from table '%s' does not produce '%s'", call->pick_lit->text,
                             table->decl.name, r->output);
          diag_note (d, table->decl.loc, "'%s' declared here", table->decl.name);
          continue;
        }
      const AstRename *first = pick_rename (call, valid, r->output);
      if (first != NULL)
        {
          Diag *d = diag_report (diags, DIAG_DUPLICATE_BINDING, r->output_loc, "output '%s' is renamed twice",
                                 r->output);
          diag_note (d, first->output_loc, "first renamed here");
          continue;
        }
      valid[i] = r;
    }
  return valid;
}

/* An arm's outputs after the pick's renames, as stand-ins that point back
 * at the arm's values (dropped ones count as read). */
static Outs *
rename_arm_outputs (Checker *c, const AstCall *call, const AstRename **valid, Outs *arm)
{
  if (arm->any || call->n_renames == 0)
    return arm;
  Outs *outs = flow_outs_new (c);
  for (guint j = 0; j < arm->vec.n; j++)
    {
      Value *v = OUT (arm, j);
      const AstRename *r = pick_rename (call, valid, v->name);
      if (r == NULL)
        {
          flow_outs_push (c, outs, v);
          continue;
        }
      if (r->key == NULL)
        {
          v->read = TRUE;
          continue;
        }
      Value *renamed = flow_value_new (c, r->key, v->type, v->loc);
      renamed->producer = v->producer;
      renamed->output = v->output;
      renamed->children = arena_newv (c->scratch, Value *, 1);
      renamed->children[0] = v;
      renamed->n_children = 1;
      renamed->pick_renamed = TRUE;
      renamed->fact = v->fact; /* the arm's value, under a new name */
      flow_outs_push (c, outs, renamed);
    }
  return outs;
}

/* What a pick leaves: the arms' outputs after renames (intersected over
 * the arms of a dynamic pick), published by the pick itself. */
static Outs *
pick_outputs (Checker *c, AstStmt *stmt, AstTable *table, Outs **arm_outs, guint n)
{
  AstCall *call = &stmt->u.call;
  const AstRename **valid = check_pick_renames (c, call, table, arm_outs, n);
  Outs **renamed = arena_newv (c->scratch, Outs *, n);
  for (guint i = 0; i < n; i++)
    renamed[i] = rename_arm_outputs (c, call, valid, arm_outs[i]);
  Outs *merged = flow_intersect (c, renamed, n, LOST_PICK_PATHS);

  Outs *outs = flow_outs_new (c);
  outs->any = merged->any;
  for (guint i = 0; i < merged->vec.n; i++)
    {
      Value *m = OUT (merged, i);
      m->read = TRUE; /* consumed by the pick, which publishes it anew */
      Value *v = flow_production_new (c, m->name, m->output, m->type, call->callee_loc, table->decl.name);
      v->fact = m->fact;
      /* Arm calls checked their own outputs; a pick's rename is new. */
      if (m->pick_renamed)
        flowchk_reproduce (c, v, call->callee_loc, "table", table->decl.name);
      flow_outs_push (c, outs, v);
    }
  return outs;
}

static TableInfo *
table_info (Checker *c, AstTable *table)
{
  return g_hash_table_lookup (c->table_infos, table);
}

/* The arms a pick reaches, each in the pick's own view: a dynamic pick's
 * every arm, a static pick's one. */
static Outs *
check_arms (Checker *c, AstStmt *stmt, AstTable *table, TableInfo *info)
{
  AstCall *call = &stmt->u.call;
  AstTableArm *one = NULL;
  AstTableArm **arms;
  guint n;
  if (call->pick == PICK_VALUE)
    {
      check_dispatch_key (c, call, table, info);
      arms = table->arms;
      n = table->n_arms;
    }
  else
    {
      one = static_arm (c, call, table, info);
      if (one == NULL)
        return flow_outs_any (c);
      call->arm = one;
      arms = &one;
      n = 1;
    }
  if (n == 0)
    return flow_outs_any (c);
  if (g_hash_table_contains (c->active_tables, table))
    {
      diag_report (c->program->diags, DIAG_TABLE_CALL, call->callee_loc,
                   "table '%s' is picked inside its own arms", table->decl.name);
      return flow_outs_any (c);
    }

  g_hash_table_add (c->active_tables, table);
  Outs **arm_outs = arena_newv (c->scratch, Outs *, n);
  for (guint i = 0; i < n; i++)
    {
      g_hash_table_add (c->checked_arms, arms[i]);
      arm_outs[i] = arms[i]->stmt != NULL ? flowchk_stmt (c, arms[i]->stmt) : flow_outs_any (c);
    }
  g_hash_table_remove (c->active_tables, table);
  return pick_outputs (c, stmt, table, arm_outs, n);
}

/* `table[key]`: a static pick checks its arm, a dynamic pick every arm,
 * each in the pick's own view. */
Outs *
flowchk_pick (Checker *c, AstStmt *stmt, AstTable *table)
{
  AstCall *call = &stmt->u.call;
  Diags *diags = c->program->diags;
  call->target = &table->decl;
  if (call->pick == PICK_NONE)
    {
      Diag *d = diag_report (diags, DIAG_TABLE_CALL, call->callee_loc,
                             "table '%s' is called without a key; pick an arm with '%s[key]'", table->decl.name,
                             table->decl.name);
      diag_note (d, table->decl.loc, "'%s' declared here", table->decl.name);
      return flow_outs_any (c);
    }
  if (call->n_bindings > 0)
    diag_report (diags, DIAG_TABLE_CALL, call->bindings[0]->loc,
                 "a pick of table '%s' takes no bindings; its arms read their inputs from the view",
                 table->decl.name);

  TableInfo *info = table_info (c, table);
  if (info == NULL)
    return flow_outs_any (c);
  gboolean dynamic = call->pick == PICK_VALUE;
  FactStmt *parent = flow_record_open (c, dynamic ? FACT_PICK : FACT_STATIC_PICK, stmt, dynamic ? 1 : 0, 0);
  Outs *outs = check_arms (c, stmt, table, info);
  flow_record_close (c, parent);
  return outs;
}
