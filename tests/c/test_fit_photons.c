/* Photometry (linear least squares of the PSF model at a known position) and
 * mumloc_localizations_measure: exact on noise-free simulated frames, unbiased on noisy ones, the
 * residual std of pure background equals the pixel noise, and the uncertainties are the CRLB. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fit/photon_fit.h"
#include "optics/psf_model.h"
#include "mumloc.h"

#define SIDE 24
#define PLANES 4

static mumloc_simulator *make(mumloc_noise noise, int molecules, uint64_t seed) {
    mumloc_sim_params sp;
    mumloc_sim_params_default(&sp);
    sp.width = sp.height = SIDE;
    sp.molecules = molecules;
    sp.noise = noise;
    sp.seed = seed;
    sp.weight_min = 0.5;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&sp, &sim));
    return sim;
}

/* Noise-free frames: photons and every plane's background come back exactly (float pixels). */
static void exact_recovery(void) {
    mumloc_simulator *sim = make(MUMLOC_NOISE_NONE, 1, 3);
    if (!sim) return;
    const mumloc_sim_params *sp = mumloc_simulator_params(sim);
    static float frame[PLANES * SIDE * SIDE];
    for (int64_t f = 0; f < 20; f++) {
        mumloc_emitter e;
        int n;
        double drift[2 * MUMLOC_MAX_PLANES];
        CHECK_OK(mumloc_simulate_truth(sim, f, &e, 1, &n));
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        photon_fit fit;
        CHECK_OK(fit_photons(&sp->optics, frame, SIDE, SIDE, e.x_nm, e.y_nm, e.z_nm, drift, NULL,
                                    &fit));
        CHECK_NEAR(fit.photons, e.photons, 1e-4 * e.photons);
        for (int d = 0; d < PLANES; d++) CHECK_NEAR(fit.background[d], 10.0, 1e-3);
        CHECK(isnan(fit.background[PLANES]));
        CHECK(fit.bkgstd < 1e-3);

        /* The record form: the same numbers, the mean background, and the CRLB at them. */
        mumloc_localization l = {f, e.x_nm, e.y_nm, e.z_nm, 0.9, 0, {0}, 0, 0, 0, 0, 0};
        CHECK_OK(mumloc_localizations_measure(&sp->optics, &sp->camera, frame, SIDE, SIDE, NULL,
                                              &l, 1));
        double bg[PLANES], s[3];
        for (int d = 0; d < PLANES; d++) bg[d] = l.background[d];
        CHECK_NEAR(l.offset, (bg[0] + bg[1] + bg[2] + bg[3]) / 4, 1e-9);
        CHECK_OK(mumloc_crlb(&sp->optics, &sp->camera, l.x_nm, l.y_nm, l.z_nm, l.photons, bg,
                             &s[0], &s[1], &s[2]));
        CHECK_NEAR(l.uncertainty_xy_nm, sqrt((s[0] * s[0] + s[1] * s[1]) / 2), 1e-9 * s[0]);
        CHECK_NEAR(l.uncertainty_z_nm, s[2], 1e-9 * s[2]);
        CHECK(l.probability == 0.9 && l.frame == f);
    }
    mumloc_simulator_destroy(sim);
}

/* Physical noise: the estimator is linear in the data, so its mean error is 0 — checked within 4
 * standard errors over many frames. */
static void unbiased(void) {
    mumloc_simulator *sim = make(MUMLOC_NOISE_PHYSICAL, 1, 11);
    if (!sim) return;
    const mumloc_sim_params *sp = mumloc_simulator_params(sim);
    static float frame[PLANES * SIDE * SIDE];
    const int trials = 600;
    double se = 0, se2 = 0, be = 0, be2 = 0;
    for (int64_t f = 0; f < trials; f++) {
        mumloc_emitter e;
        int n;
        double drift[2 * MUMLOC_MAX_PLANES];
        CHECK_OK(mumloc_simulate_truth(sim, f, &e, 1, &n));
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        photon_fit fit;
        CHECK_OK(fit_photons(&sp->optics, frame, SIDE, SIDE, e.x_nm, e.y_nm, e.z_nm, drift, NULL,
                                    &fit));
        double err = fit.photons - e.photons, berr = fit.background[(int)(f % PLANES)] - 10.0;
        se += err;
        se2 += err * err;
        be += berr;
        be2 += berr * berr;
    }
    double mean = se / trials, sd = sqrt(se2 / trials - mean * mean);
    double bmean = be / trials, bsd = sqrt(be2 / trials - bmean * bmean);
    CHECK(fabs(mean) < 4 * sd / sqrt(trials));
    CHECK(fabs(bmean) < 4 * bsd / sqrt(trials));
    CHECK(sd > 0 && bsd > 0);
    mumloc_simulator_destroy(sim);
}

/* Pure background (no molecule): photons ≈ 0 on average and the residual std is the pixel noise
 * sqrt(λ + σ²) = sqrt(10 + 9). */
