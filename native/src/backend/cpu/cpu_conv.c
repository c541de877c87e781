/*
 * Convolutions on oneDNN, channels-last.
 *
 * A plan runs one or four oneDNN convolutions ("parts"). A regular convolution (stride 1, same
 * padding) is one part. A transposed convolution (stride 2, 3×3, pad 1, output pad 1) is four,
 * by an exact identity: output pixel (2p + a, 2q + b) of phase (a, b) ∈ {0,1}² only sees the inputs
 * (p + dy, q + dx), dy ≤ a, dx ≤ b, through the kernel taps nn_tconv_tap gives. So phase (a, b) is an
 * ordinary convolution on the input grid with a (1 + a) × (1 + b) kernel (padding 0 before, kernel − 1
 * after) — the four phase kernels hold exactly the 9 taps — followed by a depth-to-space interleave.
 * Backward follows part by part: each phase's gradient is its slice of dy; dx is the sum of the four
 * parts' backward-data (phases 1..3 add into dx through a sum post-op); dw gathers the four phase
 * kernels' gradients back onto the 3×3 taps.
 *
 * Backward-data of a stride-1 convolution is itself a forward convolution: dx = conv(dy, W′) with
 * W′[i][o] the kernel W[o][i] rotated by 180° and the paddings swapped (before′ = k − 1 − before). It
 * runs on the forward brgconv kernels, measured 1.7× faster than oneDNN's backward-data kernel for
 * channels-last fp32 (jit:avx512_core) on the regression network.
 *
 * Winograd, on by default (cpu_conv_winograd, cpu_backend.h): a plan of a 3×3 convolution with
 * channels multiples of 16 runs on oneDNN's Winograd kernels in their blocked layout, x/dy/y/dx
 * reordered around them — training plans in all three directions, inference plans with a fused ReLU
 * forward (sigmoid heads stay direct); any geometry oneDNN refuses falls back to the direct path.
 *
 * bf16 inference plans (nn_conv_desc.precision): x and w in bfloat16, fp32 accumulation, bias and
 * the fused activation, y stored in bf16 (read as is by the next bf16 plan) or fp32 for the output
 * layer; an fp32 x (the network input) is converted once per version. Direct kernels only (oneDNN
 * has no bf16 Winograd); a transposed convolution's phases write fp32 for the depth-to-space.
 *
 * Why: oneDNN's deconvolution primitive runs at 15–45 GFLOP/s on this CPU against 350–430 for the
 * phases on its brgconv kernels (bench_nn measures both; cpu_use_deconvolution_primitive selects the
 * primitive, forward only, for that measurement). Stacking the phases into one 2×2 convolution with
 * 4·out channels also works but computes 16 taps for 9 (measured 1.8× slower than the phases).
 */
#include "backend/cpu/cpu_backend.h"

#include <stdlib.h>

#include "core/error.h"

/* The plan switches of cpu_backend.h (the backend sets cpu_conv_winograd when it is created). */
int cpu_use_deconvolution_primitive = 0;
int cpu_conv_winograd = 0;

typedef struct part {
    int kh, kw;
    dnnl_memory_desc_t w_md; /* the part's weights in our layout: (out, in, kh, kw) as ohwi */
    cpu_prim fwd, bwd_data, bwd_w;
    cpu_layout_cache w_fwd, w_bwd;
    dnnl_memory_desc_t diff_w_md; /* the backward-weights kernel's layout of dw */
    cpu_layout_cache x_bwd_w, dy_bwd_w; /* x and dy in the backward-weights kernel's layouts */
    /* Winograd plans only (cpu_conv_winograd): the forward's x in its layout, and its output in its
     * layout before the reorder to ours. */
    cpu_layout_cache x_fwd, dy_bwd_d;
    dnnl_memory_desc_t y_kernel_md, dx_kernel_md;
    void *y_kernel, *dx_kernel;
    cpu_prim y_reorder, dx_reorder;
    cpu_prim dw_reorder;
    float *dw_kernel;             /* dw in that layout, when it is not ours */
    /* transposed convolutions only (NULL otherwise) */
    float *weights; /* this phase's kernel, built from w */
    float *out;     /* this phase's output (n, h, w, out) */
    float *grad;    /* this phase's slice of dy */
    float *dw, *db; /* this phase's weight and bias gradients, our layout */
    float *rotated; /* W′ for backward-data: (in, out, kh, kw) as ohwi, rotated by 180° */
    uint64_t rotated_version;
    dnnl_memory_desc_t rotated_md;
} part;

struct nn_conv_plan {
    nn_conv_desc d;
    int via_deconv;
    int winograd; /* training plan of a 3×3 convolution on oneDNN's Winograd kernels (default) */
    int bf16;     /* bf16 inference plan */
    dnnl_memory_desc_t src_bf16_md; /* bf16 plans: x as the kernel reads it (bf16, channels-last) */
    cpu_layout_cache x_bf16;        /* bf16 plans: an fp32 x converted */
    int parts;
    part part[4];
    dnnl_memory_desc_t src_md, part_dst_md, b_md;
    uint64_t weights_version;    /* phase kernels were built from this version of w */
    uint64_t grad_version;       /* phase gradients were sliced from this version of dy */
    const void *grad_source;
};

