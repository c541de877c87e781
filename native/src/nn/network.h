/*
 * The two published networks (science.md §4), built from nn/layer.h on any backend.
 *
 *   regression (2020): k×H×W → 4k×H×W. Seven conv→BN→ReLU blocks (k→16→32→64→128→64→32→16; 5×5, 5×5,
 *     then 3×3), then the two sigmoid heads, executed as ONE 3×3 convolution 16→4k with sigmoid:
 *     output channels 0..k−1 are the probabilities c per plane, channel k + 3·plane + axis the offset
 *     ζ (axis 0 = x, 1 = y, 2 = z). Mathematically identical to two separate heads (16→k, 16→3k);
 *     the parameter count is the same (206,704 for k = 4), and a model file may store the heads
 *     split. The regression loss (backend.h) reads this channel order.
 *   voxel (2021): k×H×W → D×8H×8W. conv 5×5 k→64, three transposed convs (64→128→64→128, ×2 each),
 *     all with BN→ReLU, then conv 3×3 128→D with sigmoid (no BN). 265,632 parameters for k = 4,
 *     D = 32.
 *
 * Planes k and depth slices D are configuration, not constants. Parameters are initialised as
 * PyTorch does (uniform ±1/sqrt(fan_in) for weights and biases, γ = 1, β = 0, running mean 0,
 * variance 1), from a seed, so a model is reproducible.
 */
#ifndef NN_NETWORK_H
#define NN_NETWORK_H

#include "nn/layer.h"

typedef enum nn_arch { NN_ARCH_REGRESSION = 0, NN_ARCH_VOXEL = 1 } nn_arch;

typedef struct nn_model_config {
    nn_arch arch;
    int planes;          /* k input planes (default 4) */
    int depth_slices;    /* voxel: output depth slices D (default 32); ignored by regression */
    float negative_ratio;/* regression loss: hard negatives per positive (default 3) */
    float bn_eps, bn_momentum; /* 1e-5, 0.1 */
    uint64_t seed;       /* initialisation */
} nn_model_config;

void nn_model_config_default(nn_model_config *cfg, nn_arch arch);

/* Free-form metadata the caller attaches to a model (optics, input normalisation, training recipe,
 * validation metrics, ...): string pairs kept in insertion order and saved in the model file. */
#define NN_MAX_META 64
typedef struct nn_meta {
    int count;
    char *keys[NN_MAX_META];
    char *values[NN_MAX_META];
} nn_meta;

#define NN_MAX_LAYERS 8
#define NN_MAX_PARAMS (4 * NN_MAX_LAYERS)

typedef struct nn_model {
    nn_backend *be; /* not owned */
    nn_model_config cfg;
    int layer_count;
    nn_layer layers[NN_MAX_LAYERS];
    int param_count;
    nn_param params[NN_MAX_PARAMS];
    int64_t adam_steps;
    uint64_t stamp;       /* changes whenever parameters or running statistics change */
    int backward_ready;   /* the last forward was a training forward (its activations are kept) */
    nn_tensor *input;     /* model-owned input buffer (nn_model_input) */
    nn_tensor *loss_grad; /* ∂L/∂output, written by nn_model_loss */
    nn_meta meta;
    nn_precision precision; /* arithmetic of NN_MODE_INFER forwards (FP32 unless set) */
} nn_model;

mumloc_status nn_model_create(nn_backend *be, const nn_model_config *cfg, nn_model **out);
/* The checks nn_model_create makes: MUMLOC_ERR_INVALID_ARGUMENT naming the first field out of range. */
mumloc_status nn_model_config_check(const nn_model_config *cfg);
void nn_model_destroy(nn_model *m);

/* Trainable parameters (weights, biases, BN γ and β; not the running statistics). */
int64_t nn_model_parameter_count(const nn_model *m);
nn_shape nn_model_output_shape(const nn_model *m, nn_shape input);
/* Multiply-accumulates of one forward pass per frame of h×w pixels. */
double nn_model_macs(const nn_model *m, int h, int w);

/* A model-owned input tensor of n frames of h×w (k planes): upload frames into it, then forward. */
mumloc_status nn_model_input(nn_model *m, int n, int h, int w, nn_tensor **input);

/* Forward pass; *output is model-owned and valid until the next forward. */
mumloc_status nn_model_forward(nn_model *m, const nn_tensor *input, nn_mode mode,
                               const nn_tensor **output);

/* Loss of the last forward's output against target (same shape, NCHW meaning as the output: voxel
 * occupancy 0/1, or regression c and ζ targets), and ∂L/∂output for nn_model_backward. */
mumloc_status nn_model_loss(nn_model *m, const nn_tensor *target, double *loss);

/* Backward after a training forward; dout = ∂L/∂output (NULL: the one nn_model_loss wrote). */
mumloc_status nn_model_backward(nn_model *m, const nn_tensor *input, const nn_tensor *dout);

/* One Adam step on every parameter with the gradients of the last backward. */
mumloc_status nn_model_adam_step(nn_model *m, const nn_adam_hyper *hyper);

/* The arithmetic of inference forwards (NN_MODE_INFER; training and evaluation stay fp32): fails,
 * changing nothing, where the backend does not run it (nn_backend_precision_check's message). */
mumloc_status nn_model_set_precision(nn_model *m, nn_precision precision);

/* Marks parameters as changed from outside (e.g. after uploading loaded weights). */
void nn_model_touch(nn_model *m);

/* Metadata: set (replaces an existing key, keeping its position) and get (NULL if absent). Keys the
 * model file writes itself (nn_model_file_reserved_key) are refused. */
mumloc_status nn_model_set_meta(nn_model *m, const char *key, const char *value);
const char *nn_model_get_meta(const nn_model *m, const char *key);
/* Removes a key (nothing if absent), keeping the order of the others. */
void nn_model_remove_meta(nn_model *m, const char *key);

/* Creates the moments of Adam (zero) and the gradients if they do not exist yet. */
mumloc_status nn_model_ensure_training_state(nn_model *m);

#endif
