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

/* How far a fit may move a position and still be trusted: one camera pixel laterally, half the
 * plane spacing axially. Farther means the fit went to a neighbour or to noise. */
int mumloc_mle_trusted(const mumloc_optics *o, const mumloc_mle_result *r, double x_nm,
                       double y_nm, double z_nm) {
    const double lateral = o->pixel_nm;
    const double axial =
        o->planes > 1 ? 0.5 * (o->plane_depth_nm[o->planes - 1] - o->plane_depth_nm[0]) /
                            (o->planes - 1)
                      : mumloc_optics_plane_psf(o, 0).d_nm;
    return r->converged && fabs(r->x_nm - x_nm) <= lateral && fabs(r->y_nm - y_nm) <= lateral &&
           fabs(r->z_nm - z_nm) <= axial;
}

mumloc_status mumloc_localizations_refine_mapped(const mumloc_optics *optics,
                                                 const mumloc_camera *camera,
                                                 const mumloc_plane_map *map, const float *frame,
                                                 int width, int height, const double *dx_dy,
                                                 mumloc_localization *locs, int count) {
    MUMLOC_TRY(mumloc_localizations_check(optics, camera, frame, width, height, locs, count));
    const mumloc_pixel_noise noise = mumloc_pixel_noise_of(camera);
    mumloc_threads_apply();
    int *unresolved = count > 0 ? malloc(sizeof *unresolved * (size_t)count) : NULL;
    if (count > 0 && !unresolved)
        return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d records", count);
    mumloc_status st = mumloc_refine_multi_emitter(optics, &noise, frame, width, height, dx_dy,
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
    return mumloc_localizations_refine_mapped(optics, camera, NULL, frame, width, height, dx_dy,
                                              locs, count);
}
