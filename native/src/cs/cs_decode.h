/* A frame's CS solution → localizations: greedy local maxima (the largest unclaimed voxel is a peak;
 * it claims every unclaimed non-zero voxel within merge_nm laterally and ceil(merge/slice) slices),
 * each at its claimed voxels' photon-weighted mean, with their photons summed. */
#ifndef CS_DECODE_H
#define CS_DECODE_H

#include "cs/cs_lasso.h"

/* A peak and the voxels it claimed: photons summed, photon-weighted mean voxel coordinates. */
typedef struct cs_cluster {
    double photons, l, j, i;
} cs_cluster;

/* The clusters of c into out (room for c->n), brightest peak first; returns their count, or −1 when
 * out of memory. */
int cs_clusters(const cs_grid *g, const cs_sparse *c, double merge_nm, cs_cluster *out);

/* Appends the frame's localizations (region coordinates, nm) to out[*n ..] (room for c->n more);
 * keeps those with at least min_photons, or, when known_count > 0, the known_count brightest. */
mumloc_status cs_decode(const cs_grid *g, const cs_sparse *c, double merge_nm, double min_photons,
                        int known_count, int64_t frame, mumloc_localization *out, int *n);

#endif
