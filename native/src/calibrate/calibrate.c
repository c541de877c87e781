/* mumloc_calibrate: a bead stack in ADU to a rig (calibrate_run.c does the measuring; here the
 * conversion to photons, the checks, and the rig, record, summary and report). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate_internal.h"
#include "calibrate/calibrate_report.h"
#include "core/error.h"
#include "io/json.h"
#include "io/text_buffer.h"

#define WARN_RESIDUAL_NM 50.0   /* real rigs reach 20–50 nm after bead registration */
#define MIN_STEPS 8

void mumloc_calibrate_options_default(mumloc_calibrate_options *o) {
    if (!o) return;
    memset(o, 0, sizeof *o);
    mumloc_optics_default(&o->optics);
    mumloc_camera camera;
    mumloc_camera_default(&camera);
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++) {
        o->offset_adu[d] = camera.offset_adu;
        o->adu_per_electron[d] = camera.adu_per_electron;
        o->em_gain[d] = camera.em_gain;
        o->read_noise_e[d] = camera.read_noise_e;
    }
    o->min_beads = 5;
}

static mumloc_status check_options(const mumloc_bead_stack *s, const mumloc_calibrate_options *o) {
    if (!s || !o) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "calibrate: stack and options are required");
    if (s->cameras < 1 || s->cameras > MUMLOC_MAX_PLANES || s->width < 8 || s->height < 8)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "calibrate: the bead stack must hold 1 to %d cameras of at least 8 × 8 "
                           "pixels (got %d cameras of %d × %d)",
                           MUMLOC_MAX_PLANES, s->cameras, s->width, s->height);
    for (int d = 0; d < s->cameras; d++)
        if (!s->pixels[d])
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "calibrate: camera %d has no images", d + 1);
    if (s->steps < MIN_STEPS)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the bead stack has %d images per camera: step the stage through every "
                           "plane's focus and ±800 nm beyond (at least %d steps; 40 to 200 usual)",
                           s->steps, MIN_STEPS);
    if (!(fabs(o->z_step_nm) > 0) || !isfinite(o->z_step_nm) || fabs(o->z_step_nm) > 2000)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "z-step must be the stage step between images in nm, non-zero and at "
                           "most 2000 (got %g)",
                           o->z_step_nm);
    if (o->min_beads < 3)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "min-beads must be at least 3 (an affine map needs 3 beads; got %d)",
                           o->min_beads);
    ERROR_TRY(mumloc_optics_validate(&o->optics));
    if (o->psf != MUMLOC_PSF_GAUSSIAN && o->psf != MUMLOC_PSF_SPLINE)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "calibrate: psf must be gaussian or spline");
    if (o->psf == MUMLOC_PSF_SPLINE &&
        (!o->psf_path || !*o->psf_path || strlen(o->psf_path) >= MUMLOC_RIG_PSF_FILE_MAX))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "calibrate with psf spline needs psf_path, the spline PSF file to write "
                           "beside the rig file (under %d bytes; mumloc_rig_psf_sidecar_path)",
                           MUMLOC_RIG_PSF_FILE_MAX);
    for (int d = 0; d < s->cameras; d++) {
        mumloc_camera c;
        mumloc_camera_default(&c);
        c.offset_adu = o->offset_adu[d];
        c.adu_per_electron = o->adu_per_electron[d];
        c.em_gain = o->em_gain[d];
        c.read_noise_e = o->read_noise_e[d];
        if (mumloc_camera_validate(&c) != MUMLOC_OK) {
            char message[512];
            snprintf(message, sizeof message, "%s", mumloc_last_error());
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "camera %d: %s", d + 1, message);
        }
    }
    return MUMLOC_OK;
}

