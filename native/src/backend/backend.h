/*
 * backend.h — the narrow interface every compute backend (CPU now, CUDA later) implements.
 *
 * Layers and models (nn/) are written once against this table of function pointers and never touch
 * tensor memory themselves, so a new backend slots in without touching them.
 *
 * Tensors. A tensor is opaque and lives where the backend computes (host memory for the CPU, device
 * memory for CUDA). Its logical shape is 4-D (n, c, h, w); vectors are (1, c, 1, 1) and weights are
 * (out, in, kh, kw) — or (in, out, kh, kw) for a transposed convolution, as in PyTorch. At this
 * interface every host array is NCHW (row-major over n, c, h, w); how a backend stores a tensor is
 * its own business (the CPU backend stores every tensor channels-last, see cpu_backend.h). Only
 * upload/download convert. Every op below takes tensors of the documented logical shapes; outputs
 * are overwritten unless said otherwise, and may not alias inputs unless said.
 *
 * Plans. Convolutions and batch norm are set up once per geometry (batch, size, channels) as an
 * opaque plan — a oneDNN primitive or a cuDNN descriptor set — and then run many times. A layer
 * recreates its plan when its input shape changes.
 *
 * Threads. Parallelism is inside each op (the CPU backend uses the library's one OpenMP pool, which
 * oneDNN shares). A backend, its tensors and its plans are used from one thread at a time.
 *
 * Errors are values (core/error.h): every call returns a status and sets the thread's message.
 */
#ifndef BACKEND_BACKEND_H
#define BACKEND_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "mumloc.h"

typedef struct nn_tensor nn_tensor;
typedef struct nn_conv_plan nn_conv_plan;
typedef struct nn_bn_plan nn_bn_plan;
typedef struct nn_backend nn_backend;
typedef struct nn_event nn_event; /* completion of queued transfers (see "asynchronous transfers") */

typedef struct nn_shape {
    int n, c, h, w;
} nn_shape;

static inline int64_t nn_shape_count(nn_shape s) { return (int64_t)s.n * s.c * s.h * s.w; }

typedef enum nn_activation {
    NN_ACT_NONE = 0,
    NN_ACT_RELU = 1,
    NN_ACT_SIGMOID = 2
} nn_activation;

/* Arithmetic of an inference convolution. BF16: x and w rounded to bfloat16 (8 significant bits,
 * unit roundoff 2^-9), products accumulated in fp32, bias and the fused activation in fp32; the
 * output stored in bf16 (unless output_fp32), which only the next BF16 convolution and download
 * read. Training and evaluation always run in FP32. */
typedef enum nn_precision { NN_PRECISION_FP32 = 0, NN_PRECISION_BF16 = 1 } nn_precision;

/* One convolution's geometry. Regular: stride 1, kernel k×k (k odd), "same" zero padding (k−1)/2,
 * input (n, in_c, h, w) → output (n, out_c, h, w); weights (out_c, in_c, k, k); bias (out_c).
 * Transposed: stride 2, kernel 3, padding 1, output padding 1 (exactly twice the size),
 * input (n, in_c, h, w) → output (n, out_c, 2h, 2w); weights (in_c, out_c, 3, 3); bias (out_c).
 * `fused` is applied to the forward output only (inference); training keeps it separate. */
typedef struct nn_conv_desc {
    int n, in_c, out_c, h, w;
    int kernel;
    int transposed;
    nn_activation fused;
    nn_precision precision; /* FP32 (default), or BF16 for a plan with a fused activation (inference
                               only) where precision_check accepts it */
    int output_fp32;        /* BF16 plans: store y in fp32 (the network's output layer) */
} nn_conv_desc;

/* Batch normalisation over (n, h, w) per channel: y = γ (x − μ) / sqrt(σ² + eps) + β. */
typedef struct nn_bn_desc {
    int n, c, h, w;
    float eps;      /* 1e-5 */
    float momentum; /* running ← (1 − momentum) running + momentum batch (0.1, PyTorch's); the running
                       variance gets the unbiased batch variance, as PyTorch does */
    nn_activation act; /* NN_ACT_NONE, or NN_ACT_RELU where the backend sets bn_fuses_relu: every
                          forward of the plan outputs relu(BN(x)), and bn_backward takes dy = ∂L/∂ of
                          that output (the ReLU's mask is the plan's, from its last training forward) */
} nn_bn_desc;

typedef struct nn_adam_hyper {
    float lr, beta1, beta2, eps;
} nn_adam_hyper;

struct nn_backend {
    const char *name; /* "cpu", "cuda" */
    void *impl;

    void (*destroy)(nn_backend *be);

