/* `mumloc localize`: maps options onto mumloc_localize_options and runs mumloc_localize_file (TIFF
 * movie → ThunderSTORM CSV). Without --model it looks for the bundled default model. This file only
 * knows option and file names; everything numerical is the library's. */
#include "cli.h"
#include "mumloc.h"
#include "options.h"
#include "progress.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const cli_choice plane_choices[] = {{"auto", MUMLOC_PLANES_AUTO},
                                           {"channels", MUMLOC_PLANES_CHANNELS},
                                           {"slices", MUMLOC_PLANES_SLICES},
                                           {NULL, 0}};

static const cli_choice refine_choices[] = {{"none", MUMLOC_REFINE_NONE},
                                            {"positions", MUMLOC_REFINE_POSITIONS},
                                            {"drift", MUMLOC_REFINE_DRIFT},
                                            {NULL, 0}};

static int exit_code_for(mumloc_status status) {
    return status == MUMLOC_ERR_INVALID_ARGUMENT ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}

static int library_error(const char *prefix, mumloc_status status) {
    fprintf(stderr, "mumloc localize: %s%s\n", prefix, mumloc_last_error());
    return exit_code_for(status);
}

static int usage(const char *message, const char *value) {
    fprintf(stderr, "mumloc localize: %s%s%s\n", message, value ? value : "", value ? "'" : "");
    return CLI_EXIT_USAGE;
}

/* "FIRST-LAST" (1-based, inclusive), "FIRST-" (to the end) or "N" (one frame). */
static int parse_frames(const char *text, int64_t *first, int64_t *count) {
    char *end = NULL;
    long long a = strtoll(text, &end, 10);
    if (end == text || a < 1) return 0;
    if (*end == '\0') {
        *first = a - 1;
        *count = 1;
        return 1;
    }
    if (*end != '-') return 0;
    const char *rest = end + 1;
    if (*rest == '\0') {
        *first = a - 1;
        *count = 0;
        return 1;
    }
    long long b = strtoll(rest, &end, 10);
    if (end == rest || *end != '\0' || b < a) return 0;
    *first = a - 1;
    *count = b - a + 1;
    return 1;
}

/* MUMLOC_DEFAULT_MODEL, else ../../test-data/default-model.safetensors from the executable's folder
 * (build/bin/mumloc → the repository's test-data). */