/* The rig from the measurements. */
static void fill_rig(const mumloc_bead_stack *s, const mumloc_calibrate_options *o,
                     const cal_result *r, mumloc_rig *rig) {
    const int k = s->cameras;
    mumloc_rig_default(rig, k, s->width, s->height);
    rig->layout = s->layout;
    mumloc_optics *op = &rig->optics;
    *op = o->optics;
    op->planes = k;
    op->per_plane = 1;
    for (int d = 0; d < k; d++) {
        op->plane_depth_nm[d] = r->psf.depth_nm[d];
        op->plane_psf[d].w0_nm = r->psf.w0_nm[d];
        op->plane_psf[d].d_nm = r->psf.d_nm[d];
        op->plane_psf[d].A = r->psf.A[d];
        op->plane_psf[d].B = r->psf.B[d];
        op->plane_psf[d].transmission = r->psf.transmission[d];
    }
    /* The common fields hold plane 1's curve: a reader that ignores per_plane sees a real PSF. */
    op->psf_w0_nm = r->psf.w0_nm[0];
    op->psf_d_nm = r->psf.d_nm[0];
    op->psf_A = r->psf.A[0];
    op->psf_B = r->psf.B[0];
    for (int d = 0; d < k; d++) {
        mumloc_rig_camera *c = &rig->camera[d];
        memcpy(c->to_camera, r->affine[d], sizeof c->to_camera);
        cal_dihedral_flags(r->dihedral[d], &c->flip_x, &c->flip_y, &c->quarter_turns);
        c->offset_adu = o->offset_adu[d];
        c->adu_per_electron = o->adu_per_electron[d];
        c->em_gain = o->em_gain[d];
        c->read_noise_e = o->read_noise_e[d];
        c->frame_offset = 0;
        c->residual_nm = d == 0 ? 0 : r->residual_nm[d];
        c->beads = r->matched[d];
    }
    const double identity[6] = {1, 0, 0, 0, 1, 0};
    memcpy(rig->camera[0].to_camera, identity, sizeof identity);
    rig->z_step_nm = fabs(o->z_step_nm);
    rig->z_steps = s->steps;
}

static double largest_drift_nm(const cal_result *r, double pixel_nm) {
    double m = 0;
    for (int i = 0; i < r->steps; i++) m = fmax(m, hypot(r->drift[2 * i], r->drift[2 * i + 1]));
    return m * pixel_nm;
}

/* The rig's "calibration" record: what was read and how well everything fitted. */
static mumloc_status write_record(const mumloc_bead_stack *s, const mumloc_calibrate_options *o,
                                  const cal_result *r, mumloc_rig *rig) {
    text_buffer t = {0};
    char inputs[4096];
    snprintf(inputs, sizeof inputs, "%s", o->inputs ? o->inputs : "");
    text_puts(&t, "{\"mumloc_version\":");
    json_write_string(&t, mumloc_version());
    text_puts(&t, ",\"inputs\":");
    json_write_string(&t, inputs);
    text_printf(&t, ",\"layout\":\"%s\",\"steps\":%d,\"z_step_nm\":",
                       mumloc_rig_layout_name(s->layout), s->steps);
    json_write_number(&t, o->z_step_nm);
    text_puts(&t, ",\"bits_per_sample\":");
    json_write_number(&t, s->bits_per_sample);
    text_puts(&t, ",\"z_model\":\"image i shows each bead at depth z_b + i*z_step_nm, z_b "
                         "fitted per bead; plane 1's focus at 200 nm\"");
    text_puts(&t, ",\"scan_drift_max_nm\":");
    json_write_number(&t, largest_drift_nm(r, o->optics.pixel_nm));
    text_puts(&t, ",\"cameras\":[");
    for (int d = 0; d < s->cameras; d++) {
        text_printf(&t, "%s{\"beads_found\":%d,\"beads_saturated\":%d,\"beads_matched\":%d,"
                               "\"residual_nm\":",
                           d ? "," : "", r->found[d], r->saturated[d], r->matched[d]);
        json_write_number(&t, r->residual_nm[d]);
        text_puts(&t, ",\"pixel_nm\":");
        json_write_number(&t, r->nm_per_pixel[d]);
        text_puts(&t, "}");
    }
    text_puts(&t, "],\"planes\":[");
    for (int d = 0; d < s->cameras; d++) {
        text_printf(&t, "%s{\"beads\":%d,\"widths\":%d,\"width_rms_nm\":", d ? "," : "",
                           r->psf.beads[d], r->psf.points[d]);
        json_write_number(&t, r->psf.width_rms_nm[d]);
        text_puts(&t, ",\"reduced_chi2\":");
        json_write_number(&t, r->psf.chi2_dof[d]);
        text_puts(&t, "}");
    }
    text_puts(&t, "]}");
    mumloc_status st = text_status(&t);
    if (st == MUMLOC_OK) {
        if (t.len < sizeof rig->calibration)
            memcpy(rig->calibration, t.data, t.len + 1);
        else
            st = error_fail(MUMLOC_ERR_INTERNAL, "calibration record of %zu bytes is too long",
                             t.len);
    }
    text_free(&t);
    return st;
}

