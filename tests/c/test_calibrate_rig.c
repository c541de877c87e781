/* mumloc_calibrate through the public API: a simulated 4-camera rig (mirrors, a quarter turn, per
 * plane optics unlike the defaults, camera offset and gain) as a hyperstack gives a valid rig whose
 * affines, focal depths, w0 and d match the truth (< 10 nm over the field, < 10 nm, 2 %), whose
 * flags describe the flips, and which survives a save/load round trip; the other layouts hand the
 * calibration exactly the cameras' images. */
#include <stdio.h>
#include <string.h>

#include "bead_stack_sim.h"
#include "check.h"
#include "mumloc.h"
#include "test_io_dir.h"

static double field_rms_nm(const sim_rig *r, const double *fit, const double *truth) {
    double inv[6], sum = 0;
    mumloc_rig_affine_invert(truth, inv);
    for (int j = 0; j <= 10; j++)
        for (int i = 0; i <= 10; i++) {
            double x = r->width * i / 10.0, y = r->height * j / 10.0, u1, v1, u2, v2;
            mumloc_rig_affine_apply(fit, x, y, &u1, &v1);
            mumloc_rig_affine_apply(truth, x, y, &u2, &v2);
            double ex = inv[0] * (u1 - u2) + inv[1] * (v1 - v2);
            double ey = inv[3] * (u1 - u2) + inv[4] * (v1 - v2);
            sum += ex * ex + ey * ey;
        }
    return sqrt(sum / 121.0) * r->pixel_nm;
}

