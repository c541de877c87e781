/* GPU vs CPU, layer by layer: convolution (3×3, 5×5, fused activations), transposed convolution,
 * batch norm (training, inference, backward, folding), activations, losses (BCE and the regression
 * loss with hard negatives, ties included), Adam. Each op runs on both backends from the same host
 * data; tolerances are stated per op (relative to the output's largest magnitude). Skips (exit 0)
 * without a CUDA device. */
#include <string.h>

#include "gpu_parity.h"

#define RTOL_CONV 1e-4 /* fp32 sums of up to a few thousand terms in different orders */
#define RTOL_BN 1e-4
#define RTOL_POINT 1e-6 /* the same kernels.h function on both sides */
#define RTOL_LOSS 1e-5

static nn_backend *gpu, *cpu;

/* Runs one convolution geometry on backend be: y, dx, dw, db from host x, w, b, dy. */
static void conv_run(nn_backend *be, const nn_conv_desc *d, const float *x, const float *w,
                     const float *b, const float *dy, float **y, float **dx, float **dw, float **db) {
    const int s = d->transposed ? 2 : 1;
    nn_shape xs = {d->n, d->in_c, d->h, d->w}, ys = {d->n, d->out_c, s * d->h, s * d->w};
    nn_shape ws = d->transposed ? (nn_shape){d->in_c, d->out_c, 3, 3}
                                : (nn_shape){d->out_c, d->in_c, d->kernel, d->kernel};
    nn_shape bs = {1, d->out_c, 1, 1};
    nn_conv_plan *plan = NULL;
    CHECK_OK(be->conv_plan_create(be, d, &plan));
    nn_tensor *tx = gpu_tensor(be, xs, x), *tw = gpu_tensor(be, ws, w), *tb = gpu_tensor(be, bs, b);
    nn_tensor *ty = gpu_tensor(be, ys, NULL), *tdy = gpu_tensor(be, ys, dy);
    nn_tensor *tdx = gpu_tensor(be, xs, NULL), *tdw = gpu_tensor(be, ws, NULL),
              *tdb = gpu_tensor(be, bs, NULL);
    CHECK_OK(be->conv_forward(be, plan, tx, tw, tb, ty));
    *y = gpu_host(be, ty);
    if (d->fused == NN_ACT_NONE) {
        CHECK_OK(be->conv_backward_data(be, plan, tdy, tw, tdx));
        CHECK_OK(be->conv_backward_weights(be, plan, tx, tdy, tdw, tdb));
    }
    *dx = gpu_host(be, tdx);
    *dw = gpu_host(be, tdw);
    *db = gpu_host(be, tdb);
    nn_tensor *all[] = {tx, tw, tb, ty, tdy, tdx, tdw, tdb};
    for (int i = 0; i < 8; i++) be->tensor_destroy(be, all[i]);
    be->conv_plan_destroy(be, plan);
}

static void conv_case(const char *name, nn_conv_desc d, uint64_t seed) {
    const int s = d.transposed ? 2 : 1;
    const int64_t xc = (int64_t)d.n * d.in_c * d.h * d.w, yc = (int64_t)d.n * d.out_c * s * d.h * s * d.w;
    const int64_t wc = (int64_t)d.in_c * d.out_c * d.kernel * d.kernel;
    float *x = malloc(xc * 4), *w = malloc(wc * 4), *b = malloc(d.out_c * 4), *dy = malloc(yc * 4);
    gpu_random(x, xc, seed, -1, 1);
    gpu_random(w, wc, seed + 1, -0.3f, 0.3f);
    gpu_random(b, d.out_c, seed + 2, -0.5f, 0.5f);
    gpu_random(dy, yc, seed + 3, -1, 1);
    float *r[2][4];
    conv_run(gpu, &d, x, w, b, dy, &r[0][0], &r[0][1], &r[0][2], &r[0][3]);
    conv_run(cpu, &d, x, w, b, dy, &r[1][0], &r[1][1], &r[1][2], &r[1][3]);
    char what[96];
    printf("%s\n", name);
    snprintf(what, sizeof what, "forward");
    gpu_compare(what, r[0][0], r[1][0], yc, RTOL_CONV, 0);
    if (d.fused == NN_ACT_NONE) {
        gpu_compare("backward data", r[0][1], r[1][1], xc, RTOL_CONV, 0);
        gpu_compare("backward weights", r[0][2], r[1][2], wc, RTOL_CONV, 0);
        gpu_compare("backward bias", r[0][3], r[1][3], d.out_c, RTOL_CONV, 0);
    }
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 4; j++) free(r[i][j]);
    free(x), free(w), free(b), free(dy);
}

