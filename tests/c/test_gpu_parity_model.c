/* GPU vs CPU through the public model API: a model moved to CUDA with mumloc_model_set_device gives
 * the CPU's inference outputs (within fp32 summation-order differences), comes back to the CPU
 * bit-identical (the move copies, it does not recompute), and mumloc_train on "cuda" follows the
 * CPU's loss curve over a few steps (1 %) and ends with outputs within 0.02 (as
 * test_gpu_parity_training). Skips (exit 0) without a CUDA device. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gpu_parity.h"

#define STEPS 6
#define RTOL_LOSS_CURVE 1e-2
#define ATOL_OUTPUT 2e-2

static const mumloc_device CPU = {MUMLOC_DEVICE_CPU, 0}, CUDA0 = {MUMLOC_DEVICE_CUDA, 0};

static float *forward(mumloc_model *m, const float *photons, int n, int w, int h, int64_t *count) {
    int c, ow, oh;
    mumloc_model_output_size(m, w, h, &c, &ow, &oh);
    *count = (int64_t)n * c * ow * oh;
    float *out = calloc((size_t)*count, sizeof *out);
    CHECK_OK(mumloc_model_forward(m, photons, n, w, h, out));
    return out;
}

static void inference(mumloc_arch arch, int w, int h) {
    const char *name = mumloc_arch_name((int)arch);
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    mumloc_model *cpu = NULL, *gpu = NULL;
    CHECK_OK(mumloc_model_create(arch, &optics, NULL, 1.0, 11, &cpu));
    CHECK_OK(mumloc_model_create(arch, &optics, NULL, 1.0, 11, &gpu));
    if (!cpu || !gpu) return;
    mumloc_device_choice c;
    CHECK_OK(mumloc_model_set_device(gpu, &CUDA0, &c));
    CHECK(c.device.kind == MUMLOC_DEVICE_CUDA);
    printf("%s: %s\n", name, c.reason);
    const int n = 2;
    const int64_t xc = (int64_t)n * optics.planes * h * w;
    float *x = malloc((size_t)xc * sizeof *x);
    gpu_random(x, xc, 17, 0, 30);
    int64_t count = 0;
    float *want = forward(cpu, x, n, w, h, &count);
    float *got = forward(gpu, x, n, w, h, &count);
    char what[64];
    snprintf(what, sizeof what, "%s inference on cuda", name);
    gpu_compare(what, got, want, count, 1e-3, 1e-4); /* fp32, sums in cuDNN's order */
    free(got);
    /* back on the CPU the weights are the same bits */
    CHECK_OK(mumloc_model_set_device(gpu, &CPU, &c));
    CHECK(c.device.kind == MUMLOC_DEVICE_CPU);
    got = forward(gpu, x, n, w, h, &count);
    CHECK(memcmp(got, want, (size_t)count * sizeof *got) == 0);
    free(got);
    free(want);
    free(x);
    mumloc_model_destroy(cpu);
    mumloc_model_destroy(gpu);
}

typedef struct curve {
    double loss[STEPS];
    char device_seen[384];
} curve;

static int record(void *user, const mumloc_train_progress *p) {
    curve *c = user;
    if (p->step >= 1 && p->step <= STEPS) c->loss[p->step - 1] = p->train_loss;
    if (p->device) snprintf(c->device_seen, sizeof c->device_seen, "%s", p->device);
    return 0;
}

static mumloc_model *train_on(mumloc_device device, const char *path, curve *c) {
    mumloc_train_options o;
    mumloc_train_options_default(&o, MUMLOC_ARCH_REGRESSION);
    o.sim.width = o.sim.height = 16;
    o.sim.molecules = 4;
    o.steps = STEPS;
    o.batch = 4;
    o.validation_frames = 4;
    o.out_path = path;
    o.device = device;
    mumloc_model *m = NULL;
    CHECK_OK(mumloc_train(&o, record, c, &m));
    remove(path);
    return m;
}

static void training(void) {
    char pc[64], pg[64];
    snprintf(pc, sizeof pc, "/tmp/test_gpu_parity_model_%d_c.safetensors", (int)getpid());
    snprintf(pg, sizeof pg, "/tmp/test_gpu_parity_model_%d_g.safetensors", (int)getpid());
    curve cc = {{0}, ""}, gc = {{0}, ""};
    mumloc_model *cpu = train_on(CPU, pc, &cc);
    mumloc_model *gpu = train_on(CUDA0, pg, &gc);
    if (!cpu || !gpu) return;
    CHECK(strncmp(gc.device_seen, "CUDA:0", 6) == 0);
    printf("training on %s\n", gc.device_seen);
    for (int s = 0; s < STEPS; s++) {
        const double tol = RTOL_LOSS_CURVE * fabs(cc.loss[s]);
        printf("  step %d loss cpu %.6g cuda %.6g%s\n", s + 1, cc.loss[s], gc.loss[s],
               fabs(gc.loss[s] - cc.loss[s]) <= tol ? "" : "  FAILED");
        CHECK(fabs(gc.loss[s] - cc.loss[s]) <= tol);
    }
    mumloc_optics optics;
    mumloc_model_optics(cpu, &optics);
    const int n = 2, w = 16, h = 16;
    const int64_t xc = (int64_t)n * optics.planes * h * w;
    float *x = malloc((size_t)xc * sizeof *x);
    gpu_random(x, xc, 23, 0, 30);
    int64_t count = 0;
    float *want = forward(cpu, x, n, w, h, &count);
    float *got = forward(gpu, x, n, w, h, &count);
    gpu_compare("regression after training on cuda", got, want, count, 0, ATOL_OUTPUT);
    free(got);
    free(want);
    free(x);
    mumloc_model_destroy(cpu);
    mumloc_model_destroy(gpu);
}

int main(void) {
    const device_cuda_probe *probe = device_cuda_probe_cached();
    if (probe->count < 1) {
        printf("test_gpu_parity_model: skipped: no CUDA device: %s\n", probe->reason);
        return 0;
    }
    CHECK_OK(mumloc_set_threads(2));
    inference(MUMLOC_ARCH_REGRESSION, 32, 24);
    inference(MUMLOC_ARCH_VOXEL, 8, 8);
    training();
    return CHECK_DONE("test_gpu_parity_model");
}
