// Losses: per-element terms from nn/kernels.h in thin kernels; sums in double on the device.
//
// Hard negatives (regression loss). Choosing each frame's ratio·P most confident negatives is a
// per-frame top-k with a deterministic tie order (the CPU's: higher p first, then position). Here the
// probability channels (a quarter of the output) and their targets are copied to the host, chosen
// with std::nth_element in the CPU's order, and the chosen indices go back to a scatter kernel. The
// trade-off: two small transfers and a stream synchronisation per training step (the loss value is
// synchronous anyway) against a device-side segmented top-k; simple, and provably the same choice.
#include <algorithm>
#include <stdlib.h>
#include <vector>

#include "backend/cuda/cuda_backend.h"
#include "backend/cuda/cuda_reduce.cuh"
#include "backend/kernels.h"

static __global__ void bce_kernel(const float *p, const float *t, float *g, int64_t count,
                                  float inv_n, double *sum) {
    double s = 0.0;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < count;
         i += (int64_t)gridDim.x * blockDim.x) {
        s += nn_bce(p[i], t[i]);
        g[i] = nn_bce_grad(p[i], t[i]) * inv_n;
    }
    s = cuda_block_sum(s);
    if (threadIdx.x == 0) atomicAdd(sum, s);
}

static mumloc_status read_sum(cuda_backend *cb, double *out) {
    CUDA_CALL(cudaMemcpyAsync(out, cb->sum, sizeof *out, cudaMemcpyDeviceToHost, cb->stream),
              "reading a loss");
    CUDA_CALL(cudaStreamSynchronize(cb->stream), "reading a loss");
    return MUMLOC_OK;
}

mumloc_status cuda_loss_bce(nn_backend *be, const nn_tensor *p, const nn_tensor *t, nn_tensor *dp,
                            double *loss) {
    CU_TRY(cuda_same_shape(p, t, "BCE loss"));
    CU_TRY(cuda_same_shape(p, dp, "BCE loss"));
    cuda_backend *cb = cuda_of(be);
    const int64_t count = nn_shape_count(p->shape);
    CUDA_CALL(cudaMemsetAsync(cb->sum, 0, sizeof(double), cb->stream), "BCE loss");
    bce_kernel<<<cuda_blocks(count), CUDA_THREADS, 0, cb->stream>>>(
        p->data, t->data, dp->data, count, 1.0f / (float)p->shape.n, cb->sum);
    CUDA_LAUNCHED("BCE loss");
    double sum = 0.0;
    CU_TRY(read_sum(cb, &sum));
    *loss = sum / p->shape.n;
    return MUMLOC_OK;
}

// One thread per (frame, pixel): positives' BCE and L1 terms and gradients; every other gradient 0
// (the chosen negatives are scattered in afterwards).
static __global__ void positives_kernel(int n, int planes, int64_t hw, const float *out,
                                        const float *target, float *grad, float inv_n,
                                        double *sum) {
    const int channels = 4 * planes;
    double s = 0.0;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < (int64_t)n * hw;
         i += (int64_t)gridDim.x * blockDim.x) {
        const int64_t base = (i / hw) * channels * hw + i % hw; // (frame, channel 0, pixel)
        for (int c = 0; c < channels; c++) grad[base + c * hw] = 0.0f;
        for (int d = 0; d < planes; d++) {
            const int64_t k = base + d * hw;
            if (!(target[k] > 0.5f)) continue;
            s += nn_bce(out[k], 1.0f);
            grad[k] = nn_bce_grad(out[k], 1.0f) * inv_n;
            for (int axis = 0; axis < 3; axis++) {
                const int64_t j = base + (planes + 3 * d + axis) * hw;
                s += nn_l1(out[j], target[j]);
                grad[j] = nn_l1_grad(out[j], target[j]) * inv_n;
            }
        }
    }
    s = cuda_block_sum(s);
    if (threadIdx.x == 0) atomicAdd(sum, s);
}

static __global__ void negatives_kernel(const int64_t *index, int64_t count, const float *out,
                                        float *grad, float inv_n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < count;
         i += (int64_t)gridDim.x * blockDim.x)
        grad[index[i]] = nn_bce_grad(out[index[i]], 0.0f) * inv_n;
}

namespace {
struct candidate {
    float p;
    int64_t key;   // the CPU backend's tie order: pixel·channels + plane
    int64_t index; // NCHW element index in the whole batch
};
// Strict weak order: harder (higher p) first, ties by the CPU's position key.
struct harder {
    bool operator()(const candidate &a, const candidate &b) const {
        return a.p != b.p ? a.p > b.p : a.key < b.key;
    }
};
} // namespace