static void test_conv(void) {
    conv_case("conv 3×3 4→8 at 12×10, batch 2", (nn_conv_desc){2, 4, 8, 12, 10, 3, 0, NN_ACT_NONE, NN_PRECISION_FP32, 0}, 10);
    conv_case("conv 5×5 3→16 at 9×11, batch 3", (nn_conv_desc){3, 3, 16, 9, 11, 5, 0, NN_ACT_NONE, NN_PRECISION_FP32, 0}, 20);
    conv_case("conv 3×3 16→8 + ReLU (inference)", (nn_conv_desc){1, 16, 8, 8, 8, 3, 0, NN_ACT_RELU, NN_PRECISION_FP32, 0}, 30);
    conv_case("conv 3×3 16→8 + sigmoid (inference)",
              (nn_conv_desc){2, 16, 8, 7, 9, 3, 0, NN_ACT_SIGMOID, NN_PRECISION_FP32, 0}, 40);
    conv_case("transposed 3×3/2 6→5 at 5×7, batch 2", (nn_conv_desc){2, 6, 5, 5, 7, 3, 1, NN_ACT_NONE, NN_PRECISION_FP32, 0}, 50);
    conv_case("transposed 3×3/2 64→32 at 8×8 + ReLU",
              (nn_conv_desc){1, 64, 32, 8, 8, 3, 1, NN_ACT_RELU, NN_PRECISION_FP32, 0}, 60);
}

/* Batch norm on backend be; outputs: y, mean, var, running mean, running var, dx, dγ, dβ, y_eval,
 * folded w (axis 0), folded b, folded w (axis 1), folded b. */
enum { BN_OUTS = 13 };
static void bn_run(nn_backend *be, nn_bn_desc d, const float *x, const float *g, const float *bt,
                   const float *rm, const float *rv, const float *dy, const float *w0,
                   const float *w1, const float *cb, float **out) {
    nn_shape xs = {d.n, d.c, d.h, d.w}, vs = {1, d.c, 1, 1};
    nn_shape w0s = {d.c, 3, 3, 3}, w1s = {3, d.c, 3, 3};
    nn_bn_plan *plan = NULL;
    CHECK_OK(be->bn_plan_create(be, &d, &plan));
    nn_tensor *tx = gpu_tensor(be, xs, x), *tg = gpu_tensor(be, vs, g), *tb = gpu_tensor(be, vs, bt);
    nn_tensor *ty = gpu_tensor(be, xs, NULL), *tm = gpu_tensor(be, vs, NULL),
              *tv = gpu_tensor(be, vs, NULL);
    nn_tensor *trm = gpu_tensor(be, vs, rm), *trv = gpu_tensor(be, vs, rv);
    nn_tensor *tdy = gpu_tensor(be, xs, dy), *tdg = gpu_tensor(be, vs, NULL),
              *tdb = gpu_tensor(be, vs, NULL), *te = gpu_tensor(be, xs, NULL);
    nn_tensor *tw0 = gpu_tensor(be, w0s, w0), *tw1 = gpu_tensor(be, w1s, w1), *tcb = gpu_tensor(be, vs, cb);
    nn_tensor *fw0 = gpu_tensor(be, w0s, NULL), *fw1 = gpu_tensor(be, w1s, NULL),
              *fb0 = gpu_tensor(be, vs, NULL), *fb1 = gpu_tensor(be, vs, NULL);
    CHECK_OK(be->bn_forward_training(be, plan, tx, tg, tb, ty, tm, tv, trm, trv));
    out[0] = gpu_host(be, ty), out[1] = gpu_host(be, tm), out[2] = gpu_host(be, tv);
    out[3] = gpu_host(be, trm), out[4] = gpu_host(be, trv);
    CHECK_OK(be->bn_backward(be, plan, tx, tm, tv, tg, tdy, tdy, tdg, tdb)); /* dx aliases dy */
    out[5] = gpu_host(be, tdy), out[6] = gpu_host(be, tdg), out[7] = gpu_host(be, tdb);
    CHECK_OK(be->bn_forward_inference(be, plan, tx, tg, tb, trm, trv, te));
    out[8] = gpu_host(be, te);
    CHECK_OK(be->bn_fold(be, tw0, tcb, tg, tb, trm, trv, d.eps, 0, fw0, fb0));
    CHECK_OK(be->bn_fold(be, tw1, tcb, tg, tb, trm, trv, d.eps, 1, fw1, fb1));
    out[9] = gpu_host(be, fw0), out[10] = gpu_host(be, fb0), out[11] = gpu_host(be, fw1),
    out[12] = gpu_host(be, fb1);
    nn_tensor *all[] = {tx, tg, tb, ty, tm, tv, trm, trv, tdy, tdg, tdb, te, tw0, tw1, tcb, fw0, fw1, fb0, fb1};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) be->tensor_destroy(be, all[i]);
    be->bn_plan_destroy(be, plan);
}

