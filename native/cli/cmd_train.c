/* `mumloc train`: maps command-line options onto mumloc_train_options, prints one progress line per
 * interval and the final validation metrics. Ctrl-C stops training; the library saves the model so
 * far (it can be resumed with --resume). */
#include "cli.h"
#include "molecules_option.h"
#include "mumloc.h"
#include "options.h"
#include "progress.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { NOT_GIVEN = INT_MIN };

typedef struct train_report {
    int64_t log_every; /* steps between lines; validation points always print */
    int quiet;
    int device_shown; /* the device line is printed once, with the first progress line */
} train_report;

static void print_metric(FILE *out, const char *name, double value, const char *unit) {
    if (isnan(value)) fprintf(out, " %s n/a", name);
    else fprintf(out, " %s %.3f%s", name, value, unit);
}

static void print_validation(FILE *out, const mumloc_train_progress *p) {
    fprintf(out, "validation loss %.4g", p->val_loss);
    print_metric(out, "jaccard", p->val_jaccard, "");
    print_metric(out, "recall", p->val_recall, "");
    print_metric(out, "precision", p->val_precision, "");
    print_metric(out, "rmse_xy", p->val_rmse_xy_nm, " nm");
    print_metric(out, "rmse_z", p->val_rmse_z_nm, " nm");
}

static int on_progress(void *user, const mumloc_train_progress *p) {
    train_report *r = user;
    if (!r->quiet && !r->device_shown && p->device) {
        fprintf(stderr, "mumloc train: device: %s\n", p->device);
        r->device_shown = 1;
    }
    if (!r->quiet && (p->validated || p->step % r->log_every == 0 || p->step == p->steps)) {
        fprintf(stderr, "mumloc train: step %" PRId64 "/%" PRId64 " epoch %d/%d loss %.4g lr %.3g %.0f s",
                p->step, p->steps, p->epoch, p->epochs, p->train_loss, p->lr, p->seconds);
        if (p->validated) {
            fprintf(stderr, " | ");
            print_validation(stderr, p);
        }
        fprintf(stderr, "\n");
    }
    return cli_interrupted();
}

static int library_error(const char *prefix, mumloc_status status) {
    fprintf(stderr, "mumloc train: %s%s\n", prefix, mumloc_last_error());
    return status == MUMLOC_ERR_INVALID_ARGUMENT ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}

/* The final metrics as the model file holds them (metadata "validation"). */
static void print_final(mumloc_model *model, const char *path, double seconds) {
    const char *v = mumloc_model_metadata(model, "validation");
    const char *step = mumloc_model_metadata(model, "train_step");
    printf("mumloc train: %s model, %" PRId64 " parameters, %s steps in %.1f s; wrote %s\n",
           mumloc_arch_name((int)mumloc_model_arch(model)), mumloc_model_parameter_count(model),
           step ? step : "?", seconds, path);
    printf("validation: %s\n", v ? v : "{}");
}

