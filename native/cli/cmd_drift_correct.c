/* `mumloc drift-correct`: reads a localization table, estimates the sample drift (RCC or fiducial
 * beads) and writes the corrected table, optionally the per-frame drift CSV and a PNG plot of it.
 * Ranges and messages are the library's; this file only knows option names. A failure removes
 * whatever this run already wrote, so no partial set of outputs is left behind. */
#include "cli.h"
#include "mumloc.h"
#include "options.h"
#include "progress.h"
#include "table_input.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int library_error(mumloc_status status) {
    const char *message = mumloc_last_error();
    if (status == MUMLOC_ERR_CANCELLED) return cli_library_error("drift-correct", status);
    if (strncmp(message, "drift correction: ", 18) == 0) message += 18; /* the line says so */
    fprintf(stderr, "mumloc drift-correct: %s\n", message);
    return status == MUMLOC_ERR_INVALID_ARGUMENT ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}

/* Largest |value| of a drift column, for the summary. */
static double largest(const mumloc_table *drift, const char *name) {
    const double *v = mumloc_table_column_data(drift, mumloc_table_find_column(drift, name, NULL));
    double m = 0.0;
    for (int64_t k = 0; k < mumloc_table_rows(drift); k++) m = fmax(m, fabs(v[k]));
    return m;
}

static void print_summary(const mumloc_drift_options *o, const mumloc_drift_info *info,
                          const mumloc_table *drift, int64_t rows, double seconds) {
    if (o->method == MUMLOC_DRIFT_RCC)
        printf("mumloc drift-correct: rcc, %d segments of %" PRId64 " frames, %d of %d pairs used, "
               "bin %g nm; ",
               info->segments, info->segment_frames, info->pairs_used, info->pairs, info->pixel_nm);
    else
        printf("mumloc drift-correct: fiducial, %d beads; ", info->beads);
    printf("%" PRId64 " localizations over %" PRId64 " frames; largest drift x %.1f, y %.1f, "
           "z %.1f nm; %.2f s\n",
           rows, info->frames, largest(drift, "dx"), largest(drift, "dy"), largest(drift, "dz"),
           seconds);
}

