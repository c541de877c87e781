/* The spline PSF built from a bead z-stack (optics/spline_build.h) of Gaussian-model beads at random
 * sub-pixel positions reproduces the Gaussian model — values, derivatives and Cramér–Rao bounds —
 * with the beads' centres and background given, and when it must find them itself (centroid, then
 * registration against the spline, background from the patch border). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "optics/crlb.h"
#include "optics/psf_model.h"
#include "optics/spline_build.h"

enum { BEADS = 30, SIDE = 17, OS = 4, HALF = 8 };
static const double Z0 = -600.0, ZSTEP = 20.0, PHOTONS = 1e4, BG = 10.0;
static const int STEPS = 81; /* −600 .. 1000 nm: ±800 nm about plane 1's focus at 200 nm */

static double uniform(unsigned *state) {
    *state = *state * 1664525u + 1013904223u;
    return (*state >> 8) / 16777216.0;
}

/* Noise-free images of the beads through the stack, from the Gaussian model of plane 1. */
static float *bead_stack(const mumloc_optics *o, const double *x, const double *y) {
    float *images = malloc(sizeof(float) * BEADS * STEPS * SIDE * SIDE);
    double mx[SIDE], my[SIDE];
    for (int b = 0; b < BEADS; b++)
        for (int m = 0; m < STEPS; m++) {
            double w = mumloc_psf_width_nm(o, o->plane_depth_nm[0] - (Z0 + m * ZSTEP));
            psf_masses(x[b], w, o->pixel_nm, 0, SIDE, mx, NULL, NULL);
            psf_masses(y[b], w, o->pixel_nm, 0, SIDE, my, NULL, NULL);
            float *img = images + ((size_t)b * STEPS + m) * SIDE * SIDE;
            for (int j = 0; j < SIDE; j++)
                for (int i = 0; i < SIDE; i++) img[j * SIDE + i] = (float)(PHOTONS * mx[i] * my[j] + BG);
        }
    return images;
}

/* Worst errors of value and derivatives (relative to the largest of each) and of the CRLB, z in
 * [−400, 800], pixels within ±6 of the molecule. */
static void compare(const mumloc_optics *o, const spline_plane_psf *psf, double err[5]) {
    double worst[4] = {0}, big[4] = {0};
    unsigned seed = 3;
    enum { W = 13 };
    double g[W * W], gx[W * W], gy[W * W], gz[W * W];
    err[4] = 0;
    for (int t = 0; t < 40; t++) {
        double x = 2000 + 192 * uniform(&seed), y = 2000 + 192 * uniform(&seed);
        double z = -400 + 1200 * uniform(&seed);
        psf_plane pl;
        psf_plane_window(o, 0, x, y, z, NULL, NULL, 0, 0, &pl);
        int i0 = (int)floor(x / o->pixel_nm) - 6, j0 = (int)floor(y / o->pixel_nm) - 6;
        pl.i0 = i0, pl.j0 = j0, pl.nx = W, pl.ny = W;
        double *factors = malloc(sizeof(double) * psf_plane_buffer_size(&pl));
        psf_plane_eval(o, &pl, factors);
        spline_psf_window(psf, x, y, z, i0, j0, W, W, g, gx, gy, gz);
        for (int i = 0; i < W * W; i++) {
            double e[4], s[4] = {g[i], gx[i], gy[i], gz[i]};
            psf_plane_pixel(&pl, i % W, i / W, &e[0], &e[1], &e[2], &e[3]);
            for (int q = 0; q < 4; q++) {
                if (fabs(s[q] - e[q]) > worst[q]) worst[q] = fabs(s[q] - e[q]);
                if (fabs(e[q]) > big[q]) big[q] = fabs(e[q]);
            }
        }
        /* CRLB of both over this window, 2000 photons on 10 background */
        mumloc_camera cam;
        mumloc_camera_default(&cam);
        pixel_noise noise = pixel_noise_of(&cam);
        double share = 1.0, bg = 10.0, fs[25], fg[25], ds[5], dg[5];
        double *mass = malloc(sizeof(double) * 4 * W * W);
        for (int i = 0; i < W * W; i++)
            psf_plane_pixel(&pl, i % W, i / W, &mass[i], &mass[W * W + i],
                                   &mass[2 * W * W + i], &mass[3 * W * W + i]);
        psf_dense vs = {i0, j0, W, W, g, gx, gy, gz};
        psf_dense vg = {i0, j0, W, W, mass, mass + W * W, mass + 2 * W * W, mass + 3 * W * W};
        fisher_dense(1, &noise, &vs, &share, 2000, &bg, fs);
        fisher_dense(1, &noise, &vg, &share, 2000, &bg, fg);
        fisher_inverse_diagonal(fs, 5, ds);
        fisher_inverse_diagonal(fg, 5, dg);
        for (int a = 0; a < 3; a++)
            if (fabs(sqrt(ds[a] / dg[a]) - 1) > err[4]) err[4] = fabs(sqrt(ds[a] / dg[a]) - 1);
        free(mass);
        free(factors);
    }
    for (int q = 0; q < 4; q++) err[q] = worst[q] / big[q];
}