static void test_bn(void) {
    nn_bn_desc d = {3, 5, 6, 7, 1e-5f, 0.1f, NN_ACT_NONE};
    const int64_t xc = (int64_t)d.n * d.c * d.h * d.w, wc = (int64_t)d.c * 27;
    float *x = malloc(xc * 4), *dy = malloc(xc * 4), *w0 = malloc(wc * 4), *w1 = malloc(wc * 4);
    float g[5], bt[5], rm[5], rv[5], cb[5];
    gpu_random(x, xc, 70, -2, 3);
    gpu_random(dy, xc, 71, -1, 1);
    gpu_random(w0, wc, 72, -1, 1);
    gpu_random(w1, wc, 73, -1, 1);
    gpu_random(g, 5, 74, 0.5f, 1.5f);
    gpu_random(bt, 5, 75, -0.3f, 0.3f);
    gpu_random(rm, 5, 76, -0.2f, 0.2f);
    gpu_random(rv, 5, 77, 0.8f, 1.2f);
    gpu_random(cb, 5, 78, -0.5f, 0.5f);
    float *r[2][BN_OUTS];
    bn_run(gpu, d, x, g, bt, rm, rv, dy, w0, w1, cb, r[0]);
    bn_run(cpu, d, x, g, bt, rm, rv, dy, w0, w1, cb, r[1]);
    static const char *names[BN_OUTS] = {"forward (training)", "batch mean", "batch variance",
                                         "running mean", "running variance", "backward dx",
                                         "backward dgamma", "backward dbeta", "forward (eval)",
                                         "fold weights (axis 0)", "fold bias (axis 0)",
                                         "fold weights (axis 1)", "fold bias (axis 1)"};
    const int64_t counts[BN_OUTS] = {xc, 5, 5, 5, 5, xc, 5, 5, xc, wc, 5, wc, 5};
    printf("batch norm 3×5×6×7\n");
    for (int i = 0; i < BN_OUTS; i++) gpu_compare(names[i], r[0][i], r[1][i], counts[i], RTOL_BN, 0);
    for (int i = 0; i < BN_OUTS; i++) free(r[0][i]), free(r[1][i]);
    free(x), free(dy), free(w0), free(w1);
}

/* Activations, Adam and the losses on one backend. */
enum { PW_OUTS = 10 };
static void pointwise_run(nn_backend *be, nn_shape s, const float *x, const float *dy,
                          const float *p, const float *t, nn_shape rs, const float *ro,
                          const float *rt, float **out, double *losses) {
    nn_tensor *tx = gpu_tensor(be, s, x), *ty = gpu_tensor(be, s, NULL), *tdy = gpu_tensor(be, s, dy);
    nn_tensor *tdx = gpu_tensor(be, s, NULL);
    CHECK_OK(be->activation_forward(be, NN_ACT_RELU, tx, ty));
    CHECK_OK(be->activation_backward(be, NN_ACT_RELU, ty, tdy, tdx));
    out[0] = gpu_host(be, ty), out[1] = gpu_host(be, tdx);
    CHECK_OK(be->activation_forward(be, NN_ACT_SIGMOID, tx, ty));
    CHECK_OK(be->activation_backward(be, NN_ACT_SIGMOID, ty, tdy, tdx));
    out[2] = gpu_host(be, ty), out[3] = gpu_host(be, tdx);
    /* Adam: three steps with the same gradient, moments from zero. */
    nn_tensor *m = gpu_tensor(be, s, NULL), *v = gpu_tensor(be, s, NULL);
    nn_adam_hyper hp = {1e-3f, 0.9f, 0.999f, 1e-8f};
    for (int step = 1; step <= 3; step++) CHECK_OK(be->adam_step(be, &hp, step, tx, tdy, m, v));
    out[4] = gpu_host(be, tx), out[5] = gpu_host(be, m), out[6] = gpu_host(be, v);
    /* BCE */
    nn_tensor *tp = gpu_tensor(be, s, p), *tt = gpu_tensor(be, s, t), *tg = gpu_tensor(be, s, NULL);
    CHECK_OK(be->loss_bce(be, tp, tt, tg, &losses[0]));
    out[7] = gpu_host(be, tg);
    /* Regression loss with hard negatives. */
    nn_tensor *to = gpu_tensor(be, rs, ro), *trt = gpu_tensor(be, rs, rt), *tro = gpu_tensor(be, rs, NULL);
    CHECK_OK(be->loss_regression(be, rs.c / 4, 3.0f, to, trt, tro, &losses[1]));
    out[8] = gpu_host(be, tro);
    CHECK_OK(be->loss_regression(be, rs.c / 4, 1000.0f, to, trt, tro, &losses[2])); /* all negatives */
    out[9] = gpu_host(be, tro);
    nn_tensor *all[] = {tx, ty, tdy, tdx, m, v, tp, tt, tg, to, trt, tro};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) be->tensor_destroy(be, all[i]);
}

