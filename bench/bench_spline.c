/* Spline PSF vs Gaussian PSF speed (issue 13: the spline must not make fitting more than 2× slower).
 * One "fit iteration" per molecule: each of the k planes' fit windows (psf_model.h) evaluated with
 * derivatives by x, y, z, then the Poisson likelihood's gradient and Gauss–Newton matrix (x, y, z,
 * photons, background) accumulated over the window — the work of one MLE refinement step. The
 * Gaussian path uses its separable factors per pixel as fit_mle.c does; the spline path its window
 * evaluation. Single thread; thread CPU time (steadier than wall time on a shared machine), best of
 * 5 repeats.
 *
 *   usage: bench_spline [molecules (default 20000)] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "optics/psf_model.h"
#include "optics/spline_psf.h"

enum { HALF = 10 };

static double thread_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* Gradient and Gauss–Newton matrix of the Poisson likelihood, 5 parameters, one pixel. */
static inline void accumulate(double N, double bg, double y, double g, double gx, double gy,
                              double gz, double share, double acc[30]) {
    double mu = N * g + bg, r = 1.0 - y / mu, w = y / (mu * mu);
    double d[5] = {N * gx, N * gy, N * gz, share * g, 1.0};
    for (int a = 0; a < 5; a++) {
        acc[a] += r * d[a];
        for (int b = a; b < 5; b++) acc[5 + a * 5 + b] += w * d[a] * d[b];
    }
}

static double gaussian_iteration(const mumloc_optics *o, double x, double y, double z,
                                 double *buffer, double acc[30]) {
    for (int d = 0; d < o->planes; d++) {
        psf_plane pl;
        psf_plane_window(o, d, x, y, z, NULL, NULL, 0, 0, &pl);
        psf_plane_eval(o, &pl, buffer);
        for (int b = 0; b < pl.ny; b++)
            for (int a = 0; a < pl.nx; a++) {
                double g, gx, gy, gz;
                psf_plane_pixel(&pl, a, b, &g, &gx, &gy, &gz);
                accumulate(1000.0, 10.0, 12.0, g, gx, gy, gz, 0.25, acc);
            }
    }
    return acc[0];
}

static double spline_iteration(const mumloc_optics *o, const spline_plane_psf *psf, double x,
                               double y, double z, double *buffer, double acc[30]) {
    for (int d = 0; d < o->planes; d++) {
        psf_plane pl; /* the same windows as the Gaussian model's */
        psf_plane_window(o, d, x, y, z, NULL, NULL, 0, 0, &pl);
        size_t count = (size_t)pl.nx * pl.ny;
        double *g = buffer, *gx = g + count, *gy = gx + count, *gz = gy + count;
        spline_psf_window(&psf[d], x, y, z, pl.i0, pl.j0, pl.nx, pl.ny, g, gx, gy, gz);
        for (size_t i = 0; i < count; i++) accumulate(1000.0, 10.0, 12.0, g[i], gx[i], gy[i], gz[i], 0.25, acc);
    }
    return acc[0];
}

/* One row: splines with `os` nodes per pixel against the Gaussian, interleaved, best of 5. */
static int compare(const mumloc_optics *o, int os, int molecules) {
    /* splines sampled from the Gaussian model (the values do not change the cost) */
    const int n = 2 * HALF * os + 1, nz = 121, c = HALF * os;
    const double h = o->pixel_nm / os;
    spline_plane_psf psf[MUMLOC_MAX_PLANES];
    double *values = malloc(sizeof(double) * n * n * nz);
    for (int d = 0; d < o->planes; d++) {
        for (int m = 0; m < nz; m++) {
            double w = mumloc_psf_width_nm(o, o->plane_depth_nm[d] - (-400.0 + 20.0 * m));
            for (int v = 0; v < n; v++)
                for (int u = 0; u < n; u++) {
                    double mx, my;
                    psf_masses(0.5 * o->pixel_nm - (u - c) * h, w, o->pixel_nm, 0, 1, &mx, NULL, NULL);
                    psf_masses(0.5 * o->pixel_nm - (v - c) * h, w, o->pixel_nm, 0, 1, &my, NULL, NULL);
                    values[((size_t)m * n + v) * n + u] = mx * my;
                }
        }
        if (spline_psf_from_nodes(o->pixel_nm, os, HALF, nz, -400.0, 20.0, values, &psf[d]) != MUMLOC_OK) {
            fprintf(stderr, "bench_spline: %s\n", mumloc_last_error());
            return 1;
        }
    }
    free(values);
    double *buffer = malloc(sizeof(double) * 4 * 64 * 64);
    double best[2] = {1e30, 1e30}, sink = 0;
    for (int rep = 0; rep < 5; rep++)
        for (int which = 0; which < 2; which++) {
            double acc[30] = {0}, t0 = thread_seconds();
            for (int i = 0; i < molecules; i++) {
                double x = 5000 + (i % 97) * 1.9, y = 5000 + (i % 89) * 2.1, z = (i % 1601) * 1.0;
                sink += which ? spline_iteration(o, psf, x, y, z, buffer, acc)
                              : gaussian_iteration(o, x, y, z, buffer, acc);
            }
            double t = thread_seconds() - t0;
            if (t < best[which]) best[which] = t;
        }
    printf("fit iteration, 4 planes, Gaussian windows (z uniform in 0..1600 nm), spline oversample %d "
           "(%s): Gaussian %.2f µs, spline %.2f µs per molecule; spline/Gaussian %.2f×   [%g]\n",
           os, os < 4 ? "shared z contraction, calibrate's nodes" : "per-pixel contraction",
           1e6 * best[0] / molecules, 1e6 * best[1] / molecules, best[1] / best[0], sink > 0 ? 0.0 : 1.0);
    for (int d = 0; d < o->planes; d++) spline_psf_free(&psf[d]);
    free(buffer);
    return 0;
}

int main(int argc, char **argv) {
    int molecules = argc > 1 ? atoi(argv[1]) : 20000;
    if (molecules < 1) molecules = 20000;
    mumloc_optics o;
    mumloc_optics_default(&o);
    return compare(&o, 4, molecules) || compare(&o, 2, molecules);
}
