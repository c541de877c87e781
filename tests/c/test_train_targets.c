/* Training targets built from the simulator's truth (train/train_data.h), checked against the
 * geometry of science.md §3–4 computed here independently: default optics, 192 nm pixels, voxel
 * layers [0, 400), [400, 800), [800, 1200), [1200, 1600) nm; the voxel network's 24×24×50 nm voxels.
 * Also: the input is (photons − λ) / scale with photons = (ADU − offset) / (gain · EM gain). */
#include <math.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "train/train_data.h"

static mumloc_sim_params params(int size, int molecules) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.width = p.height = size;
    p.molecules = molecules;
    return p;
}

static void test_regression_targets(void) {
    mumloc_sim_params p = params(10, 12);
    mumloc_model *model = NULL;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &p.optics, &p.camera, 1.0, 1, &model));
    if (!model) return;
    train_data d;
    CHECK_OK(train_data_init(&d, &p, NULL, 9, model, 3));
    CHECK_OK(train_data_fill(&d, 1000, 3));
    const size_t area = 100;
    int positives = 0, expected_positives = 0;
    for (int f = 0; f < 3; f++) {
        const float *t = d.target + f * d.target_per_frame;
        const mumloc_emitter *e = d.truth + f * d.max_emitters;
        CHECK(d.truth_count[f] == 12);
        int claimed[4 * 100] = {0};
        for (int m = 0; m < d.truth_count[f]; m++) {
            int i = (int)(e[m].x_nm / 192), j = (int)(e[m].y_nm / 192), layer = (int)(e[m].z_nm / 400);
            size_t v = layer * area + j * 10 + i;
            CHECK(t[v] == 1.0f);
            /* the brightest molecule of a voxel is its target */
            int brightest = 1;
            for (int o = 0; o < d.truth_count[f]; o++)
                if (o != m && (int)(e[o].x_nm / 192) == i && (int)(e[o].y_nm / 192) == j &&
                    (int)(e[o].z_nm / 400) == layer &&
                    (e[o].weight > e[m].weight || (e[o].weight == e[m].weight && o < m)))
                    brightest = 0;
            if (!brightest) continue;
            expected_positives += !claimed[v];
            claimed[v] = 1;
            const float *zeta = t + (4 + 3 * layer) * area + j * 10 + i;
            CHECK_NEAR(zeta[0], e[m].x_nm / 192 - i, 1e-6);
            CHECK_NEAR(zeta[area], e[m].y_nm / 192 - j, 1e-6);
            CHECK_NEAR(zeta[2 * area], (e[m].z_nm - 400 * layer) / 400, 1e-6);
        }
        for (size_t v = 0; v < 4 * area; v++) positives += t[v] == 1.0f;
        for (size_t v = 0; v < 4 * area; v++) CHECK(t[v] == 0.0f || t[v] == 1.0f);
    }
    CHECK(positives == expected_positives);
    train_data_free(&d);
    mumloc_model_destroy(model);
}

/* Two molecules in one voxel: the larger weight is the target (ζ is its position). 40 molecules in
 * a 2×2 field (16 voxels) make collisions certain. */
static void test_regression_collisions(void) {
    mumloc_sim_params p = params(2, 40); /* 40 molecules in 2×2×4 voxels: collisions certain */
    mumloc_model *model = NULL;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &p.optics, &p.camera, 1.0, 1, &model));
    if (!model) return;
    train_data d;
    CHECK_OK(train_data_init(&d, &p, NULL, 3, model, 1));
    CHECK_OK(train_data_fill(&d, 5, 1));
    const mumloc_emitter *e = d.truth;
    for (int layer = 0; layer < 4; layer++)
        for (int j = 0; j < 2; j++)
            for (int i = 0; i < 2; i++) {
                int best = -1;
                for (int m = 0; m < d.truth_count[0]; m++)
                    if ((int)(e[m].x_nm / 192) == i && (int)(e[m].y_nm / 192) == j &&
                        (int)(e[m].z_nm / 400) == layer && (best < 0 || e[m].weight > e[best].weight))
                        best = m;
                const size_t v = layer * 4 + j * 2 + i;
                CHECK(d.target[v] == (best >= 0 ? 1.0f : 0.0f));
                if (best >= 0) CHECK_NEAR(d.target[(4 + 3 * layer) * 4 + j * 2 + i], e[best].x_nm / 192 - i, 1e-6);
            }
    train_data_free(&d);
    mumloc_model_destroy(model);
}

static void test_voxel_targets_and_input(void) {
    mumloc_sim_params p = params(6, 3);
    p.camera.offset_adu = 100;
    p.camera.adu_per_electron = 2;
    p.noise = MUMLOC_NOISE_NONE; /* the exact expectation, so the input can be checked */
    mumloc_model *model = NULL;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_VOXEL, &p.optics, &p.camera, 1.0, 1, &model));
    if (!model) return;
    train_data d;
    CHECK_OK(train_data_init(&d, &p, NULL, 4, model, 2));
    CHECK(d.target_per_frame == 32 * 48 * 48);
    CHECK_OK(train_data_fill(&d, 0, 2));
    for (int f = 0; f < 2; f++) {
        const float *t = d.target + f * d.target_per_frame;
        const mumloc_emitter *e = d.truth + f * d.max_emitters;
        int ones = 0;
        for (int64_t v = 0; v < d.target_per_frame; v++) ones += t[v] == 1.0f;
        CHECK(ones == 3);
        for (int m = 0; m < 3; m++) {
            int i = (int)(e[m].x_nm / 24), j = (int)(e[m].y_nm / 24), s = (int)(e[m].z_nm / 50);
            CHECK(t[((size_t)s * 48 + j) * 48 + i] == 1.0f);
        }
    }
    /* input: ADU → photons → (photons − λ) / scale; with noise none, photons ≥ λ and the sum over a
     * plane of (photons − λ) is the molecules' expected photons in it (c · a'/p², ± what falls
     * outside the field) — here we check the background-only level exactly */
    float *raw = malloc(2 * 4 * 36 * sizeof *raw);
    mumloc_simulator *sim = NULL;
    mumloc_sim_params q = p;
    q.seed = 4;
    CHECK_OK(mumloc_simulator_create(&q, &sim));
    if (sim && raw) {
        CHECK_OK(mumloc_simulate_frames(sim, 0, 2, raw));
        const double scale = 5.0e7 / (2 * 3.14159265358979 * 133.05 * 133.05);
        double worst = 0;
        for (int v = 0; v < 2 * 4 * 36; v++) {
            double expect = ((raw[v] - 100.0) / 2.0 - 10.0) / scale;
            worst = fmax(worst, fabs(d.input[v] - expect));
        }
        CHECK(worst < 1e-5);
    }
    free(raw);
    mumloc_simulator_destroy(sim);
    train_data_free(&d);
    mumloc_model_destroy(model);
}

int main(void) {
    mumloc_set_threads(1);
    test_regression_targets();
    test_regression_collisions();
    test_voxel_targets_and_input();
    return CHECK_DONE("test_train_targets");
}