int main(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    double x[BEADS], y[BEADS];
    unsigned seed = 11;
    for (int b = 0; b < BEADS; b++) {
        x[b] = (SIDE / 2 + uniform(&seed)) * o.pixel_nm;
        y[b] = (SIDE / 2 + uniform(&seed)) * o.pixel_nm;
    }
    float *images = bead_stack(&o, x, y);
    double bgs[BEADS];
    for (int b = 0; b < BEADS; b++) bgs[b] = BG;
    const char *names[5] = {"g", "dg/dx", "dg/dy", "dg/dz", "CRLB"};

    /* Centres and background given. */
    spline_beads in = {images, BEADS, STEPS, SIDE, x, y, bgs, Z0, ZSTEP, 0.0};
    spline_plane_psf psf;
    CHECK_OK(spline_psf_from_beads(&in, o.pixel_nm, OS, HALF, &psf, NULL, NULL));
    double err[5];
    compare(&o, &psf, err);
    for (int q = 0; q < 5; q++)
        printf("beads, centres given: worst %s error %.3f %%\n", names[q], 100 * err[q]);
    CHECK(err[0] < 0.005 && err[1] < 0.02 && err[2] < 0.02 && err[3] < 0.02);
    CHECK(err[4] < 0.02);
    spline_psf_free(&psf);

    /* Centres and background found by the builder: the spline's origin is the beads' centre. */
    in.x_nm = in.y_nm = NULL;
    in.background = NULL;
    double fx[BEADS], fy[BEADS], worst_centre = 0;
    CHECK_OK(spline_psf_from_beads(&in, o.pixel_nm, OS, HALF, &psf, fx, fy));
    for (int b = 0; b < BEADS; b++) {
        double e = hypot(fx[b] - x[b], fy[b] - y[b]);
        if (e > worst_centre) worst_centre = e;
    }
    compare(&o, &psf, err);
    printf("beads, centres found: worst centre error %.2f nm\n", worst_centre);
    for (int q = 0; q < 5; q++)
        printf("beads, centres found: worst %s error %.3f %%\n", names[q], 100 * err[q]);
    CHECK(worst_centre < 2.0);
    CHECK(err[0] < 0.01 && err[4] < 0.02);
    spline_psf_free(&psf);

    /* A pixel that is not a number: an error naming the bead and step, not a NaN spline. */
    in.beads = BEADS;
    images[((size_t)4 * STEPS + 7) * SIDE * SIDE + 3] = NAN;
    CHECK_STATUS(spline_psf_from_beads(&in, o.pixel_nm, OS, HALF, &psf, NULL, NULL),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "bead 5") && strstr(mumloc_last_error(), "step 8"));

    /* Too few beads: a clear error. */
    in.beads = 3;
    CHECK_STATUS(spline_psf_from_beads(&in, o.pixel_nm, OS, HALF, &psf, NULL, NULL),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    free(images);
    return check_failures ? 1 : 0;
}