static mumloc_status make_attr(nn_activation act, dnnl_primitive_attr_t *attr) {
    *attr = NULL;
    if (act == NN_ACT_NONE) return MUMLOC_OK;
    dnnl_post_ops_t ops;
    CPU_DNNL(dnnl_primitive_attr_create(attr), "convolution attributes");
    CPU_DNNL(dnnl_post_ops_create(&ops), "convolution post-ops");
    dnnl_alg_kind_t alg = act == NN_ACT_RELU ? dnnl_eltwise_relu : dnnl_eltwise_logistic;
    dnnl_status_t s = dnnl_post_ops_append_eltwise(ops, 1.0f, alg, 0.0f, 0.0f);
    if (s == dnnl_success) s = dnnl_primitive_attr_set_post_ops(*attr, ops);
    dnnl_post_ops_destroy(ops);
    return cpu_dnnl_check(s, "a fused activation");
}

/* Attributes that make a convolution add its result into dst (dst ← conv + dst). */
static mumloc_status make_sum_attr(dnnl_primitive_attr_t *attr) {
    dnnl_post_ops_t ops = NULL;
    dnnl_status_t s = dnnl_primitive_attr_create(attr);
    if (s == dnnl_success) s = dnnl_post_ops_create(&ops);
    if (s == dnnl_success) s = dnnl_post_ops_append_sum(ops, 1.0f);
    if (s == dnnl_success) s = dnnl_primitive_attr_set_post_ops(*attr, ops);
    if (ops) dnnl_post_ops_destroy(ops);
    if (s != dnnl_success && *attr) {
        dnnl_primitive_attr_destroy(*attr);
        *attr = NULL;
    }
    return cpu_dnnl_check(s, "a summing convolution");
}

/* Geometry of a part: stride 1; padding before/after per axis. */
static void part_padding(const nn_conv_plan *p, const part *q, dnnl_dims_t pl, dnnl_dims_t pr) {
    if (p->d.transposed) {
        pl[0] = pl[1] = 0;
        pr[0] = q->kh - 1;
        pr[1] = q->kw - 1;
    } else {
        pl[0] = pl[1] = pr[0] = pr[1] = (p->d.kernel - 1) / 2;
    }
}

static mumloc_status any_weights(const nn_conv_plan *p, const part *q, dnnl_memory_desc_t *md) {
    dnnl_dims_t dims = {p->d.out_c, p->d.in_c, q->kh, q->kw};
    CPU_DNNL(dnnl_memory_desc_init_by_tag(md, 4, dims, p->bf16 ? dnnl_bf16 : dnnl_f32,
                                          dnnl_format_tag_any),
             "weights");
    return MUMLOC_OK;
}

/* Descriptors of x and y for a part's kernels: ours (channels-last), or left to oneDNN. */
static mumloc_status data_mds(const nn_conv_plan *p, int ours, dnnl_memory_desc_t *x_md,
                              dnnl_memory_desc_t *y_md) {
    const nn_conv_desc *d = &p->d;
    dnnl_dims_t x_dims = {d->n, d->in_c, d->h, d->w}, y_dims = {d->n, d->out_c, d->h, d->w};
    const dnnl_format_tag_t tag = ours ? dnnl_nhwc : dnnl_format_tag_any;
    CPU_DNNL(dnnl_memory_desc_init_by_tag(x_md, 4, x_dims, dnnl_f32, tag), "x");
    CPU_DNNL(dnnl_memory_desc_init_by_tag(y_md, 4, y_dims, dnnl_f32, tag), "y");
    return MUMLOC_OK;
}

static mumloc_status create_part_forward(cpu_backend *cb, nn_conv_plan *p, part *q) {
    const nn_conv_desc *d = &p->d;
    dnnl_dims_t wdims = {d->out_c, d->in_c, q->kh, q->kw}, strides = {1, 1}, pl, pr;
    dnnl_memory_desc_t w_any, x_md, y_md;
    dnnl_convolution_desc_t cd;
    part_padding(p, q, pl, pr);
    ERROR_TRY(any_weights(p, q, &w_any));
    ERROR_TRY(data_mds(p, !p->winograd, &x_md, &y_md));
    if (p->bf16) {
        x_md = p->src_bf16_md;
        y_md = p->part_dst_md;
    }
    CPU_DNNL(dnnl_memory_desc_init_by_tag(&q->w_md, 4, wdims, dnnl_f32, dnnl_ohwi), "weights");
    /* Winograd always as forward_training: its inference kernel wants weights in a format no
     * reorder produces from ours; training's takes a blocked layout, reordered once per w version. */
    dnnl_prop_kind_t prop = d->fused == NN_ACT_NONE || p->winograd ? dnnl_forward_training
                                                                   : dnnl_forward_inference;
    dnnl_alg_kind_t alg = p->winograd ? dnnl_convolution_winograd : dnnl_convolution_direct;
    CPU_DNNL(dnnl_convolution_forward_desc_init(&cd, prop, alg, &x_md, &w_any, &p->b_md, &y_md,
                                                strides, pl, pr),
             "a convolution");
    dnnl_primitive_attr_t attr;
    ERROR_TRY(make_attr(d->fused, &attr));
    mumloc_status st = cpu_prim_create(cb, &cd, attr, NULL, &q->fwd, "a convolution");
    if (attr) dnnl_primitive_attr_destroy(attr);
    if (st != MUMLOC_OK || !p->winograd) return st;
    ERROR_TRY(cpu_layout_cache_init(cb, &q->x_fwd, &p->src_md,
                                     cpu_prim_md(&q->fwd, dnnl_query_src_md)));
    q->y_kernel_md = *cpu_prim_md(&q->fwd, dnnl_query_dst_md);
    q->y_kernel = cpu_alloc_bytes(dnnl_memory_desc_get_size(&q->y_kernel_md));
    if (!q->y_kernel) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a convolution");
    return MUMLOC_OK;
}

