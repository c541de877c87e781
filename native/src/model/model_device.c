/* Moving a model between backends (mumloc.h mumloc_model_set_device): a new engine model on the
 * target backend receives every tensor that defines the model's state through host memory (the only
 * path both backends share), then replaces the old one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/device.h"
#include "core/error.h"
#include "core/runtime.h"
#include "model/model_handle.h"

static int same_device(mumloc_device a, mumloc_device b) {
    return a.kind == b.kind && (a.kind != MUMLOC_DEVICE_CUDA || a.index == b.index);
}

/* dst (on `to`) ← src (on `from`) through buf, which holds at least the tensor's values. */
static mumloc_status copy_tensor(nn_backend *from, const nn_tensor *src, nn_backend *to,
                                 nn_tensor *dst, float *buf) {
    if (!src || !dst) return MUMLOC_OK;
    ERROR_TRY(from->download(from, src, buf));
    return to->upload(to, dst, buf);
}

static mumloc_status copy_state(const nn_model *old, nn_model *nn, float *buf) {
    nn_backend *from = old->be, *to = nn->be;
    const int optimiser = old->param_count > 0 && old->params[0].m != NULL;
    if (optimiser) ERROR_TRY(nn_model_ensure_training_state(nn));
    for (int i = 0; i < old->param_count; i++) {
        const nn_param *p = &old->params[i];
        nn_param *q = &nn->params[i];
        ERROR_TRY(copy_tensor(from, p->value, to, q->value, buf));
        if (optimiser) {
            ERROR_TRY(copy_tensor(from, p->m, to, q->m, buf));
            ERROR_TRY(copy_tensor(from, p->v, to, q->v, buf));
        }
    }
    for (int i = 0; i < old->layer_count; i++) {
        ERROR_TRY(copy_tensor(from, old->layers[i].running_mean, to, nn->layers[i].running_mean, buf));
        ERROR_TRY(copy_tensor(from, old->layers[i].running_var, to, nn->layers[i].running_var, buf));
    }
    nn->adam_steps = old->adam_steps;
    for (int i = 0; i < old->meta.count; i++)
        ERROR_TRY(nn_model_set_meta(nn, old->meta.keys[i], old->meta.values[i]));
    nn_model_touch(nn); /* the new model's folded weights must come from the copied values */
    return MUMLOC_OK;
}

mumloc_status model_move(mumloc_model *model, nn_backend *to, const mumloc_device_choice *choice) {
    const nn_model *old = model->nn;
    int64_t largest = 1;
    for (int i = 0; i < old->param_count; i++)
        if (nn_shape_count(old->params[i].shape) > largest) largest = nn_shape_count(old->params[i].shape);
    float *buf = malloc((size_t)largest * sizeof *buf);
    nn_model *nn = NULL;
    mumloc_status st = buf ? nn_model_create(to, &old->cfg, &nn)
                           : error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory to move a model");
    if (st == MUMLOC_OK) st = copy_state(old, nn, buf);
    free(buf);
    if (st != MUMLOC_OK) {
        nn_model_destroy(nn);
        nn_backend_destroy(to);
        return st;
    }
    nn_model_destroy(model->nn); /* before its backend */
    nn_backend_destroy(model->be);
    model->nn = nn;
    model->be = to;
    model->device = *choice;
    return model_apply_precision(model, 0);
}

mumloc_status mumloc_model_set_device(mumloc_model *model, const mumloc_device *requested,
                                      mumloc_device_choice *choice) {
    mumloc_device_choice local;
    mumloc_device_choice *c = choice ? choice : &local;
    memset(c, 0, sizeof *c);
    c->device.kind = MUMLOC_DEVICE_CPU;
    if (!model) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "set_device needs a model");
    const mumloc_device want = requested ? *requested : (mumloc_device){MUMLOC_DEVICE_AUTO, 0};
    ERROR_TRY(mumloc_device_resolve(want, c));
    if (same_device(c->device, model->device.device)) {
        /* nothing moves: a model kept on the CPU computes exactly as before */
        model->device = *c;
        return MUMLOC_OK;
    }
    threads_apply();
    nn_backend *be = NULL;
    mumloc_status st = nn_backend_create_for_device(want, &be, c);
    if (st != MUMLOC_OK) { /* the GPU could not start a backend: the model stays, say why */
        char why[320];
        snprintf(why, sizeof why, "%s", mumloc_last_error());
        c->device = model->device.device;
        snprintf(c->reason, sizeof c->reason, "%s", why);
        return st;
    }
    if (same_device(c->device, model->device.device)) { /* AUTO fell back after all */
        nn_backend_destroy(be);
        model->device = *c;
        return MUMLOC_OK;
    }
    st = model_move(model, be, c);
    if (st != MUMLOC_OK) *c = model->device;
    return st;
}

void mumloc_model_device(const mumloc_model *model, mumloc_device_choice *choice) {
    if (model && choice) *choice = model->device;
}
