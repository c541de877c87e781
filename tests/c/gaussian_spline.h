/* Splines built from Gaussian PSFs (the "Gaussian-model beads" of issue 13): node values are the
 * pixel masses of a Gaussian (optics/psf_model.h, erf over the pixel) at the node offsets and depths,
 * so every comparison with the Gaussian path measures only the spline's interpolation. z nodes
 * z0 + m · z_step, m < nz; lateral ±half pixels, oversample nodes per pixel. */
#ifndef TESTS_GAUSSIAN_SPLINE_H
#define TESTS_GAUSSIAN_SPLINE_H

#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "optics/psf_model.h"
#include "optics/spline_psf.h"

/* An elliptic Gaussian: widths wx[m] along x and wy[m] along y at z node m. */
static inline void elliptic_gaussian_spline(double p, int os, int half, int nz, double z0,
                                            double z_step, const double *wx, const double *wy,
                                            spline_plane_psf *out) {
    const int n = 2 * half * os + 1, c = half * os;
    const double h = p / os;
    double *values = malloc(sizeof(double) * n * n * nz), *mx = malloc(sizeof(double) * n),
           *my = malloc(sizeof(double) * n);
    for (int m = 0; m < nz; m++) {
        for (int u = 0; u < n; u++) {
            psf_masses(0.5 * p - (u - c) * h, wx[m], p, 0, 1, &mx[u], NULL, NULL);
            psf_masses(0.5 * p - (u - c) * h, wy[m], p, 0, 1, &my[u], NULL, NULL);
        }
        for (int v = 0; v < n; v++)
            for (int u = 0; u < n; u++) values[((size_t)m * n + v) * n + u] = mx[u] * my[v];
    }
    CHECK_OK(spline_psf_from_nodes(p, os, half, nz, z0, z_step, values, out));
    free(values), free(mx), free(my);
}

/* An astigmatic PSF (a cylindrical lens): width w0 · sqrt(1 + ((z − f)/d)²) along x with focus
 * f = x_focus, along y with f = y_focus — the depth is coded by the shape alone (k = 1). */
static inline void astigmatic_spline(double p, int os, int half, int nz, double z0, double z_step,
                                     double x_focus, double y_focus, double w0, double d,
                                     spline_plane_psf *out) {
    double *wx = malloc(sizeof(double) * nz), *wy = malloc(sizeof(double) * nz);
    for (int m = 0; m < nz; m++) {
        double z = z0 + m * z_step, tx = (z - x_focus) / d, ty = (z - y_focus) / d;
        wx[m] = w0 * sqrt(1 + tx * tx);
        wy[m] = w0 * sqrt(1 + ty * ty);
    }
    elliptic_gaussian_spline(p, os, half, nz, z0, z_step, wx, wy, out);
    free(wx), free(wy);
}

/* Plane d of the optics' Gaussian model (its own curve, imaging plane_depth_nm[d]). */
static inline void gaussian_spline_of_plane(const mumloc_optics *o, int d, int os, int half, int nz,
                                            double z0, double z_step, spline_plane_psf *out) {
    mumloc_plane_psf curve = mumloc_optics_plane_psf(o, d);
    double *w = malloc(sizeof(double) * nz);
    for (int m = 0; m < nz; m++) {
        double t = (o->plane_depth_nm[d] - (z0 + m * z_step)) / curve.d_nm;
        w[m] = curve.w0_nm * sqrt(1 + t * t + curve.A * t * t * t + curve.B * t * t * t * t);
    }
    elliptic_gaussian_spline(o->pixel_nm, os, half, nz, z0, z_step, w, w, out);
    free(w);
}

#endif
