/* `mumloc evaluate`: reads a ground-truth table and a localization table, scores one against the
 * other through mumloc_evaluate, and prints the library's report (text, or JSON with --json). This
 * file only knows option and file names; matching, metrics and report text are the library's. */
#include "cli.h"
#include "mumloc.h"
#include "options.h"
#include "progress.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int exit_code_for(mumloc_status status) {
    return status == MUMLOC_ERR_INVALID_ARGUMENT ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}

static int library_error(const char *prefix, mumloc_status status) {
    fprintf(stderr, "mumloc evaluate: %s%s\n", prefix, mumloc_last_error());
    return exit_code_for(status);
}

static int usage(const char *message) {
    fprintf(stderr, "mumloc evaluate: %s\n", message);
    return CLI_EXIT_USAGE;
}

/* Reading a long table: Ctrl-C stops it (the progress lines are the matching's, below). */
static int stop_on_interrupt(void *user, int64_t done, int64_t total) {
    (void)user, (void)done, (void)total;
    return cli_interrupted();
}

/* Reads a table that needs frame, x, y, z, converting px/um columns to nm. */
static int load(const char *path, double pixel_nm, mumloc_table **out) {
    cli_cancel_on_interrupt();
    mumloc_status s = mumloc_table_read_csv_progress(path, "frame,x,y,z", out, stop_on_interrupt, NULL);
    cli_interrupt_default();
    if (s == MUMLOC_ERR_CANCELLED || (s == MUMLOC_OK && cli_interrupted())) { /* Ctrl-C between reports */
        mumloc_table_destroy(*out);
        *out = NULL;
        fprintf(stderr, "mumloc evaluate: interrupted\n");
        return CLI_EXIT_CANCELLED;
    }
    if (s != MUMLOC_OK) return library_error("", s);
    if ((s = mumloc_table_convert_to_nm(*out, pixel_nm)) != MUMLOC_OK) {
        fprintf(stderr, "mumloc evaluate: '%s': %s (--pixel-size NM)\n", path, mumloc_last_error());
        return exit_code_for(s);
    }
    return CLI_EXIT_OK;
}

