// What every op file of the CUDA object shares: the host's callbacks (set by mumloc_cuda_api_get in
// cuda_entry.cu), CUDA and cuDNN status conversion, shape checks, the workspace and descriptors.
#include "backend/cuda/cuda_backend.h"

const cuda_abi_host *cuda_host = NULL;

mumloc_status cuda_check(cudaError_t e, const char *what) {
    if (e == cudaSuccess) return MUMLOC_OK;
    cudaGetLastError(); // clear a sticky launch error so the next call starts clean
    mumloc_status st = e == cudaErrorMemoryAllocation ? MUMLOC_ERR_OUT_OF_MEMORY
                                                      : MUMLOC_ERR_INTERNAL;
    return CU_FAIL(st, "CUDA: %s failed: %s", what, cudaGetErrorString(e));
}

mumloc_status cudnn_check(cudnnStatus_t s, const char *what) {
    if (s == CUDNN_STATUS_SUCCESS) return MUMLOC_OK;
    mumloc_status st = s == CUDNN_STATUS_ALLOC_FAILED ? MUMLOC_ERR_OUT_OF_MEMORY
                       : s == CUDNN_STATUS_NOT_SUPPORTED ? MUMLOC_ERR_UNSUPPORTED
                                                         : MUMLOC_ERR_INTERNAL;
    return CU_FAIL(st, "cuDNN: %s failed: %s", what, cudnnGetErrorString(s));
}

mumloc_status cuda_same_shape(const nn_tensor *a, const nn_tensor *b, const char *what) {
    nn_shape x = a->shape, y = b->shape;
    if (x.n == y.n && x.c == y.c && x.h == y.h && x.w == y.w) return MUMLOC_OK;
    return CU_FAIL(MUMLOC_ERR_INVALID_ARGUMENT, "%s: shapes %d×%d×%d×%d and %d×%d×%d×%d differ", what,
                   x.n, x.c, x.h, x.w, y.n, y.c, y.h, y.w);
}

mumloc_status cuda_workspace(cuda_backend *cb, size_t bytes, void **out) {
    if (bytes > cb->workspace_size) {
        // Wait for queued work that may still use the old buffer before freeing it.
        CUDA_CALL(cudaStreamSynchronize(cb->stream), "synchronising before growing the workspace");
        cudaFree(cb->workspace);
        cb->workspace = NULL;
        cb->workspace_size = 0;
        CUDA_CALL(cudaMalloc(&cb->workspace, bytes), "allocating cuDNN workspace");
        cb->workspace_size = bytes;
    }
    *out = cb->workspace;
    return MUMLOC_OK;
}

mumloc_status cuda_tensor_desc(cudnnTensorDescriptor_t *d, int n, int c, int h, int w) {
    CUDNN_CALL(cudnnCreateTensorDescriptor(d), "creating a tensor descriptor");
    CUDNN_CALL(cudnnSetTensor4dDescriptor(*d, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT, n, c, h, w),
               "describing a tensor");
    return MUMLOC_OK;
}
