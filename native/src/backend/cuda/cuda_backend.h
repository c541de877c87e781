/*
 * Internals of the CUDA backend (built into libmumloc_cuda.so only; see cuda_abi.h for why it is a
 * separate object). Tensors are plain device arrays in the interface's own NCHW layout: cuDNN takes
 * NCHW directly, so upload and download are straight copies. Everything runs on one stream per
 * backend; calls that return host values synchronise it.
 */
#ifndef BACKEND_CUDA_CUDA_BACKEND_H
#define BACKEND_CUDA_CUDA_BACKEND_H

#include <cuda_runtime.h>
#include <cudnn.h>

#include "backend/cuda/cuda_abi.h"

struct nn_tensor {
    nn_shape shape;
    float *data; /* device memory, NCHW */
};

typedef struct cuda_backend {
    int device;
    cudaStream_t stream;          /* compute: every op, and the synchronous transfers */
    cudaStream_t upload_stream;   /* upload_async (host → device) */
    cudaStream_t download_stream; /* download_async (device → host) */
    cudaEvent_t compute_mark;     /* where the compute stream stood at the last download_async */
    int tf32;                     /* convolutions may use TF32 tensor cores (MUMLOC_CUDA_TF32=1) */
    cudnnHandle_t cudnn;
    void *workspace; /* cuDNN scratch shared by every plan, grown on demand */
    size_t workspace_size;
    double *sum;     /* one device double for loss reductions */
} cuda_backend;

static inline cuda_backend *cuda_of(nn_backend *be) { return (cuda_backend *)be->impl; }

/* The host's error reporter, set when libmumloc asks for the table. Defined with the helpers below in
 * cuda_common.cu, below every op file and cuda_entry.cu. */
extern const cuda_abi_host *cuda_host;
#define CU_FAIL(...) (cuda_host->fail(__VA_ARGS__))

mumloc_status cuda_check(cudaError_t e, const char *what);
mumloc_status cudnn_check(cudnnStatus_t s, const char *what);
#define CU_TRY(expr)                                                                               \
    do {                                                                                           \
        mumloc_status cu_try_status_ = (expr);                                                     \
        if (cu_try_status_ != MUMLOC_OK) return cu_try_status_;                                    \
    } while (0)
#define CUDA_CALL(call, what) CU_TRY(cuda_check((call), (what)))
#define CUDNN_CALL(call, what) CU_TRY(cudnn_check((call), (what)))
/* After a kernel launch: launch errors (bad configuration, no kernel image for this GPU). */
#define CUDA_LAUNCHED(what) CU_TRY(cuda_check(cudaGetLastError(), (what)))

/* Grid size for an element-wise kernel over `count` elements (grid-stride loops inside). */
static inline unsigned cuda_blocks(int64_t count) {
    int64_t b = (count + 255) / 256;
    return (unsigned)(b < 1 ? 1 : (b > 65535 ? 65535 : b));
}
#define CUDA_THREADS 256

mumloc_status cuda_same_shape(const nn_tensor *a, const nn_tensor *b, const char *what);
mumloc_status cuda_workspace(cuda_backend *cb, size_t bytes, void **out);
/* A 4-D float NCHW tensor descriptor. */
mumloc_status cuda_tensor_desc(cudnnTensorDescriptor_t *d, int n, int c, int h, int w);

/* --- ops (one file each) ------------------------------------------------------------------------ */
mumloc_status cuda_tensor_create(nn_backend *be, nn_shape shape, nn_tensor **out);
void cuda_tensor_destroy(nn_backend *be, nn_tensor *t);
nn_shape cuda_tensor_shape(const nn_tensor *t);
mumloc_status cuda_upload(nn_backend *be, nn_tensor *t, const float *host);
mumloc_status cuda_download(nn_backend *be, const nn_tensor *t, float *host);
mumloc_status cuda_fill(nn_backend *be, nn_tensor *t, float value);
mumloc_status cuda_copy(nn_backend *be, const nn_tensor *src, nn_tensor *dst);

mumloc_status cuda_conv_plan_create(nn_backend *be, const nn_conv_desc *desc, nn_conv_plan **out);
void cuda_conv_plan_destroy(nn_backend *be, nn_conv_plan *plan);
mumloc_status cuda_conv_forward(nn_backend *be, nn_conv_plan *plan, const nn_tensor *x,
                                const nn_tensor *w, const nn_tensor *b, nn_tensor *y);
