/* The inference precision of a model handle (mumloc.h "mumloc_precision"): names, the AUTO choice,
 * and applying a request to the engine model on its backend. */
#include <string.h>

#include "core/enum_names.h"
#include "core/error.h"
#include "model/model_handle.h"

static const char *const precision_names[] = {"auto", "fp32", "bf16"};

const char *mumloc_precision_name(int precision) {
    return enum_name(precision_names, ENUM_COUNT(precision_names), precision);
}

mumloc_status mumloc_precision_from_name(const char *name, mumloc_precision *out) {
    int v = 0;
    mumloc_status status =
        enum_from_name(precision_names, ENUM_COUNT(precision_names), "precision", name, &v);
    if (status == MUMLOC_OK && out) *out = (mumloc_precision)v;
    return status;
}

/* Whether AUTO picks bf16 where the backend runs it: only if bf16 keeps the accuracy (README,
 * "Precision": Jaccard within 0.002 and RMSE within 2 % of fp32 on the bench's movies). */
#define AUTO_PICKS_BF16 1

static nn_precision auto_precision(nn_backend *be) {
    if (!AUTO_PICKS_BF16) return NN_PRECISION_FP32;
    return nn_backend_precision_check(be, NN_PRECISION_BF16) == MUMLOC_OK ? NN_PRECISION_BF16
                                                                          : NN_PRECISION_FP32;
}

mumloc_status model_apply_precision(mumloc_model *model, int strict) {
    nn_precision want = model->precision == MUMLOC_PRECISION_BF16 ? NN_PRECISION_BF16
                        : model->precision == MUMLOC_PRECISION_FP32 ? NN_PRECISION_FP32
                                                                    : auto_precision(model->be);
    mumloc_status st = nn_model_set_precision(model->nn, want);
    if (st == MUMLOC_OK || strict) return st;
    return nn_model_set_precision(model->nn, NN_PRECISION_FP32);
}

mumloc_status mumloc_model_set_precision(mumloc_model *model, mumloc_precision precision) {
    if (!model) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "set_precision needs a model");
    if (!mumloc_precision_name((int)precision))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "precision must be auto (0), fp32 (1) or bf16 (2), got %d", (int)precision);
    const mumloc_precision before = model->precision;
    model->precision = precision;
    mumloc_status st = model_apply_precision(model, 1);
    if (st != MUMLOC_OK) model->precision = before; /* nn_model_set_precision changed nothing */
    return st;
}

mumloc_precision mumloc_model_precision(const mumloc_model *model) {
    if (!model) return MUMLOC_PRECISION_FP32;
    return model->nn->precision == NN_PRECISION_BF16 ? MUMLOC_PRECISION_BF16 : MUMLOC_PRECISION_FP32;
}
