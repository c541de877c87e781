/*
 * The public model handle (mumloc_model in mumloc.h) around an engine model (nn/network.h): the optics
 * it was made for, the input normalisation, and the metadata the model file carries. Shared by the
 * model/ files and by training (train/), which builds and updates models through these functions.
 *
 * Metadata keys this module owns (all strings, see model_meta.c): "optics" (JSON, io/optics_json.h),
 * "camera" (JSON), "input_background_photons", "input_scale_photons", "voxel_size_nm" ([x, y, z]),
 * "upsampling", "depth_convention", "decode_threshold". Training adds "training" (the recipe, JSON),
 * "train_step" and "validation" (the last validation metrics, JSON).
 */
#ifndef MODEL_MODEL_HANDLE_H
#define MODEL_MODEL_HANDLE_H

#include "backend/backend.h"
#include "io/text_buffer.h"
#include "mumloc.h"
#include "nn/network.h"

struct mumloc_model {
    nn_backend *be;           /* owned */
    nn_model *nn;             /* owned */
    mumloc_optics optics;
    double input_background;  /* photons subtracted before the network */
    double input_scale;       /* then divided by this */
    double threshold;         /* default decoding threshold τ */
    mumloc_device_choice device; /* where be computes, and the sentence of its selection */
    text_buffer info;         /* last info_json / info_text result */
    char sha256[65];          /* SHA-256 of the file it was loaded from; "" when made in memory */
    mumloc_precision precision; /* the last mumloc_model_set_precision request (FP32 at first) */
};

/* Lateral upsampling of the voxel network's output (three stride-2 transposed convolutions). */
#define MODEL_VOXEL_UPSAMPLING 8

/* A new handle around an engine model and its backend (owned from then on, also on failure), marked
 * as computing on the CPU in fp32 until its maker says otherwise (model_handle.c, which also holds
 * mumloc_model_destroy). */
mumloc_status model_handle_wrap(nn_backend *be, nn_model *nn, mumloc_model **out);

/* mumloc_model_create on a device's backend directly (device NULL: the CPU, as mumloc_model_create;
 * choice may be NULL), for training, which computes there from the start. */
mumloc_status model_create_on(mumloc_arch arch, const mumloc_optics *optics,
                              const mumloc_camera *camera, double weight_max, uint64_t seed,
                              const mumloc_device *device, mumloc_device_choice *choice,
                              mumloc_model **out);

/* Wraps an engine model (taking ownership of be and nn) and writes or reads the metadata above:
 * model_adopt_new sets it from the arguments; model_adopt_loaded validates what the file holds. */
mumloc_status model_adopt_new(nn_backend *be, nn_model *nn, const mumloc_optics *optics,
                              const mumloc_camera *camera, double weight_max, mumloc_model **out);
mumloc_status model_adopt_loaded(nn_backend *be, nn_model *nn, const char *path, mumloc_model **out);

/* Points a model at other optics and camera for fine-tuning: weights kept, metadata (optics, camera,
 * input scale for the new optics) rewritten as model_adopt_new would. The plane count must stay the
 * network's. A failure before any change leaves the model as it was; one while writing the metadata
 * (out of memory) leaves it half-changed, to be destroyed. */
mumloc_status model_retarget(mumloc_model *model, const mumloc_optics *optics,
                             const mumloc_camera *camera, double weight_max);


/* Rebuilds the model on backend `to` (owned from then on, also on failure): weights, batch-norm
 * statistics, Adam's state and metadata travel through host memory; the device becomes *choice.
 * On failure the model is unchanged. mumloc_model_set_device's work; tests call it with a second
 * CPU backend to check the copy without a GPU. */
mumloc_status model_move(mumloc_model *model, nn_backend *to, const mumloc_device_choice *choice);

/* Applies the handle's precision request to its engine model on its backend (model_precision.c):
 * AUTO resolves there; an explicit BF16 the backend lacks fails when `strict`, else becomes FP32. */
mumloc_status model_apply_precision(mumloc_model *model, int strict);

/* mumloc_model_forward without its checks, thread setting and allocation, for callers that made
 * them once (the localization pipeline): photons normalised into the caller's `staging` (count · k ·
 * width · height floats) in one pass, then upload, forward and download into out. */
mumloc_status model_forward_staged(mumloc_model *model, const float *photons, int count, int width,
                                   int height, float *staging, float *out);

/* x ← (x − background) / scale for count values, in place. */
void model_normalise(const mumloc_model *model, float *values, int64_t count);

/* The scale for a model: the peak pixel (photons) of an in-focus molecule of weight weight_max. */
double model_input_scale(const mumloc_optics *optics, double weight_max);

/* Sets a metadata entry (string value; replaces an existing key). */
mumloc_status model_set_meta(mumloc_model *model, const char *key, const char *value);

#endif
