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
