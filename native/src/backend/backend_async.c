/* The optional asynchronous-transfer, memory and precision hooks of backend.h, with their fallback
 * for backends that leave them NULL (the CPU backend leaves the transfer and memory hooks): plain memory, transfers complete on return,
 * events complete at once. Callers use these wrappers, never the hooks, so one code path serves
 * every backend. */
#include <stdlib.h>

#include "backend/backend.h"
#include "core/error.h"

/* The event of a backend without events: never dereferenced, only passed around. */
static char completed_event;
#define COMPLETED_EVENT ((nn_event *)(void *)&completed_event)

mumloc_status nn_backend_host_alloc(nn_backend *be, size_t bytes, void **out) {
    if (!be || !out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "host_alloc: backend and out");
    *out = NULL;
    if (bytes == 0) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "host_alloc: 0 bytes requested");
    if (be->host_alloc) return be->host_alloc(be, bytes, out);
    *out = malloc(bytes);
    if (!*out)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a %.1f MB staging buffer",
                           (double)bytes / 1e6);
    return MUMLOC_OK;
}

void nn_backend_host_free(nn_backend *be, void *host) {
    if (!host) return;
    if (be && be->host_free) be->host_free(be, host);
    else free(host);
}

mumloc_status nn_backend_event_create(nn_backend *be, nn_event **out) {
    if (!be || !out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "event_create: backend and out");
    *out = NULL;
    if (be->event_create) return be->event_create(be, out);
    *out = COMPLETED_EVENT;
    return MUMLOC_OK;
}

void nn_backend_event_destroy(nn_backend *be, nn_event *event) {
    if (!event || event == COMPLETED_EVENT) return;
    if (be && be->event_destroy) be->event_destroy(be, event);
}

mumloc_status nn_backend_upload_async(nn_backend *be, nn_tensor *t, const float *host_nchw,
                                      nn_event *done) {
    if (!be || !t || !host_nchw || !done)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "upload_async: tensor, host data and event");
    if (be->upload_async) return be->upload_async(be, t, host_nchw, done);
    return be->upload(be, t, host_nchw);
}

mumloc_status nn_backend_download_async(nn_backend *be, const nn_tensor *t, float *host_nchw,
                                        nn_event *done) {
    if (!be || !t || !host_nchw || !done)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "download_async: tensor, host data and event");
    if (be->download_async) return be->download_async(be, t, host_nchw, done);
    return be->download(be, t, host_nchw);
}

mumloc_status nn_backend_event_wait(nn_backend *be, nn_event *event) {
    if (!be || !event) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "event_wait: backend and event");
    if (event == COMPLETED_EVENT || !be->event_wait) return MUMLOC_OK;
    return be->event_wait(be, event);
}

mumloc_status nn_backend_memory_info(nn_backend *be, int64_t *free_bytes, int64_t *total_bytes) {
    if (!be || !free_bytes || !total_bytes)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "memory_info: backend and outputs");
    *free_bytes = *total_bytes = -1;
    if (!be->memory_info) return MUMLOC_OK;
    return be->memory_info(be, free_bytes, total_bytes);
}

mumloc_status nn_backend_precision_check(nn_backend *be, nn_precision precision) {
    if (!be) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "precision_check: backend");
    if (precision == NN_PRECISION_FP32) return MUMLOC_OK;
    if (be->precision_check) return be->precision_check(be, precision);
    return error_fail(MUMLOC_ERR_UNSUPPORTED, "the %s backend computes in fp32 only", be->name);
}