static void default_model_path(char *path, size_t cap) {
    const char *env = getenv("MUMLOC_DEFAULT_MODEL");
    if (env && *env) {
        snprintf(path, cap, "%s", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(path, cap, "test-data/default-model.safetensors");
        return;
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
    snprintf(path, cap, "%s/../../test-data/default-model.safetensors", exe);
}

/* The progress lines, preceded once by where the network runs: the first report comes after the
 * localizer has moved the model to its device, and after every check of the movie (so that an
 * error stays the only line). */
typedef struct localize_report {
    cli_progress progress;
    mumloc_model *model;
    int device_shown;
} localize_report;

static int report_progress(void *user, int64_t done, int64_t total) {
    localize_report *r = user;
    if (!r->device_shown && !r->progress.quiet) {
        mumloc_device_choice c;
        mumloc_model_device(r->model, &c);
        fprintf(stderr, "mumloc localize: device: %s\n", c.reason);
    }
    r->device_shown = 1;
    return cli_progress_report(&r->progress, done, total);
}

static void print_summary(const mumloc_localize_summary *s, const char *out_path) {
    double rate = s->seconds > 0 ? (double)s->frames / s->seconds : 0.0;
    double outside = s->seconds > 0 ? 100.0 * (1.0 - s->network_seconds / s->seconds) : 0.0;
    printf("mumloc localize: %" PRId64 " frames of %dx%dx%d (planes as %s), %" PRId64
           " localizations, %.2f s (%.1f frames/s; %.0f%% outside the network); wrote %s\n",
           s->frames, s->width, s->height, s->planes,
           s->planes_from == MUMLOC_PLANES_SLICES ? "slices" : "channels", s->localizations,
           s->seconds, rate, outside < 0 ? 0.0 : outside, out_path);
}

int cmd_localize(int argc, char **argv) {
    mumloc_localize_options opt;
    mumloc_localize_options_default(&opt);
    const char *in_path = NULL, *out_path = NULL, *model_path = NULL, *frames_text = NULL;
    const char *device_text = "auto";
    int planes = (int)opt.planes, quiet = 0, no_measure = 0, refine = (int)opt.refine;
    const char *drift_path = NULL;
    cli_option options[] = {
        {"in", "FILE", "movie to localize (TIFF: 8/16/32-bit, hyperstack or stack)", CLI_STRING,
         &in_path, NULL, NULL, CLI_REQUIRED, NULL},
        {"out", "FILE", "localization table to write (ThunderSTORM CSV)", CLI_STRING, &out_path,
         NULL, NULL, CLI_REQUIRED, NULL},
        {"model", "FILE", "trained model (safetensors)", CLI_STRING, &model_path, NULL, NULL, 0,
         "the bundled default model"},
        {"planes", NULL, "where the planes are: channels (C = k), slices (Z = k), auto",
         CLI_CHOICE, &planes, NULL, plane_choices, 0, NULL},
        {"offset", "ADU", "camera baseline", CLI_DOUBLE, &opt.camera.offset_adu, NULL, NULL, 0,
         NULL},
        {"gain", "ADU_PER_E", "ADU per electron (per photon without EM gain)", CLI_DOUBLE,
         &opt.camera.adu_per_electron, NULL, NULL, 0, NULL},
        {"em-gain", "G", "EM multiplication; 1 = none", CLI_DOUBLE, &opt.camera.em_gain, NULL,
         NULL, 0, NULL},
        {"read-noise", "E", "read noise sigma in electrons (for the uncertainties)", CLI_DOUBLE,
         &opt.camera.read_noise_e, NULL, NULL, 0, NULL},
        {"threshold", "TAU", "detection threshold in (0, 1); 0 = the model's", CLI_DOUBLE,
         &opt.threshold, NULL, NULL, 0, "the model's"},
        {"merge-distance", "NM", "merge duplicate detections closer than this; 0 = never",
         CLI_DOUBLE, &opt.merge_distance_nm, NULL, NULL, 0, NULL},
        {"frames", "FIRST-LAST", "frames to localize (1-based; FIRST- = to the end)", CLI_STRING,
         &frames_text, NULL, NULL, 0, "all"},
        {"tile", "N", "tile edge in pixels for large frames; 0 = automatic", CLI_INT, &opt.tile,
         NULL, NULL, 0, NULL},
        {"batch", "N", "frames read per batch; 0 = automatic", CLI_INT, &opt.batch_frames, NULL,
         NULL, 0, NULL},
        {"refine", NULL, "maximum-likelihood refinement after the network: none, positions "
         "(default: each molecule fitted with its neighbours' light modelled), or drift (positions "
         "and each frame's plane drift jointly; for drifted planes)",
         CLI_CHOICE, &refine, NULL, refine_choices, 0, NULL},
        {"drift-out", "FILE", "with --refine drift: write the estimated drift per frame and plane "
         "(CSV: frame, plane, dx, dy, their uncertainties in nm, molecules used)", CLI_STRING,
         &drift_path, NULL, NULL, 0, NULL},
        {"no-measure", NULL, "skip photometry and uncertainties (NaN columns)", CLI_FLAG,
         &no_measure, NULL, NULL, 0, NULL},
        {"device", "DEV", "where the network runs: auto (CUDA when usable, else CPU), cpu, cuda, "
         "cuda:N", CLI_STRING, &device_text, NULL, NULL, 0, NULL},
        {"threads", "T", "threads; 0 = all cores", CLI_INT, &opt.threads, NULL, NULL, 0, NULL},
        {"quiet", NULL, "no progress lines", CLI_FLAG, &quiet, NULL, NULL, 0, NULL},
        {NULL, NULL, NULL, CLI_FLAG, NULL, NULL, NULL, 0, NULL},
    };
    const cli_command_spec spec = {
        "localize",
        "Localizes molecules in a multifocal-plane movie with a trained network and writes a\n"
        "ThunderSTORM table: id, frame, x, y, z (nm), intensity, offset, bkgstd (photon),\n"
        "uncertainty_xy, uncertainty_z (nm, Cramer-Rao bounds), probability.",
        options, NULL,
        "Camera values become photons as (value - offset) / (gain x em-gain); the defaults mean\n"
        "the movie is already in photons. --refine drift fits each frame's molecules together\n"
        "with the lateral drift of planes 2..k against plane 1 (residual registration error);\n"
        "the uncertainty columns are then for that drift. Large frames run in overlapping\n"
        "tiles whose seams neither lose nor duplicate molecules. Without --model the bundled\n"
        "model is used (test-data/default-model.safetensors, or $MUMLOC_DEFAULT_MODEL).\n"
        "Exit codes: 0 success, 1 run-time failure, 2 usage error, 130 interrupted (Ctrl-C;\n"
        "no partial table is left behind).\n"};

    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    opt.planes = (mumloc_plane_axis)planes;
    opt.measure = !no_measure;
    opt.refine = (mumloc_refine_mode)refine;
    opt.drift_path = drift_path;
    if (drift_path && opt.refine != MUMLOC_REFINE_DRIFT)
        return usage("--drift-out needs --refine drift (only it estimates the drift)", NULL);
    if (frames_text && !parse_frames(frames_text, &opt.first_frame, &opt.frame_count))
        return usage("--frames expects FIRST-LAST, FIRST- or N (1-based, FIRST <= LAST), got '",
                     frames_text);
    mumloc_device_choice choice;
    if ((rc = cli_device("localize", device_text, &opt.device, &choice)) != CLI_PARSE_CONTINUE)
        return rc;
    mumloc_status status;
    if ((status = mumloc_localize_options_validate(&opt)) != MUMLOC_OK)
        return library_error("", status);

    char bundled[PATH_MAX + 64];
    if (!model_path) {
        default_model_path(bundled, sizeof bundled);
        if (access(bundled, R_OK) != 0) {
            fprintf(stderr, "mumloc localize: no bundled model is installed (looked for %s); "
                            "pass --model FILE\n", bundled);
            return CLI_EXIT_USAGE;
        }
        model_path = bundled;
    }
    const mumloc_file_role files[] = {{in_path, "--in", 0},
                                      {model_path, model_path == bundled ? "the bundled model" : "--model", 0},
                                      {out_path, "--out", 1},
                                      {drift_path, "--drift-out", 1}};
    if ((rc = cli_check_files("localize", files, 4)) != CLI_PARSE_CONTINUE) return rc;
    /* threads before the model: oneDNN sizes its work split when the network is planned */
    if ((status = mumloc_set_threads(opt.threads)) != MUMLOC_OK) return library_error("", status);
    mumloc_model *model = NULL;
    if ((status = mumloc_model_load(model_path, &model)) != MUMLOC_OK)
        return library_error("--model: ", status);

    localize_report report = {.model = model};
    cli_progress_init(&report.progress, "localize", quiet);
    cli_cancel_on_interrupt();
    mumloc_localize_summary summary;
    status = mumloc_localize_file(model, in_path, out_path, &opt, &summary, report_progress,
                                  &report);
    cli_interrupt_default();
    mumloc_model_destroy(model);
    if (status == MUMLOC_ERR_CANCELLED) {
        fprintf(stderr, "mumloc localize: interrupted; no table written\n");
        return CLI_EXIT_CANCELLED;
    }
    if (status != MUMLOC_OK) return library_error("", status);
    print_summary(&summary, out_path);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}
