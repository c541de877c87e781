/* The optics recorded in a movie's description (mumloc_optics_from_description in mumloc.h): the
 * "mumloc={...}" line that mumloc_simulate_to_files writes, read with the one description scanner
 * (tiff_read.c), JSON parser and optics reader (optics_file.c) that files use. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/json.h"
#include "optics/optics_json.h"
#include "io/tiff_read.h"

/* The record's "optics" object read strictly (every field, as the writer writes them): a partial
 * object is not mumloc's record, so it would say nothing reliable about the movie. */
static int record_optics(const json_value *record, mumloc_optics *optics) {
    if (record->type != JSON_OBJECT) return 0;
    const json_value *o = json_get(record, "optics");
    if (!o) return 0;
    mumloc_optics read;
    mumloc_optics_default(&read);
    if (optics_from_json(o, "movie description", 1, &read) != MUMLOC_OK) return 0;
    *optics = read;
    return 1;
}

mumloc_status mumloc_optics_from_description(const char *description, int *found,
                                             mumloc_optics *optics) {
    if (!found || !optics)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "mumloc_optics_from_description needs found and optics");
    *found = 0;
    if (!description) return MUMLOC_OK;
    /* The value is a line of the description, so the description's length bounds it. */
    size_t cap = strlen(description) + 1;
    char *value = malloc(cap);
    if (!value)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading a movie description");
    if (tiff_description_value(description, "mumloc", value, cap)) {
        json_value *record = NULL;
        if (json_parse(value, strlen(value), "movie description", &record) == MUMLOC_OK) {
            *found = record_optics(record, optics);
            json_free(record);
        }
    }
    free(value);
    return MUMLOC_OK;
}
