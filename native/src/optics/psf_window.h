/* The fit and bound window's rule, shared by the PSF models (psf_model.h, spline_psf.h). */
#ifndef OPTICS_PSF_WINDOW_H
#define OPTICS_PSF_WINDOW_H

/* Fit and bound window: a square of ±ceil(3 w / p) pixels around the pixel holding the molecule's
 * centre in that plane (at least ±2, at most ±256 pixels). ±3w holds 99.5 % of the photons; wider
 * windows gain little precision and pick up more neighbours in dense frames. */
#define PSF_FIT_WIDTHS 3.0
#define PSF_FIT_MIN_HALF 2
#define PSF_FIT_MAX_HALF 256

#endif
