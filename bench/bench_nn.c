/*
 * bench_nn — the engine's speed on the CPU backend: inference frames/s and GFLOP/s of the two
 * networks at the sizes in issue 3 (batch 1 and a larger batch), each layer type alone against the
 * FMA peak (transposed convolutions both ways: the phase identity vs oneDNN's deconvolution
 * primitive), and training steps.
 *
 *   bench_nn [threads (default 2)] [seconds per case (default 2)] [--profile]
 *
 * --profile prints only the training profiles: each op of a training step timed per layer (the
 * backend table wrapped with timers), and each convolution type's GFLOP/s and share of the FMA peak
 * in the three directions (forward, backward-weights, backward-data).
 *
 * Each case runs two warm-up calls, then repeats for the given time (at least 3 calls) and reports the
 * best call: other processes competing for the 2 cores stall OpenMP barriers for whole scheduler
 * slices, so medians on a shared machine mostly measure the neighbours. Compare ratios measured in
 * one run. GFLOP/s counts 2 FLOPs per multiply-accumulate of the mathematical
 * network (a transposed convolution: 9 taps per input pixel, which is also what the phases execute).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/backend.h"
#include "backend/cpu/cpu_backend.h"
#include "nn/network.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int fail(const char *what) {
    fprintf(stderr, "bench_nn: %s: %s\n", what, mumloc_last_error());
    return 1;
}

static void random_input(nn_backend *be, nn_tensor *x) {
    nn_shape s = be->tensor_shape(x);
    int64_t count = nn_shape_count(s);
    float *host = malloc((size_t)count * sizeof *host);
    uint64_t state = 12345;
    for (int64_t i = 0; i < count; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        host[i] = 20.0f * (float)(state >> 40) / 16777216.0f;
    }
    be->upload(be, x, host);
    free(host);
}

static double min_seconds = 2.0;

/* Keeps timing until min_seconds passed (and at least 3 timed calls). */
static int keep_going(int timed, double started) { return timed < 3 || now() - started < min_seconds; }

/* Best seconds per forward of model on n frames of size×size. */
static int time_inference(nn_backend *be, nn_model *m, int n, int size, double *best) {
    nn_tensor *x = NULL;
    const nn_tensor *y = NULL;
    if (nn_model_input(m, n, size, size, &x) != MUMLOC_OK) return fail("input");
    random_input(be, x);
    *best = 1e30;
    double started = now();
    for (int r = 0; keep_going(r - 2, started); r++) {
        double t0 = now();
        if (nn_model_forward(m, x, NN_MODE_INFER, &y) != MUMLOC_OK) return fail("forward");
        double dt = now() - t0;
        if (r >= 2 && dt < *best) *best = dt;
    }
    return 0;
}

static int inference_table(nn_backend *be) {
    struct {
        nn_arch arch;
        int size, batch;
    } cases[] = {{NN_ARCH_REGRESSION, 16, 1},  {NN_ARCH_REGRESSION, 16, 32},
                 {NN_ARCH_REGRESSION, 64, 1},  {NN_ARCH_REGRESSION, 64, 8},
                 {NN_ARCH_REGRESSION, 256, 1}, {NN_ARCH_REGRESSION, 256, 4},
                 {NN_ARCH_VOXEL, 16, 1},       {NN_ARCH_VOXEL, 16, 8},
                 {NN_ARCH_VOXEL, 64, 1}};
    printf("inference (BN folded, activations fused), %d threads\n", mumloc_get_threads());
    printf("%-11s %5s %5s %10s %10s %9s\n", "network", "size", "batch", "ms/frame", "frames/s",
           "GFLOP/s");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nn_model_config cfg;
        nn_model_config_default(&cfg, cases[i].arch);
        nn_model *m = NULL;
        if (nn_model_create(be, &cfg, &m) != MUMLOC_OK) return fail("model");
        double best;
        if (time_inference(be, m, cases[i].batch, cases[i].size, &best)) return 1;
        double per_frame = best / cases[i].batch;
        double gflop = 2.0 * nn_model_macs(m, cases[i].size, cases[i].size) / 1e9;
        printf("%-11s %5d %5d %10.3f %10.1f %9.1f\n",
               cases[i].arch == NN_ARCH_VOXEL ? "voxel" : "regression", cases[i].size,
               cases[i].batch, 1e3 * per_frame, 1.0 / per_frame, gflop / per_frame);
        fflush(stdout);
        nn_model_destroy(m);
    }
    return 0;
}

