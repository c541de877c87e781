/* What saving (model_file.c) and loading (model_file_load.c) a model file share: the tensors of a
 * model in file order and the number of metadata keys the file format reserves (model_file_keys.h). */
#ifndef NN_MODEL_FILE_LAYOUT_H
#define NN_MODEL_FILE_LAYOUT_H

#include "nn/network.h"
#include "nn/model_file_keys.h"

#define NN_FILE_MAX_ENTRIES (3 * NN_MAX_PARAMS + 2 * NN_MAX_LAYERS)

typedef struct nn_file_entry {
    char name[96];
    nn_shape shape;
    int rank; /* 1 for vectors, 4 for weights */
    nn_tensor *tensor;
} nn_file_entry;

/* The tensors of a model in file order (at most NN_FILE_MAX_ENTRIES); optimiser moments only if
 * with_optimizer. Returns their count. */
int nn_model_file_entries(const nn_model *m, int with_optimizer, nn_file_entry *e);

/* Model files are little-endian float32: both directions need such a host. */
int nn_host_is_little_endian(void);

#endif
