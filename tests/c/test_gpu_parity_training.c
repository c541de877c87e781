/* GPU vs CPU, whole networks: the same model (same seed) trained 50 Adam steps on both backends on the
 * same fixed batch — regression at 16×16 (batch 4, hard negatives) and voxel at 8×8 (batch 2, three
 * transposed convolutions) — must give the same loss curve within 1 % at every step and the same
 * inference outputs (BN folded) within 0.02 afterwards (probabilities and offsets are O(1)). fp32 with
 * sums in different orders drifts slowly over 50 steps; these tolerances are what that drift allows,
 * not what a bug would. Skips (exit 0) without a CUDA device. */
#include <string.h>

#include "gpu_parity.h"
#include "nn/network.h"

#define STEPS 50
#define RTOL_LOSS_CURVE 1e-2
#define ATOL_OUTPUT 2e-2

static nn_backend *gpu, *cpu;

/* Trains one model on be; writes the losses of every step and the final inference output. */
static void train(nn_backend *be, nn_arch arch, int n, int h, int w, const float *x,
                  const float *target, double *losses, float **out) {
    nn_model_config cfg;
    nn_model_config_default(&cfg, arch);
    if (arch == NN_ARCH_VOXEL) cfg.depth_slices = 8;
    cfg.seed = 1234;
    nn_model *m = NULL;
    CHECK_OK(nn_model_create(be, &cfg, &m));
    if (!m) return;
    nn_tensor *in = NULL, *t = NULL;
    const nn_tensor *y = NULL;
    CHECK_OK(nn_model_input(m, n, h, w, &in));
    CHECK_OK(be->upload(be, in, x));
    nn_shape os = nn_model_output_shape(m, (nn_shape){n, cfg.planes, h, w});
    t = gpu_tensor(be, os, target);
    CHECK_OK(nn_model_ensure_training_state(m));
    nn_adam_hyper hp = {1e-3f, 0.9f, 0.999f, 1e-8f};
    for (int s = 0; s < STEPS; s++) {
        CHECK_OK(nn_model_forward(m, in, NN_MODE_TRAIN, &y));
        CHECK_OK(nn_model_loss(m, t, &losses[s]));
        CHECK_OK(nn_model_backward(m, in, NULL));
        CHECK_OK(nn_model_adam_step(m, &hp));
    }
    CHECK_OK(nn_model_forward(m, in, NN_MODE_INFER, &y));
    *out = y ? gpu_host(be, y) : NULL;
    be->tensor_destroy(be, t);
    nn_model_destroy(m);
}

static void run_case(const char *name, nn_arch arch, int n, int h, int w, uint64_t seed) {
    const int planes = 4, ch = arch == NN_ARCH_VOXEL ? 8 : 4 * planes;
    const int scale = arch == NN_ARCH_VOXEL ? 8 : 1;
    const int64_t xc = (int64_t)n * planes * h * w, hw = (int64_t)h * w * scale * scale;
    const int64_t tc = (int64_t)n * ch * hw;
    float *x = malloc(xc * 4), *t = malloc(tc * 4);
    gpu_random(x, xc, seed, 0, 1);
    gpu_random(t, tc, seed + 1, -0.5f, 0.5f); /* offsets of the regression target */
    for (int b = 0; b < n; b++)
        for (int c = 0; c < (arch == NN_ARCH_VOXEL ? ch : planes); c++)
            for (int64_t px = 0; px < hw; px++) {
                int64_t i = ((int64_t)b * ch + c) * hw + px;
                t[i] = ((px * 13 + c * 5 + b * 3) % 29 == 0) ? 1.0f : 0.0f;
            }
    double loss[2][STEPS];
    float *out[2] = {NULL, NULL};
    train(gpu, arch, n, h, w, x, t, loss[0], &out[0]);
    train(cpu, arch, n, h, w, x, t, loss[1], &out[1]);
    printf("%s: loss step 1 gpu %.6g cpu %.6g, step %d gpu %.6g cpu %.6g\n", name, loss[0][0],
           loss[1][0], STEPS, loss[0][STEPS - 1], loss[1][STEPS - 1]);
    for (int s = 0; s < STEPS; s++)
        if (!(fabs(loss[0][s] - loss[1][s]) <= RTOL_LOSS_CURVE * fabs(loss[1][s]))) {
            fprintf(stderr, "%s: step %d loss gpu %.9g cpu %.9g\n", name, s + 1, loss[0][s], loss[1][s]);
            check_failures++;
            break;
        }
    CHECK(loss[1][STEPS - 1] < loss[1][0]); /* it learned something (on the CPU reference) */
    if (out[0] && out[1]) gpu_compare("inference output after training", out[0], out[1], tc, 0, ATOL_OUTPUT);
    free(out[0]), free(out[1]), free(x), free(t);
}

int main(void) {
    mumloc_set_threads(2);
    gpu = gpu_backend_or_skip("test_gpu_parity_training");
    if (!gpu) return CHECK_DONE("test_gpu_parity_training");
    CHECK_OK(nn_backend_cpu_create(&cpu));
    if (cpu) {
        run_case("regression 16×16, batch 4", NN_ARCH_REGRESSION, 4, 16, 16, 900);
        run_case("voxel 8×8, batch 2", NN_ARCH_VOXEL, 2, 8, 8, 910);
    }
    nn_backend_destroy(cpu);
    nn_backend_destroy(gpu);
    return CHECK_DONE("test_gpu_parity_training");
}