/* oneDNN's deconvolution primitive for a transposed convolution (measurement only, forward only). */
static mumloc_status create_deconvolution(cpu_backend *cb, nn_conv_plan *p, part *q) {
    const nn_conv_desc *d = &p->d;
    dnnl_dims_t wdims = {d->out_c, d->in_c, 3, 3}, strides = {2, 2}, pl = {1, 1}, pr = {0, 0};
    /* our (in, out, 3, 3) weights, stored in, ky, kx, out, seen as oneDNN's (out, in, ky, kx) */
    dnnl_dims_t wstrides = {1, 9 * d->out_c, 3 * d->out_c, d->out_c};
    dnnl_memory_desc_t w_any, y_md;
    dnnl_deconvolution_desc_t dd;
    CPU_DNNL(dnnl_memory_desc_init_by_tag(&w_any, 4, wdims, dnnl_f32, dnnl_format_tag_any), "w");
    CPU_DNNL(dnnl_memory_desc_init_by_strides(&q->w_md, 4, wdims, dnnl_f32, wstrides), "w");
    ERROR_TRY(cpu_md_nhwc(&y_md, d->n, d->out_c, 2 * d->h, 2 * d->w));
    dnnl_prop_kind_t prop = d->fused == NN_ACT_NONE ? dnnl_forward_training : dnnl_forward_inference;
    CPU_DNNL(dnnl_deconvolution_forward_desc_init(&dd, prop, dnnl_deconvolution_direct, &p->src_md,
                                                  &w_any, &p->b_md, &y_md, strides, pl, pr),
             "a deconvolution");
    p->part_dst_md = y_md;
    dnnl_primitive_attr_t attr;
    ERROR_TRY(make_attr(d->fused, &attr));
    mumloc_status st = cpu_prim_create(cb, &dd, attr, NULL, &q->fwd, "a deconvolution");
    if (attr) dnnl_primitive_attr_destroy(attr);
    return st;
}

static mumloc_status create_parts(cpu_backend *cb, nn_conv_plan *p) {
    const nn_conv_desc *d = &p->d;
    ERROR_TRY(cpu_md_nhwc(&p->src_md, d->n, d->in_c, d->h, d->w));
    ERROR_TRY(cpu_md_vec(&p->b_md, d->out_c));
    ERROR_TRY(cpu_md_nhwc(&p->part_dst_md, d->n, d->out_c, d->h, d->w));
    if (p->bf16) {
        dnnl_dims_t x_dims = {d->n, d->in_c, d->h, d->w}, y_dims = {d->n, d->out_c, d->h, d->w};
        CPU_DNNL(dnnl_memory_desc_init_by_tag(&p->src_bf16_md, 4, x_dims, dnnl_bf16, dnnl_nhwc), "x");
        ERROR_TRY(cpu_layout_cache_init(cb, &p->x_bf16, &p->src_md, &p->src_bf16_md));
        if (!d->output_fp32 && !d->transposed)
            CPU_DNNL(dnnl_memory_desc_init_by_tag(&p->part_dst_md, 4, y_dims, dnnl_bf16, dnnl_nhwc),
                     "y");
    }
    if (p->via_deconv) {
        p->parts = 1;
        ERROR_TRY(create_deconvolution(cb, p, &p->part[0]));
    } else {
        p->parts = d->transposed ? 4 : 1;
        for (int i = 0; i < p->parts; i++) {
            part *q = &p->part[i];
            q->kh = d->transposed ? 1 + i / 2 : d->kernel;
            q->kw = d->transposed ? 1 + i % 2 : d->kernel;
            if (p->winograd && create_part_forward(cb, p, q) == MUMLOC_OK) continue;
            p->winograd = 0; /* no Winograd kernel for this geometry: the direct one */
            cpu_prim_destroy(&q->fwd);
            ERROR_TRY(create_part_forward(cb, p, q));
        }
    }
    for (int i = 0; i < p->parts; i++) {
        part *q = &p->part[i];
        ERROR_TRY(cpu_layout_cache_init(cb, &q->w_fwd, &q->w_md,
                                         cpu_prim_md(&q->fwd, dnnl_query_weights_md)));
        if (d->transposed && !p->via_deconv) {
            q->weights = cpu_alloc_floats((size_t)d->out_c * d->in_c * q->kh * q->kw);
            q->out = cpu_alloc_floats((size_t)d->n * d->out_c * d->h * d->w);
            if (!q->weights || !q->out)
                return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a transposed convolution");
        }
    }
    return MUMLOC_OK;
}