static void background_std(void) {
    mumloc_simulator *sim = make(MUMLOC_NOISE_PHYSICAL, 0, 5);
    if (!sim) return;
    const mumloc_sim_params *sp = mumloc_simulator_params(sim);
    static float frame[PLANES * SIDE * SIDE];
    const int trials = 200;
    double s = 0, sp2 = 0, sumn = 0;
    for (int64_t f = 0; f < trials; f++) {
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        photon_fit fit;
        CHECK_OK(fit_photons(&sp->optics, frame, SIDE, SIDE, 2000 + f, 2300 - f, 800, NULL, NULL,
                                    &fit));
        s += fit.bkgstd * fit.bkgstd;
        sumn += fit.photons;
        sp2 += fit.photons * fit.photons;
    }
    CHECK_NEAR(sqrt(s / trials), sqrt(19.0), 0.02 * sqrt(19.0));
    double mean = sumn / trials, sd = sqrt(sp2 / trials - mean * mean);
    CHECK(fabs(mean) < 4 * sd / sqrt(trials));
    mumloc_simulator_destroy(sim);
}

/* Windows clipped by the image border still fit exactly; a position off the image fails clearly; a
 * failing record is named. */
static void borders_and_errors(void) {
    mumloc_optics o;
    mumloc_camera cam;
    mumloc_optics_default(&o);
    mumloc_camera_default(&cam);
    static double mu[PLANES * SIDE * SIDE];
    static float frame[PLANES * SIDE * SIDE];
    const double bg[PLANES] = {1, 2, 3, 4};
    CHECK_OK(psf_model_image(&o, 30.0, 4500.0, 300.0, 3000.0, bg, NULL, NULL, SIDE, SIDE, mu,
                                    NULL, NULL, NULL, NULL));
    for (int i = 0; i < PLANES * SIDE * SIDE; i++) frame[i] = (float)mu[i];
    photon_fit fit;
    CHECK_OK(fit_photons(&o, frame, SIDE, SIDE, 30.0, 4500.0, 300.0, NULL, NULL, &fit));
    CHECK_NEAR(fit.photons, 3000.0, 0.01);
    for (int d = 0; d < PLANES; d++) CHECK_NEAR(fit.background[d], bg[d], 1e-4);

    CHECK_STATUS(fit_photons(&o, frame, SIDE, SIDE, -5000.0, 100.0, 300.0, NULL, NULL, &fit),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_localization l[2] = {{0, 1000, 1000, 500, 1, 0, {0}, 0, 0, 0, 0, 0},
                                {0, 1e6, 1000, 500, 1, 0, {0}, 0, 0, 0, 0, 0}};
    CHECK_STATUS(mumloc_localizations_measure(&o, &cam, frame, SIDE, SIDE, NULL, l, 2),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "localization 2") != NULL);
    CHECK(strstr(mumloc_last_error(), "outside the image") != NULL);
    l[1].x_nm = NAN;
    CHECK_STATUS(mumloc_localizations_measure(&o, &cam, frame, SIDE, SIDE, NULL, l, 2),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    /* Negative photons (noise on an empty spot) give infinite uncertainty, not a failure. */
    for (int i = 0; i < PLANES * SIDE * SIDE; i++) frame[i] = 5.0f;
    frame[10 * SIDE + 10] = 0.0f;
    mumloc_localization hole = {0, 10.5 * 192, 10.5 * 192, 200, 1, 0, {0}, 0, 0, 0, 0, 0};
    CHECK_OK(mumloc_localizations_measure(&o, &cam, frame, SIDE, SIDE, NULL, &hole, 1));
    CHECK(hole.photons < 0 && isinf(hole.uncertainty_xy_nm) && isinf(hole.uncertainty_z_nm));
}

/* Many records of one frame: the same numbers with 1 and 2 threads (records are independent). */
static void threads(void) {
    mumloc_simulator *sim = make(MUMLOC_NOISE_PHYSICAL, 30, 9);
    if (!sim) return;
    const mumloc_sim_params *sp = mumloc_simulator_params(sim);
    static float frame[PLANES * SIDE * SIDE];
    mumloc_emitter e[30];
    mumloc_localization a[30], b[30];
    int n = 0;
    CHECK_OK(mumloc_simulate_truth(sim, 0, e, 30, &n));
    CHECK_OK(mumloc_simulate_frames(sim, 0, 1, frame));
    for (int m = 0; m < n; m++)
        a[m] = (mumloc_localization){0, e[m].x_nm, e[m].y_nm, e[m].z_nm, 1, 0, {0}, 0, 0, 0, 0, 0};
    memcpy(b, a, sizeof a);
    mumloc_set_threads(1);
    CHECK_OK(mumloc_localizations_measure(&sp->optics, &sp->camera, frame, SIDE, SIDE, NULL, a, n));
    mumloc_set_threads(2);
    CHECK_OK(mumloc_localizations_measure(&sp->optics, &sp->camera, frame, SIDE, SIDE, NULL, b, n));
    mumloc_set_threads(1);
    CHECK(n == 30 && memcmp(a, b, sizeof a) == 0);
    mumloc_simulator_destroy(sim);
}

int main(void) {
    mumloc_set_threads(1);
    threads();
    exact_recovery();
    unbiased();
    background_std();
    borders_and_errors();
    return CHECK_DONE("test_fit_photons");
}
