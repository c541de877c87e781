/* Optimal one-to-one matching of the molecules of one frame under a tolerance (mumloc.h,
 * "Evaluation against ground truth"): the most pairs, then the smallest sum of squared distances. */
#ifndef MUMLOC_EVAL_MATCH_H
#define MUMLOC_EVAL_MATCH_H

#include <stdint.h>

#include "mumloc.h"

typedef struct mumloc_point3 {
    double x, y, z;
} mumloc_point3;

/* Which pairs may match: 3D distance ≤ tolerance_3d, or (separate) lateral ≤ tolerance_xy and
 * |dz| ≤ tolerance_z. Tolerances are > 0 and may be +Infinity. */
typedef struct mumloc_match_tolerance {
    int separate;
    double tolerance_3d, tolerance_xy, tolerance_z;
} mumloc_match_tolerance;

/* 1 if the pair is within the tolerance (exactly at it included); *cost gets the squared 3D distance. */
int mumloc_match_allowed(const mumloc_match_tolerance *tol, const mumloc_point3 *a,
                         const mumloc_point3 *b, double *cost);

enum { MUMLOC_MATCH_AUTO = -1, MUMLOC_MATCH_ALL_PAIRS = 0, MUMLOC_MATCH_GRID = 1 };

/* Matches truths[nt] with locs[nl]: truth_match[i] = matched localization index or -1, and
 * loc_match[j] likewise. search picks how candidate pairs are found (every pair, or a lateral grid
 * for large frames; AUTO chooses); the result is the same either way. */
mumloc_status mumloc_match_frame(const mumloc_match_tolerance *tol, const mumloc_point3 *truths,
                                 int64_t nt, const mumloc_point3 *locs, int64_t nl,
                                 int64_t *truth_match, int64_t *loc_match, int search);

#endif
