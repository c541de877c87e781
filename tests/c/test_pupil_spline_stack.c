/* Splines of a two-plane bead hyperstack cut from whole images (spline_psf_from_stack, the
 * background from the images' median): each plane's spline reproduces that plane's pupil PSF (its
 * own astigmatism and focus) at held-out positions and depths; beads too near the edge are left out. */
#include <math.h>
#include <stdlib.h>

#include "../../tools/pupil/pupil_psf.h"
#include "check.h"
#include "optics/spline_build.h"

enum { PLANES = 2, WIDTH = 128, HEIGHT = 128, BEADS = 16, HALF = 6, OS = 4, W = 9 };
static const double Z0 = -500.0, ZSTEP = 50.0, PHOTONS = 2e4, BG = 3.0;
static const int STEPS = 21; /* −500 .. 500 nm */
static const double DEPTH[PLANES] = {-100.0, 100.0};

static double uniform(unsigned *state) {
    *state = *state * 1664525u + 1013904223u;
    return (*state >> 8) / 16777216.0;
}

int main(void) {
    pupil_optics po;
    pupil_optics_default(&po);
    po.pupil_samples = 48;
    po.oversample = 4;
    const double p = po.pixel_nm;
    pupil_aberrations ab[PLANES] = {{40.0, 0, 0, 0, 20.0}, {-30.0, 0, 0, 0, 20.0}};
    /* sparse beads on a 4 × 4 grid 30 pixels apart, sub-pixel jittered (one moved to the edge) */
    double bx[BEADS], by[BEADS];
    unsigned seed = 9;
    for (int b = 0; b < BEADS; b++) {
        bx[b] = (18 + 30 * (b % 4) + uniform(&seed)) * p;
        by[b] = (18 + 30 * (b / 4) + uniform(&seed)) * p;
    }
    by[BEADS - 1] = 2.5 * p; /* its patch would leave the image */
    float *stack = calloc((size_t)STEPS * PLANES * WIDTH * HEIGHT, sizeof *stack);
    double px[(2 * 7 + 1) * (2 * 7 + 1)];
    for (int m = 0; m < STEPS; m++)
        for (int d = 0; d < PLANES; d++) {
            float *img = stack + ((size_t)m * PLANES + d) * WIDTH * HEIGHT;
            for (int i = 0; i < WIDTH * HEIGHT; i++) img[i] = (float)BG;
            for (int b = 0; b < BEADS; b++) {
                int i0 = (int)floor(bx[b] / p) - 7, j0 = (int)floor(by[b] / p) - 7;
                CHECK(pupil_pixels(&po, &ab[d], bx[b], by[b], Z0 + m * ZSTEP - DEPTH[d], i0, j0, 15,
                                   15, px));
                for (int j = 0; j < 15; j++)
                    for (int i = 0; i < 15; i++)
                        if (i0 + i >= 0 && j0 + j >= 0 && i0 + i < WIDTH && j0 + j < HEIGHT)
                            img[(j0 + j) * WIDTH + i0 + i] += (float)(PHOTONS * px[j * 15 + i]);
            }
        }
    for (int d = 0; d < PLANES; d++) {
        spline_plane_psf psf;
        int used = 0;
        CHECK_OK(spline_psf_from_stack(stack, PLANES, d, WIDTH, HEIGHT, STEPS, Z0, ZSTEP, bx,
                                              by, BEADS, p, OS, HALF, -1.0, &psf, &used));
        CHECK(used == BEADS - 1);
        /* compare shapes: both normalised to their in-focus 9 × 9 window sum */
        double worst = 0, peak = 0, g[W * W], t[W * W], gs = 0, ts = 0;
        spline_psf_window(&psf, 3000, 3000, DEPTH[d], 15 - W / 2, 15 - W / 2, W, W, g, NULL,
                                 NULL, NULL);
        CHECK(pupil_pixels(&po, &ab[d], 3000, 3000, 0.0, 15 - W / 2, 15 - W / 2, W, W, t));
        for (int i = 0; i < W * W; i++) gs += g[i], ts += t[i];
        for (int k = 0; k < 10; k++) {
            double mx = 3000 + p * uniform(&seed), my = 3000 + p * uniform(&seed);
            double z = DEPTH[d] - 350 + 700 * uniform(&seed); /* inside the steps */
            int i0 = (int)floor(mx / p) - W / 2, j0 = (int)floor(my / p) - W / 2;
            spline_psf_window(&psf, mx, my, z, i0, j0, W, W, g, NULL, NULL, NULL);
            CHECK(pupil_pixels(&po, &ab[d], mx, my, z - DEPTH[d], i0, j0, W, W, t));
            for (int i = 0; i < W * W; i++) {
                worst = fmax(worst, fabs(g[i] / gs - t[i] / ts));
                peak = fmax(peak, t[i] / ts);
            }
        }
        printf("plane %d: %d beads used; spline vs pupil PSF at held-out points: worst %.2f %% of "
               "the peak\n", d + 1, used, 100 * worst / peak);
        /* 15 beads, 50 nm steps, centres found by the builder (to ~4 nm, see test_pupil_spline.c):
         * a few % of the peak */
        CHECK(worst < 0.03 * peak);
        spline_psf_free(&psf);
    }
    free(stack);
    return check_failures ? 1 : 0;
}
