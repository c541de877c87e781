/* mumloc_localizations_measure: photometry by the linear PSF fit, then the CRLB at the fitted photons
 * and backgrounds, for every localization of a frame (contract in mumloc.h). */
#include <math.h>

#include "core/error.h"
#include "localize/per_localization.h"
#include "localize/photon_fit.h"
#include "optics/crlb.h"

static mumloc_status measure_one(const mumloc_optics *o, const mumloc_pixel_noise *noise,
                                 const float *frame, int width, int height, const double *dx_dy,
                                 mumloc_localization *l) {
    mumloc_photon_fit fit;
    MUMLOC_TRY(mumloc_fit_photons(o, frame, width, height, l->x_nm, l->y_nm, l->z_nm, dx_dy, &fit));
    double bg[MUMLOC_MAX_PLANES], sum = 0;
    int planes = 0;
    l->photons = fit.photons;
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++)
        l->background[d] = d < o->planes ? fit.background[d] : NAN;
    for (int d = 0; d < o->planes; d++) {
        double b = fit.background[d];
        if (isfinite(b)) {
            sum += b;
            planes++;
        }
    }
    /* The bound needs a variance model: a background the noise pushed below 0 counts as 0, a
     * plane whose window misses the image (the bound still counts its pixels: it is the bound of
     * an unbounded camera) as the mean of the others. */
    for (int d = 0; d < o->planes; d++) {
        double b = isfinite(fit.background[d]) ? fit.background[d] : sum / planes;
        bg[d] = b > 0.0 ? b : 0.0;
    }
    l->offset = planes ? sum / planes : NAN;
    l->bkgstd = fit.bkgstd;
    if (!(fit.photons > 0.0)) {
        l->uncertainty_xy_nm = INFINITY;
        l->uncertainty_z_nm = INFINITY;
        return MUMLOC_OK;
    }
    double sigma[3];
    MUMLOC_TRY(mumloc_crlb_bounds(o, noise, l->x_nm, l->y_nm, l->z_nm, fit.photons, bg, dx_dy,
                                  sigma));
    l->uncertainty_xy_nm = sqrt(0.5 * (sigma[0] * sigma[0] + sigma[1] * sigma[1]));
    l->uncertainty_z_nm = sigma[2];
    return MUMLOC_OK;
}

mumloc_status mumloc_localizations_measure(const mumloc_optics *optics, const mumloc_camera *camera,
                                           const float *frame, int width, int height,
                                           const double *dx_dy, mumloc_localization *locs,
                                           int count) {
    return mumloc_for_each_localization(optics, camera, frame, width, height, dx_dy, locs, count,
                                        measure_one, "measured");
}
