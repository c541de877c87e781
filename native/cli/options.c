/* Table-driven option parsing and help for the `mumloc` commands (see options.h). */
#include "options.h"

#include "cli.h"
#include "mumloc.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_OPTIONS = 128, HELP_COLUMN = 26 };

static void usage_error(const cli_command_spec *spec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void usage_error(const cli_command_spec *spec, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "mumloc %s: ", spec->command);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
}

static size_t count_options(const cli_command_spec *spec) {
    size_t n = 0;
    if (spec->options)
        while (spec->options[n].name) n++;
    return n;
}

/* ---- value syntax ------------------------------------------------------------------------------ */

typedef enum { PARSED, NOT_A_NUMBER, OUT_OF_RANGE } number_parse;

/* Whole decimal integer in [lo, hi]; no spaces, no trailing characters. */
static number_parse parse_signed(const char *text, long long lo, long long hi, long long *out) {
    if (!*text || isspace((unsigned char)*text)) return NOT_A_NUMBER;
    char *end = NULL;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (*end != '\0') return NOT_A_NUMBER;
    if (errno == ERANGE || value < lo || value > hi) return OUT_OF_RANGE;
    *out = value;
    return PARSED;
}

/* strtoull accepts "-1" and wraps it around: only digits (and one leading '+') get through here. */
static number_parse parse_unsigned(const char *text, unsigned long long *out) {
    const char *digits = text[0] == '+' ? text + 1 : text;
    if (!*digits) return NOT_A_NUMBER;
    for (const char *c = digits; *c; c++)
        if (!isdigit((unsigned char)*c)) return NOT_A_NUMBER;
    char *end = NULL;
    errno = 0;
    unsigned long long value = strtoull(digits, &end, 10);
    if (errno == ERANGE) return OUT_OF_RANGE;
    *out = value;
    return PARSED;
}

/* "-1" is a number but outside an unsigned range: tell the two apart for the message. */
static number_parse classify_unsigned(const char *text, unsigned long long *out) {
    if (text[0] == '-') {
        long long ignored;
        return parse_signed(text, LLONG_MIN, LLONG_MAX, &ignored) == NOT_A_NUMBER ? NOT_A_NUMBER
                                                                                   : OUT_OF_RANGE;
    }
    return parse_unsigned(text, out);
}

static int parse_double(const char *text, double *out) {
    if (!*text || isspace((unsigned char)*text)) return 0;
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (*end != '\0' || !isfinite(value)) return 0;
    *out = value;
    return 1;
}

/* "W" or "WxH": unsigned decimal integers that fit an int (0 passes; the library checks ranges). */
static int parse_size(const char *text, int *width, int *height) {
    long long parts[2] = {0, 0};
    int count = 0;
    const char *c = text;
    while (count < 2) {
        if (!isdigit((unsigned char)*c)) return 0;
        long long value = 0;
        while (isdigit((unsigned char)*c)) {
            value = value * 10 + (*c - '0');
            if (value > INT_MAX) return 0;
            c++;
        }
        parts[count++] = value;
        if (*c == '\0') break;
        if ((*c != 'x' && *c != 'X') || count == 2) return 0;
        c++;
    }
    *width = (int)parts[0];
    *height = (int)(count == 2 ? parts[1] : parts[0]);
    return 1;
}

void cli_choices_from_names(const char *(*name)(int), cli_choice choices[CLI_MAX_CHOICES]) {
    int n = 0;
    for (const char *word; n < CLI_MAX_CHOICES - 1 && (word = name(n)) != NULL; n++)
        choices[n] = (cli_choice){word, n};
    choices[n] = (cli_choice){NULL, 0};
}

static const char *rig_layout_word(int layout) {
    return layout >= 0 && layout < MUMLOC_RIG_LAYOUT_COUNT
               ? mumloc_rig_layout_name((mumloc_rig_layout)layout)
               : NULL;
}

void cli_rig_layout_choices(cli_choice choices[CLI_MAX_CHOICES]) {
    cli_choices_from_names(rig_layout_word, choices);
}

static const cli_choice *find_choice(const cli_choice *choices, const char *name) {
    for (const cli_choice *c = choices; c && c->name; c++)
        if (strcmp(c->name, name) == 0) return c;
    return NULL;
}

static void print_choice_list(FILE *out, const cli_choice *choices, const char *separator) {
    for (const cli_choice *c = choices; c && c->name; c++)
        fprintf(out, "%s%s", c == choices ? "" : separator, c->name);
}

