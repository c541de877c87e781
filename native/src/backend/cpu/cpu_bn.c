/* Batch normalisation on oneDNN (channels-last), running averages and folding via nn/kernels.h.
 *
 * A plan with act = NN_ACT_RELU uses oneDNN's fuse_norm_relu: the forward writes relu(BN(x)) in the
 * same pass and keeps the ReLU's mask in a workspace (1 bit per value is oneDNN's business; the plan
 * owns the buffer), and the backward masks dy while it reads it. Separately, the ReLU cost a read
 * and a write of the activations forward and two reads and a write backward. The arithmetic is the
 * same as BN then ReLU. */
#include "backend/cpu/cpu_backend.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "backend/kernels.h"

struct nn_bn_plan {
    nn_bn_desc d;
    unsigned relu_flag; /* dnnl_fuse_norm_relu or 0 */
    dnnl_memory_desc_t data_md, vec_md, ws_md;
    void *workspace;    /* the fused ReLU's mask from the last training forward */
    cpu_prim train, infer, bwd;
    int have_infer, have_bwd;
};

static mumloc_status bn_desc(const nn_bn_plan *p, dnnl_prop_kind_t prop, unsigned flags,
                             dnnl_batch_normalization_desc_t *bd) {
    CPU_DNNL(dnnl_batch_normalization_forward_desc_init(bd, prop, &p->data_md, p->d.eps, flags),
             "a batch norm");
    return MUMLOC_OK;
}

mumloc_status cpu_bn_plan_create(nn_backend *be, const nn_bn_desc *desc, nn_bn_plan **out) {
    *out = NULL;
    if (desc->n < 1 || desc->c < 1 || desc->h < 1 || desc->w < 1 || !(desc->eps > 0.0f) ||
        !(desc->momentum >= 0.0f && desc->momentum <= 1.0f))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "batch norm needs positive sizes, eps > 0 and momentum in [0, 1]");
    if (desc->act != NN_ACT_NONE && desc->act != NN_ACT_RELU)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "batch norm fuses only a ReLU (activation %d asked)", (int)desc->act);
    nn_bn_plan *p = calloc(1, sizeof *p);
    if (!p) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a batch-norm plan");
    p->d = *desc;
    p->relu_flag = desc->act == NN_ACT_RELU ? dnnl_fuse_norm_relu : 0;
    dnnl_batch_normalization_desc_t bd;
    mumloc_status st = cpu_md_nhwc(&p->data_md, desc->n, desc->c, desc->h, desc->w);
    if (st == MUMLOC_OK) st = cpu_md_vec(&p->vec_md, desc->c);
    if (st == MUMLOC_OK)
        st = bn_desc(p, dnnl_forward_training, dnnl_use_scale | dnnl_use_shift | p->relu_flag, &bd);
    if (st == MUMLOC_OK) st = cpu_prim_create(cpu_of(be), &bd, NULL, NULL, &p->train, "a batch norm");
    if (st == MUMLOC_OK && p->relu_flag) {
        p->ws_md = *cpu_prim_md(&p->train, dnnl_query_workspace_md);
        p->workspace = cpu_alloc_bytes(dnnl_memory_desc_get_size(&p->ws_md));
        if (!p->workspace)
            st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a batch-norm workspace");
        else memset(p->workspace, 0, dnnl_memory_desc_get_size(&p->ws_md)); /* no stale bits */
    }
    if (st != MUMLOC_OK) {
        cpu_bn_plan_destroy(be, p);
        return st;
    }
    *out = p;
    return MUMLOC_OK;
}

void cpu_bn_plan_destroy(nn_backend *be, nn_bn_plan *p) {
    (void)be;
    if (!p) return;
    cpu_prim_destroy(&p->train);
    cpu_prim_destroy(&p->infer);
    cpu_prim_destroy(&p->bwd);
    cpu_free(p->workspace);
    free(p);
}

