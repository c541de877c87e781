/* The localizer's rig path (options.rig): raw camera frames in, each camera converted with its own
 * offset and gains, resampled onto camera 1's grid over the field every camera sees for the
 * network; decoded positions moved from the field back to camera 1's whole frame; refinement,
 * photometry and bounds on the raw camera images through the exact affine (localize/mapped_fits.h),
 * so interpolation never reaches a fitted position. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "localize/pipeline_localizer.h"
#include "model/model_psf.h"
#include "rig/rig_psf.h"

void pipeline_rig_free(pipeline_rig *r) {
    if (!r) return;
    spline_set_free(&r->psf);
    free(r->raw_photons);
    free(r);
}

static mumloc_status check_model_optics(mumloc_model *model, const mumloc_rig *rig) {
    psf_record psf;
    psf_record_of_rig(rig, &psf);
    ERROR_TRY(model_check_psf(model, &psf, "rig"));
    mumloc_status st = mumloc_model_check_optics(model, &rig->optics);
    if (st == MUMLOC_OK) return st;
    char message[1536];
    snprintf(message, sizeof message, "%s", mumloc_last_error());
    return error_fail(st, "the model was trained for other optics than the rig's: %s; train "
                       "or fine-tune a model for this rig (mumloc train --rig)", message);
}

mumloc_status pipeline_rig_create(mumloc_localizer *l, const mumloc_rig *rig, int width,
                                  int height) {
    if (rig->optics.planes != l->planes)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "the rig has %d cameras but the model "
                           "needs %d planes", rig->optics.planes, l->planes);
    if (width != rig->width || height != rig->height)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "frames of %dx%d pixels were given but "
                           "the rig's cameras record %dx%d", width, height, rig->width,
                           rig->height);
    for (int d = 0; d < rig->optics.planes; d++) {
        const mumloc_rig_camera *c = &rig->camera[d];
        if (!(c->adu_per_electron > 0 && c->em_gain >= 1 && c->read_noise_e >= 0))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "camera %d of the rig needs "
                               "adu_per_electron > 0, em_gain >= 1 and read_noise_e >= 0 (got "
                               "%g, %g, %g)", d + 1, c->adu_per_electron, c->em_gain,
                               c->read_noise_e);
    }
    ERROR_TRY(mumloc_optics_validate(&rig->optics));
    ERROR_TRY(check_model_optics(l->model, rig));
    pipeline_rig *r = calloc(1, sizeof *r);
    if (!r) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the rig");
    l->rig = r;
    r->rig = *rig;
    r->raw_width = width;
    r->raw_height = height;
    ERROR_TRY(mumloc_rig_common_field(rig, &r->field));
    plane_map_from_rig(rig, &r->map);
    psf_model psf; /* every fit of a spline rig uses its measured PSF */
    ERROR_TRY(rig_psf_model(&r->rig, &r->psf, &psf));
    r->map.spline = psf.spline;
    mumloc_camera_default(&r->noise_camera);
    r->noise_camera.read_noise_e = rig->camera[0].read_noise_e;
    r->noise_camera.em_gain = rig->camera[0].em_gain;
    r->raw_photons = malloc(sizeof(float) * (size_t)l->planes * width * height);
    if (!r->raw_photons)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a %dx%d rig frame", width,
                           height);
    /* the network sees the common field; the fits use the rig's optics (the model's, checked) */
    l->width = r->field.width;
    l->height = r->field.height;
    l->optics = rig->optics;
    return MUMLOC_OK;
}

int64_t pipeline_input_floats(const mumloc_localizer *l) {
    return l->rig ? (int64_t)l->planes * l->rig->raw_width * l->rig->raw_height
                  : (int64_t)l->planes * l->width * l->height;
}
