/* mumloc_format_number: exact strings for a table of values, and a round-trip invariant. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"

static void expect(double value, const char *expected) {
    char buf[64];
    mumloc_status s = mumloc_format_number(value, buf, sizeof buf);
    if (s != MUMLOC_OK || strcmp(buf, expected) != 0) {
        fprintf(stderr, "format(%.17g) = \"%s\" (%s), expected \"%s\"\n", value, buf,
                mumloc_status_string(s), expected);
        check_failures++;
    }
}

/* "0." followed by `zeros` zeros and then digits */
static const char *small(int zeros, const char *digits) {
    static char text[128];
    strcpy(text, "0.");
    for (int i = 0; i < zeros; i++) strcat(text, "0");
    strcat(text, digits);
    return text;
}

int main(void) {
    /* integers, plainly and exactly below 10^15 */
    expect(0.0, "0");
    expect(-0.0, "0");
    expect(1, "1");
    expect(-42, "-42");
    expect(123456789012.0, "123456789012");
    expect(999999999999999.0, "999999999999999");
    /* ≥ 10^15: nine significant digits, then zeros (2^52 + 1 = 4503599627370497) */
    expect(4503599627370497.0, "4503599630000000");
    expect(1e20, "100000000000000000000");
    expect(1.23456789012e20, "123456789000000000000");
    expect(-1.5e21, "-1500000000000000000000");
    /* fractions: nine significant digits, trailing zeros removed */
    expect(0.5, "0.5");
    expect(0.1, "0.1");
    expect(2.5, "2.5");
    expect(123.456, "123.456");
    expect(1.0 / 3.0, "0.333333333");
    expect(-2.0 / 3.0, "-0.666666667");
    expect(1234567.891234, "1234567.89");
    expect(9.9999999996, "10");
    expect(-9.9999999996, "-10");
    expect(0.000123456789123, "0.000123456789");
    expect(100.00000001, "100");
    expect(5.0000000049, "5");
    /* tiny values: never an exponent; at most 45 decimals */
    expect(1e-12, "0.000000000001");
    expect(1.5e-7, "0.00000015");
    expect(-2.5e-9, "-0.0000000025");
    expect(1e-45, small(44, "1"));
    expect(1.23456789e-40, small(39, "123457"));
    expect(6e-46, small(44, "1"));
    expect(4e-46, "0");
    expect(-1e-50, "0");
    expect(5e-324, "0");
    /* huge: digits up to 10^60, an overflow to Infinity beyond */
    expect(9.99e59, "999000000000000000000000000000000000000000000000000000000000");
    expect(1e60, "Infinity");
    expect(-1e300, "-Infinity");
    /* special values */
    expect(NAN, "NaN");
    expect(INFINITY, "Infinity");
    expect(-INFINITY, "-Infinity");

    /* the buffer must hold 64 bytes */
    char short_buf[63];
    CHECK_STATUS(mumloc_format_number(1.0, short_buf, sizeof short_buf), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "64") != NULL);
    CHECK_STATUS(mumloc_format_number(1.0, NULL, 64), MUMLOC_ERR_INVALID_ARGUMENT);

    /* invariant: the text reads back within half a unit of the ninth digit, has no exponent and
     * fits the buffer, over magnitudes from 1e-30 to 1e50 */
    srand(7);
    for (int i = 0; i < 20000; i++) {
        double mantissa = (double)rand() / RAND_MAX * 9 + 1;
        int exponent = rand() % 81 - 30;
        double v = (rand() & 1 ? -1 : 1) * mantissa * pow(10, exponent);
        char buf[64];
        CHECK_OK(mumloc_format_number(v, buf, sizeof buf));
        CHECK(strpbrk(buf, "eE") == NULL);
        CHECK(strlen(buf) < 64);
        double back = strtod(buf, NULL);
        if (!(fabs(back - v) <= 5.0000001e-9 * fabs(v))) {
            fprintf(stderr, "%.17g -> %s -> %.17g\n", v, buf, back);
            check_failures++;
            break;
        }
    }
    return CHECK_DONE("test_io_number");
}