static mumloc_status check(const nn_bn_plan *p, const nn_tensor *data, const nn_tensor *vec) {
    nn_shape s = data->shape;
    if (s.n != p->d.n || s.c != p->d.c || s.h != p->d.h || s.w != p->d.w)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "batch norm data is %d×%d×%d×%d, plan %d×%d×%d×%d",
                           s.n, s.c, s.h, s.w, p->d.n, p->d.c, p->d.h, p->d.w);
    if (vec && (vec->shape.c != p->d.c || nn_shape_count(vec->shape) != p->d.c))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "batch norm parameters need %d channels",
                           p->d.c);
    return MUMLOC_OK;
}

mumloc_status cpu_bn_forward_training(nn_backend *be, nn_bn_plan *p, const nn_tensor *x,
                                      const nn_tensor *gamma, const nn_tensor *beta, nn_tensor *y,
                                      nn_tensor *mean, nn_tensor *var, nn_tensor *running_mean,
                                      nn_tensor *running_var) {
    ERROR_TRY(check(p, x, gamma));
    ERROR_TRY(check(p, y, beta));
    ERROR_TRY(check(p, x, mean));
    ERROR_TRY(check(p, x, var));
    ERROR_TRY(check(p, x, running_mean));
    ERROR_TRY(check(p, x, running_var));
    cpu_arg args[7] = {{DNNL_ARG_SRC, &p->data_md, x->data},
                       {DNNL_ARG_SCALE, &p->vec_md, gamma->data},
                       {DNNL_ARG_SHIFT, &p->vec_md, beta->data},
                       {DNNL_ARG_DST, &p->data_md, y->data},
                       {DNNL_ARG_MEAN, &p->vec_md, mean->data},
                       {DNNL_ARG_VARIANCE, &p->vec_md, var->data},
                       {DNNL_ARG_WORKSPACE, &p->ws_md, p->workspace}};
    ERROR_TRY(cpu_execute(cpu_of(be), p->train.prim, p->relu_flag ? 7 : 6, args));
    const float count = (float)p->d.n * p->d.h * p->d.w, m = p->d.momentum;
    for (int c = 0; c < p->d.c; c++) {
        running_mean->data[c] = nn_bn_running_mean(running_mean->data[c], mean->data[c], m);
        running_var->data[c] = nn_bn_running_var(running_var->data[c], var->data[c], count, m);
    }
    cpu_touch(y);
    cpu_touch(mean);
    cpu_touch(var);
    cpu_touch(running_mean);
    cpu_touch(running_var);
    return MUMLOC_OK;
}

mumloc_status cpu_bn_forward_inference(nn_backend *be, nn_bn_plan *p, const nn_tensor *x,
                                       const nn_tensor *gamma, const nn_tensor *beta,
                                       const nn_tensor *running_mean, const nn_tensor *running_var,
                                       nn_tensor *y) {
    ERROR_TRY(check(p, x, gamma));
    ERROR_TRY(check(p, y, beta));
    ERROR_TRY(check(p, x, running_mean));
    ERROR_TRY(check(p, x, running_var));
    if (!p->have_infer) {
        dnnl_batch_normalization_desc_t bd;
        ERROR_TRY(bn_desc(p, dnnl_forward_inference,
                           dnnl_use_global_stats | dnnl_use_scale | dnnl_use_shift | p->relu_flag,
                           &bd));
        ERROR_TRY(cpu_prim_create(cpu_of(be), &bd, NULL, NULL, &p->infer, "a batch norm"));
        p->have_infer = 1;
    }
    cpu_arg args[6] = {{DNNL_ARG_SRC, &p->data_md, x->data},
                       {DNNL_ARG_SCALE, &p->vec_md, gamma->data},
                       {DNNL_ARG_SHIFT, &p->vec_md, beta->data},
                       {DNNL_ARG_MEAN, &p->vec_md, running_mean->data},
                       {DNNL_ARG_VARIANCE, &p->vec_md, running_var->data},
                       {DNNL_ARG_DST, &p->data_md, y->data}};
    ERROR_TRY(cpu_execute(cpu_of(be), p->infer.prim, 6, args));
    cpu_touch(y);
    return MUMLOC_OK;
}

