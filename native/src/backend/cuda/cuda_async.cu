// backend.h's optional hooks on CUDA: page-locked host staging buffers, uploads and downloads on
// their own streams so that they overlap the compute stream, events to wait on, and free memory.
//
// Ordering (backend.h): an upload is queued on upload_stream and the compute stream then waits for
// it, so ops queued after upload_async see the data while ops queued before it run on concurrently;
// a download waits for everything queued on the compute stream so far (compute_mark), then copies
// on download_stream while later ops compute. Only page-locked host memory (cuda_host_alloc) makes
// the copies truly asynchronous; pageable memory still works, with the copy staged by the driver.
#include <stdlib.h>

#include "backend/cuda/cuda_backend.h"

mumloc_status cuda_host_alloc(nn_backend *be, size_t bytes, void **out) {
    *out = NULL;
    CUDA_CALL(cudaSetDevice(cuda_of(be)->device), "selecting the device");
    cudaError_t e = cudaHostAlloc(out, bytes, cudaHostAllocDefault);
    if (e != cudaSuccess) {
        *out = NULL;
        cudaGetLastError();
        return CU_FAIL(e == cudaErrorMemoryAllocation ? MUMLOC_ERR_OUT_OF_MEMORY : MUMLOC_ERR_INTERNAL,
                       "CUDA: cannot page-lock a %.1f MB staging buffer: %s (use smaller batches)",
                       (double)bytes / 1e6, cudaGetErrorString(e));
    }
    return MUMLOC_OK;
}

void cuda_host_free(nn_backend *be, void *host) {
    // cudaFreeHost waits for the device, so a copy still using the buffer finishes first.
    if (host) cudaFreeHost(host);
}

mumloc_status cuda_event_create(nn_backend *be, nn_event **out) {
    *out = NULL;
    CUDA_CALL(cudaSetDevice(cuda_of(be)->device), "selecting the device");
    nn_event *ev = (nn_event *)calloc(1, sizeof *ev);
    if (!ev) return CU_FAIL(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for an event");
    // No timing: cheaper to record, and waiting on it may yield the CPU.
    cudaError_t e = cudaEventCreateWithFlags(&ev->event, cudaEventDisableTiming);
    if (e != cudaSuccess) {
        free(ev);
        return cuda_check(e, "creating an event");
    }
    *out = ev;
    return MUMLOC_OK;
}

void cuda_event_destroy(nn_backend *be, nn_event *event) {
    if (!event) return;
    cudaEventDestroy(event->event);
    free(event);
}

mumloc_status cuda_upload_async(nn_backend *be, nn_tensor *t, const float *host, nn_event *done) {
    cuda_backend *cb = cuda_of(be);
    const size_t bytes = (size_t)nn_shape_count(t->shape) * sizeof(float);
    CUDA_CALL(cudaMemcpyAsync(t->data, host, bytes, cudaMemcpyHostToDevice, cb->upload_stream),
              "queuing an upload");
    CUDA_CALL(cudaEventRecord(done->event, cb->upload_stream), "marking an upload");
    // Later compute sees the data; compute already queued does not wait.
    CUDA_CALL(cudaStreamWaitEvent(cb->stream, done->event, 0), "ordering compute after an upload");
    return MUMLOC_OK;
}

mumloc_status cuda_download_async(nn_backend *be, const nn_tensor *t, float *host, nn_event *done) {
    cuda_backend *cb = cuda_of(be);
    const size_t bytes = (size_t)nn_shape_count(t->shape) * sizeof(float);
    CUDA_CALL(cudaEventRecord(cb->compute_mark, cb->stream), "marking the compute stream");
    CUDA_CALL(cudaStreamWaitEvent(cb->download_stream, cb->compute_mark, 0),
              "ordering a download after compute");
    CUDA_CALL(cudaMemcpyAsync(host, t->data, bytes, cudaMemcpyDeviceToHost, cb->download_stream),
              "queuing a download");
    CUDA_CALL(cudaEventRecord(done->event, cb->download_stream), "marking a download");
    return MUMLOC_OK;
}

mumloc_status cuda_event_wait(nn_backend *be, nn_event *event) {
    CUDA_CALL(cudaEventSynchronize(event->event), "waiting for queued GPU work");
    return MUMLOC_OK;
}

mumloc_status cuda_memory_info(nn_backend *be, int64_t *free_bytes, int64_t *total_bytes) {
    *free_bytes = *total_bytes = -1;
    CUDA_CALL(cudaSetDevice(cuda_of(be)->device), "selecting the device");
    size_t f = 0, t = 0;
    CUDA_CALL(cudaMemGetInfo(&f, &t), "querying free device memory");
    *free_bytes = (int64_t)f;
    *total_bytes = (int64_t)t;
    return MUMLOC_OK;
}
