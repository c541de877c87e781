// The object's one exported symbol (mumloc_cuda_api_get), device probing, and the backend table.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/cuda/cuda_backend.h"

// --- probing ------------------------------------------------------------------------------------

static mumloc_status probe(int *count, char *reason, size_t cap) {
    *count = 0;
    int n = 0;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
        const char *msg = cudaGetErrorString(e);
        if (e == cudaErrorInsufficientDriver)
            snprintf(reason, cap, "CUDA driver missing or too old: %s", msg);
        else if (e == cudaErrorNoDevice) snprintf(reason, cap, "no CUDA-capable GPU: %s", msg);
        else snprintf(reason, cap, "CUDA unavailable: %s", msg);
        cudaGetLastError();
        return MUMLOC_ERR_UNSUPPORTED;
    }
    if (n < 1) {
        snprintf(reason, cap, "no CUDA-capable GPU");
        return MUMLOC_ERR_UNSUPPORTED;
    }
    // cuDNN keeps its major version in the soname, but a differently packaged library may not.
    size_t v = cudnnGetVersion();
    int major = (int)(v / 10000), minor = (int)(v / 100 % 100);
    if (major != CUDNN_MAJOR) {
        snprintf(reason, cap, "cuDNN %d required, found %d.%d", CUDNN_MAJOR, major, minor);
        return MUMLOC_ERR_UNSUPPORTED;
    }
    *count = n;
    return MUMLOC_OK;
}

static mumloc_status device_props(int device, cuda_device_props *out) {
    memset(out, 0, sizeof *out);
    cudaDeviceProp p;
    CUDA_CALL(cudaGetDeviceProperties(&p, device), "querying the device");
    snprintf(out->name, sizeof out->name, "%.127s", p.name);
    out->memory_bytes = (int64_t)p.totalGlobalMem;
    out->compute_major = p.major;
    out->compute_minor = p.minor;
    return MUMLOC_OK;
}

// --- the backend --------------------------------------------------------------------------------

static void destroy(nn_backend *be) {
    if (!be) return;
    cuda_backend *cb = cuda_of(be);
    if (cb) {
        cudaSetDevice(cb->device);
        if (cb->stream) cudaStreamSynchronize(cb->stream);
        if (cb->upload_stream) cudaStreamSynchronize(cb->upload_stream);
        if (cb->download_stream) cudaStreamSynchronize(cb->download_stream);
        cudaFree(cb->workspace);
        cudaFree(cb->sum);
        if (cb->cudnn) cudnnDestroy(cb->cudnn);
        if (cb->compute_mark) cudaEventDestroy(cb->compute_mark);
        if (cb->download_stream) cudaStreamDestroy(cb->download_stream);
        if (cb->upload_stream) cudaStreamDestroy(cb->upload_stream);
        if (cb->stream) cudaStreamDestroy(cb->stream);
        free(cb);
    }
    free(be);
}

static mumloc_status setup(cuda_backend *cb) {
    CUDA_CALL(cudaSetDevice(cb->device), "selecting the device");
    CUDA_CALL(cudaStreamCreateWithFlags(&cb->stream, cudaStreamNonBlocking), "creating a stream");
    CUDA_CALL(cudaStreamCreateWithFlags(&cb->upload_stream, cudaStreamNonBlocking),
              "creating the upload stream");
    CUDA_CALL(cudaStreamCreateWithFlags(&cb->download_stream, cudaStreamNonBlocking),
              "creating the download stream");
    CUDA_CALL(cudaEventCreateWithFlags(&cb->compute_mark, cudaEventDisableTiming),
              "creating an event");
    CUDNN_CALL(cudnnCreate(&cb->cudnn), "creating a cuDNN handle");
    CUDNN_CALL(cudnnSetStream(cb->cudnn, cb->stream), "binding cuDNN to the stream");
    CUDA_CALL(cudaMalloc(&cb->sum, sizeof(double)), "allocating a reduction slot");
    return MUMLOC_OK;
}

static mumloc_status backend_create(int device, nn_backend **out) {
    *out = NULL;
    nn_backend *be = (nn_backend *)calloc(1, sizeof *be);
    cuda_backend *cb = (cuda_backend *)calloc(1, sizeof *cb);
    if (!be || !cb) {
        free(be);
        free(cb);
        return CU_FAIL(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the CUDA backend");
    }
    be->name = "cuda";
    be->impl = cb;
    cb->device = device;
    // fp32 unless explicitly asked for (issue 4: TF32 only where a test shows accuracy is kept).
    const char *tf32 = getenv(CUDA_TF32_ENV);
    cb->tf32 = tf32 && strcmp(tf32, "1") == 0;
    be->destroy = destroy;
    mumloc_status st = setup(cb);
    if (st != MUMLOC_OK) {
        destroy(be);
        return st;
    }
    be->tensor_create = cuda_tensor_create;
    be->tensor_destroy = cuda_tensor_destroy;
    be->tensor_shape = cuda_tensor_shape;
    be->upload = cuda_upload;
    be->download = cuda_download;
    be->fill = cuda_fill;
    be->copy = cuda_copy;
    be->conv_plan_create = cuda_conv_plan_create;
    be->conv_plan_destroy = cuda_conv_plan_destroy;
    be->conv_forward = cuda_conv_forward;
    be->conv_backward_data = cuda_conv_backward_data;
    be->conv_backward_weights = cuda_conv_backward_weights;
    be->bn_plan_create = cuda_bn_plan_create;
    be->bn_plan_destroy = cuda_bn_plan_destroy;
    be->bn_forward_training = cuda_bn_forward_training;
    be->bn_forward_inference = cuda_bn_forward_inference;
    be->bn_backward = cuda_bn_backward;
    be->bn_fold = cuda_bn_fold;
    be->activation_forward = cuda_activation_forward;
    be->activation_backward = cuda_activation_backward;
    be->loss_bce = cuda_loss_bce;
    be->loss_regression = cuda_loss_regression;
    be->adam_step = cuda_adam_step;
    be->host_alloc = cuda_host_alloc;
    be->host_free = cuda_host_free;
    be->event_create = cuda_event_create;
    be->event_destroy = cuda_event_destroy;
    be->upload_async = cuda_upload_async;
    be->download_async = cuda_download_async;
    be->event_wait = cuda_event_wait;
    be->memory_info = cuda_memory_info;
    *out = be;
    return MUMLOC_OK;
}

static const cuda_api api_table = {CUDA_ABI_VERSION, CUDNN_MAJOR, probe, device_props,
                                          backend_create, cuda_simulate};

extern "C" __attribute__((visibility("default"))) const cuda_api *
mumloc_cuda_api_get(const cuda_abi_host *host) {
    if (!host || host->abi_version != CUDA_ABI_VERSION || !host->fail) return NULL;
    cuda_host = host;
    return &api_table;
}
