/* A model's PSF record (see model_psf.h). */
#include "model/model_psf.h"

#include <stdio.h>

#include "core/error.h"

mumloc_status model_set_psf(mumloc_model *model, const mumloc_psf_record *r) {
    if (r->kind == MUMLOC_PSF_GAUSSIAN && !mumloc_model_metadata(model, "psf")) return MUMLOC_OK;
    mumloc_text t = {0};
    mumloc_psf_record_write(&t, r);
    mumloc_status st = mumloc_text_status(&t);
    if (st == MUMLOC_OK) st = model_set_meta(model, "psf", t.data);
    mumloc_text_free(&t);
    return st;
}

mumloc_status model_psf(const mumloc_model *model, mumloc_psf_record *out) {
    return mumloc_psf_record_parse(mumloc_model_metadata(model, "psf"), "the model's \"psf\"", out);
}

mumloc_status model_check_psf(const mumloc_model *model, const mumloc_psf_record *given,
                              const char *label) {
    mumloc_psf_record mine;
    MUMLOC_TRY(model_psf(model, &mine));
    char why[2 * MUMLOC_RIG_PSF_FILE_MAX + 512];
    if (!mumloc_psf_record_differs(&mine, "model", given, label, why, sizeof why)) return MUMLOC_OK;
    return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                       "the model was trained with another PSF: %s; train or fine-tune a model "
                       "with this PSF (mumloc train --rig RIG, the rig whose PSF the data has)",
                       why);
}
