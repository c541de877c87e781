/* `mumloc merge-blinks`: joins the localizations of one blink over consecutive frames into one
 * molecule (mumloc_merge_blinks) and writes the merged table. Option names only; the rules are the
 * library's. */
#include "cli.h"
#include "mumloc.h"
#include "options.h"
#include "progress.h"
#include "table_input.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

int cmd_merge_blinks(int argc, char **argv) {
    mumloc_merge_options o;
    mumloc_merge_options_default(&o);
    const char *in_path = NULL, *out_path = NULL;
    double pixel_nm = 0, distance_xy = NAN, distance_z = NAN;
    int threads = 0, quiet = 0;
    cli_option options[] = {
        {"in", "FILE", "localization table (ThunderSTORM CSV)", CLI_STRING, &in_path, NULL, NULL,
         CLI_REQUIRED, NULL},
        {"out", "FILE", "merged table (CSV)", CLI_STRING, &out_path, NULL, NULL, CLI_REQUIRED, NULL},
        {"distance", "NM", "3D distance to a molecule's merged position", CLI_DOUBLE,
         &o.max_distance_nm, NULL, NULL, 0, NULL},
        {"distance-xy", "NM", "lateral distance (with --distance-z; replaces --distance)", CLI_DOUBLE,
         &distance_xy, NULL, NULL, 0, "off"},
        {"distance-z", "NM", "axial distance (with --distance-xy)", CLI_DOUBLE, &distance_z, NULL,
         NULL, 0, "off"},
        {"off-frames", "N", "dark frames allowed inside one molecule's trace", CLI_INT,
         &o.max_off_frames, NULL, NULL, 0, NULL},
        {"max-frames", "N", "most localizations per molecule; 0 = no limit", CLI_INT, &o.max_frames,
         NULL, NULL, 0, NULL},
        {"pixel-size", "NM", "camera pixel size, to convert columns given in px", CLI_DOUBLE,
         &pixel_nm, NULL, NULL, 0, "none"},
        {"threads", "T", "threads; 0 = all cores", CLI_INT, &threads, NULL, NULL, 0, NULL},
        {"quiet", NULL, "no progress lines", CLI_FLAG, &quiet, NULL, NULL, 0, NULL},
        {NULL, NULL, NULL, CLI_FLAG, NULL, NULL, NULL, 0, NULL},
    };
    const cli_command_spec spec = {
        "merge-blinks",
        "Merges the localizations of one blinking molecule in consecutive frames (ThunderSTORM's\n"
        "merging): each localization joins the nearest open molecule within the distance that has\n"
        "none in its frame yet; a molecule stays open for --off-frames dark frames.",
        options, NULL,
        "A merged row: frame = the first frame, id renumbered, x and y weighted by 1/uncertainty_xy^2\n"
        "and z by 1/uncertainty_z^2 (else by intensity, else equally), uncertainties combined as\n"
        "1/sqrt(sum 1/u^2), intensity summed, other columns averaged, and a \"detections\" column\n"
        "(localizations merged). Tables without z merge laterally.\n"
        "Exit codes: 0 success, 1 run-time failure, 2 usage error, 130 interrupted.\n"};
    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    if (isnan(distance_xy) != isnan(distance_z)) {
        fprintf(stderr, "mumloc merge-blinks: --distance-xy and --distance-z go together: give both\n");
        return CLI_EXIT_USAGE;
    }
    if (!isnan(distance_xy)) {
        o.max_distance_xy_nm = distance_xy;
        o.max_distance_z_nm = distance_z;
        if (!(distance_xy > 0) || !(distance_z > 0)) {
            fprintf(stderr, "mumloc merge-blinks: --distance-xy and --distance-z must be > 0 nm\n");
            return CLI_EXIT_USAGE;
        }
    }
    mumloc_status s = mumloc_merge_options_validate(&o);
    if (s == MUMLOC_OK) s = mumloc_set_threads(threads);
    if (s != MUMLOC_OK) return cli_library_error("merge-blinks", s);

    mumloc_table *table = NULL, *merged = NULL;
    if ((rc = cli_read_table("merge-blinks", in_path, pixel_nm, &table)) != CLI_EXIT_OK) return rc;
    cli_progress progress;
    cli_progress_init(&progress, "merge-blinks", quiet);
    cli_cancel_on_interrupt();
    double start = cli_seconds_now();
    s = mumloc_merge_blinks(table, &o, &merged, cli_progress_report, &progress);
    cli_interrupt_default();
    if (s == MUMLOC_OK) s = mumloc_table_write_csv(merged, out_path);
    double seconds = cli_seconds_now() - start;
    if (s != MUMLOC_OK) rc = cli_library_error("merge-blinks", s);
    else {
        int64_t before = mumloc_table_rows(table), after = mumloc_table_rows(merged);
        printf("mumloc merge-blinks: %" PRId64 " localizations -> %" PRId64 " molecules (%.2f "
               "localizations each), %.2f s; wrote %s\n",
               before, after, after > 0 ? (double)before / (double)after : 0.0, seconds, out_path);
    }
    mumloc_table_destroy(merged);
    mumloc_table_destroy(table);
    return rc;
}
