/*
 * TEST REFERENCE ONLY — never called by the library's own code paths.
 *
 * Naive double-precision implementations of the engine's layers, written straight from their
 * definitions (NCHW host arrays, loops over every index), so tests can compare the fast backends with
 * them and take finite differences of them.
 */
#ifndef NN_REFERENCE_H
#define NN_REFERENCE_H

/* y (n, co, h, w) = b + Σ x (n, ci, h, w) ⋆ w (co, ci, k, k), stride 1, zero padding (k−1)/2. */
void nn_ref_conv(const double *x, int n, int ci, int h, int w, const double *wt, const double *b,
                 int co, int k, double *y);

/* y (n, co, 2h, 2w) = b + transposed conv of x (n, ci, h, w) with wt (ci, co, 3, 3), stride 2,
 * pad 1, output pad 1: y[co][2·iy − 1 + ky][2·ix − 1 + kx] += x[ci][iy][ix] · wt[ci][co][ky][kx]. */
void nn_ref_tconv(const double *x, int n, int ci, int h, int w, const double *wt, const double *b,
                  int co, double *y);

/* Training-mode batch norm: per channel over (n, h, w), biased variance. mean/var may be NULL. */
void nn_ref_bn(const double *x, int n, int c, int h, int w, const double *gamma, const double *beta,
               double eps, double *y, double *mean, double *var);

/* Test helpers: deterministic uniform values in [lo, hi) (a 64-bit LCG keyed by seed), and the
 * largest |a − b| relative to the largest |b| (1 when b is all zero). */
void nn_ref_random(double *out, long count, unsigned long long seed, double lo, double hi);
double nn_ref_max_rel_diff(const double *a, const double *b, long count);

#endif
