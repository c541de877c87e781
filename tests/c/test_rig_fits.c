/* The rig's exact affine in the PSF model (optics/plane_map.h, psf_model's placement) and in the
 * fits on raw camera frames (localize/mapped_fits.h), against independent expectations:
 *   - an orthogonal map (quarter turn, mirror, shift) moves the isotropic PSF without changing it:
 *     the mapped image at (x, y) is the unmapped image at map(x, y);
 *   - the analytic ∂μ/∂x, ∂y, ∂z through a general map (rotation, 1 % scales, shear, flip) match
 *     central differences of the mapped image;
 *   - the lateral bound is invariant under a rotation: uncertainty_xy through a rotated camera
 *     equals that of the unrotated camera at the mapped position;
 *   - refinement on noise-free raw frames of four differently mapped cameras returns the true
 *     position, and photometry the true photons and backgrounds. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "fit/mapped_fits.h"
#include "mumloc.h"
#include "optics/plane_map.h"
#include "optics/psf_model.h"

#define SIDE 32
#define PLANES 4
#define N_PIX (PLANES * SIDE * SIDE)

static const double PI = 3.14159265358979323846;

static void set_affine(mumloc_rig_camera *c, double degrees, double sx, double sy, double shear,
                       int flip, double tx, double ty) {
    const double a = degrees * PI / 180.0, m = flip ? -1.0 : 1.0;
    /* R(a) · [[sx, shear], [0, sy]] · diag(m, 1) */
    const double l00 = sx * m, l01 = shear, l10 = 0, l11 = sy;
    const double t[6] = {cos(a) * l00 - sin(a) * l10, cos(a) * l01 - sin(a) * l11, tx,
                         sin(a) * l00 + cos(a) * l10, sin(a) * l01 + cos(a) * l11, ty};
    memcpy(c->to_camera, t, sizeof t);
}

/* Four cameras: identity, mirrored and shifted, rotated 0.4° with 1 % scales and shear, a
 * quarter turn. */
static void general_rig(mumloc_rig *rig) {
    mumloc_rig_default(rig, PLANES, SIDE, SIDE);
    set_affine(&rig->camera[1], 0.0, 1.0, 1.0, 0.0, 1, SIDE + 0.37, -0.81);
    set_affine(&rig->camera[2], 0.4, 1.01, 0.992, 0.006, 0, 1.3, -0.6);
    set_affine(&rig->camera[3], 90.0, 1.005, 1.005, 0.0, 0, SIDE - 0.2, 0.45);
}

static double max_abs(const double *v, int n) {
    double m = 0;
    for (int i = 0; i < n; i++) m = fabs(v[i]) > m ? fabs(v[i]) : m;
    return m;
}

static void orthogonal_map_moves_the_psf(void) {
    mumloc_rig rig;
    mumloc_rig_default(&rig, PLANES, SIDE, SIDE);
    set_affine(&rig.camera[1], 0.0, 1, 1, 0, 1, SIDE + 0.37, -0.81);
    set_affine(&rig.camera[2], 90.0, 1, 1, 0, 0, SIDE - 0.2, 0.45);
    set_affine(&rig.camera[3], 90.0, 1, 1, 0, 1, 1.7, 0.3);
    plane_map map;
    plane_map_from_rig(&rig, &map);
    const mumloc_optics *o = &rig.optics;
    const double x = 3011.0, y = 2870.0, z = 700.0, n = 4000.0, p = o->pixel_nm;
    const double bg[PLANES] = {1, 2, 3, 4};
    static double mapped[N_PIX], direct[N_PIX];
    CHECK_OK(psf_model_image(o, x, y, z, n, bg, NULL, &map, SIDE, SIDE, mapped, NULL, NULL,
                                    NULL, NULL));
    for (int d = 0; d < PLANES; d++) {
        /* camera d's own nm of the molecule, by the rig's affine in pixel units */
        double u, v;
        mumloc_rig_affine_apply(rig.camera[d].to_camera, x / p, y / p, &u, &v);
        /* its plane alone, unmapped, at (u, v): plane d's depth and photons are the same */
        CHECK_OK(psf_model_image(o, u * p, v * p, z, n, bg, NULL, NULL, SIDE, SIDE, direct,
                                        NULL, NULL, NULL, NULL));
        double worst = 0;
        for (int i = d * SIDE * SIDE; i < (d + 1) * SIDE * SIDE; i++)
            worst = fabs(mapped[i] - direct[i]) > worst ? fabs(mapped[i] - direct[i]) : worst;
        CHECK_NEAR(worst, 0.0, 1e-9 * n);
    }
}

