/* The cubic-spline PSF (optics/spline_psf.h) built from the Gaussian model's pixel-integrated PSF
 * reproduces that model (values, derivatives by x, y, z, and the Cramér–Rao bounds within 2 %), its
 * analytic derivatives match finite differences, and it is continuous with continuous first
 * derivatives across cell boundaries. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "optics/crlb.h"
#include "optics/psf.h"
#include "optics/psf_model.h"
#include "optics/spline_psf.h"

enum { OS = 4, HALF = 8 };
static const double Z0 = -400.0, ZSTEP = 20.0;
static const int NZ = 121; /* −400 .. 2000 nm */

/* Gaussian model: photon fraction on a pixel centred at offset (u, v) from a molecule at depth z. */
static double gaussian_node(const mumloc_optics *o, int plane, double u, double v, double z) {
    double w = mumloc_psf_width_nm(o, o->plane_depth_nm[plane] - z), p = o->pixel_nm, mx, my;
    psf_masses(0.5 * p - u, w, p, 0, 1, &mx, NULL, NULL);
    psf_masses(0.5 * p - v, w, p, 0, 1, &my, NULL, NULL);
    return mx * my;
}

static void build_from_gaussian(const mumloc_optics *o, int plane, spline_plane_psf *psf) {
    const int n = 2 * HALF * OS + 1, c = HALF * OS;
    const double h = o->pixel_nm / OS;
    double *values = malloc(sizeof(double) * n * n * NZ);
    for (int m = 0; m < NZ; m++)
        for (int v = 0; v < n; v++)
            for (int u = 0; u < n; u++)
                values[((size_t)m * n + v) * n + u] =
                    gaussian_node(o, plane, (u - c) * h, (v - c) * h, Z0 + m * ZSTEP);
    CHECK_OK(spline_psf_from_nodes(o->pixel_nm, OS, HALF, NZ, Z0, ZSTEP, values, psf));
    free(values);
}

static double uniform(unsigned *state) {
    *state = *state * 1664525u + 1013904223u;
    return (*state >> 8) / 16777216.0;
}

