/* The plane drift as a smooth function of time (drift_window.c): d(t) = Σ_j φ_j(t) c_j, c_j the P
 * drift values (dx, dy of planes 2..k) of basis function j. With a window of N frames over frames
 * [t0, t1], W = max(1, round((t1 − t0 + 1) / N)) windows: W = 1 gives one constant drift (φ_0 = 1);
 * W ≥ 2 a clamped cubic B-spline with W equal spans (W + 3 functions, at most 4 non-zero at any t,
 * summing to 1, the end functions 1 at t0 and t1), so the drift follows a slow creep without the
 * kinks of linear interpolation between window centres, and each span's molecules inform it.
 * Also the banded normal equations of such a basis: the information Σ_t φ(t)φ(t)ᵀ ⊗ S_t couples
 * functions at most 3 apart, so its Cholesky factor and the band of its inverse (Takahashi's
 * recursion: the covariance of neighbouring coefficients) cost O(n b²), b = 4P − 1. */
#ifndef FIT_DRIFT_PATH_H
#define FIT_DRIFT_PATH_H

#include <stdint.h>

#include "mumloc.h"

#define DRIFT_PATH_ORDER 4 /* non-zero functions at any t (cubic) */

typedef struct drift_basis {
    double t0, t1;
    int spans;     /* W */
    int functions; /* 1 (constant) or W + 3 */
    double *knots; /* functions + 4 values (cubic), NULL when constant */
} drift_basis;

/* The basis over frames [t0, t1] with a window of `window` frames (≥ 1). */
mumloc_status drift_basis_init(drift_basis *b, double t0, double t1, int window);
void drift_basis_free(drift_basis *b);

/* The non-zero functions at t (clamped into [t0, t1]): values into phi (DRIFT_PATH_ORDER;
 * zeros beyond the count), returns the index of the first; *count gets how many (1 or 4). */
int drift_basis_eval(const drift_basis *b, double t, double *phi, int *count);

/* A symmetric positive-definite band matrix of n unknowns, half-bandwidth bw: row i holds columns
 * i − bw .. i at band[i·(bw + 1) + (i − j)]. */
typedef struct band_matrix {
    int n, bw;
    double *band;
} band_matrix;

mumloc_status band_init(band_matrix *m, int n, int bw);
void band_free(band_matrix *m);
void band_zero(band_matrix *m);
/* Adds v at (i, j), |i − j| ≤ bw (either order: the matrix is symmetric). */
void band_add(band_matrix *m, int i, int j, double v);
double band_get(const band_matrix *m, int i, int j); /* 0 outside the band */
/* Cholesky factor in place (lower); 0 when not positive definite. */
int band_cholesky(band_matrix *m);
/* Solves L Lᵀ x = b with a factor from band_cholesky (x may be b). */
void band_solve(const band_matrix *factor, const double *b, double *x);
/* The band of the inverse of L Lᵀ (the covariance of coefficients within bw of each other) into
 * inverse (initialised with the same n and bw). */
void band_inverse(const band_matrix *factor, band_matrix *inverse);

#endif