/* The register-only AVX-512 FMA loop's rate on these machines, 2 threads, measured once with a register-only loop. */
#define FMA_PEAK_GFLOPS 695.0

/* Best seconds of one convolution forward (fused ReLU), random data. */
static int time_layer(nn_backend *be, const nn_conv_desc *d, double *best, const char **impl) {
    int f = d->transposed ? 2 : 1;
    nn_tensor *x, *w, *b, *y;
    nn_shape ws = d->transposed ? (nn_shape){d->in_c, d->out_c, 3, 3}
                                : (nn_shape){d->out_c, d->in_c, d->kernel, d->kernel};
    if (be->tensor_create(be, (nn_shape){d->n, d->in_c, d->h, d->w}, &x) != MUMLOC_OK ||
        be->tensor_create(be, ws, &w) != MUMLOC_OK ||
        be->tensor_create(be, (nn_shape){1, d->out_c, 1, 1}, &b) != MUMLOC_OK ||
        be->tensor_create(be, (nn_shape){d->n, d->out_c, f * d->h, f * d->w}, &y) != MUMLOC_OK)
        return fail("tensors");
    random_input(be, x);
    random_input(be, w);
    nn_conv_plan *plan;
    if (be->conv_plan_create(be, d, &plan) != MUMLOC_OK) return fail("plan");
    *best = 1e30;
    double started = now();
    for (int r = 0; keep_going(r - 2, started); r++) {
        double t0 = now();
        if (be->conv_forward(be, plan, x, w, b, y) != MUMLOC_OK) return fail("conv");
        double dt = now() - t0;
        if (r >= 2 && dt < *best) *best = dt;
    }
    *impl = cpu_conv_plan_impl(plan, 0);
    be->conv_plan_destroy(be, plan);
    be->tensor_destroy(be, x);
    be->tensor_destroy(be, w);
    be->tensor_destroy(be, b);
    be->tensor_destroy(be, y);
    return 0;
}

/* Layer types of both networks, alone, batch 1: GFLOP/s and the fraction of the FMA peak; the
 * transposed convolutions also on oneDNN's deconvolution primitive. */
static int layer_table(nn_backend *be) {
    const struct {
        int in, out, size, kernel, transposed;
    } layers[] = {{4, 16, 256, 5, 0},   {16, 32, 256, 5, 0}, {64, 128, 256, 3, 0}, {16, 16, 256, 3, 0},
                  {4, 64, 16, 5, 0},    {64, 128, 16, 3, 1}, {128, 64, 32, 3, 1},  {64, 128, 64, 3, 1},
                  {128, 32, 128, 3, 0}};
    printf("\nlayers alone (forward, fused activation), batch 1; FMA peak %.0f GFLOP/s\n",
           FMA_PEAK_GFLOPS);
    printf("%-30s %9s %9s %6s  %-24s %s\n", "layer", "ms", "GFLOP/s", "peak", "kernel",
           "deconvolution primitive");
    for (size_t i = 0; i < sizeof layers / sizeof layers[0]; i++) {
        nn_conv_desc d = {1, layers[i].in, layers[i].out, layers[i].size, layers[i].size,
                          layers[i].kernel, layers[i].transposed, NN_ACT_RELU, NN_PRECISION_FP32, 0};
        double best, gflop = 2.0 * d.in_c * d.out_c * d.kernel * d.kernel * d.h * d.w / 1e9;
        const char *impl;
        if (time_layer(be, &d, &best, &impl)) return 1;
        char name[64], deconv[96] = "";
        snprintf(name, sizeof name, "%s %d→%d %d×%d @%d²", d.transposed ? "tconv" : "conv", d.in_c,
                 d.out_c, d.kernel, d.kernel, d.h);
        if (d.transposed) {
            double slow;
            const char *slow_impl;
            cpu_use_deconvolution_primitive = 1;
            int rc = time_layer(be, &d, &slow, &slow_impl);
            cpu_use_deconvolution_primitive = 0;
            if (rc) return 1;
            snprintf(deconv, sizeof deconv, "%.3f ms, %.1f GFLOP/s (%s): %.1f× slower", 1e3 * slow,
                     gflop / slow, slow_impl, slow / best);
        }
        printf("%-30s %9.3f %9.1f %5.0f%%  %-24s %s\n", name, 1e3 * best, gflop / best,
               100.0 * gflop / best / FMA_PEAK_GFLOPS, impl, deconv);
        fflush(stdout);
    }
    return 0;
}

