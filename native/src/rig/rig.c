/* The rig: defaults, validation, layout names and the affine maps between cameras. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "rig/rig_internal.h"

static const char *const layout_names[] = {"hyperstack", "files", "tiles2x2", "tiles1x4", "tiles4x1"};
enum { LAYOUTS = sizeof layout_names / sizeof layout_names[0] };

const char *mumloc_rig_layout_name(mumloc_rig_layout layout) {
    return (int)layout >= 0 && (int)layout < LAYOUTS ? layout_names[layout] : "unknown";
}

mumloc_status mumloc_rig_layout_from_name(const char *name, mumloc_rig_layout *layout) {
    if (!layout) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "rig layout: no output given");
    for (int i = 0; name && i < LAYOUTS; i++)
        if (strcasecmp(name, layout_names[i]) == 0) {
            *layout = (mumloc_rig_layout)i;
            return MUMLOC_OK;
        }
    return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                       "unknown rig layout '%s'; use hyperstack, files, tiles2x2, tiles1x4 or tiles4x1",
                       name ? name : "(none)");
}

mumloc_status mumloc_rig_layout_grid(mumloc_rig_layout layout, int *columns, int *rows) {
    static const int grid[LAYOUTS][2] = {{1, 1}, {1, 1}, {2, 2}, {4, 1}, {1, 4}};
    if ((int)layout < 0 || (int)layout >= LAYOUTS || !columns || !rows)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "rig layout %d is not one of the %d layouts",
                           (int)layout, LAYOUTS);
    *columns = grid[layout][0];
    *rows = grid[layout][1];
    return MUMLOC_OK;
}

void mumloc_rig_default(mumloc_rig *rig, int planes, int width, int height) {
    if (!rig) return;
    memset(rig, 0, sizeof *rig);
    rig->version = RIG_VERSION;
    rig->layout = MUMLOC_RIG_HYPERSTACK;
    rig->width = width;
    rig->height = height;
    mumloc_optics_default(&rig->optics);
    /* more planes than the defaults list continue 400 nm apart */
    for (int d = 1; d < MUMLOC_MAX_PLANES; d++)
        if (d >= 4) rig->optics.plane_depth_nm[d] = rig->optics.plane_depth_nm[d - 1] + 400.0;
    rig->optics.planes = planes;
    mumloc_camera camera;
    mumloc_camera_default(&camera);
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++) {
        mumloc_rig_camera *c = &rig->camera[d];
        const double identity[6] = {1, 0, 0, 0, 1, 0};
        memcpy(c->to_camera, identity, sizeof identity);
        c->offset_adu = camera.offset_adu;
        c->adu_per_electron = camera.adu_per_electron;
        c->em_gain = camera.em_gain;
        c->read_noise_e = camera.read_noise_e;
    }
}

void mumloc_rig_affine_apply(const double t[6], double x, double y, double *u, double *v) {
    if (u) *u = t[0] * x + t[1] * y + t[2];
    if (v) *v = t[3] * x + t[4] * y + t[5];
}

mumloc_status mumloc_rig_affine_invert(const double t[6], double inv[6]) {
    if (!t || !inv) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "affine invert: NULL matrix");
    for (int i = 0; i < 6; i++)
        if (!isfinite(t[i]))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "affine invert: value %d of the matrix is not a finite number", i + 1);
    double det = t[0] * t[4] - t[1] * t[3];
    if (!(fabs(det) >= RIG_MIN_DET))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "affine [%g, %g, %g, %g, %g, %g] cannot be inverted: its linear part has "
                           "determinant %g (it maps the plane onto a line)",
                           t[0], t[1], t[2], t[3], t[4], t[5], det);
    double a = t[4] / det, b = -t[1] / det, c = -t[3] / det, d = t[0] / det;
    inv[0] = a;
    inv[1] = b;
    inv[2] = -(a * t[2] + b * t[5]);
    inv[3] = c;
    inv[4] = d;
    inv[5] = -(c * t[2] + d * t[5]);
    return MUMLOC_OK;
}

void rig_discrete_part(int flip_x, int flip_y, int quarter_turns, double m[4]) {
    /* F first, then R^q with R(x, y) = (−y, x) */
    double fx = flip_x ? -1.0 : 1.0, fy = flip_y ? -1.0 : 1.0;
    double r[4] = {1, 0, 0, 1};
    for (int q = 0; q < (quarter_turns % 4 + 4) % 4; q++) {
        double n[4] = {-r[2], -r[3], r[0], r[1]}; /* R · r */
        memcpy(r, n, sizeof n);
    }
    m[0] = r[0] * fx;
    m[1] = r[1] * fy;
    m[2] = r[2] * fx;
    m[3] = r[3] * fy;
}

