/* `mumloc filter`: keeps the rows of a table that satisfy a condition on their columns and/or have
 * enough neighbours (mumloc_filter_table). Option names only; the language is the library's. */
#include "cli.h"
#include "mumloc.h"
#include "options.h"
#include "table_input.h"

#include <inttypes.h>
#include <stdio.h>

static mumloc_status filter_step(const mumloc_table *in, const void *options, mumloc_table **out,
                                 mumloc_progress_fn progress, void *user) {
    return mumloc_filter_table(in, options, out, progress, user);
}

int cmd_filter(int argc, char **argv) {
    mumloc_filter_options o;
    mumloc_filter_options_default(&o);
    const char *in_path = NULL, *out_path = NULL;
    double pixel_nm = 0;
    int threads = 0, quiet = 0;
    cli_option options[] = {
        {"in", "FILE", "localization table (ThunderSTORM CSV)", CLI_STRING, &in_path, NULL, NULL,
         CLI_REQUIRED, NULL},
        {"out", "FILE", "filtered table (CSV)", CLI_STRING, &out_path, NULL, NULL, CLI_REQUIRED, NULL},
        {"expr", "TEXT", "condition on the columns, e.g. \"intensity > 500 & uncertainty_xy < 20\"",
         CLI_STRING, &o.expression, NULL, NULL, 0, "none"},
        {"density-radius", "NM", "density filter: radius of the neighbourhood", CLI_DOUBLE,
         &o.density_radius_nm, NULL, NULL, 0, "off"},
        {"density-min", "N", "density filter: neighbours needed within the radius", CLI_INT,
         &o.density_min_neighbors, NULL, NULL, 0, "off"},
        {"density-3d", NULL, "density filter: 3D distance (default: lateral)", CLI_FLAG,
         &o.density_use_z, NULL, NULL, 0, NULL},
        CLI_TABLE_COMMAND_OPTIONS(pixel_nm, threads, quiet),
    };
    const cli_command_spec spec = {
        "filter",
        "Keeps the localizations that satisfy a condition on their columns (ThunderSTORM's filter\n"
        "expressions) and/or have at least N neighbours within a radius.",
        options, NULL,
        "Expressions: column names without units (x, y, z, intensity, uncertainty_xy, frame, ...),\n"
        "numbers, + - * / ^, comparisons < <= > >= = != , logic & | ! (or and, or, not),\n"
        "parentheses and abs sqrt exp log log10 floor ceil round min max. A row with NaN in a\n"
        "compared column is dropped. Density neighbours are counted among the rows the expression\n"
        "kept (distance <= radius).\n"
        "Exit codes: 0 success, 1 run-time failure, 2 usage error, 130 interrupted.\n"};
    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    if (!o.expression && o.density_radius_nm == 0 && o.density_min_neighbors == 0) {
        fprintf(stderr, "mumloc filter: give --expr and/or --density-radius with --density-min\n");
        return CLI_EXIT_USAGE;
    }
    mumloc_status s = mumloc_filter_validate(&o, NULL); /* syntax before reading the table */
    if (s == MUMLOC_OK) s = mumloc_set_threads(threads);
    if (s != MUMLOC_OK) return cli_library_error("filter", s);

    int64_t before = 0, after = 0;
    double seconds = 0;
    rc = cli_run_table_step("filter", in_path, pixel_nm, quiet, filter_step, &o, out_path, &before,
                            &after, &seconds);
    if (rc == CLI_EXIT_OK)
        printf("mumloc filter: kept %" PRId64 " of %" PRId64 " localizations (%.1f%%), %.2f s; wrote %s\n",
               after, before, before > 0 ? 100.0 * (double)after / (double)before : 0.0, seconds, out_path);
    return rc;
}
