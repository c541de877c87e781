/* mumloc_format_number: numbers as mumloc's CSV files write them.
 *
 * The rule, in order:
 *   - NaN → "NaN", +∞ → "Infinity", −∞ → "-Infinity"; zero (either sign) → "0".
 *   - Integers with |v| < 10^15 are written exactly ("123456789012").
 *   - Anything else is rounded to 9 significant digits, and to at most 45 decimal places, then
 *     written as a plain decimal with trailing zeros removed: 1e-12 → "0.000000000001",
 *     1e20 → "100000000000000000000", -2/3 → "-0.666666667". So |v| < 5e-46 writes "0".
 *   - A magnitude that rounds to 10^60 or more is written as "Infinity" / "-Infinity" (an overflow,
 *     like a float cast), so that every number fits the 64-byte buffer the API promises.
 * The text never depends on the process locale (Fiji may run with a comma decimal separator). */
#include "core/error.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { MAX_DECIMALS = 45, MAX_INTEGER_DIGITS = 60, SIGNIFICANT = 9 };

/* Splits printf's "%.Ne" text into its digits and decimal exponent, ignoring the locale's decimal
 * separator whatever it is. Returns the number of digits. */
static int split_scientific(const char *text, char *digits, int *exponent) {
    int n = 0;
    const char *p = text;
    for (; *p && *p != 'e' && *p != 'E'; p++)
        if (*p >= '0' && *p <= '9') digits[n++] = *p;
    digits[n] = '\0';
    int sign = 1, e = 0;
    if (*p) p++;
    if (*p == '-') { sign = -1; p++; } else if (*p == '+') p++;
    for (; *p >= '0' && *p <= '9'; p++) e = e * 10 + (*p - '0');
    *exponent = sign * e;
    return n;
}

/* Writes digits d0 d1 … (d0 at 10^exponent) as a plain decimal without trailing zeros. */
static void layout_plain(const char *digits, int n, int exponent, int negative, char *out) {
    char *o = out;
    if (negative) *o++ = '-';
    if (exponent >= 0) {
        for (int i = 0; i <= exponent; i++) *o++ = i < n ? digits[i] : '0';
        if (n > exponent + 1) {
            *o++ = '.';
            for (int i = exponent + 1; i < n; i++) *o++ = digits[i];
        }
    } else {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -exponent - 1; i++) *o++ = '0';
        for (int i = 0; i < n; i++) *o++ = digits[i];
    }
    *o = '\0';
    /* trailing zeros of the fraction, then a bare '.' */
    if (strchr(out, '.')) {
        size_t len = strlen(out);
        while (len > 0 && out[len - 1] == '0') out[--len] = '\0';
        if (len > 0 && out[len - 1] == '.') out[--len] = '\0';
    }
    if (strcmp(out, "-0") == 0 || strcmp(out, "-") == 0) strcpy(out, "0");
}

mumloc_status mumloc_format_number(double value, char *buf, size_t cap) {
    if (!buf || cap < 64)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "mumloc_format_number needs a buffer of at least 64 bytes, got %zu",
                           buf ? cap : (size_t)0);
    if (isnan(value)) { strcpy(buf, "NaN"); return MUMLOC_OK; }
    if (isinf(value)) { strcpy(buf, value > 0 ? "Infinity" : "-Infinity"); return MUMLOC_OK; }
    if (value == 0) { strcpy(buf, "0"); return MUMLOC_OK; }

    int negative = value < 0;
    double magnitude = fabs(value);
    if (magnitude < 1e15 && magnitude == floor(magnitude)) {
        snprintf(buf, cap, "%s%.0f", negative ? "-" : "", magnitude);
        return MUMLOC_OK;
    }

    char text[64], digits[64];
    int exponent;
    snprintf(text, sizeof text, "%.*e", SIGNIFICANT - 1, magnitude);
    int n = split_scientific(text, digits, &exponent);
    if (exponent >= MAX_INTEGER_DIGITS) {
        strcpy(buf, negative ? "-Infinity" : "Infinity");
        return MUMLOC_OK;
    }
    if ((SIGNIFICANT - 1) - exponent > MAX_DECIMALS) {
        /* the 9th digit would fall below 10^-45: keep only the digits down to 10^-45 */
        int precision = MAX_DECIMALS + exponent; /* digits after the first one */
        if (precision >= 0) {
            snprintf(text, sizeof text, "%.*e", precision, magnitude);
            n = split_scientific(text, digits, &exponent);
        } else if (exponent == -(MAX_DECIMALS + 1) && digits[0] >= '5') {
            strcpy(digits, "1"); /* rounds up to exactly 10^-45 */
            n = 1;
            exponent = -MAX_DECIMALS;
        } else {
            strcpy(buf, "0");
            return MUMLOC_OK;
        }
    }
    layout_plain(digits, n, exponent, negative, buf);
    return MUMLOC_OK;
}
