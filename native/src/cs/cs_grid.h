/* The compressed-sensing observation operator H(Δ) on the high-resolution voxel grid (science.md §5),
 * without a dense matrix.
 *
 * A voxel (slice l, row j, column i) is a molecule at ((i + ½)s, (j + ½)s, z0 + (l + ½)t), s the
 * lateral step (pixel/up), t the slice depth. Its image in plane d is separable (optics/psf_model.h):
 * share_d · m(j − up·pj − δy_d) · m(i − up·pi − δx_d) at pixel (pj, pi), where m(o) is the mass of the
 * plane's pixel-integrated unit Gaussian (width w(depth_d − z_l)) whose centre lies (o + ½)s past the
 * pixel's left edge, and δ_d the plane's drift in voxel steps (the molecule appears at x − δs). So
 * each (plane, slice) needs one 1D table of m over every offset o; H is a strided separable
 * convolution by it, applied row-wise then column-wise (cost ∝ table band, not band²), and an integer
 * drift is an index shift of the same table. */
#ifndef CS_GRID_H
#define CS_GRID_H

#include "mumloc.h"

typedef struct cs_grid {
    int width, height, planes; /* camera pixels of the region, k */
    int up, slices;            /* voxels per pixel laterally, depth slices */
    int cols, rows;            /* width·up, height·up */
    double voxel_nm, slice_nm, z0_nm, pixel_nm;
    int span, len;             /* table index = o + span, len = 2·span + 1 */
    float *mass;               /* (planes · slices) tables of len values */
    int *lo, *hi;              /* per (plane, slice): offsets with non-zero mass, [lo, hi] */
    double share[MUMLOC_MAX_PLANES]; /* fraction of a molecule's photons in each plane */
    int shift[MUMLOC_MAX_PLANES][2]; /* drift in voxel steps (x, y) per plane */
    int max_drift;
} cs_grid;

/* Builds the tables for a width × height region (max_drift: the largest |shift| that will be set). */
mumloc_status cs_grid_init(cs_grid *g, const mumloc_optics *optics, int width, int height, int up,
                           double slice_nm, int max_drift);
void cs_grid_free(cs_grid *g);

static inline size_t cs_grid_voxels(const cs_grid *g) {
    return (size_t)g->slices * g->rows * g->cols;
}
static inline size_t cs_grid_pixels(const cs_grid *g) {
    return (size_t)g->planes * g->height * g->width;
}
static inline const float *cs_grid_table(const cs_grid *g, int plane, int slice) {
    return g->mass + ((size_t)plane * g->slices + slice) * g->len + g->span;
}

/* Floats of scratch cs_forward and cs_adjoint need. */
static inline size_t cs_grid_scratch(const cs_grid *g) {
    size_t f = (size_t)g->rows * g->width + (size_t)g->rows, a = (size_t)g->height * g->cols;
    return f > a ? f : a;
}
/* y = H c (c: slices × rows × cols, y: planes × height × width). */
void cs_forward(const cs_grid *g, const float *c, float *y, float *scratch);
/* out = Hᵀ r. */
void cs_adjoint(const cs_grid *g, const float *r, float *out, float *scratch);

/* Voxel v's factors in plane d: mx[pi] (width values) and my[pj] (height values), share excluded,
 * at the grid's current shift of that plane. */
void cs_voxel_factors(const cs_grid *g, size_t v, int plane, float *mx, float *my);

/* Removes each plane's mean (the projection P that eliminates a per-plane background). */
void cs_center_planes(const cs_grid *g, float *y);

#endif