mumloc_status cpu_conv_plan_create(nn_backend *be, const nn_conv_desc *desc, nn_conv_plan **out) {
    *out = NULL;
    const nn_conv_desc *d = desc;
    if (d->n < 1 || d->in_c < 1 || d->out_c < 1 || d->h < 1 || d->w < 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "convolution sizes must be positive");
    if (!d->transposed && (d->kernel < 1 || d->kernel % 2 == 0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "a same-padded convolution needs an odd kernel, got %d", d->kernel);
    if (d->transposed && d->kernel != 3)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "transposed convolutions are 3×3 (stride 2, pad 1, output pad 1), got %d",
                           d->kernel);
    if (d->precision != NN_PRECISION_FP32 && d->precision != NN_PRECISION_BF16)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "unknown convolution precision %d",
                           (int)d->precision);
    if (d->precision == NN_PRECISION_BF16) {
        if (d->fused == NN_ACT_NONE)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "bf16 convolutions are for inference (a plan with a fused activation)");
        ERROR_TRY(cpu_precision_check(be, d->precision));
    }
    nn_conv_plan *p = calloc(1, sizeof *p);
    if (!p) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a convolution plan");
    p->d = *d;
    p->bf16 = d->precision == NN_PRECISION_BF16;
    p->via_deconv = d->transposed && cpu_use_deconvolution_primitive && !p->bf16;
    /* Inference plans with ReLU fused too (a post-op of the Winograd kernel): measured 1.2–1.5×
     * faster per frame. Sigmoid heads stay direct: the kernel has no sigmoid post-op, and with the
     * sigmoid in a pass after, the voxel head (128 channels in at 4× the area) was slower. */
    p->winograd = cpu_conv_winograd && !p->bf16 && !d->transposed && d->kernel == 3 &&
                  (d->fused == NN_ACT_NONE || d->fused == NN_ACT_RELU) && d->in_c % 16 == 0 &&
                  d->out_c % 16 == 0;
    mumloc_status st = create_parts(cpu_of(be), p);
    if (st != MUMLOC_OK) {
        cpu_conv_plan_destroy(be, p);
        return st;
    }
    *out = p;
    return MUMLOC_OK;
}

void cpu_conv_plan_destroy(nn_backend *be, nn_conv_plan *p) {
    (void)be;
    if (!p) return;
    for (int i = 0; i < 4; i++) {
        part *q = &p->part[i];
        cpu_prim_destroy(&q->fwd);
        cpu_prim_destroy(&q->bwd_data);
        cpu_prim_destroy(&q->bwd_w);
        cpu_prim_destroy(&q->dw_reorder);
        cpu_layout_cache_free(&q->w_fwd);
        cpu_layout_cache_free(&q->w_bwd);
        cpu_layout_cache_free(&q->x_bwd_w);
        cpu_layout_cache_free(&q->dy_bwd_w);
        cpu_layout_cache_free(&q->x_fwd);
        cpu_layout_cache_free(&q->dy_bwd_d);
        cpu_prim_destroy(&q->y_reorder);
        cpu_prim_destroy(&q->dx_reorder);
        cpu_free(q->y_kernel);
        cpu_free(q->dx_kernel);
        cpu_free(q->dw_kernel);
        cpu_free(q->weights);
        cpu_free(q->out);
        cpu_free(q->grad);
        cpu_free(q->dw);
        cpu_free(q->db);
        cpu_free(q->rotated);
    }
    cpu_layout_cache_free(&p->x_bf16);
    free(p);
}

const char *cpu_conv_plan_impl(const nn_conv_plan *p, int which) {
    const part *q = &p->part[p->parts - 1]; /* the largest phase of a transposed convolution */
    return cpu_prim_impl(which == 0 ? &q->fwd : which == 1 ? &q->bwd_data : &q->bwd_w);
}

static mumloc_status check_shape(const nn_tensor *t, int n, int c, int h, int w, const char *what) {
    nn_shape s = t->shape;
    if (s.n != n || s.c != c || s.h != h || s.w != w)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "convolution %s is %d×%d×%d×%d, expected %d×%d×%d×%d", what, s.n, s.c,
                           s.h, s.w, n, c, h, w);
    return MUMLOC_OK;
}

