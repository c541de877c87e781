/* mumloc_localizations_refine: maximum-likelihood refinement of decoded positions, each fit modelling
 * its neighbours' light (multi_emitter.h; contract in mumloc.h). */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "fit/mapped_fits.h"
#include "fit/per_localization.h"
#include "fit/fit_mle.h"
#include "fit/multi_emitter.h"
#include "core/runtime.h"

mumloc_status localizations_refine_mapped(const mumloc_optics *optics,
                                                 const mumloc_camera *camera,
                                                 const plane_map *map, const float *frame,
                                                 int width, int height, const double *dx_dy,
                                                 mumloc_localization *locs, int count) {
    ERROR_TRY(localizations_check(optics, camera, frame, width, height, locs, count));
    const pixel_noise noise = pixel_noise_of(camera);
    threads_apply();
    int *unresolved = count > 0 ? malloc(sizeof *unresolved * (size_t)count) : NULL;
    if (count > 0 && !unresolved)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d records", count);
    mumloc_status st = refine_multi_emitter(optics, &noise, frame, width, height, dx_dy,
                                                   map, locs, count, unresolved, NULL);
    if (st == MUMLOC_OK)
        for (int m = 0; m < count; m++) locs[m].unresolved = unresolved[m];
    free(unresolved);
    return st;
}

mumloc_status mumloc_localizations_refine(const mumloc_optics *optics, const mumloc_camera *camera,
                                          const float *frame, int width, int height,
                                          const double *dx_dy, mumloc_localization *locs,
                                          int count) {
    return localizations_refine_mapped(optics, camera, NULL, frame, width, height, dx_dy,
                                              locs, count);
}
