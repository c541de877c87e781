/* Bead stacks from files or memory in each rig layout, split into one stack per camera. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate_internal.h"
#include "core/error.h"

static const char *layout_word(mumloc_rig_layout layout) { return mumloc_rig_layout_name(layout); }

void mumloc_bead_stack_free(mumloc_bead_stack *stack) {
    if (!stack) return;
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++) free(stack->pixels[d]);
    memset(stack, 0, sizeof *stack);
}

static mumloc_status allocate(mumloc_bead_stack *s) {
    size_t n = (size_t)s->steps * s->width * s->height;
    for (int d = 0; d < s->cameras; d++) {
        s->pixels[d] = malloc(n * sizeof *s->pixels[d] + 1);
        if (!s->pixels[d]) {
            mumloc_bead_stack_free(s);
            return error_fail(MUMLOC_ERR_OUT_OF_MEMORY,
                               "out of memory for the bead stack (%d cameras × %d steps of %d × %d "
                               "pixels)",
                               s->cameras, s->steps, s->width, s->height);
        }
    }
    return MUMLOC_OK;
}

/* One chip's tiles, split as the rig does (mumloc_rig_tiles_split), into the cameras' stacks. */
typedef struct tile_splitter {
    mumloc_rig *geometry;
    float *tiles; /* one image per camera */
} tile_splitter;

static mumloc_status splitter_open(tile_splitter *t, const mumloc_bead_stack *s) {
    t->geometry = malloc(sizeof *t->geometry);
    t->tiles = malloc((size_t)s->cameras * s->width * s->height * sizeof *t->tiles);
    if (!t->geometry || !t->tiles) {
        free(t->geometry);
        free(t->tiles);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the tiles");
    }
    mumloc_rig_default(t->geometry, s->cameras, s->width, s->height);
    t->geometry->layout = s->layout;
    return MUMLOC_OK;
}

static void splitter_close(tile_splitter *t) {
    free(t->geometry);
    free(t->tiles);
}

static mumloc_status split_tiles(tile_splitter *t, const float *chip, int step, mumloc_bead_stack *s) {
    ERROR_TRY(mumloc_rig_tiles_split(t->geometry, chip, t->tiles));
    size_t area = (size_t)s->width * s->height;
    for (int d = 0; d < s->cameras; d++)
        memcpy(s->pixels[d] + (size_t)step * area, t->tiles + (size_t)d * area, area * sizeof *t->tiles);
    return MUMLOC_OK;
}

static int tiled(mumloc_rig_layout layout) {
    return layout == MUMLOC_RIG_TILES2X2 || layout == MUMLOC_RIG_TILES1X4 ||
           layout == MUMLOC_RIG_TILES4X1;
}

/* The shape checks every layout shares; what names the data in messages. */
static mumloc_status check_shape(const char *what, int width, int height, int channels,
                                 int64_t per_channel, mumloc_rig_layout layout,
                                 mumloc_bead_stack *s) {
    int columns, rows;
    ERROR_TRY(mumloc_rig_layout_grid(layout, &columns, &rows));
    if (tiled(layout)) {
        if (channels != 1)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "the stack does not fit layout %s: %s has %d channels, but tiles "
                               "come from one chip (C = 1, one image per stage step); pass "
                               "--layout hyperstack if the channels are the cameras",
                               layout_word(layout), what, channels);
        if (width % columns || height % rows)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "the stack does not fit layout %s: %s is %d × %d pixels, which does "
                               "not split into %d × %d equal tiles; crop it to a multiple of %d × "
                               "%d pixels or choose the layout the camera wrote",
                               layout_word(layout), what, width, height, columns, rows, columns,
                               rows);
        s->cameras = columns * rows;
    } else if (layout == MUMLOC_RIG_HYPERSTACK) {
        if (channels < 2)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "the stack does not fit layout hyperstack: %s has %d channel, but a "
                               "hyperstack holds the cameras as channels (C = k); for one file per "
                               "camera pass --beads a.tif,b.tif,... --layout files, for one chip "
                               "split into tiles pass --layout tiles2x2, tiles1x4 or tiles4x1",
                               what, channels);
        s->cameras = channels;
    } else {
        s->cameras = channels;
    }
    if (s->cameras > MUMLOC_MAX_PLANES)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%s holds %d cameras; mumloc handles at most %d planes", what,
                           s->cameras, MUMLOC_MAX_PLANES);
    if (per_channel < 2 || per_channel > 100000)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%s has %lld image(s) per camera: a bead z-stack steps the stage through "
                           "every plane's focus, typically 40 to 200 steps",
                           what, (long long)per_channel);
    s->width = width / columns;
    s->height = height / rows;
    s->steps = (int)per_channel;
    s->layout = layout;
    return MUMLOC_OK;
}

