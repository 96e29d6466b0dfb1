/* mode-tests.c — see mode-tests.h. */
#include <string.h>

#include "mode-tests.h"

void
mode_tests_add (const char *prefix, const ModeTest *tests, guint n)
{
  static const char *const modes[] = { "--mode=sync", "--mode=async" };
  for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
    for (guint t = 0; t < n; t++)
      {
        g_autofree char *path = g_strdup_printf ("%s/%s/%s", prefix,
                                                 modes[m] + strlen ("--mode="), tests[t].name);
        g_test_add_data_func (path, modes[m], tests[t].func);
      }
}
