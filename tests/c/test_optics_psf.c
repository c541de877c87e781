/* The pixel-integrated PSF against closed forms: w(Δz), the photons in a plane (c·a'/p²), the second
 * moment of the expected image (w² + p²/12 for pixel integration), mirror symmetry, drift as a shift,
 * and identical pixels whatever band of rows is rendered. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "simulate/simulator.h"

#define W 64
#define H 64

static double image[H * W];
static double scratch[2 * (W + H + 2)];

static void render(const mumloc_optics *o, double x, double y, double z, double c, double depth,
                   double dx, double dy) {
    memset(image, 0, sizeof image);
    mumloc_emitter e = {0, x, y, z, c, 0};
    render_plane_rows(o, 0, W, H, 0, H, depth, dx, dy, &e, 1, image, scratch);
}

static void moments(const mumloc_optics *o, double *total, double *cx, double *cy, double *vx,
                    double *vy) {
    double p = o->pixel_nm, s = 0, sx = 0, sy = 0, sxx = 0, syy = 0;
    for (int j = 0; j < H; j++)
        for (int i = 0; i < W; i++) {
            double v = image[j * W + i], x = (i + 0.5) * p, y = (j + 0.5) * p;
            s += v;
            sx += v * x;
            sy += v * y;
        }
    *cx = sx / s;
    *cy = sy / s;
    for (int j = 0; j < H; j++)
        for (int i = 0; i < W; i++) {
            double v = image[j * W + i], x = (i + 0.5) * p - *cx, y = (j + 0.5) * p - *cy;
            sxx += v * x * x;
            syy += v * y * y;
        }
    *total = s;
    *vx = sxx / s;
    *vy = syy / s;
}

int main(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    const double p = o.pixel_nm, w0 = o.psf_w0_nm, d = o.psf_d_nm, A = o.psf_A, B = o.psf_B;

    /* w(Δz) closed forms: w0 in focus, w0·sqrt(2 ± A + B) at Δz = ±d, ≈ 450–460 nm at ±750 nm. */
    CHECK_NEAR(mumloc_psf_width_nm(&o, 0.0), w0, 1e-12);
    CHECK_NEAR(mumloc_psf_width_nm(&o, d), w0 * sqrt(2.0 + A + B), 1e-9);
    CHECK_NEAR(mumloc_psf_width_nm(&o, -d), w0 * sqrt(2.0 - A + B), 1e-9);
    CHECK(mumloc_psf_width_nm(&o, 750.0) > 440.0 && mumloc_psf_width_nm(&o, 750.0) < 470.0);

    /* Photons in a plane: c·a'/p² (≈ 1356 per unit weight) in focus and defocused, within 0.1 %. */
    const double centre = 32 * p + 37.0, middle = 32 * p - 71.0;
    const double dzs[] = {0.0, 300.0, -300.0, 600.0, -600.0, 900.0};
    for (size_t k = 0; k < sizeof dzs / sizeof dzs[0]; k++) {
        const double c = 0.7, depth = 600.0, z = depth - dzs[k];
        double total, cx, cy, vx, vy;
        render(&o, centre, middle, z, c, depth, 0, 0);
        moments(&o, &total, &cx, &cy, &vx, &vy);
        double expected = c * o.psf_amplitude / (p * p);
        CHECK_NEAR(total, expected, 1e-3 * expected);
        /* Centroid at the molecule; width from the second moment minus pixel integration's p²/12. */
        CHECK_NEAR(cx, centre, 0.01);
        CHECK_NEAR(cy, middle, 0.01);
        double w = mumloc_psf_width_nm(&o, dzs[k]);
        CHECK_NEAR(sqrt(vx - p * p / 12.0), w, 0.01 * w);
        CHECK_NEAR(sqrt(vy - p * p / 12.0), w, 0.01 * w);
    }
    CHECK_NEAR(o.psf_amplitude / (p * p), 1356.336, 0.01);

    /* Mirror symmetry: a molecule at a pixel centre gives an image symmetric about that pixel along
     * both axes and under transposition. */
    {
        const int ic = 30, jc = 33;
        render(&o, (ic + 0.5) * p, (jc + 0.5) * p, 400.0, 1.0, 1000.0, 0, 0);
        double worst = 0.0, peak = image[jc * W + ic];
        for (int k = 1; k < 25; k++) {
            worst = fmax(worst, fabs(image[jc * W + ic + k] - image[jc * W + ic - k]));
            worst = fmax(worst, fabs(image[(jc + k) * W + ic] - image[(jc - k) * W + ic]));
            worst = fmax(worst, fabs(image[(jc + k) * W + ic] - image[jc * W + ic + k]));
            worst = fmax(worst, fabs(image[(jc + 3) * W + ic + k] - image[(jc + k) * W + ic + 3]));
        }
        CHECK(worst <= 1e-12 * peak);
    }

    /* With A = 0 the PSF is even in Δz: the image a distance Δz above the plane equals the one below. */
    {
        mumloc_optics even = o;
        even.psf_A = 0.0;
        static double above[H * W];
        render(&even, centre, middle, 1000.0 - 350.0, 1.0, 1000.0, 0, 0);
        memcpy(above, image, sizeof image);
        render(&even, centre, middle, 1000.0 + 350.0, 1.0, 1000.0, 0, 0);
        double worst = 0.0;
        for (int i = 0; i < W * H; i++) worst = fmax(worst, fabs(above[i] - image[i]));
        CHECK(worst <= 1e-12 * 1356.0);
    }

    /* Drift (dx, dy) shows the molecule at (x − dx, y − dy): same image as the moved molecule, and
     * the centroid moves by exactly −drift. */
    {
        const double dx = 24.0, dy = -48.0;
        static double drifted[H * W];
        render(&o, centre, middle, 900.0, 0.6, 1000.0, dx, dy);
        memcpy(drifted, image, sizeof image);
        double total, cx, cy, vx, vy;
        moments(&o, &total, &cx, &cy, &vx, &vy);
        CHECK_NEAR(cx, centre - dx, 0.01);
        CHECK_NEAR(cy, middle - dy, 0.01);
        render(&o, centre - dx, middle - dy, 900.0, 0.6, 1000.0, 0, 0);
        double worst = 0.0;
        for (int i = 0; i < W * H; i++) worst = fmax(worst, fabs(drifted[i] - image[i]));
        CHECK(worst <= 1e-12 * 1356.0);
    }

    /* Rendering in bands of rows gives the very same numbers as the whole plane. */
    {
        mumloc_emitter e[3] = {{0, centre, middle, 100.0, 1.0, 0},
                               {0, 5.0, 7.0, 1500.0, 0.3, 0},
                               {0, W * p - 1.0, 20 * p, 800.0, 0.9, 0}};
        static double whole[H * W], banded[H * W];
        memset(whole, 0, sizeof whole);
        memset(banded, 0, sizeof banded);
        render_plane_rows(&o, 1, W, H, 0, H, 600.0, 12.0, -7.0, e, 3, whole, scratch);
        const int cuts[] = {0, 10, 37, 38, H};
        for (int b = 0; b < 4; b++)
            render_plane_rows(&o, 1, W, H, cuts[b], cuts[b + 1], 600.0, 12.0, -7.0, e, 3,
                                     banded + cuts[b] * W, scratch);
        CHECK(memcmp(whole, banded, sizeof whole) == 0);
    }
    return CHECK_DONE("test_optics_psf");
}