int cmd_drift_correct(int argc, char **argv) {
    cli_choice method_choices[CLI_MAX_CHOICES];
    cli_choices_from_names(mumloc_drift_method_name, method_choices);
    mumloc_drift_options o;
    mumloc_drift_options_default(&o);
    const char *in = NULL, *out = NULL, *drift_out = NULL, *plot = NULL;
    int method = (int)o.method, threads = 0, quiet = 0, with_z = 0, no_z = 0;
    double pixel_size = 0.0;
    cli_option options[] = {
        {"in", "FILE", "localization table (ThunderSTORM CSV: frame, x, y, z in nm)", CLI_STRING,
         &in, NULL, NULL, CLI_REQUIRED, NULL},
        {"out", "FILE", "the corrected table (every other column unchanged)", CLI_STRING, &out,
         NULL, NULL, CLI_REQUIRED, NULL},
        {"drift-out", "FILE", "per-frame drift CSV: frame, dx, dy, dz [nm]", CLI_STRING,
         &drift_out, NULL, NULL, 0, "none"},
        {"plot", "FILE", "PNG plot of the drift against frame", CLI_STRING, &plot, NULL, NULL, 0,
         "none"},
        {"method", NULL, "rcc: cross-correlation of segments; fiducial: beads", CLI_CHOICE,
         &method, NULL, method_choices, 0, NULL},
        {"segment-frames", "N", "rcc: frames per segment; 0 = automatic", CLI_INT64,
         &o.segment_frames, NULL, NULL, 0, "0 (about max(500, rows/20) localizations each)"},
        {"pixel", "NM", "rcc: histogram bin, laterally and axially", CLI_DOUBLE, &o.pixel_nm, NULL,
         NULL, 0, NULL},
        {"max-drift", "NM", "rcc: search range, the largest shift between segments", CLI_DOUBLE,
         &o.max_drift_nm, NULL, NULL, 0, NULL},
        {"min-segment-localizations", "N", "rcc: fewer in a segment is an error", CLI_INT,
         &o.min_segment_localizations, NULL, NULL, 0, NULL},
        {"z", NULL, "estimate and correct z too (the default)", CLI_FLAG, &with_z, NULL, NULL, 0,
         ""},
        {"no-z", NULL, "leave z alone (dz = 0; the table needs no z column)", CLI_FLAG, &no_z,
         NULL, NULL, 0, ""},
        {"fiducial-presence", "FRACTION", "fiducial: a bead is seen in this share of frames",
         CLI_DOUBLE, &o.fiducial_presence, NULL, NULL, 0, NULL},
        {"fiducial-radius", "NM", "fiducial: largest step of a bead between frames", CLI_DOUBLE,
         &o.fiducial_radius_nm, NULL, NULL, 0, NULL},
        CLI_TABLE_COMMAND_OPTIONS(pixel_size, threads, quiet),
    };
    const cli_command_spec spec = {
        "drift-correct",
        "Estimates the sample (stage) drift of a localization table in x, y and z and writes the\n"
        "table with the drift of each row's frame subtracted from x, y and z.",
        options, NULL,
        "The drift CSV gives, per frame from the table's first to its last, how far the sample\n"
        "had moved since the first frame (0 there): \"frame\",\"dx [nm]\",\"dy [nm]\",\"dz [nm]\".\n"
        "rcc cuts the movie into segments, cross-correlates every pair and solves for the segment\n"
        "drifts (robustly), then interpolates per frame; fiducial tracks beads seen in most frames.\n"
        "Exit codes: 0 success, 1 run-time failure, 2 usage error or unusable data (the message\n"
        "says which option to change), 130 interrupted. No output is left behind on failure.\n"};
    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    if (with_z && no_z) {
        fprintf(stderr, "mumloc drift-correct: --z and --no-z exclude each other\n");
        return CLI_EXIT_USAGE;
    }
    o.method = (mumloc_drift_method)method;
    o.correct_z = !no_z;

    mumloc_status status;
    if ((status = mumloc_set_threads(threads)) != MUMLOC_OK) return library_error(status);
    if ((status = mumloc_drift_options_validate(&o)) != MUMLOC_OK) return library_error(status);

    const mumloc_file_role files[] = {{in, "--in", 0},
                                      {out, "--out", 1},
                                      {drift_out, "--drift-out", 1},
                                      {plot, "--plot", 1}};
    if ((rc = cli_check_files("drift-correct", files, 4)) != CLI_PARSE_CONTINUE) return rc;
    double start = cli_seconds_now();
    mumloc_table *table = NULL, *drift = NULL;
    if ((rc = cli_read_table("drift-correct", in, pixel_size, quiet, &table)) != CLI_EXIT_OK) return rc;
    cli_progress progress;
    cli_progress_init(&progress, "drift-correct", quiet);
    cli_cancel_on_interrupt();
    mumloc_drift_info info;
    status = mumloc_drift_estimate(table, &o, &info, cli_progress_report, &progress, &drift);
    cli_interrupt_default();
    if (status == MUMLOC_OK) status = mumloc_drift_apply(table, drift);

    const char *written[3];
    int count = 0;
    if (status == MUMLOC_OK && drift_out && (status = mumloc_table_write_csv(drift, drift_out)) == MUMLOC_OK)
        written[count++] = drift_out;
    if (status == MUMLOC_OK && plot && (status = mumloc_drift_plot_write(drift, 0, 0, plot)) == MUMLOC_OK)
        written[count++] = plot;
    if (status == MUMLOC_OK && (status = mumloc_table_write_csv(table, out)) == MUMLOC_OK)
        written[count++] = out;
    double seconds = cli_seconds_now() - start;
    int64_t rows = mumloc_table_rows(table);

    int exit_code = CLI_EXIT_OK;
    if (status != MUMLOC_OK) exit_code = library_error(status);
    if (exit_code != CLI_EXIT_OK)
        for (int k = 0; k < count; k++) unlink(written[k]);
    else
        print_summary(&o, &info, drift, rows, seconds);
    mumloc_table_destroy(table);
    mumloc_table_destroy(drift);
    return exit_code;
}
