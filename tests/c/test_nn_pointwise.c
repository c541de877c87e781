/* Element-wise kernels (nn/kernels.h) against closed forms and finite differences, the backend's
 * activation ops against the same, and Adam: its first step in closed form, and a few steps that
 * reduce a simple loss. */
#include <stdlib.h>

#include "backend/backend.h"
#include "check.h"
#include "backend/kernels.h"
#include "nn/reference.h"

static nn_backend *be;

static double sigmoid_d(double x) { return 1.0 / (1.0 + exp(-x)); }

static void kernels(void) {
    /* sigmoid: closed form, no overflow at the extremes */
    for (double x = -30; x <= 30; x += 0.37) CHECK_NEAR(nn_sigmoid((float)x), sigmoid_d(x), 1e-7);
    CHECK(nn_sigmoid(-1000.0f) == 0.0f);
    CHECK(nn_sigmoid(1000.0f) == 1.0f);
    /* BCE: closed form and derivative by central differences (double) */
    for (double p = 0.01; p < 1.0; p += 0.07)
        for (int t = 0; t <= 1; t++) {
            double exact = -(t * log(p) + (1 - t) * log(1 - p));
            CHECK_NEAR(nn_bce((float)p, (float)t), exact, 1e-5 * (1 + exact));
            double h = 1e-6;
            double fd = (-(t * log(p + h) + (1 - t) * log(1 - p - h)) +
                         (t * log(p - h) + (1 - t) * log(1 - p + h))) / (2 * h);
            CHECK_NEAR(nn_bce_grad((float)p, (float)t), fd, 1e-3 * (1 + fabs(fd)));
        }
    CHECK_NEAR(nn_bce(0.0f, 1.0f), 100.0, 1e-6); /* floored log, as PyTorch */
    CHECK_NEAR(nn_bce(1.0f, 0.0f), 100.0, 1e-6);
    CHECK(isfinite(nn_bce_grad(1.0f, 0.0f)) && nn_bce_grad(1.0f, 0.0f) > 0);
    /* L1 */
    CHECK_NEAR(nn_l1(0.25f, 0.75f), 0.5, 1e-7);
    CHECK(nn_l1_grad(0.25f, 0.75f) == -1.0f && nn_l1_grad(0.8f, 0.75f) == 1.0f);
    /* BN running statistics and folding helpers */
    CHECK_NEAR(nn_bn_running_mean(2.0f, 4.0f, 0.1f), 2.2, 1e-6);
    CHECK_NEAR(nn_bn_running_var(1.0f, 2.0f, 5.0f, 0.1f), 0.9 + 0.1 * 2.0 * 5 / 4, 1e-6);
    CHECK_NEAR(nn_bn_fold_scale(2.0f, 3.0f, 1.0f), 1.0, 1e-7);
    CHECK_NEAR(nn_bn_fold_bias(1.0f, 0.5f, 3.0f, 2.0f), (1.0 - 3.0) * 2.0 + 0.5, 1e-7);
    /* transposed-conv taps: every kernel row is used by exactly one (phase, offset) */
    int used[3] = {0, 0, 0};
    for (int a = 0; a < 2; a++)
        for (int d = 0; d < 2; d++)
            if (nn_tconv_tap(a, d) >= 0) used[nn_tconv_tap(a, d)]++;
    CHECK(used[0] == 1 && used[1] == 1 && used[2] == 1);
}

