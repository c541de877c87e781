/* The metadata keys the model file format reserves (model_file_keys.h). */
#include "nn/model_file_keys.h"

#include <string.h>

static const char *const reserved[] = {"format",       "format_version", "architecture",
                                       "planes",       "depth_slices",   "negative_ratio",
                                       "bn_eps",       "bn_momentum",    "parameter_count",
                                       "adam_steps",   "library_version"};

_Static_assert(sizeof reserved / sizeof reserved[0] == NN_FILE_RESERVED_KEYS, "NN_FILE_RESERVED_KEYS");

int nn_model_file_reserved_key(const char *key) {
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(key, reserved[i]) == 0) return 1;
    return 0;
}
