/* Names of the library's enumerations: each enum keeps its names in one table, in value order, in
 * the folder of its concern; these two functions turn a table into the public _name/_from_name pair,
 * so that the CLI's choice lists, Java's lists and the files all read the same words. */
#ifndef CORE_ENUM_NAMES_H
#define CORE_ENUM_NAMES_H

#include "mumloc.h"

/* names[value], or NULL for a value outside [0, count). */
const char *enum_name(const char *const *names, int count, int value);

/* The value whose name is `name`; otherwise MUMLOC_ERR_INVALID_ARGUMENT with the message
 * "unknown WHAT 'NAME': use a, b or c". out is untouched on failure. */
mumloc_status enum_from_name(const char *const *names, int count, const char *what,
                             const char *name, int *out);

#define ENUM_COUNT(names) ((int)(sizeof(names) / sizeof((names)[0])))

#endif
