/* Cramér–Rao bounds (mumloc_crlb) against independent expectations: a brute-force Fisher matrix from
 * finite differences of the simulator's own rendering, the 2D Gaussian limit σ = w/√N, exact 1/√N
 * scaling without background, the EM excess factor √2, and symmetry. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "crlb_brute_force.h"

static void against_brute_force(void) {
    mumloc_optics o;
    mumloc_camera cam;
    mumloc_optics_default(&o);
    mumloc_camera_default(&cam);
    const double cases[][4] = {{32 * 192 + 50.0, 31 * 192 + 120.0, 450.0, 2000.0},
                               {32 * 192 + 96.0, 32 * 192 + 96.0, 1000.0, 500.0},
                               {31 * 192 + 3.0, 33 * 192 + 180.0, 1590.0, 8000.0},
                               {32 * 192 + 77.0, 32 * 192 + 11.0, 10.0, 1200.0}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double bg[4] = {10, 5, 20, 0.5}, s[3], ref[3];
        if (c == 3) cam.em_gain = 50; /* EM: variance 2μ + (σ/G)² */
        CHECK_OK(mumloc_crlb(&o, &cam, cases[c][0], cases[c][1], cases[c][2], cases[c][3], bg,
                             &s[0], &s[1], &s[2]));
        brute_force(&o, &cam, cases[c][0], cases[c][1], cases[c][2], cases[c][3], bg, ref);
        for (int a = 0; a < 3; a++) CHECK_NEAR(s[a], ref[a], 1e-4 * ref[a]);
    }
}

/* Without background or read noise the information scales exactly with N: σ ∝ 1/√N. With them, the
 * same holds asymptotically at high N. */
static void photon_scaling(void) {
    mumloc_optics o;
    mumloc_camera cam;
    mumloc_optics_default(&o);
    mumloc_camera_default(&cam);
    cam.read_noise_e = 0;
    const double zero[4] = {0, 0, 0, 0};
    double a[3], b[3];
    CHECK_OK(mumloc_crlb(&o, &cam, 3000, 3100, 700, 1000, zero, &a[0], &a[1], &a[2]));
    CHECK_OK(mumloc_crlb(&o, &cam, 3000, 3100, 700, 16000, zero, &b[0], &b[1], &b[2]));
    for (int i = 0; i < 3; i++) CHECK_NEAR(a[i] / b[i], 4.0, 4e-9);
    double limit[3]; /* σ·√N without noise besides the photons' own */
    for (int i = 0; i < 3; i++) limit[i] = a[i] * sqrt(1000.0);

    mumloc_camera_default(&cam); /* background 10, read noise 3 */
    CHECK_OK(mumloc_crlb(&o, &cam, 3000, 3100, 700, 1e10, NULL, &a[0], &a[1], &a[2]));
    CHECK_OK(mumloc_crlb(&o, &cam, 3000, 3100, 700, 4e10, NULL, &b[0], &b[1], &b[2]));
    for (int i = 0; i < 3; i++) {
        CHECK_NEAR(a[i] / b[i], 2.0, 1e-3);
        CHECK_NEAR(b[i] * sqrt(4e10), limit[i], 1e-3 * limit[i]);
    }
    /* and at a thousand photons the background costs much precision (z, from the wings, most) */
    CHECK_OK(mumloc_crlb(&o, &cam, 3000, 3100, 700, 1000, NULL, &a[0], &a[1], &a[2]));
    for (int i = 0; i < 3; i++) CHECK(a[i] * sqrt(1000.0) > 1.5 * limit[i]);
    CHECK(a[2] * sqrt(1000.0) > 2.0 * limit[2]);
}

/* Small pixels, negligible background, molecule at a pixel centre (x decoupled from the rest by
 * symmetry): 1/σx² → Σ_d N_d / w_d², the 2D Gaussian formula per plane. The fit window (±3w) keeps
 * about 97 % of the information, so within 3 %. */
