/* Per-plane optics in the simulator (CPU) and the PSF model: planes at the common values reproduce
 * the papers' optics bit for bit; a plane's transmission sets its share of the photons (the sum of
 * its noise-free image is photons · t_d / Σ t); a plane's own w0, d, A, B set its width (the image's
 * second moment is w² + p²/12, Sheppard's correction for pixel integration); the model's analytic
 * derivatives match finite differences of the model. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "optics/psf_model.h"
#include "simulate/simulator.h"

#define SIDE 64

static double image[SIDE * SIDE], scratch[2 * (2 * SIDE + 2)];

/* Four planes, plane 2 with twice the transmission, plane 3 with its own curve. */
static void rig_optics(mumloc_optics *o) {
    mumloc_optics_default(o);
    o->per_plane = 1;
    o->plane_psf[1].transmission = 2.0;
    o->plane_psf[2] = (mumloc_plane_psf){180.0, 350.0, 0.05, 0.2, 1.0};
    o->plane_psf[3].w0_nm = 120.0;
    o->plane_psf[3].transmission = 0.75;
}

static void small_params(mumloc_sim_params *p, int planes, mumloc_noise noise) {
    mumloc_sim_params_default(p);
    p->optics.planes = planes;
    p->width = 20;
    p->height = 18;
    p->frames = 3;
    p->molecules = 6;
    p->noise = noise;
    p->stage_drift_nm = 30;
    p->seed = 5;
}

static float *simulate(const mumloc_sim_params *p, int64_t frames, mumloc_emitter *truth, int *n) {
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(p, &sim));
    if (!sim) return NULL;
    size_t count = (size_t)frames * p->optics.planes * p->width * p->height;
    float *pixels = malloc(count * sizeof *pixels);
    CHECK_OK(mumloc_simulate_frames(sim, 0, frames, pixels));
    if (truth) CHECK_OK(mumloc_simulate_truth(sim, 0, truth, p->molecules, n));
    mumloc_simulator_destroy(sim);
    return pixels;
}

/* per_plane 1 with every plane at the common values is the papers' optics, to the last bit. */
static void equal_planes_are_identical(void) {
    for (int k = 3; k <= 4; k++)
        for (int noise = 0; noise <= 1; noise++) {
            mumloc_sim_params a, b;
            small_params(&a, k, (mumloc_noise)noise);
            b = a;
            b.optics.per_plane = 1; /* plane_psf holds the common values by default */
            float *fa = simulate(&a, 3, NULL, NULL), *fb = simulate(&b, 3, NULL, NULL);
            size_t bytes = (size_t)3 * k * a.width * a.height * sizeof(float);
            CHECK(fa && fb && memcmp(fa, fb, bytes) == 0);
            free(fa);
            free(fb);
        }
}

static double image_sum(void) {
    double s = 0;
    for (int i = 0; i < SIDE * SIDE; i++) s += image[i];
    return s;
}

/* One molecule at the image centre: plane d's noise-free image sums to the molecule's photons
 * (k · c · a'/p², mumloc_emitter.photons) times t_d / Σ t, short only of the ±5w cut-off (< 2e-6). */
static void transmission_sets_the_share(void) {
    mumloc_optics o;
    rig_optics(&o);
    const double p = o.pixel_nm, weight = 0.7;
    const double total = o.planes * weight * o.psf_amplitude / (p * p);
    const double t_sum = 1.0 + 2.0 + 1.0 + 0.75;
    const double t[4] = {1.0, 2.0, 1.0, 0.75};
    double sums[4];
    for (int d = 0; d < 4; d++) {
        mumloc_emitter e = {0, 32.3 * p, 31.6 * p, 700.0, weight, total};
        memset(image, 0, sizeof image);
        render_plane_rows(&o, d, SIDE, SIDE, 0, SIDE, o.plane_depth_nm[d], 0, 0, &e, 1,
                                 image, scratch);
        sums[d] = image_sum();
        CHECK_NEAR(sums[d], total * t[d] / t_sum, 3e-6 * total);
        CHECK_NEAR(mumloc_optics_plane_share(&o, d), t[d] / t_sum, 1e-15);
    }
    CHECK_NEAR(sums[1] / sums[0], 2.0, 1e-5);

    /* through the whole simulator (noise none: pixel = signal + λ): every pixel of plane d is
     * k · t_d / Σ t times the papers' optics' pixel, as the planes differ only in transmission */
    mumloc_sim_params a, b;
    small_params(&a, 4, MUMLOC_NOISE_NONE);
    b = a;
    b.optics.per_plane = 1;
    b.optics.plane_psf[1].transmission = 2.0;
    float *fa = simulate(&a, 2, NULL, NULL), *fb = simulate(&b, 2, NULL, NULL);
    const double lambda = a.camera.background_photons;
    const size_t area = (size_t)a.width * a.height;
    double brightest = 0;
    for (size_t i = 0; fa && i < 2 * 4 * area; i++)
        if (fa[i] - lambda > brightest) brightest = fa[i] - lambda;
    CHECK(brightest > 10);
    for (size_t i = 0; fa && fb && i < 2 * 4 * area; i++) {
        int d = (int)(i / area % 4);
        double gain = 4.0 * (d == 1 ? 2.0 : 1.0) / 5.0;
        CHECK_NEAR(fb[i] - lambda, gain * (fa[i] - lambda), 1e-5 * brightest);
    }
    free(fa);
    free(fb);
}

