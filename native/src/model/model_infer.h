/*
 * Inference throughput on a device, written once against backend.h (no CUDA here):
 *
 *   - sizing (model_infer_size.c): how many input pixels or frames one forward call may take so that
 *     the activations fit the device's free memory with a safety margin, and cuDNN's limit of 2^31
 *     elements per tensor. On a backend that does not report its memory (the CPU) every function
 *     returns the caller's fallback, so CPU choices stay as they were;
 *   - the batch queue (model_infer.c): batches of frames through the network with two sets of
 *     buffers, so that while batch i computes, batch i+1 uploads and batch i−1 downloads. Host
 *     buffers come from the backend (page-locked on CUDA); on the CPU every step is synchronous and
 *     the queue is a plain loop with the same results.
 *
 * Neither is used by the localization pipeline yet; CUDA.md ("Inference throughput") says how to plug
 * them in.
 */
#ifndef MODEL_MODEL_INFER_H
#define MODEL_MODEL_INFER_H

#include <stdint.h>

#include "mumloc.h"

/* Share of the free device memory an inference may plan for, and what is kept back on top for
 * cuDNN's workspace, the CUDA context's growth and other users of the device. */
#define MODEL_INFER_MEMORY_SHARE 0.75
#define MODEL_INFER_MEMORY_RESERVE ((int64_t)512 << 20)
/* cuDNN describes tensors with 32-bit element counts. */
#define MODEL_INFER_MAX_TENSOR_FLOATS ((int64_t)2147483647)
/* Tiles are multiples of this many pixels a side (whole warps of columns). */
#define MODEL_INFER_TILE_STEP 16

/* Device floats one input pixel costs in an inference forward: the input (k planes), every layer's
 * output (each layer keeps its own; upsampling layers count 4× per doubling) and `output_copies`
 * extra copies of the network output (the batch queue keeps 2). */
double model_infer_floats_per_pixel(const mumloc_model *model, int output_copies);

/* Floats per input pixel of the largest single tensor (the widest layer output). */
double model_infer_widest_floats_per_pixel(const mumloc_model *model);

/* Bytes an inference may plan for given the free device memory (share minus reserve, ≥ 0); -1 when
 * free_bytes < 0 (unknown). */
int64_t model_infer_budget_from_free(int64_t free_bytes);

/* The budget on the model's own backend, or -1 where the backend does not report memory (CPU). */
int64_t model_infer_budget(const mumloc_model *model);

/* The largest square tile edge (a multiple of MODEL_INFER_TILE_STEP, at most 65536) whose forward,
 * one tile per call, fits `budget` bytes and the tensor limit; `fallback` when budget < 0. Never less
 * than the smallest useful tile (2·receptive radius + MODEL_INFER_TILE_STEP): a device too small
 * for that reports out-of-memory when the forward runs. */
int model_infer_tile_for_budget(const mumloc_model *model, int64_t budget, int fallback);

/* model_infer_tile_for_budget with the model's backend's budget: the automatic tile edge on a GPU,
 * `fallback` (the pipeline's usual choice) on the CPU. */
int model_infer_auto_tile(const mumloc_model *model, int fallback);

/* The most frames of width × height (1..cap) one batch-queue call may take within `budget` bytes
 * (two output copies counted) and the tensor limit; `fallback` when budget < 0. 1 when even one
 * frame does not fit. */
int model_infer_frames_for_budget(const mumloc_model *model, int width, int height, int64_t budget,
                                  int cap, int fallback);

/* --- the batch queue -------------------------------------------------------------------------- */
typedef struct model_infer_queue model_infer_queue;

/* A queue for batches of up to `batch` frames of width × height (photons, k planes each) on the
 * model's current backend. The model must stay on that device, and must not run other forwards,
 * while the queue exists. */
mumloc_status model_infer_create(mumloc_model *model, int batch, int width, int height,
                                 model_infer_queue **out);
/* Waits for queued work and frees everything (NULL is fine). */
void model_infer_destroy(model_infer_queue *queue);

/* Frames per batch, and output floats per frame (channels × output height × output width). */
int model_infer_batch(const model_infer_queue *queue);
int64_t model_infer_output_floats(const model_infer_queue *queue);

/* Queues `count` frames (1..batch) of photons: copies and normalises them into the next staging
 * buffer, then queues upload, forward and download, and returns — on the CPU after the work, on a
 * GPU at once. At most two batches may be in flight: collect the oldest before a third submit.
 * After an error the queue refuses further work (destroy it). */
mumloc_status model_infer_submit(model_infer_queue *queue, const float *photons, int count);

/* Waits for the oldest batch in flight; *outputs gets its network outputs (count × output floats,
 * NCHW, like mumloc_model_forward) and *count its frame count. The outputs stay valid until the next
 * model_infer_submit. */
mumloc_status model_infer_collect(model_infer_queue *queue, const float **outputs, int *count);

/* Batches in flight (submitted, not collected). */
int model_infer_in_flight(const model_infer_queue *queue);

#endif
