/* Per-frame drift estimation (mumloc_localizations_refine_with_drift) against the simulator's own
 * drift (mumloc_simulate_drift): exact on noise-free frames; on noisy frames within its stated
 * bound (the normalised errors have unit spread); zero drift found as zero; the positions it
 * refines reach the Cramér–Rao bound where a drift-blind refinement cannot; bad inputs and
 * uninformative frames give clean answers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"

#define SIDE 48
#define PLANES 4
#define MOLECULES 8

static mumloc_simulator *make(mumloc_noise noise, uint64_t seed, double drift_max, int side,
                               double weight_min) {
    mumloc_sim_params sp;
    mumloc_sim_params_default(&sp);
    sp.weight_min = weight_min;
    sp.width = sp.height = side;
    sp.molecules = MOLECULES;
    sp.noise = noise;
    sp.seed = seed;
    sp.drift_max_nm = drift_max;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&sp, &sim));
    return sim;
}

/* Records at the truth shifted by (ox, oy, oz): a start the fits must come back from. */
static int records(const mumloc_simulator *sim, int64_t f, double ox, double oy, double oz,
                   mumloc_localization *locs, mumloc_emitter *truth) {
    int n = 0;
    CHECK_OK(mumloc_simulate_truth(sim, f, truth, MOLECULES, &n));
    for (int m = 0; m < n; m++) {
        memset(&locs[m], 0, sizeof locs[m]);
        locs[m].frame = f;
        locs[m].x_nm = truth[m].x_nm + ox;
        locs[m].y_nm = truth[m].y_nm + oy;
        locs[m].z_nm = truth[m].z_nm + oz;
    }
    return n;
}

/* Without noise the likelihood peaks exactly at the truth, drift included; the estimate is the
 * maximum a posteriori under the drift's N(0, 48²) prior (mumloc.h), so it is pulled towards 0 by
 * Σ d/48², Σ the posterior covariance: |bias_q| <= σ_q Σ_j σ_j |d_j| / 48² (Cauchy–Schwarz on
 * Σ), and the positions follow the drift's bias. */
static void noise_free(void) {
    mumloc_simulator *sim = make(MUMLOC_NOISE_NONE, 11, 48, SIDE, 0.3);
    if (!sim) return;
    const mumloc_sim_params *sp = mumloc_simulator_params(sim);
    static float frame[PLANES * SIDE * SIDE];
    for (int64_t f = 0; f < 3; f++) {
        mumloc_localization locs[MOLECULES];
        mumloc_emitter truth[MOLECULES];
        double drift[2 * MUMLOC_MAX_PLANES];
        int n = records(sim, f, 20, -15, 30, locs, truth);
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        mumloc_frame_drift est;
        CHECK_OK(mumloc_localizations_refine_with_drift(&sp->optics, &sp->camera, frame, SIDE, SIDE,
                                                        locs, n, &est));
        CHECK(est.outcome == MUMLOC_DRIFT_ESTIMATED);
        CHECK(est.converged && !est.clamped);
        CHECK(est.molecules == n);
        CHECK(est.dx_dy[0] == 0.0 && est.dx_dy[1] == 0.0 && est.sigma_nm[0] == 0.0);
        double spread = 0, worst = 0;
        for (int q = 2; q < 2 * PLANES; q++) spread += est.sigma_nm[q] * fabs(drift[q]);
        for (int q = 2; q < 2 * PLANES; q++) {
            const double bias = est.sigma_nm[q] * spread / (48.0 * 48.0);
            CHECK_NEAR(est.dx_dy[q], drift[q], 0.2 + bias);
            if (bias > worst) worst = bias;
        }
        for (int m = 0; m < n; m++) {
            CHECK_NEAR(locs[m].x_nm, truth[m].x_nm, 0.2 + worst);
            CHECK_NEAR(locs[m].y_nm, truth[m].y_nm, 0.2 + worst);
            CHECK_NEAR(locs[m].z_nm, truth[m].z_nm, 0.5 + worst);
        }
    }
    mumloc_simulator_destroy(sim);
}

