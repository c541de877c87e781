/* `mumloc simulate`: maps command-line options onto mumloc_sim_params and writes the movie, its
 * ground truth and the plane drifts through mumloc_simulate_to_files. Ranges are the library's to
 * check; this file only knows option names and file names. */
#include "cli.h"
#include "molecules_option.h"
#include "mumloc.h"
#include "options.h"
#include "progress.h"
#include "simulate_rig.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const cli_choice bits_choices[] = {{"32", 32}, {"16", 16}, {NULL, 0}};

/* Parameters outside their range are the user's to fix (2); everything else is a failure (1). */
static int exit_code_for(mumloc_status status) {
    return status == MUMLOC_ERR_INVALID_ARGUMENT ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}

static int library_error(const char *prefix, mumloc_status status) {
    fprintf(stderr, "mumloc simulate: %s%s\n", prefix, mumloc_last_error());
    return exit_code_for(status);
}

/* The default optics, read from the library's defaults, for the end of --help. */
static void describe_default_optics(char *buf, size_t cap) {
    mumloc_optics optics;
    mumloc_optics_default(&optics);
    char number[64];
    size_t used = 0;
    int n = snprintf(buf, cap, "Default optics (change with --optics FILE, a JSON object with any of "
                               "these fields):\n  planes %d, plane_depth_nm [", optics.planes);
    if (n > 0) used = (size_t)n;
    for (int d = 0; d < optics.planes && used < cap; d++) {
        mumloc_format_number(optics.plane_depth_nm[d], number, sizeof number);
        n = snprintf(buf + used, cap - used, "%s%s", d ? ", " : "", number);
        if (n > 0) used += (size_t)n;
    }
    const struct { const char *name; double value; } fields[] = {
        {"pixel_nm", optics.pixel_nm},   {"psf_amplitude", optics.psf_amplitude},
        {"psf_w0_nm", optics.psf_w0_nm}, {"psf_d_nm", optics.psf_d_nm},
        {"psf_A", optics.psf_A},         {"psf_B", optics.psf_B},
    };
    if (used < cap) {
        n = snprintf(buf + used, cap - used, "]");
        if (n > 0) used += (size_t)n;
    }
    for (size_t i = 0; i < sizeof fields / sizeof fields[0] && used < cap; i++) {
        mumloc_format_number(fields[i].value, number, sizeof number);
        n = snprintf(buf + used, cap - used, ",%s%s %s", i == 2 ? "\n  " : " ", fields[i].name,
                     number);
        if (n > 0) used += (size_t)n;
    }
    if (used < cap)
        snprintf(buf + used, cap - used,
                 ";\n  per-plane optics add \"plane_psf\": [{\"w0_nm\", \"d_nm\", \"A\", \"B\", "
                 "\"transmission\"}, ...], one per plane."
                 "\n\nThe drift CSV lists the lateral shift of every plane in every frame (plane 1 "
                 "is\nthe reference); a molecule appears at x - dx, y - dy in that plane.\n"
                 "\n--rig rig.json: what that rig's cameras record. The rig file gives the optics, "
                 "the frame\nsize and each camera's affine map (flips included), offset, gain, EM "
                 "gain, read noise\nand frame offset; --size, --optics, --offset, --gain, --em-gain "
                 "and --read-noise\nare refused with it. The movie is written in the rig's layout: "
                 "hyperstack (one TIFF,\nC = cameras), files (one TIFF per camera: --out OUT.tif "
                 "writes OUT_cam1.tif,\nOUT_cam2.tif, ...), tiles2x2/tiles1x4/tiles4x1 (one chip, "
                 "camera 1 top-left).\nThe truth stays in camera 1's frame. --bits 16 writes camera "
                 "counts as a camera does.\n"
                 "\n--beads N: a bead z-stack for calibration (16-bit; --rig's layout, or one "
                 "hyperstack\nfrom --size/--optics and the camera options). Beads lie at one height; "
                 "step s puts\nthem at depth FROM + s * z-step (camera d in focus at its plane's "
                 "depth). --truth\nwrites the beads' positions (camera 1's frame), --scan-file each "
                 "step's depth and\ndrift. Example:\n  mumloc simulate --rig rig.json --beads 40 "
                 "--z-step 20 --z-range -600:2200 --out beads.tif\n"
                 "Exit codes: 0 success, 1 run-time failure, 2 usage error, 130 interrupted "
                 "(Ctrl-C;\nno partial files are left behind).\n");
}

