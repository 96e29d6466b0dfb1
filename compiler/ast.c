/* ast.c — lookups over the syntax tree that every phase needs. */
#include "ast.h"

gint
ast_param_index (const AstParams *params, Sym name)
{
  for (guint i = 0; params != NULL && i < params->n; i++)
    if (params->items[i]->name == name)
      return (gint) i;
  return -1;
}

const AstParam *
ast_param_named (const AstParams *params, Sym name)
{
  gint i = ast_param_index (params, name);
  return i < 0 ? NULL : params->items[i];
}

const AstBinding *
ast_binding_named (AstBinding *const *bindings, guint n, Sym param)
{
  for (guint i = 0; i < n; i++)
    if (bindings[i]->param == param)
      return bindings[i];
  return NULL;
}

/* "stage", "flow", ...: how messages name a kind of declaration. */
const char *
ast_decl_kind_name (DeclKind kind)
{
  switch (kind)
    {
    case DECL_TYPE: return "type";
    case DECL_STAGE: return "stage";
    case DECL_TABLE: return "table";
    case DECL_FLOW: return "flow";
    case DECL_GRAPH: return "graph";
    }
  g_assert_not_reached ();
}

const char *
ast_decl_kind_phrase (DeclKind kind)
{
  switch (kind)
    {
    case DECL_TYPE: return "a type";
    case DECL_STAGE: return "a stage";
    case DECL_TABLE: return "a table";
    case DECL_FLOW: return "a flow";
    case DECL_GRAPH: return "a graph";
    }
  g_assert_not_reached ();
}

const AstParams *
ast_decl_inputs (const AstDecl *decl)
{
  switch (decl->kind)
    {
    case DECL_STAGE: return &((const AstStage *) decl)->in;
    case DECL_FLOW: return &((const AstFlow *) decl)->in;
    case DECL_GRAPH: return &((const AstGraph *) decl)->in;
    case DECL_TYPE:
    case DECL_TABLE:
      break;
    }
  g_assert_not_reached ();
}

const AstParams *
ast_decl_outputs (const AstDecl *decl)
{
  switch (decl->kind)
    {
    case DECL_STAGE: return &((const AstStage *) decl)->out;
    case DECL_FLOW: return &((const AstFlow *) decl)->out;
    case DECL_TYPE:
    case DECL_TABLE:
    case DECL_GRAPH:
      break;
    }
  g_assert_not_reached ();
}