int cmd_train(int argc, char **argv) {
    cli_choice arch_choices[CLI_MAX_CHOICES];
    cli_choices_from_names(mumloc_arch_name, arch_choices);
    /* NOT_GIVEN: the architecture's default applies (the help shows both) */
    int arch = -1, width = 0, height = 0, threads = 0, quiet = 0, tune_threshold = 0;
    int batch = NOT_GIVEN, epochs = NOT_GIVEN, validation_frames = NOT_GIVEN;
    int64_t steps = 0, frames_per_epoch = NOT_GIVEN, validation_interval = 0, checkpoint_interval = 0;
    int64_t lr_decay_steps = 0, log_every = 0;
    uint64_t seed = 1, validation_seed = 1000003;
    double lr = 1e-3, beta1 = 0.9, beta2 = -1, lr_decay = 1.0, density = 0, background = -1;
    double drift = -1, threshold = 0;
    const char *out_path = NULL, *optics_path = NULL, *resume_path = NULL, *checkpoint_path = NULL;
    const char *rig_path = NULL;
    const char *device_text = "auto", *molecules_text = NULL;

    cli_option options[] = {
        {"arch", NULL, "network: regression (2020) or voxel (2021)", CLI_CHOICE, &arch, NULL,
         arch_choices, CLI_REQUIRED, ""},
        {"out", "FILE", "model file to write (safetensors)", CLI_STRING, &out_path, NULL, NULL,
         CLI_REQUIRED, NULL},
        {"size", "W[xH]", "training frame size in pixels", CLI_SIZE, &width, &height, NULL, 0,
         "regression 64, voxel 16"},
        {"molecules", "M|A-B", CLI_MOLECULES_HELP, CLI_STRING, &molecules_text, NULL, NULL, 0,
         "regression 50, voxel 3"},
        {"density", "PER_UM2", "if > 0: Poisson molecules per frame, mean density x area",
         CLI_DOUBLE, &density, NULL, NULL, 0, NULL},
        {"steps", "N", "training steps; 0 = epochs x frames-per-epoch / batch", CLI_INT64, &steps,
         NULL, NULL, 0, NULL},
        {"epochs", "E", "epochs (without --steps)", CLI_INT, &epochs, NULL, NULL, 0,
         "regression 20, voxel 30"},
        {"frames-per-epoch", "F", "frames per epoch (without --steps)", CLI_INT64,
         &frames_per_epoch, NULL, NULL, 0, "regression 100000, voxel 90000"},
        {"batch", "B", "frames per step", CLI_INT, &batch, NULL, NULL, 0, "regression 50, voxel 100"},
        {"lr", "RATE", "Adam learning rate", CLI_DOUBLE, &lr, NULL, NULL, 0, NULL},
        {"beta1", "B1", "Adam beta1", CLI_DOUBLE, &beta1, NULL, NULL, 0, NULL},
        {"beta2", "B2", "Adam beta2", CLI_DOUBLE, &beta2, NULL, NULL, 0,
         "regression 0.999, voxel 0.99"},
        {"lr-decay", "FACTOR", "multiply the learning rate by this every --lr-decay-steps",
         CLI_DOUBLE, &lr_decay, NULL, NULL, 0, NULL},
        {"lr-decay-steps", "N", "steps between learning-rate decays; 0 = none", CLI_INT64,
         &lr_decay_steps, NULL, NULL, 0, NULL},
        {"seed", "S", "seed of the training frames and initial weights", CLI_UINT64, &seed, NULL,
         NULL, 0, NULL},
        {"validation-frames", "N", "frames of the fixed validation set", CLI_INT,
         &validation_frames, NULL, NULL, 0, "500"},
        {"validation-seed", "S", "seed of the validation set", CLI_UINT64, &validation_seed, NULL,
         NULL, 0, NULL},
        {"validation-interval", "N", "steps between validations; 0 = every epoch", CLI_INT64,
         &validation_interval, NULL, NULL, 0, NULL},
        {"checkpoint", "FILE", "where intermediate saves go", CLI_STRING, &checkpoint_path, NULL,
         NULL, 0, "--out"},
        {"checkpoint-interval", "N", "steps between intermediate saves; 0 = at every validation",
         CLI_INT64, &checkpoint_interval, NULL, NULL, 0, NULL},
        {"threshold", "TAU", "the model's decoding threshold, used by validation; 0 = the "
         "architecture's", CLI_DOUBLE, &threshold, NULL, NULL, 0, "regression 0.5, voxel 0.1"},
        {"tune-threshold", NULL, "at the end, keep the threshold with the best validation "
         "Jaccard (0.01 to 0.9) as the model's", CLI_FLAG, &tune_threshold, NULL, NULL, 0, NULL},
        {"background", "PHOTONS", "background photons per pixel", CLI_DOUBLE, &background, NULL,
         NULL, 0, "10"},
        {"drift", "NM", "max |drift| per axis of planes 2..k", CLI_DOUBLE, &drift, NULL, NULL, 0,
         "48"},
        {"optics", "FILE", "optics JSON file (as for mumloc simulate)", CLI_STRING, &optics_path,
         NULL, NULL, 0, "the default optics"},
        {"rig", "FILE", "train for a real rig: its per-plane optics and transmissions, each "
         "camera's noise and photon conversion, registered frames", CLI_STRING, &rig_path, NULL,
         NULL, 0, "none"},
        {"resume", "FILE", "continue training the model in FILE (written by mumloc train)",
         CLI_STRING, &resume_path, NULL, NULL, 0, "none"},
        {"device", "DEV", "where to train: auto (CUDA when usable, else CPU), cpu, cuda, cuda:N",
         CLI_STRING, &device_text, NULL, NULL, 0, NULL},
        {"threads", "T", "threads; 0 = all cores", CLI_INT, &threads, NULL, NULL, 0, NULL},
        {"log-every", "N", "steps between progress lines (validations always print)", CLI_INT64,
         &log_every, NULL, NULL, 0, "a twentieth of the run"},
        {"quiet", NULL, "no progress lines", CLI_FLAG, &quiet, NULL, NULL, 0, NULL},
        {NULL, NULL, NULL, CLI_FLAG, NULL, NULL, NULL, 0, NULL},
    };
    const cli_command_spec spec = {
        "train",
        "Trains a network on frames simulated on the fly and writes the model (safetensors with its\n"
        "optics, input normalisation and training recipe). Progress lines go to stderr, the final\n"
        "validation metrics (Jaccard, RMSE at 150 nm tolerance) to stdout.",
        options, NULL,
        "--molecules A-B draws each frame's count uniformly from A to B (e.g. 5-50: sparse to\n"
        "dense frames in one run).\n"
        "--rig rig.json (from mumloc calibrate) trains for that rig: the rig's optics (not --optics),\n"
        "each camera's offset, gain, EM gain and read noise, frames in camera 1's geometry as\n"
        "localize --rig gives them to the network. Fine-tuning the bundled model is the quick path:\n"
        "  mumloc train --arch regression --rig rig.json --resume MODEL --steps N --out rig-model\n"
        "Ctrl-C stops training and saves the model so far; continue it with --resume FILE.\n"
        "A resumed run trains with the options given now (not those stored in FILE), from the\n"
        "model's step count up to --steps (a total, not a number of extra steps); the model's\n"
        "recipe becomes this run's. A MODEL made for other optics (a rig's) is fine-tuned: its\n"
        "weights start the run, it takes the new optics and camera, and --steps counts from 0.\n"
        "Exit codes: 0 success, 1 run-time failure, 2 usage error, 130 interrupted.\n"};
    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    /* checked in pairs: --resume may be --out or --checkpoint (the model is read whole before
     * training and replaced at the end), and --checkpoint may be --out (its default) */
    const mumloc_file_role files[4][2] = {
        {{optics_path, "--optics", 0}, {out_path, "--out", 1}},
        {{optics_path, "--optics", 0}, {checkpoint_path, "--checkpoint", 1}},
        {{resume_path, "--resume", 0}, {NULL, NULL, 1}},
        {{rig_path, "--rig", 0}, {out_path, "--out", 1}}};
    for (int i = 0; i < 4; i++)
        if ((rc = cli_check_files("train", files[i], 2)) != CLI_PARSE_CONTINUE) return rc;

    mumloc_train_options o;
    mumloc_train_options_default(&o, (mumloc_arch)arch);
    mumloc_status status;
    if (rig_path && optics_path) {
        fprintf(stderr, "mumloc train: --optics cannot be used with --rig: the rig file gives the "
                        "optics\n");
        return CLI_EXIT_USAGE;
    }
    if (optics_path && (status = mumloc_optics_load(optics_path, &o.sim.optics)) != MUMLOC_OK)
        return library_error("--optics: ", status);
    static mumloc_rig rig; /* large; one per process */
    if (rig_path) {
        if ((status = mumloc_rig_load(rig_path, &rig)) != MUMLOC_OK) return library_error("--rig: ", status);
        o.sim.optics = rig.optics;
        o.rig = &rig;
    }
    if (width > 0) {
        o.sim.width = width;
        o.sim.height = height;
    }
    if (molecules_text &&
        (rc = cli_molecules("train", molecules_text, &o.sim.molecules_min, &o.sim.molecules)) !=
            CLI_PARSE_CONTINUE)
        return rc;
    o.sim.density_per_um2 = density;
    if (background >= 0) o.sim.camera.background_photons = background;
    if (drift >= 0) o.sim.drift_max_nm = drift;
    o.steps = steps;
    if (epochs != NOT_GIVEN) o.epochs = epochs;
    if (frames_per_epoch != NOT_GIVEN) o.frames_per_epoch = frames_per_epoch;
    if (batch != NOT_GIVEN) o.batch = batch;
    o.lr = lr;
    o.beta1 = beta1;
    if (beta2 >= 0) o.beta2 = beta2;
    o.lr_decay = lr_decay;
    o.lr_decay_steps = lr_decay_steps;
    o.seed = seed;
    if (validation_frames != NOT_GIVEN) o.validation_frames = validation_frames;
    o.threshold = threshold;
    o.tune_threshold = tune_threshold;
    o.validation_seed = validation_seed;
    o.validation_interval = validation_interval;
    o.checkpoint_interval = checkpoint_interval;
    o.checkpoint_path = checkpoint_path;
    o.out_path = out_path;
    o.resume_path = resume_path;
    if ((status = mumloc_set_threads(threads)) != MUMLOC_OK) return library_error("", status);
    if ((status = mumloc_train_options_validate(&o)) != MUMLOC_OK) return library_error("", status);
    mumloc_device_choice choice;
    if ((rc = cli_device("train", device_text, &o.device, &choice)) != CLI_PARSE_CONTINUE) return rc;

    int64_t total = o.steps > 0 ? o.steps
                                : (o.frames_per_epoch + o.batch - 1) / o.batch * (int64_t)o.epochs;
    train_report report = {log_every > 0 ? log_every : (total >= 20 ? total / 20 : 1), quiet, 0};
    mumloc_model *model = NULL;
    cli_cancel_on_interrupt();
    double start = cli_seconds_now();
    status = mumloc_train(&o, on_progress, &report, &model);
    double seconds = cli_seconds_now() - start;
    cli_interrupt_default();
    if (status == MUMLOC_ERR_CANCELLED) {
        fprintf(stderr, "mumloc train: interrupted; the model so far is saved in %s (continue with "
                        "--resume %s)\n", out_path, out_path);
        rc = CLI_EXIT_CANCELLED;
    } else if (status != MUMLOC_OK) {
        rc = library_error("", status);
    } else {
        print_final(model, out_path, seconds);
        rc = CLI_EXIT_OK;
    }
    mumloc_model_destroy(model);
    return rc;
}
