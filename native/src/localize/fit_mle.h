/* Maximum-likelihood refinement of one molecule's position: the PSF model fitted to the pixels of
 * each plane's window (psf_model.h) under the camera's noise, starting from a given estimate. */
#ifndef MUMLOC_LOCALIZE_FIT_MLE_H
#define MUMLOC_LOCALIZE_FIT_MLE_H

#include "mumloc.h"
#include "optics/crlb.h"

typedef struct mumloc_mle_result {
    double x_nm, y_nm, z_nm, photons;
    double background[MUMLOC_MAX_PLANES];
    int iterations;
    int converged; /* 1: a step fell below 0.01 nm and 1e-4 of the photons, or none helps */
} mumloc_mle_result;

/* Fits (x, y, z, photons, b_1 .. b_k) by Levenberg–Marquardt on the shifted-Poisson likelihood
 * (y + r² ~ Poisson(μ + r²), r² the read variance in photons; the EM excess factor scales the
 * likelihood and leaves its maximum where it is), with the windows fixed at the start position.
 * photons and background start from the linear photometry fit. Fails like mumloc_fit_photons, or
 * with MUMLOC_ERR_OUT_OF_MEMORY. */
mumloc_status mumloc_fit_mle(const mumloc_optics *optics, const mumloc_pixel_noise *noise,
                             const float *frame, int width, int height, double x_nm, double y_nm,
                             double z_nm, const double *dx_dy, mumloc_mle_result *out);

#endif
