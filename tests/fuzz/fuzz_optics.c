/* Fuzzes optics files (mumloc_optics_load's reader, in memory: the JSON parser and the optics
 * reader) and the JSON module under them.
 * Round trips:
 *   - any document the parser accepts: write → parse → write gives the same bytes;
 *   - optics the reader accepts: the pretty text mumloc_optics_save writes reads back (every field
 *     present) and writes the same bytes again. */
#include "fuzz_common.h"
#include "io/json.h"
#include "optics/optics_json.h"
#include "io/text_buffer.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    fuzz_init_library();
    return 0;
}

static void json_round_trip(const json_value *doc) {
    text_buffer first = {0}, second = {0};
    json_write(&first, doc);
    FUZZ_ASSERT(text_status(&first) == MUMLOC_OK, "writing the document failed");
    json_value *again = NULL;
    mumloc_status s = json_parse(first.data, first.len, "written", &again);
    FUZZ_ASSERT(s == MUMLOC_OK, "the JSON writer's text does not parse: %s", first.data);
    json_write(&second, again);
    FUZZ_ASSERT(first.len == second.len && memcmp(first.data, second.data, first.len) == 0,
                "JSON write -> parse -> write changed\n  %s\n  into\n  %s", first.data, second.data);
    json_free(again);
    text_free(&first);
    text_free(&second);
}

static void pretty_optics(const mumloc_optics *optics, text_buffer *out) {
    optics_write_json(out, optics, 1);
    FUZZ_ASSERT(text_status(out) == MUMLOC_OK, "writing optics failed");
}

static void optics_round_trip(const mumloc_optics *optics) {
    text_buffer first = {0}, second = {0};
    pretty_optics(optics, &first);
    json_value *doc = NULL;
    FUZZ_ASSERT(json_parse(first.data, first.len, "written", &doc) == MUMLOC_OK,
                "written optics do not parse: %s", first.data);
    mumloc_optics again;
    mumloc_optics_default(&again);
    FUZZ_ASSERT(optics_from_json(doc, "written", 1, &again) == MUMLOC_OK,
                "written optics do not read back: %s", first.data);
    pretty_optics(&again, &second);
    FUZZ_ASSERT(first.len == second.len && memcmp(first.data, second.data, first.len) == 0,
                "optics write -> read -> write changed\n%s\ninto\n%s", first.data, second.data);
    json_free(doc);
    text_free(&first);
    text_free(&second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    json_value *doc = NULL;
    if (json_parse((const char *)data, size, "fuzz input", &doc) != MUMLOC_OK) return 0;
    json_round_trip(doc);
    mumloc_optics optics;
    mumloc_optics_default(&optics); /* as mumloc_optics_load: missing fields keep the defaults */
    if (optics_from_json(doc, "fuzz input", 0, &optics) == MUMLOC_OK) {
        FUZZ_ASSERT(mumloc_optics_validate(&optics) == MUMLOC_OK, "accepted optics do not validate");
        optics_round_trip(&optics);
    }
    json_free(doc);
    return 0;
}