static mumloc_status check_io(const nn_conv_plan *p, const nn_tensor *in, const nn_tensor *out,
                              const nn_tensor *w, const nn_tensor *b, const char *in_what,
                              const char *out_what) {
    const nn_conv_desc *d = &p->d;
    const int f = d->transposed ? 2 : 1;
    if (in) ERROR_TRY(check_shape(in, d->n, d->in_c, d->h, d->w, in_what));
    if (out) ERROR_TRY(check_shape(out, d->n, d->out_c, d->h * f, d->w * f, out_what));
    if (d->transposed) ERROR_TRY(check_shape(w, d->in_c, d->out_c, 3, 3, "weights"));
    else ERROR_TRY(check_shape(w, d->out_c, d->in_c, d->kernel, d->kernel, "weights"));
    if (b) ERROR_TRY(check_shape(b, 1, d->out_c, 1, 1, "bias"));
    return MUMLOC_OK;
}

/* Each part's weights in our layout: w itself, or the phase kernels rebuilt when w changed. */
static const float *part_weights(nn_conv_plan *p, int i, const nn_tensor *w) {
    if (!p->part[0].weights) return w->data;
    if (p->weights_version != w->version) {
        float *wp[4] = {p->part[0].weights, p->part[1].weights, p->part[2].weights,
                        p->part[3].weights};
        cpu_tconv_phase_weights(w->data, p->d.in_c, p->d.out_c, wp);
        p->weights_version = w->version;
    }
    return p->part[i].weights;
}

mumloc_status cpu_conv_forward(nn_backend *be, nn_conv_plan *p, const nn_tensor *x,
                               const nn_tensor *w, const nn_tensor *b, nn_tensor *y) {
    cpu_backend *cb = cpu_of(be);
    ERROR_TRY(check_io(p, x, y, w, b, "input", "output"));
    const void *x_data = x->data;
    if (p->bf16 && !x->bf16)
        ERROR_TRY(cpu_layout_cache_get(cb, &p->x_bf16, &p->src_md, x->data, x->version, &x_data));
    if (!p->bf16 && x->bf16)
        return error_fail(MUMLOC_ERR_INTERNAL, "an fp32 convolution was given a bf16 input");
    for (int i = 0; i < p->parts; i++) {
        part *q = &p->part[i];
        const void *wdata;
        ERROR_TRY(cpu_layout_cache_get(cb, &q->w_fwd, &q->w_md, part_weights(p, i, w), w->version,
                                        &wdata));
        if (p->winograd) {
            const void *x_kernel;
            ERROR_TRY(cpu_layout_cache_get(cb, &q->x_fwd, &p->src_md, x->data, x->version,
                                            &x_kernel));
            cpu_arg args[4] = {{DNNL_ARG_SRC, &q->x_fwd.want, x_kernel},
                               {DNNL_ARG_WEIGHTS, &q->w_fwd.want, wdata},
                               {DNNL_ARG_BIAS, &p->b_md, b->data},
                               {DNNL_ARG_DST, &q->y_kernel_md, q->y_kernel}};
            ERROR_TRY(cpu_execute(cb, q->fwd.prim, 4, args));
            ERROR_TRY(cpu_reorder_run(cb, &q->y_reorder, &q->y_kernel_md, q->y_kernel,
                                       &p->part_dst_md, y->data));
            continue;
        }
        cpu_arg args[4] = {{DNNL_ARG_SRC, p->bf16 ? &p->src_bf16_md : &p->src_md, x_data},
                           {DNNL_ARG_WEIGHTS, &q->w_fwd.want, wdata},
                           {DNNL_ARG_BIAS, &p->b_md, b->data},
                           {DNNL_ARG_DST, &p->part_dst_md, q->out ? q->out : y->data}};
        ERROR_TRY(cpu_execute(cb, q->fwd.prim, 4, args));
    }
    if (p->parts == 4) {
        float *zp[4] = {p->part[0].out, p->part[1].out, p->part[2].out, p->part[3].out};
        cpu_depth_to_space(zp, p->d.n, p->d.h, p->d.w, p->d.out_c, y->data);
    }
    cpu_touch(y);
    y->bf16 = p->bf16 && !p->d.output_fp32 && p->parts == 1;
    return MUMLOC_OK;
}

static mumloc_status need_training_plan(const nn_conv_plan *p) {
    if (p->d.fused != NN_ACT_NONE || p->bf16)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "backward passes need a plan without a fused activation");
    if (p->via_deconv)
        return error_fail(MUMLOC_ERR_UNSUPPORTED,
                           "the deconvolution-primitive path is for measurement only (forward)");
    return MUMLOC_OK;
}

/* Part i's output gradient: dy itself, or its phase slice (sliced once per version of dy). */
static mumloc_status part_gradient(nn_conv_plan *p, int i, const nn_tensor *dy, const float **out) {
    if (p->parts == 1) {
        *out = dy->data;
        return MUMLOC_OK;
    }
    if (p->grad_source != (const void *)dy || p->grad_version != dy->version) {
        float *g[4];
        for (int k = 0; k < 4; k++) {
            if (!p->part[k].grad)
                p->part[k].grad = cpu_alloc_floats((size_t)p->d.n * p->d.out_c * p->d.h * p->d.w);
            if (!p->part[k].grad) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for dy");
            g[k] = p->part[k].grad;
        }
        cpu_space_to_depth(dy->data, p->d.n, p->d.h, p->d.w, p->d.out_c, g);
        p->grad_source = dy;
        p->grad_version = dy->version;
    }
    *out = p->part[i].grad;
    return MUMLOC_OK;
}

