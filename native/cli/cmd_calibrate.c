/* `mumloc calibrate`: a bead z-stack to a rig file (mumloc_bead_stack_read, mumloc_calibrate,
 * mumloc_rig_save); prints the library's summary. Camera values may be one number for every camera
 * or one per camera ("100,102,98,101"). */
#include "cli.h"
#include "mumloc.h"
#include "options.h"
#include "table_input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAYOUT_FROM_FILES (-1)

/* Splits "a,b,c" in place into paths[]; returns the count (0 for an empty name). */
static int split_paths(char *list, char **paths, int cap) {
    int n = 0;
    for (char *p = list; p && n < cap;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        if (!*p) return 0;
        paths[n++] = p;
        p = comma ? comma + 1 : NULL;
    }
    return n;
}

/* One value for every camera, or one per camera, into out[cameras]. Returns 0 or prints an error
 * and returns the exit code. */
static int camera_values(const char *option, const char *text, int cameras, double *out) {
    if (!text) return 0;
    double v[MUMLOC_MAX_PLANES];
    int n = 0;
    const char *p = text;
    while (*p) {
        if (n == MUMLOC_MAX_PLANES) break;
        char *end;
        errno = 0;
        v[n] = strtod(p, &end);
        if (end == p || errno || (*end && *end != ',')) {
            fprintf(stderr, "mumloc calibrate: --%s expects a number or one number per camera "
                            "separated by commas, got '%s'\n", option, text);
            return CLI_EXIT_USAGE;
        }
        n++;
        p = *end ? end + 1 : end;
    }
    if (n != 1 && n != cameras) {
        fprintf(stderr, "mumloc calibrate: --%s has %d values for %d cameras; give one value for "
                        "all or one per camera\n", option, n, cameras);
        return CLI_EXIT_USAGE;
    }
    for (int d = 0; d < cameras; d++) out[d] = v[n == 1 ? 0 : d];
    return 0;
}

