/* Runs frames through the batch queue (model/model_infer.h) the way a caller overlapping transfers
 * and compute does: two batches in flight, batch i−2 collected just before batch i is submitted, so
 * the device always has the next batch queued while the host takes outputs. Shared by
 * test_device_infer (CPU) and test_gpu_parity_localize (CUDA). */
#ifndef TESTS_INFER_QUEUE_RUN_H
#define TESTS_INFER_QUEUE_RUN_H

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "model/model_infer.h"

/* Copies the oldest batch's outputs to out + (its first frame) · output floats. */
static inline int infer_take(model_infer_queue *q, float *out, int64_t *next_frame) {
    const float *got = NULL;
    int n = 0;
    mumloc_status st = model_infer_collect(q, &got, &n);
    CHECK_OK(st);
    if (st != MUMLOC_OK) return 0;
    const int64_t per = model_infer_output_floats(q);
    memcpy(out + *next_frame * per, got, sizeof *out * (size_t)(n * per));
    *next_frame += n;
    return 1;
}

/* Outputs of `frames` frames of w × h photons (k planes each) in batches of `batch`; NULL on error. */
static inline float *infer_queue_run(mumloc_model *m, const float *photons, int frames, int w, int h,
                                     int batch) {
    int k = 0, c = 0, ow = 0, oh = 0;
    mumloc_optics optics;
    mumloc_model_optics(m, &optics);
    k = optics.planes;
    mumloc_model_output_size(m, w, h, &c, &ow, &oh);
    float *out = calloc((size_t)frames * c * ow * oh, sizeof *out);
    model_infer_queue *q = NULL;
    CHECK_OK(model_infer_create(m, batch, w, h, &q));
    if (!q || !out) {
        free(out);
        return NULL;
    }
    const int64_t in_per_frame = (int64_t)k * w * h;
    int64_t taken = 0;
    int ok = 1;
    for (int first = 0; first < frames && ok; first += batch) {
        const int n = frames - first < batch ? frames - first : batch;
        if (model_infer_in_flight(q) == 2) ok = infer_take(q, out, &taken);
        mumloc_status st = model_infer_submit(q, photons + first * in_per_frame, n);
        CHECK_OK(st);
        ok = ok && st == MUMLOC_OK;
    }
    while (ok && model_infer_in_flight(q) > 0) ok = infer_take(q, out, &taken);
    CHECK(!ok || taken == frames);
    model_infer_destroy(q);
    if (!ok) {
        free(out);
        return NULL;
    }
    return out;
}

#endif
