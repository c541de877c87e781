/* Optics: documented defaults (science.md §2–3), validation, the PSF width, and each plane's own
 * values (per-plane optics). */
#include <math.h>
#include <stdio.h>

#include "core/error.h"
#include "optics/plane_optics.h"
#include "optics/psf.h"
#include "core/range_check.h"

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
    /* per_plane stays 0; the per-plane values start as the common ones so that switching it on
     * changes nothing until a plane is edited. */
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++)
        optics->plane_psf[d] = (mumloc_plane_psf){optics->psf_w0_nm, optics->psf_d_nm, optics->psf_A,
                                                  optics->psf_B, 1.0};
}

/* Depths are bounded so that sums and differences of them stay far from overflow and precision loss. */
#define DEPTH_LIMIT_NM 1e5

/* One defocus curve's ranges (the common one and every plane's). */
static mumloc_status check_curve(double w0, double d, double A, double B) {
    ERROR_TRY(range_check("psf-w0", w0, 1.0, 1e4, "nm"));
    ERROR_TRY(range_check("psf-d", d, 1.0, 1e5, "nm"));
    ERROR_TRY(range_check("psf-B", B, 0.0, 100.0, ""));
    /* A² ≤ 4B makes t² + A t³ + B t⁴ = t² (1 + A t + B t²) non-negative, so w(Δz) ≥ w0 is real at
     * every defocus (with B = 0 that forces A = 0). */
    double a_limit = 2.0 * sqrt(B);
    if (!isfinite(A) || fabs(A) > a_limit)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "psf-A must be between %g and %g when psf-B is %g (|A| <= 2 sqrt(B) keeps "
                           "the width real and at least w0 at every defocus) (got %g)",
                           -a_limit, a_limit, B, A);
    return MUMLOC_OK;
}

/* Transmissions are relative, so only their ratios matter; the bound keeps sums finite. */
#define TRANSMISSION_LIMIT 1e6

static mumloc_status check_plane(const mumloc_plane_psf *psf, int plane) {
    mumloc_status s = check_curve(psf->w0_nm, psf->d_nm, psf->A, psf->B);
    if (s == MUMLOC_OK) s = check_positive("transmission", psf->transmission,
                                                   TRANSMISSION_LIMIT, "");
    if (s == MUMLOC_OK) return MUMLOC_OK;
    char message[512];
    snprintf(message, sizeof message, "%s", mumloc_last_error());
    return error_fail(s, "plane %d's optics (plane_psf[%d]): %s", plane + 1, plane, message);
}

mumloc_status mumloc_optics_validate(const mumloc_optics *optics) {
    if (!optics) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "optics must not be NULL");
    ERROR_TRY(check_int_range("planes", optics->planes, 1, MUMLOC_MAX_PLANES));
    for (int d = 0; d < optics->planes; d++) {
        double depth = optics->plane_depth_nm[d];
        if (!isfinite(depth) || fabs(depth) > DEPTH_LIMIT_NM)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "plane-depth of plane %d must be between %g and %g nm (got %g)", d + 1,
                               -DEPTH_LIMIT_NM, DEPTH_LIMIT_NM, depth);
        if (d > 0 && !(depth > optics->plane_depth_nm[d - 1]))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "plane-depth must increase strictly from plane to plane "
                               "(got %g nm for plane %d after %g nm for plane %d)",
                               depth, d + 1, optics->plane_depth_nm[d - 1], d);
    }
    ERROR_TRY(range_check("pixel", optics->pixel_nm, 1.0, 1e4, "nm"));
    ERROR_TRY(check_positive("psf-amplitude", optics->psf_amplitude, 1e12, "photon nm^2"));
    ERROR_TRY(check_curve(optics->psf_w0_nm, optics->psf_d_nm, optics->psf_A, optics->psf_B));
    if (optics->per_plane != 0 && optics->per_plane != 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "per-plane must be 0 or 1 (got %d)",
                           optics->per_plane);
    if (optics->per_plane)
        for (int d = 0; d < optics->planes; d++) ERROR_TRY(check_plane(&optics->plane_psf[d], d));
    return MUMLOC_OK;
}

double mumloc_psf_width_nm(const mumloc_optics *optics, double dz_nm) {
    return psf_width(optics->psf_w0_nm, optics->psf_d_nm, optics->psf_A, optics->psf_B, dz_nm);
}

mumloc_plane_psf mumloc_optics_plane_psf(const mumloc_optics *optics, int plane) {
    if (optics->per_plane) return optics->plane_psf[plane];
    return (mumloc_plane_psf){optics->psf_w0_nm, optics->psf_d_nm, optics->psf_A, optics->psf_B, 1.0};
}

static double transmission_sum(const mumloc_optics *optics) {
    double sum = 0.0;
    for (int d = 0; d < optics->planes; d++) sum += optics->plane_psf[d].transmission;
    return sum;
}

double mumloc_optics_plane_share(const mumloc_optics *optics, int plane) {
    if (!optics->per_plane) return 1.0 / optics->planes;
    return optics->plane_psf[plane].transmission / transmission_sum(optics);
}

double optics_plane_gain(const mumloc_optics *optics, int plane) {
    if (!optics->per_plane) return 1.0;
    return optics->planes * optics->plane_psf[plane].transmission / transmission_sum(optics);
}

double mumloc_psf_plane_width_nm(const mumloc_optics *optics, int plane, double dz_nm) {
    mumloc_plane_psf psf = mumloc_optics_plane_psf(optics, plane);
    return psf_width(psf.w0_nm, psf.d_nm, psf.A, psf.B, dz_nm);
}
