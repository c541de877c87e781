/* Table input and library errors for the post-processing commands (see table_input.h). */
#include "table_input.h"

#include <stdio.h>

#include "cli.h"
#include "options.h"
#include "progress.h"

int cli_library_error(const char *command, mumloc_status status) {
    if (status == MUMLOC_ERR_CANCELLED) {
        fprintf(stderr, "mumloc %s: interrupted; no files written\n", command);
        return CLI_EXIT_CANCELLED;
    }
    fprintf(stderr, "mumloc %s: %s\n", command, mumloc_last_error());
    return status == MUMLOC_ERR_INVALID_ARGUMENT ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}

int cli_read_table(const char *command, const char *path, double pixel_nm, int quiet,
                   mumloc_table **out) {
    *out = NULL;
    if (!(pixel_nm >= 0)) {
        fprintf(stderr, "mumloc %s: --pixel-size must be > 0 nm\n", command);
        return CLI_EXIT_USAGE;
    }
    char reading[64];
    snprintf(reading, sizeof reading, "%s (reading)", command);
    cli_progress progress;
    cli_progress_init(&progress, reading, quiet);
    cli_cancel_on_interrupt();
    mumloc_status s = mumloc_table_read_csv_progress(path, NULL, out, cli_progress_report, &progress);
    cli_interrupt_default();
    if (s == MUMLOC_OK && cli_interrupted()) { /* Ctrl-C after the last report */
        mumloc_table_destroy(*out);
        *out = NULL;
        s = MUMLOC_ERR_CANCELLED;
    }
    if (s == MUMLOC_ERR_CANCELLED) return cli_library_error(command, s);
    if (s != MUMLOC_OK) {
        fprintf(stderr, "mumloc %s: %s\n", command, mumloc_last_error());
        return CLI_EXIT_FAILURE;
    }
    if ((s = mumloc_table_convert_to_nm(*out, pixel_nm)) != MUMLOC_OK) {
        fprintf(stderr, "mumloc %s: '%s': %s (--pixel-size NM)\n", command, path, mumloc_last_error());
        mumloc_table_destroy(*out);
        *out = NULL;
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

int cli_run_table_step(const char *command, const char *in_path, double pixel_nm, int quiet,
                       cli_table_step step, const void *options, const char *out_path,
                       int64_t *rows_in, int64_t *rows_out, double *seconds) {
    mumloc_table *table = NULL, *result = NULL;
    const mumloc_file_role files[] = {{in_path, "--in", 0}, {out_path, "--out", 1}};
    int rc = cli_check_files(command, files, 2);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    rc = cli_read_table(command, in_path, pixel_nm, quiet, &table);
    if (rc != CLI_EXIT_OK) return rc;
    cli_progress progress;
    cli_progress_init(&progress, command, quiet);
    cli_cancel_on_interrupt();
    double start = cli_seconds_now();
    mumloc_status s = step(table, options, &result, cli_progress_report, &progress);
    cli_interrupt_default();
    if (s == MUMLOC_OK) s = mumloc_table_write_csv(result, out_path);
    *seconds = cli_seconds_now() - start;
    if (s != MUMLOC_OK) rc = cli_library_error(command, s);
    *rows_in = mumloc_table_rows(table);
    *rows_out = mumloc_table_rows(result);
    mumloc_table_destroy(result);
    mumloc_table_destroy(table);
    return rc;
}
