/* Where each camera's image lies in a rig's files: tiles of one chip, and the per-camera file names of
 * the files layout. One place for both so that writers (simulate) and readers (localize, calibrate)
 * agree. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/error.h"
#include "rig/rig_internal.h"

/* Top-left pixel of camera d's tile: cameras fill the grid row by row (2×2: 1 2 / 3 4). */
static void tile_origin(const mumloc_rig *rig, int columns, int d, size_t *x0, size_t *y0) {
    *x0 = (size_t)(d % columns) * (size_t)rig->width;
    *y0 = (size_t)(d / columns) * (size_t)rig->height;
}

static mumloc_status tiles_check(const mumloc_rig *rig, const void *a, const void *b, int *columns,
                                 int *rows) {
    if (!rig || !a || !b) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "rig tiles: NULL argument");
    ERROR_TRY(mumloc_rig_layout_grid(rig->layout, columns, rows));
    if (*columns * *rows != rig->optics.planes || *columns * *rows < 2)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "rig layout %s is not one chip of %d tiles",
                           mumloc_rig_layout_name(rig->layout), rig->optics.planes);
    return MUMLOC_OK;
}

mumloc_status mumloc_rig_tiles_join(const mumloc_rig *rig, const float *cameras, float *chip) {
    int columns, rows;
    ERROR_TRY(tiles_check(rig, cameras, chip, &columns, &rows));
    const size_t w = (size_t)rig->width, h = (size_t)rig->height, chip_w = w * (size_t)columns;
    for (int d = 0; d < rig->optics.planes; d++) {
        size_t x0, y0;
        tile_origin(rig, columns, d, &x0, &y0);
        for (size_t j = 0; j < h; j++)
            memcpy(chip + (y0 + j) * chip_w + x0, cameras + ((size_t)d * h + j) * w, w * sizeof *chip);
    }
    return MUMLOC_OK;
}

mumloc_status mumloc_rig_tiles_split(const mumloc_rig *rig, const float *chip, float *cameras) {
    int columns, rows;
    ERROR_TRY(tiles_check(rig, chip, cameras, &columns, &rows));
    const size_t w = (size_t)rig->width, h = (size_t)rig->height, chip_w = w * (size_t)columns;
    for (int d = 0; d < rig->optics.planes; d++) {
        size_t x0, y0;
        tile_origin(rig, columns, d, &x0, &y0);
        for (size_t j = 0; j < h; j++)
            memcpy(cameras + ((size_t)d * h + j) * w, chip + (y0 + j) * chip_w + x0, w * sizeof *chip);
    }
    return MUMLOC_OK;
}

mumloc_status mumloc_rig_camera_path(const char *path, int camera, char *buf, size_t cap) {
    if (!path || !*path || !buf || camera < 1 || camera > MUMLOC_MAX_PLANES)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "rig camera path needs a path and a camera number 1 to %d",
                           MUMLOC_MAX_PLANES);
    size_t len = strlen(path);
    const char *extension = ".tif";
    /* keep the extension the user gave (.tif or .tiff, any case) after the camera suffix */
    static const char *const known[] = {".tiff", ".tif"};
    for (int i = 0; i < 2; i++) {
        size_t n = strlen(known[i]);
        if (len > n && strcasecmp(path + len - n, known[i]) == 0) {
            extension = path + len - n;
            len -= n;
            break;
        }
    }
    int n = snprintf(buf, cap, "%.*s_cam%d%s", (int)len, path, camera, extension);
    if (n < 0 || (size_t)n >= cap)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "rig camera path for '%s' is too long", path);
    return MUMLOC_OK;
}