    /* --- tensors ------------------------------------------------------------------------------ */
    mumloc_status (*tensor_create)(nn_backend *be, nn_shape shape, nn_tensor **out);
    void (*tensor_destroy)(nn_backend *be, nn_tensor *t); /* NULL is fine */
    nn_shape (*tensor_shape)(const nn_tensor *t);
    mumloc_status (*upload)(nn_backend *be, nn_tensor *t, const float *host_nchw);
    mumloc_status (*download)(nn_backend *be, const nn_tensor *t, float *host_nchw);
    mumloc_status (*fill)(nn_backend *be, nn_tensor *t, float value);
    /* dst ← src (same shape). */
    mumloc_status (*copy)(nn_backend *be, const nn_tensor *src, nn_tensor *dst);

    /* --- convolution (regular or transposed, see nn_conv_desc) --------------------------------- */
    mumloc_status (*conv_plan_create)(nn_backend *be, const nn_conv_desc *desc, nn_conv_plan **out);
    void (*conv_plan_destroy)(nn_backend *be, nn_conv_plan *plan); /* NULL is fine */
    /* y = act(conv(x, w) + b) */
    mumloc_status (*conv_forward)(nn_backend *be, nn_conv_plan *plan, const nn_tensor *x,
                                  const nn_tensor *w, const nn_tensor *b, nn_tensor *y);
    /* dx = ∂L/∂x given dy = ∂L/∂y (the fused activation is not differentiated: train without one). */
    mumloc_status (*conv_backward_data)(nn_backend *be, nn_conv_plan *plan, const nn_tensor *dy,
                                        const nn_tensor *w, nn_tensor *dx);
    /* dw = ∂L/∂w, db = ∂L/∂b (overwritten). */
    mumloc_status (*conv_backward_weights)(nn_backend *be, nn_conv_plan *plan, const nn_tensor *x,
                                           const nn_tensor *dy, nn_tensor *dw, nn_tensor *db);

    /* --- batch norm ------------------------------------------------------------------------------ */
    mumloc_status (*bn_plan_create)(nn_backend *be, const nn_bn_desc *desc, nn_bn_plan **out);
    void (*bn_plan_destroy)(nn_backend *be, nn_bn_plan *plan);
    /* Training: batch statistics into mean/var (biased variance, kept for backward), running
     * averages updated in place. y may alias x. */
    mumloc_status (*bn_forward_training)(nn_backend *be, nn_bn_plan *plan, const nn_tensor *x,
                                         const nn_tensor *gamma, const nn_tensor *beta,
                                         nn_tensor *y, nn_tensor *mean, nn_tensor *var,
                                         nn_tensor *running_mean, nn_tensor *running_var);
    /* Evaluation with the running statistics (unfolded; folding is the fast path). */
    mumloc_status (*bn_forward_inference)(nn_backend *be, nn_bn_plan *plan, const nn_tensor *x,
                                          const nn_tensor *gamma, const nn_tensor *beta,
                                          const nn_tensor *running_mean,
                                          const nn_tensor *running_var, nn_tensor *y);
    /* dx, dgamma, dbeta from the forward's x, batch mean/var and dy. dx may alias dy. */
    mumloc_status (*bn_backward)(nn_backend *be, nn_bn_plan *plan, const nn_tensor *x,
                                 const nn_tensor *mean, const nn_tensor *var,
                                 const nn_tensor *gamma, const nn_tensor *dy, nn_tensor *dx,
                                 nn_tensor *dgamma, nn_tensor *dbeta);
    /* Folds eval-mode batch norm into the preceding convolution: w_out, b_out from the conv's w, b
     * and (γ, β, running μ, running σ²). `out_axis` is the weights' output-channel axis: 0 for a
     * regular convolution (out, in, k, k), 1 for a transposed one (in, out, k, k). */
    mumloc_status (*bn_fold)(nn_backend *be, const nn_tensor *w, const nn_tensor *b,
                             const nn_tensor *gamma, const nn_tensor *beta,
                             const nn_tensor *running_mean, const nn_tensor *running_var,
                             float eps, int out_axis, nn_tensor *w_out, nn_tensor *b_out);
    /* Non-zero if batch-norm plans accept act = NN_ACT_RELU (one memory pass instead of three). */
    int bn_fuses_relu;

    /* --- activations (y may alias x; dx may alias dy) -------------------------------------------- */
    mumloc_status (*activation_forward)(nn_backend *be, nn_activation act, const nn_tensor *x,
                                        nn_tensor *y);
    /* dx from the forward's output y (both ReLU and sigmoid derivatives are functions of y). */
    mumloc_status (*activation_backward)(nn_backend *be, nn_activation act, const nn_tensor *y,
                                         const nn_tensor *dy, nn_tensor *dx);

