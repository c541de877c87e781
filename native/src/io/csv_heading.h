/* The one rule that turns a CSV header field into a column name and unit, and back, so that every
 * name survives write → read → write byte for byte:
 *   - A field has a unit when it ends with a bracketed group "[unit]" that holds no other '[' or
 *     ']' and follows a non-empty name; one space before the group separates them and is not part
 *     of the name ("x [nm]" and "x[nm]" are both x in nm). Anything else is all name, no unit
 *     ("[nm]", "a]", "a [x" are names).
 *   - A unit may not hold '[' or ']'. A name without unit that would read as "name [unit]" (such
 *     as "a [x]" or "a [x][]") is written with an empty group, "a [x] []", which reads back as
 *     itself. */
#ifndef IO_CSV_HEADING_H
#define IO_CSV_HEADING_H

#include <stddef.h>

typedef struct csv_heading {
    size_t name_len;  /* the name is the field's first name_len bytes */
    const char *unit; /* inside the field; NULL when the field has no unit group */
    size_t unit_len;
} csv_heading;

/* Splits a header field (quotes already removed) by the rule above. */
csv_heading csv_heading_split(const char *field);

/* Whether a unit can be written (it holds no '[' or ']'). */
int csv_unit_writable(const char *unit);

/* What goes around the unit in the field "name<open>unit<close>": " [" and "]" for a unit or a
 * name that needs the empty group, else "" and "" (unit NULL = ""). */
void csv_heading_brackets(const char *name, const char *unit, const char **open,
                                 const char **close);

#endif
