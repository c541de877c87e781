/* bf16 inference convolutions on the CPU backend against the double-precision reference, within the
 * closed-form bound of bfloat16 arithmetic. With unit roundoff u = 2^-9 (8 significant bits, round
 * to nearest) each input and weight carries a relative error ≤ u, so each product x̂·ŵ is within
 * (2u + u²)|x||w| of x·w, and is exact in fp32 (8 + 8 bits); summing K + 1 terms in fp32 adds at most
 * γ_K = K·2^-24 / (1 − K·2^-24) of Σ|x̂||ŵ|; ReLU and sigmoid are 1-Lipschitz; a bf16-stored output
 * is rounded once more (u·|ŷ|). So per output element
 *     |ŷ − y| ≤ (2u + u²)·S + γ_K·(1 + 2u + u²)·S + u·|ŷ|,   S = Σ |x||w|,
 * computed here with the reference on |x| and |w|. The layers chain as in the regression network
 * (an fp32 input converted, bf16 between layers, an fp32 sigmoid head) and the voxel network's
 * transposed convolution; a bf16 plan refuses backward passes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/cpu/cpu_backend.h"
#include "check.h"
#include "core/error.h"
#include "nn/reference.h"

static nn_backend *be;
static const double U = 1.0 / 512.0; /* 2^-9 */

static nn_tensor *make(nn_shape s, const double *values) {
    nn_tensor *t = NULL;
    CHECK_OK(be->tensor_create(be, s, &t));
    if (values) {
        long count = (long)nn_shape_count(s);
        float *f = malloc(count * sizeof *f);
        for (long i = 0; i < count; i++) f[i] = (float)values[i];
        CHECK_OK(be->upload(be, t, f));
        free(f);
    }
    return t;
}

static double *fetch(const nn_tensor *t) {
    long count = (long)nn_shape_count(be->tensor_shape(t));
    float *f = malloc(count * sizeof *f);
    double *d = malloc(count * sizeof *d);
    CHECK_OK(be->download(be, t, f));
    for (long i = 0; i < count; i++) d[i] = f[i];
    free(f);
    return d;
}

static double activate(nn_activation act, double v) {
    return act == NN_ACT_RELU ? (v > 0 ? v : 0) : 1.0 / (1.0 + exp(-v));
}

typedef struct layer_case {
    int ci, co, k, transposed;
    nn_activation act;
    int output_fp32;
} layer_case;

/* Runs one bf16 layer on x (a backend tensor, fp32 or bf16) and checks every output element against
 * the bound; returns the output tensor (the next layer's input). */
static nn_tensor *check_layer(const layer_case *c, int n, int h, int w, nn_tensor *x, unsigned seed) {
    const int f = c->transposed ? 2 : 1, k = c->transposed ? 3 : c->k;
    nn_shape xs = {n, c->ci, h, w}, ys = {n, c->co, h * f, w * f}, bs = {1, c->co, 1, 1};
    nn_shape ws = c->transposed ? (nn_shape){c->ci, c->co, 3, 3} : (nn_shape){c->co, c->ci, k, k};
    long xc = (long)nn_shape_count(xs), yc = (long)nn_shape_count(ys), wc = (long)nn_shape_count(ws);
    double *wt = malloc(wc * sizeof *wt), *b = malloc(c->co * sizeof *b);
    double bound_w = 1.0 / sqrt((double)c->ci * k * k);
    nn_ref_random(wt, wc, seed, -bound_w, bound_w);
    nn_ref_random(b, c->co, seed + 1, -0.1, 0.1);
    nn_tensor *tw = make(ws, wt), *tb = make(bs, b), *ty = make(ys, NULL);
    nn_conv_desc d = {n, c->ci, c->co, h, w, k, c->transposed, c->act, NN_PRECISION_BF16,
                      c->output_fp32};
    nn_conv_plan *plan = NULL;
    CHECK_OK(be->conv_plan_create(be, &d, &plan));
    if (!plan) return NULL;
    CHECK_OK(be->conv_forward(be, plan, x, tw, tb, ty));
    const int stored_bf16 = ty->bf16;
    CHECK(stored_bf16 == (!c->output_fp32 && !c->transposed));
    /* the exact input values (a bf16 input downloads exactly), and |x|, |w| for S */
    double *xv = fetch(x), *y = fetch(ty);
    double *ax = malloc(xc * sizeof *ax), *aw = malloc(wc * sizeof *aw), *zero = calloc(c->co, sizeof *zero);
    double *ref = malloc(yc * sizeof *ref), *s = malloc(yc * sizeof *s);
    for (long i = 0; i < xc; i++) ax[i] = fabs(xv[i]);
    for (long i = 0; i < wc; i++) aw[i] = fabs(wt[i]);
    if (c->transposed) {
        nn_ref_tconv(xv, n, c->ci, h, w, wt, zero, c->co, ref);
        nn_ref_tconv(ax, n, c->ci, h, w, aw, zero, c->co, s);
    } else {
        nn_ref_conv(xv, n, c->ci, h, w, wt, zero, c->co, k, ref);
        nn_ref_conv(ax, n, c->ci, h, w, aw, zero, c->co, k, s);
    }
    const double terms = (double)c->ci * k * k + 1;
    const double gamma = terms * 0x1p-24 / (1 - terms * 0x1p-24);
    const long plane = (long)ys.h * ys.w;
    long worst_at = -1;
    double worst = 0, mean_err = 0;
    for (long i = 0; i < yc; i++) {
        const int o = (int)((i / plane) % c->co);
        const double exact = activate(c->act, ref[i] + b[o]);
        const double bound = (2 * U + U * U) * s[i] + gamma * (1 + 2 * U + U * U) * s[i] +
                             (stored_bf16 ? U * fabs(y[i]) : 0) + 1e-30;
        const double err = fabs(y[i] - exact);
        mean_err += err / yc;
        if (err / bound > worst) {
            worst = err / bound;
            worst_at = i;
        }
    }
    printf("bf16 %d->%d k%d%s %s%s: worst error %.3f of its bound, mean error %.2e\n", c->ci,
           c->co, k, c->transposed ? " transposed" : "", c->act == NN_ACT_RELU ? "relu" : "sigmoid",
           stored_bf16 ? ", bf16 output" : ", fp32 output", worst, mean_err);
    CHECK(worst <= 1.0);
    if (worst > 1.0) fprintf(stderr, "  at element %ld: %.9g\n", worst_at, y[worst_at]);
    /* a bf16 plan is for inference only */
    nn_tensor *tdx = make(xs, NULL);
    CHECK_STATUS(be->conv_backward_data(be, plan, ty, tw, tdx), MUMLOC_ERR_INVALID_ARGUMENT);
    be->tensor_destroy(be, tdx);
    be->conv_plan_destroy(be, plan);
    be->tensor_destroy(be, tw);
    be->tensor_destroy(be, tb);
    free(wt); free(b); free(xv); free(y); free(ax); free(aw); free(zero); free(ref); free(s);
    return ty;
}

