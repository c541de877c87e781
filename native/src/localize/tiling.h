/* Tiling of a frame for the network: tiles of one size along each axis whose cores partition the
 * axis. Tile i spans [start, start + size); its core [core_begin, core_end) lies at least `overlap`
 * pixels inside every tile edge that is not a frame edge, so a network whose outputs depend only on
 * inputs within `overlap` pixels computes the core exactly as it would on the whole frame. */
#ifndef LOCALIZE_TILING_H
#define LOCALIZE_TILING_H

#include "mumloc.h"

typedef struct tile_span {
    int start, size;          /* the tile on the axis */
    int core_begin, core_end; /* the part of the axis this tile owns */
} tile_span;

/* Splits an axis of `length` pixels into tiles of min(tile, length) pixels. Needs tile > 2·overlap
 * when length > tile. Writes at most cap spans; returns the span count (also when it exceeds cap),
 * or -1 for bad arguments. */
int tiling_axis(int length, int tile, int overlap, tile_span *spans, int cap);

/* The receptive-field radius of the model in input pixels (see mumloc.h). */
int tiling_receptive_radius(const mumloc_model *model);

#endif
