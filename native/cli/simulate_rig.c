#include "simulate_rig.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"
#include "progress.h"

static int library_error(const char *prefix, mumloc_status status) {
    fprintf(stderr, "mumloc simulate: %s%s\n", prefix, mumloc_last_error());
    return status == MUMLOC_ERR_INVALID_ARGUMENT ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}

int cli_simulate_rig(const char *rig_path, const mumloc_sim_params *params,
                     const cli_camera_options *camera, int size_given, int optics_given,
                     mumloc_rig *rig) {
    const struct { const char *name; double value; } given[] = {
        {"--offset", camera->offset}, {"--gain", camera->gain}, {"--em-gain", camera->em_gain},
        {"--read-noise", camera->read_noise}};
    if (rig_path) {
        for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
            if (!isnan(given[i].value)) {
                fprintf(stderr, "mumloc simulate: %s cannot be used with --rig: the rig file holds "
                                "each camera's model (offset_adu, adu_per_electron, em_gain, "
                                "read_noise_e); edit it there\n", given[i].name);
                return CLI_EXIT_USAGE;
            }
        if (size_given || optics_given) {
            fprintf(stderr, "mumloc simulate: %s cannot be used with --rig: the rig file gives the "
                            "frame size and the optics\n", size_given ? "--size" : "--optics");
            return CLI_EXIT_USAGE;
        }
        mumloc_status s = mumloc_rig_load(rig_path, rig);
        return s == MUMLOC_OK ? CLI_PARSE_CONTINUE : library_error("--rig: ", s);
    }
    /* one camera model for every camera, the identity registration */
    mumloc_rig_default(rig, params->optics.planes, params->width, params->height);
    rig->optics = params->optics;
    for (int d = 0; d < params->optics.planes; d++) {
        mumloc_rig_camera *c = &rig->camera[d];
        c->offset_adu = params->camera.offset_adu;
        c->adu_per_electron = params->camera.adu_per_electron;
        c->em_gain = params->camera.em_gain;
        c->read_noise_e = params->camera.read_noise_e;
    }
    mumloc_status s = mumloc_rig_validate(rig);
    return s == MUMLOC_OK ? CLI_PARSE_CONTINUE : library_error("", s);
}

/* The files a movie or stack goes to, for the summary line. */
static void describe_outputs(const mumloc_rig *rig, const char *path, char *buf, size_t cap) {
    if (rig->layout != MUMLOC_RIG_FILES) {
        snprintf(buf, cap, "%s (%s)", path, mumloc_rig_layout_name(rig->layout));
        return;
    }
    char first[4096], last[4096];
    if (mumloc_rig_camera_path(path, 1, first, sizeof first) != MUMLOC_OK ||
        mumloc_rig_camera_path(path, rig->optics.planes, last, sizeof last) != MUMLOC_OK)
        snprintf(buf, cap, "%s", path);
    else
        snprintf(buf, cap, "%s ... %s (one file per camera)", first, last);
}

/* The per-camera files of the files layout must not be one of the other outputs. */
static int check_camera_files(const mumloc_rig *rig, const char *path, const char *other1,
                              const char *other2) {
    if (rig->layout != MUMLOC_RIG_FILES) return CLI_PARSE_CONTINUE;
    for (int d = 1; d <= rig->optics.planes; d++) {
        char name[4096];
        if (mumloc_rig_camera_path(path, d, name, sizeof name) != MUMLOC_OK)
            return library_error("--out: ", MUMLOC_ERR_INVALID_ARGUMENT);
        const mumloc_file_role files[] = {{name, "camera file", 1}, {other1, "--truth", 1},
                                          {other2, "the drift or scan file", 1}};
        int rc = cli_check_files("simulate", files, 3);
        if (rc != CLI_PARSE_CONTINUE) return rc;
    }
    return CLI_PARSE_CONTINUE;
}

