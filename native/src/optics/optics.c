/* Optics: documented defaults (science.md §2–3), validation, and the PSF width. */
#include <math.h>

#include "core/error.h"
#include "optics/psf.h"
#include "optics/range_check.h"

void mumloc_optics_default(mumloc_optics *optics) {
    if (!optics) return;
    *optics = (mumloc_optics){0};
    optics->planes = 4;
    /* Plane d (1-based) images (d − 1)·400 + 200 nm: four 400 nm layers of the [0, 1600) nm slab. */
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++) optics->plane_depth_nm[d] = 200.0 + 400.0 * d;
    optics->pixel_nm = 192.0;
    optics->psf_amplitude = 5.00e7;
    optics->psf_w0_nm = 133.05;
    optics->psf_d_nm = 302.38;
    optics->psf_A = 7.37e-4;
    /* The authors' simulator and their plotted defocus curves use 0.1225 (science.md §2). */
    optics->psf_B = 0.1225;
}

/* Depths are bounded so that sums and differences of them stay far from overflow and precision loss. */
#define DEPTH_LIMIT_NM 1e5

mumloc_status mumloc_optics_validate(const mumloc_optics *optics) {
    if (!optics) return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT, "optics must not be NULL");
    MUMLOC_TRY(mumloc_check_int_range("planes", optics->planes, 1, MUMLOC_MAX_PLANES));
    for (int d = 0; d < optics->planes; d++) {
        double depth = optics->plane_depth_nm[d];
        if (!isfinite(depth) || fabs(depth) > DEPTH_LIMIT_NM)
            return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "plane-depth of plane %d must be between %g and %g nm (got %g)", d + 1,
                               -DEPTH_LIMIT_NM, DEPTH_LIMIT_NM, depth);
        if (d > 0 && !(depth > optics->plane_depth_nm[d - 1]))
            return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "plane-depth must increase strictly from plane to plane "
                               "(got %g nm for plane %d after %g nm for plane %d)",
                               depth, d + 1, optics->plane_depth_nm[d - 1], d);
    }
    MUMLOC_TRY(mumloc_check_range("pixel", optics->pixel_nm, 1.0, 1e4, "nm"));
    MUMLOC_TRY(mumloc_check_positive("psf-amplitude", optics->psf_amplitude, 1e12, "photon nm^2"));
    MUMLOC_TRY(mumloc_check_range("psf-w0", optics->psf_w0_nm, 1.0, 1e4, "nm"));
    MUMLOC_TRY(mumloc_check_range("psf-d", optics->psf_d_nm, 1.0, 1e5, "nm"));
    MUMLOC_TRY(mumloc_check_range("psf-B", optics->psf_B, 0.0, 100.0, ""));
    /* A² ≤ 4B makes t² + A t³ + B t⁴ = t² (1 + A t + B t²) non-negative, so w(Δz) ≥ w0 is real at
     * every defocus (with B = 0 that forces A = 0). */
    double a_limit = 2.0 * sqrt(optics->psf_B);
    if (!isfinite(optics->psf_A) || fabs(optics->psf_A) > a_limit)
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "psf-A must be between %g and %g when psf-B is %g (|A| <= 2 sqrt(B) keeps "
                           "the width real and at least w0 at every defocus) (got %g)",
                           -a_limit, a_limit, optics->psf_B, optics->psf_A);
    return MUMLOC_OK;
}

double mumloc_psf_width_nm(const mumloc_optics *optics, double dz_nm) {
    return mumloc_psf_width(optics->psf_w0_nm, optics->psf_d_nm, optics->psf_A, optics->psf_B, dz_nm);
}