/* Training steps (forward + loss + backward + Adam) on random data at the papers' input sizes. */
static int training_table(nn_backend *be) {
    struct {
        nn_arch arch;
        int size, batch;
    } cases[] = {{NN_ARCH_REGRESSION, 64, 8}, {NN_ARCH_VOXEL, 16, 8}};
    printf("\ntraining step (forward, loss, backward, Adam)\n");
    printf("%-11s %5s %5s %10s %10s %9s\n", "network", "size", "batch", "ms/step", "frames/s",
           "GFLOP/s");
    for (int i = 0; i < 2; i++) {
        nn_model_config cfg;
        nn_model_config_default(&cfg, cases[i].arch);
        nn_model *m = NULL;
        if (nn_model_create(be, &cfg, &m) != MUMLOC_OK) return fail("model");
        nn_tensor *x = NULL, *target = NULL;
        const nn_tensor *y = NULL;
        int n = cases[i].batch, s = cases[i].size;
        if (nn_model_input(m, n, s, s, &x) != MUMLOC_OK) return fail("input");
        random_input(be, x);
        nn_shape os = nn_model_output_shape(m, (nn_shape){n, cfg.planes, s, s});
        if (be->tensor_create(be, os, &target) != MUMLOC_OK) return fail("target");
        be->fill(be, target, 0.0f);
        nn_adam_hyper hp = {1e-3f, 0.9f, 0.999f, 1e-8f};
        double best = 1e30, loss, started = now();
        for (int r = 0; keep_going(r - 2, started); r++) {
            double t0 = now();
            if (nn_model_forward(m, x, NN_MODE_TRAIN, &y) != MUMLOC_OK) return fail("forward");
            if (nn_model_loss(m, target, &loss) != MUMLOC_OK) return fail("loss");
            if (nn_model_backward(m, x, NULL) != MUMLOC_OK) return fail("backward");
            if (nn_model_adam_step(m, &hp) != MUMLOC_OK) return fail("adam");
            double dt = now() - t0;
            if (r >= 2 && dt < best) best = dt;
        }
        /* forward + backward-data + backward-weights ≈ 3× the forward's multiply-adds */
        double gflop = 3 * 2.0 * nn_model_macs(m, s, s) / 1e9 * n;
        printf("%-11s %5d %5d %10.2f %10.1f %9.1f\n",
               cases[i].arch == NN_ARCH_VOXEL ? "voxel" : "regression", s, n, 1e3 * best, n / best,
               gflop / best);
        fflush(stdout);
        be->tensor_destroy(be, target);
        nn_model_destroy(m);
    }
    return 0;
}


/* --- training profile: every backend op of a training step timed by wrapping the backend table --- */

enum { OP_CONV_FWD, OP_BN_FWD, OP_ACT_FWD, OP_LOSS, OP_ACT_BWD, OP_BN_BWD, OP_CONV_BWD_W,
       OP_CONV_BWD_D, OP_ADAM, OP_OTHER, OP_COUNT };
static const char *const op_names[OP_COUNT] = {"conv fwd", "BN fwd", "act fwd", "loss",
                                               "act bwd", "BN bwd", "conv bwd-w", "conv bwd-d",
                                               "Adam", "copy"};
static nn_backend wrapped;           /* the real table */
static const nn_model *profiled;     /* whose layers the plans belong to */
static double op_time[NN_MAX_LAYERS + 1][OP_COUNT];

static int layer_of_conv(const nn_conv_plan *p) {
    for (int i = 0; i < profiled->layer_count; i++)
        if (profiled->layers[i].train_plan == p) return i;
    return NN_MAX_LAYERS;
}
static int layer_of_bn(const nn_bn_plan *p) {
    for (int i = 0; i < profiled->layer_count; i++)
        if (profiled->layers[i].bn_plan == p) return i;
    return NN_MAX_LAYERS;
}
static int layer_of_tensor(const nn_tensor *t) {
    for (int i = 0; i < profiled->layer_count; i++)
        if (profiled->layers[i].out == t || profiled->layers[i].grad == t) return i;
    return NN_MAX_LAYERS;
}

#define TIMED(layer, op, call)                                                                   \
    do {                                                                                         \
        double t0_ = now();                                                                      \
        mumloc_status st_ = (call);                                                              \
        op_time[layer][op] += now() - t0_;                                                       \
        return st_;                                                                              \
    } while (0)