/* Physical noise, bright isolated molecules (weight 1 on 128x128: where a molecule's likelihood is
 * near Gaussian): the error of each value against its bound sigma_nm. An efficient estimator's
 * errors divided by the bound have unit RMS; a drift that is exactly 0 must come out near 0. */
static void noisy(double drift_max, uint64_t seed) {
    enum { SIDE_N = 128 };
    mumloc_simulator *sim = make(MUMLOC_NOISE_PHYSICAL, seed, drift_max, SIDE_N, 1.0);
    if (!sim) return;
    const mumloc_sim_params *sp = mumloc_simulator_params(sim);
    static float frame[PLANES * SIDE_N * SIDE_N];
    double z2 = 0, err2 = 0;
    int values = 0;
    for (int64_t f = 0; f < 12; f++) {
        mumloc_localization locs[MOLECULES];
        mumloc_emitter truth[MOLECULES];
        double drift[2 * MUMLOC_MAX_PLANES];
        int n = records(sim, f, -25, 20, -40, locs, truth);
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        mumloc_frame_drift est;
        CHECK_OK(mumloc_localizations_refine_with_drift(&sp->optics, &sp->camera, frame, SIDE_N,
                                                        SIDE_N, locs, n, &est));
        CHECK(est.outcome == MUMLOC_DRIFT_ESTIMATED);
        CHECK(est.dx_dy[0] == 0.0 && est.dx_dy[1] == 0.0);
        for (int q = 2; q < 2 * PLANES; q++) {
            double err = est.dx_dy[q] - drift[q];
            CHECK(est.sigma_nm[q] > 0.5 && est.sigma_nm[q] < 15.0);
            CHECK(fabs(err) <= 5.0 * est.sigma_nm[q]);
            z2 += (err / est.sigma_nm[q]) * (err / est.sigma_nm[q]);
            err2 += err * err;
            values++;
        }
    }
    const double z_rms = sqrt(z2 / values), rms = sqrt(err2 / values);
    printf("drift max %g nm, seed %llu: drift RMS error %.2f nm, normalised %.2f (%d values)\n",
           drift_max, (unsigned long long)seed, rms, z_rms, values);
    CHECK(rms < 10.0);
    CHECK(z_rms > 0.6 && z_rms < 1.6);
    mumloc_simulator_destroy(sim);
}

/* A seeded movie (the benchmark's sparse case: 64x64, 8 molecules of weights 0.3..1) started at the
 * truth plus the frame's mean drift (the bias a drift-blind estimate carries) and a few tens of nm:
 * per-axis lateral RMSE with and without the drift, against the RMS of the known-drift bounds
 * (which the joint estimate cannot reach: the drift is unknown, ~8 nm per value from 8 molecules). */
