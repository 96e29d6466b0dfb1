/* gen-decl.c — what the generated C needs for a declaration: facts read
 * off the checked AST, asked by every part of the generator, so each is
 * decided once.  No names here (gen-names.c) and no output. */
#include "gen.h"

gboolean
gen_needs_call_type (const AstDecl *callee)
{
  if (callee->kind == DECL_FLOW)
    return TRUE;
  const AstStage *stage = (const AstStage *) callee;
  return stage->kind != STAGE_SYNC;
}

gboolean
gen_has_discard (const AstDecl *callee)
{
  return gen_any_owned (ast_decl_outputs (callee));
}

gboolean
gen_is_generator (const AstDecl *decl)
{
  return decl->kind == DECL_STAGE && ((const AstStage *) decl)->emits;
}

/* A `->` stage or a flow: one item (its outputs) per successful input. */
gboolean
gen_emits_one (const AstDecl *decl)
{
  if (decl->kind == DECL_FLOW)
    return ((const AstFlow *) decl)->has_arrow || ((const AstFlow *) decl)->out.n > 0;
  const AstStage *stage = (const AstStage *) decl;
  return !stage->emits && (stage->has_arrow || stage->out.n > 0);
}

/* Its items have fields (an Emit struct). */
gboolean
gen_has_emit_struct (const AstDecl *decl)
{
  return (gen_is_generator (decl) || gen_emits_one (decl)) && ast_decl_outputs (decl)->n > 0;
}

gboolean
gen_any_owned (const AstParams *params)
{
  for (guint i = 0; i < params->n; i++)
    if (types_free_fn (&params->items[i]->type) != NULL)
      return TRUE;
  return FALSE;
}

StageKind
gen_decl_kind (const AstDecl *decl)
{
  return decl->kind == DECL_FLOW ? STAGE_ASYNC : ((const AstStage *) decl)->kind;
}
