/* `mumloc merge-blinks`: joins the localizations of one blink over consecutive frames into one
 * molecule (mumloc_merge_blinks) and writes the merged table. Option names only; the rules are the
 * library's. */
#include "cli.h"
#include "mumloc.h"
#include "options.h"
#include "table_input.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

static mumloc_status merge_step(const mumloc_table *in, const void *options, mumloc_table **out,
                                mumloc_progress_fn progress, void *user) {
    return mumloc_merge_blinks(in, options, out, progress, user);
}

int cmd_merge_blinks(int argc, char **argv) {
    mumloc_blink_merge_options o;
    mumloc_blink_merge_options_default(&o);
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
        CLI_TABLE_COMMAND_OPTIONS(pixel_nm, threads, quiet),
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
    mumloc_status s = mumloc_blink_merge_options_validate(&o);
    if (s == MUMLOC_OK) s = mumloc_set_threads(threads);
    if (s != MUMLOC_OK) return cli_library_error("merge-blinks", s);

    int64_t before = 0, after = 0;
    double seconds = 0;
    rc = cli_run_table_step("merge-blinks", in_path, pixel_nm, quiet, merge_step, &o, out_path, &before,
                            &after, &seconds);
    if (rc == CLI_EXIT_OK)
        printf("mumloc merge-blinks: %" PRId64 " localizations -> %" PRId64 " molecules (%.2f "
               "localizations each), %.2f s; wrote %s\n",
               before, after, after > 0 ? (double)before / (double)after : 0.0, seconds, out_path);
    return rc;
}
