/* Calibration stages on a simulated 4-camera rig with known affines (mirrors and a quarter turn
 * included), per-plane optics unlike the defaults and a lateral drift during the scan: the
 * registration, focal depths, PSF widths and transmissions must come back within the issue's
 * targets (registration < 10 nm RMS over the field, depths < 10 nm, w0 and d within 2 %). */
#include <math.h>
#include <stdio.h>

#include "bead_stack_sim.h"
#include "calibrate/calibrate_internal.h"
#include "calibrate/calibrate_report.h"
#include "check.h"

/* RMS over a grid covering the reference field of |fit(p) − truth(p)|, in the sample (nm). */
static double field_rms_nm(const sim_rig *r, const double fit[6], const double truth[6]) {
    double inv[6], sum = 0;
    int n = 0;
    cal_affine_invert(truth, inv);
    for (int j = 0; j <= 10; j++)
        for (int i = 0; i <= 10; i++) {
            double x = r->width * i / 10.0, y = r->height * j / 10.0, u1, v1, u2, v2;
            cal_affine_apply(fit, x, y, &u1, &v1);
            cal_affine_apply(truth, x, y, &u2, &v2);
            double ex = inv[0] * (u1 - u2) + inv[1] * (v1 - v2);
            double ey = inv[3] * (u1 - u2) + inv[4] * (v1 - v2);
            sum += ex * ex + ey * ey;
            n++;
        }
    return sqrt(sum / n) * r->pixel_nm;
}

int main(void) {
    sim_rig r;
    sim_rig_default(&r, 4, 128, 128, 20, 7);
    int mirror_x[4], quarter[4], mirror_y[4];
    cal_dihedral(4, mirror_x);
    cal_dihedral(1, quarter);
    cal_dihedral(6, mirror_y);
    sim_affine(&r, 1, mirror_x, 0.4, 1.012, 1.7, -2.3);
    sim_affine(&r, 2, quarter, -0.3, 0.991, -2.2, 0.8);
    sim_affine(&r, 3, mirror_y, 0.25, 1.006, 0.6, 1.9);
    size_t size = (size_t)r.steps * r.width * r.height;
    float *raw[4], *photons[4];
    cal_input in;
    memset(&in, 0, sizeof in);
    in.cameras = 4;
    in.width = r.width;
    in.height = r.height;
    in.steps = r.steps;
    in.saturation_adu = 65535;
    in.z_step_nm = r.z_step_nm;
    in.pixel_nm = r.pixel_nm;
    in.first_depth_nm = 200;
    in.min_beads = 5;
    mumloc_optics_default(&in.start);
    for (int d = 0; d < 4; d++) {
        raw[d] = malloc(size * sizeof *raw[d]);
        photons[d] = malloc(size * sizeof *photons[d]);
        sim_render_camera(&r, d, raw[d]);
        for (size_t p = 0; p < size; p++) photons[d][p] = (raw[d][p] - r.offset_adu) / r.gain;
        in.photons[d] = photons[d];
        in.raw[d] = raw[d];
    }
    cal_result out;
    CHECK_OK(cal_run(&in, &out));
    int expected_dihedral[4] = {0, 4, 1, 6};
    for (int d = 0; d < 4; d++) {
        double rms = field_rms_nm(&r, out.affine[d], r.affine[d]);
        printf("camera %d: %d beads found, %d in the fit, residual %.1f nm, field RMS %.2f nm\n",
               d + 1, out.found[d], out.matched[d], out.residual_nm[d], rms);
        printf("plane %d: depth %.1f (true %.0f) w0 %.2f (%.0f) d %.1f (%.0f) A %.3f (%.2f) "
               "B %.3f (%.2f) T %.3f, width RMS %.2f nm, chi2 %.2f\n",
               d + 1, out.psf.depth_nm[d], r.depth[d], out.psf.w0_nm[d], r.w0[d], out.psf.d_nm[d],
               r.d[d], out.psf.A[d], r.A[d], out.psf.B[d], r.B[d], out.psf.transmission[d],
               out.psf.width_rms_nm[d], out.psf.chi2_dof[d]);
        CHECK(out.dihedral[d] == expected_dihedral[d]);
        CHECK(out.found[d] == r.beads);
        CHECK(out.matched[d] >= r.beads - 2);
        CHECK(rms < 10.0);
        CHECK_NEAR(out.psf.depth_nm[d], r.depth[d], 10.0);
        CHECK_NEAR(out.psf.w0_nm[d], r.w0[d], 0.02 * r.w0[d]);
        CHECK_NEAR(out.psf.d_nm[d], r.d[d], 0.02 * r.d[d]);
    }
    double mean_t = 0;
    for (int d = 0; d < 4; d++) mean_t += r.transmission[d] / 4;
    for (int d = 0; d < 4; d++)
        CHECK_NEAR(out.psf.transmission[d], r.transmission[d] / mean_t, 0.03);
    /* The drift, up to the common origin the fit chose (its mean over the slices). */
    double mx = 0, my = 0, worst = 0;
    for (int i = 0; i < r.steps; i++) {
        double dx, dy;
        sim_drift(&r, i, &dx, &dy);
        mx += dx / r.steps;
        my += dy / r.steps;
    }
    for (int i = 0; i < r.steps; i++) {
        double dx, dy;
        sim_drift(&r, i, &dx, &dy);
        worst = fmax(worst, hypot(out.drift[2 * i] - (dx - mx), out.drift[2 * i + 1] - (dy - my)));
    }
    printf("drift: worst slice error %.3f px over %d slices\n", worst, r.steps);
    CHECK(worst < 0.05);
    const char *png = getenv("CALIBRATE_REPORT_PNG");
    if (png) CHECK_OK(cal_report_png(&out, &in, png));
    cal_result_free(&out);
    for (int d = 0; d < 4; d++) {
        free(raw[d]);
        free(photons[d]);
    }
    return CHECK_DONE("test_calibrate_recovery");
}
