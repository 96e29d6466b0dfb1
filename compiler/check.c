/* check.c — the order of the semantic passes. */
#include "program.h"

/* After a syntax error the tree is missing whatever did not parse; checking
 * it would report names "missing" that are merely unparsed, burying the real
 * error under echoes of it.  So the checks run only on a tree that parsed
 * whole.  Errors that lose nothing (a malformed number, an option out of
 * range: a harmless value stands in) do not stop them, so one run reports
 * every independent mistake. */
void
check_program (Program *program)
{
  if (program->file == NULL || program->tree_incomplete)
    return;
  resolve_program (program);
  check_flows (program);
  check_graphs (program);
  check_main (program);
  check_symbols (program);
  check_options (program);
}
