/* A frame is a pure function of (seed, frame index, parameters): bit-identical for 1, 2 and 3
 * threads, alone or inside any batch, from a fresh simulator; different seeds differ. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"

#define FRAMES 6

static float *run(const mumloc_sim_params *p, int threads, int64_t first, int64_t count) {
    CHECK_OK(mumloc_set_threads(threads));
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(p, &sim));
    size_t n = (size_t)count * p->optics.planes * p->width * p->height;
    float *px = malloc(n * sizeof *px);
    for (size_t i = 0; i < n; i++) px[i] = -12345.0f;
    CHECK_OK(mumloc_simulate_frames(sim, first, count, px));
    mumloc_simulator_destroy(sim);
    return px;
}

static void check_case(const mumloc_sim_params *p, const char *name) {
    size_t frame = (size_t)p->optics.planes * p->width * p->height;
    float *one = run(p, 1, 0, FRAMES);
    float *two = run(p, 2, 0, FRAMES);
    float *three = run(p, 3, 0, FRAMES);
    int same2 = memcmp(one, two, FRAMES * frame * sizeof(float)) == 0;
    int same3 = memcmp(one, three, FRAMES * frame * sizeof(float)) == 0;
    if (!same2 || !same3) fprintf(stderr, "%s: output depends on the thread count\n", name);
    CHECK(same2 && same3);
    /* Single frames use bands of rows across threads; the pixels must not change. */
    for (int64_t f = 0; f < FRAMES; f += 5) {
        float *alone = run(p, 3, f, 1);
        CHECK(memcmp(alone, one + f * frame, frame * sizeof(float)) == 0);
        free(alone);
    }
    float *middle = run(p, 2, 2, 3);
    CHECK(memcmp(middle, one + 2 * frame, 3 * frame * sizeof(float)) == 0);
    free(middle);

    /* Another seed gives another movie: nearly every pixel differs. */
    mumloc_sim_params q = *p;
    q.seed = p->seed + 1;
    float *other = run(&q, 2, 0, 1);
    size_t differ = 0;
    for (size_t i = 0; i < frame; i++) differ += other[i] != one[i];
    if (p->noise == MUMLOC_NOISE_PHYSICAL)
        CHECK(differ > frame * 9 / 10);
    else
        CHECK(differ > 0);
    free(other);
    free(one);
    free(two);
    free(three);
}

int main(void) {
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.width = 45;
    p.height = 70; /* tall enough for three bands of rows */
    p.frames = 1000;
    p.molecules = 25;
    p.seed = 77;
    check_case(&p, "uniform");

    mumloc_sim_params em = p;
    em.camera.em_gain = 30.0;
    em.camera.background_photons = 2000.0; /* beyond the background table: direct PTRS */
    check_case(&em, "em gain");

    mumloc_sim_params none = p;
    none.noise = MUMLOC_NOISE_NONE;
    check_case(&none, "noise none");

    mumloc_sim_params helix = p;
    helix.sample = MUMLOC_SAMPLE_HELIX;
    helix.density_per_um2 = 0.5;
    check_case(&helix, "helix, density");

    mumloc_sim_params filaments = p;
    filaments.sample = MUMLOC_SAMPLE_FILAMENTS;
    filaments.filaments = 3;
    filaments.drift_step_nm = 0.0;
    check_case(&filaments, "filaments, continuous drift");

    /* Frames wider than the per-thread band buffer are cut into bands even on one thread. */
    {
        mumloc_sim_params wide = p;
        wide.width = 4096;
        wide.height = 70;
        wide.molecules = 30;
        float *a = run(&wide, 1, 9, 1);
        float *b = run(&wide, 3, 9, 1);
        CHECK(memcmp(a, b, (size_t)4 * 4096 * 70 * sizeof(float)) == 0);
        free(a);
        free(b);
    }

    /* Frame indices far beyond the movie's length are just other frames (training streams). */
    float *far = run(&p, 2, ((int64_t)1 << 40) + 3, 2);
    float *near = run(&p, 2, 3, 1);
    CHECK(memcmp(far, near, (size_t)4 * 45 * 70 * sizeof(float)) != 0);
    free(far);
    free(near);

    mumloc_set_threads(0);
    return CHECK_DONE("test_sim_determinism");
}