int main(void) {
    sim_rig r;
    sim_rig_default(&r, 4, 128, 128, 20, 11);
    const int mirror_x[4] = {-1, 0, 0, 1}, turn3[4] = {0, 1, -1, 0}, mirror_y[4] = {1, 0, 0, -1};
    sim_affine(&r, 1, mirror_x, -0.35, 1.009, -1.2, 2.6);
    sim_affine(&r, 2, turn3, 0.2, 0.994, 2.1, -0.7);
    sim_affine(&r, 3, mirror_y, 0.45, 1.013, 0.4, -1.8);
    const int k = 4, w = r.width, h = r.height, steps = r.steps;
    size_t area = (size_t)w * h, per_camera = (size_t)steps * area;
    float *cam[4];
    for (int d = 0; d < k; d++) {
        cam[d] = malloc(per_camera * sizeof *cam[d]);
        sim_render_camera(&r, d, cam[d]);
    }
    /* Hyperstack order: channel fastest, then step. */
    float *hyper = malloc(per_camera * k * sizeof *hyper);
    for (int s = 0; s < steps; s++)
        for (int d = 0; d < k; d++)
            memcpy(hyper + ((size_t)s * k + d) * area, cam[d] + (size_t)s * area, area * sizeof *hyper);
    mumloc_bead_stack stack;
    CHECK_OK(mumloc_bead_stack_from_images(hyper, w, h, k, steps, 16, MUMLOC_RIG_HYPERSTACK, &stack));
    CHECK(stack.cameras == 4 && stack.steps == steps && stack.width == w);

    mumloc_calibrate_options o;
    mumloc_calibrate_options_default(&o);
    o.z_step_nm = r.z_step_nm;
    o.optics.pixel_nm = r.pixel_nm;
    for (int d = 0; d < k; d++) {
        o.offset_adu[d] = r.offset_adu;
        o.adu_per_electron[d] = r.gain;
        o.read_noise_e[d] = 0;
    }
    test_dir_create("calibrate_rig");
    char rig_path[1024], png_path[1024];
    snprintf(rig_path, sizeof rig_path, "%s", path_of("rig.json"));
    snprintf(png_path, sizeof png_path, "%s", path_of("rig.png"));
    o.report_path = png_path;
    o.inputs = "simulated";
    mumloc_rig rig, loaded;
    mumloc_calibrate_summary summary;
    CHECK_OK(mumloc_calibrate(&stack, &o, &rig, &summary));
    printf("%s", summary.text);
    CHECK(rig.optics.planes == 4 && rig.optics.per_plane == 1);
    CHECK(rig.layout == MUMLOC_RIG_HYPERSTACK && rig.width == w && rig.height == h);
    CHECK(rig.z_steps == steps && rig.z_step_nm == r.z_step_nm);
    CHECK_OK(mumloc_rig_validate(&rig));
    const int flip_x[4] = {0, 1, 0, 0}, flip_y[4] = {0, 0, 0, 1}, turns[4] = {0, 0, 3, 0};
    for (int d = 0; d < k; d++) {
        double rms = field_rms_nm(&r, rig.camera[d].to_camera, r.affine[d]);
        mumloc_plane_psf p = mumloc_optics_plane_psf(&rig.optics, d);
        printf("camera %d: field RMS %.2f nm; depth %.1f (%.0f), w0 %.1f (%.0f), d %.1f (%.0f)\n",
               d + 1, rms, rig.optics.plane_depth_nm[d], r.depth[d], p.w0_nm, r.w0[d], p.d_nm, r.d[d]);
        CHECK(rms < 10.0);
        CHECK_NEAR(rig.optics.plane_depth_nm[d], r.depth[d], 10.0);
        CHECK_NEAR(p.w0_nm, r.w0[d], 0.02 * r.w0[d]);
        CHECK_NEAR(p.d_nm, r.d[d], 0.02 * r.d[d]);
        CHECK(rig.camera[d].flip_x == flip_x[d] && rig.camera[d].flip_y == flip_y[d] &&
              rig.camera[d].quarter_turns == turns[d]);
        CHECK(rig.camera[d].offset_adu == r.offset_adu && rig.camera[d].adu_per_electron == r.gain);
        CHECK(rig.camera[d].beads >= r.beads - 2);
        CHECK(d == 0 || (rig.camera[d].residual_nm > 0 && rig.camera[d].residual_nm < 10));
        CHECK(summary.beads_found[d] == r.beads);
    }
    CHECK(summary.warnings == 0);
    CHECK(strstr(rig.calibration, "\"inputs\":\"simulated\"") != NULL);
    /* The file round trip keeps what was measured. */
    CHECK_OK(mumloc_rig_save(rig_path, &rig));
    CHECK_OK(mumloc_rig_load(rig_path, &loaded));
    for (int d = 0; d < k; d++) {
        for (int i = 0; i < 6; i++) CHECK(loaded.camera[d].to_camera[i] == rig.camera[d].to_camera[i]);
        CHECK(loaded.optics.plane_depth_nm[d] == rig.optics.plane_depth_nm[d]);
    }
    CHECK(strcmp(loaded.calibration, rig.calibration) == 0);
    FILE *png = fopen(png_path, "rb");
    unsigned char magic[8] = {0};
    CHECK(png && fread(magic, 1, 8, png) == 8 && magic[1] == 'P' && magic[2] == 'N' && magic[3] == 'G');
    if (png) fclose(png);
    mumloc_bead_stack_free(&stack);

    /* Files (each channel one camera) and tiles: the split hands over exactly each camera's stack. */
    mumloc_bead_stack other;
    CHECK_OK(mumloc_bead_stack_from_images(hyper, w, h, k, steps, 16, MUMLOC_RIG_FILES, &other));
    for (int d = 0; d < k; d++) CHECK(memcmp(other.pixels[d], cam[d], per_camera * sizeof(float)) == 0);
    mumloc_bead_stack_free(&other);
    const mumloc_rig_layout tiled[3] = {MUMLOC_RIG_TILES2X2, MUMLOC_RIG_TILES1X4, MUMLOC_RIG_TILES4X1};
    const int columns[3] = {2, 4, 1};
    float *chip = malloc(per_camera * k * sizeof *chip);
    for (int t = 0; t < 3; t++) {
        int cw = columns[t] * w, ch = (k / columns[t]) * h;
        for (int s = 0; s < steps; s++)
            for (int d = 0; d < k; d++)
                for (int y = 0; y < h; y++)
                    memcpy(chip + (size_t)s * cw * ch + (size_t)((d / columns[t]) * h + y) * cw +
                               (size_t)(d % columns[t]) * w,
                           cam[d] + (size_t)s * area + (size_t)y * w, w * sizeof *chip);
        CHECK_OK(mumloc_bead_stack_from_images(chip, cw, ch, 1, steps, 16, tiled[t], &other));
        CHECK(other.cameras == 4 && other.width == w && other.height == h && other.layout == tiled[t]);
        for (int d = 0; d < k && other.pixels[0]; d++)
            CHECK(memcmp(other.pixels[d], cam[d], per_camera * sizeof(float)) == 0);
        mumloc_bead_stack_free(&other);
    }
    free(chip);
    free(hyper);
    for (int d = 0; d < k; d++) free(cam[d]);
    test_dir_remove(check_failures > 0);
    return CHECK_DONE("test_calibrate_rig");
}
