/*
 * Element-wise kernels of the engine, written once (HD): the CPU backend calls them from
 * OpenMP loops and a CUDA backend from thin kernels, so the GPU runs the logic the CPU tests check.
 */
#ifndef NN_KERNELS_H
#define NN_KERNELS_H

#include <math.h>

#include "core/hd.h"

/* --- activations: derivatives are written in terms of the output y ------------------------------ */
HD float nn_relu(float x) { return x > 0.0f ? x : 0.0f; }
HD float nn_relu_backward(float y, float dy) { return y > 0.0f ? dy : 0.0f; }

HD float nn_sigmoid(float x) {
    /* 1 / (1 + e^−x) for x ≥ 0 and e^x / (1 + e^x) below, so exp never overflows; written as selects
     * (e = e^−|x|) rather than branches, which mispredict on outputs of either sign. */
    float e = expf(-fabsf(x));
    float num = x >= 0.0f ? 1.0f : e;
    return num / (1.0f + e);
}
HD float nn_sigmoid_backward(float y, float dy) { return dy * y * (1.0f - y); }

/* --- binary cross-entropy on probabilities ------------------------------------------------------- */
/* Logs are floored at −100, as PyTorch's BCELoss does, so p = 0 or 1 gives a finite loss. */
#define NN_BCE_LOG_FLOOR (-100.0f)
/* Gradients use p clamped away from 0 and 1 so a saturated output gives a large finite slope. */
#define NN_BCE_P_EPS 1e-12f

HD float nn_bce(float p, float t) {
    /* Each log only where its weight is non-zero: targets are mostly exactly 0 or 1, and the log is
     * the loss's whole cost. */
    float loss = 0.0f;
    if (t != 0.0f) {
        float lp = p > 0.0f ? logf(p) : NN_BCE_LOG_FLOOR;
        loss -= t * (lp < NN_BCE_LOG_FLOOR ? NN_BCE_LOG_FLOOR : lp);
    }
    if (t != 1.0f) {
        float lq = p < 1.0f ? logf(1.0f - p) : NN_BCE_LOG_FLOOR;
        loss -= (1.0f - t) * (lq < NN_BCE_LOG_FLOOR ? NN_BCE_LOG_FLOOR : lq);
    }
    return loss;
}
HD float nn_bce_grad(float p, float t) {
    float q = p * (1.0f - p);
    if (q < NN_BCE_P_EPS) q = NN_BCE_P_EPS;
    return (p - t) / q;
}

/* --- L1 ------------------------------------------------------------------------------------------- */
HD float nn_l1(float a, float b) { return fabsf(a - b); }
/* Subgradient 0 at a == b. */
HD float nn_l1_grad(float a, float b) { return a > b ? 1.0f : (a < b ? -1.0f : 0.0f); }

/* --- Adam ------------------------------------------------------------------------------------------ */
/* One element: moments updated in place, returns the new parameter. c1 = 1 − β1^t, c2 = 1 − β2^t. */
HD float nn_adam_update(float param, float grad, float *m, float *v, float lr, float beta1,
                               float beta2, float eps, float c1, float c2) {
    float mm = beta1 * *m + (1.0f - beta1) * grad;
    float vv = beta2 * *v + (1.0f - beta2) * grad * grad;
    *m = mm;
    *v = vv;
    return param - lr * (mm / c1) / (sqrtf(vv / c2) + eps);
}

/* --- batch-norm statistics --------------------------------------------------------------------- */
/* Running average update; `count` values went into the batch variance (biased), and the running
 * variance receives the unbiased one (count / (count − 1)), as PyTorch does. */
HD float nn_bn_running_mean(float running, float batch_mean, float momentum) {
    return (1.0f - momentum) * running + momentum * batch_mean;
}
HD float nn_bn_running_var(float running, float batch_var, float count, float momentum) {
    float unbiased = count > 1.0f ? batch_var * count / (count - 1.0f) : batch_var;
    return (1.0f - momentum) * running + momentum * unbiased;
}
/* Folding eval-mode BN into a convolution: w' = w·s, b' = (b − μ)·s + β with s = γ / sqrt(σ² + eps). */
HD float nn_bn_fold_scale(float gamma, float running_var, float eps) {
    return gamma / sqrtf(running_var + eps);
}
HD float nn_bn_fold_bias(float bias, float beta, float running_mean, float scale) {
    return (bias - running_mean) * scale + beta;
}

/* --- transposed convolution as four phase convolutions + depth-to-space ------------------------ */
/* A stride-2, 3×3, pad-1, output-pad-1 transposed convolution writes output row 2p + a (a ∈ {0,1})
 * from input rows p (+ d, d ∈ {0,1}) through kernel row nn_tconv_tap(a, d); −1 means no tap. From
 * oy = 2·iy − 1 + ky: a = 0 takes only iy = p with ky = 1; a = 1 takes iy = p (ky = 2) and iy = p + 1
 * (ky = 0). The same holds for columns. */
HD int nn_tconv_tap(int a, int d) {
    if (a == 0) return d == 0 ? 1 : -1;
    return d == 0 ? 2 : 0;
}

#endif