    /* --- losses (value into *loss, gradient w.r.t. the probabilities into dp) ------------------ */
    /* Σ over all elements of BCE(p, t), divided by the batch size n. */
    mumloc_status (*loss_bce)(nn_backend *be, const nn_tensor *p, const nn_tensor *t,
                              nn_tensor *dp, double *loss);
    /* Regression loss (science.md §4b) on (n, 4k, h, w) outputs and targets: channels 0..k−1 are the
     * per-plane probabilities c (target 1 = positive voxel, 0 = negative), channels k + 3·plane + axis
     * the offsets ζ. Per frame: BCE over positives + BCE over the ratio·(#positives) negatives with the
     * highest BCE + L1 of ζ over positives; summed over frames and divided by n. */
    mumloc_status (*loss_regression)(nn_backend *be, int planes, float negative_ratio,
                                     const nn_tensor *out, const nn_tensor *target, nn_tensor *dout,
                                     double *loss);

    /* --- optimiser ------------------------------------------------------------------------------- */
    /* One Adam step on param (in place) with moments m, v; `step` counts from 1. */
    mumloc_status (*adam_step)(nn_backend *be, const nn_adam_hyper *hyper, int64_t step,
                               nn_tensor *param, const nn_tensor *grad, nn_tensor *m, nn_tensor *v);

    /* --- optional: asynchronous transfers and device memory -------------------------------------
     * A backend that computes where the host cannot see (CUDA) queues its ops; these hooks let a
     * caller overlap the transfers of one batch with the compute of another. Every hook may be NULL
     * (the CPU backend sets none): callers go through the nn_backend_* wrappers below, which then
     * use plain memory and the synchronous upload/download, so the same caller code runs anywhere.
     *
     * Ordering. upload_async queues host → t on its own queue; ops queued after the call see the new
     * contents (the compute queue waits for the copy). download_async queues t → host on its own
     * queue after every op queued before the call. The caller guarantees that no queued op still
     * reads or writes an uploaded tensor, nor writes a downloaded one, until the transfer's `done`
     * event completes — e.g. by uploading into and downloading from per-batch buffers and waiting
     * for a batch's download before reusing its buffers (model/model_infer.c does exactly that).
     * Host memory must stay untouched (upload) or unread (download) until `done` completes. */
    /* Host memory the backend transfers from and to fastest (CUDA: page-locked). */
    mumloc_status (*host_alloc)(nn_backend *be, size_t bytes, void **out);
    void (*host_free)(nn_backend *be, void *host); /* NULL is fine */
    mumloc_status (*event_create)(nn_backend *be, nn_event **out);
    void (*event_destroy)(nn_backend *be, nn_event *event); /* NULL is fine */
    mumloc_status (*upload_async)(nn_backend *be, nn_tensor *t, const float *host_nchw,
                                  nn_event *done);
    mumloc_status (*download_async)(nn_backend *be, const nn_tensor *t, float *host_nchw,
                                    nn_event *done);
    /* Blocks until the work `event` marks is complete; reports errors of the queued work. */
    mumloc_status (*event_wait)(nn_backend *be, nn_event *event);
    /* Free and total memory of the device the backend computes on, bytes. */
    mumloc_status (*memory_info)(nn_backend *be, int64_t *free_bytes, int64_t *total_bytes);

    /* OK when inference plans of that precision run here (on hardware that computes it, not an
     * emulation); MUMLOC_ERR_UNSUPPORTED saying why otherwise. NULL: FP32 only. */
    mumloc_status (*precision_check)(nn_backend *be, nn_precision precision);
};

/* The CPU backend (oneDNN + OpenMP); always available. */
mumloc_status nn_backend_cpu_create(nn_backend **out);

static inline void nn_backend_destroy(nn_backend *be) {
    if (be) be->destroy(be);
}

/* The optional hooks above, with the synchronous fallback where a backend leaves one NULL
 * (backend_async.c): host_alloc → malloc; events complete at once; upload_async/download_async →
 * upload/download (done on return); event_wait → OK; memory_info → -1 and -1 (unknown: the backend
 * computes in host memory). */
mumloc_status nn_backend_host_alloc(nn_backend *be, size_t bytes, void **out);
void nn_backend_host_free(nn_backend *be, void *host);
mumloc_status nn_backend_event_create(nn_backend *be, nn_event **out);
void nn_backend_event_destroy(nn_backend *be, nn_event *event);
mumloc_status nn_backend_upload_async(nn_backend *be, nn_tensor *t, const float *host_nchw,
                                      nn_event *done);
mumloc_status nn_backend_download_async(nn_backend *be, const nn_tensor *t, float *host_nchw,
                                        nn_event *done);
mumloc_status nn_backend_event_wait(nn_backend *be, nn_event *event);
mumloc_status nn_backend_memory_info(nn_backend *be, int64_t *free_bytes, int64_t *total_bytes);
/* precision_check, with FP32 only where a backend leaves it NULL. */
mumloc_status nn_backend_precision_check(nn_backend *be, nn_precision precision);

#endif
