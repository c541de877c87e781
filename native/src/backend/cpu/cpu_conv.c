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
 * parts' backward-data; dw gathers the four phase kernels' gradients back onto the 3×3 taps.
 *
 * Backward-data of a stride-1 convolution is itself a forward convolution: dx = conv(dy, W′) with
 * W′[i][o] the kernel W[o][i] rotated by 180° and the paddings swapped (before′ = k − 1 − before). It
 * runs on the forward brgconv kernels, measured 1.7× faster than oneDNN's backward-data kernel for
 * channels-last fp32 (jit:avx512_core) on the regression network.
 *
 * Why: oneDNN's deconvolution primitive runs at 15–45 GFLOP/s on this CPU against 350–430 for the
 * phases on its brgconv kernels (bench_nn measures both; cpu_use_deconvolution_primitive selects the
 * primitive, forward only, for that measurement). Stacking the phases into one 2×2 convolution with
 * 4·out channels also works but computes 16 taps for 9 (measured 1.8× slower than the phases).
 */
#include "backend/cpu/cpu_backend.h"

#include <stdlib.h>

#include "core/error.h"

typedef struct part {
    int kh, kw;
    dnnl_memory_desc_t w_md; /* the part's weights in our layout: (out, in, kh, kw) as ohwi */
    cpu_prim fwd, bwd_data, bwd_w;
    cpu_layout_cache w_fwd, w_bwd;
    dnnl_memory_desc_t diff_w_md; /* the backward-weights kernel's layout of dw */
    cpu_prim dw_reorder;
    float *dw_kernel;             /* dw in that layout, when it is not ours */
    /* transposed convolutions only (NULL otherwise) */
    float *weights; /* this phase's kernel, built from w */
    float *out;     /* this phase's output (n, h, w, out) */
    float *grad;    /* this phase's slice of dy */
    float *dx;      /* this phase's share of dx (phases 1..3; phase 0 writes dx itself) */
    float *dw, *db; /* this phase's weight and bias gradients, our layout */
    float *rotated; /* W′ for backward-data: (in, out, kh, kw) as ohwi, rotated by 180° */
    uint64_t rotated_version;
    dnnl_memory_desc_t rotated_md;
} part;

struct nn_conv_plan {
    nn_conv_desc d;
    int via_deconv;
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
    CPU_DNNL(dnnl_memory_desc_init_by_tag(md, 4, dims, dnnl_f32, dnnl_format_tag_any), "weights");
    return MUMLOC_OK;
}

static mumloc_status create_part_forward(cpu_backend *cb, nn_conv_plan *p, part *q) {
    const nn_conv_desc *d = &p->d;
    dnnl_dims_t wdims = {d->out_c, d->in_c, q->kh, q->kw}, strides = {1, 1}, pl, pr;
    dnnl_memory_desc_t w_any;
    dnnl_convolution_desc_t cd;
    part_padding(p, q, pl, pr);
    MUMLOC_TRY(any_weights(p, q, &w_any));
    CPU_DNNL(dnnl_memory_desc_init_by_tag(&q->w_md, 4, wdims, dnnl_f32, dnnl_ohwi), "weights");
    dnnl_prop_kind_t prop = d->fused == NN_ACT_NONE ? dnnl_forward_training : dnnl_forward_inference;
    CPU_DNNL(dnnl_convolution_forward_desc_init(&cd, prop, dnnl_convolution_direct, &p->src_md,
                                                &w_any, &p->b_md, &p->part_dst_md, strides, pl, pr),
             "a convolution");
    dnnl_primitive_attr_t attr;
    MUMLOC_TRY(make_attr(d->fused, &attr));
    mumloc_status st = cpu_prim_create(cb, &cd, attr, NULL, &q->fwd, "a convolution");
    if (attr) dnnl_primitive_attr_destroy(attr);
    return st;
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
    MUMLOC_TRY(cpu_md_nhwc(&y_md, d->n, d->out_c, 2 * d->h, 2 * d->w));
    dnnl_prop_kind_t prop = d->fused == NN_ACT_NONE ? dnnl_forward_training : dnnl_forward_inference;
    CPU_DNNL(dnnl_deconvolution_forward_desc_init(&dd, prop, dnnl_deconvolution_direct, &p->src_md,
                                                  &w_any, &p->b_md, &y_md, strides, pl, pr),
             "a deconvolution");
    p->part_dst_md = y_md;
    dnnl_primitive_attr_t attr;
    MUMLOC_TRY(make_attr(d->fused, &attr));
    mumloc_status st = cpu_prim_create(cb, &dd, attr, NULL, &q->fwd, "a deconvolution");
    if (attr) dnnl_primitive_attr_destroy(attr);
    return st;
}

