/* mumloc_calibrate with psf spline on a biplane rig (k = 2, camera 2 mirrored and turned 0.3°)
 * whose beads follow the Gaussian model (tests/c/bead_stack_sim.h, written independently of the
 * library's calibration): the spline file is written beside the rig and referenced by it, the rig
 * loads, and through the rig's plane map the measured PSF reproduces the true Gaussian model — the
 * same CRLB within 2 % over the depth range (issue 13), the expected image within a few % of its
 * peak. The beads lie flat and the stage does not drift: the spline takes one centre per bead and
 * the beads' median depth (README: calibrate --psf spline). */
#include <stdio.h>
#include <string.h>

#include "bead_stack_sim.h"
#include "check.h"
#include "mumloc.h"
#include "optics/crlb.h"
#include "optics/plane_map.h"
#include "rig/rig_psf.h"
#include "test_io_dir.h"

int main(void) {
    sim_rig r;
    sim_rig_default(&r, 2, 128, 128, 10, 5);
    r.separation = 30;
    r.drift_amplitude_px = 0;
    r.photons = 2 * 3e6; /* bright beads: the pipeline's geometry, more than bead noise, is tested */
    philox_rng g = rng_stream(5, 0, RNG_TEST, 201, 0);
    for (int b = 0; b < r.beads; b++) { /* re-place the beads at that separation, all at one depth */
        for (int tries = 0; tries < 200; tries++) {
            r.bead_x[b] = 14 + 100 * rng_uniform(&g);
            r.bead_y[b] = 14 + 100 * rng_uniform(&g);
            int close = 0;
            for (int o = 0; o < b; o++) close |= hypot(r.bead_x[o] - r.bead_x[b], r.bead_y[o] - r.bead_y[b]) < r.separation;
            if (!close) break;
        }
        r.bead_z[b] = r.depth[0] - 800;
    }
    const int mirror_x[4] = {-1, 0, 0, 1};
    sim_affine(&r, 1, mirror_x, 0.3, 1.0, 0.8, -1.1);
    const int k = 2, w = r.width, h = r.height, steps = r.steps;
    const size_t area = (size_t)w * h;
    float *hyper = malloc((size_t)steps * k * area * sizeof *hyper), *cam = malloc((size_t)steps * area * sizeof *cam);
    for (int d = 0; d < k; d++) {
        sim_render_camera(&r, d, cam);
        for (int s = 0; s < steps; s++)
            memcpy(hyper + ((size_t)s * k + d) * area, cam + (size_t)s * area, area * sizeof *hyper);
    }
    mumloc_bead_stack stack;
    CHECK_OK(mumloc_bead_stack_from_images(hyper, w, h, k, steps, 32, MUMLOC_RIG_HYPERSTACK, &stack));
    mumloc_calibrate_options o;
    mumloc_calibrate_options_default(&o);
    CHECK(o.psf == MUMLOC_PSF_GAUSSIAN); /* the library's default stays the old behaviour */
    o.z_step_nm = r.z_step_nm;
    o.optics.pixel_nm = r.pixel_nm;
    for (int d = 0; d < k; d++) o.offset_adu[d] = r.offset_adu, o.adu_per_electron[d] = r.gain, o.read_noise_e[d] = 0;
    test_dir_create("calibrate_spline");
    char rig_path[1024], psf_path[1024];
    snprintf(rig_path, sizeof rig_path, "%s", path_of("rig.json"));
    CHECK_OK(mumloc_rig_psf_sidecar_path(rig_path, psf_path, sizeof psf_path));
    o.psf = MUMLOC_PSF_SPLINE;
    o.psf_path = NULL;
    mumloc_rig rig, loaded;
    CHECK_STATUS(mumloc_calibrate(&stack, &o, &rig, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    o.psf_path = psf_path;
    CHECK_OK(mumloc_calibrate(&stack, &o, &rig, NULL));
    CHECK(rig.psf == MUMLOC_PSF_SPLINE && strcmp(rig.psf_file, "rig.psf.safetensors") == 0);
    CHECK_OK(mumloc_rig_save(rig_path, &rig));
    CHECK_OK(mumloc_rig_load(rig_path, &loaded));
    spline_set set;
    psf_model psf;
    CHECK_OK(rig_psf_model(&loaded, &set, &psf));
    CHECK(psf.kind == MUMLOC_PSF_SPLINE && set.planes == 2);

    /* the truth: the simulator's curves and transmissions (shares of the photons, mean 1) */
    mumloc_optics truth = loaded.optics;
    double mean_t = 0.5 * (r.transmission[0] + r.transmission[1]);
    for (int d = 0; d < k; d++) {
        truth.plane_depth_nm[d] = r.depth[d];
        truth.plane_psf[d] = (mumloc_plane_psf){r.w0[d], r.d[d], r.A[d], r.B[d], r.transmission[d] / mean_t};
    }
    plane_map gauss_map, spline_map;
    plane_map_from_rig(&loaded, &gauss_map);
    spline_map = gauss_map;
    spline_map.spline = psf.spline;
    mumloc_camera camera;
    mumloc_camera_default(&camera);
    pixel_noise noise = pixel_noise_of(&camera);
    const double bg[2] = {8, 8};
    double worst_bound = 0, worst_image = 0;
    enum { S = 24 };
    double *mu_g = malloc(sizeof(double) * k * S * S), *mu_s = malloc(sizeof(double) * k * S * S);
    for (double z = r.depth[0] - 300; z <= r.depth[1] + 300; z += 100) {
        double sg[3], ss[3];
        const double x = 11.3 * r.pixel_nm, y = 12.6 * r.pixel_nm;
        CHECK_OK(crlb_bounds(&truth, &noise, x, y, z, 3000, bg, NULL, &gauss_map, sg));
        CHECK_OK(crlb_bounds(&truth, &noise, x, y, z, 3000, bg, NULL, &spline_map, ss));
        for (int a = 0; a < 3; a++) worst_bound = fmax(worst_bound, fabs(ss[a] / sg[a] - 1));
        /* the expected image near camera 1's origin (camera 2 mirrors it off the frame: plane 1) */
        CHECK_OK(psf_model_image(&truth, x, y, z, 3000, NULL, NULL, &gauss_map, S, S, mu_g, NULL, NULL, NULL, NULL));
        CHECK_OK(psf_model_image(&truth, x, y, z, 3000, NULL, NULL, &spline_map, S, S, mu_s, NULL, NULL, NULL, NULL));
        double peak = 0, e = 0;
        for (int i = 0; i < S * S; i++) peak = fmax(peak, mu_g[i]), e = fmax(e, fabs(mu_s[i] - mu_g[i]));
        worst_image = fmax(worst_image, e / peak);
    }
    printf("calibrated spline vs the true Gaussian model: CRLB within %.2f %%, plane 1's image within "
           "%.2f %% of its peak\n", 100 * worst_bound, 100 * worst_image);
    CHECK(worst_bound < 0.02);
    CHECK(worst_image < 0.02);
    spline_set_free(&set);
    mumloc_bead_stack_free(&stack);
    free(hyper);
    free(cam);
    free(mu_g);
    free(mu_s);
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_calibrate_spline");
}
