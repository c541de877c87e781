/* A small bead z-stack renderer for the calibration tests, written independently of the library's
 * calibration: beads at known reference positions and depths, imaged by k cameras through known
 * affine maps (flips included) with per-plane Gaussian defocus curves and transmissions, a known
 * lateral drift during the scan, Poisson noise, then ADU = offset + gain · photo-electrons. The pixel
 * integrals use the library's pixel-integrated PSF masses (optics/psf_model.h). */
#ifndef TESTS_BEAD_STACK_SIM_H
#define TESTS_BEAD_STACK_SIM_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mumloc.h"
#include "optics/psf_model.h"
#include "simulate/rng.h"
#include "simulate/samplers.h"

typedef struct sim_rig {
    int cameras, width, height, steps, beads;
    double pixel_nm, z_step_nm;
    double affine[MUMLOC_MAX_PLANES][6];    /* reference → camera pixels */
    double depth[MUMLOC_MAX_PLANES], w0[MUMLOC_MAX_PLANES], d[MUMLOC_MAX_PLANES],
        A[MUMLOC_MAX_PLANES], B[MUMLOC_MAX_PLANES], transmission[MUMLOC_MAX_PLANES];
    double photons;                         /* per bead summed over planes (equal shares: /k) */
    double background;                      /* photons per pixel */
    double offset_adu, gain;
    double bead_x[512], bead_y[512], bead_z[512]; /* reference pixels; depth at slice 0, nm */
    double drift_amplitude_px;              /* lateral drift during the scan */
    double separation;                      /* least distance between beads, pixels */
    int saturate;                           /* 1: clip ADU at 65535 */
    uint64_t seed;
} sim_rig;

/* Sample drift at slice i in reference pixels (a smooth curve). */
static inline void sim_drift(const sim_rig *r, int i, double *dx, double *dy) {
    double t = (double)i / (r->steps > 1 ? r->steps - 1 : 1);
    *dx = r->drift_amplitude_px * sin(3.0 * t);
    *dy = r->drift_amplitude_px * (0.7 * t - 0.35);
}

/* The affine: dihedral m (2×2 ints) times a rotation by angle and a scale, mapping the reference
 * field centre to the camera field centre plus (tx, ty). */
static inline void sim_affine(sim_rig *r, int cam, const int m[4], double angle_deg, double scale,
                              double tx, double ty) {
    double c = cos(angle_deg * 3.14159265358979323846 / 180.0) * scale, s = sin(angle_deg * 3.14159265358979323846 / 180.0) * scale;
    double l[4] = {m[0] * c + m[1] * s, -m[0] * s + m[1] * c, m[2] * c + m[3] * s,
                   -m[2] * s + m[3] * c};
    double cx = 0.5 * r->width, cy = 0.5 * r->height;
    double *a = r->affine[cam];
    a[0] = l[0];
    a[1] = l[1];
    a[3] = l[2];
    a[4] = l[3];
    a[2] = cx + tx - (l[0] * cx + l[1] * cy);
    a[5] = cy + ty - (l[2] * cx + l[3] * cy);
}