/* Backward-data as a forward convolution of dy with the rotated kernel (see the top of the file). */
static mumloc_status create_part_backward_data(cpu_backend *cb, nn_conv_plan *p, part *q) {
    const nn_conv_desc *d = &p->d;
    dnnl_dims_t strides = {1, 1}, pl, pr, rl, rr;
    dnnl_dims_t rdims = {d->in_c, d->out_c, q->kh, q->kw};
    dnnl_dims_t dy_dims = {d->n, d->out_c, d->h, d->w}, dx_dims = {d->n, d->in_c, d->h, d->w};
    dnnl_memory_desc_t w_any, dy_md = p->part_dst_md, dx_md = p->src_md;
    dnnl_convolution_desc_t cd;
    part_padding(p, q, pl, pr);
    rl[0] = q->kh - 1 - pl[0];
    rl[1] = q->kw - 1 - pl[1];
    rr[0] = q->kh - 1 - pr[0];
    rr[1] = q->kw - 1 - pr[1];
    CPU_DNNL(dnnl_memory_desc_init_by_tag(&w_any, 4, rdims, dnnl_f32, dnnl_format_tag_any), "w");
    CPU_DNNL(dnnl_memory_desc_init_by_tag(&q->rotated_md, 4, rdims, dnnl_f32, dnnl_ohwi), "w");
    if (p->winograd) {
        CPU_DNNL(dnnl_memory_desc_init_by_tag(&dy_md, 4, dy_dims, dnnl_f32, dnnl_format_tag_any), "dy");
        CPU_DNNL(dnnl_memory_desc_init_by_tag(&dx_md, 4, dx_dims, dnnl_f32, dnnl_format_tag_any), "dx");
    }
    /* (Winograd for inference wants weights in a format no reorder produces from ours.) */
    CPU_DNNL(dnnl_convolution_forward_desc_init(
                 &cd, p->winograd ? dnnl_forward_training : dnnl_forward_inference,
                 p->winograd ? dnnl_convolution_winograd : dnnl_convolution_direct, &dy_md, &w_any,
                 NULL, &dx_md, strides, rl, rr),
             "a convolution backward-data");
    /* Phases after the first add their share into dx as they write it (oneDNN's sum post-op): no
     * per-phase buffers and no extra passes over dx; the additions happen in the same order. */
    dnnl_primitive_attr_t attr = NULL;
    if (q != &p->part[0]) ERROR_TRY(make_sum_attr(&attr));
    mumloc_status st = cpu_prim_create(cb, &cd, attr, NULL, &q->bwd_data,
                                       "a convolution backward-data");
    if (attr) dnnl_primitive_attr_destroy(attr);
    ERROR_TRY(st);
    ERROR_TRY(cpu_layout_cache_init(cb, &q->w_bwd, &q->rotated_md,
                                     cpu_prim_md(&q->bwd_data, dnnl_query_weights_md)));
    q->rotated = cpu_alloc_floats((size_t)d->out_c * d->in_c * q->kh * q->kw);
    if (!q->rotated) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for weights");
    if (p->winograd) {
        ERROR_TRY(cpu_layout_cache_init(cb, &q->dy_bwd_d, &p->part_dst_md,
                                         cpu_prim_md(&q->bwd_data, dnnl_query_src_md)));
        q->dx_kernel_md = *cpu_prim_md(&q->bwd_data, dnnl_query_dst_md);
        q->dx_kernel = cpu_alloc_bytes(dnnl_memory_desc_get_size(&q->dx_kernel_md));
        if (!q->dx_kernel) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for dx");
    }
    return MUMLOC_OK;
}

/* W′ (in, kh, kw, out) from the part's W (out, kh, kw, in): swapped channels, rotated taps. */
static const float *rotated_weights(nn_conv_plan *p, int i, const nn_tensor *w) {
    part *q = &p->part[i];
    if (q->rotated_version != w->version) {
        const float *src = part_weights(p, i, w);
        const int ci = p->d.in_c, co = p->d.out_c, kh = q->kh, kw = q->kw;
        for (int o = 0; o < co; o++)
            for (int y = 0; y < kh; y++)
                for (int x = 0; x < kw; x++)
                    for (int c = 0; c < ci; c++)
                        q->rotated[((size_t)(c * kh + (kh - 1 - y)) * kw + (kw - 1 - x)) * co + o] =
                            src[((size_t)(o * kh + y) * kw + x) * ci + c];
        q->rotated_version = w->version;
    }
    return q->rotated;
}

