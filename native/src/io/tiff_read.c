/* The TIFF movie reader (see tiff_read.h): one file (tiff_file.h), or the OME-TIFF series its first
 * file names (tiff_series.h), whose dimensions then replace the file's own. */
#include "io/tiff_read.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/tiff_series.h"

struct tiff_reader {
    tiff_file *file;
    tiff_series *series; /* an OME-TIFF over several files: images are read through it */
    tiff_info info;
    char *path; /* for messages */
};

mumloc_status tiff_reader_open(const char *path, tiff_reader **out) {
    if (!path || !out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "TIFF path and output are required");
    *out = NULL;
    tiff_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory opening '%s'", path);
    }
    mumloc_status s = tiff_file_open(path, 0, &r->file);
    if (s == MUMLOC_OK) {
        r->info = *tiff_file_info(r->file);
        s = tiff_series_open(path, tiff_file_description(r->file), &r->info, &r->series);
    }
    if (s == MUMLOC_OK && r->series) { /* the series' images replace the first file's */
        tiff_info *in = &r->info;
        tiff_series_dimensions(r->series, &in->channels, &in->slices, &in->frames, &in->images);
        in->contiguous = 0;
        in->hyperstack = in->channels > 1 || in->frames > 1;
    }
    if (s != MUMLOC_OK) {
        tiff_reader_close(r);
        return s;
    }
    *out = r;
    return MUMLOC_OK;
}

void tiff_reader_close(tiff_reader *r) {
    if (!r) return;
    tiff_series_close(r->series);
    tiff_file_close(r->file);
    free(r->path);
    free(r);
}

const tiff_info *tiff_reader_info(const tiff_reader *r) { return &r->info; }

const char *tiff_reader_description(const tiff_reader *r) {
    return tiff_file_description(r->file);
}

mumloc_status tiff_reader_read(const tiff_reader *r, int64_t index, float *out) {
    if (index < 0 || index >= r->info.images)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "'%s' has images 0..%lld, not %lld", r->path,
                           (long long)r->info.images - 1, (long long)index);
    return r->series ? tiff_series_read(r->series, index, out) : tiff_file_read(r->file, index, out);
}