static int finish(mumloc_status status, const char *what) {
    cli_interrupt_default();
    if (status == MUMLOC_ERR_CANCELLED) {
        fprintf(stderr, "mumloc simulate: interrupted; no files written\n");
        return CLI_EXIT_CANCELLED;
    }
    if (status != MUMLOC_OK) return library_error(what, status);
    return CLI_EXIT_OK;
}

int cli_simulate_rig_movie(const mumloc_sim_params *params, const mumloc_rig *rig, int bits,
                           const char *movie_path, const char *truth_path, const char *drift_path,
                           int quiet) {
    int rc = check_camera_files(rig, movie_path, truth_path, drift_path);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    cli_progress progress;
    cli_progress_init(&progress, "simulate", quiet);
    cli_cancel_on_interrupt();
    double start = cli_seconds_now();
    mumloc_status status = mumloc_simulate_rig_to_files(params, rig, bits, movie_path, truth_path,
                                                        drift_path, cli_progress_report, &progress);
    double seconds = cli_seconds_now() - start;
    rc = finish(status, "");
    if (rc == CLI_EXIT_OK) {
        char outputs[8300];
        describe_outputs(rig, movie_path, outputs, sizeof outputs);
        printf("mumloc simulate: %" PRId64 " frames of %d cameras of %dx%d (%d-bit), %.2f s; wrote "
               "%s%s%s%s%s\n",
               params->frames, rig->optics.planes, rig->width, rig->height, bits, seconds, outputs,
               truth_path ? ", " : "", truth_path ? truth_path : "", drift_path ? ", " : "",
               drift_path ? drift_path : "");
    }
    return rc;
}

static int parse_z_range(const char *text, mumloc_bead_params *beads) {
    char *end = NULL;
    double a = strtod(text, &end);
    if (end == text || *end != ':') goto bad;
    const char *second = end + 1;
    double b = strtod(second, &end);
    if (end == second || *end != '\0' || !isfinite(a) || !isfinite(b)) goto bad;
    beads->z_from_nm = a;
    beads->z_to_nm = b;
    return CLI_PARSE_CONTINUE;
bad:
    fprintf(stderr, "mumloc simulate: --z-range expects FROM:TO in nm (e.g. -600:2200), got '%s'\n",
            text);
    return CLI_EXIT_USAGE;
}

int cli_simulate_beads(const mumloc_rig *rig, mumloc_bead_params *beads, const char *z_range,
                       const char *stack_path, const char *truth_path, const char *scan_path,
                       int quiet) {
    int rc;
    if (z_range && (rc = parse_z_range(z_range, beads)) != CLI_PARSE_CONTINUE) return rc;
    mumloc_status status = mumloc_bead_params_validate(beads);
    if (status != MUMLOC_OK) return library_error("", status);
    if ((rc = check_camera_files(rig, stack_path, truth_path, scan_path)) != CLI_PARSE_CONTINUE)
        return rc;
    cli_progress progress;
    cli_progress_init(&progress, "simulate", quiet);
    cli_cancel_on_interrupt();
    double start = cli_seconds_now();
    status = mumloc_simulate_beads(rig, beads, stack_path, truth_path, scan_path,
                                   cli_progress_report, &progress);
    double seconds = cli_seconds_now() - start;
    rc = finish(status, "");
    if (rc == CLI_EXIT_OK) {
        char outputs[8300];
        describe_outputs(rig, stack_path, outputs, sizeof outputs);
        printf("mumloc simulate: bead z-stack, %d beads, %d steps of %g nm (z %g to %g nm), %d "
               "cameras of %dx%d (16-bit), %.2f s; wrote %s%s%s%s%s\n",
               beads->beads, mumloc_bead_steps(beads), beads->z_step_nm, beads->z_from_nm,
               beads->z_from_nm + (mumloc_bead_steps(beads) - 1) * beads->z_step_nm,
               rig->optics.planes, rig->width, rig->height, seconds, outputs, truth_path ? ", " : "",
               truth_path ? truth_path : "", scan_path ? ", " : "", scan_path ? scan_path : "");
    }
    return rc;
}
