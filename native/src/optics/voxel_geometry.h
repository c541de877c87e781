/* Where the networks' voxels lie in the sample (science.md §3): the depth layer of each plane's
 * regression voxels and the slab they tile, which the voxel network cuts into depth slices. */
#ifndef LOCALIZE_VOXEL_GEOMETRY_H
#define LOCALIZE_VOXEL_GEOMETRY_H

#include "mumloc.h"

/* Depth range [lo, hi) of plane d's voxel layer: from the midpoint with the previous plane to the
 * midpoint with the next; the first and last planes extend by half their spacing to the neighbour
 * (default optics: [0, 400), [400, 800), …). A single plane (k = 1, an engineered PSF such as an
 * astigmatic one that codes depth by its shape) has no spacing: its layer is ±800 nm around its
 * depth, the depth of the default 1.6 µm slab. */
#define SINGLE_PLANE_HALF_DEPTH_NM 800.0

mumloc_status voxel_layer(const mumloc_optics *optics, int plane, double *lo_nm,
                                 double *hi_nm);

/* The slab the layers tile: [lo of the first plane, hi of the last). */
mumloc_status voxel_slab(const mumloc_optics *optics, double *lo_nm, double *hi_nm);

#endif
