/* fuzz-check.c — libFuzzer target: any bytes through lexer, parser,
 * checks, diagnostics and both drawings.  Must never crash, hang, leak or
 * trip a sanitizer. */
#include <stdio.h>
#include <string.h>
#include "program.h"

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
    }
  program_free (program);
  g_free (text);
  return 0;
}
