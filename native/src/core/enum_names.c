/* See enum_names.h. */
#include "core/enum_names.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

const char *enum_name(const char *const *names, int count, int value) {
    return value >= 0 && value < count ? names[value] : NULL;
}

mumloc_status enum_from_name(const char *const *names, int count, const char *what,
                             const char *name, int *out) {
    for (int v = 0; name && v < count; v++)
        if (strcmp(name, names[v]) == 0) {
            if (out) *out = v;
            return MUMLOC_OK;
        }
    char list[256];
    size_t used = 0;
    list[0] = '\0';
    for (int v = 0; v < count && used < sizeof list; v++) {
        const char *sep = v == 0 ? "" : v == count - 1 ? " or " : ", ";
        int n = snprintf(list + used, sizeof list - used, "%s%s", sep, names[v]);
        if (n < 0) break;
        used += (size_t)n;
    }
    return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "unknown %s '%s': use %s", what,
                       name ? name : "(null)", list);
}