static void gaussian_limit(void) {
    mumloc_optics o;
    mumloc_camera cam;
    mumloc_optics_default(&o);
    mumloc_camera_default(&cam);
    o.pixel_nm = 8.0;
    cam.read_noise_e = 0;
    const double n = 1e4, z = 700, x = 400.5 * 8, y = 390.5 * 8;
    double bg[4] = {1e-6, 1e-6, 1e-6, 1e-6}, s[3];
    CHECK_OK(mumloc_crlb(&o, &cam, x, y, z, n, bg, &s[0], &s[1], &s[2]));
    double info = 0;
    for (int d = 0; d < 4; d++) {
        double w = mumloc_psf_width_nm(&o, o.plane_depth_nm[d] - z);
        info += n / 4 / (w * w + o.pixel_nm * o.pixel_nm / 12);
    }
    CHECK_NEAR(s[0], 1 / sqrt(info), 0.03 / sqrt(info));
    CHECK(s[0] >= 1 / sqrt(info)); /* truncation only loses information */
    CHECK_NEAR(s[1], s[0], 1e-9 * s[0]);

    /* One plane, molecule exactly in focus: σx → w0/√N; z leaves no trace (w'(0) = 0) → Infinity. */
    o.planes = 1;
    CHECK_OK(mumloc_crlb(&o, &cam, x, y, o.plane_depth_nm[0], n, bg, &s[0], &s[1], &s[2]));
    double w0 = o.psf_w0_nm;
    CHECK_NEAR(s[0], w0 / sqrt(n), 0.03 * w0 / sqrt(n));
    CHECK(isinf(s[2]));
}

/* EM gain with no read noise doubles the variance of every pixel: σ × √2 exactly. */
static void em_excess(void) {
    mumloc_optics o;
    mumloc_camera cam;
    mumloc_optics_default(&o);
    mumloc_camera_default(&cam);
    cam.read_noise_e = 0;
    double a[3], b[3];
    CHECK_OK(mumloc_crlb(&o, &cam, 3000, 3100, 950, 3000, NULL, &a[0], &a[1], &a[2]));
    cam.em_gain = 200;
    CHECK_OK(mumloc_crlb(&o, &cam, 3000, 3100, 950, 3000, NULL, &b[0], &b[1], &b[2]));
    for (int i = 0; i < 3; i++) CHECK_NEAR(b[i] / a[i], sqrt(2.0), 1e-9);
}

/* Symmetry: at a pixel centre σx = σy; the bound repeats with the pixel phase (a whole-pixel shift
 * changes nothing); z mirrored about the middle plane pair with A = 0 gives the same σz. */
static void symmetry(void) {
    mumloc_optics o;
    mumloc_camera cam;
    mumloc_optics_default(&o);
    mumloc_camera_default(&cam);
    double a[3], b[3];
    CHECK_OK(mumloc_crlb(&o, &cam, 10.5 * 192, 20.5 * 192, 500, 2000, NULL, &a[0], &a[1], &a[2]));
    CHECK_NEAR(a[0], a[1], 1e-9 * a[0]);
    CHECK_OK(mumloc_crlb(&o, &cam, 13.5 * 192, 7.5 * 192, 500, 2000, NULL, &b[0], &b[1], &b[2]));
    for (int i = 0; i < 3; i++) CHECK_NEAR(a[i], b[i], 1e-9 * a[i]);
    o.psf_A = 0;
    CHECK_OK(mumloc_crlb(&o, &cam, 1000, 1000, 800 - 230, 2000, NULL, &a[0], &a[1], &a[2]));
    CHECK_OK(mumloc_crlb(&o, &cam, 1000, 1000, 800 + 230, 2000, NULL, &b[0], &b[1], &b[2]));
    for (int i = 0; i < 3; i++) CHECK_NEAR(a[i], b[i], 1e-9 * a[i]);
}

static void bad_inputs(void) {
    mumloc_optics o;
    mumloc_camera cam;
    mumloc_optics_default(&o);
    mumloc_camera_default(&cam);
    double s[3], neg[4] = {1, -1, 1, 1};
    CHECK_STATUS(mumloc_crlb(&o, &cam, 0, 0, 0, 0, NULL, &s[0], &s[1], &s[2]),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_crlb(&o, &cam, NAN, 0, 0, 100, NULL, &s[0], &s[1], &s[2]),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_crlb(&o, &cam, 0, 0, 0, 100, neg, &s[0], &s[1], &s[2]),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "plane 2") != NULL);
    CHECK_STATUS(mumloc_crlb(&o, &cam, 0, 0, 0, 100, NULL, NULL, &s[1], &s[2]),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    o.pixel_nm = 0;
    CHECK_STATUS(mumloc_crlb(&o, &cam, 0, 0, 0, 100, NULL, &s[0], &s[1], &s[2]),
                 MUMLOC_ERR_INVALID_ARGUMENT);
}

int main(void) {
    against_brute_force();
    photon_scaling();
    gaussian_limit();
    em_excess();
    symmetry();
    bad_inputs();
    return CHECK_DONE("test_crlb_bounds");
}
