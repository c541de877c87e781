/* The PSF a model was trained with (issue 13): metadata "psf", a PSF record (optics/psf_record.h).
 * A model trained on spline-PSF frames records the spline's content hash and the rig's spline file
 * name — a hash and a reference, not the coefficients: the spline belongs to the rig (its file beside
 * the rig file, checked against the same hash when the rig loads), every run that uses a spline model
 * has that rig at hand (localize --rig), and the model file stays the size of its weights. A Gaussian
 * model has no "psf" entry, as models always had (old files load unchanged). */
#ifndef MODEL_MODEL_PSF_H
#define MODEL_MODEL_PSF_H

#include "model/model_handle.h"
#include "optics/psf_record.h"

/* Records r: a spline's record; the Gaussian writes nothing, unless the model recorded a spline
 * before (fine-tuning), which is then replaced by {"model": "gaussian"}. */
mumloc_status model_set_psf(mumloc_model *model, const psf_record *r);

/* The model's record (no "psf": the Gaussian). MUMLOC_ERR_FORMAT for a malformed entry. */
mumloc_status model_psf(const mumloc_model *model, psf_record *out);

/* Fails (MUMLOC_ERR_INVALID_ARGUMENT) when the model was trained with another PSF than `given`,
 * naming both and what to do; label says what `given` belongs to ("the rig", "'movie.tif'"). */
mumloc_status model_check_psf(const mumloc_model *model, const psf_record *given,
                              const char *label);

#endif
