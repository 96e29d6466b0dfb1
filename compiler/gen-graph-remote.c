/* gen-graph-remote.c — a remote node's input item as stream-entry fields.
 *
 * For `node N = S remote`, N's input item (S's item struct) crosses
 * processes (docs/scale-out.md): GRAPH__N_encode writes each parameter an
 * edge fills as the field of its name (dfrt-fields.h), GRAPH__N_decode
 * reads them back, each checked against its C type's range.  Parameters
 * bound on the node are not sent: the trampoline reads them from the
 * graph's inputs in every process.  types_crosses_processes () (the
 * checker's rule too) says which types these can write:
 *
 *   static void
 *   tally__count_encode (gconstpointer item, DfFieldsBuilder *fields)
 *   {
 *     const CountItem *it_ = item;
 *     df_fields_add_int (fields, "v", it_->v);
 *   }
 */
#include <string.h>

#include "gen.h"

/* The parameters that travel: those no binding of the node gives. */
static gboolean
travels (const AstNode *node, const AstParam *param)
{
  return ast_binding_named (node->bindings, node->n_bindings, param->name) == NULL;
}

static void
encode_param (Writer *w, const AstParam *param)
{
  CTypeInfo info = types_classify (types_ctype (&param->type));
  const char *add = info.klass == CTYPE_SIGNED ? "int"
                    : info.klass == CTYPE_UNSIGNED ? "uint"
                    : info.klass == CTYPE_FLOAT ? "double"
                    : info.klass == CTYPE_BOOL ? "bool" : NULL;

  if (add != NULL)
    writer_line (w, "df_fields_add_%s (fields, \"%s\", it_->%s);", add, param->name,
                 param->name);
  else
    writer_line (w, "df_fields_add_string (fields, \"%s\", it_->%s, -1);", param->name,
                 param->name);
}

static char *
signed_limit (gint64 v)
{
  if (v == G_MININT64)
    return g_strdup ("G_MININT64");
  if (v == G_MAXINT64)
    return g_strdup ("G_MAXINT64");
  return g_strdup_printf ("%" G_GINT64_FORMAT, v);
}

static void
decode_param (Writer *w, const AstParam *param)
{
  CTypeInfo info = types_classify (types_ctype (&param->type));
  const char *name = param->name;

  writer_line (w, "{");
  writer_indent (w);
  switch (info.klass)
    {
    case CTYPE_SIGNED:
      {
        g_autofree char *min = signed_limit (info.min);
        g_autofree char *max = signed_limit ((gint64) info.max);
        writer_line (w, "gint64 v_;");
        writer_line (w, "if (!df_fields_get_int (fields, \"%s\", %s, %s, &v_, error))", name,
                     min, max);
        break;
      }
    case CTYPE_UNSIGNED:
      {
        g_autofree char *max = info.max == G_MAXUINT64
                                   ? g_strdup ("G_MAXUINT64")
                                   : g_strdup_printf ("%" G_GUINT64_FORMAT, info.max);
        writer_line (w, "guint64 v_;");
        writer_line (w, "if (!df_fields_get_uint (fields, \"%s\", %s, &v_, error))", name, max);
        break;
      }
    case CTYPE_FLOAT:
      writer_line (w, "double v_;");
      writer_line (w, "if (!df_fields_get_double (fields, \"%s\", &v_, error))", name);
      break;
    case CTYPE_BOOL:
      writer_line (w, "gboolean v_;");
      writer_line (w, "if (!df_fields_get_bool (fields, \"%s\", &v_, error))", name);
      break;
    default:
      writer_line (w, "char *v_;");
      writer_line (w, "if (!df_fields_get_string (fields, \"%s\", &v_, error))", name);
      break;
    }
  writer_line (w, "  return FALSE;");
  writer_line (w, "it_->%s = v_;", name);
  writer_dedent (w);
  writer_line (w, "}");
}

void
gen_graph_remote_codec (Gen *g, const AstGraph *graph, const AstNode *node)
{
  Writer *w = g->c;
  const AstParams *in = ast_decl_inputs (node->target);
  const char *item = gen_item_type (g, node->target);

  writer_line (w, "/* node %s: its input item as the fields of a stream entry */", node->name);
  writer_line (w, "static void");
  writer_line (w, "%s (gconstpointer item, DfFieldsBuilder *fields)",
               gen_node_static (g, graph, node, "encode"));
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "const %s *it_ = item;", item);
  for (guint i = 0; i < in->n; i++)
    if (travels (node, in->items[i]))
      encode_param (w, in->items[i]);
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);

  writer_line (w, "static gboolean");
  writer_line (w, "%s (const DfFields *fields, gpointer item, GError **error)",
               gen_node_static (g, graph, node, "decode"));
  writer_line (w, "{");
  writer_indent (w);
  writer_line (w, "%s *it_ = item;", item);
  for (guint i = 0; i < in->n; i++)
    if (travels (node, in->items[i]))
      decode_param (w, in->items[i]);
  writer_line (w, "return TRUE;");
  writer_dedent (w);
  writer_line (w, "}");
  writer_blank (w);
}

void
gen_graph_remote_desc (Gen *g, const AstGraph *graph, const AstNode *node)
{
  Writer *w = g->c;

  writer_line (w, ".remote = TRUE,");
  writer_line (w, ".encode = %s,", gen_node_static (g, graph, node, "encode"));
  writer_line (w, ".decode = %s,", gen_node_static (g, graph, node, "decode"));
}