static void movie_accuracy(void) {
    enum { SIDE_M = 64, FRAMES = 30 };
    mumloc_simulator *sim = make(MUMLOC_NOISE_PHYSICAL, 2024, 48, SIDE_M, 0.3);
    if (!sim) return;
    const mumloc_sim_params *sp = mumloc_simulator_params(sim);
    static float frame[PLANES * SIDE_M * SIDE_M];
    double se_drift = 0, se_blind = 0, bound2 = 0;
    int pairs = 0;
    for (int64_t f = 0; f < FRAMES; f++) {
        mumloc_localization with[MOLECULES], blind[MOLECULES];
        mumloc_emitter truth[MOLECULES];
        double drift[2 * MUMLOC_MAX_PLANES], mx = 0, my = 0;
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        for (int d = 0; d < PLANES; d++) {
            mx -= drift[2 * d] / PLANES;
            my -= drift[2 * d + 1] / PLANES;
        }
        int n = records(sim, f, mx + (f % 3 - 1) * 25.0, my - (f % 2) * 25.0, 30, with, truth);
        memcpy(blind, with, sizeof with);
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        mumloc_frame_drift est;
        CHECK_OK(mumloc_localizations_refine_with_drift(&sp->optics, &sp->camera, frame, SIDE_M,
                                                        SIDE_M, with, n, &est));
        CHECK_OK(mumloc_localizations_refine(&sp->optics, &sp->camera, frame, SIDE_M, SIDE_M,
                                             NULL, blind, n));
        CHECK_OK(mumloc_localizations_measure(&sp->optics, &sp->camera, frame, SIDE_M, SIDE_M,
                                              est.dx_dy, with, n));
        for (int m = 0; m < n; m++) {
            double ax = with[m].x_nm - truth[m].x_nm, ay = with[m].y_nm - truth[m].y_nm;
            double bx = blind[m].x_nm - truth[m].x_nm, by = blind[m].y_nm - truth[m].y_nm;
            if (!isfinite(with[m].uncertainty_xy_nm)) continue;
            se_drift += 0.5 * (ax * ax + ay * ay);
            se_blind += 0.5 * (bx * bx + by * by);
            bound2 += with[m].uncertainty_xy_nm * with[m].uncertainty_xy_nm;
            pairs++;
        }
    }
    CHECK(pairs > FRAMES * MOLECULES * 3 / 4);
    const double rmse_drift = sqrt(se_drift / pairs), rmse_blind = sqrt(se_blind / pairs);
    const double bound = sqrt(bound2 / pairs);
    printf("movie: per-axis lateral RMSE %.2f nm with drift, %.2f nm without; RMS bound %.2f nm\n",
           rmse_drift, rmse_blind, bound);
    CHECK(rmse_blind > 3.0 * bound);
    CHECK(rmse_drift < 0.75 * rmse_blind);
    CHECK(rmse_drift < 3.0 * bound);
    mumloc_simulator_destroy(sim);
}

/* Molecules all deep (z 1200..1600 nm), far from planes 1 and 2: those planes inform the drift
 * weakly, and plane 1 is the reference, so the drift values share a poorly known common part. A
 * plane kept at 0 there would hand its whole true drift to the others (the molecules shift to fit
 * it); with the prior every plane is fitted, so each value's error stays within its stated bound and
 * the estimate beats the guess "no drift" by far. */
static void weak_reference(void) {
    enum { SIDE_W = 64, FRAMES = 12 };
    mumloc_sim_params sp;
    mumloc_sim_params_default(&sp);
    sp.width = sp.height = SIDE_W;
    sp.molecules = MOLECULES;
    sp.seed = 31;
    sp.z_min_nm = 1200;
    sp.z_max_nm = 1600;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&sp, &sim));
    if (!sim) return;
    const mumloc_sim_params *p = mumloc_simulator_params(sim);
    static float frame[PLANES * SIDE_W * SIDE_W];
    double err2 = 0, truth2 = 0, z2 = 0;
    int values = 0;
    for (int64_t f = 0; f < FRAMES; f++) {
        mumloc_localization locs[MOLECULES];
        mumloc_emitter truth[MOLECULES];
        double drift[2 * MUMLOC_MAX_PLANES];
        int n = records(sim, f, 20, -20, 30, locs, truth);
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        mumloc_frame_drift est;
        CHECK_OK(mumloc_localizations_refine_with_drift(&p->optics, &p->camera, frame, SIDE_W,
                                                        SIDE_W, locs, n, &est));
        for (int q = 2; q < 2 * PLANES; q++) {
            const double err = est.dx_dy[q] - drift[q];
            CHECK(isfinite(est.sigma_nm[q]) && est.sigma_nm[q] > 0);
            err2 += err * err;
            truth2 += drift[q] * drift[q];
            z2 += (err / est.sigma_nm[q]) * (err / est.sigma_nm[q]);
            values++;
        }
    }
    const double rms = sqrt(err2 / values), truth_rms = sqrt(truth2 / values);
    const double z_rms = sqrt(z2 / values);
    printf("deep molecules: drift RMS error %.2f nm (true drift RMS %.2f nm), normalised %.2f\n", rms,
           truth_rms, z_rms);
    CHECK(rms < 0.8 * truth_rms);
    CHECK(z_rms < 1.5);
    mumloc_simulator_destroy(sim);
}