/* Renders camera cam's stack (steps × height × width) in ADU into out. */
static inline void sim_render_camera(const sim_rig *r, int cam, float *out) {
    size_t area = (size_t)r->width * r->height;
    double *mu = calloc(area, sizeof *mu);
    double mx[512], my[512];
    const double *a = r->affine[cam];
    double scale = sqrt(fabs(a[0] * a[4] - a[1] * a[3]));
    double mean_t = 0;
    for (int d = 0; d < r->cameras; d++) mean_t += r->transmission[d] / r->cameras;
    for (int i = 0; i < r->steps; i++) {
        for (size_t p = 0; p < area; p++) mu[p] = r->background;
        double sx, sy;
        sim_drift(r, i, &sx, &sy);
        for (int b = 0; b < r->beads; b++) {
            double x = r->bead_x[b] + sx, y = r->bead_y[b] + sy;
            double u = a[0] * x + a[1] * y + a[2], v = a[3] * x + a[4] * y + a[5];
            double dz = r->depth[cam] - (r->bead_z[b] + i * r->z_step_nm), t = dz / r->d[cam];
            double w_nm = r->w0[cam] * sqrt(1 + t * t + r->A[cam] * t * t * t +
                                            r->B[cam] * t * t * t * t);
            double w = w_nm * scale / r->pixel_nm;
            double n = r->photons / r->cameras * r->transmission[cam] / mean_t;
            int half = (int)ceil(6 * w) + 1;
            int i0 = (int)floor(u) - half, j0 = (int)floor(v) - half, nn = 2 * half + 1;
            if (nn > 512) continue;
            psf_masses(u, w, 1.0, i0, nn, mx, NULL, NULL);
            psf_masses(v, w, 1.0, j0, nn, my, NULL, NULL);
            for (int jj = 0; jj < nn; jj++)
                for (int ii = 0; ii < nn; ii++) {
                    int pi = i0 + ii, pj = j0 + jj;
                    if (pi < 0 || pj < 0 || pi >= r->width || pj >= r->height) continue;
                    mu[(size_t)pj * r->width + pi] += n * mx[ii] * my[jj];
                }
        }
        for (size_t p = 0; p < area; p++) {
            philox_rng g = rng_stream(r->seed, i, RNG_TEST, cam, (uint32_t)p);
            double adu = r->offset_adu + r->gain * rng_poisson(&g, mu[p]);
            if (r->saturate && adu > 65535) adu = 65535;
            out[(size_t)i * area + p] = (float)adu;
        }
    }
    free(mu);
}

/* A test rig: k cameras of w × h pixels, beads random in the middle 80 % of the reference field,
 * at least `separation` pixels apart, depths within ±30 nm, per-plane optics unlike the defaults. */
static inline void sim_rig_default(sim_rig *r, int k, int w, int h, int beads, uint64_t seed) {
    memset(r, 0, sizeof *r);
    r->cameras = k;
    r->width = w;
    r->height = h;
    r->beads = beads;
    r->pixel_nm = 120;
    r->z_step_nm = 50;
    r->photons = 4 * 6000.0;
    r->background = 10;
    r->offset_adu = 100;
    r->gain = 2;
    r->drift_amplitude_px = 0.6;
    r->seed = seed;
    r->separation = 18;
    static const double depth[4] = {200, 620, 990, 1410}, w0[4] = {130, 142, 124, 136},
                        dd[4] = {300, 325, 280, 310}, A[4] = {0.0, 0.06, -0.04, 0.02},
                        B[4] = {0.12, 0.10, 0.15, 0.11}, tr[4] = {1.0, 0.85, 1.12, 1.03};
    for (int d = 0; d < k; d++) {
        r->depth[d] = depth[d % 4] + 400.0 * (d / 4) * 4;
        r->w0[d] = w0[d % 4];
        r->d[d] = dd[d % 4];
        r->A[d] = A[d % 4];
        r->B[d] = B[d % 4];
        r->transmission[d] = tr[d % 4];
    }
    /* The scan runs from 800 nm above plane 1's focus to 800 nm below plane k's. */
    double z0 = r->depth[0] - 800;
    r->steps = (int)ceil((r->depth[k - 1] + 800 - z0) / r->z_step_nm) + 1;
    philox_rng g = rng_stream(seed, 0, RNG_TEST, 200, 0);
    for (int b = 0; b < beads; b++) {
        for (int tries = 0; tries < 100; tries++) {
            r->bead_x[b] = 0.1 * w + 0.8 * w * rng_uniform(&g);
            r->bead_y[b] = 0.1 * h + 0.8 * h * rng_uniform(&g);
            int close = 0;
            for (int o = 0; o < b; o++)
                close |= hypot(r->bead_x[o] - r->bead_x[b], r->bead_y[o] - r->bead_y[b]) < r->separation;
            if (!close) break;
        }
        r->bead_z[b] = z0 + 60.0 * (rng_uniform(&g) - 0.5);
    }
    int identity[4] = {1, 0, 0, 1};
    for (int d = 0; d < k; d++) sim_affine(r, d, identity, 0, 1, 0, 0);
}

#endif
