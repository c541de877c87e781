/* Table input and library errors for the post-processing commands (see table_input.h). */
#include "table_input.h"

#include <stdio.h>

#include "cli.h"

int cli_library_error(const char *command, mumloc_status status) {
    if (status == MUMLOC_ERR_CANCELLED) {
        fprintf(stderr, "mumloc %s: interrupted; no files written\n", command);
        return CLI_EXIT_CANCELLED;
    }
    fprintf(stderr, "mumloc %s: %s\n", command, mumloc_last_error());
    return status == MUMLOC_ERR_INVALID_ARGUMENT ? CLI_EXIT_USAGE : CLI_EXIT_FAILURE;
}

int cli_read_table(const char *command, const char *path, double pixel_nm, mumloc_table **out) {
    *out = NULL;
    if (!(pixel_nm >= 0)) {
        fprintf(stderr, "mumloc %s: --pixel-size must be > 0 nm\n", command);
        return CLI_EXIT_USAGE;
    }
    mumloc_status s = mumloc_table_read_csv(path, NULL, out);
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