/* One molecule is enough (the 2021 Table 3 frames): plane 1 anchors its position, each other plane's
 * image its drift. Noise-free frames of one bright molecule near plane 2's focus, drift up to 48 nm:
 * the estimate is the MAP under the N(0, 48²) prior, so within the prior's pull of the truth
 * (noise_free's bound) on every plane, and the molecule's position with it. */
static void one_molecule(void) {
    mumloc_sim_params sp;
    mumloc_sim_params_default(&sp);
    sp.width = sp.height = 16;
    sp.molecules = 1;
    sp.weight_min = 1.0;
    sp.z_min_nm = 500;
    sp.z_max_nm = 700;
    sp.noise = MUMLOC_NOISE_NONE;
    sp.seed = 31;
    sp.drift_max_nm = 48;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&sp, &sim));
    if (!sim) return;
    static float frame[PLANES * 16 * 16];
    for (int64_t f = 0; f < 4; f++) {
        mumloc_localization loc;
        mumloc_emitter truth;
        double drift[2 * MUMLOC_MAX_PLANES];
        int n = 0;
        CHECK_OK(mumloc_simulate_truth(sim, f, &truth, 1, &n));
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        memset(&loc, 0, sizeof loc);
        loc.frame = f;
        loc.x_nm = truth.x_nm + 20;
        loc.y_nm = truth.y_nm - 15;
        loc.z_nm = truth.z_nm + 30;
        mumloc_frame_drift est;
        CHECK_OK(mumloc_localizations_refine_with_drift(&sp.optics, &sp.camera, frame, 16, 16,
                                                        &loc, 1, &est));
        CHECK(n == 1 && est.molecules == 1 && est.outcome != MUMLOC_DRIFT_TOO_FEW_MOLECULES);
        double spread = 0, worst = 0;
        for (int q = 2; q < 2 * PLANES; q++) {
            CHECK(isfinite(est.sigma_nm[q]) && est.sigma_nm[q] > 0);
            spread += est.sigma_nm[q] * fabs(drift[q]);
        }
        for (int q = 2; q < 2 * PLANES; q++) {
            const double bias = est.sigma_nm[q] * spread / (48.0 * 48.0);
            CHECK_NEAR(est.dx_dy[q], drift[q], 0.5 + bias);
            if (bias > worst) worst = bias;
        }
        CHECK_NEAR(loc.x_nm, truth.x_nm, 0.5 + worst);
        CHECK_NEAR(loc.y_nm, truth.y_nm, 0.5 + worst);
        printf("one molecule at z %.0f nm: drift error max %.2f nm (prior pull bound %.2f nm)\n",
               truth.z_nm, fabs(est.dx_dy[2] - drift[2]), worst);
    }
    mumloc_simulator_destroy(sim);
}