int main(void) {
    CHECK_OK(nn_backend_cpu_create(&be));
    if (!be) return 1;
    mumloc_status have = be->precision_check(be, NN_PRECISION_BF16);
    if (have != MUMLOC_OK) {
        /* the refusal names what is missing, and no plan is made */
        CHECK_STATUS(have, MUMLOC_ERR_UNSUPPORTED);
        CHECK(strstr(mumloc_last_error(), "AVX512_BF16") != NULL);
        nn_conv_desc d = {1, 4, 16, 8, 8, 3, 0, NN_ACT_RELU, NN_PRECISION_BF16, 0};
        nn_conv_plan *plan = NULL;
        CHECK_STATUS(be->conv_plan_create(be, &d, &plan), MUMLOC_ERR_UNSUPPORTED);
        CHECK(plan == NULL);
        printf("bf16 not available here (%s): the refusal was checked, the arithmetic skipped\n",
               mumloc_last_error());
        nn_backend_destroy(be);
        return check_failures ? 1 : 0;
    }
    /* a bf16 plan needs a fused activation (inference) */
    nn_conv_desc train = {1, 4, 16, 8, 8, 3, 0, NN_ACT_NONE, NN_PRECISION_BF16, 0};
    nn_conv_plan *none = NULL;
    CHECK_STATUS(be->conv_plan_create(be, &train, &none), MUMLOC_ERR_INVALID_ARGUMENT);

    const int n = 2, h = 13, w = 11;
    nn_shape xs = {n, 4, h, w};
    long xc = (long)nn_shape_count(xs);
    double *x = malloc(xc * sizeof *x);
    nn_ref_random(x, xc, 7, -1.0, 3.0);
    nn_tensor *input = make(xs, x);
    /* the regression network's layer kinds, chained: fp32 in, bf16 between, fp32 sigmoid head */
    const layer_case chain[] = {{4, 16, 5, 0, NN_ACT_RELU, 0},
                                {16, 32, 5, 0, NN_ACT_RELU, 0},
                                {32, 64, 3, 0, NN_ACT_RELU, 0},
                                {64, 16, 3, 0, NN_ACT_RELU, 0},
                                {16, 16, 3, 0, NN_ACT_SIGMOID, 1}};
    nn_tensor *cur = input;
    for (int i = 0; i < 5 && cur; i++) {
        nn_tensor *next = check_layer(&chain[i], n, h, w, cur, 100 + 10 * i);
        if (cur != input) be->tensor_destroy(be, cur);
        cur = next;
    }
    be->tensor_destroy(be, cur);
    /* the voxel network's transposed convolution, on a bf16 input */
    const layer_case first = {4, 64, 5, 0, NN_ACT_RELU, 0}, up = {64, 32, 3, 1, NN_ACT_RELU, 0};
    nn_tensor *small = make((nn_shape){1, 4, 6, 5}, x);
    nn_tensor *mid = check_layer(&first, 1, 6, 5, small, 300);
    if (mid) be->tensor_destroy(be, check_layer(&up, 1, 6, 5, mid, 310));
    be->tensor_destroy(be, mid);
    be->tensor_destroy(be, small);
    be->tensor_destroy(be, input);
    free(x);
    nn_backend_destroy(be);
    return check_failures ? 1 : 0;
}
