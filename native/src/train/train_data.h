/*
 * Batches for training and validation: frames simulated on the fly (simulate/), converted to photons
 * and normalised as the model's forward does, with the network targets built from the ground truth.
 *
 * Targets (documented for users in mumloc.h, mumloc_train_options):
 *   regression: (n, 4k, h, w) — the voxel (pixel i, j × plane layer d) holding a molecule gets c = 1
 *     in channel d and ζ = its position inside the voxel in channels k + 3d + a; of two molecules in
 *     one voxel the larger weight wins (ties: the first in the truth's order).
 *   voxel: (n, D, 8h, 8w) — 1 where a molecule is, 0 elsewhere.
 * Molecules outside the field or the slab are no target.
 */
#ifndef TRAIN_TRAIN_DATA_H
#define TRAIN_TRAIN_DATA_H

#include <stdint.h>

#include "model/model_handle.h"
#include "mumloc.h"
#include "simulate/simulator.h"

typedef struct train_data {
    mumloc_simulator *sim;
    int rig;                 /* 1: each plane with its own camera model (views) */
    sim_view views[MUMLOC_MAX_PLANES];
    const mumloc_model *model;
    int width, height, planes, capacity; /* capacity: frames per batch */
    int max_emitters;
    float *input;            /* capacity × k × h × w, normalised */
    float *target;           /* capacity × target_per_frame */
    int64_t target_per_frame;
    mumloc_emitter *truth;   /* capacity × max_emitters */
    int *truth_count;        /* per frame */
    double lo[MUMLOC_MAX_PLANES], hi[MUMLOC_MAX_PLANES]; /* voxel layers of the planes */
    double slab_lo, slab_hi;
    float *weight_map;       /* regression: per voxel, the weight of the molecule it holds */
} train_data;

/* Simulator from sim (with this seed) and buffers for batches of up to capacity frames. rig (or
 * NULL): every plane recorded by its camera's model (offset, gain, EM gain, read noise) and
 * converted back to photons with it, in camera 1's geometry — the registered frames a localizer
 * gives the network after resampling each camera onto camera 1's grid. */
mumloc_status train_data_init(train_data *d, const mumloc_sim_params *sim, const mumloc_rig *rig,
                              uint64_t seed, const mumloc_model *model, int capacity);
void train_data_free(train_data *d);

/* Frames [first, first + count) into d->input (normalised), d->truth and d->target. */
mumloc_status train_data_fill(train_data *d, int64_t first, int count);

#endif
