/* Internal view of mumloc_evaluation and the steps that build it. */
#ifndef EVAL_EVALUATION_H
#define EVAL_EVALUATION_H

#include <stdint.h>

#include "mumloc.h"

struct mumloc_evaluation {
    mumloc_eval_options options;
    mumloc_eval_metrics overall;
    int bin_count;
    double first_bin; /* bins[b] covers [(first_bin + b)·bin_nm, (first_bin + b + 1)·bin_nm) */
    mumloc_eval_bin *bins;
    int64_t truth_rows, loc_rows;
    int64_t *truth_match; /* [truth_rows] */
    int64_t *loc_match;   /* [loc_rows] */
    char *text, *json;
};

/* Columns evaluation reads from a table (-1 when absent; only the localizations have CRLBs). */
typedef struct eval_columns {
    const double *frame, *x, *y, *z;
    const double *crlb_xy, *crlb_z;
} eval_columns;

/* Fills overall and bins from the matches (metrics.c). */
mumloc_status eval_compute_metrics(mumloc_evaluation *e, const eval_columns *truth,
                                          const eval_columns *locs);

/* Builds e->text and e->json (report.c). */
mumloc_status eval_build_reports(mumloc_evaluation *e);

#endif
