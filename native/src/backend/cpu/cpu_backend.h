/*
 * Internals of the CPU backend (oneDNN for convolutions and batch norm, OpenMP loops over the
 * element-wise kernels of nn/kernels.h for everything else).
 *
 * Layout. Every tensor is stored channels-last: logical (n, c, h, w) lives at ((n·h + y)·w + x)·c + ch,
 * i.e. oneDNN's `nhwc` (and `ohwi` for weights, the same dimension order). Measured reasons: oneDNN's
 * fastest fp32 kernels on this AVX-512 CPU (brgconv) work on channels-last data directly, so
 * activations flow from layer to layer with no reorders; the per-channel batch-norm statistics and the
 * depth-to-space shuffle of the transposed convolution become contiguous runs of channels; and, unlike
 * the blocked nChw16c layouts, there is no channel padding for element-wise code to respect. Weights
 * are reordered to whatever layout the convolution kernel asks for and cached until the weights
 * change (every write stamps a tensor with a new, globally unique `version`).
 */
#ifndef BACKEND_CPU_CPU_BACKEND_H
#define BACKEND_CPU_CPU_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include <oneapi/dnnl/dnnl.h>

#include "backend/backend.h"

struct nn_tensor {
    nn_shape shape;
    float *data;      /* channels-last, 64-byte aligned */
    uint64_t version; /* unique stamp from a global clock, renewed by every op that writes it */
    int bf16;         /* data holds bfloat16 values (the output of a BF16 inference convolution);
                         only BF16 convolutions, copy and download read such a tensor */
};

typedef struct cpu_backend {
    dnnl_engine_t engine;
    dnnl_stream_t stream;
} cpu_backend;

static inline cpu_backend *cpu_of(nn_backend *be) { return (cpu_backend *)be->impl; }
/* Stamps are globally unique, so a (tensor, stamp) pair never repeats even if memory is reused. */
extern uint64_t cpu_version_clock;
/* Every op that writes a tensor touches it; the write is fp32 unless the op says otherwise after. */
static inline void cpu_touch(nn_tensor *t) {
    t->version = __atomic_add_fetch(&cpu_version_clock, 1, __ATOMIC_RELAXED);
    t->bf16 = 0;
}

/* Test and benchmark switch: run transposed convolutions (forward only) on oneDNN's deconvolution
 * primitive instead of the four-phase identity of cpu_conv.c (read when a plan is created). */
extern int cpu_use_deconvolution_primitive;

/* On by default: training plans of 3×3 convolutions (channels multiples of 16) run forward,
 * backward-weights and backward-data on oneDNN's Winograd F(4×4, 3×3) kernels (jit_wino_4x3)
 * instead of the direct ones: measured 1.4–1.9× faster per direction; Winograd's transforms round
 * differently from a direct convolution (within 1e-4 instead of 1e-5 relative), harmless to training.
 * Inference plans of those layers with a fused ReLU use them too (1.2–1.5× faster per frame,
 * localizations the same to 0.001 nm); those with a fused sigmoid keep the direct kernels.
 * MUMLOC_CPU_WINOGRAD=0 in the environment when a backend is created turns it off (the variable is
 * set from it there, and read when a plan is created). */
extern int cpu_conv_winograd;
#define CPU_WINOGRAD_ENV "MUMLOC_CPU_WINOGRAD"

/* --- oneDNN helpers and the version clock (cpu_dnnl.c) --------------------------------------- */
mumloc_status cpu_dnnl_check(dnnl_status_t st, const char *what);
#define CPU_DNNL(call, what) ERROR_TRY(cpu_dnnl_check((call), (what)))

/* Aligned buffers (64 bytes); NULL-safe free. */
float *cpu_alloc_floats(size_t count);
void *cpu_alloc_bytes(size_t bytes);
void cpu_free(void *p);

/* Memory descriptor of a 4-D channels-last tensor with logical dims (a, b, c, d). */
mumloc_status cpu_md_nhwc(dnnl_memory_desc_t *md, int a, int b, int c, int d);
mumloc_status cpu_md_vec(dnnl_memory_desc_t *md, int n);

/* Up to 10 (argument, descriptor, pointer) triples executed on the backend's stream. */
typedef struct cpu_arg {
    int arg;
    const dnnl_memory_desc_t *md;
    const void *data;
} cpu_arg;
mumloc_status cpu_execute(cpu_backend *cb, dnnl_primitive_t prim, int nargs, const cpu_arg *args);

/* A primitive and its descriptor; cpu_prim_impl names oneDNN's implementation (for benchmarks). */
typedef struct cpu_prim {
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t prim;
} cpu_prim;
mumloc_status cpu_prim_create(cpu_backend *cb, const void *op_desc, const_dnnl_primitive_attr_t attr,
                              const_dnnl_primitive_desc_t hint, cpu_prim *out, const char *what);
void cpu_prim_destroy(cpu_prim *p);
const char *cpu_prim_impl(const cpu_prim *p);
const dnnl_memory_desc_t *cpu_prim_md(const cpu_prim *p, dnnl_query_t what);

/* A buffer holding data reordered from a source layout into a primitive's wanted layout, recomputed
 * only when the source (pointer, version) changes. `data` is the source itself when the layouts match. */
typedef struct cpu_layout_cache {
    dnnl_memory_desc_t want;
    cpu_prim reorder;
    int has_reorder;
    void *buffer;
    const void *data;
    const void *src_ptr;
    uint64_t src_version;
    int valid;
} cpu_layout_cache;
mumloc_status cpu_layout_cache_init(cpu_backend *cb, cpu_layout_cache *c,
                                    const dnnl_memory_desc_t *have, const dnnl_memory_desc_t *want);