static void derivatives_through_a_general_map(void) {
    mumloc_rig rig;
    general_rig(&rig);
    plane_map map;
    plane_map_from_rig(&rig, &map);
    const mumloc_optics *o = &rig.optics;
    static double mu[N_PIX], dx[N_PIX], dy[N_PIX], dz[N_PIX], plus[N_PIX], minus[N_PIX];
    const double drift[2 * MUMLOC_MAX_PLANES] = {0, 0, 17.5, -30.0, -48.0, 5.0, 24.0, 24.0};
    const double bg[PLANES] = {3, 7, 11, 0};
    const double x = 3020.3, y = 2950.8, z = 813.0, n = 2000.0;
    CHECK_OK(psf_model_image(o, x, y, z, n, bg, drift, &map, SIDE, SIDE, mu, dx, dy, dz,
                                    NULL));
    double *analytic[3] = {dx, dy, dz};
    for (int q = 0; q < 3; q++) {
        double a[3] = {x, y, z}, b[3] = {x, y, z};
        a[q] += 1e-3;
        b[q] -= 1e-3;
        CHECK_OK(psf_model_image(o, a[0], a[1], a[2], n, bg, drift, &map, SIDE, SIDE, plus,
                                        NULL, NULL, NULL, NULL));
        CHECK_OK(psf_model_image(o, b[0], b[1], b[2], n, bg, drift, &map, SIDE, SIDE,
                                        minus, NULL, NULL, NULL, NULL));
        const double scale = max_abs(analytic[q], N_PIX);
        int bad = 0;
        for (int i = 0; i < N_PIX; i++)
            bad += fabs((plus[i] - minus[i]) / 2e-3 - analytic[q][i]) > 1e-6 * scale;
        if (bad) fprintf(stderr, "parameter %d: %d pixels off\n", q, bad);
        CHECK(scale > 0 && bad == 0);
    }
}

static void lateral_bound_is_rotation_invariant(void) {
    mumloc_rig rig;
    mumloc_rig_default(&rig, PLANES, SIDE, SIDE);
    for (int d = 1; d < PLANES; d++) set_affine(&rig.camera[d], 37.0, 1, 1, 0, d == 2, 9.0, -4.0);
    plane_map map;
    plane_map_from_rig(&rig, &map);
    mumloc_camera camera;
    mumloc_camera_default(&camera);
    const mumloc_optics *o = &rig.optics;
    const double x = 2900.0, y = 3100.0, z = 500.0, n = 3000.0, p = o->pixel_nm;
    /* A frame of the expected image through the map, so the photometry sees exactly photons n
     * and background 10; then one camera at a time: the rotated camera's bound is the unrotated
     * camera's bound at the mapped position. */
    static float frame[N_PIX];
    static double mu[N_PIX];
    const double bg[PLANES] = {10, 10, 10, 10};
    CHECK_OK(psf_model_image(o, x, y, z, n, bg, NULL, &map, SIDE, SIDE, mu, NULL, NULL,
                                    NULL, NULL));
    for (int i = 0; i < N_PIX; i++) frame[i] = (float)mu[i];
    mumloc_localization mapped = {0, x, y, z, 1, 0, {0}, 0, 0, 0, 0, 0};
    CHECK_OK(localizations_measure_mapped(o, &camera, &map, frame, SIDE, SIDE, NULL,
                                                 &mapped, 1));
    CHECK_NEAR(mapped.photons, n, 1e-3 * n);
    /* the same optics with one plane: plane 2 alone, rotated vs unrotated */
    mumloc_optics one = *o;
    one.planes = 1;
    one.plane_depth_nm[0] = o->plane_depth_nm[1];
    mumloc_rig single;
    mumloc_rig_default(&single, 1, SIDE, SIDE);
    single.optics = one;
    single.camera[0] = rig.camera[1];
    plane_map map1;
    plane_map_from_rig(&single, &map1);
    const double bg1[1] = {10};
    double s_direct[3], u, v;
    mumloc_rig_affine_apply(rig.camera[1].to_camera, x / p, y / p, &u, &v);
    CHECK_OK(mumloc_crlb(&one, &camera, u * p, v * p, z, n, bg1, &s_direct[0], &s_direct[1],
                         &s_direct[2]));
    /* the rotated camera's bound, from the photometry of its noise-free frame */
    mumloc_localization rot = {0, x, y, z, 1, 0, {0}, 0, 0, 0, 0, 0};
    static float frame1[SIDE * SIDE];
    static double mu1[SIDE * SIDE];
    CHECK_OK(psf_model_image(&one, x, y, z, n, bg1, NULL, &map1, SIDE, SIDE, mu1, NULL,
                                    NULL, NULL, NULL));
    for (int i = 0; i < SIDE * SIDE; i++) frame1[i] = (float)mu1[i];
    CHECK_OK(localizations_measure_mapped(&one, &camera, &map1, frame1, SIDE, SIDE, NULL,
                                                 &rot, 1));
    const double direct_xy = sqrt(0.5 * (s_direct[0] * s_direct[0] + s_direct[1] * s_direct[1]));
    CHECK_NEAR(rot.uncertainty_xy_nm, direct_xy, 1e-3 * direct_xy);
    CHECK_NEAR(rot.uncertainty_z_nm, s_direct[2], 1e-3 * s_direct[2]);
}

