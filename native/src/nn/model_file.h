/*
 * Model files: safetensors (https://github.com/huggingface/safetensors format), readable from Python.
 *
 *   8 bytes   little-endian u64 N: length of the header
 *   N bytes   JSON header, space-padded to a multiple of 8: {"__metadata__": {string: string},
 *             "<tensor>": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}
 *   data      the tensors' bytes (little-endian float32, row-major NCHW = PyTorch's layout)
 *
 * Tensors, per layer i (1-based; the last layer is "head"): blockI.conv.weight, blockI.conv.bias,
 * blockI.bn.weight (γ), blockI.bn.bias (β), blockI.bn.running_mean, blockI.bn.running_var; head.weight,
 * head.bias. Regression's two heads are stored as the one fused head (see network.h for the channel
 * order). With the optimiser state (checkpoints): optimizer.m.<name> and optimizer.v.<name> for every
 * trainable tensor, and the metadata key adam_steps.
 *
 * Metadata written by this module (reserved keys, in this order): format ("mumloc-model"),
 * format_version ("1"), architecture ("regression" | "voxel"), planes, depth_slices, negative_ratio,
 * bn_eps, bn_momentum, parameter_count, [adam_steps], library_version; then the model's own metadata
 * (nn_model_set_meta) in its order. Output is deterministic, so a loaded-then-saved model is
 * byte-identical.
 *
 * Loading reads the header first and the tensors only once it is valid. It fails with
 * MUMLOC_ERR_FORMAT and a precise message naming the file on a truncated file, a foreign file, an
 * unknown format version or architecture, a configuration out of range (bn_eps, ...), more
 * metadata entries or tensors than a model has, a missing, extra, mistyped or misshapen tensor,
 * overlapping, out-of-range or fractional data offsets, and a NaN or infinite value (or a negative
 * running variance) in the data.
 */
#ifndef NN_MODEL_FILE_H
#define NN_MODEL_FILE_H

#include "nn/network.h"
#include "nn/model_file_keys.h"

#define NN_MODEL_FORMAT "mumloc-model"
#define NN_MODEL_FORMAT_VERSION 1

/* Writes atomically (temporary file, then rename). with_optimizer adds Adam's moments and step. */
mumloc_status nn_model_save(nn_model *m, const char *path, int with_optimizer);

/* Reads a model onto backend be. The optimiser state, if present, is restored too. */
mumloc_status nn_model_load(nn_backend *be, const char *path, nn_model **out);

#endif