static void activations(void) {
    enum { COUNT = 2 * 3 * 4 * 5 };
    nn_shape s = {2, 3, 4, 5};
    double xv[COUNT], dv[COUNT];
    float xf[COUNT], df[COUNT], yf[COUNT], gf[COUNT];
    nn_ref_random(xv, COUNT, 31, -4, 4);
    nn_ref_random(dv, COUNT, 32, -1, 1);
    for (int i = 0; i < COUNT; i++) {
        if (fabs(xv[i]) < 1e-3) xv[i] = 0.5; /* keep ReLU's kink out of the differences */
        xf[i] = (float)xv[i];
        df[i] = (float)dv[i];
    }
    nn_tensor *x = NULL, *y = NULL, *dy = NULL, *dx = NULL;
    CHECK_OK(be->tensor_create(be, s, &x));
    CHECK_OK(be->tensor_create(be, s, &y));
    CHECK_OK(be->tensor_create(be, s, &dy));
    CHECK_OK(be->tensor_create(be, s, &dx));
    CHECK_OK(be->upload(be, x, xf));
    CHECK_OK(be->upload(be, dy, df));
    for (int act = NN_ACT_RELU; act <= NN_ACT_SIGMOID; act++) {
        CHECK_OK(be->activation_forward(be, (nn_activation)act, x, y));
        CHECK_OK(be->activation_backward(be, (nn_activation)act, y, dy, dx));
        CHECK_OK(be->download(be, y, yf));
        CHECK_OK(be->download(be, dx, gf));
        for (int i = 0; i < COUNT; i++) {
            double f = act == NN_ACT_RELU ? (xv[i] > 0 ? xv[i] : 0) : sigmoid_d(xv[i]);
            CHECK_NEAR(yf[i], f, 1e-6);
            double h = 1e-5, up, down;
            if (act == NN_ACT_RELU) {
                up = xv[i] + h > 0 ? xv[i] + h : 0;
                down = xv[i] - h > 0 ? xv[i] - h : 0;
            } else {
                up = sigmoid_d(xv[i] + h);
                down = sigmoid_d(xv[i] - h);
            }
            CHECK_NEAR(gf[i], dv[i] * (up - down) / (2 * h), 1e-5);
        }
    }
    /* in place */
    CHECK_OK(be->activation_forward(be, NN_ACT_SIGMOID, x, x));
    CHECK_OK(be->download(be, x, yf));
    CHECK_NEAR(yf[7], sigmoid_d(xv[7]), 1e-6);
    be->tensor_destroy(be, x);
    be->tensor_destroy(be, y);
    be->tensor_destroy(be, dy);
    be->tensor_destroy(be, dx);
}

static void adam(void) {
    nn_shape s = {1, 8, 1, 1};
    float p0[8] = {1, -2, 3, 0.5f, -0.25f, 4, -3, 2}, target[8] = {0, 1, 2, 3, -1, -2, 0.5f, 1};
    float pv[8], g[8];
    nn_tensor *p = NULL, *grad = NULL, *m = NULL, *v = NULL;
    CHECK_OK(be->tensor_create(be, s, &p));
    CHECK_OK(be->tensor_create(be, s, &grad));
    CHECK_OK(be->tensor_create(be, s, &m));
    CHECK_OK(be->tensor_create(be, s, &v));
    CHECK_OK(be->upload(be, p, p0));
    nn_adam_hyper hp = {0.05f, 0.9f, 0.999f, 1e-8f};
    double first_loss = 0, last_loss = 0;
    for (int step = 1; step <= 200; step++) {
        CHECK_OK(be->download(be, p, pv));
        double loss = 0;
        for (int i = 0; i < 8; i++) {
            loss += 0.5 * (pv[i] - target[i]) * (pv[i] - target[i]);
            g[i] = pv[i] - target[i];
        }
        if (step == 1) first_loss = loss;
        last_loss = loss;
        CHECK_OK(be->upload(be, grad, g));
        CHECK_OK(be->adam_step(be, &hp, step, p, grad, m, v));
        if (step == 1) {
            /* bias-corrected first step: p − lr·g / (|g| + eps) */
            float q[8];
            CHECK_OK(be->download(be, p, q));
            for (int i = 0; i < 8; i++)
                CHECK_NEAR(q[i], p0[i] - 0.05 * g[i] / (fabs(g[i]) + 1e-8), 1e-6);
        }
    }
    CHECK(last_loss < 0.01 * first_loss);
    CHECK_STATUS(be->adam_step(be, &hp, 0, p, grad, m, v), MUMLOC_ERR_INVALID_ARGUMENT);
    be->tensor_destroy(be, p);
    be->tensor_destroy(be, grad);
    be->tensor_destroy(be, m);
    be->tensor_destroy(be, v);
}

int main(void) {
    CHECK_OK(nn_backend_cpu_create(&be));
    if (!be) return 1;
    kernels();
    activations();
    adam();
    nn_backend_destroy(be);
    return CHECK_DONE("test_nn_pointwise");
}
