/* Fuzzes the simulation-parameter record (mumloc_sim_params_from_json: a movie's "mumloc={...}"
 * record, a model's "training"."simulation").
 * Round trip: parameters the reader accepts write a record that reads back to parameters that
 * write the same record again. */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    fuzz_init_library();
    return 0;
}

/* The record of p, malloc'ed. */
static char *record_of(const mumloc_sim_params *p) {
    size_t needed = 0;
    mumloc_sim_params_to_json(p, NULL, 0, &needed);
    FUZZ_ASSERT(needed > 0, "accepted parameters have no record");
    char *text = malloc(needed);
    FUZZ_ASSERT(text && mumloc_sim_params_to_json(p, text, needed, NULL) == MUMLOC_OK,
                "accepted parameters cannot be written");
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fuzz_string(data, size);
    mumloc_sim_params params;
    mumloc_sim_params_default(&params);
    mumloc_sim_params untouched = params;
    if (mumloc_sim_params_from_json(text, &params) == MUMLOC_OK) {
        char *first = record_of(&params);
        mumloc_sim_params again;
        FUZZ_ASSERT(mumloc_sim_params_from_json(first, &again) == MUMLOC_OK,
                    "the written record does not read back: %s", first);
        char *second = record_of(&again);
        FUZZ_ASSERT(strcmp(first, second) == 0, "record write -> read -> write changed\n  %s\n  into\n  %s",
                    first, second);
        free(first);
        free(second);
    } else {
        FUZZ_ASSERT(memcmp(&params, &untouched, sizeof params) == 0,
                    "a refused record changed the parameters");
    }
    free(text);
    return 0;
}