// Chooses the hard negatives on the host; returns their loss sum and NCHW indices.
static double choose_negatives(int n, int planes, int64_t hw, float ratio, const float *prob,
                               const float *label, std::vector<int64_t> &chosen) {
    const int channels = 4 * planes;
    const int64_t frame = (int64_t)channels * hw;
    std::vector<candidate> neg;
    double sum = 0.0;
    for (int b = 0; b < n; b++) {
        neg.clear();
        int64_t positives = 0;
        const float *pb = prob + (int64_t)b * planes * hw, *tb = label + (int64_t)b * planes * hw;
        for (int d = 0; d < planes; d++)
            for (int64_t px = 0; px < hw; px++) {
                const int64_t k = d * hw + px;
                if (tb[k] > 0.5f) positives++;
                else neg.push_back({pb[k], px * channels + d, b * frame + k});
            }
        int64_t take = (int64_t)(ratio * (double)positives);
        if (take > (int64_t)neg.size()) take = (int64_t)neg.size();
        if (take <= 0) continue;
        if (take < (int64_t)neg.size()) std::nth_element(neg.begin(), neg.begin() + (take - 1), neg.end(), harder());
        for (int64_t i = 0; i < take; i++) {
            sum += nn_bce(neg[i].p, 0.0f);
            chosen.push_back(neg[i].index);
        }
    }
    return sum;
}

mumloc_status cuda_loss_regression(nn_backend *be, int planes, float negative_ratio,
                                   const nn_tensor *out, const nn_tensor *target, nn_tensor *dout,
                                   double *loss) {
    CU_TRY(cuda_same_shape(out, target, "regression loss"));
    CU_TRY(cuda_same_shape(out, dout, "regression loss"));
    if (planes < 1 || out->shape.c != 4 * planes)
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT, "regression loss: %d planes need %d channels, got %d",
                       planes, 4 * planes, out->shape.c);
    if (!(negative_ratio >= 0.0f))
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT, "negative ratio must be ≥ 0");
    cuda_backend *cb = cuda_of(be);
    const int n = out->shape.n;
    const int64_t hw = (int64_t)out->shape.h * out->shape.w, plane_floats = planes * hw;
    const float inv_n = 1.0f / (float)n;
    CUDA_CALL(cudaMemsetAsync(cb->sum, 0, sizeof(double), cb->stream), "regression loss");
    positives_kernel<<<cuda_blocks((int64_t)n * hw), CUDA_THREADS, 0, cb->stream>>>(
        n, planes, hw, out->data, target->data, dout->data, inv_n, cb->sum);
    CUDA_LAUNCHED("regression loss");

    // The probability channels are the first `planes` of each frame: one strided 2-D copy each.
    std::vector<float> prob((size_t)(n * plane_floats)), label((size_t)(n * plane_floats));
    const size_t row = (size_t)plane_floats * sizeof(float), pitch = 4 * row;
    CUDA_CALL(cudaMemcpy2DAsync(prob.data(), row, out->data, pitch, row, n, cudaMemcpyDeviceToHost,
                                cb->stream),
              "copying probabilities for hard-negative mining");
    CUDA_CALL(cudaMemcpy2DAsync(label.data(), row, target->data, pitch, row, n,
                                cudaMemcpyDeviceToHost, cb->stream),
              "copying labels for hard-negative mining");
    double positive_sum = 0.0;
    CU_TRY(read_sum(cb, &positive_sum)); // also waits for the two copies

    std::vector<int64_t> chosen;
    double negative_sum = choose_negatives(n, planes, hw, negative_ratio, prob.data(), label.data(), chosen);
    if (!chosen.empty()) {
        int64_t *index = NULL;
        const size_t bytes = chosen.size() * sizeof(int64_t);
        CUDA_CALL(cudaMalloc(&index, bytes), "allocating hard-negative indices");
        cudaError_t e = cudaMemcpyAsync(index, chosen.data(), bytes, cudaMemcpyHostToDevice, cb->stream);
        if (e == cudaSuccess) {
            negatives_kernel<<<cuda_blocks((int64_t)chosen.size()), CUDA_THREADS, 0, cb->stream>>>(
                index, (int64_t)chosen.size(), out->data, dout->data, inv_n);
            e = cudaGetLastError();
        }
        // The host vector must outlive the copy, and cudaFree waits for the kernel.
        if (e == cudaSuccess) e = cudaStreamSynchronize(cb->stream);
        cudaFree(index);
        CUDA_CALL(e, "scattering hard-negative gradients");
    }
    *loss = (positive_sum + negative_sum) / n;
    return MUMLOC_OK;
}
