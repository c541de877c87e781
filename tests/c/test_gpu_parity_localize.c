/* GPU vs CPU on a test movie, end to end (issue 4: "localizations on a test movie equal"): the
 * bundled regression model localizes a simulated 64×64×4 movie through the public localizer on the
 * CPU (frame by frame) and on CUDA (through the batch queue, localize/pipeline_queue.c: 40 frames
 * pushed as 5 + 35, so batches of up to 32 frames, two in flight and a short one occur); both give the same number of localizations and every CPU localization has a GPU
 * twin in the same frame within POS_TOL_NM (the networks' outputs differ only by fp32 summation
 * order, far below what moves a decoded position), with its probability and photons close.
 * Then the batch queue (model/model_infer.h: page-locked buffers, overlapped streams) on CUDA gives
 * the CPU's outputs for both networks; the memory-sized tile fits the device's budget; and TF32
 * (MUMLOC_CUDA_TF32=1, off by default) is checked for keeping the localizations within TF32_TOL_NM
 * — the test that must pass before TF32 may be offered. Skips (exit 0) without a CUDA device. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu_parity.h"
#include "test_files.h"
#include "infer_queue_run.h"
#include "localize/pipeline.h"

#define FRAMES 40
#define FIRST_PUSH 5
#define SIZE 64
#define POS_TOL_NM 0.5
#define TF32_TOL_NM 5.0

static const mumloc_device CPU = {MUMLOC_DEVICE_CPU, 0}, CUDA0 = {MUMLOC_DEVICE_CUDA, 0};

typedef struct locs {
    mumloc_localization *v;
    int64_t n;
} locs;

static locs localize(const char *model_path, mumloc_device device, const float *frames,
                     const mumloc_sim_params *p, char *reason, size_t reason_cap) {
    locs out = {NULL, 0};
    mumloc_model *m = NULL;
    CHECK_OK(mumloc_model_load(model_path, &m));
    if (!m) return out;
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    o.camera = p->camera;
    o.device = device;
    mumloc_localizer *l = NULL;
    CHECK_OK(mumloc_localizer_create(m, &o, p->width, p->height, &l));
    mumloc_device_choice where;
    mumloc_model_device(m, &where);
    snprintf(reason, reason_cap, "%s", where.reason);
    if (l) {
        /* the GPU takes the batched path by itself, the CPU never */
        CHECK(device.kind == MUMLOC_DEVICE_CUDA ? pipeline_queue_batch(l) >= 1
                                                : pipeline_queue_batch(l) == 0);
        const int64_t per_frame = (int64_t)p->optics.planes * p->width * p->height;
        CHECK_OK(mumloc_localizer_push(l, frames, FIRST_PUSH, 0));
        CHECK_OK(mumloc_localizer_push(l, frames + FIRST_PUSH * per_frame, FRAMES - FIRST_PUSH,
                                       FIRST_PUSH));
        out.n = mumloc_localizer_pending(l);
        out.v = calloc((size_t)out.n + 1, sizeof *out.v);
        int64_t taken = 0;
        CHECK_OK(mumloc_localizer_take(l, out.v, out.n, &taken));
        CHECK(taken == out.n);
    }
    mumloc_localizer_destroy(l);
    mumloc_model_destroy(m);
    return out;
}

/* Every want record has a got record in its frame within tol_nm; counts equal (or within 1 %). */
static void compare_locs(const char *what, locs got, locs want, double tol_nm, int exact_count) {
    double worst = 0.0, worst_p = 0.0, worst_photons = 0.0;
    int unmatched = 0;
    for (int64_t i = 0; i < want.n; i++) {
        const mumloc_localization *w = &want.v[i];
        double best = 1e30;
        const mumloc_localization *twin = NULL;
        for (int64_t j = 0; j < got.n; j++) {
            const mumloc_localization *g = &got.v[j];
            if (g->frame != w->frame) continue;
            const double dx = g->x_nm - w->x_nm, dy = g->y_nm - w->y_nm, dz = g->z_nm - w->z_nm;
            const double d = sqrt(dx * dx + dy * dy + dz * dz);
            if (d < best) best = d, twin = g;
        }
        if (!twin || best > tol_nm) {
            unmatched++;
            continue;
        }
        worst = fmax(worst, best);
        worst_p = fmax(worst_p, fabs(twin->probability - w->probability));
        worst_photons = fmax(worst_photons, fabs(twin->photons - w->photons) / fmax(1.0, w->photons));
    }
    const int64_t count_slack = exact_count ? 0 : (want.n + 99) / 100;
    const int ok = unmatched <= count_slack && llabs(got.n - want.n) <= count_slack;
    printf("  %-34s %lld vs %lld localizations, %d unmatched, worst %.3g nm, |dp| %.3g, photons "
           "%.3g rel%s\n", what, (long long)got.n, (long long)want.n, unmatched, worst, worst_p,
           worst_photons, ok ? "" : "  FAILED");
    if (!ok) check_failures++;
    if (exact_count) {
        CHECK(worst_p <= 1e-3);
        CHECK(worst_photons <= 1e-3);
    }
}

