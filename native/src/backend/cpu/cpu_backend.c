/* The CPU backend: its function table, tensors and host transfers (NCHW at the interface,
 * channels-last inside; see cpu_backend.h). */
#include "backend/cpu/cpu_backend.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static mumloc_status tensor_create(nn_backend *be, nn_shape shape, nn_tensor **out) {
    (void)be;
    *out = NULL;
    if (shape.n < 1 || shape.c < 1 || shape.h < 1 || shape.w < 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "tensor shape %d×%d×%d×%d must be positive",
                           shape.n, shape.c, shape.h, shape.w);
    nn_tensor *t = calloc(1, sizeof *t);
    if (!t) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a tensor");
    t->shape = shape;
    t->data = cpu_alloc_floats((size_t)nn_shape_count(shape));
    if (!t->data) {
        free(t);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a %d×%d×%d×%d tensor", shape.n,
                           shape.c, shape.h, shape.w);
    }
    memset(t->data, 0, (size_t)nn_shape_count(shape) * sizeof(float));
    cpu_touch(t);
    *out = t;
    return MUMLOC_OK;
}

static void tensor_destroy(nn_backend *be, nn_tensor *t) {
    (void)be;
    if (!t) return;
    cpu_free(t->data);
    free(t);
}

static nn_shape tensor_shape(const nn_tensor *t) { return t->shape; }

/* NCHW ↔ NHWC transposes: data movement only, one image plane at a time. */
static mumloc_status upload(nn_backend *be, nn_tensor *t, const float *host) {
    (void)be;
    const nn_shape s = t->shape;
    const int64_t hw = (int64_t)s.h * s.w;
#pragma omp parallel for collapse(2) schedule(static) if (nn_shape_count(s) > 65536)
    for (int n = 0; n < s.n; n++)
        for (int64_t p = 0; p < hw; p++) {
            const float *src = host + (int64_t)n * s.c * hw + p;
            float *dst = t->data + ((int64_t)n * hw + p) * s.c;
            for (int c = 0; c < s.c; c++) dst[c] = src[c * hw];
        }
    cpu_touch(t);
    return MUMLOC_OK;
}

/* bfloat16 → float: the 16 bits are the float's upper half. */
static float bf16_to_float(uint16_t v) {
    uint32_t bits = (uint32_t)v << 16;
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static mumloc_status download(nn_backend *be, const nn_tensor *t, float *host) {
    (void)be;
    const nn_shape s = t->shape;
    const int64_t hw = (int64_t)s.h * s.w;
    if (t->bf16) {
        const uint16_t *data = (const uint16_t *)(const void *)t->data;
#pragma omp parallel for collapse(2) schedule(static) if (nn_shape_count(s) > 65536)
        for (int n = 0; n < s.n; n++)
            for (int c = 0; c < s.c; c++) {
                const uint16_t *src = data + (int64_t)n * hw * s.c + c;
                float *dst = host + ((int64_t)n * s.c + c) * hw;
                for (int64_t p = 0; p < hw; p++) dst[p] = bf16_to_float(src[p * s.c]);
            }
        return MUMLOC_OK;
    }
#pragma omp parallel for collapse(2) schedule(static) if (nn_shape_count(s) > 65536)
    for (int n = 0; n < s.n; n++)
        for (int c = 0; c < s.c; c++) {
            const float *src = t->data + (int64_t)n * hw * s.c + c;
            float *dst = host + ((int64_t)n * s.c + c) * hw;
            for (int64_t p = 0; p < hw; p++) dst[p] = src[p * s.c];
        }
    return MUMLOC_OK;
}

static mumloc_status fill(nn_backend *be, nn_tensor *t, float value) {
    (void)be;
    const int64_t count = nn_shape_count(t->shape);
    float *d = t->data;
#pragma omp parallel for schedule(static) if (count > 65536)
    for (int64_t i = 0; i < count; i++) d[i] = value;
    cpu_touch(t);
    return MUMLOC_OK;
}

static mumloc_status copy(nn_backend *be, const nn_tensor *src, nn_tensor *dst) {
    (void)be;
    ERROR_TRY(cpu_same_shape(src, dst, "copy"));
    memcpy(dst->data, src->data, (size_t)nn_shape_count(src->shape) * sizeof(float));
    cpu_touch(dst);
    dst->bf16 = src->bf16;
    return MUMLOC_OK;
}

static void destroy(nn_backend *be) {
    if (!be) return;
    cpu_backend *cb = cpu_of(be);
    if (cb) {
        if (cb->stream) dnnl_stream_destroy(cb->stream);
        if (cb->engine) dnnl_engine_destroy(cb->engine);
        free(cb);
    }
    free(be);
}

mumloc_status nn_backend_cpu_create(nn_backend **out) {
    *out = NULL;
    nn_backend *be = calloc(1, sizeof *be);
    cpu_backend *cb = calloc(1, sizeof *cb);
    if (!be || !cb) {
        free(be);
        free(cb);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the CPU backend");
    }
    be->name = "cpu";
    be->impl = cb;
    be->destroy = destroy;
    mumloc_status st = cpu_dnnl_check(dnnl_engine_create(&cb->engine, dnnl_cpu, 0), "the CPU engine");
    if (st == MUMLOC_OK)
        st = cpu_dnnl_check(dnnl_stream_create(&cb->stream, cb->engine, dnnl_stream_default_flags),
                            "the CPU stream");
    if (st != MUMLOC_OK) {
        destroy(be);
        return st;
    }
    be->tensor_create = tensor_create;
    be->tensor_destroy = tensor_destroy;
    be->tensor_shape = tensor_shape;
    be->upload = upload;
    be->download = download;
    be->fill = fill;
    be->copy = copy;
    be->conv_plan_create = cpu_conv_plan_create;
    be->conv_plan_destroy = cpu_conv_plan_destroy;
    be->conv_forward = cpu_conv_forward;
    be->conv_backward_data = cpu_conv_backward_data;
    be->conv_backward_weights = cpu_conv_backward_weights;
    be->bn_plan_create = cpu_bn_plan_create;
    be->bn_plan_destroy = cpu_bn_plan_destroy;
    be->bn_forward_training = cpu_bn_forward_training;
    be->bn_forward_inference = cpu_bn_forward_inference;
    be->bn_backward = cpu_bn_backward;
    be->bn_fold = cpu_bn_fold;
    be->bn_fuses_relu = 1; /* oneDNN's fuse_norm_relu (cpu_bn.c) */
    const char *winograd = getenv(CPU_WINOGRAD_ENV);
    cpu_conv_winograd = !(winograd && strcmp(winograd, "0") == 0); /* on unless "0" */
    be->activation_forward = cpu_activation_forward;
    be->activation_backward = cpu_activation_backward;
    be->loss_bce = cpu_loss_bce;
    be->loss_regression = cpu_loss_regression;
    be->adam_step = cpu_adam_step;
    be->precision_check = cpu_precision_check;
    *out = be;
    return MUMLOC_OK;
}
