/* A spline PSF built from the Gaussian model (the "Gaussian-model beads" of issue 13): each plane's
 * node values are the Gaussian's pixel masses (optics/psf_model.h, erf over the pixel) at the node
 * offsets and depths, so every comparison with the Gaussian path measures only the spline's
 * interpolation. z nodes z0 + m · z_step, m < nz; lateral ±half pixels, oversample nodes per pixel. */
#ifndef MUMLOC_TESTS_GAUSSIAN_SPLINE_H
#define MUMLOC_TESTS_GAUSSIAN_SPLINE_H

#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "optics/psf_model.h"
#include "optics/spline_psf.h"

static inline void gaussian_spline_of_plane(const mumloc_optics *o, int d, int os, int half, int nz,
                                            double z0, double z_step, mumloc_spline_psf *out) {
    const int n = 2 * half * os + 1, c = half * os;
    const double p = o->pixel_nm, h = p / os;
    mumloc_plane_psf curve = mumloc_optics_plane_psf(o, d);
    double *values = malloc(sizeof(double) * n * n * nz), *mass = malloc(sizeof(double) * n);
    for (int m = 0; m < nz; m++) {
        double dz = o->plane_depth_nm[d] - (z0 + m * z_step);
        double t = dz / curve.d_nm;
        double w = curve.w0_nm * sqrt(1 + t * t + curve.A * t * t * t + curve.B * t * t * t * t);
        for (int u = 0; u < n; u++) mumloc_psf_masses(0.5 * p - (u - c) * h, w, p, 0, 1, &mass[u], NULL, NULL);
        for (int v = 0; v < n; v++)
            for (int u = 0; u < n; u++) values[((size_t)m * n + v) * n + u] = mass[u] * mass[v];
    }
    CHECK_OK(mumloc_spline_psf_from_nodes(p, os, half, nz, z0, z_step, values, out));
    free(values);
    free(mass);
}

#endif
