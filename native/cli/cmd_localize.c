/* `mumloc localize`: maps options onto mumloc_localize_options and runs mumloc_localize_file (TIFF
 * movie → ThunderSTORM CSV). Without --model it looks for the bundled default model. This file only
 * knows option and file names; everything numerical is the library's. */
#include "cli.h"
#include "mumloc.h"
#include "options.h"
#include "progress.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The most files --in may list (a rig's cameras). */
#define MAX_IN_FILES MUMLOC_MAX_PLANES

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

/* 1 when the option (e.g. "--refine") was given, as "--refine X" or "--refine=X". */
static int option_given(int argc, char **argv, const char *name) {
    const size_t n = strlen(name);
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], name, n) == 0 && (argv[i][n] == '\0' || argv[i][n] == '='))
            return 1;
    return 0;
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

/* The bundled model `file` in ../../test-data/ from the executable's folder (build/bin/mumloc → the
 * repository's test-data); for the regression model MUMLOC_DEFAULT_MODEL first when set. */
static void bundled_model_path(const char *file, int honour_env, char *path, size_t cap) {
    const char *env = getenv("MUMLOC_DEFAULT_MODEL");
    if (honour_env && env && *env) {
        snprintf(path, cap, "%s", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(path, cap, "test-data/%s", file);
        return;
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
    snprintf(path, cap, "%s/../../test-data/%s", exe, file);
}

/* --model NAME: an architecture's name picks its bundled model; -1 for a path. */
static int bundled_arch(const char *model) {
    for (int a = 0; model && mumloc_arch_name(a); a++)
        if (strcmp(model, mumloc_arch_name(a)) == 0) return a;
    return -1;
}

/* The progress lines, preceded once by where the network runs: the first report comes after the
 * localizer has moved the model to its device, and after every check of the movie (so that an
 * error stays the only line). */
typedef struct localize_report {
    cli_progress progress;
    mumloc_model *model;
    int device_shown;
    const char *precision; /* what the network ran in (known once the localizer set it) */
} localize_report;

static int report_progress(void *user, int64_t done, int64_t total) {
    localize_report *r = user;
    if (!r->device_shown && !r->progress.quiet && r->model) {
        mumloc_device_choice c;
        mumloc_model_device(r->model, &c);
        fprintf(stderr, "mumloc localize: device: %s\n", c.reason);
    }
    r->device_shown = 1;
    r->precision = mumloc_precision_name((int)mumloc_model_precision(r->model));
    return cli_progress_report(&r->progress, done, total);
}

/* --verbose: the summary's stage timers, one line each, with the share of the whole call. */
static void print_stages(const mumloc_localize_summary *s, const char *precision) {
    const struct {
        const char *name;
        double seconds;
    } stage[] = {{"read movie", s->read_seconds},     {"to photons", s->convert_seconds},
                 {"network", s->network_seconds},     {"decode", s->decode_seconds},
                 {"refine", s->refine_seconds},       {"photometry+CRLB", s->measure_seconds},
                 {"write rows", s->write_seconds}};
    double counted = 0;
    printf("mumloc localize: stages (precision %s; ms/frame, share of %.3f s):\n", precision,
           s->seconds);
    for (size_t i = 0; i < sizeof stage / sizeof stage[0]; i++) {
        counted += stage[i].seconds;
        printf("  %-16s %9.3f ms %6.1f %%\n", stage[i].name,
               s->frames ? 1e3 * stage[i].seconds / (double)s->frames : 0.0,
               s->seconds > 0 ? 100.0 * stage[i].seconds / s->seconds : 0.0);
    }
    const double rest = s->seconds - counted;
    printf("  %-16s %9.3f ms %6.1f %%\n", "set-up and rest",
           s->frames ? 1e3 * rest / (double)s->frames : 0.0,
           s->seconds > 0 ? 100.0 * rest / s->seconds : 0.0);
}

static void print_summary(const mumloc_localize_summary *s, const char *out_path) {
    double rate = s->seconds > 0 ? (double)s->frames / s->seconds : 0.0;
    double outside = s->seconds > 0 ? 100.0 * (1.0 - s->network_seconds / s->seconds) : 0.0;
    printf("mumloc localize: %" PRId64 " frames of %dx%dx%d (planes as %s), %" PRId64
           " localizations, %.2f s (%.1f frames/s; %.0f%% outside the network); wrote %s\n",
           s->frames, s->width, s->height, s->planes,
           mumloc_plane_axis_name((int)s->planes_from), s->localizations,
           s->seconds, rate, outside < 0 ? 0.0 : outside, out_path);
}

/* With a rig: where the network looked (the README's cropping rule). */
static void print_field(const mumloc_localize_summary *s) {
    printf("mumloc localize: the cameras' common field, localized: columns %d-%d, rows %d-%d of "
           "camera 1 (0-based; of %dx%d)\n",
           s->field.x0, s->field.x0 + s->field.width - 1, s->field.y0,
           s->field.y0 + s->field.height - 1, s->width, s->height);
}

/* Camera options given on the command line (NaN: not given): without a rig they are the camera;
 * with one they override every camera's own value. */
typedef struct camera_overrides {
    double offset_adu, adu_per_electron, em_gain, read_noise_e;
} camera_overrides;

static void apply_overrides(const camera_overrides *c, mumloc_camera *camera, mumloc_rig *rig) {
    if (!rig) {
        if (!isnan(c->offset_adu)) camera->offset_adu = c->offset_adu;
        if (!isnan(c->adu_per_electron)) camera->adu_per_electron = c->adu_per_electron;
        if (!isnan(c->em_gain)) camera->em_gain = c->em_gain;
        if (!isnan(c->read_noise_e)) camera->read_noise_e = c->read_noise_e;
        return;
    }
    for (int d = 0; d < rig->optics.planes; d++) {
        mumloc_rig_camera *r = &rig->camera[d];
        if (!isnan(c->offset_adu)) r->offset_adu = c->offset_adu;
        if (!isnan(c->adu_per_electron)) r->adu_per_electron = c->adu_per_electron;
        if (!isnan(c->em_gain)) r->em_gain = c->em_gain;
        if (!isnan(c->read_noise_e)) r->read_noise_e = c->read_noise_e;
    }
}

/* --in: one movie, or with a rig of layout files one file per camera, comma-separated. */
static int split_inputs(char *text, int files_layout, const char **paths, int *count) {
    *count = 0;
    if (!files_layout) {
        paths[(*count)++] = text;
        return 1;
    }
    for (char *part = text;;) {
        char *comma = strchr(part, ',');
        if (comma) *comma = '\0';
        if (!*part || *count == MAX_IN_FILES) return 0;
        paths[(*count)++] = part;
        if (!comma) return 1;
        part = comma + 1;
    }
}

/* --method cs: no model; the optics from --optics or the movie. */
static int localize_cs(mumloc_localize_options *opt, const char *in_path, const char *out_path,
                       const char *optics_path, int quiet) {
    const mumloc_file_role files[] = {{in_path, "--in", 0},
                                      {optics_path, "--optics", 0},
                                      {out_path, "--out", 1},
                                      {opt->drift_path, "--drift-out", 1}};
    int rc = cli_check_files("localize", files, 4);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    mumloc_status status;
    mumloc_optics optics;
    if (optics_path) {
        if ((status = mumloc_optics_load(optics_path, &optics)) != MUMLOC_OK)
            return library_error("--optics: ", status);
        opt->optics = &optics;
    }
    if ((status = mumloc_set_threads(opt->threads)) != MUMLOC_OK) return library_error("", status);
    localize_report report = {.model = NULL};
    cli_progress_init(&report.progress, "localize", quiet);
    cli_cancel_on_interrupt();
    mumloc_localize_summary summary;
    status = mumloc_localize_file(NULL, in_path, out_path, opt, &summary, report_progress, &report);
    cli_interrupt_default();
    if (status == MUMLOC_ERR_CANCELLED) {
        fprintf(stderr, "mumloc localize: interrupted; no table written\n");
        return CLI_EXIT_CANCELLED;
    }
    if (status != MUMLOC_OK) return library_error("", status);
    print_summary(&summary, out_path);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}

int cmd_localize(int argc, char **argv) {
    cli_choice layout_choices[CLI_MAX_CHOICES];
    cli_rig_layout_choices(layout_choices);
    cli_choice plane_choices[CLI_MAX_CHOICES], refine_choices[CLI_MAX_CHOICES];
    cli_choices_from_names(mumloc_plane_axis_name, plane_choices);
    cli_choices_from_names(mumloc_refine_mode_name, refine_choices);
    mumloc_localize_options opt;
    mumloc_localize_options_default(&opt);
    const char *in_path = NULL, *out_path = NULL, *model_path = NULL, *frames_text = NULL;
    const char *device_text = "auto", *rig_path = NULL;
    int planes = (int)opt.planes, quiet = 0, no_measure = 0, refine = (int)opt.refine, layout = -1;
    int precision = (int)opt.precision, verbose = 0;
    cli_choice precision_choices[CLI_MAX_CHOICES];
    cli_choices_from_names(mumloc_precision_name, precision_choices);
    const char *drift_path = NULL;
    camera_overrides cam = {NAN, NAN, NAN, NAN};
    const char *optics_path = NULL;
    int method = (int)opt.method;
    cli_choice method_choices[CLI_MAX_CHOICES];
    cli_choices_from_names(mumloc_localize_method_name, method_choices);
    cli_option options[] = {
        {"in", "FILE", "movie to localize (TIFF: 8/16/32-bit, hyperstack or stack); with a rig of "
         "layout files, one file per camera: a.tif,b.tif,c.tif,d.tif", CLI_STRING, &in_path,
         NULL, NULL, CLI_REQUIRED, NULL},
        {"out", "FILE", "localization table to write (ThunderSTORM CSV)", CLI_STRING, &out_path,
         NULL, NULL, CLI_REQUIRED, NULL},
        {"model", "FILE", "trained model (safetensors), or regression|voxel: that bundled model",
         CLI_STRING, &model_path, NULL, NULL, 0, "the bundled regression model"},
        {"rig", "FILE", "the movie is a rig's raw camera data (rig file from mumloc calibrate): "
         "each camera converted with its own offset and gain, registered onto camera 1",
         CLI_STRING, &rig_path, NULL, NULL, 0, NULL},
        {"layout", NULL, "with --rig: how the raw data are stored, if not as the rig file says",
         CLI_CHOICE, &layout, NULL, layout_choices, 0, "the rig file's"},
        {"method", NULL, "network (the trained model) or cs (compressed sensing with drift "
         "estimation: no model, slow, the papers' reference)", CLI_CHOICE, &method, NULL,
         method_choices, 0, NULL},
        {"optics", "FILE", "--method cs: optics JSON (as mumloc simulate --optics)", CLI_STRING,
         &optics_path, NULL, NULL, 0, "the movie's record"},
        {"cs-lambda", "L", "--method cs: l1 weight in photons; 0 = automatic (noise level)",
         CLI_DOUBLE, &opt.cs.lambda, NULL, NULL, 0, NULL},
        {"cs-frames", "T", "--method cs: consecutive frames sharing one drift estimate", CLI_INT,
         &opt.cs.frames, NULL, NULL, 0, NULL},
        {"cs-count", "K", "--method cs: keep the K brightest molecules per frame and region "
         "(known count); 0 = all above --cs-min-photons", CLI_INT, &opt.cs.known_count, NULL,
         NULL, 0, NULL},
        {"cs-min-photons", "N", "--method cs: least photons of a localization", CLI_DOUBLE,
         &opt.cs.min_photons, NULL, NULL, 0, NULL},
        {"cs-tile", "N", "--method cs: edge of the regions solved separately, pixels", CLI_INT,
         &opt.cs.tile, NULL, NULL, 0, NULL},
        {"planes", NULL, "where the planes are: channels (C = k), slices (Z = k), auto",
         CLI_CHOICE, &planes, NULL, plane_choices, 0, NULL},
        {"offset", "ADU", "camera baseline (with --rig: overrides every camera's)", CLI_DOUBLE,
         &cam.offset_adu, NULL, NULL, 0, "0; with --rig each camera's"},
        {"gain", "ADU_PER_E", "ADU per electron (per photon without EM gain)", CLI_DOUBLE,
         &cam.adu_per_electron, NULL, NULL, 0, "1; with --rig each camera's"},
        {"em-gain", "G", "EM multiplication; 1 = none", CLI_DOUBLE, &cam.em_gain, NULL, NULL, 0,
         "1; with --rig each camera's"},
        {"read-noise", "E", "read noise sigma in electrons (for the uncertainties)", CLI_DOUBLE,
         &cam.read_noise_e, NULL, NULL, 0, "3; with --rig each camera's"},
        {"threshold", "TAU", "detection threshold in (0, 1); 0 = the model's", CLI_DOUBLE,
         &opt.threshold, NULL, NULL, 0, "the model's"},
        {"merge-distance", "NM", "merge duplicate detections closer than this; 0 = never",
         CLI_DOUBLE, &opt.merge_distance_nm, NULL, NULL, 0, NULL},
        {"neighbourhood", "R", "voxel models: half-size of a peak's averaging window, voxels; 0 = "
         "the peak voxel's centre (the 2021 paper's argmax)", CLI_INT, &opt.neighbourhood, NULL,
         NULL, 0, NULL},
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
        {"drift-window", "N", "with --refine drift (implied when --refine is not given): 1 = each "
         "frame's own drift; N >= 2 = the drift as a smooth function of time (cubic spline, a "
         "span every N frames) estimated from every molecule of the movie; 200 suits a slow "
         "creep at >= 8 molecules a frame", CLI_INT, &opt.drift_window, NULL, NULL, 0,
         "1 (per frame)"},
        {"drift-out", "FILE", "with --refine drift: write the estimated drift per frame and plane "
         "(CSV: frame, plane, dx, dy, their uncertainties in nm, molecules used)", CLI_STRING,
         &drift_path, NULL, NULL, 0, NULL},
        {"no-measure", NULL, "skip photometry and uncertainties (NaN columns)", CLI_FLAG,
         &no_measure, NULL, NULL, 0, NULL},
        {"device", "DEV", "where the network runs: auto (CUDA when usable, else CPU), cpu, cuda, "
         "cuda:N", CLI_STRING, &device_text, NULL, NULL, 0, NULL},
        {"precision", NULL, "the network's arithmetic: fp32, bf16 (bfloat16 inputs and weights, "
         "fp32 sums: faster on CPUs with AVX512_BF16; fails on others), auto (the library's "
         "measured choice for the device)", CLI_CHOICE, &precision, NULL, precision_choices, 0,
         NULL},
        {"threads", "T", "threads; 0 = all cores", CLI_INT, &opt.threads, NULL, NULL, 0, NULL},
        {"quiet", NULL, "no progress lines", CLI_FLAG, &quiet, NULL, NULL, 0, NULL},
        {"verbose", NULL, "after the summary, where the time went: seconds and share per stage",
         CLI_FLAG, &verbose, NULL, NULL, 0, NULL},
        {NULL, NULL, NULL, CLI_FLAG, NULL, NULL, NULL, 0, NULL},
    };
    const cli_command_spec spec = {
        "localize",
        "Localizes molecules in a multifocal-plane movie with a trained network (or, with\n"
        "--method cs, the compressed-sensing solver, which needs only the optics) and writes a\n"
        "ThunderSTORM table: id, frame, x, y, z (nm), intensity, offset, bkgstd (photon),\n"
        "uncertainty_xy, uncertainty_z (nm, Cramer-Rao bounds), probability, unresolved (1: within\n"
        "the Sparrow limit of another molecule).",
        options, NULL,
        "Camera values become photons as (value - offset) / (gain x em-gain); the defaults mean\n"
        "the movie is already in photons. --refine drift fits each frame's molecules together\n"
        "with the lateral drift of planes 2..k against plane 1 (residual registration error);\n"
        "the uncertainty columns are then for that drift. --drift-window N estimates that drift\n"
        "over the whole movie as a smooth function of time (a span every N frames), applies it\n"
        "to every position and adds its uncertainty to the uncertainty columns. Large frames run in overlapping\n"
        "tiles whose seams neither lose nor duplicate molecules. Without --model (or with\n"
        "--model regression) the bundled regression model is used (test-data/default-model\n"
        ".safetensors, or $MUMLOC_DEFAULT_MODEL); --model voxel takes the bundled voxel model\n"
        "(test-data/voxel-model.safetensors); a file named like that is ./regression.\n"
        "With --rig the network sees every camera resampled onto camera 1's grid, cropped to\n"
        "the field all cameras see; the refinement, photometry and uncertainties fit each\n"
        "camera's raw frame through the rig's exact affine (--refine positions, the default:\n"
        "no interpolation error reaches the table). x, y are in camera 1's whole frame.\n"
        "Exit codes: 0 success, 1 run-time failure, 2 usage error, 130 interrupted (Ctrl-C;\n"
        "no partial table is left behind).\n"};

    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    opt.planes = (mumloc_plane_axis)planes;
    opt.measure = !no_measure;
    opt.refine = (mumloc_refine_mode)refine;
    if (opt.drift_window > 1 && !option_given(argc, argv, "--refine"))
        opt.refine = MUMLOC_REFINE_DRIFT; /* a drift window asks for the drift */
    if (layout >= 0 && !rig_path) return usage("--layout describes a rig's raw data: give --rig", NULL);
    static mumloc_rig rig; /* large (its calibration record): not on the stack */
    mumloc_status status;
    if (rig_path) {
        if ((status = mumloc_rig_load(rig_path, &rig)) != MUMLOC_OK)
            return library_error("--rig: ", status);
        if (layout >= 0) rig.layout = (mumloc_rig_layout)layout;
        opt.rig = &rig;
    }
    apply_overrides(&cam, &opt.camera, rig_path ? &rig : NULL);
    if (rig_path && (status = mumloc_rig_validate(&rig)) != MUMLOC_OK)
        return library_error("--rig with the options given: ", status);
    char in_list[PATH_MAX * MAX_IN_FILES];
    const char *in_paths[MAX_IN_FILES];
    int in_count = 0;
    snprintf(in_list, sizeof in_list, "%s", in_path);
    if (!split_inputs(in_list, rig_path && rig.layout == MUMLOC_RIG_FILES, in_paths, &in_count))
        return usage("--in with a rig of layout files expects the cameras' files separated by "
                     "commas, at most 8, none empty; got '", in_path);
    opt.precision = (mumloc_precision)precision;
    opt.drift_path = drift_path;
    opt.method = (mumloc_localize_method)method;
    if (optics_path && opt.method != MUMLOC_METHOD_CS)
        return usage("--optics is for --method cs (a model carries its own optics)", NULL);
    if (model_path && opt.method == MUMLOC_METHOD_CS)
        return usage("--model is for --method network (cs needs no model)", NULL);
    if (drift_path && opt.refine != MUMLOC_REFINE_DRIFT)
        return usage("--drift-out needs --refine drift (only it estimates the drift)", NULL);
    if (opt.drift_window > 1 && opt.refine != MUMLOC_REFINE_DRIFT)
        return usage("--drift-window needs --refine drift (only it estimates the drift)", NULL);
    if (frames_text && !parse_frames(frames_text, &opt.first_frame, &opt.frame_count))
        return usage("--frames expects FIRST-LAST, FIRST- or N (1-based, FIRST <= LAST), got '",
                     frames_text);
    mumloc_device_choice choice;
    if ((rc = cli_device("localize", device_text, &opt.device, &choice)) != CLI_PARSE_CONTINUE)
        return rc;
    if ((status = mumloc_localize_options_validate(&opt)) != MUMLOC_OK)
        return library_error("", status);

    if (opt.method == MUMLOC_METHOD_CS) return localize_cs(&opt, in_path, out_path, optics_path, quiet);
    char bundled[PATH_MAX + 64];
    const int arch = model_path ? bundled_arch(model_path) : MUMLOC_ARCH_REGRESSION;
    if (arch >= 0) {
        bundled_model_path(mumloc_bundled_model_file(arch), arch == MUMLOC_ARCH_REGRESSION, bundled,
                           sizeof bundled);
        if (access(bundled, R_OK) != 0) {
            fprintf(stderr, "mumloc localize: no bundled %s%smodel is installed (looked for %s); "
                            "pass --model FILE\n", arch == MUMLOC_ARCH_REGRESSION ? "" :
                            mumloc_arch_name(arch), arch == MUMLOC_ARCH_REGRESSION ? "" : " ",
                    bundled);
            return CLI_EXIT_USAGE;
        }
        model_path = bundled;
    }
    mumloc_file_role files[4 + MAX_IN_FILES] = {
        {model_path, model_path == bundled ? "the bundled model" : "--model", 0},
        {out_path, "--out", 1},
        {drift_path, "--drift-out", 1},
        {rig_path, "--rig", 0}};
    for (int f = 0; f < in_count; f++) files[4 + f] = (mumloc_file_role){in_paths[f], "--in", 0};
    if ((rc = cli_check_files("localize", files, 4 + in_count)) != CLI_PARSE_CONTINUE) return rc;
    /* threads before the model: oneDNN sizes its work split when the network is planned */
    if ((status = mumloc_set_threads(opt.threads)) != MUMLOC_OK) return library_error("", status);
    mumloc_model *model = NULL;
    /* straight onto the device the localizer will run it on (the localizer then moves nothing) */
    if ((status = mumloc_model_load_on_device(model_path, &opt.device, NULL, &model)) != MUMLOC_OK)
        return library_error("--model: ", status);

    localize_report report = {.model = model, .precision = "?"};
    cli_progress_init(&report.progress, "localize", quiet);
    cli_cancel_on_interrupt();
    mumloc_localize_summary summary;
    status = mumloc_localize_files(model, in_paths, in_count, out_path, &opt, &summary,
                                   report_progress, &report);
    cli_interrupt_default();
    mumloc_model_destroy(model);
    if (status == MUMLOC_ERR_CANCELLED) {
        fprintf(stderr, "mumloc localize: interrupted; no table written\n");
        return CLI_EXIT_CANCELLED;
    }
    if (status != MUMLOC_OK) return library_error("", status);
    print_summary(&summary, out_path);
    if (rig_path) print_field(&summary);
    if (verbose) print_stages(&summary, report.precision);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}