double rig_scale(const double t[6]) { return sqrt(fabs(t[0] * t[4] - t[1] * t[3])); }

/* The residual N = D⁻¹ · L of the linear part L after the flips and turns D: a near-identity
 * matrix (a small rotation, scale and shear) when the discrete fields describe L. */
static int discrete_part_fits(const mumloc_rig_camera *c) {
    double dm[4];
    rig_discrete_part(c->flip_x, c->flip_y, c->quarter_turns, dm);
    /* D is orthogonal with entries 0, ±1: its inverse is its transpose */
    const double *t = c->to_camera;
    double n[4] = {dm[0] * t[0] + dm[2] * t[3], dm[0] * t[1] + dm[2] * t[4],
                   dm[1] * t[0] + dm[3] * t[3], dm[1] * t[1] + dm[3] * t[4]};
    double det = n[0] * n[3] - n[1] * n[2];
    if (!(det > 0)) return 0; /* a mirror D does not account for */
    double s = sqrt(det);
    /* rotation angle of the near-identity part and its scale */
    double angle = atan2(n[2] - n[1], n[0] + n[3]);
    return fabs(angle) < RIG_MAX_RESIDUAL_TURN && s > 1.0 - RIG_MAX_SCALE_CHANGE &&
           s < 1.0 + RIG_MAX_SCALE_CHANGE;
}

/* Flips and turns that do describe the camera's linear part, for the message. */
static void suggest_discrete(const mumloc_rig_camera *c, char *buf, size_t cap) {
    mumloc_rig_camera probe = *c;
    for (int fx = 0; fx < 2; fx++)
        for (int q = 0; q < 4; q++) {
            probe.flip_x = fx;
            probe.flip_y = 0;
            probe.quarter_turns = q;
            if (discrete_part_fits(&probe)) {
                snprintf(buf, cap, "flip_x %d, flip_y 0, quarter_turns %d describe it", fx, q);
                return;
            }
        }
    snprintf(buf, cap, "no flip and quarter turn describes it within 10 degrees and 20 %% scale");
}

static mumloc_status check_camera(const mumloc_rig *rig, int d) {
    const mumloc_rig_camera *c = &rig->camera[d];
    const int n = d + 1;
    for (int i = 0; i < 6; i++)
        if (!isfinite(c->to_camera[i]))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "camera %d: to_camera value %d is not a finite number; give the 6 "
                               "numbers of its affine map (u = t0 x + t1 y + t2, v = t3 x + t4 y + t5)",
                               n, i + 1);
    double inverse[6];
    if (mumloc_rig_affine_invert(c->to_camera, inverse) != MUMLOC_OK)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "camera %d: to_camera [%g, %g, %g, %g, %g, %g] cannot be inverted (its "
                           "linear part's determinant is %g); recalibrate, or give the camera's "
                           "real affine map",
                           n, c->to_camera[0], c->to_camera[1], c->to_camera[2], c->to_camera[3],
                           c->to_camera[4], c->to_camera[5],
                           c->to_camera[0] * c->to_camera[4] - c->to_camera[1] * c->to_camera[3]);
    if (d == 0) {
        const double identity[6] = {1, 0, 0, 0, 1, 0};
        for (int i = 0; i < 6; i++)
            if (fabs(c->to_camera[i] - identity[i]) > 1e-9)
                return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                   "camera 1 is the reference: its to_camera must be the identity "
                                   "[1, 0, 0, 0, 1, 0] (value %d is %g); express every camera "
                                   "relative to camera 1",
                                   i + 1, c->to_camera[i]);
    }
    if ((c->flip_x != 0 && c->flip_x != 1) || (c->flip_y != 0 && c->flip_y != 1))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "camera %d: flip_x and flip_y must be 0 or 1 (got %d and %d)", n,
                           c->flip_x, c->flip_y);
    if (c->quarter_turns < 0 || c->quarter_turns > 3)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "camera %d: quarter_turns must be 0, 1, 2 or 3 (got %d)", n,
                           c->quarter_turns);
    if (!discrete_part_fits(c)) {
        char hint[160];
        suggest_discrete(c, hint, sizeof hint);
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "camera %d: flip_x %d, flip_y %d, quarter_turns %d do not match the "
                           "flips and turns inside to_camera (%s); correct them",
                           n, c->flip_x, c->flip_y, c->quarter_turns, hint);
    }
    mumloc_camera model;
    mumloc_camera_default(&model);
    model.offset_adu = c->offset_adu;
    model.adu_per_electron = c->adu_per_electron;
    model.em_gain = c->em_gain;
    model.read_noise_e = c->read_noise_e;
    if (mumloc_camera_validate(&model) != MUMLOC_OK) {
        char message[512];
        snprintf(message, sizeof message, "%s", mumloc_last_error());
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "camera %d: %s (rig fields offset_adu, adu_per_electron, em_gain, "
                           "read_noise_e); correct the camera's model in the rig file",
                           n, message);
    }
    if (c->frame_offset < -RIG_MAX_FRAME_OFFSET || c->frame_offset > RIG_MAX_FRAME_OFFSET)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "camera %d: frame_offset %d is out of range -%d to %d", n,
                           c->frame_offset, RIG_MAX_FRAME_OFFSET, RIG_MAX_FRAME_OFFSET);
    if (!(c->residual_nm >= 0) || !isfinite(c->residual_nm))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "camera %d: residual_nm must be 0 (unknown) or a positive number (got %g)",
                           n, c->residual_nm);
    if (c->beads < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "camera %d: beads must be 0 (unknown) or more (got %d)", n, c->beads);
    return MUMLOC_OK;
}

