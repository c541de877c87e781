/* `mumloc render`: maps command-line options onto mumloc_render_params and renders a localization
 * table to an image (and optionally a z-stack) through mumloc_render_file. Ranges are the library's
 * to check; this file only knows option names. */
#include "cli.h"
#include "mumloc.h"
#include "options.h"
#include "progress.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_choice on_off_choices[] = {{"on", 1}, {"off", 0}, {NULL, 0}};

static int library_error(mumloc_status status) {
    const char *message = mumloc_last_error();
    if (strncmp(message, "render: ", 8) == 0) message += 8; /* the line already says so */
    fprintf(stderr, "mumloc render: %s\n", message);
    return status == MUMLOC_ERR_INVALID_ARGUMENT ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}

/* "W" or "WxH" in nm (decimals allowed); syntax only, the library checks the range. */
static int parse_field(const char *text, double *width, double *height) {
    char *end;
    *width = strtod(text, &end);
    if (end == text) return 0;
    if (*end == '\0') {
        *height = *width;
        return 1;
    }
    if (*end != 'x' && *end != 'X') return 0;
    const char *rest = end + 1;
    *height = strtod(rest, &end);
    return end != rest && *end == '\0';
}

static void print_summary(const mumloc_render_info *info, double seconds, const char *image,
                          const char *zstack) {
    char pixel[64];
    mumloc_format_number(info->pixel_nm, pixel, sizeof pixel);
    double rate = seconds > 0 ? (double)(info->rendered + info->outside) / seconds : 0.0;
    printf("mumloc render: %" PRId64 " localizations (%" PRId64 " outside the field) in %dx%d "
           "pixels of %s nm, %.2f s (%.0f rows/s); wrote %s%s%s\n",
           info->rendered, info->outside, info->width, info->height, pixel, seconds, rate, image,
           zstack ? ", " : "", zstack ? zstack : "");
}