static mumloc_status p_conv_fwd(nn_backend *be, nn_conv_plan *p, const nn_tensor *x,
                                const nn_tensor *w, const nn_tensor *b, nn_tensor *y) {
    (void)be;
    TIMED(layer_of_conv(p), OP_CONV_FWD, wrapped.conv_forward(&wrapped, p, x, w, b, y));
}
static mumloc_status p_conv_bwd_d(nn_backend *be, nn_conv_plan *p, const nn_tensor *dy,
                                  const nn_tensor *w, nn_tensor *dx) {
    (void)be;
    TIMED(layer_of_conv(p), OP_CONV_BWD_D, wrapped.conv_backward_data(&wrapped, p, dy, w, dx));
}
static mumloc_status p_conv_bwd_w(nn_backend *be, nn_conv_plan *p, const nn_tensor *x,
                                  const nn_tensor *dy, nn_tensor *dw, nn_tensor *db) {
    (void)be;
    TIMED(layer_of_conv(p), OP_CONV_BWD_W, wrapped.conv_backward_weights(&wrapped, p, x, dy, dw, db));
}
static mumloc_status p_bn_fwd(nn_backend *be, nn_bn_plan *p, const nn_tensor *x,
                              const nn_tensor *g, const nn_tensor *b, nn_tensor *y, nn_tensor *mean,
                              nn_tensor *var, nn_tensor *rm, nn_tensor *rv) {
    (void)be;
    TIMED(layer_of_bn(p), OP_BN_FWD,
          wrapped.bn_forward_training(&wrapped, p, x, g, b, y, mean, var, rm, rv));
}
static mumloc_status p_bn_bwd(nn_backend *be, nn_bn_plan *p, const nn_tensor *x,
                              const nn_tensor *mean, const nn_tensor *var, const nn_tensor *g,
                              const nn_tensor *dy, nn_tensor *dx, nn_tensor *dg, nn_tensor *db) {
    (void)be;
    TIMED(layer_of_bn(p), OP_BN_BWD,
          wrapped.bn_backward(&wrapped, p, x, mean, var, g, dy, dx, dg, db));
}
static mumloc_status p_act_fwd(nn_backend *be, nn_activation a, const nn_tensor *x, nn_tensor *y) {
    (void)be;
    TIMED(layer_of_tensor(y), OP_ACT_FWD, wrapped.activation_forward(&wrapped, a, x, y));
}
static mumloc_status p_act_bwd(nn_backend *be, nn_activation a, const nn_tensor *y,
                               const nn_tensor *dy, nn_tensor *dx) {
    (void)be;
    TIMED(layer_of_tensor(y), OP_ACT_BWD, wrapped.activation_backward(&wrapped, a, y, dy, dx));
}
static mumloc_status p_loss_bce(nn_backend *be, const nn_tensor *p, const nn_tensor *t,
                                nn_tensor *dp, double *loss) {
    (void)be;
    TIMED(NN_MAX_LAYERS, OP_LOSS, wrapped.loss_bce(&wrapped, p, t, dp, loss));
}
static mumloc_status p_loss_reg(nn_backend *be, int planes, float ratio, const nn_tensor *o,
                                const nn_tensor *t, nn_tensor *d, double *loss) {
    (void)be;
    TIMED(NN_MAX_LAYERS, OP_LOSS, wrapped.loss_regression(&wrapped, planes, ratio, o, t, d, loss));
}
static mumloc_status p_adam(nn_backend *be, const nn_adam_hyper *h, int64_t step, nn_tensor *p,
                            const nn_tensor *g, nn_tensor *m, nn_tensor *v) {
    (void)be;
    TIMED(NN_MAX_LAYERS, OP_ADAM, wrapped.adam_step(&wrapped, h, step, p, g, m, v));
}
static mumloc_status p_copy(nn_backend *be, const nn_tensor *s, nn_tensor *d) {
    (void)be;
    TIMED(NN_MAX_LAYERS, OP_OTHER, wrapped.copy(&wrapped, s, d));
}