static mumloc_status create_parts(cpu_backend *cb, nn_conv_plan *p) {
    const nn_conv_desc *d = &p->d;
    MUMLOC_TRY(cpu_md_nhwc(&p->src_md, d->n, d->in_c, d->h, d->w));
    MUMLOC_TRY(cpu_md_vec(&p->b_md, d->out_c));
    MUMLOC_TRY(cpu_md_nhwc(&p->part_dst_md, d->n, d->out_c, d->h, d->w));
    if (p->via_deconv) {
        p->parts = 1;
        MUMLOC_TRY(create_deconvolution(cb, p, &p->part[0]));
    } else {
        p->parts = d->transposed ? 4 : 1;
        for (int i = 0; i < p->parts; i++) {
            part *q = &p->part[i];
            q->kh = d->transposed ? 1 + i / 2 : d->kernel;
            q->kw = d->transposed ? 1 + i % 2 : d->kernel;
            MUMLOC_TRY(create_part_forward(cb, p, q));
        }
    }
    for (int i = 0; i < p->parts; i++) {
        part *q = &p->part[i];
        MUMLOC_TRY(cpu_layout_cache_init(cb, &q->w_fwd, &q->w_md,
                                         cpu_prim_md(&q->fwd, dnnl_query_weights_md)));
        if (d->transposed && !p->via_deconv) {
            q->weights = cpu_alloc_floats((size_t)d->out_c * d->in_c * q->kh * q->kw);
            q->out = cpu_alloc_floats((size_t)d->n * d->out_c * d->h * d->w);
            if (!q->weights || !q->out)
                return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a transposed convolution");
        }
    }
    return MUMLOC_OK;
}

mumloc_status cpu_conv_plan_create(nn_backend *be, const nn_conv_desc *desc, nn_conv_plan **out) {
    *out = NULL;
    const nn_conv_desc *d = desc;
    if (d->n < 1 || d->in_c < 1 || d->out_c < 1 || d->h < 1 || d->w < 1)
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT, "convolution sizes must be positive");
    if (!d->transposed && (d->kernel < 1 || d->kernel % 2 == 0))
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "a same-padded convolution needs an odd kernel, got %d", d->kernel);
    if (d->transposed && d->kernel != 3)
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "transposed convolutions are 3×3 (stride 2, pad 1, output pad 1), got %d",
                           d->kernel);
    nn_conv_plan *p = calloc(1, sizeof *p);
    if (!p) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a convolution plan");
    p->d = *d;
    p->via_deconv = d->transposed && cpu_use_deconvolution_primitive;
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
        cpu_free(q->dw_kernel);
        cpu_free(q->weights);
        cpu_free(q->out);
        cpu_free(q->grad);
        cpu_free(q->dx);
        cpu_free(q->dw);
        cpu_free(q->db);
        cpu_free(q->rotated);
    }
    free(p);
}

const char *cpu_conv_plan_impl(const nn_conv_plan *p, int which) {
    const part *q = &p->part[p->parts - 1]; /* the largest phase of a transposed convolution */
    return cpu_prim_impl(which == 0 ? &q->fwd : which == 1 ? &q->bwd_data : &q->bwd_w);
}

static mumloc_status check_shape(const nn_tensor *t, int n, int c, int h, int w, const char *what) {
    nn_shape s = t->shape;
    if (s.n != n || s.c != c || s.h != h || s.w != w)
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "convolution %s is %d×%d×%d×%d, expected %d×%d×%d×%d", what, s.n, s.c,
                           s.h, s.w, n, c, h, w);
    return MUMLOC_OK;
}

