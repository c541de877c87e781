/* Camera: documented defaults and validation. */
#include "core/error.h"
#include "core/range_check.h"

void mumloc_camera_default(mumloc_camera *camera) {
    if (!camera) return;
    camera->background_photons = 10.0; /* λ of the 2020 paper */
    camera->read_noise_e = 3.0;        /* σ² = 9 of both papers */
    camera->em_gain = 1.0;
    camera->adu_per_electron = 1.0;
    camera->offset_adu = 0.0;
}

mumloc_status mumloc_camera_validate(const mumloc_camera *camera) {
    if (!camera) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "camera must not be NULL");
    ERROR_TRY(range_check("background", camera->background_photons, 0.0, 1e6, "photons"));
    ERROR_TRY(range_check("read-noise", camera->read_noise_e, 0.0, 1e4, "electrons"));
    ERROR_TRY(range_check("em-gain", camera->em_gain, 1.0, 1e4, ""));
    ERROR_TRY(check_positive("gain", camera->adu_per_electron, 1e6, "ADU per electron"));
    ERROR_TRY(range_check("offset", camera->offset_adu, -1e9, 1e9, "ADU"));
    return MUMLOC_OK;
}
