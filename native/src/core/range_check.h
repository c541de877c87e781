/* Shared wording for parameter validation: every message starts with the option name as the CLI
 * spells it (without dashes), then the accepted range, then the value given. */
#ifndef OPTICS_RANGE_CHECK_H
#define OPTICS_RANGE_CHECK_H

#include "mumloc.h"

/* lo ≤ value ≤ hi and finite; unit may be "" (else it follows the numbers, e.g. "nm"). */
mumloc_status range_check(const char *name, double value, double lo, double hi,
                                 const char *unit);
/* Integer variant: lo ≤ value ≤ hi. */
mumloc_status check_int_range(const char *name, long long value, long long lo, long long hi);
/* 0 < value ≤ hi and finite. */
mumloc_status check_positive(const char *name, double value, double hi, const char *unit);

#endif