/* "truth.csv" -> "truth.drift.csv"; caller frees. */
static char *path_beside(const char *truth_path, const char *suffix) {
    size_t len = strlen(truth_path);
    if (len >= 4 && strcmp(truth_path + len - 4, ".csv") == 0) len -= 4;
    char *path = malloc(len + strlen(suffix) + 1);
    if (!path) return NULL;
    memcpy(path, truth_path, len);
    strcpy(path + len, suffix);
    return path;
}

/* Total molecules in the movie's ground truth (the summary line reports it). */
static int count_molecules(const mumloc_sim_params *params, int64_t *total) {
    mumloc_simulator *sim = NULL;
    if (mumloc_simulator_create(params, &sim) != MUMLOC_OK) return 0;
    int cap = mumloc_simulator_max_emitters(sim);
    mumloc_emitter *buffer = malloc(sizeof *buffer * (size_t)(cap > 0 ? cap : 1));
    int ok = buffer != NULL;
    *total = 0;
    for (int64_t f = 0; ok && f < params->frames; f++) {
        int count = 0;
        ok = mumloc_simulate_truth(sim, f, buffer, cap, &count) == MUMLOC_OK;
        *total += count;
    }
    free(buffer);
    mumloc_simulator_destroy(sim);
    return ok;
}

static void print_summary(const mumloc_sim_params *params, double seconds, const char *movie,
                          const char *truth, const char *drift) {
    char molecules[32] = "?";
    int64_t total = 0;
    if (count_molecules(params, &total)) snprintf(molecules, sizeof molecules, "%" PRId64, total);
    double rate = seconds > 0 ? (double)params->frames / seconds : 0.0;
    printf("mumloc simulate: %" PRId64 " frames of %dx%dx%d, %s molecules, %.2f s (%.0f frames/s); "
           "wrote %s%s%s%s%s\n",
           params->frames, params->width, params->height, params->optics.planes, molecules, seconds,
           rate, movie, truth ? ", " : "", truth ? truth : "", drift ? ", " : "",
           drift ? drift : "");
}

/* --beads: a bead z-stack of the rig (--rig) or of one identity rig made from the other options. */
static int simulate_bead_stack(const mumloc_sim_params *params, mumloc_bead_params *beads,
                               const cli_camera_options *camera, const char *rig_path,
                               const char *optics_path, const char *z_range, const char *stack_path,
                               const char *truth_path, const char *scan_arg, int size_given,
                               int threads, int quiet) {
    char *derived_scan = NULL;
    const char *scan_path = scan_arg;
    if (!scan_path && truth_path) {
        if (!(derived_scan = path_beside(truth_path, ".scan.csv"))) {
            fprintf(stderr, "mumloc simulate: out of memory\n");
            return CLI_EXIT_FAILURE;
        }
        scan_path = derived_scan;
    }
    const mumloc_file_role files[] = {{optics_path, "--optics", 0},
                                      {rig_path, "--rig", 0},
                                      {stack_path, "--out", 1},
                                      {truth_path, "--truth", 1},
                                      {scan_path, scan_arg ? "--scan-file" : "the scan file", 1}};
    mumloc_sim_params with_optics = *params;
    mumloc_rig *rig = malloc(sizeof *rig);
    mumloc_status status;
    int rc = rig ? cli_check_files("simulate", files, 5) : CLI_EXIT_FAILURE;
    if (!rig) fprintf(stderr, "mumloc simulate: out of memory\n");
    if (rc == CLI_PARSE_CONTINUE && optics_path &&
        (status = mumloc_optics_load(optics_path, &with_optics.optics)) != MUMLOC_OK)
        rc = library_error("--optics: ", status);
    if (rc == CLI_PARSE_CONTINUE && (status = mumloc_set_threads(threads)) != MUMLOC_OK)
        rc = library_error("", status);
    if (rc == CLI_PARSE_CONTINUE)
        rc = cli_simulate_rig(rig_path, &with_optics, camera, size_given, optics_path != NULL, rig);
    if (rc == CLI_PARSE_CONTINUE) {
        beads->background_photons = params->camera.background_photons;
        beads->noise = params->noise;
        beads->seed = params->seed;
        rc = cli_simulate_beads(rig, beads, z_range, stack_path, truth_path, scan_path, quiet);
    }
    free(rig);
    free(derived_scan);
    return rc;
}

