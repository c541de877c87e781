/* The localizer's batched path (localize/pipeline_queue.c, used on a GPU) run on the CPU backend,
 * whose asynchronous hooks fall back to synchronous transfers: the same movie localized frame by
 * frame (the CPU's own path, an independent reference) and through the batch queue — batches of 3,
 * pushes of 2 and 5 frames so that short batches, two batches in flight and a push ending mid-batch
 * all occur — gives the same localizations in the same order, the same per-frame drift (refine
 * drift, callback order included) and the same last network output. The queue's forward takes
 * several frames at once, so values may differ by the engine's summation order (tolerances below);
 * counts and order must be equal. Also: the CPU never picks the batched path by itself, and
 * pipeline_queue_start refuses a tiled localizer, a second start and bad batch sizes.
 *
 * And the frame-by-frame path's frames localized together after the network
 * (localize/pipeline_frame.c): with 2 threads a push's frames are decoded, refined and measured
 * several at once, with 1 thread one after the other; both give the same records bit for bit, in
 * the same order, the same drift in frame order and the same last output, on whole and tiled
 * frames. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#include "check.h"
#include "test_files.h"
#include "localize/pipeline.h"
#include "mumloc.h"

#define FRAMES 7
#define SIZE 48
#define POS_TOL_NM 1e-3
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

/* Localizes the movie on `threads` threads, in tiles of `tile` pixels (0: whole frames); batch 0 =
 * frame by frame, else through the queue with `batch` frames. */