mumloc_status cpu_conv_backward_data(nn_backend *be, nn_conv_plan *p, const nn_tensor *dy,
                                     const nn_tensor *w, nn_tensor *dx) {
    cpu_backend *cb = cpu_of(be);
    ERROR_TRY(need_training_plan(p));
    ERROR_TRY(check_io(p, dx, dy, w, NULL, "input gradient", "output gradient"));
    for (int i = 0; i < p->parts; i++) {
        part *q = &p->part[i];
        if (!q->bwd_data.prim) ERROR_TRY(create_part_backward_data(cb, p, q));
        const void *wdata;
        const float *g;
        ERROR_TRY(cpu_layout_cache_get(cb, &q->w_bwd, &q->rotated_md, rotated_weights(p, i, w),
                                        w->version, &wdata));
        ERROR_TRY(part_gradient(p, i, dy, &g));
        if (p->winograd) {
            /* dy in the kernel's layout: backward-weights usually reordered it already. */
            cpu_layout_cache *gc = &q->dy_bwd_d;
            if (q->bwd_w.prim && dnnl_memory_desc_equal(&gc->want, &q->dy_bwd_w.want)) gc = &q->dy_bwd_w;
            const void *g_kernel;
            ERROR_TRY(cpu_layout_cache_get(cb, gc, &p->part_dst_md, g, dy->version, &g_kernel));
            cpu_arg args[3] = {{DNNL_ARG_SRC, &gc->want, g_kernel},
                               {DNNL_ARG_WEIGHTS, &q->w_bwd.want, wdata},
                               {DNNL_ARG_DST, &q->dx_kernel_md, q->dx_kernel}};
            ERROR_TRY(cpu_execute(cb, q->bwd_data.prim, 3, args));
            ERROR_TRY(cpu_reorder_run(cb, &q->dx_reorder, &q->dx_kernel_md, q->dx_kernel,
                                       &p->src_md, dx->data));
            continue;
        }
        cpu_arg args[3] = {{DNNL_ARG_SRC, &p->part_dst_md, g},
                           {DNNL_ARG_WEIGHTS, &q->w_bwd.want, wdata},
                           {DNNL_ARG_DST, &p->src_md, dx->data}};
        ERROR_TRY(cpu_execute(cb, q->bwd_data.prim, 3, args));
    }
    cpu_touch(dx);
    return MUMLOC_OK;
}

/* Backward-weights of a wide layer (≥ 32 channels in and out) lets oneDNN choose the layouts of x
 * and dy too: it picks its blocked nChw16c kernel, measured 1.1–1.3× faster than its channels-last
 * one there (regression 64², batch 8, 1 thread), and the two reorders into that layout cost a few
 * percent of the kernel. Narrower layers stay channels-last: with 4 input channels oneDNN falls back
 * to an AVX2 kernel 4× slower, and at 16 channels the reorders eat the gain. The forward primitive
 * created here only guides oneDNN's choice. */
static int blocked_backward_weights(const nn_conv_desc *d) { return d->in_c >= 32 && d->out_c >= 32; }

static mumloc_status create_part_backward_weights(cpu_backend *cb, nn_conv_plan *p, part *q) {
    const nn_conv_desc *d = &p->d;
    dnnl_dims_t strides = {1, 1}, pl, pr;
    dnnl_dims_t src_dims = {d->n, d->in_c, d->h, d->w}, dst_dims = {d->n, d->out_c, d->h, d->w};
    dnnl_memory_desc_t w_any, src_any, dst_any;
    dnnl_convolution_desc_t cd, fd;
    part_padding(p, q, pl, pr);
    ERROR_TRY(any_weights(p, q, &w_any));
    const dnnl_format_tag_t data_tag =
        p->winograd || blocked_backward_weights(d) ? dnnl_format_tag_any : dnnl_nhwc;
    const dnnl_alg_kind_t alg = p->winograd ? dnnl_convolution_winograd : dnnl_convolution_direct;
    CPU_DNNL(dnnl_memory_desc_init_by_tag(&src_any, 4, src_dims, dnnl_f32, data_tag), "x");
    CPU_DNNL(dnnl_memory_desc_init_by_tag(&dst_any, 4, dst_dims, dnnl_f32, data_tag), "dy");
    CPU_DNNL(dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, alg, &src_any, &w_any,
                                                &p->b_md, &dst_any, strides, pl, pr),
             "a convolution");
    cpu_prim hint;
    ERROR_TRY(cpu_prim_create(cb, &fd, NULL, NULL, &hint, "a convolution"));
    CPU_DNNL(dnnl_convolution_backward_weights_desc_init(&cd, alg, &src_any, &w_any, &p->b_md,
                                                         &dst_any, strides, pl, pr),
             "a convolution backward-weights");
    mumloc_status st = cpu_prim_create(cb, &cd, NULL, hint.pd, &q->bwd_w,
                                       "a convolution backward-weights");
    cpu_prim_destroy(&hint);
    ERROR_TRY(st);
    ERROR_TRY(cpu_layout_cache_init(cb, &q->x_bwd_w, &p->src_md,
                                     cpu_prim_md(&q->bwd_w, dnnl_query_src_md)));
    ERROR_TRY(cpu_layout_cache_init(cb, &q->dy_bwd_w, &p->part_dst_md,
                                     cpu_prim_md(&q->bwd_w, dnnl_query_diff_dst_md)));
    q->diff_w_md = *cpu_prim_md(&q->bwd_w, dnnl_query_diff_weights_md);
    if (!dnnl_memory_desc_equal(&q->diff_w_md, &q->w_md)) {
        q->dw_kernel = cpu_alloc_bytes(dnnl_memory_desc_get_size(&q->diff_w_md));
        if (!q->dw_kernel) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for dw");
    }
    if (p->parts > 1) {
        q->dw = cpu_alloc_floats((size_t)p->d.out_c * p->d.in_c * q->kh * q->kw);
        q->db = cpu_alloc_floats((size_t)p->d.out_c);
        if (!q->dw || !q->db) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for dw");
    }
    return MUMLOC_OK;
}