static mumloc_status check_io(const nn_conv_plan *p, const nn_tensor *in, const nn_tensor *out,
                              const nn_tensor *w, const nn_tensor *b, const char *in_what,
                              const char *out_what) {
    const nn_conv_desc *d = &p->d;
    const int f = d->transposed ? 2 : 1;
    if (in) MUMLOC_TRY(check_shape(in, d->n, d->in_c, d->h, d->w, in_what));
    if (out) MUMLOC_TRY(check_shape(out, d->n, d->out_c, d->h * f, d->w * f, out_what));
    if (d->transposed) MUMLOC_TRY(check_shape(w, d->in_c, d->out_c, 3, 3, "weights"));
    else MUMLOC_TRY(check_shape(w, d->out_c, d->in_c, d->kernel, d->kernel, "weights"));
    if (b) MUMLOC_TRY(check_shape(b, 1, d->out_c, 1, 1, "bias"));
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
    MUMLOC_TRY(check_io(p, x, y, w, b, "input", "output"));
    for (int i = 0; i < p->parts; i++) {
        part *q = &p->part[i];
        const void *wdata;
        MUMLOC_TRY(cpu_layout_cache_get(cb, &q->w_fwd, &q->w_md, part_weights(p, i, w), w->version,
                                        &wdata));
        cpu_arg args[4] = {{DNNL_ARG_SRC, &p->src_md, x->data},
                           {DNNL_ARG_WEIGHTS, &q->w_fwd.want, wdata},
                           {DNNL_ARG_BIAS, &p->b_md, b->data},
                           {DNNL_ARG_DST, &p->part_dst_md, q->out ? q->out : y->data}};
        MUMLOC_TRY(cpu_execute(cb, q->fwd.prim, 4, args));
    }
    if (p->parts == 4) {
        float *zp[4] = {p->part[0].out, p->part[1].out, p->part[2].out, p->part[3].out};
        cpu_depth_to_space(zp, p->d.n, p->d.h, p->d.w, p->d.out_c, y->data);
    }
    cpu_touch(y);
    return MUMLOC_OK;
}

