/* A model handle's life (model_handle.h): wrapping an engine model and its backend, and destroying
 * both. Below every file that makes or changes handles, so none of them calls back into another. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "model/model_handle.h"

mumloc_status model_handle_wrap(nn_backend *be, nn_model *nn, mumloc_model **out) {
    *out = NULL;
    mumloc_model *m = calloc(1, sizeof *m);
    if (!m) {
        nn_model_destroy(nn);
        nn_backend_destroy(be);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a model");
    }
    m->be = be;
    m->nn = nn;
    m->device.device.kind = MUMLOC_DEVICE_CPU;
    snprintf(m->device.reason, sizeof m->device.reason, "CPU: where models start");
    m->precision = MUMLOC_PRECISION_FP32;
    *out = m;
    return MUMLOC_OK;
}

void mumloc_model_destroy(mumloc_model *model) {
    if (!model) return;
    nn_model_destroy(model->nn);
    nn_backend_destroy(model->be);
    text_free(&model->info);
    free(model);
}
