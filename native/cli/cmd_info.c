/* `mumloc info MODEL`: what a model file says about itself (architecture, parameter count, optics,
 * normalisation, training recipe, validation metrics), as text or JSON. */
#include "cli.h"
#include "mumloc.h"
#include "options.h"

#include <stdio.h>

int cmd_info(int argc, char **argv) {
    const char *path = NULL;
    int json = 0;
    cli_option options[] = {
        {"json", NULL, "print one JSON object instead of key: value lines", CLI_FLAG, &json, NULL,
         NULL, 0, NULL},
        {NULL, NULL, NULL, CLI_FLAG, NULL, NULL, NULL, 0, NULL},
    };
    cli_positional positionals[] = {
        {"MODEL", "model file (safetensors, written by mumloc train)", &path, CLI_REQUIRED},
        {NULL, NULL, NULL, 0},
    };
    const cli_command_spec spec = {"info", "Prints a model file's metadata, including its parameter count.",
                                   options, positionals,
                                   "Exit codes: 0 success, 1 unreadable or invalid model, 2 usage error.\n"};
    int rc = cli_parse(&spec, argc, argv);
    if (rc != CLI_PARSE_CONTINUE) return rc;
    const mumloc_file_role files[] = {{path, "MODEL", 0}};
    if ((rc = cli_check_files("info", files, 1)) != CLI_PARSE_CONTINUE) return rc;
    mumloc_model *model = NULL;
    if (mumloc_model_load(path, &model) != MUMLOC_OK) {
        fprintf(stderr, "mumloc info: %s\n", mumloc_last_error());
        return CLI_EXIT_FAILURE;
    }
    if (json) printf("%s\n", mumloc_model_info_json(model));
    else printf("%s", mumloc_model_info_text(model));
    mumloc_model_destroy(model);
    return CLI_EXIT_OK;
}
