/* The PSF model interface (issue 13): one way to evaluate a molecule's image in a plane whatever the
 * PSF — `gaussian` (the papers' model with each plane's own curve, optics/psf_model.h) or `spline`
 * (a measured PSF per plane, optics/spline_psf.h). Photons mean the same in both: plane d receives
 * photons · mumloc_optics_plane_share(optics, d) and each model gives the fraction of those on a pixel.
 * Consumers written against this interface (bounds and expected images so far) take either. */
#ifndef OPTICS_PSF_INTERFACE_H
#define OPTICS_PSF_INTERFACE_H

#include "mumloc.h"
#include "optics/crlb.h"
#include "optics/spline_psf.h"

/* mumloc_psf_kind is public (mumloc.h): a rig names its PSF model. */

typedef struct psf_model {
    mumloc_psf_kind kind;
    const mumloc_optics *optics;     /* planes, depths, pixel, transmissions (and the Gaussian's curves) */
    const spline_plane_psf *spline; /* kind spline: optics->planes splines, plane d's at [d] */
} psf_model;

/* Checks that a spline model has one spline per plane on the optics' pixel. The message names the
 * plane and what to do. */
mumloc_status psf_model_check(const psf_model *model);

/* The plane's fit and bound window for a molecule at (x, y, z) with drift dx_dy (NULL: none),
 * unclipped: ±ceil(3 w / p) pixels, w the Gaussian's width (psf_model.h) or the spline's RMS width
 * at that depth (spline_psf_window_half). */
void psf_model_window(const psf_model *model, int plane, double x_nm, double y_nm,
                             double z_nm, const double *dx_dy, int *i0, int *j0, int *nx, int *ny);

/* Per photon in plane `plane`, over pixels i0 .. i0+nx−1, j0 .. j0+ny−1: g and (when gx is not NULL)
 * ∂g/∂x, ∂g/∂y, ∂g/∂z, each nx · ny. Fails only when out of memory. */
mumloc_status psf_model_eval(const psf_model *model, int plane, double x_nm,
                                    double y_nm, double z_nm, const double *dx_dy, int i0, int j0,
                                    int nx, int ny, double *g, double *gx, double *gy, double *gz);

/* σx, σy, σz: Cramér–Rao bounds of a molecule with `photons` over all planes on background[d], over
 * each plane's window (psf_model_window), the noise model of crlb.h. */
mumloc_status psf_model_bounds(const psf_model *model, const pixel_noise *noise,
                                      double x_nm, double y_nm, double z_nm, double photons,
                                      const double *background, const double *dx_dy,
                                      double sigma[3]);

/* The expected image (k × height × width, frame layout of mumloc.h) of one molecule with `photons`
 * over all planes on background[d] (NULL: 0), drift dx_dy (NULL: none): what a noise-free simulation
 * of this PSF records. */
mumloc_status psf_model_expected(const psf_model *model, double x_nm, double y_nm,
                                        double z_nm, double photons, const double *background,
                                        const double *dx_dy, int width, int height, double *mu);

#endif
