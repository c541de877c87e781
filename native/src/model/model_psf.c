/* A model's PSF record (see model_psf.h). */
#include "model/model_psf.h"

#include <stdio.h>

#include "core/error.h"

mumloc_status model_set_psf(mumloc_model *model, const psf_record *r) {
    if (r->kind == MUMLOC_PSF_GAUSSIAN && !mumloc_model_metadata(model, "psf")) return MUMLOC_OK;
    text_buffer t = {0};
    psf_record_write(&t, r);
    mumloc_status st = text_status(&t);
    if (st == MUMLOC_OK) st = model_set_meta(model, "psf", t.data);
    text_free(&t);
    return st;
}

mumloc_status model_psf(const mumloc_model *model, psf_record *out) {
    return psf_record_parse(mumloc_model_metadata(model, "psf"), "the model's \"psf\"", out);
}

mumloc_status model_check_psf(const mumloc_model *model, const psf_record *given,
                              const char *label) {
    psf_record mine;
    ERROR_TRY(model_psf(model, &mine));
    char why[2 * MUMLOC_RIG_PSF_FILE_MAX + 512];
    if (!psf_record_differs(&mine, "model", given, label, why, sizeof why)) return MUMLOC_OK;
    return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                       "the model was trained with another PSF: %s; train or fine-tune a model "
                       "with this PSF (mumloc train --rig RIG, the rig whose PSF the data has)",
                       why);
}
