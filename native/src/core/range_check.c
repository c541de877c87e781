/* Range checks with messages that name the option, its accepted range and the value given. */
#include "core/range_check.h"

#include <math.h>

#include "core/error.h"

static const char *spaced(const char *unit) { return unit[0] ? " " : ""; }

/* Numbers in messages as in tables: plain decimals, never exponent notation. */
typedef struct number_text { char s[64]; } number_text;
static number_text plain(double v) {
    number_text t;
    mumloc_format_number(v, t.s, sizeof t.s);
    return t;
}

mumloc_status range_check(const char *name, double value, double lo, double hi,
                                 const char *unit) {
    if (isfinite(value) && value >= lo && value <= hi) return MUMLOC_OK;
    return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "%s must be between %s and %s%s%s (got %s)", name,
                       plain(lo).s, plain(hi).s, spaced(unit), unit, plain(value).s);
}

mumloc_status check_int_range(const char *name, long long value, long long lo, long long hi) {
    if (value >= lo && value <= hi) return MUMLOC_OK;
    return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "%s must be between %lld and %lld (got %lld)", name,
                       lo, hi, value);
}

mumloc_status check_positive(const char *name, double value, double hi, const char *unit) {
    if (isfinite(value) && value > 0.0 && value <= hi) return MUMLOC_OK;
    return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                       "%s must be greater than 0 and at most %s%s%s (got %s)", name, plain(hi).s,
                       spaced(unit), unit, plain(value).s);
}
