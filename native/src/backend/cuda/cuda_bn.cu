// Batch normalisation over (n, h, w) per channel, NCHW, with our own kernels rather than cuDNN's:
// the interface keeps the biased batch variance (cuDNN saves 1/σ instead) and the running averages
// must follow nn/kernels.h (PyTorch's conventions) exactly as on the CPU.
#include <stdlib.h>

#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/cuda_reduce.cuh"
#include "backend/kernels.h"

struct nn_bn_plan {
    nn_bn_desc d;
};

mumloc_status cuda_bn_plan_create(nn_backend *be, const nn_bn_desc *desc, nn_bn_plan **out) {
    *out = NULL;
    if (desc->n < 1 || desc->c < 1 || desc->h < 1 || desc->w < 1 || !(desc->eps > 0.0f) ||
        !(desc->momentum >= 0.0f && desc->momentum <= 1.0f))
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT,
                       "batch norm needs positive sizes, eps > 0 and momentum in [0, 1]");
    nn_bn_plan *p = (nn_bn_plan *)calloc(1, sizeof *p);
    if (!p) return CU_FAIL(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a batch-norm plan");
    p->d = *desc;
    *out = p;
    return MUMLOC_OK;
}

void cuda_bn_plan_destroy(nn_backend *be, nn_bn_plan *p) { free(p); }

static mumloc_status check(const nn_bn_plan *p, const nn_tensor *data, const nn_tensor *vec) {
    nn_shape s = data->shape;
    if (s.n != p->d.n || s.c != p->d.c || s.h != p->d.h || s.w != p->d.w)
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT, "batch norm data is %d×%d×%d×%d, plan %d×%d×%d×%d",
                       s.n, s.c, s.h, s.w, p->d.n, p->d.c, p->d.h, p->d.w);
    if (vec && (vec->shape.c != p->d.c || nn_shape_count(vec->shape) != p->d.c))
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT, "batch norm parameters need %d channels", p->d.c);
    return MUMLOC_OK;
}

// Σ over channel c's n·hw values of f(value): element j of the channel is at ((j / hw)·C + c)·hw + j % hw.
#define CHANNEL_LOOP(j, count) for (int64_t j = threadIdx.x; j < (count); j += blockDim.x)
#define AT(c, j) ((((j) / hw) * C + (c)) * hw + (j) % hw)

// One block per channel: two passes (mean, then centred squares) for an accurate variance.
static __global__ void stats_kernel(const float *x, int n, int C, int64_t hw, float momentum,
                                    float *mean, float *var, float *rmean, float *rvar) {
    const int c = blockIdx.x;
    const int64_t count = (int64_t)n * hw;
    double s = 0.0;
    CHANNEL_LOOP(j, count) s += x[AT(c, j)];
    const float mu = (float)(cuda_block_sum(s) / (double)count);
    double q = 0.0;
    CHANNEL_LOOP(j, count) {
        float d = x[AT(c, j)] - mu;
        q += (double)d * d;
    }
    const float v = (float)(cuda_block_sum(q) / (double)count);
    if (threadIdx.x == 0) {
        mean[c] = mu;
        var[c] = v;
        rmean[c] = nn_bn_running_mean(rmean[c], mu, momentum);
        rvar[c] = nn_bn_running_var(rvar[c], v, (float)count, momentum);
    }
}

static __global__ void apply_kernel(const float *x, float *y, int64_t total, int C, int64_t hw,
                                    const float *gamma, const float *beta, const float *mean,
                                    const float *var, float eps) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        const int c = (int)((i / hw) % C);
        y[i] = gamma[c] * (x[i] - mean[c]) / sqrtf(var[c] + eps) + beta[c];
    }
}

mumloc_status cuda_bn_forward_training(nn_backend *be, nn_bn_plan *p, const nn_tensor *x,
                                       const nn_tensor *gamma, const nn_tensor *beta, nn_tensor *y,
                                       nn_tensor *mean, nn_tensor *var, nn_tensor *running_mean,
                                       nn_tensor *running_var) {
    CU_TRY(check(p, x, gamma));
    CU_TRY(check(p, y, beta));
    CU_TRY(check(p, x, mean));
    CU_TRY(check(p, x, var));
    CU_TRY(check(p, x, running_mean));
    CU_TRY(check(p, x, running_var));
    cudaStream_t s = cuda_of(be)->stream;
    const int64_t hw = (int64_t)p->d.h * p->d.w, total = nn_shape_count(x->shape);
    stats_kernel<<<p->d.c, CUDA_THREADS, 0, s>>>(x->data, p->d.n, p->d.c, hw, p->d.momentum,
                                                 mean->data, var->data, running_mean->data,
                                                 running_var->data);
    CUDA_LAUNCHED("batch-norm statistics");
    apply_kernel<<<cuda_blocks(total), CUDA_THREADS, 0, s>>>(x->data, y->data, total, p->d.c, hw,
                                                             gamma->data, beta->data, mean->data,
                                                             var->data, p->d.eps);
    CUDA_LAUNCHED("batch norm");
    return MUMLOC_OK;
}