/* Stores text into the option's destination; prints one error line and returns 0 on bad syntax. */
static int store_value(const cli_command_spec *spec, const cli_option *opt, const char *text) {
    long long sval;
    unsigned long long uval;
    number_parse result;
    switch (opt->type) {
    case CLI_INT:
        result = parse_signed(text, INT_MIN, INT_MAX, &sval);
        if (result == PARSED) { *(int *)opt->dest = (int)sval; return 1; }
        if (result == OUT_OF_RANGE)
            usage_error(spec, "--%s expects an integer between %d and %d, got '%s'", opt->name,
                        INT_MIN, INT_MAX, text);
        else
            usage_error(spec, "--%s expects an integer, got '%s'", opt->name, text);
        return 0;
    case CLI_INT64:
        result = parse_signed(text, INT64_MIN, INT64_MAX, &sval);
        if (result == PARSED) { *(int64_t *)opt->dest = (int64_t)sval; return 1; }
        if (result == OUT_OF_RANGE)
            usage_error(spec, "--%s expects an integer between %" PRId64 " and %" PRId64
                              ", got '%s'", opt->name, INT64_MIN, INT64_MAX, text);
        else
            usage_error(spec, "--%s expects an integer, got '%s'", opt->name, text);
        return 0;
    case CLI_UINT64:
        result = classify_unsigned(text, &uval);
        if (result == PARSED) { *(uint64_t *)opt->dest = (uint64_t)uval; return 1; }
        if (result == OUT_OF_RANGE)
            usage_error(spec, "--%s expects an integer between 0 and %" PRIu64 ", got '%s'",
                        opt->name, UINT64_MAX, text);
        else
            usage_error(spec, "--%s expects a non-negative integer, got '%s'", opt->name, text);
        return 0;
    case CLI_DOUBLE:
        if (parse_double(text, (double *)opt->dest)) return 1;
        usage_error(spec, "--%s expects a number, got '%s'", opt->name, text);
        return 0;
    case CLI_STRING:
        if (*text) { *(const char **)opt->dest = text; return 1; }
        usage_error(spec, "--%s expects %s, got an empty value", opt->name,
                    opt->value_name ? opt->value_name : "a value");
        return 0;
    case CLI_CHOICE: {
        const cli_choice *choice = find_choice(opt->choices, text);
        if (choice) { *(int *)opt->dest = choice->value; return 1; }
        fprintf(stderr, "mumloc %s: --%s expects one of ", spec->command, opt->name);
        print_choice_list(stderr, opt->choices, ", ");
        fprintf(stderr, "; got '%s'\n", text);
        return 0;
    }
    case CLI_SIZE:
        if (parse_size(text, (int *)opt->dest, (int *)opt->dest2)) return 1;
        usage_error(spec, "--%s expects W or WxH in pixels (e.g. 64 or 128x64), got '%s'",
                    opt->name, text);
        return 0;
    case CLI_FLAG:
        *(int *)opt->dest = 1;
        return 1;
    }
    return 0;
}

/* ---- unknown options: suggest the nearest name ------------------------------------------------- */

static size_t edit_distance(const char *a, const char *b) {
    enum { MAX_LEN = 63 };
    size_t la = strlen(a), lb = strlen(b);
    if (la > MAX_LEN || lb > MAX_LEN) return SIZE_MAX;
    size_t row[MAX_LEN + 1];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t above = row[j];
            size_t best = diagonal + (a[i - 1] != b[j - 1]);
            if (above + 1 < best) best = above + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diagonal = above;
        }
    }
    return row[lb];
}

static const char *nearest_option(const cli_command_spec *spec, const char *name) {
    const char *best = NULL;
    size_t best_distance = 3; /* farther than two edits is no longer a typo */
    for (size_t i = 0; i < count_options(spec); i++) {
        size_t d = edit_distance(name, spec->options[i].name);
        if (d < best_distance) { best_distance = d; best = spec->options[i].name; }
    }
    return best;
}

