/* `mumloc frc`: resolution of a localization table by Fourier ring correlation (mumloc_frc_compute);
 * prints the library's one-line report (or JSON) and writes the curve and plot when asked. */
#include "cli.h"
#include "mumloc.h"
#include "options.h"
#include "progress.h"
#include "table_input.h"

#include <stdio.h>

static const cli_choice split_choices[] = {{"blocks", MUMLOC_FRC_SPLIT_FRAME_BLOCKS},
                                           {"random", MUMLOC_FRC_SPLIT_RANDOM},
                                           {NULL, 0}};

int cmd_frc(int argc, char **argv) {
    mumloc_frc_options o;
    mumloc_frc_options_default(&o);
    const char *in_path = NULL, *plot_path = NULL, *curve_path = NULL;
    double pixel_nm = 0;
    int threads = 0, quiet = 0, json = 0, split = (int)o.split;
    cli_option options[] = {
        {"in", "FILE", "localization table (ThunderSTORM CSV: x, y; frame for the block split)",
         CLI_STRING, &in_path, NULL, NULL, CLI_REQUIRED, NULL},
        {"pixel", "NM", "histogram pixel; 0 = 5 nm, or larger for fields over 4096 pixels", CLI_DOUBLE,
         &o.pixel_nm, NULL, NULL, 0, NULL},
        {"split", NULL, "halves: alternate blocks of frames, or random rows", CLI_CHOICE, &split,
         NULL, split_choices, 0, NULL},
        {"block-frames", "N", "frames per block (blocks split)", CLI_INT, &o.block_frames, NULL, NULL,
         0, NULL},
        {"seed", "S", "random split: seed", CLI_UINT64, &o.seed, NULL, NULL, 0, NULL},
        {"threshold", "T", "FRC threshold of the resolution", CLI_DOUBLE, &o.threshold, NULL, NULL,
         0, "1/7"},
        {"smooth", "RINGS", "moving-average half-width; -1 = image size / 256", CLI_INT,
         &o.smooth_rings, NULL, NULL, 0, NULL},
        {"plot", "FILE", "write the FRC curve as a PNG plot", CLI_STRING, &plot_path, NULL, NULL, 0,
         "none"},
        {"curve", "FILE", "write the curve as CSV (frequency, frc, frc_smoothed)", CLI_STRING,
         &curve_path, NULL, NULL, 0, "none"},
        {"json", NULL, "print the result as JSON", CLI_FLAG, &json, NULL, NULL, 0, NULL},
        CLI_TABLE_COMMAND_OPTIONS(pixel_nm, threads, quiet),
    };
    const cli_command_spec spec = {
        "frc",
        "Resolution by Fourier ring correlation (Nieuwenhuizen et al. 2013): the table split in two\n"
        "halves, each binned as a 2D histogram and Fourier transformed, correlated ring by ring;\n"
        "the resolution is 1 / the frequency where the smoothed curve falls below the threshold.",
        options, NULL,
        "Default split: odd / even blocks of --block-frames frames, so that a blink stays in one\n"
        "half; merge blinks first (mumloc merge-blinks) for an honest figure. z is ignored.\n"
        "Exit codes: 0 success, 1 run-time failure, 2 usage error, 130 interrupted.\n"};
    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    o.split = (mumloc_frc_split)split;
    mumloc_status s = mumloc_frc_options_validate(&o);
    if (s == MUMLOC_OK) s = mumloc_set_threads(threads);
    if (s != MUMLOC_OK) return cli_library_error("frc", s);

    const mumloc_file_role files[] = {{in_path, "--in", 0}, {plot_path, "--plot", 1},
                                      {curve_path, "--curve", 1}};
    if ((rc = cli_check_files("frc", files, 3)) != CLI_PARSE_CONTINUE) return rc;
    mumloc_table *table = NULL;
    if ((rc = cli_read_table("frc", in_path, pixel_nm, quiet, &table)) != CLI_EXIT_OK) return rc;
    cli_progress progress;
    cli_progress_init(&progress, "frc", quiet);
    cli_cancel_on_interrupt();
    mumloc_frc *frc = NULL;
    s = mumloc_frc_compute(table, &o, &frc, cli_progress_report, &progress);
    cli_interrupt_default();
    mumloc_table_destroy(table);
    if (s == MUMLOC_OK && curve_path) s = mumloc_frc_write_curve(frc, curve_path);
    if (s == MUMLOC_OK && plot_path) s = mumloc_frc_write_plot(frc, plot_path);
    if (s != MUMLOC_OK) rc = cli_library_error("frc", s);
    else printf("%s\n", json ? mumloc_frc_json(frc) : mumloc_frc_text(frc));
    mumloc_frc_destroy(frc);
    return rc;
}
