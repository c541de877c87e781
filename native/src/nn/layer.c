/* Layers: convolution → (batch norm) → activation, in three modes (see layer.h). */
#include "nn/layer.h"

#include "core/error.h"

nn_shape nn_layer_output_shape(const nn_layer *l, nn_shape in) {
    int f = l->transposed ? 2 : 1;
    return (nn_shape){in.n, l->out_c, in.h * f, in.w * f};
}

double nn_layer_macs(const nn_layer *l, int h, int w) {
    double k2 = (double)l->kernel * l->kernel;
    return (double)l->in_c * l->out_c * k2 * h * w;
}

static void drop(nn_backend *be, nn_tensor **t) {
    be->tensor_destroy(be, *t);
    *t = NULL;
}

void nn_layer_release(nn_backend *be, nn_layer *l) {
    be->conv_plan_destroy(be, l->train_plan);
    be->conv_plan_destroy(be, l->infer_plan);
    be->bn_plan_destroy(be, l->bn_plan);
    l->train_plan = l->infer_plan = NULL;
    l->bn_plan = NULL;
    l->bn_relu = 0;
    drop(be, &l->pre);
    drop(be, &l->out);
    drop(be, &l->grad);
    drop(be, &l->mean);
    drop(be, &l->var);
    drop(be, &l->folded_w);
    drop(be, &l->folded_b);
    l->folded_stamp = 0;
    l->in_shape = (nn_shape){0, 0, 0, 0};
}

static int same(nn_shape a, nn_shape b) {
    return a.n == b.n && a.c == b.c && a.h == b.h && a.w == b.w;
}

static mumloc_status ensure(nn_backend *be, nn_tensor **t, nn_shape s) {
    if (!*t) ERROR_TRY(be->tensor_create(be, s, t));
    return MUMLOC_OK;
}

/* Plans and buffers for this input shape and mode (created lazily, kept across calls). */
static mumloc_status prepare(nn_backend *be, nn_layer *l, nn_shape in, nn_mode mode) {
    if (in.c != l->in_c)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "layer expects %d input channels, got %d",
                           l->in_c, in.c);
    if (!same(in, l->in_shape)) {
        nn_layer_release(be, l);
        l->in_shape = in;
        l->out_shape = nn_layer_output_shape(l, in);
    }
    nn_shape o = l->out_shape;
    ERROR_TRY(ensure(be, &l->out, o));
    nn_conv_desc d = {in.n, l->in_c, l->out_c, in.h, in.w, l->kernel, l->transposed, NN_ACT_NONE, NN_PRECISION_FP32, 0};
    if (mode == NN_MODE_INFER) {
        if (!l->infer_plan) {
            d.fused = l->act;
            d.precision = l->precision;
            d.output_fp32 = l->output_layer;
            ERROR_TRY(be->conv_plan_create(be, &d, &l->infer_plan));
        }
        if (l->batch_norm) {
            ERROR_TRY(ensure(be, &l->folded_w, l->w->shape));
            ERROR_TRY(ensure(be, &l->folded_b, l->b->shape));
        }
        return MUMLOC_OK;
    }
    if (!l->train_plan) ERROR_TRY(be->conv_plan_create(be, &d, &l->train_plan));
    if (l->batch_norm) {
        if (!l->bn_plan) {
            /* BN then ReLU in one pass where the backend can (the same arithmetic). */
            l->bn_relu = l->act == NN_ACT_RELU && be->bn_fuses_relu;
            nn_bn_desc bd = {o.n, o.c, o.h, o.w, l->bn_eps, l->bn_momentum,
                             l->bn_relu ? NN_ACT_RELU : NN_ACT_NONE};
            ERROR_TRY(be->bn_plan_create(be, &bd, &l->bn_plan));
        }
        ERROR_TRY(ensure(be, &l->pre, o));
        nn_shape vs = {1, o.c, 1, 1};
        ERROR_TRY(ensure(be, &l->mean, vs));
        ERROR_TRY(ensure(be, &l->var, vs));
    }
    if (mode == NN_MODE_TRAIN) ERROR_TRY(ensure(be, &l->grad, o));
    return MUMLOC_OK;
}

mumloc_status nn_layer_forward(nn_backend *be, nn_layer *l, const nn_tensor *in, nn_mode mode,
                               uint64_t stamp) {
    ERROR_TRY(prepare(be, l, be->tensor_shape(in), mode));
    if (mode == NN_MODE_INFER) {
        const nn_tensor *w = l->w->value, *b = l->b->value;
        if (l->batch_norm) {
            if (l->folded_stamp != stamp) {
                ERROR_TRY(be->bn_fold(be, l->w->value, l->b->value, l->gamma->value,
                                       l->beta->value, l->running_mean, l->running_var, l->bn_eps,
                                       l->transposed ? 1 : 0, l->folded_w, l->folded_b));
                l->folded_stamp = stamp;
            }
            w = l->folded_w;
            b = l->folded_b;
        }
        return be->conv_forward(be, l->infer_plan, in, w, b, l->out);
    }
    if (!l->batch_norm) {
        ERROR_TRY(be->conv_forward(be, l->train_plan, in, l->w->value, l->b->value, l->out));
    } else {
        ERROR_TRY(be->conv_forward(be, l->train_plan, in, l->w->value, l->b->value, l->pre));
        if (mode == NN_MODE_TRAIN)
            ERROR_TRY(be->bn_forward_training(be, l->bn_plan, l->pre, l->gamma->value,
                                               l->beta->value, l->out, l->mean, l->var,
                                               l->running_mean, l->running_var));
        else
            ERROR_TRY(be->bn_forward_inference(be, l->bn_plan, l->pre, l->gamma->value,
                                                l->beta->value, l->running_mean, l->running_var,
                                                l->out));
        if (l->bn_relu) return MUMLOC_OK;
    }
    return be->activation_forward(be, l->act, l->out, l->out);
}

mumloc_status nn_layer_backward(nn_backend *be, nn_layer *l, const nn_tensor *in, nn_tensor *din) {
    if (!l->train_plan || !l->grad || !same(be->tensor_shape(in), l->in_shape))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "backward needs a training forward with the same input first");
    /* grad: ∂L/∂out → ∂L/∂(activation input) → (BN) ∂L/∂pre, all in place (a ReLU fused into the
     * batch norm is differentiated by its backward). */
    if (!l->bn_relu) ERROR_TRY(be->activation_backward(be, l->act, l->out, l->grad, l->grad));
    if (l->batch_norm)
        ERROR_TRY(be->bn_backward(be, l->bn_plan, l->pre, l->mean, l->var, l->gamma->value,
                                   l->grad, l->grad, l->gamma->grad, l->beta->grad));
    ERROR_TRY(be->conv_backward_weights(be, l->train_plan, in, l->grad, l->w->grad, l->b->grad));
    if (din) ERROR_TRY(be->conv_backward_data(be, l->train_plan, l->grad, l->w->value, din));
    return MUMLOC_OK;
}
