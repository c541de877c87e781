/* Internals of sample drift correction shared by its source files (and callable from the tests). */
#ifndef POSTPROCESS_DRIFT_INTERNAL_H
#define POSTPROCESS_DRIFT_INTERNAL_H

#include <stdint.h>

#include "core/error.h"
#include "mumloc.h"

/* The localizations drift estimation reads: frames are integers ≥ 1 (checked), z NULL without z. */
typedef struct drift_points {
    int64_t n;
    const double *frame, *x, *y, *z;
    int64_t first_frame, last_frame;
} drift_points;

/* Progress over the steps of one estimate, reported from the calling thread. */
typedef struct drift_progress {
    mumloc_progress_fn fn;
    void *user;
    int64_t done, total;
} drift_progress;

/* Adds steps and reports; MUMLOC_ERR_CANCELLED if the callback asks to stop. */
static inline mumloc_status drift_progress_step(drift_progress *progress, int64_t steps) {
    progress->done += steps;
    if (progress->fn && progress->fn(progress->user, progress->done, progress->total))
        return error_fail(MUMLOC_ERR_CANCELLED, "drift correction: cancelled");
    return MUMLOC_OK;
}

/* Per-frame drift, frames first_frame..last_frame: dx[k] is frame first_frame + k. dz all 0 without
 * z. Filled by the methods; the caller moves the origin to the first frame. */
typedef struct drift_curve {
    int64_t frames;
    double *dx, *dy, *dz;
} drift_curve;

mumloc_status drift_rcc(const drift_points *points, const mumloc_drift_options *options,
                        drift_progress *progress, mumloc_drift_info *info, drift_curve *out);
mumloc_status drift_fiducial(const drift_points *points, const mumloc_drift_options *options,
                             drift_progress *progress, mumloc_drift_info *info, drift_curve *out);

/* One measured shift between segments i < j: r = d_j − d_i per axis (2 axes laterally, 1 axially). */
typedef struct drift_pair {
    int i, j;
    double r[2];
    int active; /* 0: no measurement (peak on the search border) or rejected as an outlier */
} drift_pair;

/* Solves the segment drifts d[axes·s + a] (d of segment 0 = 0) from the active pairs by least
 * squares, then repeatedly drops pairs whose residual norm exceeds max(3 robust σ, floor_nm) and
 * solves again while every segment stays linked. Fails (MUMLOC_ERR_INVALID_ARGUMENT) naming the
 * first unlinked segment when the active pairs do not link all segments: *unlinked gets it. */
mumloc_status drift_solve_pairs(drift_pair *pairs, int pair_count, int segments, int axes,
                                double floor_nm, double *d, int *unlinked);

/* Natural cubic spline through (t[i], v[i]), i < n (t increasing, n ≥ 2), evaluated at frames
 * first..first + count − 1 into out; straight lines with the end slopes beyond t[0] and t[n − 1]. */
mumloc_status drift_spline_eval(const double *t, const double *v, int n, int64_t first, int64_t count,
                                double *out);

/* qsort order of doubles, ascending. */
int drift_compare_double(const void *a, const void *b);

/* The drift table (columns "frame", "dx [nm]", "dy [nm]", "dz [nm]") of count frames from first. */
mumloc_status drift_table_make(int64_t first, int64_t count, const double *dx, const double *dy,
                               const double *dz, mumloc_table **out);

#endif
