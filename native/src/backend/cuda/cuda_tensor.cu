// Tensors: device arrays in NCHW, so transfers are plain copies.
#include <stdlib.h>

#include "backend/cuda/cuda_backend.h"

mumloc_status cuda_tensor_create(nn_backend *be, nn_shape shape, nn_tensor **out) {
    *out = NULL;
    if (shape.n < 1 || shape.c < 1 || shape.h < 1 || shape.w < 1)
        return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT, "tensor shape %d×%d×%d×%d must be positive",
                       shape.n, shape.c, shape.h, shape.w);
    cuda_backend *cb = cuda_of(be);
    CUDA_CALL(cudaSetDevice(cb->device), "selecting the device");
    nn_tensor *t = (nn_tensor *)calloc(1, sizeof *t);
    if (!t) return CU_FAIL(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a tensor");
    t->shape = shape;
    const size_t bytes = (size_t)nn_shape_count(shape) * sizeof(float);
    cudaError_t e = cudaMalloc(&t->data, bytes);
    if (e == cudaSuccess) e = cudaMemsetAsync(t->data, 0, bytes, cb->stream); // zeros, like the CPU
    if (e != cudaSuccess) {
        cudaFree(t->data);
        free(t);
        cudaGetLastError();
        return CU_FAIL(e == cudaErrorMemoryAllocation ? MUMLOC_ERR_OUT_OF_MEMORY : MUMLOC_ERR_INTERNAL,
                       "CUDA: no device memory for a %d×%d×%d×%d tensor: %s", shape.n, shape.c,
                       shape.h, shape.w, cudaGetErrorString(e));
    }
    *out = t;
    return MUMLOC_OK;
}

void cuda_tensor_destroy(nn_backend *be, nn_tensor *t) {
    if (!t) return;
    // cudaFree waits for the device, so queued work on this tensor finishes first.
    cudaFree(t->data);
    free(t);
}

nn_shape cuda_tensor_shape(const nn_tensor *t) { return t->shape; }

mumloc_status cuda_upload(nn_backend *be, nn_tensor *t, const float *host) {
    cuda_backend *cb = cuda_of(be);
    const size_t bytes = (size_t)nn_shape_count(t->shape) * sizeof(float);
    CUDA_CALL(cudaMemcpyAsync(t->data, host, bytes, cudaMemcpyHostToDevice, cb->stream), "upload");
    // The caller may reuse its buffer on return: a pageable copy is only safe once it completed.
    CUDA_CALL(cudaStreamSynchronize(cb->stream), "upload");
    return MUMLOC_OK;
}

mumloc_status cuda_download(nn_backend *be, const nn_tensor *t, float *host) {
    cuda_backend *cb = cuda_of(be);
    const size_t bytes = (size_t)nn_shape_count(t->shape) * sizeof(float);
    CUDA_CALL(cudaMemcpyAsync(host, t->data, bytes, cudaMemcpyDeviceToHost, cb->stream), "download");
    CUDA_CALL(cudaStreamSynchronize(cb->stream), "download");
    return MUMLOC_OK;
}

static __global__ void fill_kernel(float *d, int64_t count, float v) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < count;
         i += (int64_t)gridDim.x * blockDim.x)
        d[i] = v;
}

mumloc_status cuda_fill(nn_backend *be, nn_tensor *t, float value) {
    const int64_t count = nn_shape_count(t->shape);
    fill_kernel<<<cuda_blocks(count), CUDA_THREADS, 0, cuda_of(be)->stream>>>(t->data, count, value);
    CUDA_LAUNCHED("fill");
    return MUMLOC_OK;
}

mumloc_status cuda_copy(nn_backend *be, const nn_tensor *src, nn_tensor *dst) {
    CU_TRY(cuda_same_shape(src, dst, "copy"));
    if (src == dst) return MUMLOC_OK;
    CUDA_CALL(cudaMemcpyAsync(dst->data, src->data, (size_t)nn_shape_count(src->shape) * sizeof(float),
                              cudaMemcpyDeviceToDevice, cuda_of(be)->stream),
              "copy");
    return MUMLOC_OK;
}
