/* gen-stubs.c — dfc --stubs FILE.c: a skeleton of what the user
 * implements for the program's own file (its stages, their `state`
 * functions, main's user data), not for the files it imports, whose
 * library implements them.
 *
 * Each function has the header's prototype, every parameter it need not
 * read marked G_GNUC_UNUSED (so the file builds under -Wall -Wextra
 * -Werror), a comment saying what to do, and a body that fails clearly
 * at run time ("stage 'parse' is not implemented yet") until it is
 * written: a skeleton that compiles never passes for a finished program.
 */
#include <string.h>
#include "gen.h"

/* The outputs a stage hands on, for its comment: "*count, *title" where
 * it sets them through pointers (`deref`), else "count, title" as
 * NAME_return () and NAME_emit () take them. */
static char *
output_list (Gen *g, const AstStage *stage, gboolean deref)
{
  const char **names = deref ? gen_param_names (g, &stage->in, &stage->out) + stage->in.n
                             : gen_param_names (g, NULL, &stage->out);
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < stage->out.n; i++)
    g_string_append_printf (s, "%s%s%s", i == 0 ? "" : ", ", deref ? "*" : "", names[i]);
  return g_string_free (s, FALSE);
}

static void
sync_body (Gen *g, Writer *w, const AstStage *stage)
{
  g_autofree char *outs = output_list (g, stage, !stage->emits);
  if (stage->emits)
    {
      writer_line (w, "/* Emit each item with %s (ctx%s%s).", gen_entry_name (g, stage->decl.name, "emit"),
                   stage->out.n > 0 ? ", " : "", outs);
      if (stage->kind == STAGE_BLOCKING)
        writer_line (w, " * The emit waits while the consumers are full.");
      writer_line (w, " * Return TRUE after the last one, or set @error and return FALSE. */");
    }
  else if (stage->out.n > 0)
    {
      writer_line (w, "/* Set %s (what you set passes to the runtime) and return TRUE,", outs);
      writer_line (w, " * or set @error and return FALSE. */");
    }
  else
    writer_line (w, "/* Do the work and return TRUE, or set @error and return FALSE. */");
  writer_line (w, "g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,");
  writer_line (w, "             \"stage '%s' is not implemented yet\");", stage->decl.name);
  writer_line (w, "return FALSE;");
}

static void
async_body (Gen *g, Writer *w, const AstStage *stage)
{
  g_autofree char *outs = output_list (g, stage, FALSE);
  const char *ret = gen_entry_name (g, stage->decl.name, "return");
  writer_line (w, "/* Start the work and return.  df_call_get_cancellable (call) is cancelled");
  writer_line (w, " * on a time-out, a drain or a cancel.");
  if (stage->emits)
    {
      writer_line (w, " * Emit each item with %s (df_call_get_context (call)%s%s),",
                   gen_entry_name (g, stage->decl.name, "emit"), stage->out.n > 0 ? ", " : "", outs);
      writer_line (w, " * from any thread; then finish exactly once, from any thread, with");
      writer_line (w, " * %s (call) or df_call_fail (call, error). */", ret);
    }
  else
    {
      writer_line (w, " * Finish exactly once, from any thread, with");
      writer_line (w, " * %s (call%s%s) or df_call_fail (call, error). */", ret,
                   stage->out.n > 0 ? ", " : "", outs);
    }
  writer_line (w, "df_call_failf (call, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,");
  writer_line (w, "               \"stage '%s' is not implemented yet\");", stage->decl.name);
}

/* The head of a definition, its parameters wrapped under the "(" where
 * the line would pass 80 columns. */
static void
write_head (Writer *w, const char *proto)
{
  const char *name = strchr (proto, '\n') + 1;
  writer_raw (w, proto, (gsize) (name - proto));
  guint indent = (guint) (strchr (name, '(') - name) + 1;
  guint col = 0;
  for (const char *p = name; *p != '\0';)
    {
      const char *comma = strstr (p, ", ");
      gsize len = comma != NULL ? (gsize) (comma - p) + 1 : strlen (p);
      if (col > indent && col + 1 + len > 80)
        {
          writer_printf (w, "\n%*s", (int) indent, "");
          col = indent;
        }
      else if (p != name)
        {
          writer_raw (w, " ", 1);
          col++;
        }
      writer_raw (w, p, len);
      col += (guint) len;
      p += len + (comma != NULL ? 1 : 0);
    }
  writer_raw (w, "\n", 1);
}

