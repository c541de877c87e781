// Element-wise ops: thin grid-stride kernels around the single-source functions of nn/kernels.h.
#include <math.h>

#include "backend/cuda/cuda_backend.h"
#include "backend/kernels.h"

#define GRID_STRIDE(i, count)                                                                      \
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < (count);                  \
         i += (int64_t)gridDim.x * blockDim.x)

static __global__ void act_forward_kernel(int act, const float *x, float *y, int64_t count) {
    GRID_STRIDE(i, count) {
        float v = x[i];
        y[i] = act == NN_ACT_RELU ? nn_relu(v) : act == NN_ACT_SIGMOID ? nn_sigmoid(v) : v;
    }
}

static __global__ void act_backward_kernel(int act, const float *y, const float *dy, float *dx,
                                           int64_t count) {
    GRID_STRIDE(i, count) {
        float g = dy[i];
        dx[i] = act == NN_ACT_RELU      ? nn_relu_backward(y[i], g)
                : act == NN_ACT_SIGMOID ? nn_sigmoid_backward(y[i], g)
                                        : g;
    }
}

static mumloc_status check_act(nn_activation act) {
    if (act != NN_ACT_NONE && act != NN_ACT_RELU && act != NN_ACT_SIGMOID)
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT, "unknown activation %d", (int)act);
    return MUMLOC_OK;
}

mumloc_status cuda_activation_inplace(cuda_backend *cb, nn_activation act, float *data,
                                      int64_t count) {
    CU_TRY(check_act(act));
    act_forward_kernel<<<cuda_blocks(count), CUDA_THREADS, 0, cb->stream>>>((int)act, data, data,
                                                                             count);
    CUDA_LAUNCHED("activation");
    return MUMLOC_OK;
}

mumloc_status cuda_activation_forward(nn_backend *be, nn_activation act, const nn_tensor *x,
                                      nn_tensor *y) {
    CU_TRY(cuda_same_shape(x, y, "activation"));
    CU_TRY(check_act(act));
    const int64_t count = nn_shape_count(x->shape);
    act_forward_kernel<<<cuda_blocks(count), CUDA_THREADS, 0, cuda_of(be)->stream>>>(
        (int)act, x->data, y->data, count);
    CUDA_LAUNCHED("activation forward");
    return MUMLOC_OK;
}

mumloc_status cuda_activation_backward(nn_backend *be, nn_activation act, const nn_tensor *y,
                                       const nn_tensor *dy, nn_tensor *dx) {
    CU_TRY(cuda_same_shape(y, dy, "activation backward"));
    CU_TRY(cuda_same_shape(y, dx, "activation backward"));
    CU_TRY(check_act(act));
    const int64_t count = nn_shape_count(y->shape);
    act_backward_kernel<<<cuda_blocks(count), CUDA_THREADS, 0, cuda_of(be)->stream>>>(
        (int)act, y->data, dy->data, dx->data, count);
    CUDA_LAUNCHED("activation backward");
    return MUMLOC_OK;
}

static __global__ void adam_kernel(float *p, const float *g, float *m, float *v, int64_t count,
                                   float lr, float b1, float b2, float eps, float c1, float c2) {
    GRID_STRIDE(i, count) p[i] = nn_adam_update(p[i], g[i], &m[i], &v[i], lr, b1, b2, eps, c1, c2);
}

mumloc_status cuda_adam_step(nn_backend *be, const nn_adam_hyper *hp, int64_t step,
                             nn_tensor *param, const nn_tensor *grad, nn_tensor *m, nn_tensor *v) {
    if (step < 1)
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT, "Adam steps count from 1, got %lld",
                       (long long)step);
    if (!(hp->lr > 0.0f) || !(hp->beta1 >= 0.0f && hp->beta1 < 1.0f) ||
        !(hp->beta2 >= 0.0f && hp->beta2 < 1.0f) || !(hp->eps > 0.0f))
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT, "Adam needs lr > 0, betas in [0, 1) and eps > 0");
    CU_TRY(cuda_same_shape(param, grad, "Adam"));
    CU_TRY(cuda_same_shape(param, m, "Adam"));
    CU_TRY(cuda_same_shape(param, v, "Adam"));
    // Bias corrections on the host in double, exactly as the CPU backend computes them.
    const float c1 = (float)(1.0 - pow(hp->beta1, (double)step));
    const float c2 = (float)(1.0 - pow(hp->beta2, (double)step));
    const int64_t count = nn_shape_count(param->shape);
    adam_kernel<<<cuda_blocks(count), CUDA_THREADS, 0, cuda_of(be)->stream>>>(
        param->data, grad->data, m->data, v->data, count, hp->lr, hp->beta1, hp->beta2, hp->eps, c1,
        c2);
    CUDA_LAUNCHED("Adam step");
    return MUMLOC_OK;
}

// NCHW weights: output channel o = i / inner for (out, in, k, k), (i / k²) % out for (in, out, k, k).
static __global__ void fold_weights_kernel(const float *w, float *w_out, int64_t count, int axis,
                                           int64_t inner, int64_t k2, int outs, const float *gamma,
                                           const float *rvar, float eps) {
    GRID_STRIDE(i, count) {
        int o = axis == 0 ? (int)(i / inner) : (int)((i / k2) % outs);
        w_out[i] = w[i] * nn_bn_fold_scale(gamma[o], rvar[o], eps);
    }
}

static __global__ void fold_bias_kernel(const float *b, float *b_out, int outs, const float *gamma,
                                        const float *beta, const float *rmean, const float *rvar,
                                        float eps) {
    GRID_STRIDE(o, outs) {
        float s = nn_bn_fold_scale(gamma[o], rvar[o], eps);
        b_out[o] = nn_bn_fold_bias(b[o], beta[o], rmean[o], s);
    }
}

mumloc_status cuda_bn_fold(nn_backend *be, const nn_tensor *w, const nn_tensor *b,
                           const nn_tensor *gamma, const nn_tensor *beta,
                           const nn_tensor *running_mean, const nn_tensor *running_var, float eps,
                           int out_axis, nn_tensor *w_out, nn_tensor *b_out) {
    CU_TRY(cuda_same_shape(w, w_out, "batch-norm folding (weights)"));
    CU_TRY(cuda_same_shape(b, b_out, "batch-norm folding (bias)"));
    const int outs = out_axis == 0 ? w->shape.n : w->shape.c;
    if ((out_axis != 0 && out_axis != 1) || b->shape.c != outs || gamma->shape.c != outs ||
        beta->shape.c != outs || running_mean->shape.c != outs || running_var->shape.c != outs)
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT,
                       "batch-norm folding: parameter lengths must equal the %d output channels", outs);
    cudaStream_t s = cuda_of(be)->stream;
    const int64_t count = nn_shape_count(w->shape), k2 = (int64_t)w->shape.h * w->shape.w;
    const int64_t inner = (int64_t)w->shape.c * k2;
    fold_weights_kernel<<<cuda_blocks(count), CUDA_THREADS, 0, s>>>(
        w->data, w_out->data, count, out_axis, inner, k2, outs, gamma->data, running_var->data, eps);
    CUDA_LAUNCHED("batch-norm folding");
    fold_bias_kernel<<<cuda_blocks(outs), CUDA_THREADS, 0, s>>>(
        b->data, b_out->data, outs, gamma->data, beta->data, running_mean->data, running_var->data,
        eps);
    CUDA_LAUNCHED("batch-norm folding");
    return MUMLOC_OK;
}
