/* The batched path of mumloc_localizer_push on a GPU (native/src/backend/cuda/CUDA.md, "Pipeline
 * integration"): frames go through the device batch queue (model/model_infer.h) with two batches
 * in flight, so batch i uploads and computes while batch i−1's outputs come back and are decoded,
 * refined and measured on the host, and batch i+1's camera values become photons. Each batch keeps
 * its photons until it is localized (measuring reads them), hence two batches of photons. The queue
 * is drained before push returns, so the records of every pushed frame are pending then, in frame
 * order, as on the frame-by-frame path.
 *
 * Used only where the backend reports its free memory (CUDA) and frames are not tiled: the CPU
 * keeps the frame-by-frame path and its results byte for byte. pipeline_queue_start lets tests run
 * this path on the CPU backend, whose hooks fall back to synchronous transfers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "localize/pipeline.h"
#include "localize/pipeline_frame.h"
#include "localize/pipeline_localizer.h"

/* At most this many frames a batch (beyond a few dozen 256×256 frames a GPU gains nothing) … */
#define QUEUE_MAX_FRAMES 32
/* … and at most this many input floats a batch (64 MiB), bounding the page-locked host memory of
 * big frames. */
#define QUEUE_MAX_FLOATS ((int64_t)1 << 24)

static int64_t frame_floats(const mumloc_localizer *l) {
    return (int64_t)l->planes * l->width * l->height;
}

void pipeline_queue_free(mumloc_localizer *l) {
    model_infer_destroy(l->queue);
    l->queue = NULL;
    free(l->batch_photons);
    l->batch_photons = NULL;
    l->queue_batch = 0;
}

mumloc_status pipeline_queue_start(mumloc_localizer *l, int batch) {
    if (!l || batch < 1 || batch > QUEUE_MAX_FRAMES || l->tiled || l->queue || l->rig)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "batched localization needs an untiled localizer without a queue or rig and 1 "
                           "to %d frames a batch (got %d)", QUEUE_MAX_FRAMES, batch);
    ERROR_TRY(model_infer_create(l->model, batch, l->width, l->height, &l->queue));
    l->queue_batch = batch;
    l->batch_photons = malloc(sizeof(float) * (size_t)(2 * batch * frame_floats(l)));
    if (!l->batch_photons) {
        pipeline_queue_free(l);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for two batches of %d frames",
                           batch);
    }
    /* a batch's frames are localized together: a work slot each */
    if (l->slot_count < batch) return pipeline_alloc_slots(l, batch);
    return MUMLOC_OK;
}

int pipeline_queue_batch(const mumloc_localizer *l) { return l && l->queue ? l->queue_batch : 0; }

mumloc_status pipeline_queue_plan(mumloc_localizer *l) {
    const int64_t budget = model_infer_budget(l->model);
    if (l->tiled || budget < 0) return MUMLOC_OK; /* the CPU: frame by frame, as always */
    /* a rig's fits need each frame's raw images, which the queue does not keep: frame by frame */
    if (l->rig) return MUMLOC_OK;
    int64_t cap = QUEUE_MAX_FLOATS / frame_floats(l);
    if (cap < 1) cap = 1;
    if (cap > QUEUE_MAX_FRAMES) cap = QUEUE_MAX_FRAMES;
    return pipeline_queue_start(
        l, model_infer_frames_for_budget(l->model, l->width, l->height, budget, (int)cap, 1));
}

/* Collects the oldest batch (its first frame is `frame`, its photons `photons`) and localizes its
 * frames; its last frame's output becomes mumloc_localizer_last_output. */
static mumloc_status localize_collected(mumloc_localizer *l, int64_t frame, const float *photons) {
    const float *outputs = NULL;
    int count = 0;
    const double start = pipeline_now();
    mumloc_status st = model_infer_collect(l->queue, &outputs, &count);
    l->network_seconds += pipeline_now() - start;
    ERROR_TRY(st);
    const int64_t out_floats = model_infer_output_floats(l->queue);
    ERROR_TRY(pipeline_localize_frames(l, frame, count, photons, frame_floats(l), outputs,
                                        out_floats));
    memcpy(l->output, outputs + (int64_t)(count - 1) * out_floats,
           sizeof(float) * (size_t)out_floats);
    l->last_slot = 0;
    l->has_output = 1;
    return MUMLOC_OK;
}

mumloc_status pipeline_queue_push(mumloc_localizer *l, const float *frames, int count,
                                  int64_t first_frame) {
    const int batch = l->queue_batch;
    const int64_t per_frame = frame_floats(l);
    const int batches = (count + batch - 1) / batch;
    mumloc_status st = MUMLOC_OK;
    for (int i = 0; i <= batches && st == MUMLOC_OK; i++) {
        if (i < batches) { /* batch i: photons into its half, then queued behind batch i−1 */
            const int first = i * batch, n = count - first < batch ? count - first : batch;
            float *photons = l->batch_photons + (int64_t)(i % 2) * batch * per_frame;
            const double converting = pipeline_now();
            for (int f = 0; f < n; f++)
                pipeline_convert_frame(l, frames + (int64_t)(first + f) * per_frame,
                                       photons + f * per_frame);
            l->convert_seconds += pipeline_now() - converting;
            const double start = pipeline_now();
            st = model_infer_submit(l->queue, photons, n);
            l->network_seconds += pipeline_now() - start;
        }
        if (st == MUMLOC_OK && i > 0) /* batch i−1, while batch i computes */
            st = localize_collected(l, first_frame + (int64_t)(i - 1) * batch,
                                    l->batch_photons + (int64_t)((i - 1) % 2) * batch * per_frame);
    }
    /* after an error nothing may stay in flight for the next push (its outputs are dropped); the
     * first error stays the one reported */
    if (st != MUMLOC_OK && model_infer_in_flight(l->queue) > 0) {
        char message[1536];
        snprintf(message, sizeof message, "%s", mumloc_last_error());
        const float *outputs = NULL;
        int n = 0;
        while (model_infer_in_flight(l->queue) > 0 &&
               model_infer_collect(l->queue, &outputs, &n) == MUMLOC_OK) {
        }
        error_fail(st, "%s", message);
    }
    return st;
}
