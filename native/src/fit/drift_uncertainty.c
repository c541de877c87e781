/* drift_add_uncertainty: the drift estimate's share of each position's bound (drift_window.h).
 * A record's position was fitted with the drift held at its estimate; had the drift been off by δ,
 * the fit would have moved by −A⁻¹B δ (its own Fisher blocks), so the estimate's covariance C adds
 * (A⁻¹B) C (A⁻¹B)ᵀ to the position's covariance. The drift comes from the other molecules of many
 * frames, so its error is independent of the record's own noise and the variances add. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "fit/drift_window.h"
#include "fit/fit_mle.h"

mumloc_status drift_add_uncertainty(const mumloc_optics *o, const pixel_noise *noise,
                                           const plane_map *map, const float *frame,
                                           int width, int height, const double *dx_dy,
                                           const double *cov, mumloc_localization *locs,
                                           int count) {
    const int P = 2 * (o->planes - 1);
    if (P == 0) return MUMLOC_OK;
    mumloc_status st = MUMLOC_OK;
#pragma omp parallel for schedule(dynamic, 4)
    for (int m = 0; m < count; m++) {
        mumloc_localization *l = &locs[m];
        if (!(l->photons > 0.0) || !isfinite(l->photons)) continue;
        mle_problem p;
        mumloc_status r = mle_problem_init(&p, o, noise, frame, width, height, l->x_nm,
                                                  l->y_nm, l->z_nm, dx_dy, map);
        if (r != MUMLOC_OK) {
#pragma omp critical(drift_uncertainty_error)
            st = r;
            continue;
        }
        double theta[MLE_MAX_PARAMS] = {l->x_nm, l->y_nm, l->z_nm, l->photons};
        for (int d = 0; d < o->planes; d++)
            theta[4 + d] = isfinite(l->background[d]) && l->background[d] > 0 ? l->background[d] : 0;
        drift_share sh;
        if (drift_share_of(&p, theta, P, &sh)) {
            double var[3] = {0, 0, 0};
            for (int a = 0; a < 3; a++)
                for (int q = 0; q < P; q++)
                    for (int t = 0; t < P; t++)
                        var[a] += sh.Ainv_B[q][a] * cov[q * P + t] * sh.Ainv_B[t][a];
            if (isfinite(var[0] + var[1] + var[2])) {
                const double uxy = l->uncertainty_xy_nm, uz = l->uncertainty_z_nm;
                l->uncertainty_xy_nm = sqrt(uxy * uxy + 0.5 * (var[0] + var[1]));
                l->uncertainty_z_nm = sqrt(uz * uz + var[2]);
            } else {
                l->uncertainty_xy_nm = l->uncertainty_z_nm = INFINITY;
            }
        }
        mle_problem_free(&p);
    }
    return st;
}