mumloc_status cpu_conv_backward_weights(nn_backend *be, nn_conv_plan *p, const nn_tensor *x,
                                        const nn_tensor *dy, nn_tensor *dw, nn_tensor *db) {
    cpu_backend *cb = cpu_of(be);
    ERROR_TRY(need_training_plan(p));
    ERROR_TRY(check_io(p, x, dy, dw, db, "input", "output gradient"));
    for (int i = 0; i < p->parts; i++) {
        part *q = &p->part[i];
        if (!q->bwd_w.prim) ERROR_TRY(create_part_backward_weights(cb, p, q));
        const float *g;
        const void *x_want, *g_want;
        ERROR_TRY(part_gradient(p, i, dy, &g));
        /* The phases of a transposed convolution share x: reorder it once where layouts agree. */
        cpu_layout_cache *xc = &q->x_bwd_w;
        if (i > 0 && dnnl_memory_desc_equal(&xc->want, &p->part[0].x_bwd_w.want))
            xc = &p->part[0].x_bwd_w;
        if (p->winograd && dnnl_memory_desc_equal(&xc->want, &q->x_fwd.want))
            xc = &q->x_fwd; /* the forward's reordered x, still valid */
        ERROR_TRY(cpu_layout_cache_get(cb, xc, &p->src_md, x->data, x->version, &x_want));
        ERROR_TRY(cpu_layout_cache_get(cb, &q->dy_bwd_w, &p->part_dst_md, g, dy->version, &g_want));
        float *w_ours = q->dw ? q->dw : dw->data, *b_ours = q->db ? q->db : db->data;
        cpu_arg args[4] = {{DNNL_ARG_SRC, &xc->want, x_want},
                           {DNNL_ARG_DIFF_DST, &q->dy_bwd_w.want, g_want},
                           {DNNL_ARG_DIFF_WEIGHTS, &q->diff_w_md, q->dw_kernel ? q->dw_kernel : w_ours},
                           {DNNL_ARG_DIFF_BIAS, &p->b_md, b_ours}};
        ERROR_TRY(cpu_execute(cb, q->bwd_w.prim, 4, args));
        if (q->dw_kernel)
            ERROR_TRY(cpu_reorder_run(cb, &q->dw_reorder, &q->diff_w_md, q->dw_kernel, &q->w_md,
                                       w_ours));
    }
    if (p->parts == 4) {
        float *dwp[4] = {p->part[0].dw, p->part[1].dw, p->part[2].dw, p->part[3].dw};
        float *dbp[4] = {p->part[0].db, p->part[1].db, p->part[2].db, p->part[3].db};
        cpu_tconv_gather_gradient(dwp, dbp, p->d.in_c, p->d.out_c, dw->data, db->data);
    }
    cpu_touch(dw);
    cpu_touch(db);
    return MUMLOC_OK;
}

mumloc_status cpu_precision_check(nn_backend *be, nn_precision precision) {
    (void)be;
    if (precision == NN_PRECISION_FP32) return MUMLOC_OK;
    if (precision != NN_PRECISION_BF16)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "unknown precision %d", (int)precision);
    /* Without the instructions oneDNN would still run bf16, on reference kernels far slower than
     * fp32: refuse instead. The ISA values are bit sets, each including the ones below it. */
    const dnnl_cpu_isa_t isa = dnnl_get_effective_cpu_isa();
    if (((unsigned)isa & (unsigned)dnnl_cpu_isa_avx512_core_bf16) ==
        (unsigned)dnnl_cpu_isa_avx512_core_bf16)
        return MUMLOC_OK;
    return error_fail(MUMLOC_ERR_UNSUPPORTED,
                       "bf16 inference needs a CPU with AVX512_BF16 (or AMX); this one %s: use "
                       "fp32 precision",
                       getenv("ONEDNN_MAX_CPU_ISA") || getenv("DNNL_MAX_CPU_ISA")
                           ? "is limited below it by ONEDNN_MAX_CPU_ISA / DNNL_MAX_CPU_ISA"
                           : "does not have it");
}
