/* --device, shared by train, bench and localize: an unusable explicit CUDA device is an error before
 * any work starts; auto falls back to the CPU and the command reports why (cli_device's caller). */
#include "cli.h"
#include "mumloc.h"
#include "options.h"

#include <stdio.h>

int cli_device(const char *command, const char *text, mumloc_device *device,
               mumloc_device_choice *choice) {
    if (mumloc_device_parse(text, device) != MUMLOC_OK) {
        fprintf(stderr, "mumloc %s: --device: %s\n", command, mumloc_last_error());
        return CLI_EXIT_USAGE;
    }
    mumloc_status status = mumloc_device_resolve(*device, choice);
    if (status != MUMLOC_OK) {
        fprintf(stderr, "mumloc %s: --device %s: %s\n", command, text, mumloc_last_error());
        return CLI_EXIT_FAILURE;
    }
    return CLI_PARSE_CONTINUE;
}
