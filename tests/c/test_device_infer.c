/* The device-inference helpers of model/model_infer.h where no GPU is needed:
 *   - backend.h's optional asynchronous hooks fall back to plain memory and synchronous transfers on
 *     the CPU backend (a round trip returns the data; memory is "unknown");
 *   - the batch queue gives the outputs of mumloc_model_forward frame by frame (an independent path)
 *     for both networks, short last batches included, and refuses misuse with clear errors;
 *   - the memory sizing against the architectures' closed forms (nn/network.h): floats per input pixel,
 *     the largest tile and batch that fit a budget (checked by the inequalities that define them),
 *     cuDNN's 2^31-element limit, and the CPU keeping the caller's choice. */
#include <stdio.h>
#include <string.h>

#include "gpu_parity.h"
#include "infer_queue_run.h"
#include "model/model_handle.h"

static void fallback_hooks(void) {
    nn_backend *be = NULL;
    CHECK_OK(nn_backend_cpu_create(&be));
    if (!be) return;
    CHECK(be->upload_async == NULL && be->memory_info == NULL); /* the CPU sets no optional hook */
    const nn_shape s = {2, 3, 4, 5};
    const int64_t n = nn_shape_count(s);
    float *in = NULL, *back = NULL;
    CHECK_OK(nn_backend_host_alloc(be, sizeof(float) * (size_t)n, (void **)&in));
    CHECK_OK(nn_backend_host_alloc(be, sizeof(float) * (size_t)n, (void **)&back));
    nn_tensor *t = NULL;
    CHECK_OK(be->tensor_create(be, s, &t));
    nn_event *up = NULL, *down = NULL;
    CHECK_OK(nn_backend_event_create(be, &up));
    CHECK_OK(nn_backend_event_create(be, &down));
    if (in && back && t && up && down) {
        for (int64_t i = 0; i < n; i++) in[i] = (float)(i * 7 % 23) - 11.5f;
        memset(back, 0, sizeof(float) * (size_t)n);
        CHECK_OK(nn_backend_upload_async(be, t, in, up));
        CHECK_OK(nn_backend_download_async(be, t, back, down));
        CHECK_OK(nn_backend_event_wait(be, up));
        CHECK_OK(nn_backend_event_wait(be, down));
        CHECK(memcmp(in, back, sizeof(float) * (size_t)n) == 0);
    }
    int64_t free_bytes = 0, total = 0;
    CHECK_OK(nn_backend_memory_info(be, &free_bytes, &total));
    CHECK(free_bytes == -1 && total == -1);
    void *none = NULL;
    CHECK_STATUS(nn_backend_host_alloc(be, 0, &none), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(nn_backend_upload_async(be, t, NULL, up), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(nn_backend_event_wait(be, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    nn_backend_event_destroy(be, up);
    nn_backend_event_destroy(be, down);
    be->tensor_destroy(be, t);
    nn_backend_host_free(be, in);
    nn_backend_host_free(be, back);
    nn_backend_destroy(be);
}

static mumloc_model *make_model(mumloc_arch arch) {
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    mumloc_model *m = NULL;
    CHECK_OK(mumloc_model_create(arch, &optics, NULL, 1.0, 5, &m));
    return m;
}

/* Queue outputs vs mumloc_model_forward one frame at a time (another batch size, another path). */
static void queue_matches_forward(mumloc_arch arch, int w, int h, int frames, int batch) {
    mumloc_model *m = make_model(arch);
    if (!m) return;
    int c, ow, oh;
    mumloc_model_output_size(m, w, h, &c, &ow, &oh);
    const int k = 4;
    const int64_t in_per = (int64_t)k * w * h, out_per = (int64_t)c * ow * oh;
    float *photons = malloc(sizeof *photons * (size_t)(frames * in_per));
    float *want = malloc(sizeof *want * (size_t)(frames * out_per));
    gpu_random(photons, frames * in_per, 31, 0, 40);
    for (int f = 0; f < frames; f++)
        CHECK_OK(mumloc_model_forward(m, photons + f * in_per, 1, w, h, want + f * out_per));
    float *got = infer_queue_run(m, photons, frames, w, h, batch);
    char what[96];
    snprintf(what, sizeof what, "%s queue, %d frames in batches of %d", mumloc_arch_name((int)arch),
             frames, batch);
    if (got) gpu_compare(what, got, want, frames * out_per, 1e-5, 1e-6);
    free(got);
    free(want);
    free(photons);
    mumloc_model_destroy(m);
}

static void queue_refuses_misuse(void) {
    mumloc_model *m = make_model(MUMLOC_ARCH_REGRESSION);
    if (!m) return;
    model_infer_queue *q = NULL;
    CHECK_STATUS(model_infer_create(m, 0, 8, 8, &q), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(model_infer_create(NULL, 1, 8, 8, &q), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_OK(model_infer_create(m, 2, 8, 8, &q));
    if (!q) return;
    float photons[3 * 4 * 8 * 8] = {0};
    const float *out = NULL;
    int n = -1;
    CHECK(model_infer_batch(q) == 2 && model_infer_output_floats(q) == 16 * 8 * 8);
    CHECK_STATUS(model_infer_collect(q, &out, &n), MUMLOC_ERR_INVALID_ARGUMENT); /* nothing queued */
    CHECK(strstr(mumloc_last_error(), "no batch in flight") != NULL);
    CHECK_STATUS(model_infer_submit(q, photons, 3), MUMLOC_ERR_INVALID_ARGUMENT); /* > batch */
    CHECK_STATUS(model_infer_submit(q, photons, 0), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_OK(model_infer_submit(q, photons, 2));
    CHECK_OK(model_infer_submit(q, photons, 1));
    CHECK(model_infer_in_flight(q) == 2);
    CHECK_STATUS(model_infer_submit(q, photons, 1), MUMLOC_ERR_INVALID_ARGUMENT); /* a third */
    CHECK(strstr(mumloc_last_error(), "collect one first") != NULL);
    CHECK_OK(model_infer_collect(q, &out, &n)); /* oldest first, and the queue still works */
    CHECK(n == 2 && out != NULL);
    CHECK_OK(model_infer_collect(q, &out, &n));
    CHECK(n == 1 && model_infer_in_flight(q) == 0);
    model_infer_destroy(q);
    mumloc_model_destroy(m);
}

/* Floats per input pixel from nn/network.h's layer lists (k = 4 planes, voxel D = 32 slices). */
static void sizing_closed_forms(void) {
    mumloc_model *reg = make_model(MUMLOC_ARCH_REGRESSION), *vox = make_model(MUMLOC_ARCH_VOXEL);
    if (!reg || !vox) return;
    /* regression: input 4, blocks 16+32+64+128+64+32+16, head 16 = 4·4 */
    CHECK_NEAR(model_infer_floats_per_pixel(reg, 0), 4 + 16 + 32 + 64 + 128 + 64 + 32 + 16 + 16, 0);
    CHECK_NEAR(model_infer_floats_per_pixel(reg, 2), 372 + 2 * 16, 0);
    CHECK_NEAR(model_infer_widest_floats_per_pixel(reg), 128, 0);
    /* voxel: input 4, conv 64, transposed 128 (×4 area), 64 (×16), 128 (×64), head 32 (×64) */
    const double vox_sum = 4 + 64 + 128 * 4 + 64 * 16 + 128 * 64 + 32 * 64;
    CHECK_NEAR(model_infer_floats_per_pixel(vox, 0), vox_sum, 0);
    CHECK_NEAR(model_infer_floats_per_pixel(vox, 2), vox_sum + 2 * 32 * 64, 0);
    CHECK_NEAR(model_infer_widest_floats_per_pixel(vox), 128 * 64, 0);

    CHECK(model_infer_budget_from_free(-1) == -1);
    CHECK(model_infer_budget_from_free(0) == 0);
    const int64_t gib = (int64_t)1 << 30;
    CHECK(model_infer_budget_from_free(16 * gib) == 12 * gib - 512 * ((int64_t)1 << 20));
    CHECK(model_infer_budget(reg) == -1); /* the CPU does not report memory */

    /* the largest tile of step 16 whose forward fits: T²·bytes ≤ budget < (T+16)²·bytes */
    const int64_t budget = 1000000000;
    const double reg_bytes = 4.0 * 372;
    const int t = model_infer_tile_for_budget(reg, budget, 512);
    CHECK(t % MODEL_INFER_TILE_STEP == 0);
    CHECK((double)t * t * reg_bytes <= budget && (double)(t + 16) * (t + 16) * reg_bytes > budget);
    /* a huge budget: the 2^31-element tensor (128 channels) binds instead */
    const int big = model_infer_tile_for_budget(reg, (int64_t)1 << 50, 512);
    CHECK((double)big * big * 128 <= 2147483647.0 && (double)(big + 16) * (big + 16) * 128 > 2147483647.0);
    /* no memory at all: the smallest useful tile, 2·radius (10) + 16 */
    CHECK(model_infer_tile_for_budget(reg, 0, 512) == 2 * 10 + 16);
    CHECK(model_infer_tile_for_budget(vox, 0, 64) == 2 * 5 + 16);
    /* unknown memory (CPU): the caller's choice */
    CHECK(model_infer_tile_for_budget(reg, -1, 512) == 512);
    CHECK(model_infer_auto_tile(reg, 512) == 512 && model_infer_auto_tile(vox, 64) == 64);

    /* frames of 256×256 with the queue's two output copies: n·px·bytes ≤ budget < (n+1)·px·bytes */
    const double frame_bytes = 256.0 * 256 * 4 * (372 + 32);
    const int n = model_infer_frames_for_budget(reg, 256, 256, budget, 1000, 8);
    CHECK(n >= 1 && n * frame_bytes <= budget && (n + 1) * frame_bytes > budget);
    CHECK(model_infer_frames_for_budget(reg, 256, 256, budget, 4, 8) == 4);
    CHECK(model_infer_frames_for_budget(reg, 256, 256, -1, 64, 8) == 8);
    CHECK(model_infer_frames_for_budget(reg, 256, 256, 1000, 64, 8) == 1);
    /* voxel 16×16 frames: the widest tensor (8192 floats per input pixel) caps the batch */
    const int nv = model_infer_frames_for_budget(vox, 16, 16, (int64_t)1 << 50, 100000, 8);
    CHECK((double)nv * 256 * 8192 <= 2147483647.0 && (double)(nv + 1) * 256 * 8192 > 2147483647.0);
    mumloc_model_destroy(reg);
    mumloc_model_destroy(vox);
}

int main(void) {
    CHECK_OK(mumloc_set_threads(2));
    fallback_hooks();
    queue_refuses_misuse();
    queue_matches_forward(MUMLOC_ARCH_REGRESSION, 24, 16, 7, 3); /* 3 + 3 + 1 (short) */
    queue_matches_forward(MUMLOC_ARCH_REGRESSION, 24, 16, 2, 5); /* one short batch */
    queue_matches_forward(MUMLOC_ARCH_VOXEL, 8, 8, 5, 2);
    sizing_closed_forms();
    return CHECK_DONE("test_device_infer");
}
