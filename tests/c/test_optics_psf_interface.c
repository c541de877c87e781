/* The PSF model interface (optics/psf_interface.h): the `gaussian` kind is exactly the Gaussian
 * model (expected image as psf_model_image, bounds as crlb_bounds), and the `spline`
 * kind built from it gives the same expected image (a noise-free simulation) and the same CRLB within
 * 2 %, also with per-plane optics (own curves and transmissions) and drift. A spline model missing a
 * plane, or measured on other pixels, is refused with a message naming the plane. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gaussian_spline.h"
#include "optics/psf_interface.h"
#include "optics/psf_model.h"

/* ±16 pixels: the papers' PSF 1.2 µm from focus has w ≈ 1 µm, over 5 pixels */
enum { OS = 4, HALF = 16, NZ = 121 };
static const double Z0 = -400.0, ZSTEP = 20.0;

static void spline_of_plane(const mumloc_optics *o, int d, spline_plane_psf *out) {
    gaussian_spline_of_plane(o, d, OS, HALF, NZ, Z0, ZSTEP, out);
}

static void compare(const mumloc_optics *o, const char *label) {
    spline_plane_psf splines[MUMLOC_MAX_PLANES];
    for (int d = 0; d < o->planes; d++) spline_of_plane(o, d, &splines[d]);
    psf_model gauss = {MUMLOC_PSF_GAUSSIAN, o, NULL}, spline = {MUMLOC_PSF_SPLINE, o, splines};
    CHECK_OK(psf_model_check(&gauss));
    CHECK_OK(psf_model_check(&spline));
    enum { W = 24, H = 20 };
    const int k = o->planes;
    double *mu_ref = malloc(sizeof(double) * k * W * H), *mu_g = malloc(sizeof(double) * k * W * H);
    double *mu_s = malloc(sizeof(double) * k * W * H), bg[MUMLOC_MAX_PLANES], drift[2 * MUMLOC_MAX_PLANES] = {0};
    for (int d = 0; d < k; d++) bg[d] = 5.0 + d, drift[2 * d] = 24.0 * (d % 3), drift[2 * d + 1] = -24.0 * (d % 2);
    drift[0] = drift[1] = 0;
    mumloc_camera cam;
    mumloc_camera_default(&cam);
    pixel_noise noise = pixel_noise_of(&cam);
    double worst_image = 0, worst_gauss_image = 0, worst_bound = 0, worst_gauss_bound = 0;
    for (int t = 0; t < 6; t++) {
        double x = 2000 + 111.1 * t, y = 1800 + 73.7 * t, z = 150 + 250 * t, photons = 3000;
        CHECK_OK(psf_model_image(o, x, y, z, photons, bg, drift, NULL, W, H, mu_ref, NULL, NULL, NULL, NULL));
        CHECK_OK(psf_model_expected(&gauss, x, y, z, photons, bg, drift, W, H, mu_g));
        CHECK_OK(psf_model_expected(&spline, x, y, z, photons, bg, drift, W, H, mu_s));
        double peak = 0;
        for (int i = 0; i < k * W * H; i++) {
            if (mu_ref[i] - bg[i / (W * H)] > peak) peak = mu_ref[i] - bg[i / (W * H)];
            worst_gauss_image = fmax(worst_gauss_image, fabs(mu_g[i] - mu_ref[i]));
            worst_image = fmax(worst_image, fabs(mu_s[i] - mu_ref[i]));
        }
        double s_ref[3], s_g[3], s_s[3];
        CHECK_OK(crlb_bounds(o, &noise, x, y, z, photons, bg, drift, NULL, s_ref));
        CHECK_OK(psf_model_bounds(&gauss, &noise, x, y, z, photons, bg, drift, s_g));
        CHECK_OK(psf_model_bounds(&spline, &noise, x, y, z, photons, bg, drift, s_s));
        for (int a = 0; a < 3; a++) {
            worst_gauss_bound = fmax(worst_gauss_bound, fabs(s_g[a] / s_ref[a] - 1));
            worst_bound = fmax(worst_bound, fabs(s_s[a] / s_ref[a] - 1));
        }
        if (t == 0) printf("%s: peak %.1f photons\n", label, peak);
    }
    printf("%s: gaussian kind vs psf_model: image %.2e photons, bounds %.2e; spline kind: image %.4f "
           "photons, bounds %.3f %%\n",
           label, worst_gauss_image, worst_gauss_bound, worst_image, 100 * worst_bound);
    CHECK(worst_gauss_image < 1e-9);
    CHECK(worst_gauss_bound < 1e-9);
    CHECK(worst_image < 0.05);  /* photons per pixel, peaks of ~100 */
    CHECK(worst_bound < 0.02);
    free(mu_ref);
    free(mu_g);
    free(mu_s);
    for (int d = 0; d < o->planes; d++) spline_psf_free(&splines[d]);
}

int main(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    compare(&o, "papers' optics");
    /* per-plane curves and transmissions */
    o.per_plane = 1;
    for (int d = 0; d < o.planes; d++) {
        o.plane_psf[d] = (mumloc_plane_psf){o.psf_w0_nm * (1 + 0.05 * d), o.psf_d_nm * (1 - 0.03 * d),
                                            o.psf_A, o.psf_B, 1.0 + 0.2 * d};
    }
    CHECK_OK(mumloc_optics_validate(&o));
    compare(&o, "per-plane optics");

    mumloc_optics_default(&o);
    spline_plane_psf splines[MUMLOC_MAX_PLANES];
    memset(splines, 0, sizeof splines);
    spline_of_plane(&o, 0, &splines[0]);
    psf_model m = {MUMLOC_PSF_SPLINE, &o, splines};
    CHECK_STATUS(psf_model_check(&m), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "plane 2") != NULL);
    o.pixel_nm = 100.0;
    o.planes = 1;
    CHECK_STATUS(psf_model_check(&m), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "pixels") != NULL);
    CHECK(strcmp(mumloc_psf_kind_name(MUMLOC_PSF_SPLINE), "spline") == 0);
    spline_psf_free(&splines[0]);
    return check_failures ? 1 : 0;
}