mumloc_status cpu_bn_backward(nn_backend *be, nn_bn_plan *p, const nn_tensor *x,
                              const nn_tensor *mean, const nn_tensor *var, const nn_tensor *gamma,
                              const nn_tensor *dy, nn_tensor *dx, nn_tensor *dgamma,
                              nn_tensor *dbeta) {
    ERROR_TRY(check(p, x, mean));
    ERROR_TRY(check(p, dy, var));
    ERROR_TRY(check(p, dx, gamma));
    ERROR_TRY(check(p, x, dgamma));
    ERROR_TRY(check(p, x, dbeta));
    if (!p->have_bwd) {
        dnnl_batch_normalization_desc_t bd;
        CPU_DNNL(dnnl_batch_normalization_backward_desc_init(
                     &bd, dnnl_backward, &p->data_md, &p->data_md, p->d.eps,
                     dnnl_use_scale | dnnl_use_shift | p->relu_flag),
                 "a batch-norm backward");
        ERROR_TRY(cpu_prim_create(cpu_of(be), &bd, NULL, p->train.pd, &p->bwd,
                                   "a batch-norm backward"));
        p->have_bwd = 1;
    }
    cpu_arg args[10] = {{DNNL_ARG_SRC, &p->data_md, x->data},
                        {DNNL_ARG_MEAN, &p->vec_md, mean->data},
                        {DNNL_ARG_VARIANCE, &p->vec_md, var->data},
                        {DNNL_ARG_SCALE, &p->vec_md, gamma->data},
                        {DNNL_ARG_DIFF_DST, &p->data_md, dy->data},
                        {DNNL_ARG_DIFF_SRC, &p->data_md, dx->data},
                        {DNNL_ARG_DIFF_SCALE, &p->vec_md, dgamma->data},
                        {DNNL_ARG_DIFF_SHIFT, &p->vec_md, dbeta->data},
                        /* oneDNN 2.6 insists on a SHIFT argument here although no gradient
                         * depends on β; γ's buffer has the right size and is only read. */
                        {DNNL_ARG_SHIFT, &p->vec_md, gamma->data},
                        {DNNL_ARG_WORKSPACE, &p->ws_md, p->workspace}};
    ERROR_TRY(cpu_execute(cpu_of(be), p->bwd.prim, p->relu_flag ? 10 : 9, args));
    cpu_touch(dx);
    cpu_touch(dgamma);
    cpu_touch(dbeta);
    return MUMLOC_OK;
}

mumloc_status cpu_bn_fold(nn_backend *be, const nn_tensor *w, const nn_tensor *b,
                          const nn_tensor *gamma, const nn_tensor *beta,
                          const nn_tensor *running_mean, const nn_tensor *running_var, float eps,
                          int out_axis, nn_tensor *w_out, nn_tensor *b_out) {
    (void)be;
    ERROR_TRY(cpu_same_shape(w, w_out, "batch-norm folding (weights)"));
    ERROR_TRY(cpu_same_shape(b, b_out, "batch-norm folding (bias)"));
    const int outs = out_axis == 0 ? w->shape.n : w->shape.c;
    if ((out_axis != 0 && out_axis != 1) || b->shape.c != outs || gamma->shape.c != outs ||
        beta->shape.c != outs || running_mean->shape.c != outs || running_var->shape.c != outs)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "batch-norm folding: parameter lengths must equal the %d output channels",
                           outs);
    /* Channels-last weights: (out, kh, kw, in) for axis 0, (in, kh, kw, out) for axis 1. */
    const int64_t count = nn_shape_count(w->shape);
    const int64_t inner = (int64_t)w->shape.c * w->shape.h * w->shape.w;
    for (int64_t i = 0; i < count; i++) {
        int o = out_axis == 0 ? (int)(i / inner) : (int)(i % w->shape.c);
        w_out->data[i] = w->data[i] * nn_bn_fold_scale(gamma->data[o], running_var->data[o], eps);
    }
    for (int o = 0; o < outs; o++) {
        float s = nn_bn_fold_scale(gamma->data[o], running_var->data[o], eps);
        b_out->data[o] = nn_bn_fold_bias(b->data[o], beta->data[o], running_mean->data[o], s);
    }
    cpu_touch(w_out);
    cpu_touch(b_out);
    return MUMLOC_OK;
}
