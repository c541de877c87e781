/* Writing the images of a rig's cameras in the rig's layout (mumloc_rig_layout): one hyperstack with
 * the cameras as channels, one TIFF per camera (mumloc_rig_camera_path), or one chip of tiles
 * (mumloc_rig_tiles_join). Movies (T = frames) and bead z-stacks (Z = stage steps) both go through it.
 * Every file is written under a temporary name until rig_stack_commit. */
#ifndef IO_RIG_STACK_H
#define IO_RIG_STACK_H

#include <stdint.h>

#include "io/atomic_file.h"
#include "io/tiff_write.h"
#include "mumloc.h"

typedef struct rig_stack {
    int outputs;                         /* files written: 1, or one per camera */
    char *paths[MUMLOC_MAX_PLANES];
    atomic_file files[MUMLOC_MAX_PLANES];
    tiff_writer *tiff[MUMLOC_MAX_PLANES];
    int planes, width, height;           /* one camera's image */
    int tiles;                           /* 1: the chip layouts */
    mumloc_rig tile_rig;                 /* the geometry mumloc_rig_tiles_join needs */
    float *chip;
} rig_stack;

typedef struct rig_stack_shape {
    int planes, width, height;  /* cameras (planes) and one camera's frame */
    int slices, frames;         /* Z and T of every file */
    int bits;                   /* 32 (float) or 16 (camera counts) */
    double pixel_um;
    const char *description;    /* extra description lines, or NULL */
} rig_stack_shape;

/* layout: how to store the cameras (a plain movie: MUMLOC_RIG_HYPERSTACK). path: the file, or for
 * MUMLOC_RIG_FILES the name the per-camera names derive from. */
mumloc_status rig_stack_open(rig_stack *s, mumloc_rig_layout layout, const rig_stack_shape *shape,
                             const char *path);
/* Appends count time points, each planes × height × width floats (camera after camera). */
mumloc_status rig_stack_append(rig_stack *s, const float *images, int64_t count);
/* Completes every TIFF (all images written). */
mumloc_status rig_stack_finish(rig_stack *s);
/* Renames every file into place; on failure removes the ones already renamed. */
mumloc_status rig_stack_commit(rig_stack *s);
/* Removes committed files (when a later output of the same command failed). */
void rig_stack_unlink(rig_stack *s);
/* Frees everything; uncommitted files are removed. */
void rig_stack_close(rig_stack *s);

#endif
