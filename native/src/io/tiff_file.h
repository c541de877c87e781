/* One uncompressed grayscale TIFF file's images, the layer under the movie reader (tiff_read.h, which
 * adds OME-TIFF series over several files, tiff_series.h, whose parts are read with this).
 *
 * Images are found the way ImageJ finds them: when the first IFD's description starts "ImageJ" and
 * says images=N (N > 1), the N images lie back to back from the first strip (further IFDs, if any,
 * are ignored); otherwise every IFD of the chain is one image (reduced-resolution IFDs skipped).
 * Classic TIFF and BigTIFF (8-byte offsets, files over 4 GiB) are read alike. Compressed, tiled and
 * multi-sample (RGB) files are refused with MUMLOC_ERR_UNSUPPORTED; foreign and truncated files
 * with MUMLOC_ERR_FORMAT. */
#ifndef IO_TIFF_FILE_H
#define IO_TIFF_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "mumloc.h"

typedef struct tiff_info {
    int width, height;
    int64_t images;
    int bits_per_sample;   /* 8, 16, 32 or 64 */
    int sample_format;     /* 1 unsigned integer, 2 signed integer, 3 IEEE float */
    int big_endian;
    int imagej;            /* the description starts with "ImageJ" */
    int contiguous;        /* images read back to back from the first strip (ImageJ's rule) */
    /* Hyperstack dimensions as ImageJ would set them: from the description when
     * channels·slices·frames equals the image count, else 1 × images × 1 (a plain stack). */
    int channels, slices, frames;
    int hyperstack;        /* the description says hyperstack=true */
    double pixel_width, pixel_height; /* from X/YResolution, in `unit`; 0 when absent */
    char unit[32];         /* ImageJ's unit= ("micron", …), else "inch"/"cm" from the TIFF, else "" */
    double pixel_um;       /* pixel width in µm when the unit is a known length, else 0 */
} tiff_info;

typedef struct tiff_file tiff_file;

/* part 0: the file as a whole; part 1: the file as a part of an OME-TIFF series (one image per IFD,
 * an ImageJ description's images= not counting, its description not kept: reads as ""). */
mumloc_status tiff_file_open(const char *path, int part, tiff_file **out);
void tiff_file_close(tiff_file *file);

const tiff_info *tiff_file_info(const tiff_file *file);
/* The first IFD's ImageDescription ("" when none). */
const char *tiff_file_description(const tiff_file *file);
/* Reads image `index` (0-based, checked) as width · height floats; thread-safe (positioned reads). */
mumloc_status tiff_file_read(const tiff_file *file, int64_t index, float *out);

/* Finds "key=value" among the description's lines; copies value (truncated to cap − 1) and returns
 * 1, or returns 0 when the key is absent. */
int tiff_description_value(const char *description, const char *key, char *value,
                                  size_t cap);

#endif