static void refinement_on_raw_frames(void) {
    mumloc_rig rig;
    general_rig(&rig);
    plane_map map;
    plane_map_from_rig(&rig, &map);
    mumloc_camera camera;
    mumloc_camera_default(&camera);
    const mumloc_optics *o = &rig.optics;
    static double mu[N_PIX];
    static float frame[N_PIX];
    const double bg[PLANES] = {8, 12, 10, 9};
    const double truth[][3] = {{3020.3, 2950.8, 813.0}, {2900.0, 3150.0, 250.0},
                               {3100.0, 3000.0, 1400.0}};
    for (int m = 0; m < 3; m++) {
        const double x = truth[m][0], y = truth[m][1], z = truth[m][2], n = 5000.0;
        CHECK_OK(psf_model_image(o, x, y, z, n, bg, NULL, &map, SIDE, SIDE, mu, NULL, NULL,
                                        NULL, NULL));
        for (int i = 0; i < N_PIX; i++) frame[i] = (float)mu[i];
        mumloc_localization l = {0, x + 60, y - 45, z + 90, 1, 0, {0}, 0, 0, 0, 0, 0};
        CHECK_OK(localizations_refine_mapped(o, &camera, &map, frame, SIDE, SIDE, NULL,
                                                    &l, 1));
        CHECK_NEAR(l.x_nm, x, 0.05);
        CHECK_NEAR(l.y_nm, y, 0.05);
        CHECK_NEAR(l.z_nm, z, 0.2);
        CHECK_OK(localizations_measure_mapped(o, &camera, &map, frame, SIDE, SIDE, NULL,
                                                     &l, 1));
        CHECK_NEAR(l.photons, n, 1e-3 * n);
        for (int d = 0; d < PLANES; d++) CHECK_NEAR(l.background[d], bg[d], 1e-3);
        /* without the map the same frames are another molecule's: the fit cannot find this one */
        mumloc_localization wrong = {0, x + 60, y - 45, z + 90, 1, 0, {0}, 0, 0, 0, 0, 0};
        localizations_refine_mapped(o, &camera, NULL, frame, SIDE, SIDE, NULL, &wrong, 1);
        CHECK(fabs(wrong.x_nm - x) + fabs(wrong.y_nm - y) > 1.0);
    }
}

int main(void) {
    orthogonal_map_moves_the_psf();
    derivatives_through_a_general_map();
    lateral_bound_is_rotation_invariant();
    refinement_on_raw_frames();
    return CHECK_DONE("test_rig_fits");
}
