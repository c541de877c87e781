/* Maximum-likelihood refinement: exact on noise-free frames from a distant start; on noisy frames
 * unbiased and as precise as the Cramér–Rao bound (Monte Carlo: an efficient estimator's RMSE is
 * the bound, and no unbiased one beats it); the public refine keeps positions the fit would move
 * too far. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "fit/fit_mle.h"
#include "mumloc.h"

#define SIDE 24
#define PLANES 4

static mumloc_simulator *make(mumloc_noise noise, uint64_t seed) {
    mumloc_sim_params sp;
    mumloc_sim_params_default(&sp);
    sp.width = sp.height = SIDE;
    sp.molecules = 1;
    sp.noise = noise;
    sp.seed = seed;
    sp.weight_min = sp.weight_max = 1.0;
    sp.z_min_nm = 200; /* inside the planes' span, where z is well defined */
    sp.z_max_nm = 1400;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&sp, &sim));
    return sim;
}

/* Keeps a molecule at least 4 pixels from the border so that windows are whole. */
static int centred(const mumloc_emitter *e) {
    double lo = 4 * 192, hi = (SIDE - 4) * 192;
    return e->x_nm > lo && e->x_nm < hi && e->y_nm > lo && e->y_nm < hi;
}

static void noise_free(void) {
    mumloc_simulator *sim = make(MUMLOC_NOISE_NONE, 4);
    if (!sim) return;
    const mumloc_sim_params *sp = mumloc_simulator_params(sim);
    pixel_noise noise = pixel_noise_of(&sp->camera);
    static float frame[PLANES * SIDE * SIDE];
    for (int64_t f = 0; f < 10; f++) {
        mumloc_emitter e;
        int n;
        double drift[2 * MUMLOC_MAX_PLANES];
        CHECK_OK(mumloc_simulate_truth(sim, f, &e, 1, &n));
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        mle_result r;
        CHECK_OK(fit_mle(&sp->optics, &noise, frame, SIDE, SIDE, e.x_nm + 40, e.y_nm - 30,
                                e.z_nm + 80, drift, NULL, &r));
        CHECK(r.converged);
        CHECK_NEAR(r.x_nm, e.x_nm, 0.01);
        CHECK_NEAR(r.y_nm, e.y_nm, 0.01);
        CHECK_NEAR(r.z_nm, e.z_nm, 0.01);
        CHECK_NEAR(r.photons, e.photons, 1e-3 * e.photons);
        for (int d = 0; d < PLANES; d++) CHECK_NEAR(r.background[d], 10.0, 1e-3);
    }
    mumloc_simulator_destroy(sim);
}

/* Physical noise (default camera: λ = 10, σ = 3), ~5400 photons: RMSE against the mean CRLB. */
static void efficiency(void) {
    mumloc_simulator *sim = make(MUMLOC_NOISE_PHYSICAL, 8);
    if (!sim) return;
    const mumloc_sim_params *sp = mumloc_simulator_params(sim);
    pixel_noise noise = pixel_noise_of(&sp->camera);
    static float frame[PLANES * SIDE * SIDE];
    double se[3] = {0}, se2[3] = {0}, bound2[3] = {0};
    int trials = 0;
    for (int64_t f = 0; trials < 300 && f < 2000; f++) {
        mumloc_emitter e;
        int n;
        double drift[2 * MUMLOC_MAX_PLANES];
        CHECK_OK(mumloc_simulate_truth(sim, f, &e, 1, &n));
        if (!centred(&e)) continue;
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        mle_result r;
        CHECK_OK(fit_mle(&sp->optics, &noise, frame, SIDE, SIDE, e.x_nm + 20, e.y_nm - 20,
                                e.z_nm + 50, drift, NULL, &r));
        double s[3];
        CHECK_OK(mumloc_crlb(&sp->optics, &sp->camera, e.x_nm, e.y_nm, e.z_nm, e.photons, NULL,
                             &s[0], &s[1], &s[2]));
        double err[3] = {r.x_nm - e.x_nm, r.y_nm - e.y_nm, r.z_nm - e.z_nm};
        for (int a = 0; a < 3; a++) {
            se[a] += err[a];
            se2[a] += err[a] * err[a];
            bound2[a] += s[a] * s[a];
        }
        trials++;
    }
    CHECK(trials == 300);
    for (int a = 0; a < 3; a++) {
        double rmse = sqrt(se2[a] / trials), bound = sqrt(bound2[a] / trials);
        double mean = se[a] / trials;
        fprintf(stderr, "axis %d: RMSE %.2f nm, CRLB %.2f nm, bias %.2f nm\n", a, rmse, bound, mean);
        /* RMSE² over 300 trials has a relative sd of about √(2/300) ≈ 8 %: RMSE within ±15 %. */
        CHECK(rmse > 0.85 * bound && rmse < 1.15 * bound);
        CHECK(fabs(mean) < 4 * rmse / sqrt(trials));
    }
    mumloc_simulator_destroy(sim);
}

static void refine_api(void) {
    mumloc_simulator *sim = make(MUMLOC_NOISE_NONE, 12);
    if (!sim) return;
    const mumloc_sim_params *sp = mumloc_simulator_params(sim);
    static float frame[PLANES * SIDE * SIDE];
    mumloc_emitter e;
    int n;
    int64_t f = 0;
    do {
        CHECK_OK(mumloc_simulate_truth(sim, ++f, &e, 1, &n));
    } while (!centred(&e));
    double drift[2 * MUMLOC_MAX_PLANES];
    CHECK_OK(mumloc_simulate_drift(sim, f, drift));
    CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
    mumloc_localization l[2] = {{f, e.x_nm + 60, e.y_nm + 50, e.z_nm - 90, 0.8, 0, {0}, 0, 0, 0, 0, 0},
                                {f, e.x_nm + 3 * 192, e.y_nm, e.z_nm, 0.6, 0, {0}, 0, 0, 0, 0, 0}};
    mumloc_localization far = l[1];
    CHECK_OK(mumloc_localizations_refine(&sp->optics, &sp->camera, frame, SIDE, SIDE, drift, l, 2));
    CHECK_NEAR(l[0].x_nm, e.x_nm, 0.01);
    CHECK_NEAR(l[0].y_nm, e.y_nm, 0.01);
    CHECK_NEAR(l[0].z_nm, e.z_nm, 0.01);
    CHECK(l[0].probability == 0.8);
    /* 3 pixels away the fit either runs to the molecule or to nothing: the record stays. */
    CHECK(memcmp(&l[1], &far, sizeof far) == 0);
    l[0].z_nm = NAN;
    CHECK_STATUS(mumloc_localizations_refine(&sp->optics, &sp->camera, frame, SIDE, SIDE, drift, l,
                                             2),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_simulator_destroy(sim);
}

int main(void) {
    mumloc_set_threads(1);
    noise_free();
    efficiency();
    refine_api();
    return CHECK_DONE("test_fit_mle");
}