/* The batch queue on CUDA against the CPU model's one-frame forwards. */
static void queue_parity(mumloc_arch arch, int w, int h, int frames, int batch) {
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    mumloc_model *cpu = NULL, *gpu = NULL;
    CHECK_OK(mumloc_model_create(arch, &optics, NULL, 1.0, 3, &cpu));
    CHECK_OK(mumloc_model_create(arch, &optics, NULL, 1.0, 3, &gpu));
    if (!cpu || !gpu) return;
    CHECK_OK(mumloc_model_set_device(gpu, &CUDA0, NULL));
    int c, ow, oh;
    mumloc_model_output_size(cpu, w, h, &c, &ow, &oh);
    const int64_t in_per = (int64_t)optics.planes * w * h, out_per = (int64_t)c * ow * oh;
    float *x = malloc(sizeof *x * (size_t)(frames * in_per));
    float *want = malloc(sizeof *want * (size_t)(frames * out_per));
    gpu_random(x, frames * in_per, 41, 0, 30);
    for (int f = 0; f < frames; f++)
        CHECK_OK(mumloc_model_forward(cpu, x + f * in_per, 1, w, h, want + f * out_per));
    float *got = infer_queue_run(gpu, x, frames, w, h, batch);
    char what[96];
    snprintf(what, sizeof what, "%s queue on cuda, batches of %d", mumloc_arch_name((int)arch), batch);
    if (got) gpu_compare(what, got, want, frames * out_per, 1e-3, 1e-4);
    /* the memory-sized tile: a multiple of 16 whose forward fits the budget reported now */
    const int64_t budget = model_infer_budget(gpu);
    const int tile = model_infer_auto_tile(gpu, arch == MUMLOC_ARCH_VOXEL ? 64 : 512);
    printf("  %s: budget %.2f GB, automatic tile %d\n", mumloc_arch_name((int)arch), budget / 1e9,
           tile);
    CHECK(budget >= 0 && tile % MODEL_INFER_TILE_STEP == 0);
    CHECK((double)tile * tile * 4.0 * model_infer_floats_per_pixel(gpu, 0) <= (double)budget ||
          tile == 2 * mumloc_model_receptive_radius(gpu) + MODEL_INFER_TILE_STEP);
    free(got);
    free(want);
    free(x);
    mumloc_model_destroy(cpu);
    mumloc_model_destroy(gpu);
}

int main(void) {
    const device_cuda_probe *probe = device_cuda_probe_cached();
    if (probe->count < 1) {
        printf("test_gpu_parity_localize: skipped: no CUDA device: %s\n", probe->reason);
        return 0;
    }
    CHECK_OK(mumloc_set_threads(2));
    char model_path[4096];
    bundled_model_path(model_path, sizeof model_path);
    mumloc_model *probe_model = NULL;
    CHECK_OK(mumloc_model_load(model_path, &probe_model));
    if (!probe_model) return CHECK_DONE("test_gpu_parity_localize");
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    mumloc_model_optics(probe_model, &p.optics);
    mumloc_model_destroy(probe_model);
    p.width = p.height = SIZE;
    p.frames = FRAMES;
    p.molecules = 30;
    p.seed = 515151;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    const int64_t values = (int64_t)FRAMES * p.optics.planes * SIZE * SIZE;
    float *frames = malloc(sizeof *frames * (size_t)values);
    if (sim && frames) CHECK_OK(mumloc_simulate_frames(sim, 0, FRAMES, frames));
    mumloc_simulator_destroy(sim);

    char cpu_reason[384], gpu_reason[384];
    locs cpu = localize(model_path, CPU, frames, &p, cpu_reason, sizeof cpu_reason);
    locs gpu = localize(model_path, CUDA0, frames, &p, gpu_reason, sizeof gpu_reason);
    printf("test_gpu_parity_localize: %s vs %s\n", gpu_reason, cpu_reason);
    CHECK(strncmp(gpu_reason, "CUDA:0", 6) == 0);
    CHECK(cpu.n >= FRAMES * 10); /* the trained model finds most of the 30 molecules a frame */
    compare_locs("fp32 localizations, cuda vs cpu", gpu, cpu, POS_TOL_NM, 1);

    queue_parity(MUMLOC_ARCH_REGRESSION, 64, 48, 7, 3);
    queue_parity(MUMLOC_ARCH_VOXEL, 16, 16, 9, 4);

    setenv("MUMLOC_CUDA_TF32", "1", 1); /* read when the model's CUDA backend is created */
    locs tf32 = localize(model_path, CUDA0, frames, &p, gpu_reason, sizeof gpu_reason);
    unsetenv("MUMLOC_CUDA_TF32");
    compare_locs("TF32 localizations, cuda vs cpu", tf32, cpu, TF32_TOL_NM, 0);

    free(cpu.v);
    free(gpu.v);
    free(tf32.v);
    free(frames);
    return CHECK_DONE("test_gpu_parity_localize");
}