int cmd_calibrate(int argc, char **argv) {
    cli_choice layout_choices[CLI_MAX_CHOICES], psf_choices[CLI_MAX_CHOICES];
    cli_rig_layout_choices(layout_choices);
    cli_choices_from_names(mumloc_psf_kind_name, psf_choices);
    int psf = MUMLOC_PSF_SPLINE;
    const char *beads = NULL, *out_path = NULL, *report_path = NULL, *optics_path = NULL;
    const char *offset = NULL, *gain = NULL, *em_gain = NULL, *read_noise = NULL;
    double z_step = 0, pixel_nm = 0;
    int layout = LAYOUT_FROM_FILES, min_beads = 5, threads = 0;
    cli_option options[] = {
        {"beads", "STACK", "bead z-stack: one file, or one per camera (a.tif,b.tif,...)",
         CLI_STRING, &beads, NULL, NULL, CLI_REQUIRED, NULL},
        {"z-step", "NM", "stage step between images (negative: the stage moved the other way)",
         CLI_DOUBLE, &z_step, NULL, NULL, CLI_REQUIRED, NULL},
        {"out", "FILE", "rig file to write (JSON)", CLI_STRING, &out_path, NULL, NULL, CLI_REQUIRED,
         NULL},
        {"offset", "ADU", "camera offset (one value, or one per camera: a,b,c,d)", CLI_STRING,
         &offset, NULL, NULL, 0, "0"},
        {"gain", "ADU-per-e", "ADU per photo-electron (one, or one per camera)", CLI_STRING, &gain,
         NULL, NULL, 0, "1"},
        {"em-gain", "G", "EM gain, 1 for sCMOS (one, or one per camera)", CLI_STRING, &em_gain,
         NULL, NULL, 0, "1"},
        {"read-noise", "E", "read noise in electrons (one, or one per camera)", CLI_STRING,
         &read_noise, NULL, NULL, 0, "3"},
        {"layout", NULL, "how the stack holds the cameras", CLI_CHOICE, &layout, NULL,
         layout_choices, 0, "hyperstack; files when --beads lists several"},
        {"report", "FILE", "write the report PNG (widths vs z, registration residuals, drift)",
         CLI_STRING, &report_path, NULL, NULL, 0, "none"},
        {"pixel-size", "NM", "camera 1's pixel in the sample", CLI_DOUBLE, &pixel_nm, NULL, NULL, 0,
         "the optics' pixel_nm, 192"},
        {"optics", "FILE", "optics JSON: pixel_nm, psf_amplitude, PSF starting values", CLI_STRING,
         &optics_path, NULL, NULL, 0, "defaults"},
        {"psf", NULL, "PSF model of the rig's fits: spline (measured per plane from the beads, "
         "written beside --out as NAME.psf.safetensors) or gaussian (the width curves)",
         CLI_CHOICE, &psf, NULL, psf_choices, 0, NULL},
        {"min-beads", "N", "beads every camera must share with camera 1", CLI_INT, &min_beads,
         NULL, NULL, 0, NULL},
        {"threads", "T", "threads; 0 = all cores", CLI_INT, &threads, NULL, NULL, 0, NULL},
        {NULL, NULL, NULL, CLI_FLAG, NULL, NULL, NULL, 0, NULL},
    };
    const cli_command_spec spec = {
        "calibrate",
        "Calibrate a multifocal rig from a bead z-stack (the stage stepped through every plane's\n"
        "focus): registers every camera onto camera 1 (flips, quarter turns and an affine map),\n"
        "fits each plane's focal depth, PSF width curve and transmission, and writes the rig file.",
        options, NULL,
        "Layouts: hyperstack (one file, C = cameras, Z = stage steps), files (--beads a.tif,b.tif,..,\n"
        "one Z stack per camera in its own pixel frame), tiles2x2 / tiles1x4 / tiles4x1 (one chip,\n"
        "camera 1 top-left / leftmost / on top). Image i shows the beads at depth z_b + i * z-step;\n"
        "each bead's z_b is fitted, plane 1's focus is 200 nm by convention.\n"
        "Exit codes: 0 success, 1 run-time failure, 2 usage error or unusable bead stack.\n"};
    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;

    char *list = strdup(beads);
    char *paths[MUMLOC_MAX_PLANES + 1];
    int count = list ? split_paths(list, paths, MUMLOC_MAX_PLANES + 1) : 0;
    if (count == 0 || count > MUMLOC_MAX_PLANES) {
        fprintf(stderr, "mumloc calibrate: --beads expects one file or 2 to %d files separated by "
                        "commas, got '%s'\n", MUMLOC_MAX_PLANES, beads);
        free(list);
        return CLI_EXIT_USAGE;
    }
    if (layout == LAYOUT_FROM_FILES) layout = count > 1 ? MUMLOC_RIG_FILES : MUMLOC_RIG_HYPERSTACK;

    mumloc_file_role files[MUMLOC_MAX_PLANES + 3];
    for (int i = 0; i < count; i++) files[i] = (mumloc_file_role){paths[i], "--beads", 0};
    files[count] = (mumloc_file_role){optics_path, "--optics", 0};
    files[count + 1] = (mumloc_file_role){out_path, "--out", 1};
    files[count + 2] = (mumloc_file_role){report_path, "--report", 1};
    if ((rc = cli_check_files("calibrate", files, count + 3)) != CLI_PARSE_CONTINUE) {
        free(list);
        return rc;
    }
    mumloc_calibrate_options o;
    mumloc_calibrate_options_default(&o);
    o.z_step_nm = z_step;
    o.min_beads = min_beads;
    o.report_path = report_path;
    o.inputs = beads;
    o.psf = (mumloc_psf_kind)psf;
    char psf_path[MUMLOC_RIG_PSF_FILE_MAX] = "";
    mumloc_status s = mumloc_set_threads(threads);
    if (s == MUMLOC_OK && o.psf == MUMLOC_PSF_SPLINE)
        s = mumloc_rig_psf_sidecar_path(out_path, psf_path, sizeof psf_path);
    o.psf_path = psf_path;
    if (s == MUMLOC_OK && optics_path) s = mumloc_optics_load(optics_path, &o.optics);
    if (s == MUMLOC_OK && pixel_nm != 0) o.optics.pixel_nm = pixel_nm;
    mumloc_bead_stack stack;
    memset(&stack, 0, sizeof stack);
    if (s == MUMLOC_OK)
        s = mumloc_bead_stack_read((const char *const *)paths, count, (mumloc_rig_layout)layout,
                                   &stack);
    free(list);
    if (s != MUMLOC_OK) return cli_library_error("calibrate", s);
    if ((rc = camera_values("offset", offset, stack.cameras, o.offset_adu)) ||
        (rc = camera_values("gain", gain, stack.cameras, o.adu_per_electron)) ||
        (rc = camera_values("em-gain", em_gain, stack.cameras, o.em_gain)) ||
        (rc = camera_values("read-noise", read_noise, stack.cameras, o.read_noise_e))) {
        mumloc_bead_stack_free(&stack);
        return rc;
    }
    mumloc_rig *rig = malloc(sizeof *rig);
    mumloc_calibrate_summary *summary = malloc(sizeof *summary);
    if (!rig || !summary) {
        fprintf(stderr, "mumloc calibrate: out of memory\n");
        rc = CLI_EXIT_FAILURE;
    } else {
        s = mumloc_calibrate(&stack, &o, rig, summary);
        if (s == MUMLOC_OK) s = mumloc_rig_save(out_path, rig);
        if (s != MUMLOC_OK) {
            rc = cli_library_error("calibrate", s);
        } else {
            fputs(summary->text, stdout);
            printf("wrote %s%s%s%s%s\n", out_path, o.psf == MUMLOC_PSF_SPLINE ? ", " : "",
                   o.psf == MUMLOC_PSF_SPLINE ? psf_path : "", report_path ? " and " : "",
                   report_path ? report_path : "");
            rc = CLI_EXIT_OK;
        }
    }
    free(rig);
    free(summary);
    mumloc_bead_stack_free(&stack);
    return rc;
}