/* The backend with every training op timed (same impl: tensors and plans are shared). */
static nn_backend profiling_backend(const nn_backend *be) {
    wrapped = *be;
    nn_backend p = *be;
    p.conv_forward = p_conv_fwd;
    p.conv_backward_data = p_conv_bwd_d;
    p.conv_backward_weights = p_conv_bwd_w;
    p.bn_forward_training = p_bn_fwd;
    p.bn_backward = p_bn_bwd;
    p.activation_forward = p_act_fwd;
    p.activation_backward = p_act_bwd;
    p.loss_bce = p_loss_bce;
    p.loss_regression = p_loss_reg;
    p.adam_step = p_adam;
    p.copy = p_copy;
    return p;
}

static int one_training_step(nn_model *m, nn_tensor *x, nn_tensor *target) {
    static const nn_adam_hyper hp = {1e-3f, 0.9f, 0.999f, 1e-8f};
    const nn_tensor *y = NULL;
    double loss;
    if (nn_model_forward(m, x, NN_MODE_TRAIN, &y) != MUMLOC_OK) return fail("forward");
    if (nn_model_loss(m, target, &loss) != MUMLOC_OK) return fail("loss");
    if (nn_model_backward(m, x, NULL) != MUMLOC_OK) return fail("backward");
    if (nn_model_adam_step(m, &hp) != MUMLOC_OK) return fail("adam");
    return 0;
}

/* The FMA peak for the thread count in use: the loop's rate scales with cores. */
static double fma_peak(void) { return FMA_PEAK_GFLOPS * mumloc_get_threads() / 2.0; }

/* Best (minimum over steps) seconds of each op of each layer; row NN_MAX_LAYERS: loss, Adam, copies. */
static double best[NN_MAX_LAYERS + 1][OP_COUNT];

static void print_layer_rows(const nn_model *m, int size, int batch, double *total) {
    printf("%-24s", "layer");
    for (int o = 0; o < OP_COUNT; o++) printf(" %10s", op_names[o]);
    printf("\n");
    nn_shape s = {batch, m->cfg.planes, size, size};
    for (int l = 0; l <= m->layer_count; l++) {
        char name[64] = "loss, Adam, copies";
        int row = l < m->layer_count ? l : NN_MAX_LAYERS;
        if (l < m->layer_count) {
            const nn_layer *ly = &m->layers[l];
            snprintf(name, sizeof name, "%d %s %d→%d %dx%d @%d²", l + 1,
                     ly->transposed ? "tconv" : "conv", ly->in_c, ly->out_c, ly->kernel, ly->kernel,
                     s.h);
            s = nn_layer_output_shape(ly, s);
        }
        printf("%-26s", name);
        for (int o = 0; o < OP_COUNT; o++) {
            double t = best[row][o] >= 1e30 ? 0 : best[row][o];
            total[o] += t;
            if (t > 0) printf(" %10.2f", 1e3 * t);
            else printf(" %10s", "-");
        }
        printf("\n");
    }
}

/* Convolutions grouped by type (kernel size, transposed): GFLOP/s and share of the FMA peak of each
 * direction; backward-data is absent for the first layer (no input gradient is needed). */
static void print_layer_types(const nn_model *m, int size, int batch) {
    const int dirs[3] = {OP_CONV_FWD, OP_CONV_BWD_W, OP_CONV_BWD_D};
    printf("%-24s %22s %22s %22s  %s\n", "convolution type", "forward", "backward-weights",
           "backward-data", "oneDNN kernels (fwd / bwd-w / bwd-d)");
    int done[NN_MAX_LAYERS] = {0};
    for (int l = 0; l < m->layer_count; l++) {
        if (done[l]) continue;
        const nn_layer *ly = &m->layers[l];
        double flop[3] = {0}, time[3] = {0};
        nn_shape s = {batch, m->cfg.planes, size, size};
        for (int j = 0; j < m->layer_count; j++) {
            const nn_layer *lj = &m->layers[j];
            if (lj->kernel == ly->kernel && lj->transposed == ly->transposed) {
                done[j] = 1;
                double gflop = 2.0 * nn_layer_macs(lj, s.h, s.w) * batch / 1e9;
                for (int d = 0; d < 3; d++)
                    if (best[j][dirs[d]] < 1e30) {
                        flop[d] += gflop;
                        time[d] += best[j][dirs[d]];
                    }
            }
            s = nn_layer_output_shape(lj, s);
        }
        char name[48];
        snprintf(name, sizeof name, "%s %dx%d", ly->transposed ? "transposed conv" : "conv", ly->kernel,
                 ly->kernel);
        printf("%-24s", name);
        for (int d = 0; d < 3; d++) {
            char cell[48];
            snprintf(cell, sizeof cell, "%.0f GFLOP/s %3.0f%%", flop[d] / time[d],
                     100.0 * flop[d] / time[d] / fma_peak());
            printf(" %22s", time[d] > 0 ? cell : "-");
        }
        const nn_conv_plan *plan = ly->train_plan;
        printf("  %s / %s / %s\n", cpu_conv_plan_impl(plan, 0), cpu_conv_plan_impl(plan, 2),
               cpu_conv_plan_impl(plan, 1));
    }
}

