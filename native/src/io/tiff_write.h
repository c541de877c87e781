/* Streaming writer of 32-bit float (or 16-bit unsigned) ImageJ hyperstacks (little-endian TIFF or BigTIFF, uncompressed, one
 * strip per image, all image data contiguous in order: channel fastest, then slice, then frame).
 *
 * The description starts "ImageJ=1.53t\n" and carries images=, channels=, slices=, frames=,
 * hyperstack=true, mode=grayscale, unit=micron (when calibrated) and loop=false, then the caller's
 * extra lines (mumloc puts "mumloc=<one-line JSON>" there). X/YResolution hold 1 / pixel size in µm
 * with ResolutionUnit "none", so ImageJ shows calibrated microns.
 *
 * Two layouts:
 *   multi-IFD   header, then the image data, then (at close) the description, the resolution and one
 *               IFD per image, linked in order. Every TIFF reader sees every image.
 *   single-IFD  header, ONE IFD (for the first image) with the description and resolution, then the
 *               image data. TIFF's 32-bit offsets cannot address IFDs past 4 GiB, so this is the form
 *               ImageJ itself uses for stacks over 4 GiB: its reader takes images=N from the
 *               description, ignores any further IFDs, and reads N images back to back from the first
 *               strip offset (64-bit file positions), so only the FIRST image's offset must fit in
 *               32 bits. Readers that do not know ImageJ's convention see one image.
 * LAYOUT_AUTO picks multi-IFD.
 *
 * Files past 4 GiB: with FORMAT_AUTO a multi-IFD file that classic TIFF's 32-bit offsets cannot
 * address is written as BigTIFF (version 43, 8-byte offsets; read by mumloc, Bio-Formats, libtiff,
 * tifffile, but not by ImageJ 1.53t itself); a single-IFD file stays classic (ImageJ's own form).
 * FORMAT_BIG writes BigTIFF whatever the size (tests use it on small movies); FORMAT_CLASSIC refuses
 * a multi-IFD file past 4 GiB. */
#ifndef IO_TIFF_WRITE_H
#define IO_TIFF_WRITE_H

#include <stdint.h>
#include <stdio.h>

#include "mumloc.h"

typedef enum tiff_layout {
    TIFF_LAYOUT_AUTO = 0,
    TIFF_LAYOUT_MULTI_IFD = 1,
    TIFF_LAYOUT_SINGLE_IFD = 2
} tiff_layout;

typedef enum tiff_format {
    TIFF_FORMAT_AUTO = 0,
    TIFF_FORMAT_CLASSIC = 1,
    TIFF_FORMAT_BIG = 2
} tiff_format;

typedef struct tiff_write_options {
    int width, height;
    int channels, slices, frames;  /* the file holds channels · slices · frames images */
    double pixel_um;               /* pixel size in µm; 0 = uncalibrated */
    const char *extra_description; /* extra "key=value" lines (no backslashes, no NUL), or NULL */
    tiff_layout layout;
    tiff_format format;
    int bits;                      /* 0 or 32: 32-bit float; 16: unsigned 16-bit (camera counts:
                                      the floats appended are rounded and clipped to 0..65535) */
} tiff_write_options;

typedef struct tiff_writer tiff_writer;

/* Starts a TIFF in file (opened "wb", seekable, not owned). label names it in error messages. */
mumloc_status tiff_writer_open(FILE *file, const char *label,
                                      const tiff_write_options *options,
                                      tiff_writer **out);
/* Appends count images (count · width · height floats, row-major) in order. */
mumloc_status tiff_writer_append(tiff_writer *writer, const float *pixels,
                                        int64_t count);
/* Checks that every image was appended and writes what remains (IFDs). Does not close the file. */
mumloc_status tiff_writer_finish(tiff_writer *writer);
/* The layout actually used (never AUTO). */
tiff_layout tiff_writer_layout(const tiff_writer *writer);
/* 1 when the file is a BigTIFF. */
int tiff_writer_is_bigtiff(const tiff_writer *writer);
void tiff_writer_free(tiff_writer *writer);

#endif