int cmd_evaluate(int argc, char **argv) {
    mumloc_eval_options eval;
    mumloc_eval_options_default(&eval);
    const char *truth_path = NULL, *loc_path = NULL, *out_path = NULL, *subpixel_path = NULL;
    int subpixel_bins = 10;
    /* NaN = not given (the parser only stores finite numbers) */
    double tolerance = NAN, tolerance_xy = NAN, tolerance_z = NAN, pixel_nm = 0;
    int json = 0, quiet = 0;
    cli_option options[] = {
        {"truth", "FILE", "ground-truth CSV (ThunderSTORM columns frame, x, y, z)", CLI_STRING,
         &truth_path, NULL, NULL, CLI_REQUIRED, NULL},
        {"in", "FILE", "localizations CSV to score", CLI_STRING, &loc_path, NULL, NULL, CLI_REQUIRED,
         NULL},
        {"tolerance", "NM", "3D matching distance", CLI_DOUBLE, &tolerance, NULL, NULL, 0, "150"},
        {"tolerance-xy", "NM", "lateral matching distance (with --tolerance-z)", CLI_DOUBLE,
         &tolerance_xy, NULL, NULL, 0, "off"},
        {"tolerance-z", "NM", "axial matching distance (with --tolerance-xy)", CLI_DOUBLE,
         &tolerance_z, NULL, NULL, 0, "off"},
        {"bin", "NM", "width of the depth bins over the true z", CLI_DOUBLE, &eval.bin_nm, NULL, NULL,
         0, NULL},
        {"pixel-size", "NM", "camera pixel size, to convert columns given in px", CLI_DOUBLE,
         &pixel_nm, NULL, NULL, 0, "none"},
        {"json", NULL, "print the report as JSON instead of text", CLI_FLAG, &json, NULL, NULL, 0,
         NULL},
        {"out", "FILE", "also write the JSON report to FILE", CLI_STRING, &out_path, NULL, NULL, 0,
         "none"},
        {"subpixel-out", "FILE", "pixel-locking check: write the histogram of the localizations' "
         "sub-pixel positions (CSV: bin, phase, x, y counts) and print its flatness (chi-square "
         "against uniform, largest deviation)", CLI_STRING, &subpixel_path, NULL, NULL, 0, "none"},
        {"subpixel-bins", "N", "bins of a pixel for --subpixel-out", CLI_INT, &subpixel_bins, NULL,
         NULL, 0, NULL},
        {"quiet", NULL, "no progress lines (large tables)", CLI_FLAG, &quiet, NULL, NULL, 0, NULL},
        {NULL, NULL, NULL, CLI_FLAG, NULL, NULL, NULL, 0, NULL},
    };
    const cli_command_spec spec = {
        "evaluate",
        "Scores localizations against ground truth: optimal one-to-one matching per frame within a\n"
        "tolerance (the most pairs, then the smallest squared distances), then TP, FP, FN, Jaccard,\n"
        "recall, precision, RMSE, bias and median CRLB, overall and per depth bin.",
        options, NULL,
        "A pair exactly at the tolerance matches. With --tolerance-xy and --tolerance-z a pair must\n"
        "be within both. Errors are localization - truth. Tables need frame, x, y, z in nm (or px\n"
        "with --pixel-size); the CRLB comes from uncertainty_xy / uncertainty_z when present.\n"
        "--subpixel-out takes the phase within a pixel of --pixel-size (default: the default\n"
        "optics' pixel); an unbiased localizer gives a flat histogram (p not tiny).\n"
        "Progress lines (stderr) appear for tables of more than 65,536 rows; Ctrl-C cancels.\n"
        "Exit codes: 0 success, 1 unreadable or malformed file, 2 usage error, 130 interrupted.\n"};

    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    int has_xy = !isnan(tolerance_xy), has_z = !isnan(tolerance_z);
    if (has_xy != has_z) return usage("--tolerance-xy and --tolerance-z go together: give both");
    if (has_xy && !isnan(tolerance))
        return usage("give either --tolerance or --tolerance-xy with --tolerance-z, not both");
    if (!isnan(tolerance)) eval.tolerance_nm = tolerance;
    if (has_xy) {
        eval.tolerance_xy_nm = tolerance_xy;
        eval.tolerance_z_nm = tolerance_z;
        if (!(tolerance_xy > 0) || !(tolerance_z > 0))
            return usage("--tolerance-xy and --tolerance-z must be > 0 nm");
    }
    if (!(pixel_nm >= 0)) return usage("--pixel-size must be > 0 nm");
    const mumloc_file_role files[] = {{truth_path, "--truth", 0}, {loc_path, "--in", 0},
                                      {out_path, "--out", 1}, {subpixel_path, "--subpixel-out", 1}};
    if ((rc = cli_check_files("evaluate", files, 4)) != CLI_PARSE_CONTINUE) return rc;
    mumloc_status status = mumloc_eval_options_validate(&eval);
    if (status != MUMLOC_OK) return library_error("", status);

    mumloc_table *truth = NULL, *locs = NULL;
    mumloc_evaluation *evaluation = NULL;
    rc = load(truth_path, pixel_nm, &truth);
    if (rc == CLI_EXIT_OK) rc = load(loc_path, pixel_nm, &locs);
    if (rc == CLI_EXIT_OK) {
        cli_progress progress;
        cli_progress_init(&progress, "evaluate", quiet);
        cli_cancel_on_interrupt();
        status = mumloc_evaluate_progress(truth, locs, &eval, &evaluation, cli_progress_report, &progress);
        cli_interrupt_default();
        if (status == MUMLOC_ERR_CANCELLED) {
            fprintf(stderr, "mumloc evaluate: interrupted; no report written\n");
            rc = CLI_EXIT_CANCELLED;
        } else if (status != MUMLOC_OK) {
            rc = library_error("", status);
        }
    }
    if (rc == CLI_EXIT_OK && out_path &&
        (status = mumloc_evaluation_save_json(evaluation, out_path)) != MUMLOC_OK)
        rc = library_error("--out: ", status);
    mumloc_subpixel_histogram subpixel;
    if (rc == CLI_EXIT_OK && subpixel_path) {
        mumloc_optics optics;
        mumloc_optics_default(&optics);
        status = mumloc_subpixel_histogram_of(locs, pixel_nm > 0 ? pixel_nm : optics.pixel_nm,
                                              subpixel_bins, &subpixel);
        if (status == MUMLOC_OK) status = mumloc_subpixel_histogram_write_csv(&subpixel, subpixel_path);
        if (status != MUMLOC_OK) rc = library_error("--subpixel-out: ", status);
    }
    if (rc == CLI_EXIT_OK) {
        if (json) printf("%s\n", mumloc_evaluation_json(evaluation));
        else fputs(mumloc_evaluation_text(evaluation), stdout);
        if (subpixel_path) {
            char line[512];
            mumloc_subpixel_histogram_text(&subpixel, line, sizeof line);
            fprintf(json ? stderr : stdout, "%s\n", line);
        }
        if (fflush(stdout) != 0) rc = CLI_EXIT_FAILURE;
    }
    mumloc_evaluation_destroy(evaluation);
    mumloc_table_destroy(truth);
    mumloc_table_destroy(locs);
    return rc;
}