/* Returns the data in the wanted layout (reordering if the source changed since the last call). */
mumloc_status cpu_layout_cache_get(cpu_backend *cb, cpu_layout_cache *c,
                                   const dnnl_memory_desc_t *have, const void *src,
                                   uint64_t src_version, const void **out);
void cpu_layout_cache_free(cpu_layout_cache *c);

/* Runs a reorder primitive between two descriptors (weights out of a kernel's layout). */
mumloc_status cpu_reorder_run(cpu_backend *cb, cpu_prim *reorder, const dnnl_memory_desc_t *from,
                              const void *src, const dnnl_memory_desc_t *to, void *dst);

/* OK where oneDNN runs bf16 convolutions on this CPU's own instructions (AVX512_BF16 or AMX;
 * oneDNN's ONEDNN_MAX_CPU_ISA / DNNL_MAX_CPU_ISA caps count); MUMLOC_ERR_UNSUPPORTED naming what
 * is missing otherwise (cpu_conv.c). */
mumloc_status cpu_precision_check(nn_backend *be, nn_precision precision);

/* --- ops, one file each ------------------------------------------------------------------------ */
mumloc_status cpu_conv_plan_create(nn_backend *be, const nn_conv_desc *desc, nn_conv_plan **out);
void cpu_conv_plan_destroy(nn_backend *be, nn_conv_plan *plan);
mumloc_status cpu_conv_forward(nn_backend *be, nn_conv_plan *plan, const nn_tensor *x,
                               const nn_tensor *w, const nn_tensor *b, nn_tensor *y);
mumloc_status cpu_conv_backward_data(nn_backend *be, nn_conv_plan *plan, const nn_tensor *dy,
                                     const nn_tensor *w, nn_tensor *dx);
mumloc_status cpu_conv_backward_weights(nn_backend *be, nn_conv_plan *plan, const nn_tensor *x,
                                        const nn_tensor *dy, nn_tensor *dw, nn_tensor *db);
/* The transposed-convolution identity's data movement (cpu_tconv_layout.c), channels-last arrays:
 * w (in, 3, 3, out) → the phase kernels wp[a·2 + b] (out, 1 + a, 1 + b, in); the phase kernels'
 * gradients (same layouts) and bias gradients → dw, db; the four phase outputs zp (n, h, w, out) →
 * y (n, 2h, 2w, out), and back. */
void cpu_tconv_phase_weights(const float *w, int ci, int co, float *const wp[4]);
void cpu_tconv_gather_gradient(float *const dwp[4], float *const dbp[4], int ci, int co, float *dw,
                               float *db);
void cpu_depth_to_space(float *const zp[4], int n, int h, int w, int co, float *y);
void cpu_space_to_depth(const float *y, int n, int h, int w, int co, float *const zp[4]);

/* oneDNN implementation names of a plan's forward / backward-data / backward-weights kernels. */
const char *cpu_conv_plan_impl(const nn_conv_plan *plan, int which);

mumloc_status cpu_bn_plan_create(nn_backend *be, const nn_bn_desc *desc, nn_bn_plan **out);
void cpu_bn_plan_destroy(nn_backend *be, nn_bn_plan *plan);
mumloc_status cpu_bn_forward_training(nn_backend *be, nn_bn_plan *plan, const nn_tensor *x,
                                      const nn_tensor *gamma, const nn_tensor *beta, nn_tensor *y,
                                      nn_tensor *mean, nn_tensor *var, nn_tensor *running_mean,
                                      nn_tensor *running_var);
mumloc_status cpu_bn_forward_inference(nn_backend *be, nn_bn_plan *plan, const nn_tensor *x,
                                       const nn_tensor *gamma, const nn_tensor *beta,
                                       const nn_tensor *running_mean, const nn_tensor *running_var,
                                       nn_tensor *y);
mumloc_status cpu_bn_backward(nn_backend *be, nn_bn_plan *plan, const nn_tensor *x,
                              const nn_tensor *mean, const nn_tensor *var, const nn_tensor *gamma,
                              const nn_tensor *dy, nn_tensor *dx, nn_tensor *dgamma,
                              nn_tensor *dbeta);
mumloc_status cpu_bn_fold(nn_backend *be, const nn_tensor *w, const nn_tensor *b,
                          const nn_tensor *gamma, const nn_tensor *beta,
                          const nn_tensor *running_mean, const nn_tensor *running_var, float eps,
                          int out_axis, nn_tensor *w_out, nn_tensor *b_out);

mumloc_status cpu_activation_forward(nn_backend *be, nn_activation act, const nn_tensor *x,
                                     nn_tensor *y);
mumloc_status cpu_activation_backward(nn_backend *be, nn_activation act, const nn_tensor *y,
                                      const nn_tensor *dy, nn_tensor *dx);
mumloc_status cpu_adam_step(nn_backend *be, const nn_adam_hyper *hyper, int64_t step,
                            nn_tensor *param, const nn_tensor *grad, nn_tensor *m, nn_tensor *v);

mumloc_status cpu_loss_bce(nn_backend *be, const nn_tensor *p, const nn_tensor *t, nn_tensor *dp,
                           double *loss);
mumloc_status cpu_loss_regression(nn_backend *be, int planes, float negative_ratio,
                                  const nn_tensor *out, const nn_tensor *target, nn_tensor *dout,
                                  double *loss);

/* Shape check shared by the ops: fails with a message naming `what` unless a and b are equal. */
mumloc_status cpu_same_shape(const nn_tensor *a, const nn_tensor *b, const char *what);

#endif
