/* Shared column lookups and progress for merging, filtering and FRC (see post_common.h). */
#include "postprocess/post_common.h"

#include <math.h>
#include <string.h>

#include "core/error.h"

const double *post_column(const mumloc_table *t, const char *name) {
    return mumloc_table_column_data(t, mumloc_table_find_column(t, name, NULL));
}

mumloc_status post_length_column(const mumloc_table *t, const char *task, const char *name,
                                 int required, const double **out) {
    *out = NULL;
    int c = mumloc_table_find_column(t, name, NULL);
    if (c < 0) {
        if (!required) return MUMLOC_OK;
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "%s: the table has no column \"%s\"", task,
                           name);
    }
    const char *unit = mumloc_table_column_unit(t, c);
    if (*unit && strcmp(unit, "nm") != 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%s: column \"%s\" is in %s; convert it to nm first (the camera pixel "
                           "size converts px)",
                           task, name, unit);
    *out = mumloc_table_column_data(t, c);
    return MUMLOC_OK;
}

mumloc_status post_require_finite(const char *task, const char *name, const double *values,
                                  int64_t rows) {
    for (int64_t r = 0; r < rows; r++)
        if (!isfinite(values[r])) {
            char text[64];
            mumloc_format_number(values[r], text, sizeof text);
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "%s: row %lld: %s is %s; every row needs a finite %s", task,
                               (long long)r + 1, name, text, name);
        }
    return MUMLOC_OK;
}

void post_progress_init(post_progress *p, const char *task, mumloc_progress_fn fn, void *user,
                        int64_t total) {
    *p = (post_progress){fn, user, task, total, POST_PROGRESS_STEP};
}

mumloc_status post_progress_report(post_progress *p, int64_t done, int last) {
    if (!p->fn || (!last && done < p->next)) return MUMLOC_OK;
    p->next = done + POST_PROGRESS_STEP;
    if (p->fn(p->user, done, p->total))
        return error_fail(MUMLOC_ERR_CANCELLED, "%s: cancelled", p->task);
    return MUMLOC_OK;
}
