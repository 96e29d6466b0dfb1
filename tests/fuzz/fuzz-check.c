/* fuzz-check.c — libFuzzer target: any bytes through lexer, parser,
 * checks, diagnostics, both drawings and, for a valid program, the code
 * generator.  Must never crash, hang, leak or trip a sanitizer. */
#include <stdio.h>
#include <string.h>
#include "gen.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static FILE *sink;
  if (sink == NULL)
    sink = fopen ("/dev/null", "w");

  char *text = g_malloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';

  Program *program = program_new ("fuzz.df", text, size);
  diags_set_werror (program->diags, size % 2 == 0);
  parse_program (program);
  check_program (program);
  diags_print (program->diags, sink);
  if (diags_error_count (program->diags) == 0)
    {
      GString *out = g_string_new (NULL);
      draw_dot (program, out);
      draw_mermaid (program, out);
      g_string_free (out, TRUE);

      GenOptions options = { .prefix = "", .c_name = "fuzz.c", .h_name = "fuzz.h", .line_directives = TRUE };
      GString *c_text = g_string_new (NULL), *h_text = g_string_new (NULL);
      GString *stubs_text = g_string_new (NULL);
      GError *error = NULL;
      if (!gen_program (program, &options, c_text, h_text, stubs_text, &error))
        g_clear_error (&error);
      g_string_free (c_text, TRUE);
      g_string_free (h_text, TRUE);
      g_string_free (stubs_text, TRUE);
    }
  program_free (program);
  g_free (text);
  return 0;
}
