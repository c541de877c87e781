/* Resampling a rig's cameras onto camera 1's grid (mumloc_rig_resample) and the field every camera
 * sees (mumloc_rig_common_field), against closed forms: an analytic image seen through a known
 * affine (flip, rotation, scale, shift) comes back within the interpolation error; quadratics come
 * back exactly (Keys' kernel reproduces them); the identity copies; the common field of shifted and
 * flipped cameras is the rectangle the shifts leave. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "mumloc.h"

#define W 48
#define H 40

static void rig_by_hand(mumloc_rig *rig, int k) { mumloc_rig_default(rig, k, W, H); }

/* to_camera = a scaled rotation by `degrees`, mirrored in x when flip, shifted by (tx, ty). */
static void set_affine(mumloc_rig_camera *c, double degrees, double scale, int flip, double tx,
                       double ty) {
    const double a = degrees * 3.14159265358979323846 / 180.0, m = flip ? -1.0 : 1.0;
    const double t[6] = {m * scale * cos(a), -m * scale * sin(a), tx,
                         scale * sin(a), scale * cos(a), ty};
    memcpy(c->to_camera, t, sizeof t);
}

/* (x, y) = to_camera⁻¹(u, v): the reference point a camera's point shows. */
static void to_reference(const double t[6], double u, double v, double *x, double *y) {
    const double det = t[0] * t[4] - t[1] * t[3];
    u -= t[2];
    v -= t[5];
    *x = (t[4] * u - t[1] * v) / det;
    *y = (-t[3] * u + t[0] * v) / det;
}

typedef double (*image_fn)(double x, double y);

static double blob(double x, double y) { /* a smooth Gaussian blob, σ = 2.5 px, on 10 */
    const double dx = x - 23.3, dy = y - 19.6;
    return 10.0 + 200.0 * exp(-(dx * dx + dy * dy) / (2 * 2.5 * 2.5));
}

static double quadratic(double x, double y) {
    return 3.0 + 0.7 * x - 0.4 * y + 0.02 * x * x - 0.015 * x * y + 0.01 * y * y;
}

/* Camera d's image of f: its pixel (i, j) holds f at the reference point its centre shows. */
static void camera_images(const mumloc_rig *rig, image_fn f, float *cameras) {
    const int w = rig->width, h = rig->height;
    for (int d = 0; d < rig->optics.planes; d++)
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++) {
                double x, y;
                to_reference(rig->camera[d].to_camera, i + 0.5, j + 0.5, &x, &y);
                cameras[((size_t)d * h + j) * w + i] = (float)f(x, y);
            }
}

/* Largest |resampled − f at camera 1's pixel centre| over the field less `margin` pixels on each
 * side, plane d. */
static double worst_error(const mumloc_rig_field *fd, const float *out, int d, image_fn f,
                          int margin) {
    double worst = 0;
    for (int j = margin; j < fd->height - margin; j++)
        for (int i = margin; i < fd->width - margin; i++) {
            const double want = f(fd->x0 + i + 0.5, fd->y0 + j + 0.5);
            const double e = fabs(out[((size_t)d * fd->height + j) * fd->width + i] - want);
            if (e > worst) worst = e;
        }
    return worst;
}

