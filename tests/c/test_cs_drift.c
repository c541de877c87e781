/* The CS drift search recovers a known integer drift of planes 2..k on noise-free frames rendered by
 * the PSF model (an independent path), and the molecules come out where they were put. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cs/cs_localize.h"
#include "optics/psf_model.h"

int main(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    mumloc_camera cam;
    mumloc_camera_default(&cam);
    enum { T = 2 };
    const int W = 12, H = 12, k = o.planes;
    const double s = o.pixel_nm / 8; /* 24 nm voxels */
    const int shift[4][2] = {{0, 0}, {1, -2}, {-2, 0}, {2, 1}};
    double dx_dy[2 * MUMLOC_MAX_PLANES] = {0};
    for (int d = 0; d < k; d++) dx_dy[2 * d] = shift[d][0] * s, dx_dy[2 * d + 1] = shift[d][1] * s;
    /* molecules at voxel centres, two frames */
    const double mol[T][2][4] = {{{(30 + 0.5) * s, (40 + 0.5) * s, 325, 3000},
                                  {(70 + 0.5) * s, (60 + 0.5) * s, 975, 2500}},
                                 {{(50 + 0.5) * s, (25 + 0.5) * s, 625, 2800},
                                  {(20 + 0.5) * s, (75 + 0.5) * s, 1275, 3200}}};
    const size_t px = (size_t)k * W * H;
    float *frames = malloc(sizeof *frames * px * T);
    double *mu = malloc(sizeof *mu * px);
    for (int t = 0; t < T; t++) {
        for (size_t p = 0; p < px; p++) frames[t * px + p] = 10.0f; /* a flat background */
        for (int m = 0; m < 2; m++) {
            CHECK_OK(psf_model_image(&o, mol[t][m][0], mol[t][m][1], mol[t][m][2],
                                            mol[t][m][3], NULL, dx_dy, NULL, W, H, mu, NULL, NULL, NULL,
                                            NULL));
            for (size_t p = 0; p < px; p++) frames[t * px + p] += (float)mu[p];
        }
    }
    mumloc_cs_options opt;
    mumloc_cs_options_default(&opt);
    opt.lambda = 1.0; /* noise-free: a small λ */
    opt.min_photons = 500;
    opt.frames = T;
    mumloc_localization *found = NULL;
    int n = 0;
    double est[2 * MUMLOC_MAX_PLANES];
    cs_stats stats;
    CHECK_OK(cs_localize_region(&o, &cam, &opt, frames, T, W, H, 0, &found, &n, est, &stats));
    for (int d = 0; d < k; d++) {
        CHECK_NEAR(est[2 * d], dx_dy[2 * d], 1e-9);
        CHECK_NEAR(est[2 * d + 1], dx_dy[2 * d + 1], 1e-9);
    }
    CHECK(n == 4);
    for (int a = 0; a < n; a++) {
        const int t = (int)found[a].frame;
        double best = INFINITY;
        for (int m = 0; m < 2; m++)
            best = fmin(best, hypot(hypot(found[a].x_nm - mol[t][m][0], found[a].y_nm - mol[t][m][1]),
                                    found[a].z_nm - mol[t][m][2]));
        CHECK(best < 10.0);
    }
    free(found);
    /* the same frames without the search: a zero drift is all it can report */
    opt.max_drift = 0;
    CHECK_OK(cs_localize_region(&o, &cam, &opt, frames, T, W, H, 0, &found, &n, est, NULL));
    for (int d = 0; d < 2 * k; d++) CHECK(est[d] == 0.0);
    free(found);
    free(frames);
    free(mu);
    return CHECK_DONE("test_cs_drift");
}
