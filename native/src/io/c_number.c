/* strtod under the "C" locale, switched per call for the calling thread only (uselocale). */
#include "io/c_number.h"

#include <locale.h>
#include <stdlib.h>

/* One shared "C" locale object, created on first use. A race creates two; one is then freed. */
static locale_t c_locale(void) {
    static locale_t shared = (locale_t)0;
    locale_t loc = __atomic_load_n(&shared, __ATOMIC_ACQUIRE);
    if (loc) return loc;
    locale_t created = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!created) return (locale_t)0;
    locale_t expected = (locale_t)0;
    if (!__atomic_compare_exchange_n(&shared, &expected, created, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE)) {
        freelocale(created);
        return expected;
    }
    return created;
}

double mumloc_strtod_c(const char *text, char **end) {
    locale_t loc = c_locale();
    if (!loc) return strtod(text, end); /* cannot happen for "C"; fall back to the process locale */
    locale_t previous = uselocale(loc);
    double value = strtod(text, end);
    uselocale(previous);
    return value;
}
