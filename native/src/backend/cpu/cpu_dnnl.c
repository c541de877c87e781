/* Thin helpers over oneDNN's C API: status conversion, descriptors, execution, cached reorders. */
#include "backend/cpu/cpu_backend.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

uint64_t cpu_version_clock = 0;

mumloc_status cpu_dnnl_check(dnnl_status_t st, const char *what) {
    switch (st) {
    case dnnl_success: return MUMLOC_OK;
    case dnnl_out_of_memory:
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "oneDNN ran out of memory in %s", what);
    case dnnl_unimplemented:
        return error_fail(MUMLOC_ERR_UNSUPPORTED, "oneDNN has no implementation for %s", what);
    case dnnl_invalid_arguments:
        return error_fail(MUMLOC_ERR_INTERNAL, "oneDNN rejected the arguments of %s", what);
    default: return error_fail(MUMLOC_ERR_INTERNAL, "oneDNN failed (status %d) in %s", (int)st, what);
    }
}

void *cpu_alloc_bytes(size_t bytes) {
    size_t rounded = (bytes + 63) / 64 * 64;
    return aligned_alloc(64, rounded ? rounded : 64);
}

float *cpu_alloc_floats(size_t count) { return cpu_alloc_bytes(count * sizeof(float)); }

void cpu_free(void *p) { free(p); }

mumloc_status cpu_md_nhwc(dnnl_memory_desc_t *md, int a, int b, int c, int d) {
    dnnl_dims_t dims = {a, b, c, d};
    CPU_DNNL(dnnl_memory_desc_init_by_tag(md, 4, dims, dnnl_f32, dnnl_nhwc), "a tensor descriptor");
    return MUMLOC_OK;
}

mumloc_status cpu_md_vec(dnnl_memory_desc_t *md, int n) {
    dnnl_dims_t dims = {n};
    CPU_DNNL(dnnl_memory_desc_init_by_tag(md, 1, dims, dnnl_f32, dnnl_a), "a vector descriptor");
    return MUMLOC_OK;
}

mumloc_status cpu_execute(cpu_backend *cb, dnnl_primitive_t prim, int nargs, const cpu_arg *args) {
    dnnl_memory_t mems[10] = {0};
    dnnl_exec_arg_t exec[10] = {{0}};
    mumloc_status st = MUMLOC_OK;
    int made = 0;
    if (nargs > 10) return error_fail(MUMLOC_ERR_INTERNAL, "too many primitive arguments");
    for (; made < nargs; made++) {
        dnnl_status_t s = dnnl_memory_create(&mems[made], args[made].md, cb->engine,
                                             (void *)args[made].data);
        if (s != dnnl_success) {
            st = cpu_dnnl_check(s, "a memory object");
            break;
        }
        exec[made].arg = args[made].arg;
        exec[made].memory = mems[made];
    }
    if (st == MUMLOC_OK) st = cpu_dnnl_check(dnnl_primitive_execute(prim, cb->stream, nargs, exec),
                                             "executing a primitive");
    if (st == MUMLOC_OK) st = cpu_dnnl_check(dnnl_stream_wait(cb->stream), "waiting for a stream");
    for (int i = 0; i < made; i++) dnnl_memory_destroy(mems[i]);
    return st;
}

mumloc_status cpu_prim_create(cpu_backend *cb, const void *op_desc, const_dnnl_primitive_attr_t attr,
                              const_dnnl_primitive_desc_t hint, cpu_prim *out, const char *what) {
    out->pd = NULL;
    out->prim = NULL;
    CPU_DNNL(dnnl_primitive_desc_create(&out->pd, op_desc, attr, cb->engine, hint), what);
    dnnl_status_t s = dnnl_primitive_create(&out->prim, out->pd);
    if (s != dnnl_success) {
        dnnl_primitive_desc_destroy(out->pd);
        out->pd = NULL;
        return cpu_dnnl_check(s, what);
    }
    return MUMLOC_OK;
}

void cpu_prim_destroy(cpu_prim *p) {
    if (p->prim) dnnl_primitive_destroy(p->prim);
    if (p->pd) dnnl_primitive_desc_destroy(p->pd);
    p->prim = NULL;
    p->pd = NULL;
}

const char *cpu_prim_impl(const cpu_prim *p) {
    const char *name = NULL;
    if (!p->pd || dnnl_primitive_desc_query(p->pd, dnnl_query_impl_info_str, 0, &name) != dnnl_success)
        return "none";
    return name ? name : "unknown";
}

const dnnl_memory_desc_t *cpu_prim_md(const cpu_prim *p, dnnl_query_t what) {
    return dnnl_primitive_desc_query_md(p->pd, what, 0);
}

mumloc_status cpu_reorder_run(cpu_backend *cb, cpu_prim *reorder, const dnnl_memory_desc_t *from,
                              const void *src, const dnnl_memory_desc_t *to, void *dst) {
    if (!reorder->prim) {
        CPU_DNNL(dnnl_reorder_primitive_desc_create(&reorder->pd, from, cb->engine, to, cb->engine,
                                                    NULL),
                 "a reorder");
        dnnl_status_t s = dnnl_primitive_create(&reorder->prim, reorder->pd);
        if (s != dnnl_success) {
            dnnl_primitive_desc_destroy(reorder->pd);
            reorder->pd = NULL;
            return cpu_dnnl_check(s, "a reorder");
        }
    }
    cpu_arg args[2] = {{DNNL_ARG_FROM, from, src}, {DNNL_ARG_TO, to, dst}};
    return cpu_execute(cb, reorder->prim, 2, args);
}

mumloc_status cpu_layout_cache_init(cpu_backend *cb, cpu_layout_cache *c,
                                    const dnnl_memory_desc_t *have, const dnnl_memory_desc_t *want) {
    (void)cb;
    memset(c, 0, sizeof *c);
    c->want = *want;
    c->has_reorder = !dnnl_memory_desc_equal(have, want);
    if (c->has_reorder) {
        c->buffer = cpu_alloc_bytes(dnnl_memory_desc_get_size(want));
        if (!c->buffer) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for reordered weights");
    }
    return MUMLOC_OK;
}

mumloc_status cpu_layout_cache_get(cpu_backend *cb, cpu_layout_cache *c,
                                   const dnnl_memory_desc_t *have, const void *src,
                                   uint64_t src_version, const void **out) {
    if (!c->has_reorder) {
        *out = src;
        return MUMLOC_OK;
    }
    if (!c->valid || c->src_ptr != src || c->src_version != src_version) {
        c->valid = 0;
        ERROR_TRY(cpu_reorder_run(cb, &c->reorder, have, src, &c->want, c->buffer));
        c->src_ptr = src;
        c->src_version = src_version;
        c->valid = 1;
    }
    *out = c->buffer;
    return MUMLOC_OK;
}

void cpu_layout_cache_free(cpu_layout_cache *c) {
    cpu_prim_destroy(&c->reorder);
    cpu_free(c->buffer);
    c->buffer = NULL;
    c->valid = 0;
}

mumloc_status cpu_same_shape(const nn_tensor *a, const nn_tensor *b, const char *what) {
    if (a->shape.n != b->shape.n || a->shape.c != b->shape.c || a->shape.h != b->shape.h ||
        a->shape.w != b->shape.w)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%s: shapes differ (%d×%d×%d×%d vs %d×%d×%d×%d)", what, a->shape.n,
                           a->shape.c, a->shape.h, a->shape.w, b->shape.n, b->shape.c, b->shape.h,
                           b->shape.w);
    return MUMLOC_OK;
}
