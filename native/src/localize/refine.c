/* mumloc_localizations_refine: maximum-likelihood refinement of decoded positions (contract in
 * mumloc.h). */
#include <math.h>
#include <stdio.h>

#include "core/error.h"
#include "core/runtime.h"
#include "localize/fit_mle.h"

/* How far a fit may move a position and still be trusted: one camera pixel laterally, half the
 * plane spacing axially. Farther means the fit went to a neighbour or to noise. */
static void trust_region(const mumloc_optics *o, double *lateral, double *axial) {
    *lateral = o->pixel_nm;
    *axial = o->planes > 1
                 ? 0.5 * (o->plane_depth_nm[o->planes - 1] - o->plane_depth_nm[0]) / (o->planes - 1)
                 : o->psf_d_nm;
}

static mumloc_status refine_one(const mumloc_optics *o, const mumloc_pixel_noise *noise,
                                const float *frame, int width, int height, const double *dx_dy,
                                mumloc_localization *l) {
    mumloc_mle_result r;
    MUMLOC_TRY(mumloc_fit_mle(o, noise, frame, width, height, l->x_nm, l->y_nm, l->z_nm, dx_dy,
                              &r));
    double lateral, axial;
    trust_region(o, &lateral, &axial);
    if (r.converged && fabs(r.x_nm - l->x_nm) <= lateral && fabs(r.y_nm - l->y_nm) <= lateral &&
        fabs(r.z_nm - l->z_nm) <= axial) {
        l->x_nm = r.x_nm;
        l->y_nm = r.y_nm;
        l->z_nm = r.z_nm;
    }
    return MUMLOC_OK;
}

mumloc_status mumloc_localizations_refine(const mumloc_optics *optics, const mumloc_camera *camera,
                                          const float *frame, int width, int height,
                                          const double *dx_dy, mumloc_localization *locs,
                                          int count) {
    MUMLOC_TRY(mumloc_optics_validate(optics));
    MUMLOC_TRY(mumloc_camera_validate(camera));
    if (!frame || (count > 0 && !locs))
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT, "frame and localizations must not be NULL");
    if (width < 1 || height < 1 || count < 0)
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "frame size must be at least 1x1 and count >= 0 (got %dx%d, %d)", width,
                           height, count);
    for (int m = 0; m < count; m++)
        if (!isfinite(locs[m].x_nm) || !isfinite(locs[m].y_nm) || !isfinite(locs[m].z_nm))
            return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "localization %d has a non-finite position", m + 1);
    mumloc_pixel_noise noise = mumloc_pixel_noise_of(camera);
    mumloc_threads_apply();
    int first_failure = count;
    mumloc_status failure = MUMLOC_OK;
#pragma omp parallel for schedule(dynamic, 4)
    for (int m = 0; m < count; m++) {
        mumloc_status s = refine_one(optics, &noise, frame, width, height, dx_dy, &locs[m]);
        if (s != MUMLOC_OK) {
#pragma omp critical(mumloc_refine_failure)
            if (m < first_failure) {
                first_failure = m;
                failure = s;
            }
        }
    }
    if (failure != MUMLOC_OK) {
        /* Messages are per thread: redo the failing record here for the caller's message. */
        mumloc_localization l = locs[first_failure];
        if (refine_one(optics, &noise, frame, width, height, dx_dy, &l) == MUMLOC_OK)
            return mumloc_fail(failure, "localization %d could not be refined", first_failure + 1);
        char why[512];
        snprintf(why, sizeof why, "%s", mumloc_last_error());
        return mumloc_fail(failure, "localization %d: %s", first_failure + 1, why);
    }
    return MUMLOC_OK;
}
