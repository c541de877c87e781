/* A measured PSF: per plane, a 3D cubic B-spline of the pixel-integrated PSF (issue 13).
 *
 * What the spline holds: g(u, v, z), the fraction of a molecule's photons in this plane that falls on
 * a camera pixel whose centre lies at offset (u, v) from the molecule, for a molecule at depth z (in
 * mumloc's frame, the plane's own focus wherever the beads put it). Pixel integration is therefore
 * part of the spline (beads are pixel-integrated images), as the Gaussian model integrates its erf
 * over each pixel. Per photon, Σ_pixels g ≈ 1 for an in-focus molecule, as the Gaussian model's
 * (optics/psf_model.h): photons mean the same in both models.
 *
 * Grid: lateral nodes every h = pixel / oversample nm, ±half pixels around the molecule (n = 2 · half
 * · oversample + 1 nodes per axis, node c = half · oversample at offset 0); z nodes z0 + m · z_step,
 * m < nz. The spline is C² (cubic B-spline, interpolating its node values; mirror boundaries). Beyond
 * the lateral grid g = 0; beyond the z range the end values are used and ∂g/∂z = 0.
 *
 * Speed: the pixels of a window lie whole pixels apart, i.e. a multiple of `oversample` nodes apart,
 * so they share one fractional position in their cells: the 3 × 4 basis weights (and their
 * derivatives) are computed once per molecule and plane, and each pixel is a 4 × 4 × 4 contraction
 * whose rows continue those of its neighbour (u fastest), so a window streams through memory. */
#ifndef OPTICS_SPLINE_PSF_H
#define OPTICS_SPLINE_PSF_H

#include "mumloc.h"
#include "optics/spline_grid.h"


/* Fit and bound window half-size in pixels at depth z, the Gaussian model's rule with the spline's
 * own width (spline_psf_width_nm): ceil(PSF_FIT_WIDTHS · w(z) / p), at least
 * PSF_FIT_MIN_HALF, at most half − 1 (every window pixel then lies inside the grid, where the
 * spline knows the PSF, instead of at its edge, where it is cut to 0). */
int spline_psf_window_half(const spline_plane_psf *psf, double z_nm);

/* The spline's width at depth z as the Gaussian model's w: rms_nm (interpolated linearly between
 * z nodes, clamped) with a pixel's own variance p²/12 taken out, so that a spline of the Gaussian
 * model gets the Gaussian's windows (and bounds over the same pixels). At least p / 4. */
double spline_psf_width_nm(const spline_plane_psf *psf, double z_nm);

/* Builds the spline interpolating node values: values[(m · n + v) · n + u] = g at lateral offset
 * ((u − c) h, (v − c) h) and depth z0 + m z_step. Fails on bad sizes or out of memory. */
mumloc_status spline_psf_from_nodes(double pixel_nm, int oversample, int half, int nz,
                                           double z0_nm, double z_step_nm, const double *values,
                                           spline_plane_psf *out);

/* Turns a stack of 2D B-spline coefficient slices (one per z node, same layout as values above)
 * into the 3D spline: interpolation along z only (the slices are already coefficients laterally). */
mumloc_status spline_psf_from_slices(double pixel_nm, int oversample, int half, int nz,
                                            double z0_nm, double z_step_nm, const double *slices,
                                            spline_plane_psf *out);

/* The spline with these coefficients ([m][v][u], nz · n · n, as `coef` above), e.g. read from a
 * file (optics/spline_file.h); the widths for windows are measured from it. */
mumloc_status spline_psf_from_coefficients(double pixel_nm, int oversample, int half, int nz,
                                                 double z0_nm, double z_step_nm, const float *coef,
                                                 spline_plane_psf *out);

void spline_psf_free(spline_plane_psf *psf);

/* A deep copy of src (its own coefficients and widths). Fails only when out of memory. */
mumloc_status spline_psf_copy(const spline_plane_psf *src, spline_plane_psf *out);

/* Per photon in the plane, over camera pixels i0 .. i0+nx−1, j0 .. j0+ny−1 (pixel i spans
 * [i·p, (i+1)·p)), for a molecule at (cx, cy) in this plane and depth z: g and its derivatives by the
 * molecule's x, y and z, each nx · ny (row-major, NULL to skip the derivatives: gx, gy, gz together). */
void spline_psf_window(const spline_plane_psf *psf, double cx_nm, double cy_nm, double z_nm,
                              int i0, int j0, int nx, int ny, double *g, double *gx, double *gy,
                              double *gz);

/* The cubic B-spline basis at fractional position t ∈ [0, 1): weights of nodes k−1 .. k+2 and their
 * derivatives by t. */
void bspline_weights(double t, double w[4], double dw[4]);

/* Solves the interpolation system (c_{i−1} + 4 c_i + c_{i+1}) / 6 = f_i with mirror ends
 * (c_{−1} = c_1, c_n = c_{n−2}) in place over f[0], f[stride], ..., n values (n ≥ 2); scratch holds
 * n doubles. */
void bspline_prefilter(double *f, int n, size_t stride, double *scratch);

#endif