static void test_affine_recovers_images(void) {
    mumloc_rig rig;
    rig_by_hand(&rig, 4);
    set_affine(&rig.camera[1], 0.4, 1.01, 1, W + 1.7, -2.3);  /* mirror in x, shifted */
    set_affine(&rig.camera[2], -0.3, 0.99, 0, 2.6, 1.4);
    set_affine(&rig.camera[3], 90.2, 1.005, 0, H + 0.8, 3.1); /* a quarter turn */
    /* the quarter-turned camera shows a W-wide field in its H rows: crop the rig to a square */
    rig.width = rig.height = H;
    mumloc_rig_field fd;
    CHECK_OK(mumloc_rig_common_field(&rig, &fd));
    CHECK(fd.width > 20 && fd.height > 20);
    static float cameras[4 * W * H], out[4 * W * H];
    /* every pixel of the field maps inside every camera */
    for (int d = 0; d < 4; d++)
        for (int j = 0; j < fd.height; j += fd.height - 1)
            for (int i = 0; i < fd.width; i += fd.width - 1) {
                const double *t = rig.camera[d].to_camera;
                const double cx = fd.x0 + i + 0.5, cy = fd.y0 + j + 0.5;
                const double u = t[0] * cx + t[1] * cy + t[2], v = t[3] * cx + t[4] * cy + t[5];
                CHECK(u >= 0.5 - 1e-9 && u <= H - 0.5 + 1e-9 && v >= 0.5 - 1e-9 &&
                      v <= H - 0.5 + 1e-9);
            }
    /* a smooth blob of 200 on 10 (σ 2.5 px): Keys' error is a few tenths of a percent of the peak */
    camera_images(&rig, blob, cameras);
    CHECK_OK(mumloc_rig_resample(&rig, &fd, cameras, out));
    CHECK_NEAR(worst_error(&fd, out, 0, blob, 0), 0.0, 1e-4); /* camera 1: a copy */
    for (int d = 1; d < 4; d++) {
        const double e = worst_error(&fd, out, d, blob, 0);
        printf("camera %d: worst interpolation error %.3f of a 200 peak\n", d + 1, e);
        CHECK_NEAR(e, 0.0, 1.0); /* 0.5 % of the peak; measured ≈ 0.4–0.5 */
    }
    /* quadratics are reproduced exactly (float rounding only) where the kernel's 4 × 4 support
     * lies inside the camera: 2 pixels from the field's edge (there the border is clamped) */
    camera_images(&rig, quadratic, cameras);
    CHECK_OK(mumloc_rig_resample(&rig, &fd, cameras, out));
    for (int d = 0; d < 4; d++) CHECK_NEAR(worst_error(&fd, out, d, quadratic, 2), 0.0, 1e-4);
}

static void test_common_field_of_shifts(void) {
    mumloc_rig rig;
    rig_by_hand(&rig, 3);
    /* camera 2 sees reference x at x + 5.3, y at y − 3.2: its centres s = x + 5.3, r = y − 3.2 must
     * lie in [0, W−1] × [0, H−1], so x ≤ W − 7 and y ≥ 4 */
    set_affine(&rig.camera[1], 0, 1, 0, 5.3, -3.2);
    /* camera 3 mirrored: u = W − x sees every column */
    set_affine(&rig.camera[2], 0, 1, 1, W, 0);
    mumloc_rig_field fd;
    CHECK_OK(mumloc_rig_common_field(&rig, &fd));
    CHECK(fd.x0 == 0 && fd.width == W - 6 && fd.y0 == 4 && fd.height == H - 4);
    /* the mirrored camera's resampled plane is the image flipped back */
    static float cameras[3 * W * H], out[3 * W * H];
    for (int d = 0; d < 3; d++)
        for (int j = 0; j < H; j++)
            for (int i = 0; i < W; i++) cameras[((size_t)d * H + j) * W + i] = (float)(i + 100 * j);
    CHECK_OK(mumloc_rig_resample(&rig, &fd, cameras, out));
    int exact = 1;
    for (int j = 0; j < fd.height; j++)
        for (int i = 0; i < fd.width; i++) {
            const size_t at = ((size_t)2 * fd.height + j) * fd.width + i;
            exact &= out[at] == (float)(W - 1 - (fd.x0 + i) + 100 * (fd.y0 + j));
        }
    CHECK(exact);
    /* cameras that share nothing are refused, naming the camera */
    set_affine(&rig.camera[1], 0, 1, 0, 3 * W, 0);
    CHECK_STATUS(mumloc_rig_common_field(&rig, &fd), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "camera 2") != NULL);
}

int main(void) {
    test_affine_recovers_images();
    test_common_field_of_shifts();
    return CHECK_DONE("test_rig_resample");
}
