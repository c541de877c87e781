/* The public mumloc_movie (mumloc.h): the library's TIFF reader (io/tiff_read.h) behind the API, so
 * that programs reading images themselves use the same checked reader as mumloc_localize_file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/tiff_read.h"

struct mumloc_movie {
    tiff_reader *reader;
};

mumloc_status mumloc_movie_open(const char *path, mumloc_movie **out) {
    if (!path || !out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "movie_open: path and out are required");
    *out = NULL;
    mumloc_movie *m = calloc(1, sizeof *m);
    if (!m) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory opening '%s'", path);
    mumloc_status s = tiff_reader_open(path, &m->reader);
    if (s != MUMLOC_OK) {
        free(m);
        return s;
    }
    *out = m;
    return MUMLOC_OK;
}

void mumloc_movie_close(mumloc_movie *movie) {
    if (!movie) return;
    tiff_reader_close(movie->reader);
    free(movie);
}

void mumloc_movie_get_info(const mumloc_movie *movie, mumloc_movie_info *info) {
    const tiff_info *t = tiff_reader_info(movie->reader);
    memset(info, 0, sizeof *info);
    info->width = t->width;
    info->height = t->height;
    info->images = t->images;
    info->channels = t->channels;
    info->slices = t->slices;
    info->frames = t->frames;
    info->bits_per_sample = t->bits_per_sample;
    info->pixel_width = t->pixel_width;
    info->pixel_height = t->pixel_height;
    snprintf(info->unit, sizeof info->unit, "%s", t->unit);
}

const char *mumloc_movie_description(const mumloc_movie *movie) {
    return tiff_reader_description(movie->reader);
}

mumloc_status mumloc_movie_read(const mumloc_movie *movie, int64_t index, float *out) {
    if (!movie || !out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "movie_read: movie and out are required");
    return tiff_reader_read(movie->reader, index, out);
}
