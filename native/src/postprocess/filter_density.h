/* Density filtering: which points have at least a given number of other points within a radius. */
#ifndef POSTPROCESS_FILTER_DENSITY_H
#define POSTPROCESS_FILTER_DENSITY_H

#include <stdint.h>

#include "mumloc.h"
#include "postprocess/post_common.h"

/* Points i = 0 .. count-1 at (x[rows[i]], y[rows[i]], z[rows[i]]) (z NULL: lateral distance).
 * keep[i] = 1 when at least min_neighbors other points are within radius (distance ≤ radius).
 * Points are binned into cells of the radius, hashed into buckets (a bucket may hold several cells:
 * every candidate's distance is checked, and a bucket reached from two neighbouring cells is visited
 * once), and counting stops at min_neighbors. progress: reported as rows base + i × scale. */
mumloc_status filter_density(const double *x, const double *y, const double *z, const int64_t *rows,
                             int64_t count, double radius, int min_neighbors, unsigned char *keep,
                             post_progress *progress, int64_t base, double scale);

#endif