static void unknown_option(const cli_command_spec *spec, const char *arg) {
    const char *name = arg[1] == '-' ? arg + 2 : arg + 1;
    char bare[64];
    size_t len = strcspn(name, "=");
    if (len >= sizeof bare) len = sizeof bare - 1;
    memcpy(bare, name, len);
    bare[len] = '\0';
    const char *suggestion = nearest_option(spec, bare);
    if (suggestion)
        usage_error(spec, "unknown option '%.*s' (did you mean --%s?)", (int)strcspn(arg, "="), arg,
                    suggestion);
    else
        usage_error(spec, "unknown option '%.*s'; 'mumloc %s --help' lists the options",
                    (int)strcspn(arg, "="), arg, spec->command);
}

/* ---- parsing ----------------------------------------------------------------------------------- */

static const cli_option *find_option(const cli_command_spec *spec, const char *name, size_t len,
                                     size_t *index) {
    for (size_t i = 0; i < count_options(spec); i++) {
        const char *candidate = spec->options[i].name;
        if (strlen(candidate) == len && strncmp(candidate, name, len) == 0) {
            *index = i;
            return &spec->options[i];
        }
    }
    return NULL;
}

static int is_help(const char *arg) { return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0; }

/* An argument that looks like an option is never taken as another option's value: "--out --frames
 * 3" is a missing file name, not a file called "--frames". */
static int looks_like_option(const char *arg) { return arg[0] == '-' && arg[1] == '-' && arg[2]; }

static const char *value_name_of(const cli_option *opt) {
    return opt->value_name ? opt->value_name : "VALUE";
}

int cli_parse(const cli_command_spec *spec, int argc, char **argv) {
    size_t n_options = count_options(spec);
    if (n_options > MAX_OPTIONS) {
        usage_error(spec, "internal error: too many options");
        return CLI_EXIT_FAILURE;
    }
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (is_help(argv[i])) { cli_print_help(spec); return CLI_EXIT_OK; }

    unsigned char seen[MAX_OPTIONS] = {0};
    int positional = 0, only_positionals = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!only_positionals && strcmp(arg, "--") == 0) { only_positionals = 1; continue; }
        if (!only_positionals && arg[0] == '-' && arg[1] != '\0') {
            if (arg[1] != '-') { unknown_option(spec, arg); return CLI_EXIT_USAGE; }
            const char *name = arg + 2;
            const char *equals = strchr(name, '=');
            size_t len = equals ? (size_t)(equals - name) : strlen(name);
            size_t index = 0;
            const cli_option *opt = find_option(spec, name, len, &index);
            if (!opt) { unknown_option(spec, arg); return CLI_EXIT_USAGE; }
            const char *value;
            if (opt->type == CLI_FLAG) {
                if (equals) {
                    usage_error(spec, "--%s takes no value, got '%s'", opt->name, arg);
                    return CLI_EXIT_USAGE;
                }
                value = "";
            } else if (equals) {
                value = equals + 1;
            } else if (i + 1 < argc && !looks_like_option(argv[i + 1])) {
                value = argv[++i];
            } else {
                usage_error(spec, "--%s needs a value (%s)", opt->name, value_name_of(opt));
                return CLI_EXIT_USAGE;
            }
            if (!store_value(spec, opt, value)) return CLI_EXIT_USAGE;
            seen[index] = 1;
            continue;
        }
        const cli_positional *slot = NULL;
        if (spec->positionals) {
            int k = 0;
            while (spec->positionals[k].name && k < positional &&
                   !(spec->positionals[k].flags & CLI_REPEATED))
                k++;
            if (spec->positionals[k].name) slot = &spec->positionals[k];
        }
        if (!slot) {
            usage_error(spec, "unexpected argument '%s'; 'mumloc %s --help' lists the options", arg,
                        spec->command);
            return CLI_EXIT_USAGE;
        }
        if (slot->flags & CLI_REPEATED) slot->dest[positional - (int)(slot - spec->positionals)] = arg;
        else *slot->dest = arg;
        positional++;
    }

    for (size_t i = 0; i < n_options; i++) {
        const cli_option *opt = &spec->options[i];
        if ((opt->flags & CLI_REQUIRED) && !seen[i]) {
            usage_error(spec, "missing --%s %s: %s", opt->name, value_name_of(opt), opt->help);
            return CLI_EXIT_USAGE;
        }
    }
    for (int k = 0; spec->positionals && spec->positionals[k].name; k++) {
        if ((spec->positionals[k].flags & CLI_REQUIRED) && k >= positional) {
            usage_error(spec, "missing %s: %s", spec->positionals[k].name,
                        spec->positionals[k].help);
            return CLI_EXIT_USAGE;
        }
    }
    return CLI_PARSE_CONTINUE;
}