mumloc_status mumloc_rig_validate(const mumloc_rig *rig) {
    if (!rig) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "rig must not be NULL");
    if (rig->version != RIG_VERSION)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "rig version %d is not supported (this mumloc knows version %d); update "
                           "mumloc or recalibrate",
                           rig->version, RIG_VERSION);
    int columns, rows;
    if (mumloc_rig_layout_grid(rig->layout, &columns, &rows) != MUMLOC_OK)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "rig layout %d is unknown; use hyperstack, files, tiles2x2, tiles1x4 or "
                           "tiles4x1",
                           (int)rig->layout);
    if (rig->width < 1 || rig->height < 1 || rig->width > RIG_MAX_SIDE ||
        rig->height > RIG_MAX_SIDE)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "rig width and height (one camera's frame, one tile) must be 1 to %d "
                           "pixels (got %d x %d)",
                           RIG_MAX_SIDE, rig->width, rig->height);
    if (mumloc_optics_validate(&rig->optics) != MUMLOC_OK) {
        char message[512];
        snprintf(message, sizeof message, "%s", mumloc_last_error());
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "rig optics: %s", message);
    }
    int cameras = rig->optics.planes;
    if (columns * rows > 1 && cameras != columns * rows)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "layout %s holds %d cameras (one per tile) but the rig has %d planes; use "
                           "hyperstack or files for %d cameras",
                           mumloc_rig_layout_name(rig->layout), columns * rows, cameras, cameras);
    for (int d = 0; d < cameras; d++) ERROR_TRY(check_camera(rig, d));
    if (!(rig->z_step_nm >= 0) || !isfinite(rig->z_step_nm) || rig->z_steps < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "rig z_step_nm and z_steps (the calibration's bead scan) must be 0 or "
                           "positive (got %g and %d)",
                           rig->z_step_nm, rig->z_steps);
    if (rig->psf != MUMLOC_PSF_GAUSSIAN && rig->psf != MUMLOC_PSF_SPLINE)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "rig psf %d is unknown; use gaussian (0) or spline (1)", (int)rig->psf);
    if (rig->psf == MUMLOC_PSF_SPLINE &&
        (!memchr(rig->psf_file, '\0', sizeof rig->psf_file) || !rig->psf_file[0] ||
         !memchr(rig->psf_path, '\0', sizeof rig->psf_path) ||
         !memchr(rig->psf_hash, '\0', sizeof rig->psf_hash) || strlen(rig->psf_hash) != 64 ||
         strspn(rig->psf_hash, "0123456789abcdef") != 64))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "rig psf spline needs psf_file (the spline PSF file's name) and "
                           "psf_hash (its 64 lowercase hex digit SHA-256); calibrate with --psf "
                           "spline");
    if (memchr(rig->calibration, '\0', sizeof rig->calibration) == NULL)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "rig calibration record is not terminated within %d bytes",
                           MUMLOC_RIG_CALIBRATION_MAX);
    return MUMLOC_OK;
}
