/* Per-plane optics in the fits and bounds: the Cramér–Rao bound against a brute-force Fisher matrix
 * from finite differences of the simulator's rendering; photometry, MLE refinement and the drift fit
 * exact on noise-free frames of a rig whose planes differ (they would be biased if the planes were
 * assumed equal); and per_plane 1 with every plane at the common values gives bit-identical results
 * to the papers' optics. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "crlb_brute_force.h"
#include "rig_optics.h"

#define SIDE 48
#define PLANES 4
#define MOLECULES 8

static void crlb_against_brute_force(void) {
    mumloc_optics o;
    mumloc_camera cam;
    test_rig_optics(&o);
    mumloc_camera_default(&cam);
    const double cases[][4] = {{24 * 192 + 50.0, 23 * 192 + 120.0, 450.0, 2000.0},
                               {24 * 192 + 96.0, 24 * 192 + 96.0, 1000.0, 500.0},
                               {23 * 192 + 3.0, 25 * 192 + 180.0, 1590.0, 8000.0}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double bg[4] = {10, 5, 20, 0.5}, s[3], ref[3], equal[3];
        CHECK_OK(mumloc_crlb(&o, &cam, cases[c][0], cases[c][1], cases[c][2], cases[c][3], bg,
                             &s[0], &s[1], &s[2]));
        brute_force(&o, &cam, cases[c][0], cases[c][1], cases[c][2], cases[c][3], bg, ref);
        for (int a = 0; a < 3; a++) CHECK_NEAR(s[a], ref[a], 1e-4 * ref[a]);
        /* and the rig's bound is not the papers' optics' bound */
        mumloc_optics papers;
        mumloc_optics_default(&papers);
        CHECK_OK(mumloc_crlb(&papers, &cam, cases[c][0], cases[c][1], cases[c][2], cases[c][3], bg,
                             &equal[0], &equal[1], &equal[2]));
        CHECK(fabs(equal[2] - s[2]) > 1e-3 * s[2]);
    }
}

/* ---- fits on simulated frames ------------------------------------------------------------- */

static mumloc_simulator *make(const mumloc_optics *o, uint64_t seed, int molecules) {
    mumloc_sim_params sp;
    mumloc_sim_params_default(&sp);
    sp.optics = *o;
    sp.width = sp.height = SIDE;
    sp.molecules = molecules;
    sp.noise = MUMLOC_NOISE_NONE;
    sp.seed = seed;
    sp.weight_min = 0.5;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&sp, &sim));
    return sim;
}

/* Records at the truth shifted by (ox, oy, oz). */
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

/* One molecule per frame, noise-free: photons, backgrounds and the refined position come back
 * exactly with the rig's own optics; the papers' optics, assumed for the same frames, miss them. */
static void exact_on_noise_free_frames(void) {
    mumloc_optics o, papers;
    test_rig_optics(&o);
    mumloc_optics_default(&papers);
    mumloc_simulator *sim = make(&o, 17, 1);
    if (!sim) return;
    const mumloc_sim_params *sp = mumloc_simulator_params(sim);
    static float frame[PLANES * SIDE * SIDE];
    double worst_papers = 0;
    for (int64_t f = 0; f < 6; f++) {
        mumloc_localization l, start, assumed;
        mumloc_emitter truth[MOLECULES];
        double drift[2 * MUMLOC_MAX_PLANES];
        CHECK(records(sim, f, 0, 0, 0, &l, truth) == 1);
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        assumed = l;
        CHECK_OK(mumloc_localizations_measure(&o, &sp->camera, frame, SIDE, SIDE, drift, &l, 1));
        CHECK_NEAR(l.photons, truth[0].photons, 1e-4 * truth[0].photons);
        for (int d = 0; d < PLANES; d++) CHECK_NEAR(l.background[d], 10.0, 2e-3);
        CHECK_OK(mumloc_localizations_measure(&papers, &sp->camera, frame, SIDE, SIDE, drift,
                                              &assumed, 1));
        double miss = fabs(assumed.photons - truth[0].photons) / truth[0].photons;
        if (miss > worst_papers) worst_papers = miss;

        /* refinement from a start 25–40 nm off (drift known): back to the truth */
        records(sim, f, 25, -20, 40, &start, truth);
        l = start;
        CHECK_OK(mumloc_localizations_refine(&o, &sp->camera, frame, SIDE, SIDE, drift, &l, 1));
        CHECK_NEAR(l.x_nm, truth[0].x_nm, 0.2);
        CHECK_NEAR(l.y_nm, truth[0].y_nm, 0.2);
        CHECK_NEAR(l.z_nm, truth[0].z_nm, 0.5);
    }
    CHECK(worst_papers > 0.02);
    mumloc_simulator_destroy(sim);
}

