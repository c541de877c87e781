/* --molecules M | A-B (see molecules_option.h). */
#include "molecules_option.h"

#include "cli.h"
#include "options.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>

/* Whole decimal number that fits an int; *end gets the first byte after its digits. */
static int parse_count(const char *text, int *value, const char **end) {
    if (!isdigit((unsigned char)*text)) return 0;
    long long v = 0;
    for (; isdigit((unsigned char)*text); text++) {
        v = v * 10 + (*text - '0');
        if (v > INT_MAX) return 0;
    }
    *value = (int)v;
    *end = text;
    return 1;
}

int cli_molecules(const char *command, const char *text, int *molecules_min, int *molecules) {
    int low = 0, high = 0;
    const char *end = text;
    /* One number, negative ones too: the library's range check names the problem, as before
     * ranges existed. */
    int negative = text[0] == '-', sign = text[0] == '-' || text[0] == '+';
    int ok = parse_count(text + sign, &low, &end);
    if (ok && *end == '\0') {
        *molecules_min = 0;
        *molecules = negative ? -low : low;
        return CLI_PARSE_CONTINUE;
    }
    ok = ok && !sign;
    ok = ok && *end == '-' && parse_count(end + 1, &high, &end) && *end == '\0';
    if (!ok) {
        fprintf(stderr, "mumloc %s: --molecules expects an integer M or a range A-B of integers (e.g. "
                        "50 or 5-50), got '%s'\n", command, text);
        return CLI_EXIT_USAGE;
    }
    if (low < 1 || low > high) {
        fprintf(stderr, "mumloc %s: --molecules range A-B needs 1 <= A <= B (each frame draws its "
                        "count from A to B; for a fixed count give one number), got '%s'\n",
                command, text);
        return CLI_EXIT_USAGE;
    }
    *molecules_min = low;
    *molecules = high;
    return CLI_PARSE_CONTINUE;
}