/* NaN, empty frames, too few molecules, bad arguments. */
static void bad_inputs(void) {
    mumloc_optics o;
    mumloc_camera cam;
    mumloc_optics_default(&o);
    mumloc_camera_default(&cam);
    static float frame[PLANES * SIDE * SIDE];
    mumloc_localization locs[2];
    memset(locs, 0, sizeof locs);
    locs[0].x_nm = 20 * 192.0;
    locs[0].y_nm = 22 * 192.0;
    locs[0].z_nm = 700;
    locs[1].x_nm = 30 * 192.0;
    locs[1].y_nm = 15 * 192.0;
    locs[1].z_nm = 900;
    mumloc_frame_drift est;

    /* no molecules: nothing to estimate, drift 0, flagged */
    memset(frame, 0, sizeof frame);
    CHECK_OK(mumloc_localizations_refine_with_drift(&o, &cam, frame, SIDE, SIDE, NULL, 0, &est));
    CHECK(est.outcome == MUMLOC_DRIFT_TOO_FEW_MOLECULES && est.molecules == 0);
    for (int q = 0; q < 2 * PLANES; q++) CHECK(est.dx_dy[q] == 0.0);
    CHECK(isinf(est.sigma_nm[2]));

    /* an empty (all-zero) frame: no molecule has photons, the drift stays 0 */
    CHECK_OK(mumloc_localizations_refine_with_drift(&o, &cam, frame, SIDE, SIDE, locs, 2, &est));
    CHECK(est.outcome == MUMLOC_DRIFT_TOO_FEW_MOLECULES);
    for (int q = 0; q < 2 * PLANES; q++) CHECK(est.dx_dy[q] == 0.0);
    CHECK(isfinite(locs[0].x_nm) && isfinite(locs[1].z_nm));

    /* one molecule on a flat frame (no light of its own): nothing to estimate, drift 0 */
    for (int i = 0; i < PLANES * SIDE * SIDE; i++) frame[i] = 10.0f;
    mumloc_localization one = locs[0];
    CHECK_OK(mumloc_localizations_refine_with_drift(&o, &cam, frame, SIDE, SIDE, &one, 1, &est));
    CHECK(est.outcome == MUMLOC_DRIFT_TOO_FEW_MOLECULES || est.outcome ==
          MUMLOC_DRIFT_TOO_LITTLE_INFORMATION);
    CHECK(fabs(est.dx_dy[2]) < 48.0 && fabs(est.dx_dy[3]) < 48.0);

    /* non-finite pixels, positions, missing result */
    frame[2 * SIDE * SIDE + 5] = NAN;
    CHECK_STATUS(mumloc_localizations_refine_with_drift(&o, &cam, frame, SIDE, SIDE, locs, 2, &est),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "plane 3") != NULL);
    frame[2 * SIDE * SIDE + 5] = 10.0f;
    one.x_nm = NAN;
    CHECK_STATUS(mumloc_localizations_refine_with_drift(&o, &cam, frame, SIDE, SIDE, &one, 1, &est),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_localizations_refine_with_drift(&o, &cam, frame, SIDE, SIDE, locs, 2, NULL),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_localizations_refine_with_drift(&o, &cam, NULL, SIDE, SIDE, locs, 2, &est),
                 MUMLOC_ERR_INVALID_ARGUMENT);
}

/* The pipeline option: names, defaults (positions: the multi-emitter refinement) and checks. */
static void options(void) {
    mumloc_localize_options lo;
    mumloc_localize_options_default(&lo);
    CHECK(lo.refine == MUMLOC_REFINE_POSITIONS && lo.drift_path == NULL && lo.drift_callback == NULL);
    mumloc_refine_mode mode;
    const char *names[] = {"none", "positions", "drift"};
    for (int m = 0; m < 3; m++) {
        CHECK_OK(mumloc_refine_mode_from_name(names[m], &mode));
        CHECK((int)mode == m && strcmp(mumloc_refine_mode_name(m), names[m]) == 0);
    }
    CHECK(mumloc_refine_mode_name(3) == NULL);
    CHECK_STATUS(mumloc_refine_mode_from_name("drifts", &mode), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "positions") != NULL);
    lo.refine = (mumloc_refine_mode)3;
    CHECK_STATUS(mumloc_localize_options_validate(&lo), MUMLOC_ERR_INVALID_ARGUMENT);
    lo.refine = MUMLOC_REFINE_POSITIONS;
    lo.drift_path = "drift.csv";
    CHECK_STATUS(mumloc_localize_options_validate(&lo), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "drift") != NULL);
    lo.refine = MUMLOC_REFINE_DRIFT;
    CHECK_OK(mumloc_localize_options_validate(&lo));
}

int main(void) {
    mumloc_set_threads(2);
    noise_free();
    noisy(48, 21);
    noisy(48, 22);
    noisy(0, 23);
    movie_accuracy();
    weak_reference();
    one_molecule();
    bad_inputs();
    options();
    return CHECK_DONE("test_fit_drift");
}