/* The drift fit (drift unknown, eight molecules): the drift and the positions come back. */
static void drift_on_noise_free_frames(void) {
    mumloc_optics o;
    test_rig_optics(&o);
    mumloc_simulator *sim = make(&o, 11, MOLECULES);
    if (!sim) return;
    const mumloc_sim_params *sp = mumloc_simulator_params(sim);
    static float frame[PLANES * SIDE * SIDE];
    for (int64_t f = 0; f < 2; f++) {
        mumloc_localization locs[MOLECULES];
        mumloc_emitter truth[MOLECULES];
        double drift[2 * MUMLOC_MAX_PLANES];
        int n = records(sim, f, 20, -15, 30, locs, truth);
        CHECK_OK(mumloc_simulate_drift(sim, f, drift));
        CHECK_OK(mumloc_simulate_frames(sim, f, 1, frame));
        mumloc_frame_drift est;
        CHECK_OK(mumloc_localizations_refine_with_drift(&o, &sp->camera, frame, SIDE, SIDE, locs, n,
                                                        &est));
        CHECK(est.outcome == MUMLOC_DRIFT_ESTIMATED && est.converged);
        /* the N(0, 48²) prior's pull, bounded as in test_fit_drift */
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

/* per_plane 1 at the common values: measure, refine, drift fit and CRLB bit-identical to per_plane 0
 * (3 planes too, where 1/k is not exact in binary). */
static void equal_planes_are_identical(void) {
    for (int k = 3; k <= 4; k++) {
        mumloc_optics a;
        mumloc_optics_default(&a);
        a.planes = k;
        mumloc_optics b = a;
        b.per_plane = 1;
        mumloc_simulator *sim = make(&a, 23, MOLECULES);
        if (!sim) return;
        const mumloc_sim_params *sp = mumloc_simulator_params(sim);
        static float frame[PLANES * SIDE * SIDE];
        mumloc_localization la[MOLECULES], lb[MOLECULES];
        mumloc_emitter truth[MOLECULES];
        double drift[2 * MUMLOC_MAX_PLANES];
        int n = records(sim, 1, 30, -10, 25, la, truth);
        memcpy(lb, la, sizeof la);
        CHECK_OK(mumloc_simulate_drift(sim, 1, drift));
        CHECK_OK(mumloc_simulate_frames(sim, 1, 1, frame));
        CHECK_OK(mumloc_localizations_refine(&a, &sp->camera, frame, SIDE, SIDE, drift, la, n));
        CHECK_OK(mumloc_localizations_refine(&b, &sp->camera, frame, SIDE, SIDE, drift, lb, n));
        CHECK_OK(mumloc_localizations_measure(&a, &sp->camera, frame, SIDE, SIDE, drift, la, n));
        CHECK_OK(mumloc_localizations_measure(&b, &sp->camera, frame, SIDE, SIDE, drift, lb, n));
        CHECK(memcmp(la, lb, sizeof la) == 0);
        mumloc_frame_drift da, db;
        CHECK_OK(mumloc_localizations_refine_with_drift(&a, &sp->camera, frame, SIDE, SIDE, la, n,
                                                        &da));
        CHECK_OK(mumloc_localizations_refine_with_drift(&b, &sp->camera, frame, SIDE, SIDE, lb, n,
                                                        &db));
        CHECK(memcmp(la, lb, sizeof la) == 0 && memcmp(&da, &db, sizeof da) == 0);
        double sa[3], sb[3];
        CHECK_OK(mumloc_crlb(&a, &sp->camera, 3000, 3100, 700, 1500, NULL, &sa[0], &sa[1], &sa[2]));
        CHECK_OK(mumloc_crlb(&b, &sp->camera, 3000, 3100, 700, 1500, NULL, &sb[0], &sb[1], &sb[2]));
        CHECK(memcmp(sa, sb, sizeof sa) == 0);
        mumloc_simulator_destroy(sim);
    }
}

int main(void) {
    crlb_against_brute_force();
    exact_on_noise_free_frames();
    drift_on_noise_free_frames();
    equal_planes_are_identical();
    return CHECK_DONE("test_fit_per_plane");
}