static run localize_with(mumloc_model *m, const float *frames, int planes, mumloc_refine_mode refine,
                         int batch, int tile, int threads) {
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
    CHECK(pipeline_queue_batch(l) == 0); /* the CPU keeps the frame-by-frame path */
    if (batch > 0) {
        CHECK_OK(pipeline_queue_start(l, batch));
        CHECK(pipeline_queue_batch(l) == batch);
        CHECK_STATUS(pipeline_queue_start(l, batch), MUMLOC_ERR_INVALID_ARGUMENT); /* twice */
    }
    const int64_t per_frame = (int64_t)planes * SIZE * SIZE;
    CHECK(mumloc_localizer_last_output(l) == NULL);
    CHECK_OK(mumloc_localizer_push(l, frames, 2, 0));
    CHECK_OK(mumloc_localizer_push(l, frames + 2 * per_frame, FRAMES - 2, 2));
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

static run localize(mumloc_model *m, const float *frames, int planes, mumloc_refine_mode refine,
                    int batch) {
    return localize_with(m, frames, planes, refine, batch, 0, 2);
}

static double rel(double a, double b) { return fabs(a - b) / fmax(1.0, fabs(b)); }

static void compare(const char *what, const run *got, const run *want) {
    CHECK(got->n == want->n);
    double worst_nm = 0.0, worst_rel = 0.0;
    for (int64_t i = 0; i < got->n && i < want->n; i++) {
        const mumloc_localization *g = &got->v[i], *w = &want->v[i];
        CHECK(g->frame == w->frame);
        worst_nm = fmax(worst_nm, fmax(fabs(g->x_nm - w->x_nm),
                                       fmax(fabs(g->y_nm - w->y_nm), fabs(g->z_nm - w->z_nm))));
        worst_rel = fmax(worst_rel, fmax(rel(g->photons, w->photons),
                                         fmax(rel(g->probability, w->probability),
                                              rel(g->uncertainty_xy_nm, w->uncertainty_xy_nm))));
    }
    CHECK(worst_nm <= POS_TOL_NM);
    CHECK(worst_rel <= 1e-4);
    double worst_out = 0.0;
    for (int64_t i = 0; i < want->output_floats && got->last_output && want->last_output; i++)
        worst_out = fmax(worst_out, rel(got->last_output[i], want->last_output[i]));
    CHECK(worst_out <= 1e-4);
    CHECK(got->drifts == want->drifts);
    double worst_drift = 0.0;
    for (int d = 0; d < got->drifts && d < want->drifts && d < MAX_DRIFT_FRAMES; d++) {
        CHECK(got->drift_frames[d] == d && want->drift_frames[d] == d); /* in frame order */
        for (int j = 0; j < 2 * MUMLOC_MAX_PLANES; j++)
            worst_drift = fmax(worst_drift, fabs(got->drift[d].dx_dy[j] - want->drift[d].dx_dy[j]));
        CHECK(got->drift[d].molecules == want->drift[d].molecules);
    }
    CHECK(worst_drift <= POS_TOL_NM);
    printf("  %-28s %lld localizations, worst %.2g nm, %.2g rel, output %.2g rel, %d drifts "
           "(worst %.2g nm)\n", what, (long long)got->n, worst_nm, worst_rel, worst_out,
           got->drifts, worst_drift);
}

static void free_run(run *r) {
    free(r->v);
    free(r->last_output);
}

/* Two records equal bit for bit, member by member: memcmp of the whole struct would also compare
 * its tail padding (after `unresolved`), which nothing writes. */
static int same_bits(const mumloc_localization *a, const mumloc_localization *b) {
    return a->frame == b->frame && a->unresolved == b->unresolved &&
           memcmp(&a->x_nm, &b->x_nm, offsetof(mumloc_localization, unresolved) -
                                          offsetof(mumloc_localization, x_nm)) == 0;
}

/* 2 threads (frames localized together) against 1 (one after the other): equal bit for bit. */
static void frames_together(mumloc_model *m, const float *frames, int planes,
                            mumloc_refine_mode refine, int tile, const char *what) {
    run want = localize_with(m, frames, planes, refine, 0, tile, 1);
    run got = localize_with(m, frames, planes, refine, 0, tile, 2);
    CHECK(want.n >= FRAMES * 6 && got.n == want.n);
    int64_t differing = 0;
    for (int64_t i = 0; i < got.n && i < want.n; i++)
        differing += !same_bits(&got.v[i], &want.v[i]);
    CHECK(differing == 0);
    CHECK(got.last_output && want.last_output &&
          memcmp(got.last_output, want.last_output, sizeof(float) * (size_t)want.output_floats) == 0);
    CHECK(got.drifts == want.drifts);
    CHECK(want.drifts == (refine == MUMLOC_REFINE_DRIFT ? FRAMES : 0));
    for (int d = 0; d < got.drifts && d < want.drifts && d < MAX_DRIFT_FRAMES; d++) {
        CHECK(got.drift_frames[d] == d);
        CHECK(memcmp(&got.drift[d], &want.drift[d], sizeof got.drift[d]) == 0);
    }
    printf("  %-34s %lld localizations, %lld differing from 1 thread\n", what, (long long)got.n,
           (long long)differing);
    free_run(&want);
    free_run(&got);
}

static void refuses_misuse(mumloc_model *m) {
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    o.tile = 32; /* 48×48 frames in 32-pixel tiles */
    mumloc_localizer *l = NULL;
    CHECK_OK(mumloc_localizer_create(m, &o, SIZE, SIZE, &l));
    if (l) CHECK_STATUS(pipeline_queue_start(l, 2), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_localizer_destroy(l);
    o.tile = 0;
    CHECK_OK(mumloc_localizer_create(m, &o, SIZE, SIZE, &l));
    if (l) {
        CHECK_STATUS(pipeline_queue_start(l, 0), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(pipeline_queue_start(l, 33), MUMLOC_ERR_INVALID_ARGUMENT);
        CHECK(strstr(mumloc_last_error(), "1 to 32 frames") != NULL);
        CHECK(pipeline_queue_batch(l) == 0);
    }
    mumloc_localizer_destroy(l);
}

int main(void) {
    CHECK_OK(mumloc_set_threads(2));
    char path[4096];
    bundled_model_path(path, sizeof path);
    mumloc_model *m = NULL;
    CHECK_OK(mumloc_model_load(path, &m));
    if (!m) return CHECK_DONE("test_pipeline_queue");
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    mumloc_model_optics(m, &p.optics);
    p.width = p.height = SIZE;
    p.frames = FRAMES;
    p.molecules = 12;
    p.seed = 4242;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    const int planes = p.optics.planes;
    float *frames = malloc(sizeof *frames * (size_t)FRAMES * planes * SIZE * SIZE);
    if (sim && frames) CHECK_OK(mumloc_simulate_frames(sim, 0, FRAMES, frames));
    mumloc_simulator_destroy(sim);

    run want = localize(m, frames, planes, MUMLOC_REFINE_NONE, 0);
    run got = localize(m, frames, planes, MUMLOC_REFINE_NONE, 3);
    CHECK(want.n >= FRAMES * 6); /* the trained model finds most of the 12 molecules a frame */
    compare("queue, no refinement", &got, &want);
    free_run(&want);
    free_run(&got);

    want = localize(m, frames, planes, MUMLOC_REFINE_DRIFT, 0);
    got = localize(m, frames, planes, MUMLOC_REFINE_DRIFT, 3);
    CHECK(want.drifts == FRAMES);
    compare("queue, refine drift", &got, &want);
    free_run(&want);
    free_run(&got);

    frames_together(m, frames, planes, MUMLOC_REFINE_POSITIONS, 0, "together, refine positions");
    frames_together(m, frames, planes, MUMLOC_REFINE_DRIFT, 0, "together, refine drift");
    frames_together(m, frames, planes, MUMLOC_REFINE_NONE, 32, "together, tiles of 32");
    CHECK_OK(mumloc_set_threads(2));

    refuses_misuse(m);
    free(frames);
    mumloc_model_destroy(m);
    return CHECK_DONE("test_pipeline_queue");
}
