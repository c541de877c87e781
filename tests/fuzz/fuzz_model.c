/* Fuzzes model files (mumloc_model_load: safetensors with mumloc's metadata).
 *
 * A model's tensors make it megabytes long, too long to mutate usefully, so the first input byte
 * picks what the rest is:
 *   'H'  the safetensors header (the JSON): the harness frames it as a file, 8-byte length, header,
 *        then a data section as long as the largest end of its "data_offsets" (at most MAX_DATA
 *        bytes) filled with small weights; seeds are real models' headers, so loads succeed;
 *   else the whole file, byte for byte (truncations, foreign files, broken lengths).
 * Round trip: a model that loads saves, loads again and saves the same bytes. */
#include <math.h>

#include "fuzz_common.h"
#include "io/json.h"

enum { MAX_DATA = 64 << 20 };

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    fuzz_init_library();
    return 0;
}

/* The data section length a header asks for: the largest "data_offsets" end, within MAX_DATA. */
static size_t data_length(const uint8_t *header, size_t len) {
    json_value *doc = NULL;
    if (json_parse((const char *)header, len, "header", &doc) != MUMLOC_OK) return 0;
    double longest = 0;
    for (size_t i = 0; doc->type == JSON_OBJECT && i < doc->count; i++) {
        const json_value *offsets = json_get(&doc->items[i], "data_offsets");
        if (doc->items[i].type != JSON_OBJECT || !offsets ||
            offsets->type != JSON_ARRAY || offsets->count != 2 ||
            offsets->items[1].type != JSON_NUMBER)
            continue;
        double end = offsets->items[1].number;
        if (end > longest && end <= MAX_DATA) longest = end;
    }
    json_free(doc);
    return (size_t)longest;
}

static void write_framed(const char *path, const uint8_t *header, size_t len) {
    size_t data = data_length(header, len);
    unsigned char *file = malloc(8 + len + data);
    FUZZ_ASSERT(file, "out of memory for a %zu-byte model", 8 + len + data);
    for (int i = 0; i < 8; i++) file[i] = (unsigned char)((uint64_t)len >> (8 * i));
    if (len) memcpy(file + 8, header, len);
    for (size_t k = 0; k + 4 <= data; k += 4) { /* little-endian floats in [-0.125, 0.125) */
        float w = (float)((int)((k / 4) % 251) - 125) / 1000.0f;
        memcpy(file + 8 + len + k, &w, 4);
    }
    for (size_t k = data & ~(size_t)3; k < data; k++) file[8 + len + k] = 0;
    fuzz_write_file(path, file, 8 + len + data);
    free(file);
}

static void save(mumloc_model *model, const char *path) {
    FUZZ_ASSERT(mumloc_model_save(model, path) == MUMLOC_OK, "a loaded model cannot be saved");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    const char *in = fuzz_path(0, "in.safetensors"), *first = fuzz_path(1, "first.safetensors"),
               *second = fuzz_path(2, "second.safetensors");
    if (data[0] == 'H') write_framed(in, data + 1, size - 1);
    else fuzz_write_file(in, data + 1, size - 1);
    mumloc_model *model = NULL;
    if (mumloc_model_load(in, &model) != MUMLOC_OK) return 0;
    FUZZ_ASSERT(mumloc_model_info_json(model) && mumloc_model_info_text(model),
                "a loaded model has no description");
    save(model, first);
    mumloc_model *again = NULL;
    FUZZ_ASSERT(mumloc_model_load(first, &again) == MUMLOC_OK, "a saved model does not load");
    save(again, second);
    fuzz_assert_same_files(first, second, "model save -> load -> save");
    mumloc_model_destroy(again);
    mumloc_model_destroy(model);
    return 0;
}
