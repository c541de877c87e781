/* The pipeline's options (pipeline_options.c; defaults and checks are public, mumloc.h) and two
 * helpers every pipeline file uses: the automatic tile edge and the clock of the stage timers. */
#ifndef LOCALIZE_PIPELINE_OPTIONS_H
#define LOCALIZE_PIPELINE_OPTIONS_H

#include "mumloc.h"

/* The automatic tile edge for a model: on the CPU regression 512, voxel 64 (the voxel network's
 * activations are 128 channels at 8× the resolution, 128 MiB per 64×64 tile); on a GPU the largest
 * that fits its free memory (model_infer_auto_tile). */
int pipeline_default_tile(const mumloc_model *model);

/* Monotonic wall-clock seconds. */
double pipeline_now(void);

#endif