mumloc_status cuda_conv_backward_data(nn_backend *be, nn_conv_plan *plan, const nn_tensor *dy,
                                      const nn_tensor *w, nn_tensor *dx);
mumloc_status cuda_conv_backward_weights(nn_backend *be, nn_conv_plan *plan, const nn_tensor *x,
                                         const nn_tensor *dy, nn_tensor *dw, nn_tensor *db);

mumloc_status cuda_bn_plan_create(nn_backend *be, const nn_bn_desc *desc, nn_bn_plan **out);
void cuda_bn_plan_destroy(nn_backend *be, nn_bn_plan *plan);
mumloc_status cuda_bn_forward_training(nn_backend *be, nn_bn_plan *plan, const nn_tensor *x,
                                       const nn_tensor *gamma, const nn_tensor *beta, nn_tensor *y,
                                       nn_tensor *mean, nn_tensor *var, nn_tensor *running_mean,
                                       nn_tensor *running_var);
mumloc_status cuda_bn_forward_inference(nn_backend *be, nn_bn_plan *plan, const nn_tensor *x,
                                        const nn_tensor *gamma, const nn_tensor *beta,
                                        const nn_tensor *running_mean,
                                        const nn_tensor *running_var, nn_tensor *y);
mumloc_status cuda_bn_backward(nn_backend *be, nn_bn_plan *plan, const nn_tensor *x,
                               const nn_tensor *mean, const nn_tensor *var, const nn_tensor *gamma,
                               const nn_tensor *dy, nn_tensor *dx, nn_tensor *dgamma,
                               nn_tensor *dbeta);
mumloc_status cuda_bn_fold(nn_backend *be, const nn_tensor *w, const nn_tensor *b,
                           const nn_tensor *gamma, const nn_tensor *beta,
                           const nn_tensor *running_mean, const nn_tensor *running_var, float eps,
                           int out_axis, nn_tensor *w_out, nn_tensor *b_out);

mumloc_status cuda_activation_forward(nn_backend *be, nn_activation act, const nn_tensor *x,
                                      nn_tensor *y);
mumloc_status cuda_activation_backward(nn_backend *be, nn_activation act, const nn_tensor *y,
                                       const nn_tensor *dy, nn_tensor *dx);
/* In-place activation on a plan's output (the fused activation of inference convolutions). */
mumloc_status cuda_activation_inplace(cuda_backend *cb, nn_activation act, float *data,
                                      int64_t count);
mumloc_status cuda_adam_step(nn_backend *be, const nn_adam_hyper *hyper, int64_t step,
                             nn_tensor *param, const nn_tensor *grad, nn_tensor *m, nn_tensor *v);

mumloc_status cuda_loss_bce(nn_backend *be, const nn_tensor *p, const nn_tensor *t, nn_tensor *dp,
                            double *loss);
mumloc_status cuda_loss_regression(nn_backend *be, int planes, float negative_ratio,
                                   const nn_tensor *out, const nn_tensor *target, nn_tensor *dout,
                                   double *loss);

/* backend.h's optional hooks: page-locked staging memory, transfers on their own streams, events
 * and free device memory (cuda_async.cu). */
struct nn_event {
    cudaEvent_t event;
};
mumloc_status cuda_host_alloc(nn_backend *be, size_t bytes, void **out);
void cuda_host_free(nn_backend *be, void *host);
mumloc_status cuda_event_create(nn_backend *be, nn_event **out);
void cuda_event_destroy(nn_backend *be, nn_event *event);
mumloc_status cuda_upload_async(nn_backend *be, nn_tensor *t, const float *host, nn_event *done);
mumloc_status cuda_download_async(nn_backend *be, const nn_tensor *t, float *host, nn_event *done);
mumloc_status cuda_event_wait(nn_backend *be, nn_event *event);
mumloc_status cuda_memory_info(nn_backend *be, int64_t *free_bytes, int64_t *total_bytes);

/* Environment variable that lets convolutions use TF32 tensor cores ("1"; anything else or unset:
 * plain fp32 FMA). Read when a backend is created. Off by default: see CUDA.md, "Precision". */
#define CUDA_TF32_ENV "MUMLOC_CUDA_TF32"

/* The simulator's pixels on the GPU (cuda_simulate.cu; see cuda_sim_job). */
mumloc_status cuda_simulate(int device, const cuda_sim_job *job, float *pixels);

#endif