int cmd_simulate(int argc, char **argv) {
    cli_choice noise_choices[CLI_MAX_CHOICES], sample_choices[CLI_MAX_CHOICES];
    cli_choices_from_names(mumloc_noise_name, noise_choices);
    cli_choices_from_names(mumloc_sample_name, sample_choices);
    mumloc_sim_params params;
    mumloc_sim_params_default(&params);
    const char *movie_path = NULL, *truth_path = NULL, *drift_arg = NULL, *optics_path = NULL;
    const char *stage_arg = NULL, *rig_path = NULL, *z_range = NULL, *scan_arg = NULL;
    int noise = (int)params.noise, sample = (int)params.sample;
    int threads = 0, quiet = 0, bits = 32;
    const char *molecules_text = NULL;
    /* not given: NaN / 0 / −1, so that --rig can refuse what its file already says */
    cli_camera_options camera = {NAN, NAN, NAN, NAN};
    int width = -1, height = -1; /* -1: not given */
    double drift = -1;
    mumloc_bead_params beads;
    mumloc_bead_params_default(&beads);
    beads.beads = 0; /* 0: a movie, not a bead stack */
    mumloc_bead_params bead_defaults;
    mumloc_bead_params_default(&bead_defaults);
    char z_range_default[64];
    snprintf(z_range_default, sizeof z_range_default, "%g:%g", bead_defaults.z_from_nm,
             bead_defaults.z_to_nm);
    char camera_defaults[4][32];
    snprintf(camera_defaults[0], 32, "%g", params.camera.offset_adu);
    snprintf(camera_defaults[1], 32, "%g", params.camera.adu_per_electron);
    snprintf(camera_defaults[2], 32, "%g", params.camera.em_gain);
    snprintf(camera_defaults[3], 32, "%g", params.camera.read_noise_e);
    char size_default[32], drift_default[48];
    snprintf(size_default, sizeof size_default, "%dx%d", params.width, params.height);
    snprintf(drift_default, sizeof drift_default, "%g (0 with --rig)", params.drift_max_nm);

    cli_option options[] = {
        {"out", "FILE", "TIFF movie to write (ImageJ hyperstack, planes as channels; with --rig in "
         "its layout)", CLI_STRING, &movie_path, NULL, NULL, CLI_REQUIRED, NULL},
        {"rig", "FILE", "rig file: simulate what its cameras record (layout, affines, each "
         "camera's model)", CLI_STRING, &rig_path, NULL, NULL, 0, "none"},
        {"bits", NULL, "sample type: 32 (float) or 16 (camera counts, clipped at 65535)",
         CLI_CHOICE, &bits, NULL, bits_choices, 0, NULL},
        {"truth", "FILE", "ground-truth CSV to write (ThunderSTORM columns)", CLI_STRING,
         &truth_path, NULL, NULL, 0, "none"},
        {"drift-file", "FILE", "plane-drift CSV to write", CLI_STRING, &drift_arg, NULL, NULL, 0,
         "beside --truth as NAME.drift.csv"},
        {"frames", "N", "frames in the movie", CLI_INT64, &params.frames, NULL, NULL, 0, NULL},
        {"size", "W[xH]", "pixels per plane", CLI_SIZE, &width, &height, NULL, 0, size_default},
        {"molecules", "M|A-B", CLI_MOLECULES_HELP, CLI_STRING, &molecules_text, NULL, NULL, 0,
         "10"},
        {"density", "PER_UM2", "if > 0: Poisson molecules per frame, mean density x area",
         CLI_DOUBLE, &params.density_per_um2, NULL, NULL, 0, NULL},
        {"seed", "S", "random seed: same seed, same movie", CLI_UINT64, &params.seed, NULL, NULL,
         0, NULL},
        {"sample", NULL, "where molecules are", CLI_CHOICE, &sample, NULL, sample_choices, 0,
         NULL},
        {"filaments", "N", "filaments of the filaments sample", CLI_INT, &params.filaments, NULL,
         NULL, 0, NULL},
        {"weight-min", "C", "smallest molecule weight c", CLI_DOUBLE, &params.weight_min, NULL,
         NULL, 0, NULL},
        {"weight-max", "C", "largest molecule weight c", CLI_DOUBLE, &params.weight_max, NULL,
         NULL, 0, NULL},
        {"z-min", "NM", "lowest molecule depth", CLI_DOUBLE, &params.z_min_nm, NULL, NULL, 0,
         NULL},
        {"z-max", "NM", "highest molecule depth", CLI_DOUBLE, &params.z_max_nm, NULL, NULL, 0,
         NULL},
        {"drift", "NM", "max |drift| per axis of planes 2..k", CLI_DOUBLE, &drift, NULL, NULL, 0,
         drift_default},
        {"drift-step", "NM", "drift is a multiple of this; 0 = continuous", CLI_DOUBLE,
         &params.drift_step_nm, NULL, NULL, 0, NULL},
        {"camera-drift", "NM", "slow drift of planes 2..k: per plane and axis a constant plus a "
         "smooth random path, within +-NM (added to --drift; --drift 0 for slow drift alone)",
         CLI_DOUBLE, &params.camera_drift_nm, NULL, NULL, 0, "0 (none)"},
        {"stage-drift", "NM", "sample drift: smooth random 3D path, at most NM (z: NM/2)",
         CLI_DOUBLE, &params.stage_drift_nm, NULL, NULL, 0, "0 (none)"},
        {"stage-drift-file", "FILE", "stage-drift CSV to write (frame, dx, dy, dz [nm])",
         CLI_STRING, &stage_arg, NULL, NULL, 0, "with --stage-drift: beside --truth as NAME.stage-drift.csv"},
        {"noise", NULL, "camera noise; none = exact expected image", CLI_CHOICE, &noise, NULL,
         noise_choices, 0, NULL},
        {"background", "PHOTONS", "background photons per pixel", CLI_DOUBLE,
         &params.camera.background_photons, NULL, NULL, 0, NULL},
        {"read-noise", "E", "read noise sigma in electrons", CLI_DOUBLE, &camera.read_noise, NULL,
         NULL, 0, camera_defaults[3]},
        {"em-gain", "G", "EM multiplication; 1 = none", CLI_DOUBLE, &camera.em_gain, NULL, NULL, 0,
         camera_defaults[2]},
        {"gain", "ADU_PER_E", "ADU per electron", CLI_DOUBLE, &camera.gain, NULL, NULL, 0,
         camera_defaults[1]},
        {"offset", "ADU", "camera baseline", CLI_DOUBLE, &camera.offset, NULL, NULL, 0,
         camera_defaults[0]},
        {"optics", "FILE", "optics JSON file", CLI_STRING, &optics_path, NULL, NULL, 0,
         "the optics listed below"},
        {"beads", "N", "write a bead z-stack for calibration instead of a movie (16-bit, C = "
         "cameras, Z = stage steps)", CLI_INT, &beads.beads, NULL, NULL, 0, "0 (a movie)"},
        {"z-step", "NM", "beads: stage step", CLI_DOUBLE, &beads.z_step_nm, NULL, NULL, 0, NULL},
        {"z-range", "FROM:TO", "beads: their depth at the first and last step (plane d in focus "
         "at its depth)", CLI_STRING, &z_range, NULL, NULL, 0, z_range_default},
        {"bead-photons", "PHOTONS", "beads: photons per bead and step, all planes", CLI_DOUBLE,
         &beads.photons, NULL, NULL, 0, NULL},
        {"bead-drift", "NM", "beads: lateral drift of the scan, 0 to NM in a straight line",
         CLI_DOUBLE, &beads.drift_nm, NULL, NULL, 0, NULL},
        {"bead-spacing", "NM", "beads: least distance between beads", CLI_DOUBLE,
         &beads.spacing_nm, NULL, NULL, 0, NULL},
        {"bead-margin", "NM", "beads: least distance from camera 1's edges", CLI_DOUBLE,
         &beads.margin_nm, NULL, NULL, 0, NULL},
        {"scan-file", "FILE", "beads: CSV of every step's depth and drift (slice, z, dx, dy)",
         CLI_STRING, &scan_arg, NULL, NULL, 0, "beside --truth as NAME.scan.csv"},
        {"threads", "T", "threads; 0 = all cores", CLI_INT, &threads, NULL, NULL, 0, NULL},
        {"quiet", NULL, "no progress lines", CLI_FLAG, &quiet, NULL, NULL, 0, NULL},
        {NULL, NULL, NULL, CLI_FLAG, NULL, NULL, NULL, 0, NULL},
    };
    char notes[4096];
    describe_default_optics(notes, sizeof notes);
    const cli_command_spec spec = {
        "simulate",
        "Simulates a multifocal-plane movie (32-bit TIFF, planes as channels) with its ground truth\n"
        "and per-frame plane drifts. The same seed gives the same files for any thread count.",
        options, NULL, notes};

    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    params.noise = (mumloc_noise)noise;
    params.sample = (mumloc_sample)sample;
    if (width != -1) {
        params.width = width;
        params.height = height;
    }
    params.drift_max_nm = drift >= 0 ? drift : rig_path ? 0.0 : params.drift_max_nm;
    if (!isnan(camera.offset)) params.camera.offset_adu = camera.offset;
    if (!isnan(camera.gain)) params.camera.adu_per_electron = camera.gain;
    if (!isnan(camera.em_gain)) params.camera.em_gain = camera.em_gain;
    if (!isnan(camera.read_noise)) params.camera.read_noise_e = camera.read_noise;
    if (beads.beads < 0) {
        fprintf(stderr, "mumloc simulate: --beads expects a positive number of beads, got %d\n",
                beads.beads);
        return CLI_EXIT_USAGE;
    }
    if (bits != 32 && !rig_path) {
        fprintf(stderr, "mumloc simulate: --bits 16 needs --rig (a rig's raw camera data); plain "
                        "movies are 32-bit, bead stacks 16-bit\n");
        return CLI_EXIT_USAGE;
    }
    if (beads.beads > 0)
        return simulate_bead_stack(&params, &beads, &camera, rig_path, optics_path, z_range,
                                   movie_path, truth_path, scan_arg, width != -1, threads, quiet);
    if (molecules_text &&
        (rc = cli_molecules("simulate", molecules_text, &params.molecules_min, &params.molecules)) !=
            CLI_PARSE_CONTINUE)
        return rc;

    char *derived_drift = NULL;
    const char *drift_path = drift_arg;
    if (!drift_path && truth_path) {
        derived_drift = path_beside(truth_path, ".drift.csv");
        if (!derived_drift) {
            fprintf(stderr, "mumloc simulate: out of memory\n");
            return CLI_EXIT_FAILURE;
        }
        drift_path = derived_drift;
    }
    char *derived_stage = NULL;
    const char *stage_path = stage_arg;
    if (!stage_path && truth_path && params.stage_drift_nm > 0.0) {
        derived_stage = path_beside(truth_path, ".stage-drift.csv");
        if (!derived_stage) {
            fprintf(stderr, "mumloc simulate: out of memory\n");
            free(derived_drift);
            return CLI_EXIT_FAILURE;
        }
        stage_path = derived_stage;
    }
    const mumloc_file_role files[] = {
        {optics_path, "--optics", 0},
        {rig_path, "--rig", 0},
        {movie_path, "--out", 1},
        {truth_path, "--truth", 1},
        {drift_path, drift_arg ? "--drift-file" : "the drift file", 1},
        {stage_path, stage_arg ? "--stage-drift-file" : "the stage-drift file", 1}};
    mumloc_status status = MUMLOC_OK;
    mumloc_rig *rig = rig_path ? malloc(sizeof *rig) : NULL;
    if (rig_path && !rig) {
        fprintf(stderr, "mumloc simulate: out of memory\n");
        rc = CLI_EXIT_FAILURE;
    } else if ((rc = cli_check_files("simulate", files, 6)) == CLI_PARSE_CONTINUE) {
        if (optics_path && (status = mumloc_optics_load(optics_path, &params.optics)) != MUMLOC_OK)
            rc = library_error("--optics: ", status);
        else if (rig)
            rc = cli_simulate_rig(rig_path, &params, &camera, width != -1, optics_path != NULL, rig);
        if (rc == CLI_PARSE_CONTINUE && rig) mumloc_rig_sim_params(rig, &params);
        if (rc == CLI_PARSE_CONTINUE &&
            ((status = mumloc_set_threads(threads)) != MUMLOC_OK ||
             (status = mumloc_sim_params_validate(&params)) != MUMLOC_OK))
            rc = library_error("", status);
    }
    if (rc != CLI_PARSE_CONTINUE) {
        free(derived_drift);
        free(derived_stage);
        free(rig);
        return rc;
    }
    /* The stage drift first (quick); removed again if the movie fails, so no partial set is left. */
    if (stage_path && (status = mumloc_simulate_write_stage_drift(&params, stage_path)) != MUMLOC_OK) {
        free(derived_drift);
        free(derived_stage);
        free(rig);
        return library_error("--stage-drift-file: ", status);
    }
    if (rig) {
        rc = cli_simulate_rig_movie(&params, rig, bits, movie_path, truth_path, drift_path, quiet);
        if (rc == CLI_EXIT_OK && stage_path)
            printf("mumloc simulate: stage drift per frame in %s\n", stage_path);
        if (rc != CLI_EXIT_OK && stage_path) unlink(stage_path);
        free(derived_drift);
        free(derived_stage);
        free(rig);
        return rc;
    }

    cli_progress progress;
    cli_progress_init(&progress, "simulate", quiet);
    cli_cancel_on_interrupt();
    double start = cli_seconds_now();
    status = mumloc_simulate_to_files(&params, movie_path, truth_path, drift_path,
                                      cli_progress_report, &progress);
    double seconds = cli_seconds_now() - start;
    cli_interrupt_default();

    if (status == MUMLOC_ERR_CANCELLED) {
        fprintf(stderr, "mumloc simulate: interrupted; no files written\n");
        rc = CLI_EXIT_CANCELLED;
    } else if (status != MUMLOC_OK) {
        rc = library_error("", status);
    } else {
        print_summary(&params, seconds, movie_path, truth_path, drift_path);
        if (stage_path) printf("mumloc simulate: stage drift per frame in %s\n", stage_path);
        rc = CLI_EXIT_OK;
    }
    if (rc != CLI_EXIT_OK && stage_path) unlink(stage_path);
    free(derived_drift);
    free(derived_stage);
    return rc;
}
