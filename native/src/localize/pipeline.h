/* Internals the pipeline's files share (the public side is mumloc.h "Localization pipeline").
 *
 * Files: pipeline_options.c (defaults, checks), pipeline.c (the streaming localizer: photons →
 * network, tiled → one assembled full-frame output → decode → photometry/CRLB → pending records),
 * pipeline_queue.c (the same on a GPU, batches of frames through model/model_infer.h's queue),
 * pipeline_cs.c (the compressed-sensing path), pipeline_frame.c (one frame's steps around the
 * network, which all three call), pipeline_localizer.h (the localizer's state they share),
 * pipeline_file.c (TIFF → CSV in frame batches, rows streamed through an atomic file),
 * pipeline_movie.{h,c} (which axis holds the planes; optics recorded in a mumloc movie), tiling.{h,c}
 * (tile layout, receptive radius from the model's layers).
 *
 * Decisions:
 *   - Tiles are merged at the network output, not at the localizations: each tile's core is pasted
 *     into a full-frame output, decoded once per frame. Decoding (regression border merges, voxel
 *     plateaus and windows) then never sees a seam, so no per-tile ownership rule for molecules is
 *     needed. Cost: one frame's output in memory (16 floats per pixel for regression, 2048 for
 *     voxel); tiles exist to bound the network's activations, which are 8× larger (regression: 128
 *     channels at the widest layer).
 *   - The overlap is the receptive radius computed from the layers (regression 2+2+1+1+1+1+1+1 =
 *     10; voxel 2 + 1 + 1/2 + 1/4 + 1/8 → 4, plus one pixel for the upsampled grids' phase), so a
 *     core's outputs are those of the whole frame; test_tiling_invariance finds them bit-identical.
 *   - On the CPU frames go through the network one at a time (the engine's per-frame rate does not
 *     improve with the batch); tiles of one frame go together, up to 2^18 input pixels a call. On a
 *     GPU (a backend reporting its memory) untiled frames go in batches with two in flight, so
 *     transfers, compute and host decoding overlap; tiles and tiles per call are sized to its free
 *     memory (backend/cuda/CUDA.md, "Pipeline integration"). The CPU's results do not change.
 *   - The whole batch is checked for non-finite values before any frame is localized, so an error
 *     leaves the localizer as it was.
 *   - mumloc_localize_file writes rows as each batch finishes (io/csv_write.h) instead of building
 *     a mumloc_table, so a 30,000-frame movie never holds its table in memory; the columns are
 *     mumloc_localizations_to_table's, in its order (test_pipeline_file checks the header). */
#ifndef LOCALIZE_PIPELINE_H
#define LOCALIZE_PIPELINE_H

#include "localize/pipeline_options.h"
#include "mumloc.h"

/* Seconds spent in the network's forward passes since the localizer was created. */
double pipeline_network_seconds(const mumloc_localizer *localizer);
/* The localizer's stage timers into a summary (network, convert, decode, refine, measure). */
void pipeline_stage_seconds(const mumloc_localizer *localizer, mumloc_localize_summary *summary);

/* Frames per batch of the GPU batch queue (pipeline_queue.c), 0 on the frame-by-frame path (the
 * CPU, tiled frames). */
int pipeline_queue_batch(const mumloc_localizer *localizer);

/* Puts the localizer (untiled, no queue yet) on the batched path with `batch` frames (1..32) a
 * batch, whatever its backend: the GPU path chooses this itself; tests run it on the CPU. */
mumloc_status pipeline_queue_start(mumloc_localizer *localizer, int batch);

#endif
