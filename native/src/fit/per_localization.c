/* See per_localization.h. */
#include "fit/per_localization.h"

#include <math.h>
#include <stdio.h>

#include "core/error.h"
#include "core/runtime.h"

mumloc_status localizations_check(const mumloc_optics *optics, const mumloc_camera *camera,
                                        const float *frame, int width, int height,
                                        const mumloc_localization *locs, int count) {
    ERROR_TRY(mumloc_optics_validate(optics));
    ERROR_TRY(mumloc_camera_validate(camera));
    if (!frame || (count > 0 && !locs))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "frame and localizations must not be NULL");
    if (width < 1 || height < 1 || count < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "frame size must be at least 1x1 and count >= 0 (got %dx%d, %d)", width,
                           height, count);
    for (int m = 0; m < count; m++)
        if (!isfinite(locs[m].x_nm) || !isfinite(locs[m].y_nm) || !isfinite(locs[m].z_nm))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "localization %d has a non-finite position", m + 1);
    return MUMLOC_OK;
}

mumloc_status for_each_localization(const mumloc_optics *optics, const mumloc_camera *camera,
                                           const float *frame, int width, int height,
                                           const double *dx_dy, const plane_map *map,
                                           mumloc_localization *locs, int count,
                                           per_localization_fn fn, const char *verb) {
    ERROR_TRY(localizations_check(optics, camera, frame, width, height, locs, count));
    pixel_noise noise = pixel_noise_of(camera);
    threads_apply();
    /* Each record is independent; the first failure (by index) is the one reported. */
    int first_failure = count;
    mumloc_status failure = MUMLOC_OK;
#pragma omp parallel for schedule(dynamic, 4)
    for (int m = 0; m < count; m++) {
        mumloc_status s = fn(optics, &noise, frame, width, height, dx_dy, map, &locs[m]);
        if (s != MUMLOC_OK) {
#pragma omp critical(per_localization_failure)
            if (m < first_failure) {
                first_failure = m;
                failure = s;
            }
        }
    }
    if (failure != MUMLOC_OK) {
        /* Messages are per thread: redo the failing record here for the caller's message. */
        mumloc_localization l = locs[first_failure];
        if (fn(optics, &noise, frame, width, height, dx_dy, map, &l) == MUMLOC_OK)
            return error_fail(failure, "localization %d could not be %s", first_failure + 1, verb);
        char why[512];
        snprintf(why, sizeof why, "%s", mumloc_last_error());
        return error_fail(failure, "localization %d: %s", first_failure + 1, why);
    }
    return MUMLOC_OK;
}