/* Where a training step's time goes: every op of every layer, the minimum over steps of each (best
 * calls, as in the other tables), the share of each op kind, and each convolution type's rate against
 * the FMA peak for the threads in use. */
static int training_profile(nn_backend *real, nn_arch arch, int size, int batch) {
    nn_backend be = profiling_backend(real);
    nn_model_config cfg;
    nn_model_config_default(&cfg, arch);
    nn_model *m = NULL;
    if (nn_model_create(&be, &cfg, &m) != MUMLOC_OK) return fail("model");
    profiled = m;
    nn_tensor *x = NULL, *target = NULL;
    if (nn_model_input(m, batch, size, size, &x) != MUMLOC_OK) return fail("input");
    random_input(&be, x);
    nn_shape os = nn_model_output_shape(m, (nn_shape){batch, cfg.planes, size, size});
    if (be.tensor_create(&be, os, &target) != MUMLOC_OK) return fail("target");
    be.fill(&be, target, 0.0f);
    for (int l = 0; l <= NN_MAX_LAYERS; l++)
        for (int o = 0; o < OP_COUNT; o++) best[l][o] = 1e30;
    double best_step = 1e30, started = now();
    for (int r = 0; keep_going(r - 2, started); r++) {
        for (int l = 0; l <= NN_MAX_LAYERS; l++)
            for (int o = 0; o < OP_COUNT; o++) op_time[l][o] = 0;
        double t0 = now();
        if (one_training_step(m, x, target)) return 1;
        double dt = now() - t0;
        if (r < 2) continue;
        if (dt < best_step) best_step = dt;
        for (int l = 0; l <= NN_MAX_LAYERS; l++)
            for (int o = 0; o < OP_COUNT; o++)
                if (op_time[l][o] > 0 && op_time[l][o] < best[l][o]) best[l][o] = op_time[l][o];
    }
    printf("\ntraining profile: %s %d² batch %d, threads %d — best step %.2f ms (%.1f frames/s); "
           "ms per op, best call\n",
           arch == NN_ARCH_VOXEL ? "voxel" : "regression", size, batch, mumloc_get_threads(),
           1e3 * best_step, batch / best_step);
    double total[OP_COUNT] = {0}, sum = 0;
    print_layer_rows(m, size, batch, total);
    printf("%-26s", "total");
    for (int o = 0; o < OP_COUNT; o++) {
        printf(" %10.2f", 1e3 * total[o]);
        sum += total[o];
    }
    printf("\n%-26s", "share");
    for (int o = 0; o < OP_COUNT; o++) printf(" %9.1f%%", 100 * total[o] / sum);
    printf("\n");
    print_layer_types(m, size, batch);
    fflush(stdout);
    be.tensor_destroy(&be, target);
    nn_model_destroy(m);
    return 0;
}

static void print_load(const char *when) {
    FILE *f = fopen("/proc/loadavg", "r");
    char line[128] = "";
    if (f) {
        if (!fgets(line, sizeof line, f)) line[0] = 0;
        fclose(f);
    }
    printf("load average %s: %s", when, line[0] ? line : "unknown\n");
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    if (argc > 2) min_seconds = atof(argv[2]);
    if (mumloc_set_threads(threads) != MUMLOC_OK) return fail("threads");
    nn_backend *be = NULL;
    if (nn_backend_cpu_create(&be) != MUMLOC_OK) return fail("backend");
    print_load("before");
    int profile_only = argc > 3 && strcmp(argv[3], "--profile") == 0;
    int rc = profile_only ? 0 : inference_table(be);
    if (!rc && !profile_only) rc = layer_table(be);
    if (!rc && !profile_only) rc = training_table(be);
    if (!rc) rc = training_profile(be, NN_ARCH_REGRESSION, 64, 8);
    if (!rc) rc = training_profile(be, NN_ARCH_VOXEL, 16, 8);
    print_load("after");
    nn_backend_destroy(be);
    return rc;
}
