/* Frames localized together after the network (localize/pipeline_frames.c): with 2 threads a push's
 * frames are decoded, refined and measured several at once, one per thread; with 1 thread frame by
 * frame (the reference). Both must give the same records bit for bit and in the same order, the
 * same per-frame drift reported in frame order, and the same last network output — for pushes that
 * fill a group, leave one short, and hold a single frame, on whole and tiled frames, for every
 * refinement. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_files.h"
#include "mumloc.h"

#define FRAMES 11
#define SIZE 48
#define MAX_DRIFT_FRAMES 16

typedef struct run {
    mumloc_localization *v;
    int64_t n;
    int64_t drift_frames[MAX_DRIFT_FRAMES];
    mumloc_frame_drift drift[MAX_DRIFT_FRAMES];
    int drifts;
    float *last_output;
    int64_t output_floats;
} run;

static void record_drift(void *user, int64_t frame, const mumloc_frame_drift *drift) {
    run *r = user;
    if (r->drifts < MAX_DRIFT_FRAMES) {
        r->drift_frames[r->drifts] = frame;
        r->drift[r->drifts] = *drift;
    }
    r->drifts++;
}

static run localize(mumloc_model *m, const float *frames, int planes, mumloc_refine_mode refine,
                    int tile, int threads) {
    run r;
    memset(&r, 0, sizeof r);
    CHECK_OK(mumloc_set_threads(threads));
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    o.device = (mumloc_device){MUMLOC_DEVICE_CPU, 0};
    o.refine = refine;
    o.tile = tile;
    if (refine == MUMLOC_REFINE_DRIFT) {
        o.drift_callback = record_drift;
        o.drift_user = &r;
    }
    mumloc_localizer *l = NULL;
    CHECK_OK(mumloc_localizer_create(m, &o, SIZE, SIZE, &l));
    if (!l) return r;
    const int64_t per_frame = (int64_t)planes * SIZE * SIZE;
    /* pushes of 9 (a full group of 8 and one more), 1 and 1 frames */
    CHECK_OK(mumloc_localizer_push(l, frames, 9, 0));
    CHECK_OK(mumloc_localizer_push(l, frames + 9 * per_frame, 1, 9));
    CHECK_OK(mumloc_localizer_push(l, frames + 10 * per_frame, 1, 10));
    r.n = mumloc_localizer_pending(l);
    r.v = calloc((size_t)r.n + 1, sizeof *r.v);
    int64_t taken = 0;
    CHECK_OK(mumloc_localizer_take(l, r.v, r.n, &taken));
    CHECK(taken == r.n);
    int c = 0, ow = 0, oh = 0;
    mumloc_model_output_size(m, SIZE, SIZE, &c, &ow, &oh);
    r.output_floats = (int64_t)c * ow * oh;
    r.last_output = malloc(sizeof(float) * (size_t)r.output_floats);
    const float *last = mumloc_localizer_last_output(l);
    CHECK(last != NULL);
    if (last && r.last_output) memcpy(r.last_output, last, sizeof(float) * (size_t)r.output_floats);
    mumloc_localizer_destroy(l);
    return r;
}

static void compare(const char *what, const run *got, const run *want) {
    CHECK(got->n == want->n);
    int64_t differing = 0;
    for (int64_t i = 0; i < got->n && i < want->n; i++)
        differing += memcmp(&got->v[i], &want->v[i], sizeof got->v[i]) != 0;
    CHECK(differing == 0);
    CHECK(got->last_output && want->last_output &&
          memcmp(got->last_output, want->last_output,
                 sizeof(float) * (size_t)want->output_floats) == 0);
    CHECK(got->drifts == want->drifts);
    for (int d = 0; d < got->drifts && d < want->drifts && d < MAX_DRIFT_FRAMES; d++) {
        CHECK(got->drift_frames[d] == d && want->drift_frames[d] == d); /* in frame order */
        CHECK(memcmp(&got->drift[d], &want->drift[d], sizeof got->drift[d]) == 0);
    }
    printf("  %-34s %lld localizations, %lld differing, %d drifts\n", what, (long long)got->n,
           (long long)differing, got->drifts);
}

static void free_run(run *r) {
    free(r->v);
    free(r->last_output);
}

int main(void) {
    char path[4096];
    bundled_model_path(path, sizeof path);
    mumloc_model *m = NULL;
    CHECK_OK(mumloc_model_load(path, &m));
    if (!m) return CHECK_DONE("test_pipeline_frames");
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    mumloc_model_optics(m, &p.optics);
    p.width = p.height = SIZE;
    p.frames = FRAMES;
    p.molecules = 14;
    p.seed = 5151;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    const int planes = p.optics.planes;
    float *frames = malloc(sizeof *frames * (size_t)FRAMES * planes * SIZE * SIZE);
    if (sim && frames) CHECK_OK(mumloc_simulate_frames(sim, 0, FRAMES, frames));
    mumloc_simulator_destroy(sim);

    const struct {
        const char *what;
        mumloc_refine_mode refine;
        int tile;
    } cases[] = {{"refine positions, whole frames", MUMLOC_REFINE_POSITIONS, 0},
                 {"refine drift, whole frames", MUMLOC_REFINE_DRIFT, 0},
                 {"no refinement, tiles of 32", MUMLOC_REFINE_NONE, 32}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run want = localize(m, frames, planes, cases[i].refine, cases[i].tile, 1);
        run got = localize(m, frames, planes, cases[i].refine, cases[i].tile, 2);
        CHECK(want.n >= FRAMES * 7); /* the trained model finds most of the 14 molecules a frame */
        CHECK(want.drifts == (cases[i].refine == MUMLOC_REFINE_DRIFT ? FRAMES : 0));
        compare(cases[i].what, &got, &want);
        free_run(&want);
        free_run(&got);
    }
    free(frames);
    mumloc_model_destroy(m);
    return CHECK_DONE("test_pipeline_frames");
}
