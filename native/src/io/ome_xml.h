/* The few facts of an OME-XML description (OME-TIFF) that map a movie's planes to TIFF files and
 * IFDs: the first Image's Pixels sizes and DimensionOrder, and its TiffData blocks with the FileName
 * of their UUID. A linear scan of elements and attributes, no validation against the schema. */
#ifndef IO_OME_XML_H
#define IO_OME_XML_H

#include <stdint.h>

#include "mumloc.h"

typedef struct ome_tiff_block {
    int64_t ifd, first_c, first_z, first_t;
    int64_t planes; /* PlaneCount; -1: every plane from the first on (neither IFD nor PlaneCount) */
    int file;       /* index into ome_pixels.files; -1: the file that holds the XML */
} ome_tiff_block;

typedef struct ome_pixels {
    int64_t size_x, size_y, size_c, size_z, size_t;
    char order[4];            /* DimensionOrder after "XY", fastest first, e.g. "CZT" */
    ome_tiff_block *blocks;
    int64_t block_count;
    char **files;             /* distinct UUID FileName values without any folder (the parts lie
                               * beside the first file), in order of first mention */
    int file_count;
} ome_pixels;

/* 1 when text looks like OME-XML (an XML declaration or an OME root element). */
int ome_xml_is(const char *text);

/* Reads xml's first Pixels element. MUMLOC_ERR_FORMAT naming the problem when there is none, a
 * size or DimensionOrder is missing or invalid, or a TiffData attribute is not a count. Free with
 * ome_pixels_free (also after a failure). */
mumloc_status ome_pixels_parse(const char *xml, ome_pixels *out);
void ome_pixels_free(ome_pixels *pixels);

#endif