static void
stage_stub (Gen *g, Writer *w, const AstStage *stage)
{
  static const char *const kinds[] = {
    [STAGE_SYNC] = "sync: runs on the loop thread",
    [STAGE_ASYNC] = "async: starts work that finishes later",
    [STAGE_BLOCKING] = "blocking: runs on a worker thread",
  };
  g_autofree char *proto = gen_stage_prototype (g, stage, TRUE);
  writer_blank (w);
  writer_line (w, "/* %s:%u: stage %s (%s). */", program_loc_path (g->program, stage->decl.loc),
               stage->decl.loc.line, stage->decl.name, kinds[stage->kind]);
  write_head (w, proto);
  writer_line (w, "{");
  writer_indent (w);
  if (stage->kind == STAGE_ASYNC)
    async_body (g, w, stage);
  else
    sync_body (g, w, stage);
  writer_dedent (w);
  writer_line (w, "}");
}

/* NAME_open () / NAME_close () of a stage with `state (T)`. */
static void
state_stubs (Gen *g, Writer *w, const AstStage *stage)
{
  g_autofree char *out = gen_decl (&stage->state->type, "state", TRUE);
  g_autofree char *value = gen_decl (&stage->state->type, "state G_GNUC_UNUSED", FALSE);
  writer_blank (w);
  writer_line (w, "/* The state of one task of a node running %s: made before its first", stage->decl.name);
  writer_line (w, " * item (FALSE with @error halts the graph), freed once after its last. */");
  writer_line (w, "gboolean");
  writer_line (w, "%s (DfContext *ctx G_GNUC_UNUSED, %s, GError **error G_GNUC_UNUSED)",
               gen_state_fn (g, stage, "open", TRUE), out);
  writer_line (w, "{");
  writer_line (w, "  *state = NULL;");
  writer_line (w, "  return TRUE;");
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "void");
  writer_line (w, "%s (DfContext *ctx G_GNUC_UNUSED, %s)", gen_state_fn (g, stage, "close", TRUE), value);
  writer_line (w, "{");
  writer_line (w, "}");
}

/* main (T): the user data every stage of main's runs reads. */
static void
user_data_stubs (Gen *g, Writer *w, const AstParam *data)
{
  const char *ctype = gen_ctype (&data->type);
  g_autofree char *value = gen_decl (&data->type, "data G_GNUC_UNUSED", FALSE);
  writer_blank (w);
  writer_line (w, "/* main's user data: made once the options are parsed (@error set: main");
  writer_line (w, " * prints it and exits with status 1), freed after the last run. */");
  writer_line (w, "%s", ctype);
  writer_line (w, "%s (int argc G_GNUC_UNUSED, char **argv G_GNUC_UNUSED, GError **error)",
               gen_name (g, "main_user_data_new"));
  writer_line (w, "{");
  writer_line (w, "  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,");
  writer_line (w, "               \"main_user_data_new () is not implemented yet\");");
  writer_line (w, "  return NULL;");
  writer_line (w, "}");
  writer_blank (w);
  writer_line (w, "void");
  writer_line (w, "%s (%s)", gen_name (g, "main_user_data_free"), value);
  writer_line (w, "{");
  writer_line (w, "}");
}

void
gen_stubs (Gen *g, Writer *w)
{
  AstFile *file = g->program->file;
  writer_line (w, "/* The stages of %s: a skeleton written by dfc --stubs.  Every function", g->program->path);
  writer_line (w, " * fails with \"not implemented yet\" until you write it. */");
  writer_line (w, "#include \"%s\"", g->options->h_name);
  for (guint i = 0; i < file->n_stages; i++)
    {
      const AstStage *stage = file->stages[i];
      if (stage->decl.loc.file != 0)   /* an imported file's: its library's */
        continue;
      stage_stub (g, w, stage);
      if (stage->state != NULL)
        state_stubs (g, w, stage);
    }
  for (guint i = 0; i < file->n_mains; i++)
    if (file->mains[i]->user_data != NULL && file->mains[i]->loc.file == 0)
      user_data_stubs (g, w, file->mains[i]->user_data);
}
