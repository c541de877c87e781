/* mumloc_localizations_measure: photometry by the linear PSF fit, then the CRLB at the fitted photons
 * and backgrounds, for every localization of a frame (contract in mumloc.h). Both use the PSF factors
 * over the same unclipped windows at the same position: they are evaluated once per molecule. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "fit/mapped_fits.h"
#include "fit/per_localization.h"
#include "fit/photon_fit.h"
#include "optics/crlb.h"

static mumloc_status measure_with(const mumloc_optics *o, const pixel_noise *noise,
                                  const float *frame, int width, int height,
                                  const psf_plane *planes, mumloc_localization *l) {
    photon_fit fit;
    ERROR_TRY(fit_photons_planes(o, frame, width, height, l->x_nm, l->y_nm, l->z_nm, planes,
                                         &fit));
    double bg[MUMLOC_MAX_PLANES], sum = 0;
    int seen = 0;
    l->photons = fit.photons;
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++)
        l->background[d] = d < o->planes ? fit.background[d] : NAN;
    for (int d = 0; d < o->planes; d++) {
        double b = fit.background[d];
        if (isfinite(b)) {
            sum += b;
            seen++;
        }
    }
    /* The bound needs a variance model: a background the noise pushed below 0 counts as 0, a
     * plane whose window misses the image (the bound still counts its pixels: it is the bound of
     * an unbounded camera) as the mean of the others. */
    for (int d = 0; d < o->planes; d++) {
        double b = isfinite(fit.background[d]) ? fit.background[d] : sum / seen;
        bg[d] = b > 0.0 ? b : 0.0;
    }
    l->offset = seen ? sum / seen : NAN;
    l->bkgstd = fit.bkgstd;
    if (!(fit.photons > 0.0)) {
        l->uncertainty_xy_nm = INFINITY;
        l->uncertainty_z_nm = INFINITY;
        return MUMLOC_OK;
    }
    double sigma[3];
    crlb_bounds_planes(o, noise, planes, fit.photons, bg, sigma);
    l->uncertainty_xy_nm = sqrt(0.5 * (sigma[0] * sigma[0] + sigma[1] * sigma[1]));
    l->uncertainty_z_nm = sigma[2];
    return MUMLOC_OK;
}

static mumloc_status measure_one(const mumloc_optics *o, const pixel_noise *noise,
                                 const float *frame, int width, int height, const double *dx_dy,
                                 const plane_map *map, mumloc_localization *l) {
    psf_plane planes[MUMLOC_MAX_PLANES];
    double *buffer = psf_planes_unclipped(o, l->x_nm, l->y_nm, l->z_nm, dx_dy, map, planes);
    if (!buffer) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a measurement");
    mumloc_status s = measure_with(o, noise, frame, width, height, planes, l);
    free(buffer);
    return s;
}

mumloc_status localizations_measure_mapped(const mumloc_optics *optics,
                                                  const mumloc_camera *camera,
                                                  const plane_map *map, const float *frame,
                                                  int width, int height, const double *dx_dy,
                                                  mumloc_localization *locs, int count) {
    return for_each_localization(optics, camera, frame, width, height, dx_dy, map, locs,
                                        count, measure_one, "measured");
}

mumloc_status mumloc_localizations_measure(const mumloc_optics *optics, const mumloc_camera *camera,
                                           const float *frame, int width, int height,
                                           const double *dx_dy, mumloc_localization *locs,
                                           int count) {
    return localizations_measure_mapped(optics, camera, NULL, frame, width, height, dx_dy,
                                               locs, count);
}