int main(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    spline_plane_psf psf[MUMLOC_MAX_PLANES];
    for (int d = 0; d < o.planes; d++) build_from_gaussian(&o, d, &psf[d]);

    /* Values and derivatives against the Gaussian model over its own fit windows (where the spline's
     * grid reaches). */
    double worst[4] = {0}, scale[4] = {0};
    unsigned seed = 7;
    double *buf = malloc(sizeof(double) * 8 * 40 * 40);
    for (int trial = 0; trial < 60; trial++) {
        double x = 3000 + 192 * uniform(&seed), y = 3000 + 192 * uniform(&seed);
        double z = 1600 * uniform(&seed);
        int d = trial % o.planes;
        psf_plane pl;
        psf_plane_window(&o, d, x, y, z, NULL, NULL, 0, 0, &pl);
        double *factors = malloc(sizeof(double) * psf_plane_buffer_size(&pl));
        psf_plane_eval(&o, &pl, factors);
        size_t count = (size_t)pl.nx * pl.ny;
        double *g = buf, *gx = g + count, *gy = gx + count, *gz = gy + count;
        spline_psf_window(&psf[d], x, y, z, pl.i0, pl.j0, pl.nx, pl.ny, g, gx, gy, gz);
        for (int b = 0; b < pl.ny; b++)
            for (int a = 0; a < pl.nx; a++) {
                double e[4], s[4];
                psf_plane_pixel(&pl, a, b, &e[0], &e[1], &e[2], &e[3]);
                size_t at = (size_t)b * pl.nx + a;
                /* the spline covers pixel centres within ±HALF pixels; a far-defocused Gaussian
                 * window reaches further (its pixels there hold under 1e-3 of the peak) */
                double u = (pl.i0 + a + 0.5) * o.pixel_nm - x, v = (pl.j0 + b + 0.5) * o.pixel_nm - y;
                if (fabs(u) >= HALF * o.pixel_nm || fabs(v) >= HALF * o.pixel_nm) continue;
                s[0] = g[at], s[1] = gx[at], s[2] = gy[at], s[3] = gz[at];
                for (int q = 0; q < 4; q++) {
                    if (fabs(s[q] - e[q]) > worst[q]) worst[q] = fabs(s[q] - e[q]);
                    if (fabs(e[q]) > scale[q]) scale[q] = fabs(e[q]);
                }
            }
        free(factors);
    }
    const char *names[4] = {"g", "dg/dx", "dg/dy", "dg/dz"};
    for (int q = 0; q < 4; q++) {
        printf("spline vs Gaussian: max |%s error| = %.2e = %.3f %% of its largest value\n", names[q],
               worst[q], 100 * worst[q] / scale[q]);
        CHECK(worst[q] <= (q == 0 ? 0.001 : 0.005) * scale[q]);
    }

    /* Cramér–Rao bounds over the same windows: within 2 %. */
    mumloc_camera cam;
    mumloc_camera_default(&cam);
    pixel_noise noise = pixel_noise_of(&cam);
    double bg[MUMLOC_MAX_PLANES], share[MUMLOC_MAX_PLANES], worst_crlb = 0;
    for (int d = 0; d < o.planes; d++) bg[d] = 10.0, share[d] = 1.0 / o.planes;
    for (int trial = 0; trial < 9; trial++) {
        double x = 5000 + 37 * trial, y = 4000 - 23 * trial, z = 100 + 175 * trial, photons = 4000;
        double fisher_g[64], fisher_s[64], diag_g[8], diag_s[8];
        CHECK_OK(crlb_fisher(&o, &noise, x, y, z, photons, bg, NULL, NULL, fisher_g));
        psf_dense views[MUMLOC_MAX_PLANES];
        double *store[MUMLOC_MAX_PLANES];
        for (int d = 0; d < o.planes; d++) {
            psf_plane pl;
            psf_plane_window(&o, d, x, y, z, NULL, NULL, 0, 0, &pl);
            size_t count = (size_t)pl.nx * pl.ny;
            store[d] = malloc(sizeof(double) * 4 * count);
            spline_psf_window(&psf[d], x, y, z, pl.i0, pl.j0, pl.nx, pl.ny, store[d],
                                     store[d] + count, store[d] + 2 * count, store[d] + 3 * count);
            views[d] = (psf_dense){pl.i0, pl.j0, pl.nx, pl.ny, store[d], store[d] + count,
                                          store[d] + 2 * count, store[d] + 3 * count};
        }
        fisher_dense(o.planes, &noise, views, share, photons, bg, fisher_s);
        for (int d = 0; d < o.planes; d++) free(store[d]);
        int n = CRLB_BACKGROUND + o.planes;
        fisher_inverse_diagonal(fisher_g, n, diag_g);
        fisher_inverse_diagonal(fisher_s, n, diag_s);
        for (int a = 0; a < 3; a++) {
            double r = sqrt(diag_s[a] / diag_g[a]) - 1.0;
            if (fabs(r) > worst_crlb) worst_crlb = fabs(r);
        }
    }
    printf("spline vs Gaussian CRLB (x, y, z at 9 depths): worst relative difference %.3f %%\n",
           100 * worst_crlb);
    CHECK(worst_crlb < 0.02);

    /* Analytic derivatives against central differences of the spline itself (3×3 pixels). */
    {
        double x = 5010.3, y = 4999.1, z = 733.0, e = 0.5, g[9], dx[9], dy[9], dz[9], gp[9], gm[9];
        spline_psf_window(&psf[1], x, y, z, 24, 24, 3, 3, g, dx, dy, dz);
        double worst_fd = 0, big = 0;
        for (int axis = 0; axis < 3; axis++) {
            double xp[3] = {x, y, z}, xm[3] = {x, y, z};
            xp[axis] += e;
            xm[axis] -= e;
            spline_psf_window(&psf[1], xp[0], xp[1], xp[2], 24, 24, 3, 3, gp, NULL, NULL, NULL);
            spline_psf_window(&psf[1], xm[0], xm[1], xm[2], 24, 24, 3, 3, gm, NULL, NULL, NULL);
            const double *an = axis == 0 ? dx : axis == 1 ? dy : dz;
            for (int i = 0; i < 9; i++) {
                double fd = (gp[i] - gm[i]) / (2 * e);
                if (fabs(fd - an[i]) > worst_fd) worst_fd = fabs(fd - an[i]);
                if (fabs(an[i]) > big) big = fabs(an[i]);
            }
        }
        printf("analytic vs finite-difference derivatives: worst %.2e of %.2e\n", worst_fd, big);
        CHECK(worst_fd < 1e-3 * big);
    }

    /* C¹ across cells: crossing a lateral node (x = multiple of h from the pixel centre) and a z
     * node, value and first derivatives change by O(ε) only. */
    {
        const double h = o.pixel_nm / OS, eps = 1e-7;
        double xs = 5000 * 1.0 - fmod(5000.0, h) + 0.5 * o.pixel_nm; /* a node of the lateral grid */
        double zn = Z0 + 37 * ZSTEP, y = 5003.7;
        double a[4][9], b[4][9];
        double worst_jump = 0, big = 0;
        const double at[2][3] = {{xs, y, 800.0}, {5003.1, y, zn}};
        for (int which = 0; which < 2; which++) {
            double lo[3], hi[3];
            for (int k = 0; k < 3; k++) lo[k] = hi[k] = at[which][k];
            lo[which == 0 ? 0 : 2] -= eps;
            hi[which == 0 ? 0 : 2] += eps;
            spline_psf_window(&psf[2], lo[0], lo[1], lo[2], 24, 24, 3, 3, a[0], a[1], a[2], a[3]);
            spline_psf_window(&psf[2], hi[0], hi[1], hi[2], 24, 24, 3, 3, b[0], b[1], b[2], b[3]);
            for (int q = 0; q < 4; q++)
                for (int i = 0; i < 9; i++) {
                    if (fabs(a[q][i] - b[q][i]) > worst_jump) worst_jump = fabs(a[q][i] - b[q][i]);
                    if (fabs(a[q][i]) > big) big = fabs(a[q][i]);
                }
        }
        printf("jump across a cell boundary (value and derivatives): %.2e of %.2e\n", worst_jump, big);
        CHECK(worst_jump < 1e-6 * big);
    }

    /* Outside the lateral grid g is 0; bad grids are refused with a message. */
    {
        double g[1], gx[1], gy[1], gz[1];
        spline_psf_window(&psf[0], 0.0, 0.0, 200.0, 40, 40, 1, 1, g, gx, gy, gz);
        CHECK(g[0] == 0.0 && gx[0] == 0.0);
        spline_plane_psf bad;
        double one[4] = {0};
        CHECK_STATUS(spline_psf_from_nodes(192.0, 4, 0, 1, 0.0, 10.0, one, &bad),
                     MUMLOC_ERR_INVALID_ARGUMENT);
    }
    free(buf);
    for (int d = 0; d < o.planes; d++) spline_psf_free(&psf[d]);
    return check_failures ? 1 : 0;
}
