/* Maximum-likelihood refinement of one molecule's position: the PSF model fitted to the pixels of
 * each plane's window (psf_model.h) under the camera's noise, starting from a given estimate. */
#ifndef LOCALIZE_FIT_MLE_H
#define LOCALIZE_FIT_MLE_H

#include "mumloc.h"
#include "optics/crlb.h"
#include "optics/psf_model.h"

/* Molecule parameters: x, y, z, photons, b_1 .. b_k (indices of optics/crlb.h). */
#define MLE_MAX_PARAMS (4 + MUMLOC_MAX_PLANES)
/* The same followed by the drift (dx, dy) of planes 2..k. */
#define MLE_MAX_EXTENDED (MLE_MAX_PARAMS + 2 * (MUMLOC_MAX_PLANES - 1))

typedef struct mle_result {
    double x_nm, y_nm, z_nm, photons;
    double background[MUMLOC_MAX_PLANES];
    double nll; /* negative log-likelihood at the result (up to a constant of the data) */
    int iterations;
    int converged; /* 1: a step fell below 0.01 nm and 1e-4 of the photons, or none helps */
} mle_result;

/* One molecule's fit over fixed windows: the pixels of each plane are chosen once, at the position
 * and drift given to mle_problem_init, and kept while position and drift move, so that
 * likelihoods at different parameters compare over the same data. */
typedef struct mle_problem {
    const mumloc_optics *o;
    const float *frame;
    int width, height, n; /* n = 4 + k molecule parameters */
    const double *dx_dy;  /* the drift the model uses now (NULL: none); the caller may change it */
    const plane_map *map; /* the rig's registration (NULL: planes registered) */
    double read_variance;
    int inside[MUMLOC_MAX_PLANES]; /* 0: the plane's window misses the image */
    psf_plane pl[MUMLOC_MAX_PLANES];
    double *buffer[MUMLOC_MAX_PLANES];
    int evaluated[MUMLOC_MAX_PLANES]; /* 1: buffer holds the factors at pl's centre and width */
    /* per window pixel (row-major over the window): the expected signal of other molecules there,
     * photons, part of the model but not fitted (0 until mle_problem_set_others) */
    double *others[MUMLOC_MAX_PLANES];
    /* 1: mle_problem_fit holds x, y, z and fits photons and backgrounds only (the light of a
     * record whose position fit is not trusted, with its neighbours modelled); 0 after init */
    int fixed_position;
    /* > 0: mle_problem_fit stops after this many iterations (a warm refit inside an outer
     * iteration need not converge on its own); 0 after init: the default cap of 50 */
    int max_iterations;
    double *storage;
} mle_problem;

/* Windows at (x, y, z) with drift dx_dy (also the problem's drift until changed) and plane map
 * (NULL: none). Fails with
 * MUMLOC_ERR_OUT_OF_MEMORY; release with mle_problem_free. */
mumloc_status mle_problem_init(mle_problem *p, const mumloc_optics *optics,
                                      const pixel_noise *noise, const float *frame,
                                      int width, int height, double x_nm, double y_nm, double z_nm,
                                      const double *dx_dy, const plane_map *map);
void mle_problem_free(mle_problem *p);

/* theta (n values) at (x, y, z) with photons and backgrounds from the linear photometry fit at the
 * problem's drift. Fails like fit_photons. */
mumloc_status mle_problem_start(mle_problem *p, double x_nm, double y_nm,
                                       double z_nm, double *theta);

/* Adds scale × the molecule's expected signal at theta (no background) over its windows to image
 * (k × height × width, the frame's layout). */
void mle_problem_add_signal(mle_problem *p, const double *theta, double scale,
                                   double *image);

/* Zeroes image (k × height × width) over the molecule's windows: with every molecule's windows
 * cleared, an image can be refilled with mle_problem_add_signal at the cost of the windows
 * alone, not of the whole frame. */
void mle_problem_clear_signal(const mle_problem *p, double *image);

/* Sets others to image − the molecule's own signal at theta over its windows: image holds the
 * signal of every molecule of the frame (mle_problem_add_signal), so the fit then models
 * its neighbours' light instead of pulling towards it. */
void mle_problem_set_others(mle_problem *p, const double *theta,
                                   const double *image);

/* Moves photons and backgrounds of theta back where the likelihood is defined (the fit's own
 * floors), for steps taken outside mle_problem_fit. */
void mle_problem_project(mle_problem *p, double *theta);

/* Levenberg–Marquardt from theta (updated in place) at the problem's drift; out gets the result. */
void mle_problem_fit(mle_problem *p, double *theta, mle_result *out);

/* Negative log-likelihood at theta; when grad is not NULL also its gradient and the Fisher matrix
 * over the extended parameters (m = n + 2(k − 1): theta, then dx, dy of planes 2..k, whose ∂μ is
 * −∂μ/∂x, −∂μ/∂y of that plane's pixels), m × m row-major. INFINITY where undefined. */
double mle_problem_extended(mle_problem *p, const double *theta, double *grad,
                                   double *fisher);

/* Solves A x = b for symmetric positive-definite A (n × n, n ≤ MLE_MAX_EXTENDED) by
 * Cholesky; 0 if A is not positive definite. */
int solve_spd(const double *A, const double *b, int n, double *x);

/* Fits (x, y, z, photons, b_1 .. b_k) by Levenberg–Marquardt on the shifted-Poisson likelihood
 * (y + r² ~ Poisson(μ + r²), r² the read variance in photons; the EM excess factor scales the
 * likelihood and leaves its maximum where it is), with the windows fixed at the start position.
 * photons and background start from the linear photometry fit. Fails like fit_photons, or
 * with MUMLOC_ERR_OUT_OF_MEMORY. */
mumloc_status fit_mle(const mumloc_optics *optics, const pixel_noise *noise,
                             const float *frame, int width, int height, double x_nm, double y_nm,
                             double z_nm, const double *dx_dy, const plane_map *map,
                             mle_result *out);

/* 1 when the fit r converged within the trust region of mumloc_localizations_refine around the
 * start (x, y, z): one camera pixel laterally, half the plane spacing axially. */
int mle_trusted(const mumloc_optics *optics, const mle_result *r, double x_nm,
                       double y_nm, double z_nm);

#endif
