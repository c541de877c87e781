#include "io/rig_stack.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

enum { CAMERA_PATH_EXTRA = 32 };

static mumloc_status open_one(rig_stack *s, int i, const char *path,
                              const tiff_write_options *o) {
    s->paths[i] = strdup(path);
    if (!s->paths[i]) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory naming '%s'", path);
    s->outputs = i + 1;
    ERROR_TRY(atomic_open(&s->files[i], path));
    return tiff_writer_open(s->files[i].file, path, o, &s->tiff[i]);
}

mumloc_status rig_stack_open(rig_stack *s, mumloc_rig_layout layout, const rig_stack_shape *shape,
                             const char *path) {
    memset(s, 0, sizeof *s);
    s->planes = shape->planes;
    s->width = shape->width;
    s->height = shape->height;
    int columns, rows;
    ERROR_TRY(mumloc_rig_layout_grid(layout, &columns, &rows));
    tiff_write_options o = {shape->width, shape->height, shape->planes, shape->slices,
                                   shape->frames, shape->pixel_um, shape->description,
                                   TIFF_LAYOUT_AUTO, TIFF_FORMAT_AUTO, shape->bits};
    if (layout == MUMLOC_RIG_HYPERSTACK) return open_one(s, 0, path, &o);
    o.channels = 1;
    if (layout == MUMLOC_RIG_FILES) {
        size_t cap = strlen(path) + CAMERA_PATH_EXTRA;
        char *name = malloc(cap);
        if (!name) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory naming '%s'", path);
        mumloc_status st = MUMLOC_OK;
        for (int d = 0; d < shape->planes && st == MUMLOC_OK; d++) {
            st = mumloc_rig_camera_path(path, d + 1, name, cap);
            if (st == MUMLOC_OK) st = open_one(s, d, name, &o);
        }
        free(name);
        return st;
    }
    if (columns * rows != shape->planes)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "layout %s holds %d cameras, not %d", mumloc_rig_layout_name(layout),
                           columns * rows, shape->planes);
    s->tiles = 1;
    mumloc_rig_default(&s->tile_rig, shape->planes, shape->width, shape->height);
    s->tile_rig.layout = layout;
    s->chip = malloc((size_t)shape->planes * shape->width * shape->height * sizeof *s->chip);
    if (!s->chip) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a chip of tiles");
    o.width = shape->width * columns;
    o.height = shape->height * rows;
    return open_one(s, 0, path, &o);
}

mumloc_status rig_stack_append(rig_stack *s, const float *images, int64_t count) {
    const size_t camera = (size_t)s->width * s->height, point = camera * s->planes;
    for (int64_t t = 0; t < count; t++) {
        const float *at = images + (size_t)t * point;
        if (s->tiles) {
            ERROR_TRY(mumloc_rig_tiles_join(&s->tile_rig, at, s->chip));
            ERROR_TRY(tiff_writer_append(s->tiff[0], s->chip, 1));
        } else if (s->outputs == 1) {
            ERROR_TRY(tiff_writer_append(s->tiff[0], at, s->planes));
        } else {
            for (int d = 0; d < s->outputs; d++)
                ERROR_TRY(tiff_writer_append(s->tiff[d], at + d * camera, 1));
        }
    }
    return MUMLOC_OK;
}

mumloc_status rig_stack_finish(rig_stack *s) {
    for (int i = 0; i < s->outputs; i++) ERROR_TRY(tiff_writer_finish(s->tiff[i]));
    return MUMLOC_OK;
}

mumloc_status rig_stack_commit(rig_stack *s) {
    for (int i = 0; i < s->outputs; i++) {
        mumloc_status st = atomic_commit(&s->files[i]);
        if (st != MUMLOC_OK) {
            for (int j = 0; j < i; j++) unlink(s->paths[j]);
            return st;
        }
    }
    return MUMLOC_OK;
}

void rig_stack_unlink(rig_stack *s) {
    for (int i = 0; i < s->outputs; i++)
        if (s->paths[i]) unlink(s->paths[i]);
}

void rig_stack_close(rig_stack *s) {
    for (int i = 0; i < s->outputs; i++) {
        atomic_abort(&s->files[i]); /* no-op once committed */
        tiff_writer_free(s->tiff[i]);
        free(s->paths[i]);
    }
    free(s->chip);
    memset(s, 0, sizeof *s);
}