mumloc_status mumloc_bead_stack_from_images(const float *images, int width, int height,
                                            int channels, int images_per_channel,
                                            int bits_per_sample, mumloc_rig_layout layout,
                                            mumloc_bead_stack *stack) {
    if (!stack) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "bead stack: stack is NULL");
    memset(stack, 0, sizeof *stack);
    if (!images || width <= 0 || height <= 0 || channels <= 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "bead stack: no images");
    ERROR_TRY(check_shape("the image", width, height, channels, images_per_channel, layout, stack));
    stack->bits_per_sample = bits_per_sample;
    ERROR_TRY(allocate(stack));
    tile_splitter t = {0};
    mumloc_status st = tiled(layout) ? splitter_open(&t, stack) : MUMLOC_OK;
    size_t image_area = (size_t)width * height;
    for (int step = 0; step < stack->steps && st == MUMLOC_OK; step++)
        for (int c = 0; c < channels && st == MUMLOC_OK; c++) {
            const float *image = images + ((size_t)step * channels + c) * image_area;
            if (tiled(layout))
                st = split_tiles(&t, image, step, stack);
            else
                memcpy(stack->pixels[c] + (size_t)step * image_area, image,
                       image_area * sizeof *image);
        }
    splitter_close(&t);
    if (st != MUMLOC_OK) mumloc_bead_stack_free(stack);
    return st;
}

/* Reads all images of one opened file into a stack: channel c of step s is image s·C + c. */
static mumloc_status read_movie(mumloc_movie *movie, const mumloc_movie_info *info,
                                mumloc_rig_layout layout, int first_camera, mumloc_bead_stack *s) {
    size_t image_area = (size_t)info->width * info->height;
    float *scratch = NULL;
    tile_splitter t = {0};
    if (tiled(layout)) {
        ERROR_TRY(splitter_open(&t, s));
        scratch = malloc(image_area * sizeof *scratch);
        if (!scratch) {
            splitter_close(&t);
            return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for an image");
        }
    }
    int channels = layout == MUMLOC_RIG_FILES ? 1 : info->channels;
    mumloc_status st = MUMLOC_OK;
    for (int step = 0; step < s->steps && st == MUMLOC_OK; step++)
        for (int c = 0; c < channels && st == MUMLOC_OK; c++) {
            int64_t index = (int64_t)step * channels + c;
            if (scratch) {
                st = mumloc_movie_read(movie, index, scratch);
                if (st == MUMLOC_OK) st = split_tiles(&t, scratch, step, s);
            } else {
                st = mumloc_movie_read(movie, index,
                                       s->pixels[first_camera + c] + (size_t)step * image_area);
            }
        }
    free(scratch);
    splitter_close(&t);
    return st;
}

mumloc_status mumloc_bead_stack_read(const char *const *paths, int count,
                                     mumloc_rig_layout layout, mumloc_bead_stack *stack) {
    if (!stack) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "bead stack: stack is NULL");
    memset(stack, 0, sizeof *stack);
    if (!paths || count < 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "bead stack: no file given");
    if (layout != MUMLOC_RIG_FILES && count != 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "layout %s reads one file, %d were given; for one file per camera pass "
                           "--layout files",
                           layout_word(layout), count);
    if (layout == MUMLOC_RIG_FILES && count > MUMLOC_MAX_PLANES)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%d bead files given; mumloc handles at most %d cameras", count,
                           MUMLOC_MAX_PLANES);
    mumloc_status st = MUMLOC_OK;
    mumloc_movie_info first = {0};
    for (int f = 0; f < count && st == MUMLOC_OK; f++) {
        mumloc_movie *movie = NULL;
        st = mumloc_movie_open(paths[f], &movie);
        if (st != MUMLOC_OK) break;
        mumloc_movie_info info;
        mumloc_movie_get_info(movie, &info);
        char what[1100];
        snprintf(what, sizeof what, "'%s'", paths[f]);
        int64_t per_channel = info.channels > 0 ? info.images / info.channels : 0;
        if (layout == MUMLOC_RIG_FILES) {
            if (info.channels != 1)
                st = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                 "the stack does not fit layout files: %s has %d channels, but "
                                 "each file holds one camera's Z stack; pass a hyperstack with the "
                                 "cameras as channels with --layout hyperstack",
                                 what, info.channels);
            else if (f == 0) {
                mumloc_bead_stack shape = {0};
                st = check_shape(what, info.width, info.height, count, per_channel, layout, &shape);
                if (st == MUMLOC_OK) {
                    *stack = shape;
                    stack->bits_per_sample = info.bits_per_sample;
                    first = info;
                    st = allocate(stack);
                }
            } else if (info.width != first.width || info.height != first.height ||
                       info.images != first.images)
                st = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                 "the bead files differ: '%s' has %lld images of %d × %d pixels, "
                                 "%s %lld of %d × %d; every camera's file must hold the same scan",
                                 paths[0], (long long)first.images, first.width, first.height,
                                 what, (long long)info.images, info.width, info.height);
        } else {
            st = check_shape(what, info.width, info.height, info.channels, per_channel, layout,
                             stack);
            if (st == MUMLOC_OK) {
                stack->bits_per_sample = info.bits_per_sample;
                st = allocate(stack);
            }
        }
        if (st == MUMLOC_OK) st = read_movie(movie, &info, layout, f, stack);
        mumloc_movie_close(movie);
    }
    if (st != MUMLOC_OK) mumloc_bead_stack_free(stack);
    return st;
}
