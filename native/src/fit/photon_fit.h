/* Photometry of one molecule at a known position: photons and per-plane background by linear least
 * squares of the PSF model (contract in mumloc_localizations_measure, mumloc.h). */
#ifndef LOCALIZE_PHOTON_FIT_H
#define LOCALIZE_PHOTON_FIT_H

#include "mumloc.h"
#include "optics/psf_model.h"

typedef struct photon_fit {
    double photons;                        /* over all k planes */
    double background[MUMLOC_MAX_PLANES];  /* per plane; NaN where the window misses the image */
    double bkgstd;                         /* sqrt(RSS / (pixels − unknowns)); NaN if no dof left */
    int pixels;                            /* pixels fitted, all planes */
} photon_fit;

/* Fits frame (k × height × width photons) around (x, y, z) with drift dx_dy (NULL: none) and plane
 * map (NULL: none; else each plane is its raw camera image). Fails with
 * MUMLOC_ERR_INVALID_ARGUMENT when the windows hold no pixel where the PSF varies (a position off
 * the image), or MUMLOC_ERR_OUT_OF_MEMORY. */
mumloc_status fit_photons(const mumloc_optics *optics, const float *frame, int width,
                                 int height, double x_nm, double y_nm, double z_nm,
                                 const double *dx_dy, const plane_map *map,
                                 photon_fit *out);

/* The same fit from the molecule's plane views over their unclipped windows, already evaluated
 * (psf_planes_unclipped), clipped to the image here: lets photometry and CRLB share one
 * evaluation of the PSF factors. Bit-identical to fit_photons (a pixel's factors do not
 * depend on the window they were evaluated over); (x, y, z) only names the molecule in errors. */
mumloc_status fit_photons_planes(const mumloc_optics *optics, const float *frame, int width,
                                        int height, double x_nm, double y_nm, double z_nm,
                                        const psf_plane *unclipped,
                                        photon_fit *out);

#endif