/* Second moment along x of the rendered image about its centroid. */
static double moment_x(double p) {
    double s = 0, sx = 0, sxx = 0;
    for (int j = 0; j < SIDE; j++)
        for (int i = 0; i < SIDE; i++) {
            double v = image[j * SIDE + i], x = (i + 0.5) * p;
            s += v;
            sx += v * x;
        }
    double mean = sx / s;
    for (int j = 0; j < SIDE; j++)
        for (int i = 0; i < SIDE; i++) {
            double dx = (i + 0.5) * p - mean;
            sxx += image[j * SIDE + i] * dx * dx;
        }
    return sxx / s;
}

/* Plane 3's own curve: in focus its width is its own w0 (180 nm), at Δz = 300 nm
 * w0·sqrt(1 + t² + A t³ + B t⁴) with t = 300/350, A = 0.05, B = 0.2; plane 1 keeps the common curve. */
static void own_curve_sets_the_width(void) {
    mumloc_optics o;
    rig_optics(&o);
    const double p = o.pixel_nm;
    const struct { int plane; double dz, w0, d, A, B; } cases[] = {
        {2, 0.0, 180.0, 350.0, 0.05, 0.2},
        {2, 300.0, 180.0, 350.0, 0.05, 0.2},
        {2, -450.0, 180.0, 350.0, 0.05, 0.2},
        {0, 300.0, 133.05, 302.38, 7.37e-4, 0.1225},
        {3, 0.0, 120.0, 302.38, 7.37e-4, 0.1225},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int d = cases[c].plane;
        double t = cases[c].dz / cases[c].d;
        double w = cases[c].w0 * sqrt(1 + t * t + cases[c].A * t * t * t + cases[c].B * t * t * t * t);
        mumloc_emitter e = {0, 32.25 * p, 32.5 * p, o.plane_depth_nm[d] - cases[c].dz, 1.0, 0};
        memset(image, 0, sizeof image);
        render_plane_rows(&o, d, SIDE, SIDE, 0, SIDE, o.plane_depth_nm[d], 0, 0, &e, 1,
                                 image, scratch);
        double measured = sqrt(moment_x(p) - p * p / 12.0);
        CHECK_NEAR(measured, w, 1e-4 * w);
        CHECK_NEAR(mumloc_psf_plane_width_nm(&o, d, cases[c].dz), w, 1e-9 * w);

        /* the PSF model (fits, CRLB) sees the same plane: its image matches the renderer's */
        static double mu[4 * SIDE * SIDE];
        double photons = e.weight * o.planes * o.psf_amplitude / (p * p);
        CHECK_OK(psf_model_image(&o, e.x_nm, e.y_nm, e.z_nm, photons, NULL, NULL, NULL, SIDE, SIDE,
                                        mu, NULL, NULL, NULL, NULL));
        double peak = 0, worst = 0;
        for (int i = 0; i < SIDE * SIDE; i++) {
            if (image[i] > peak) peak = image[i];
            double diff = fabs(mu[(size_t)d * SIDE * SIDE + i] - image[i]);
            if (diff > worst) worst = diff;
        }
        CHECK(worst <= 1e-5 * peak);
    }
}

/* The model's analytic derivatives (x, y, z, photons) against central differences of the model,
 * with per-plane optics and a drift. */
static void derivatives_match_finite_differences(void) {
    enum { S = 24 };
    mumloc_optics o;
    rig_optics(&o);
    const size_t n = (size_t)4 * S * S;
    double *mu = malloc(5 * n * sizeof *mu), *plus = malloc(n * sizeof *plus),
           *minus = malloc(n * sizeof *minus);
    double *der[4] = {mu + n, mu + 2 * n, mu + 3 * n, mu + 4 * n};
    const double bg[4] = {3, 4, 5, 6}, drift[8] = {0, 0, 30, -12, -25, 8, 14, 40};
    const double theta[4] = {11.3 * 192, 12.7 * 192, 820.0, 4000.0};
    CHECK_OK(psf_model_image(&o, theta[0], theta[1], theta[2], theta[3], bg, drift, NULL, S, S, mu,
                                    der[0], der[1], der[2], der[3]));
    const double h[4] = {0.05, 0.05, 0.05, 1.0};
    for (int q = 0; q < 4; q++) {
        double a[4], b[4];
        memcpy(a, theta, sizeof a);
        memcpy(b, theta, sizeof b);
        a[q] += h[q];
        b[q] -= h[q];
        CHECK_OK(psf_model_image(&o, a[0], a[1], a[2], a[3], bg, drift, NULL, S, S, plus, NULL,
                                        NULL, NULL, NULL));
        CHECK_OK(psf_model_image(&o, b[0], b[1], b[2], b[3], bg, drift, NULL, S, S, minus, NULL,
                                        NULL, NULL, NULL));
        double scale = 0, worst = 0;
        for (size_t i = 0; i < n; i++) {
            double fd = (plus[i] - minus[i]) / (2 * h[q]);
            if (fabs(fd) > scale) scale = fabs(fd);
            if (fabs(fd - der[q][i]) > worst) worst = fabs(fd - der[q][i]);
        }
        CHECK(scale > 0 && worst <= 1e-5 * scale);
    }
    /* ∂μ/∂photons is the plane's PSF times its share: summed over a plane, ≈ share_d */
    for (int d = 0; d < 4; d++) {
        double s = 0;
        for (int i = 0; i < S * S; i++) s += der[3][(size_t)d * S * S + i];
        CHECK_NEAR(s, mumloc_optics_plane_share(&o, d), 2e-3);
    }
    free(mu);
    free(plus);
    free(minus);
}

int main(void) {
    equal_planes_are_identical();
    transmission_sets_the_share();
    own_curve_sets_the_width();
    derivatives_match_finite_differences();
    return CHECK_DONE("test_sim_per_plane");
}