mumloc_status cuda_bn_forward_inference(nn_backend *be, nn_bn_plan *p, const nn_tensor *x,
                                        const nn_tensor *gamma, const nn_tensor *beta,
                                        const nn_tensor *running_mean,
                                        const nn_tensor *running_var, nn_tensor *y) {
    CU_TRY(check(p, x, gamma));
    CU_TRY(check(p, y, beta));
    CU_TRY(check(p, x, running_mean));
    CU_TRY(check(p, x, running_var));
    const int64_t hw = (int64_t)p->d.h * p->d.w, total = nn_shape_count(x->shape);
    apply_kernel<<<cuda_blocks(total), CUDA_THREADS, 0, cuda_of(be)->stream>>>(
        x->data, y->data, total, p->d.c, hw, gamma->data, beta->data, running_mean->data,
        running_var->data, p->d.eps);
    CUDA_LAUNCHED("batch norm (inference)");
    return MUMLOC_OK;
}

// dβ = Σ dy, dγ = Σ dy·x̂ per channel (one block each).
static __global__ void grad_sums_kernel(const float *x, const float *dy, int n, int C, int64_t hw,
                                        const float *mean, const float *var, float eps,
                                        float *dgamma, float *dbeta) {
    const int c = blockIdx.x;
    const int64_t count = (int64_t)n * hw;
    const float mu = mean[c], inv = 1.0f / sqrtf(var[c] + eps);
    double sd = 0.0, sdx = 0.0;
    CHANNEL_LOOP(j, count) {
        const int64_t i = AT(c, j);
        sd += dy[i];
        sdx += (double)dy[i] * ((x[i] - mu) * inv);
    }
    sd = cuda_block_sum(sd);
    sdx = cuda_block_sum(sdx);
    if (threadIdx.x == 0) {
        dbeta[c] = (float)sd;
        dgamma[c] = (float)sdx;
    }
}

// dx = γ/σ · (dy − dβ/N − x̂·dγ/N); element-wise, so dx may alias dy.
static __global__ void dx_kernel(const float *x, const float *dy, float *dx, int64_t total, int C,
                                 int64_t hw, float count, const float *mean, const float *var,
                                 const float *gamma, const float *dgamma, const float *dbeta,
                                 float eps) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        const int c = (int)((i / hw) % C);
        const float inv = 1.0f / sqrtf(var[c] + eps), xhat = (x[i] - mean[c]) * inv;
        dx[i] = gamma[c] * inv * (dy[i] - dbeta[c] / count - xhat * dgamma[c] / count);
    }
}

mumloc_status cuda_bn_backward(nn_backend *be, nn_bn_plan *p, const nn_tensor *x,
                               const nn_tensor *mean, const nn_tensor *var, const nn_tensor *gamma,
                               const nn_tensor *dy, nn_tensor *dx, nn_tensor *dgamma,
                               nn_tensor *dbeta) {
    CU_TRY(check(p, x, mean));
    CU_TRY(check(p, dy, var));
    CU_TRY(check(p, dx, gamma));
    CU_TRY(check(p, x, dgamma));
    CU_TRY(check(p, x, dbeta));
    cudaStream_t s = cuda_of(be)->stream;
    const int64_t hw = (int64_t)p->d.h * p->d.w, total = nn_shape_count(x->shape);
    grad_sums_kernel<<<p->d.c, CUDA_THREADS, 0, s>>>(x->data, dy->data, p->d.n, p->d.c, hw,
                                                     mean->data, var->data, p->d.eps, dgamma->data,
                                                     dbeta->data);
    CUDA_LAUNCHED("batch-norm backward");
    dx_kernel<<<cuda_blocks(total), CUDA_THREADS, 0, s>>>(
        x->data, dy->data, dx->data, total, p->d.c, hw, (float)((int64_t)p->d.n * hw), mean->data,
        var->data, gamma->data, dgamma->data, dbeta->data, p->d.eps);
    CUDA_LAUNCHED("batch-norm backward");
    return MUMLOC_OK;
}