static const char *dihedral_text(int e) {
    static const char *text[8] = {"no flip", "1 quarter turn", "2 quarter turns",
                                  "3 quarter turns", "mirror x", "mirror x + 1 quarter turn",
                                  "mirror y", "mirror x + 3 quarter turns"};
    return text[e & 7];
}

static void summarize(const mumloc_bead_stack *s, const mumloc_calibrate_options *o,
                      const cal_result *r, mumloc_calibrate_summary *sum) {
    memset(sum, 0, sizeof *sum);
    size_t n = 0, cap = sizeof sum->text;
#define SAY(...)                                                                                   \
    do {                                                                                           \
        if (n < cap) n += (size_t)snprintf(sum->text + n, cap - n, __VA_ARGS__);                   \
    } while (0)
    for (int d = 0; d < s->cameras; d++) {
        sum->beads_found[d] = r->found[d];
        sum->beads_saturated[d] = r->saturated[d];
        sum->beads_matched[d] = r->matched[d];
        sum->residual_nm[d] = r->residual_nm[d];
        sum->width_rms_nm[d] = r->psf.width_rms_nm[d];
        if (d == 0)
            SAY("camera 1: %d beads found, %d tracked (the reference)\n", r->found[0], r->matched[0]);
        else
            SAY("camera %d: %d beads found, %d in the affine fit, %s, scale %.4f, residual %.1f nm "
                "RMS\n",
                d + 1, r->found[d], r->matched[d], dihedral_text(r->dihedral[d]),
                o->optics.pixel_nm / r->nm_per_pixel[d], r->residual_nm[d]);
    }
    for (int d = 0; d < s->cameras; d++)
        SAY("plane %d: focus %.1f nm, w0 %.1f nm, d %.1f nm, A %.4f, B %.4f, transmission %.3f "
            "(width RMS %.1f nm, %d widths of %d beads)\n",
            d + 1, r->psf.depth_nm[d], r->psf.w0_nm[d], r->psf.d_nm[d], r->psf.A[d], r->psf.B[d],
            r->psf.transmission[d], r->psf.width_rms_nm[d], r->psf.points[d], r->psf.beads[d]);
    SAY("scan drift: up to %.1f nm (estimated and removed)\n",
        largest_drift_nm(r, o->optics.pixel_nm));
    for (int d = 1; d < s->cameras; d++)
        if (r->residual_nm[d] > WARN_RESIDUAL_NM) {
            SAY("warning: camera %d's registration residual is %.1f nm RMS, worse than the 20-50 nm "
                "real rigs reach; check the report's residual vectors (beads too dense, beads "
                "moving, a field-dependent distortion an affine map cannot follow)\n",
                d + 1, r->residual_nm[d]);
            sum->warnings++;
        }
    for (int d = 0; d < s->cameras; d++)
        if (r->saturated[d] > 0) {
            SAY("warning: camera %d: %d saturated bead(s) left out; record with less laser power "
                "or a shorter exposure\n",
                d + 1, r->saturated[d]);
            sum->warnings++;
        }
    for (int d = 0; d < s->cameras; d++)
        if (r->psf.chi2_dof[d] > 4.0) {
            SAY("warning: plane %d: the beads' widths scatter %.1f times more than their noise "
                "around the fitted curve; the Gaussian model may not describe this PSF (look at "
                "the report)\n",
                d + 1, sqrt(r->psf.chi2_dof[d]));
            sum->warnings++;
        }
#undef SAY
}

/* --psf spline: the measured PSF per camera, written to options->psf_path and named by the rig. */
static mumloc_status write_spline(const cal_input *in, const cal_result *r,
                                  const mumloc_calibrate_options *o, mumloc_rig *rig) {
    spline_set set;
    ERROR_TRY(cal_spline_psf(in, r, &set));
    mumloc_status st = spline_set_save(o->psf_path, &set);
    if (st == MUMLOC_OK) {
        const char *slash = strrchr(o->psf_path, '/');
        rig->psf = MUMLOC_PSF_SPLINE;
        snprintf(rig->psf_file, sizeof rig->psf_file, "%s", slash ? slash + 1 : o->psf_path);
        snprintf(rig->psf_path, sizeof rig->psf_path, "%s", o->psf_path);
        memcpy(rig->psf_hash, set.sha256, sizeof rig->psf_hash);
    }
    spline_set_free(&set);
    return st;
}

