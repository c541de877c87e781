/* Optimal one-to-one matching of the molecules of one frame under a tolerance (mumloc.h,
 * "Evaluation against ground truth"): the most pairs, then the smallest sum of squared distances. */
#ifndef EVAL_MATCH_H
#define EVAL_MATCH_H

#include <stdint.h>

#include "mumloc.h"

typedef struct point3 {
    double x, y, z;
} point3;

/* Which pairs may match: 3D distance ≤ tolerance_3d, or (separate) lateral ≤ tolerance_xy and
 * |dz| ≤ tolerance_z. Tolerances are > 0 and may be +Infinity. */
typedef struct match_tolerance {
    int separate;
    double tolerance_3d, tolerance_xy, tolerance_z;
} match_tolerance;

/* 1 if the pair is within the tolerance (exactly at it included); *cost gets the squared 3D distance. */
int match_allowed(const match_tolerance *tol, const point3 *a,
                         const point3 *b, double *cost);

enum { MATCH_AUTO = -1, MATCH_ALL_PAIRS = 0, MATCH_GRID = 1 };

/* Matches truths[nt] with locs[nl]: truth_match[i] = matched localization index or -1, and
 * loc_match[j] likewise. search picks how candidate pairs are found (every pair, or a lateral grid
 * for large frames; AUTO chooses); the result is the same either way. */
mumloc_status match_frame(const match_tolerance *tol, const point3 *truths,
                                 int64_t nt, const point3 *locs, int64_t nl,
                                 int64_t *truth_match, int64_t *loc_match, int search);

#endif
