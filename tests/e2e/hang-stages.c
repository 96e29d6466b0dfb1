/* hang-stages.c — the stages of hang.df: they never complete. */
#include "hang.h"

void
hg_never (DfCall *call, int x)
{
}

void
hg_never_retry (DfCall *call, int x)
{
}