mumloc_status mumloc_calibrate(const mumloc_bead_stack *stack,
                               const mumloc_calibrate_options *options, mumloc_rig *rig,
                               mumloc_calibrate_summary *summary) {
    ERROR_TRY(check_options(stack, options));
    if (!rig) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "calibrate: rig is NULL");
    const int k = stack->cameras;
    size_t size = (size_t)stack->steps * stack->width * stack->height;
    cal_input in;
    memset(&in, 0, sizeof in);
    in.cameras = k;
    in.width = stack->width;
    in.height = stack->height;
    in.steps = stack->steps;
    in.saturation_adu = stack->bits_per_sample == 8 || stack->bits_per_sample == 16
                            ? ldexp(1.0, stack->bits_per_sample) - 1.0
                            : 0;
    in.z_step_nm = options->z_step_nm;
    in.pixel_nm = options->optics.pixel_nm;
    in.first_depth_nm = 200.0;
    in.min_beads = options->min_beads;
    in.start = options->optics;
    float *photons[MUMLOC_MAX_PLANES] = {0};
    mumloc_status st = MUMLOC_OK;
    for (int d = 0; d < k && st == MUMLOC_OK; d++) {
        photons[d] = malloc(size * sizeof *photons[d]);
        if (!photons[d]) {
            st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory converting camera %d", d + 1);
            break;
        }
        double per_photon = options->adu_per_electron[d] * options->em_gain[d];
        float offset = (float)options->offset_adu[d];
        for (size_t p = 0; p < size; p++)
            photons[d][p] = (float)((stack->pixels[d][p] - offset) / per_photon);
        in.photons[d] = photons[d];
        in.raw[d] = stack->pixels[d];
        in.read_noise_photons[d] = options->read_noise_e[d] / options->em_gain[d];
    }
    cal_result r;
    memset(&r, 0, sizeof r);
    if (st == MUMLOC_OK) st = cal_run(&in, &r);
    if (st != MUMLOC_OK) {
        for (int d = 0; d < k; d++) free(photons[d]);
        return st;
    }
    for (int d = 1; d < k && st == MUMLOC_OK; d++)
        if (!(r.psf.depth_nm[d] > r.psf.depth_nm[d - 1])) {
            char depths[256];
            size_t n = 0;
            for (int e = 0; e < k && n < sizeof depths; e++)
                n += (size_t)snprintf(depths + n, sizeof depths - n, "%s%.0f", e ? ", " : "",
                                      r.psf.depth_nm[e]);
            st = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                             "the planes' focal depths do not increase from camera to camera (%s "
                             "nm; plane %d is not deeper than plane %d): if the stage moved the "
                             "other way, pass z-step %g; otherwise give the cameras in order of "
                             "depth, camera 1 the shallowest",
                             depths, d + 1, d, -options->z_step_nm);
        }
    mumloc_rig *out = st == MUMLOC_OK ? malloc(sizeof *out) : NULL;
    if (st == MUMLOC_OK && !out) st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the rig");
    if (st == MUMLOC_OK) {
        fill_rig(stack, options, &r, out);
        st = write_record(stack, options, &r, out);
    }
    if (st == MUMLOC_OK && options->psf == MUMLOC_PSF_SPLINE) st = write_spline(&in, &r, options, out);
    for (int d = 0; d < k; d++) free(photons[d]);
    if (st == MUMLOC_OK) {
        st = mumloc_rig_validate(out);
        if (st != MUMLOC_OK) {
            char message[1024];
            snprintf(message, sizeof message, "%s", mumloc_last_error());
            st = error_fail(st, "the calibrated rig is not valid: %s; check the bead stack and "
                                 "the options (look at the report)", message);
        }
    }
    if (st == MUMLOC_OK && options->report_path) st = cal_report_png(&r, &in, options->report_path);
    if (st == MUMLOC_OK) {
        *rig = *out;
        if (summary) summarize(stack, options, &r, summary);
    }
    free(out);
    cal_result_free(&r);
    return st;
}
