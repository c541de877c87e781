/* The Cramér–Rao bound by brute force, for the CRLB tests: per plane, derivatives of the
 * simulator's rendering by central differences over the fit window, information
 * Σ ∂μ∂μ/(F μ + r²) over (x, y, z, photons, b_1..b_k), inverse by Gauss–Jordan (a different method
 * from the library's Cholesky). The molecule must sit well inside a BRUTE_SIDE² image. */
#ifndef TESTS_CRLB_BRUTE_FORCE_H
#define TESTS_CRLB_BRUTE_FORCE_H

#include <math.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "optics/psf_model.h"
#include "simulate/simulator.h"

#define BRUTE_SIDE 64
#define BRUTE_MAXP (4 + MUMLOC_MAX_PLANES)

static double brute_image[BRUTE_SIDE * BRUTE_SIDE], brute_scratch[2 * (2 * BRUTE_SIDE + 2)];

/* Expected photons of one plane (no background) rendered by the simulator into brute_image, for a
 * molecule of `photons` in all planes. */
static void brute_render(const mumloc_optics *o, int plane, double x, double y, double z,
                         double photons) {
    memset(brute_image, 0, sizeof brute_image);
    double weight = photons / o->planes / (o->psf_amplitude / (o->pixel_nm * o->pixel_nm));
    mumloc_emitter e = {0, x, y, z, weight, 0};
    render_plane_rows(o, plane, BRUTE_SIDE, BRUTE_SIDE, 0, BRUTE_SIDE,
                             o->plane_depth_nm[plane], 0, 0, &e, 1, brute_image, brute_scratch);
}

/* Gauss–Jordan inverse with partial pivoting. */
static void brute_invert(double *a, int n, double *inv) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) inv[i * n + j] = i == j;
    for (int c = 0; c < n; c++) {
        int p = c;
        for (int r = c + 1; r < n; r++)
            if (fabs(a[r * n + c]) > fabs(a[p * n + c])) p = r;
        for (int j = 0; j < n; j++) {
            double t = a[c * n + j];
            a[c * n + j] = a[p * n + j];
            a[p * n + j] = t;
            t = inv[c * n + j];
            inv[c * n + j] = inv[p * n + j];
            inv[p * n + j] = t;
        }
        double d = a[c * n + c];
        for (int j = 0; j < n; j++) {
            a[c * n + j] /= d;
            inv[c * n + j] /= d;
        }
        for (int r = 0; r < n; r++) {
            if (r == c) continue;
            double f = a[r * n + c];
            for (int j = 0; j < n; j++) {
                a[r * n + j] -= f * a[c * n + j];
                inv[r * n + j] -= f * inv[c * n + j];
            }
        }
    }
}

/* σx, σy, σz of the brute-force bound (camera: EM excess F and read noise as mumloc_crlb). */
static void brute_force(const mumloc_optics *o, const mumloc_camera *cam, double x, double y,
                        double z, double n_photons, const double *bg, double sigma[3]) {
    const int k = o->planes, np = 4 + k;
    double fisher[BRUTE_MAXP * BRUTE_MAXP] = {0}, inv[BRUTE_MAXP * BRUTE_MAXP];
    double excess = cam->em_gain > 1 ? 2.0 : 1.0;
    double read = cam->read_noise_e / cam->em_gain;
    static double base[BRUTE_SIDE * BRUTE_SIDE], grad[4][BRUTE_SIDE * BRUTE_SIDE];
    for (int d = 0; d < k; d++) {
        psf_plane pl;
        psf_plane_window(o, d, x, y, z, NULL, NULL, 0, 0, &pl);
        CHECK(pl.i0 >= 0 && pl.j0 >= 0 && pl.i0 + pl.nx <= BRUTE_SIDE &&
              pl.j0 + pl.ny <= BRUTE_SIDE);
        brute_render(o, d, x, y, z, n_photons);
        memcpy(base, brute_image, sizeof brute_image);
        const double h[4] = {0.01, 0.01, 0.01, 1e-4 * n_photons};
        for (int p = 0; p < 4; p++) {
            double a[4] = {x, y, z, n_photons}, b[4] = {x, y, z, n_photons};
            a[p] += h[p];
            b[p] -= h[p];
            brute_render(o, d, a[0], a[1], a[2], a[3]);
            memcpy(grad[p], brute_image, sizeof brute_image);
            brute_render(o, d, b[0], b[1], b[2], b[3]);
            for (int i = 0; i < BRUTE_SIDE * BRUTE_SIDE; i++)
                grad[p][i] = (grad[p][i] - brute_image[i]) / (2 * h[p]);
        }
        for (int j = pl.j0; j < pl.j0 + pl.ny; j++)
            for (int i = pl.i0; i < pl.i0 + pl.nx; i++) {
                int at = j * BRUTE_SIDE + i;
                double var = excess * (base[at] + bg[d]) + read * read;
                double g[BRUTE_MAXP] = {0};
                for (int p = 0; p < 4; p++) g[p] = grad[p][at];
                g[4 + d] = 1.0;
                for (int r = 0; r < np; r++)
                    for (int c = 0; c < np; c++) fisher[r * np + c] += g[r] * g[c] / var;
            }
    }
    brute_invert(fisher, np, inv);
    for (int a = 0; a < 3; a++) sigma[a] = sqrt(inv[a * np + a]);
}

#endif