/* ---- help -------------------------------------------------------------------------------------- */

/* Writes the default held in the option's destination, e.g. "100", "64x64", "physical". Returns 0
 * when there is nothing to show. */
static int format_default(const cli_option *opt, char *buf, size_t cap) {
    if (opt->default_text) {
        snprintf(buf, cap, "%s", opt->default_text);
        return buf[0] != '\0';
    }
    switch (opt->type) {
    case CLI_INT: snprintf(buf, cap, "%d", *(const int *)opt->dest); return 1;
    case CLI_INT64: snprintf(buf, cap, "%" PRId64, *(const int64_t *)opt->dest); return 1;
    case CLI_UINT64: snprintf(buf, cap, "%" PRIu64, *(const uint64_t *)opt->dest); return 1;
    case CLI_DOUBLE:
        return mumloc_format_number(*(const double *)opt->dest, buf, cap) == MUMLOC_OK;
    case CLI_STRING: {
        const char *value = *(const char *const *)opt->dest;
        if (!value) return 0;
        snprintf(buf, cap, "%s", value);
        return 1;
    }
    case CLI_CHOICE:
        for (const cli_choice *c = opt->choices; c && c->name; c++)
            if (c->value == *(const int *)opt->dest) { snprintf(buf, cap, "%s", c->name); return 1; }
        return 0;
    case CLI_SIZE:
        snprintf(buf, cap, "%dx%d", *(const int *)opt->dest, *(const int *)opt->dest2);
        return 1;
    case CLI_FLAG: return 0;
    }
    return 0;
}

/* "--name VALUE" as shown in the help's left column; choices show as "a|b|c". */
static void format_synopsis(const cli_option *opt, char *buf, size_t cap) {
    int used = snprintf(buf, cap, "--%s", opt->name);
    if (opt->type == CLI_FLAG || used < 0 || (size_t)used >= cap) return;
    if (opt->type == CLI_CHOICE && !opt->value_name) {
        size_t pos = (size_t)used;
        for (const cli_choice *c = opt->choices; c && c->name && pos < cap; c++) {
            int n = snprintf(buf + pos, cap - pos, "%s%s", c == opt->choices ? " " : "|", c->name);
            if (n < 0) return;
            pos += (size_t)n;
        }
        return;
    }
    snprintf(buf + used, cap - (size_t)used, " %s", value_name_of(opt));
}

static void print_row(const char *left, const char *help, const char *suffix) {
    int width = (int)strlen(left);
    if (width + 4 > HELP_COLUMN)
        printf("  %s  %s%s\n", left, help, suffix);
    else
        printf("  %-*s%s%s\n", HELP_COLUMN - 2, left, help, suffix);
}

void cli_print_help(const cli_command_spec *spec) {
    size_t n = count_options(spec);
    printf("Usage: mumloc %s", spec->command);
    char synopsis[160], suffix[128], value[80];
    for (size_t i = 0; i < n; i++) {
        if (!(spec->options[i].flags & CLI_REQUIRED)) continue;
        format_synopsis(&spec->options[i], synopsis, sizeof synopsis);
        printf(" %s", synopsis);
    }
    if (n) printf(" [options]");
    for (int k = 0; spec->positionals && spec->positionals[k].name; k++)
        printf(spec->positionals[k].flags & CLI_REQUIRED ? " %s%s" : " [%s%s]",
               spec->positionals[k].name, spec->positionals[k].flags & CLI_REPEATED ? "..." : "");
    printf("\n\n%s\n", spec->summary);

    if (spec->positionals && spec->positionals[0].name) {
        printf("\nArguments:\n");
        for (int k = 0; spec->positionals[k].name; k++)
            print_row(spec->positionals[k].name, spec->positionals[k].help, "");
    }
    printf("\nOptions:\n");
    for (size_t i = 0; i < n; i++) {
        const cli_option *opt = &spec->options[i];
        format_synopsis(opt, synopsis, sizeof synopsis);
        if (opt->flags & CLI_REQUIRED)
            snprintf(suffix, sizeof suffix, " (required)");
        else if (format_default(opt, value, sizeof value))
            snprintf(suffix, sizeof suffix, " (default %s)", value);
        else
            suffix[0] = '\0';
        print_row(synopsis, opt->help, suffix);
    }
    print_row("-h, --help", "show this help and exit", "");
    if (spec->notes) printf("\n%s", spec->notes);
}
