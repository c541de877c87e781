/* What merging, filtering and FRC share: reading length columns from a table (nm or no unit) with
 * messages naming the task, and progress reporting with cancellation. */
#ifndef POSTPROCESS_POST_COMMON_H
#define POSTPROCESS_POST_COMMON_H

#include <stdint.h>

#include "mumloc.h"

/* The column `name` of t. Missing: *out = NULL, and an error when required (the message says `task`
 * needs it); in a unit other than nm or none: an error saying to convert it. */
mumloc_status post_length_column(const mumloc_table *t, const char *task, const char *name,
                                 int required, const double **out);
/* The column `name`, any unit; NULL if missing. */
const double *post_column(const mumloc_table *t, const char *name);
/* Fails naming the first row (1-based) whose value is not finite. */
mumloc_status post_require_finite(const char *task, const char *name, const double *values,
                                  int64_t rows);

/* Progress of one call: done/total units, reported once another POST_PROGRESS_STEP are done. */
enum { POST_PROGRESS_STEP = 65536 };

typedef struct post_progress {
    mumloc_progress_fn fn;
    void *user;
    const char *task;
    int64_t total;
    int64_t next;
} post_progress;

void post_progress_init(post_progress *p, const char *task, mumloc_progress_fn fn, void *user,
                        int64_t total);
/* Reports when due (or always with last = 1); MUMLOC_ERR_CANCELLED when the callback asks to stop. */
mumloc_status post_progress_report(post_progress *p, int64_t done, int last);

#endif
