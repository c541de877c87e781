/* Reader of uncompressed grayscale TIFF stacks: mumloc's own movies (both layouts of tiff_write.h)
 * and ordinary ImageJ-saved 8/16/32-bit files (little or big endian, any strip arrangement).
 *
 * Images are found the way ImageJ finds them: when the first IFD's description starts "ImageJ" and
 * says images=N (N > 1), the N images lie back to back from the first strip (further IFDs, if any,
 * are ignored); otherwise every IFD of the chain is one image (reduced-resolution IFDs skipped).
 * Classic TIFF and BigTIFF (8-byte offsets, files over 4 GiB) are read alike. An OME-TIFF whose
 * first IFD's OME-XML spreads the movie over several files (Micro-Manager's name_MMStack_Pos0.ome.tif,
 * name_MMStack_Pos0_1.ome.tif, …) is read as one movie when given the first file (tiff_series.h).
 * Compressed, tiled and multi-sample (RGB) files are refused with MUMLOC_ERR_UNSUPPORTED; foreign
 * and truncated files with MUMLOC_ERR_FORMAT. */
#ifndef MUMLOC_IO_TIFF_READ_H
#define MUMLOC_IO_TIFF_READ_H

#include <stddef.h>
#include <stdint.h>

#include "mumloc.h"

typedef struct mumloc_tiff_info {
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
} mumloc_tiff_info;

typedef struct mumloc_tiff_reader mumloc_tiff_reader;

mumloc_status mumloc_tiff_reader_open(const char *path, mumloc_tiff_reader **out);
/* Opens path as a part of an OME-TIFF series: alone (not following a series its description
 * names), one image per IFD (an ImageJ description's images= does not count), its description
 * not kept (reads as ""). */
mumloc_status mumloc_tiff_reader_open_file(const char *path, mumloc_tiff_reader **out);
void mumloc_tiff_reader_close(mumloc_tiff_reader *reader);

const mumloc_tiff_info *mumloc_tiff_reader_info(const mumloc_tiff_reader *reader);
/* The first IFD's ImageDescription ("" when none). */
const char *mumloc_tiff_reader_description(const mumloc_tiff_reader *reader);

/* Reads image `index` (0-based) as width · height floats. Safe to call from several threads at
 * once (positioned reads). */
mumloc_status mumloc_tiff_reader_read(const mumloc_tiff_reader *reader, int64_t index, float *out);

/* Finds "key=value" among the description's lines; copies value (truncated to cap − 1) and returns
 * 1, or returns 0 when the key is absent. */
int mumloc_tiff_description_value(const char *description, const char *key, char *value,
                                  size_t cap);

#endif