int cmd_render(int argc, char **argv) {
    cli_choice method_choices[CLI_MAX_CHOICES], colormap_choices[CLI_MAX_CHOICES];
    cli_choices_from_names(mumloc_render_method_name, method_choices);
    cli_choices_from_names(mumloc_colormap_name, colormap_choices);
    mumloc_render_params params;
    mumloc_render_params_default(&params);
    const char *table_path = NULL, *image_path = NULL, *zstack_path = NULL, *field = NULL;
    int method = (int)params.method, threads = 0, quiet = 0;

    int colormap = (int)params.colormap;

    cli_option options[] = {
        {"in", "FILE", "localization table (ThunderSTORM CSV with x, y, z in nm)", CLI_STRING,
         &table_path, NULL, NULL, CLI_REQUIRED, NULL},
        {"out", "FILE", "image: .png (RGB, colour bar) or .tif (float density + RGB)", CLI_STRING,
         &image_path, NULL, NULL, CLI_REQUIRED, NULL},
        {"pixel", "NM", "rendering pixel size", CLI_DOUBLE, &params.pixel_nm, NULL, NULL, 0, NULL},
        {"method", NULL, "how each localization is drawn", CLI_CHOICE, &method, NULL,
         method_choices, 0, NULL},
        {"sigma", "NM", "gaussian: fixed sigma; 0 = the table's uncertainty_xy", CLI_DOUBLE,
         &params.sigma_nm, NULL, NULL, 0, NULL},
        {"sigma-min", "NM", "gaussian: sigma is clamped to [min, max]", CLI_DOUBLE,
         &params.sigma_min_nm, NULL, NULL, 0, NULL},
        {"sigma-max", "NM", "gaussian: upper clamp of sigma", CLI_DOUBLE, &params.sigma_max_nm,
         NULL, NULL, 0, NULL},
        {"ash-shifts", "N", "ash: N x N shifted histograms", CLI_INT, &params.ash_shifts, NULL,
         NULL, 0, NULL},
        {"field", "W[xH]", "field size in nm (origin at 0, 0)", CLI_STRING, &field, NULL, NULL, 0,
         "the data's extent"},
        {"z-min", "NM", "depth of the colour map's first colour", CLI_DOUBLE, &params.z_min_nm,
         NULL, NULL, 0, NULL},
        {"z-max", "NM", "depth of the colour map's last colour", CLI_DOUBLE, &params.z_max_nm,
         NULL, NULL, 0, NULL},
        {"z-from-data", NULL, "z range = the table's min and max z", CLI_FLAG, &params.z_from_data,
         NULL, NULL, 0, NULL},
        {"colormap", NULL, "colour map for depth", CLI_CHOICE, &colormap, NULL, colormap_choices,
         0, NULL},
        {"colorbar", NULL, "colour bar with the z scale right of the PNG image", CLI_CHOICE,
         &params.colorbar, NULL, on_off_choices, 0, NULL},
        {"saturate", "PERCENT", "brightness saturates at this percentile of pixel densities",
         CLI_DOUBLE, &params.saturation_percentile, NULL, NULL, 0, NULL},
        {"saturate-at", "DENSITY", "if > 0: saturate at this density (localizations/pixel)",
         CLI_DOUBLE, &params.saturation_density, NULL, NULL, 0, NULL},
        {"zstack", "FILE", "also write a z-stack TIFF (one density slice per z bin)", CLI_STRING,
         &zstack_path, NULL, NULL, 0, "none"},
        {"z-bin", "NM", "z-stack slice thickness", CLI_DOUBLE, &params.z_bin_nm, NULL, NULL, 0,
         NULL},
        {"threads", "T", "threads; 0 = all cores", CLI_INT, &threads, NULL, NULL, 0, NULL},
        {"quiet", NULL, "no progress lines", CLI_FLAG, &quiet, NULL, NULL, 0, NULL},
        {NULL, NULL, NULL, CLI_FLAG, NULL, NULL, NULL, 0, NULL},
    };
    const cli_command_spec spec = {
        "render",
        "Renders a localization table as a 2D super-resolution image with depth encoded by colour\n"
        "(pixel colour = mean colour of its localizations, brightness = density).",
        options, NULL,
        "Pixel (i, j) covers [i*p, (i+1)*p) x [j*p, (j+1)*p) nm: a localization on a border goes to\n"
        "the pixel right of / below it. Without --field the field is floor(max / p) + 1 pixels\n"
        "each way, found in a first pass over the table. Localizations outside it are left out.\n"
        "Exit codes: 0 success, 1 run-time failure, 2 usage error, 130 interrupted (no partial\n"
        "files are left behind).\n"};

    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    params.method = (mumloc_render_method)method;
    params.colormap = (mumloc_colormap)colormap;
    if (field && !parse_field(field, &params.field_width_nm, &params.field_height_nm)) {
        fprintf(stderr, "mumloc render: --field expects W or WxH in nm (e.g. 12288 or "
                        "12288x6144), got '%s'\n", field);
        return CLI_EXIT_USAGE;
    }
    if (zstack_path) params.zstack = 1;
    const mumloc_file_role files[] = {{table_path, "--in", 0}, {image_path, "--out", 1},
                                      {zstack_path, "--zstack", 1}};
    if ((rc = cli_check_files("render", files, 3)) != CLI_PARSE_CONTINUE) return rc;

    mumloc_status status;
    if ((status = mumloc_set_threads(threads)) != MUMLOC_OK) return library_error(status);
    if ((status = mumloc_render_params_validate(&params)) != MUMLOC_OK)
        return library_error(status);

    cli_progress progress;
    cli_progress_init(&progress, "render", quiet);
    cli_cancel_on_interrupt();
    double start = cli_seconds_now();
    mumloc_render_info info;
    status = mumloc_render_file(&params, table_path, image_path, zstack_path, &info,
                                cli_progress_report, &progress);
    double seconds = cli_seconds_now() - start;
    cli_interrupt_default();

    if (status == MUMLOC_ERR_CANCELLED) {
        fprintf(stderr, "mumloc render: interrupted; no files written\n");
        return CLI_EXIT_CANCELLED;
    }
    if (status != MUMLOC_OK) return library_error(status);
    print_summary(&info, seconds, image_path, zstack_path);
    return CLI_EXIT_OK;
}
