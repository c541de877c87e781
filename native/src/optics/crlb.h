/* Cramér–Rao lower bounds of a molecule's position under the PSF and camera models (science.md §7;
 * the public contract is mumloc_crlb in mumloc.h). */
#ifndef OPTICS_CRLB_H
#define OPTICS_CRLB_H

#include "mumloc.h"
#include "optics/psf_model.h"

/* Pixel noise in photons: variance excess · μ + read_variance for expected value μ. */
typedef struct pixel_noise {
    double excess;        /* 2 with EM gain (the simulator's Gamma register), else 1 */
    double read_variance; /* (σ / G)², photons² */
} pixel_noise;

pixel_noise pixel_noise_of(const mumloc_camera *camera);

/* Parameters of the Fisher matrix, in this order: x, y, z, photons, then b_1 .. b_k. */
#define CRLB_X 0
#define CRLB_Y 1
#define CRLB_Z 2
#define CRLB_PHOTONS 3
#define CRLB_BACKGROUND 4

/* Fisher matrix (n × n, n = 4 + k, row-major) of a molecule with `photons` over all planes on
 * background[d] per pixel (k values), over each plane's fit window (psf_model.h) on an unbounded
 * camera, drift dx_dy (NULL: none), plane map (NULL: none). Pixels of zero variance are skipped. */
mumloc_status crlb_fisher(const mumloc_optics *optics, const pixel_noise *noise,
                                 double x_nm, double y_nm, double z_nm, double photons,
                                 const double *background, const double *dx_dy,
                                 const plane_map *map, double *fisher);

/* The same Fisher matrix from the molecule's plane views already evaluated over their unclipped
 * windows (psf_planes_unclipped), so photometry and bound share one PSF evaluation. */
void crlb_fisher_planes(const mumloc_optics *optics, const pixel_noise *noise,
                               const psf_plane *planes, double photons,
                               const double *background, double *fisher);

/* Diagonal of the inverse of a symmetric positive semi-definite n × n matrix (n ≤ 4 + MAX_PLANES).
 * A parameter with no information (zero diagonal), or none beyond what the parameters before it give
 * (pivot below 1e-12 of its diagonal), gets Infinity and is left out of the others' inverse. */
void fisher_inverse_diagonal(const double *fisher, int n, double *diagonal);

/* σx, σy, σz: the unchecked core of mumloc_crlb. */
mumloc_status crlb_bounds(const mumloc_optics *optics, const pixel_noise *noise,
                                 double x_nm, double y_nm, double z_nm, double photons,
                                 const double *background, const double *dx_dy,
                                 const plane_map *map, double sigma[3]);

/* σx, σy, σz from evaluated unclipped plane views (see crlb_fisher_planes). */
void crlb_bounds_planes(const mumloc_optics *optics, const pixel_noise *noise,
                               const psf_plane *planes, double photons,
                               const double *background, double sigma[3]);

/* One plane's dense view of a molecule for bounds and fits: per photon in the plane, g and its
 * derivatives over the window i0 .. i0+nx−1, j0 .. j0+ny−1. */
typedef struct psf_dense {
    int i0, j0, nx, ny;
    const double *g, *gx, *gy, *gz;
} psf_dense;

/* Fisher matrix (n × n, n = 4 + k; parameters x, y, z, photons, b_1 .. b_k as crlb.h) of a molecule
 * with `photons` over all planes, plane d receiving photons · share[d], from dense plane views. */
void fisher_dense(int planes, const pixel_noise *noise, const psf_dense *views,
                         const double *share, double photons, const double *background,
                         double *fisher);

#endif
