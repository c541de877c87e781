/* Internal to the TIFF reader (tiff_read.h): an OME-TIFF movie spread over several files
 * (Micro-Manager writes name_MMStack_Pos0.ome.tif, name_MMStack_Pos0_1.ome.tif, … each a
 * continuation), read as one movie, its parts with tiff_file.h.
 *
 * The first file's OME-XML gives the sizes, the dimension order and, per TiffData block, the file
 * (UUID FileName, beside the first file) and IFDs of each plane. Images are numbered as mumloc
 * numbers hyperstack images (channel fastest, then slice, then frame) whatever the dimension order.
 * Memory stays bounded: a table of (file, IFD) per plane, and at most SERIES_OPEN_PARTS part files
 * open (and indexed) at once, opened when first read. */
#ifndef IO_TIFF_SERIES_H
#define IO_TIFF_SERIES_H

#include <stdint.h>

#include "io/tiff_file.h"
#include "mumloc.h"

typedef struct tiff_series tiff_series;

/* *out is NULL (and the call succeeds) when the XML is absent or inconsistent with the first file
 * (the caller then reads that file alone); fails with MUMLOC_ERR_IO naming the file when one it
 * lists is missing. first describes the first file (images: its IFDs). */
mumloc_status tiff_series_open(const char *first_path, const char *xml, const tiff_info *first,
                               tiff_series **out);
/* channels, slices, frames (and images, their product) of the whole series. */
void tiff_series_dimensions(const tiff_series *series, int *channels, int *slices, int *frames,
                            int64_t *images);
/* Reads image index (checked by the caller) as floats; thread-safe. */
mumloc_status tiff_series_read(tiff_series *series, int64_t index, float *out);
void tiff_series_close(tiff_series *series);

#endif
