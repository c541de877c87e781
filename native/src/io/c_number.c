/* strtod under the "C" locale, switched per call for the calling thread only (uselocale). */
#include "io/c_number.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

double strtod_c(const char *text, char **end) {
    locale_t loc = c_locale();
    if (!loc) return strtod(text, end); /* cannot happen for "C"; fall back to the process locale */
    locale_t previous = uselocale(loc);
    double value = strtod(text, end);
    uselocale(previous);
    return value;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Length of the plain decimal at the start of text (0 when there is none). */
static size_t decimal_length(const char *text) {
    const char *p = text;
    if (*p == '+' || *p == '-') p++;
    size_t digits = 0;
    while (is_digit(*p)) p++, digits++;
    if (*p == '.') {
        p++;
        while (is_digit(*p)) p++, digits++;
    }
    if (digits == 0) return 0;
    if (*p == 'e' || *p == 'E') {
        const char *e = p + 1;
        if (*e == '+' || *e == '-') e++;
        if (!is_digit(*e)) return 0;
        while (is_digit(*e)) e++;
        p = e;
    }
    return (size_t)(p - text);
}

number_check parse_table_number(const char *text, double *value) {
    if (strcmp(text, "NaN") == 0) { *value = NAN; return NUMBER_OK; }
    if (strcmp(text, "Infinity") == 0) { *value = INFINITY; return NUMBER_OK; }
    if (strcmp(text, "-Infinity") == 0) { *value = -INFINITY; return NUMBER_OK; }
    size_t len = decimal_length(text);
    if (len == 0 || text[len] != '\0') return NUMBER_NOT_DECIMAL;
    double v = strtod_c(text, NULL);
    if (isinf(v)) return NUMBER_TOO_LARGE;
    *value = v;
    return NUMBER_OK;
}
