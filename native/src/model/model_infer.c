/* The batch queue (model_infer.h): two slots of buffers — staging input and output in host memory
 * from the backend (page-locked on CUDA), an input tensor and an output copy on the device, and an
 * event for each transfer. Batch i uses slot i mod 2:
 *
 *   submit i:  photons → normalise → host_in[s] ─upload_async→ x[s] ─forward→ model output
 *              ─copy→ y[s] ─download_async→ host_out[s]                   (returns at once on a GPU)
 *   collect i: wait for host_out[s]'s download
 *
 * So while the GPU computes batch i, batch i+1's upload runs beside it and batch i−1's download has
 * its own stream. Why this is safe with backend.h's ordering rules: a slot is reused (submit i+2)
 * only after collect i waited for its download, which ran after forward i had read x[s] and copy i
 * had written y[s]; the output copy exists because the next forward overwrites the model's own
 * output tensor while the download of the previous one may still be reading it. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/runtime.h"
#include "model/model_handle.h"
#include "model/model_infer.h"

#define SLOTS 2
/* floats per staging chunk a thread copies and normalises */
#define STAGE_CHUNK ((int64_t)1 << 16)

typedef struct infer_slot {
    nn_tensor *x, *y;
    float *host_in, *host_out;
    nn_event *uploaded, *downloaded;
    int count;
} infer_slot;

struct model_infer_queue {
    mumloc_model *model;
    nn_backend *be;
    int batch, width, height;
    int64_t in_floats, out_floats; /* per frame */
    infer_slot slot[SLOTS];
    int64_t submitted, collected;
    int broken; /* an error left a batch half queued */
};

void model_infer_destroy(model_infer_queue *q) {
    if (!q) return;
    for (int64_t i = q->collected; i < q->submitted; i++) /* nothing may still use the buffers */
        (void)nn_backend_event_wait(q->be, q->slot[i % SLOTS].downloaded);
    for (int s = 0; s < SLOTS; s++) {
        infer_slot *sl = &q->slot[s];
        q->be->tensor_destroy(q->be, sl->x);
        q->be->tensor_destroy(q->be, sl->y);
        nn_backend_host_free(q->be, sl->host_in);
        nn_backend_host_free(q->be, sl->host_out);
        nn_backend_event_destroy(q->be, sl->uploaded);
        nn_backend_event_destroy(q->be, sl->downloaded);
    }
    free(q);
}

static mumloc_status make_slot(model_infer_queue *q, infer_slot *sl) {
    nn_backend *be = q->be;
    const nn_shape xs = {q->batch, q->model->nn->cfg.planes, q->height, q->width};
    const nn_shape ys = nn_model_output_shape(q->model->nn, xs);
    ERROR_TRY(be->tensor_create(be, xs, &sl->x));
    ERROR_TRY(be->tensor_create(be, ys, &sl->y));
    ERROR_TRY(nn_backend_host_alloc(be, sizeof(float) * (size_t)nn_shape_count(xs),
                                     (void **)&sl->host_in));
    ERROR_TRY(nn_backend_host_alloc(be, sizeof(float) * (size_t)nn_shape_count(ys),
                                     (void **)&sl->host_out));
    /* padding frames of a short batch hold zeros, never garbage */
    memset(sl->host_in, 0, sizeof(float) * (size_t)nn_shape_count(xs));
    ERROR_TRY(nn_backend_event_create(be, &sl->uploaded));
    return nn_backend_event_create(be, &sl->downloaded);
}

