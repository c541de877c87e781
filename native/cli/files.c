/* The files of a command, checked before any work (mumloc_check_files): an output that is an input
 * by any name, a folder as --out, a FIFO or device as an input: one line, exit 2, nothing done. */
#include "cli.h"
#include "mumloc.h"
#include "options.h"

#include <stdio.h>

int cli_check_files(const char *command, const mumloc_file_role *files, int count) {
    if (mumloc_check_files(files, count) == MUMLOC_OK) return CLI_PARSE_CONTINUE;
    fprintf(stderr, "mumloc %s: %s\n", command, mumloc_last_error());
    return CLI_EXIT_USAGE;
}
