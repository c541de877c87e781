/* The first step of merging blinks: which molecule (track) each localization belongs to. */
#ifndef POSTPROCESS_MERGE_TRACKS_H
#define POSTPROCESS_MERGE_TRACKS_H

#include <stdint.h>

#include "mumloc.h"
#include "postprocess/post_common.h"

typedef struct merge_input {
    int64_t rows;
    const double *frame, *x, *y, *z; /* z NULL: lateral merging */
    const double *weight_xy;         /* per-row weights of x, y and of z (NULL = equal) */
    const double *weight_z;
} merge_input;

/* Assigns each row (row_track[rows]) a track number 0, 1, ... in order of the track's first
 * localization by (frame, row); *tracks gets how many. Follows mumloc_merge_blinks's rules (mumloc.h):
 * the nearest open track within the distance, one localization per track and frame. The open tracks
 * are found through a grid of cells as wide as the lateral distance, rebuilt every frame, so the cost
 * is O(rows × open tracks per cell). */
mumloc_status merge_assign_tracks(const merge_input *in, const mumloc_blink_merge_options *o,
                                  int64_t *row_track, int64_t *tracks, post_progress *progress);

#endif