mumloc_status model_infer_create(mumloc_model *model, int batch, int width, int height,
                                 model_infer_queue **out) {
    if (!out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "batch queue: out is required");
    *out = NULL;
    if (!model) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "batch queue: a model is required");
    if (batch < 1 || width < 1 || height < 1 || (int64_t)batch * width * height > ((int64_t)1 << 31))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "batch queue: need batch >= 1 and frames of at least 1x1, at most 2^31 "
                           "pixels per batch (got %d frames of %dx%d)", batch, width, height);
    model_infer_queue *q = calloc(1, sizeof *q);
    if (!q) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a batch queue");
    q->model = model;
    q->be = model->be;
    q->batch = batch;
    q->width = width;
    q->height = height;
    q->in_floats = (int64_t)model->nn->cfg.planes * width * height;
    int c = 0, ow = 0, oh = 0;
    mumloc_model_output_size(model, width, height, &c, &ow, &oh);
    q->out_floats = (int64_t)c * ow * oh;
    for (int s = 0; s < SLOTS; s++) {
        mumloc_status st = make_slot(q, &q->slot[s]);
        if (st != MUMLOC_OK) {
            model_infer_destroy(q);
            return st;
        }
    }
    *out = q;
    return MUMLOC_OK;
}

int model_infer_batch(const model_infer_queue *q) { return q ? q->batch : 0; }
int64_t model_infer_output_floats(const model_infer_queue *q) { return q ? q->out_floats : 0; }
int model_infer_in_flight(const model_infer_queue *q) {
    return q ? (int)(q->submitted - q->collected) : 0;
}

/* Queues one batch in slot sl (its previous batch was collected). */
static mumloc_status queue_batch(model_infer_queue *q, infer_slot *sl, const float *photons, int count) {
    nn_backend *be = q->be;
    const int64_t values = (int64_t)count * q->in_floats;
    /* copy and normalise in chunks over the threads: at a thousand 256×256×4 frames a second this
     * host pass would otherwise be the bottleneck */
    const int64_t chunks = (values + STAGE_CHUNK - 1) / STAGE_CHUNK;
#pragma omp parallel for schedule(static)
    for (int64_t ch = 0; ch < chunks; ch++) {
        const int64_t at = ch * STAGE_CHUNK;
        const int64_t n = values - at < STAGE_CHUNK ? values - at : STAGE_CHUNK;
        memcpy(sl->host_in + at, photons + at, sizeof(float) * (size_t)n);
        model_normalise(q->model, sl->host_in + at, n);
    }
    if (count < sl->count) /* the previous batch's frames beyond this one become padding again */
        memset(sl->host_in + values, 0, sizeof(float) * (size_t)((sl->count - count) * q->in_floats));
    sl->count = count;
    const nn_tensor *out = NULL;
    ERROR_TRY(nn_backend_upload_async(be, sl->x, sl->host_in, sl->uploaded));
    ERROR_TRY(nn_model_forward(q->model->nn, sl->x, NN_MODE_INFER, &out));
    ERROR_TRY(be->copy(be, out, sl->y));
    return nn_backend_download_async(be, sl->y, sl->host_out, sl->downloaded);
}

mumloc_status model_infer_submit(model_infer_queue *q, const float *photons, int count) {
    if (!q || !photons)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "batch submit: queue and photons required");
    if (q->broken)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "batch submit: an earlier error stopped this queue; create a new one");
    if (count < 1 || count > q->batch)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "batch submit: %d frames, the queue takes 1 to %d per batch", count,
                           q->batch);
    if (q->submitted - q->collected >= SLOTS)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "batch submit: %d batches already in flight; collect one first", SLOTS);
    threads_apply();
    mumloc_status st = queue_batch(q, &q->slot[q->submitted % SLOTS], photons, count);
    if (st != MUMLOC_OK) {
        q->broken = 1;
        return st;
    }
    q->submitted++;
    return MUMLOC_OK;
}

mumloc_status model_infer_collect(model_infer_queue *q, const float **outputs, int *count) {
    if (!q || !outputs || !count)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "batch collect: queue, outputs and count");
    *outputs = NULL;
    *count = 0;
    if (q->collected == q->submitted)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "batch collect: no batch in flight");
    infer_slot *sl = &q->slot[q->collected % SLOTS];
    mumloc_status st = nn_backend_event_wait(q->be, sl->downloaded);
    if (st != MUMLOC_OK) {
        q->broken = 1;
        return st;
    }
    q->collected++;
    *outputs = sl->host_out;
    *count = sl->count;
    return MUMLOC_OK;
}