static void test_pointwise_and_losses(void) {
    nn_shape s = {2, 3, 9, 11};
    const int64_t c = nn_shape_count(s);
    float *x = malloc(c * 4), *dy = malloc(c * 4), *p = malloc(c * 4), *t = malloc(c * 4);
    gpu_random(x, c, 80, -4, 4);
    x[0] = 0.0f; /* ReLU's kink */
    gpu_random(dy, c, 81, -1, 1);
    gpu_random(p, c, 82, 0, 1);
    p[1] = 0.0f, p[2] = 1.0f; /* saturated probabilities: floored logs */
    gpu_random(t, c, 83, 0, 1);
    for (int64_t i = 0; i < c; i += 3) t[i] = t[i] > 0.5f ? 1.0f : 0.0f;
    /* Regression outputs: 2 planes (8 channels), 3 frames of 10×12; frame 2 has no positives; many
     * negatives share a probability so the tie order (by position) decides which are chosen. */
    nn_shape rs = {3, 8, 10, 12};
    const int64_t rc = nn_shape_count(rs), hw = 120;
    float *ro = malloc(rc * 4), *rt = malloc(rc * 4);
    gpu_random(ro, rc, 84, 0, 1);
    gpu_random(rt, rc, 85, -0.5f, 0.5f);
    for (int b = 0; b < 3; b++)
        for (int ch = 0; ch < 2; ch++)
            for (int64_t px = 0; px < hw; px++) {
                int64_t i = (b * 8 + ch) * hw + px;
                rt[i] = (b != 2 && (px * 7 + ch * 3 + b) % 17 == 0) ? 1.0f : 0.0f;
                if (px % 5 == 0) ro[i] = 0.75f; /* ties */
            }
    float *r[2][PW_OUTS];
    double loss[2][3];
    pointwise_run(gpu, s, x, dy, p, t, rs, ro, rt, r[0], loss[0]);
    pointwise_run(cpu, s, x, dy, p, t, rs, ro, rt, r[1], loss[1]);
    static const char *names[PW_OUTS] = {"ReLU forward",  "ReLU backward", "sigmoid forward",
                                         "sigmoid backward", "Adam parameters", "Adam m",
                                         "Adam v",        "BCE gradient", "regression gradient (ratio 3)",
                                         "regression gradient (all negatives)"};
    const int64_t counts[PW_OUTS] = {c, c, c, c, c, c, c, c, rc, rc};
    printf("activations, Adam, losses\n");
    for (int i = 0; i < PW_OUTS; i++)
        gpu_compare(names[i], r[0][i], r[1][i], counts[i], i >= 7 ? RTOL_LOSS : RTOL_POINT, 0);
    for (int i = 0; i < 3; i++) {
        float g = (float)loss[0][i], h = (float)loss[1][i];
        gpu_compare(i == 0 ? "BCE loss value" : i == 1 ? "regression loss value (ratio 3)"
                                                       : "regression loss value (all)",
                    &g, &h, 1, RTOL_LOSS, 0);
    }
    for (int i = 0; i < PW_OUTS; i++) free(r[0][i]), free(r[1][i]);
    free(x), free(dy), free(p), free(t), free(ro), free(rt);
}

int main(void) {
    mumloc_set_threads(1);
    gpu = gpu_backend_or_skip("test_gpu_parity_layers");
    if (!gpu) return CHECK_DONE("test_gpu_parity_layers");
    CHECK_OK(nn_backend_cpu_create(&cpu));
    if (cpu) {
        test_conv();
        test_bn();
        test_pointwise_and_losses();
    }
    nn_backend_destroy(cpu);
    nn_backend_destroy(gpu);
    return CHECK_DONE("test_gpu_parity_layers");
}
