/* Header field ⇄ column name and unit (see csv_heading.h). */
#include "io/csv_heading.h"

#include <string.h>

csv_heading csv_heading_split(const char *field) {
    size_t len = strlen(field);
    csv_heading h = {len, NULL, 0};
    if (len < 2 || field[len - 1] != ']') return h;
    const char *open = strrchr(field, '[');
    if (!open || memchr(open + 1, ']', (size_t)(field + len - 1 - (open + 1))) != NULL) return h;
    size_t name_len = (size_t)(open - field);
    if (name_len > 0 && field[name_len - 1] == ' ') name_len--;
    if (name_len == 0) return h; /* "[nm]" or " [nm]": a name, not a unit */
    h.name_len = name_len;
    h.unit = open + 1;
    h.unit_len = (size_t)(field + len - 1 - h.unit);
    return h;
}

int csv_unit_writable(const char *unit) { return !unit || strpbrk(unit, "[]") == NULL; }

/* Whether a name written without unit needs the empty group " []" to read back as itself. */
static int name_needs_empty_unit(const char *name) { return csv_heading_split(name).unit != NULL; }

void csv_heading_brackets(const char *name, const char *unit, const char **open,
                                 const char **close) {
    int bracket = (unit && *unit) || name_needs_empty_unit(name);
    *open = bracket ? " [" : "";
    *close = bracket ? "]" : "";
}