static mumloc_status need_training_plan(const nn_conv_plan *p) {
    if (p->d.fused != NN_ACT_NONE)
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "backward passes need a plan without a fused activation");
    if (p->via_deconv)
        return mumloc_fail(MUMLOC_ERR_UNSUPPORTED,
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
            if (!p->part[k].grad) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for dy");
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
    dnnl_memory_desc_t w_any;
    dnnl_convolution_desc_t cd;
    part_padding(p, q, pl, pr);
    rl[0] = q->kh - 1 - pl[0];
    rl[1] = q->kw - 1 - pl[1];
    rr[0] = q->kh - 1 - pr[0];
    rr[1] = q->kw - 1 - pr[1];
    CPU_DNNL(dnnl_memory_desc_init_by_tag(&w_any, 4, rdims, dnnl_f32, dnnl_format_tag_any), "w");
    CPU_DNNL(dnnl_memory_desc_init_by_tag(&q->rotated_md, 4, rdims, dnnl_f32, dnnl_ohwi), "w");
    CPU_DNNL(dnnl_convolution_forward_desc_init(&cd, dnnl_forward_inference, dnnl_convolution_direct,
                                                &p->part_dst_md, &w_any, NULL, &p->src_md, strides,
                                                rl, rr),
             "a convolution backward-data");
    MUMLOC_TRY(cpu_prim_create(cb, &cd, NULL, NULL, &q->bwd_data, "a convolution backward-data"));
    MUMLOC_TRY(cpu_layout_cache_init(cb, &q->w_bwd, &q->rotated_md,
                                     cpu_prim_md(&q->bwd_data, dnnl_query_weights_md)));
    q->rotated = cpu_alloc_floats((size_t)d->out_c * d->in_c * q->kh * q->kw);
    if (!q->rotated) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for weights");
    if (q != &p->part[0] && p->parts > 1) {
        q->dx = cpu_alloc_floats((size_t)d->n * d->in_c * d->h * d->w);
        if (!q->dx) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for dx");
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
    MUMLOC_TRY(need_training_plan(p));
    MUMLOC_TRY(check_io(p, dx, dy, w, NULL, "input gradient", "output gradient"));
    for (int i = 0; i < p->parts; i++) {
        part *q = &p->part[i];
        if (!q->bwd_data.prim) MUMLOC_TRY(create_part_backward_data(cb, p, q));
        const void *wdata;
        const float *g;
        MUMLOC_TRY(cpu_layout_cache_get(cb, &q->w_bwd, &q->rotated_md, rotated_weights(p, i, w),
                                        w->version, &wdata));
        MUMLOC_TRY(part_gradient(p, i, dy, &g));
        cpu_arg args[3] = {{DNNL_ARG_SRC, &p->part_dst_md, g},
                           {DNNL_ARG_WEIGHTS, &q->w_bwd.want, wdata},
                           {DNNL_ARG_DST, &p->src_md, q->dx ? q->dx : dx->data}};
        MUMLOC_TRY(cpu_execute(cb, q->bwd_data.prim, 3, args));
    }
    const int64_t count = nn_shape_count(dx->shape);
    for (int i = 1; i < p->parts; i++) cpu_add_into(dx->data, p->part[i].dx, count);
    cpu_touch(dx);
    return MUMLOC_OK;
}

static mumloc_status create_part_backward_weights(cpu_backend *cb, nn_conv_plan *p, part *q) {
    dnnl_dims_t strides = {1, 1}, pl, pr;
    dnnl_memory_desc_t w_any;
    dnnl_convolution_desc_t cd;
    part_padding(p, q, pl, pr);
    MUMLOC_TRY(any_weights(p, q, &w_any));
    CPU_DNNL(dnnl_convolution_backward_weights_desc_init(&cd, dnnl_convolution_direct, &p->src_md,
                                                         &w_any, &p->b_md, &p->part_dst_md, strides,
                                                         pl, pr),
             "a convolution backward-weights");
    MUMLOC_TRY(cpu_prim_create(cb, &cd, NULL, q->fwd.pd, &q->bwd_w, "a convolution backward-weights"));
    q->diff_w_md = *cpu_prim_md(&q->bwd_w, dnnl_query_diff_weights_md);
    if (!dnnl_memory_desc_equal(&q->diff_w_md, &q->w_md)) {
        q->dw_kernel = cpu_alloc_bytes(dnnl_memory_desc_get_size(&q->diff_w_md));
        if (!q->dw_kernel) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for dw");
    }
    if (p->parts > 1) {
        q->dw = cpu_alloc_floats((size_t)p->d.out_c * p->d.in_c * q->kh * q->kw);
        q->db = cpu_alloc_floats((size_t)p->d.out_c);
        if (!q->dw || !q->db) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for dw");
    }
    return MUMLOC_OK;
}

mumloc_status cpu_conv_backward_weights(nn_backend *be, nn_conv_plan *p, const nn_tensor *x,
                                        const nn_tensor *dy, nn_tensor *dw, nn_tensor *db) {
    cpu_backend *cb = cpu_of(be);
    MUMLOC_TRY(need_training_plan(p));
    MUMLOC_TRY(check_io(p, x, dy, dw, db, "input", "output gradient"));
    for (int i = 0; i < p->parts; i++) {
        part *q = &p->part[i];
        if (!q->bwd_w.prim) MUMLOC_TRY(create_part_backward_weights(cb, p, q));
        const float *g;
        MUMLOC_TRY(part_gradient(p, i, dy, &g));
        float *w_ours = q->dw ? q->dw : dw->data, *b_ours = q->db ? q->db : db->data;
        cpu_arg args[4] = {{DNNL_ARG_SRC, &p->src_md, x->data},
                           {DNNL_ARG_DIFF_DST, &p->part_dst_md, g},
                           {DNNL_ARG_DIFF_WEIGHTS, &q->diff_w_md, q->dw_kernel ? q->dw_kernel : w_ours},
                           {DNNL_ARG_DIFF_BIAS, &p->b_md, b_ours}};
        MUMLOC_TRY(cpu_execute(cb, q->bwd_w.prim, 4, args));
        if (q->dw_kernel)
            MUMLOC_TRY(cpu_reorder_run(cb, &q->dw_reorder, &q->diff_w_md, q->dw_kernel, &q->w_md,
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
