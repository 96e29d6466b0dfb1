/* dfrt.h — the dfc runtime: everything a program using generated flows
 * needs.  Generated code includes "dfrt-gen.h", which includes this.
 * Installed in $includedir/dfrt; pkg-config dfrt adds that to the path.
 */
#pragma once

#include "dfrt-types.h"
#include "dfrt-error.h"
#include "dfrt-runtime.h"
#include "dfrt-call.h"
#include "dfrt-stats.h"
#include "dfrt-main.h"
#include "dfrt-graph.h"
#include "dfrt-fields.h"
