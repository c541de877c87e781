/* The metadata keys the model file format writes itself (model_file.h lists them in order): saving
 * writes them, loading and nn_model_set_meta keep a model's own metadata off them. Below both the
 * engine model and its file, so neither depends on the other for it. */
#ifndef NN_MODEL_FILE_KEYS_H
#define NN_MODEL_FILE_KEYS_H

#define NN_FILE_RESERVED_KEYS 11

/* Non-zero for metadata keys the model file writes itself. */
int nn_model_file_reserved_key(const char *key);

#endif
