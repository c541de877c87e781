/* Internal to the TIFF reader: positioned reads with bounds checks, and parsing of one IFD. */
#ifndef IO_TIFF_IFD_H
#define IO_TIFF_IFD_H

#include <stddef.h>
#include <stdint.h>

#include "mumloc.h"

typedef struct tiff_source {
    int fd;
    uint64_t size;
    int big_endian;
    int bigtiff;   /* version 43: 8-byte offsets and counts, 20-byte IFD entries */
    int skip_descriptions; /* ImageDescription tags are not read (description stays NULL) */
    const char *path;
} tiff_source;

typedef struct tiff_ifd {
    uint32_t width, height, bits, sample_format, compression, samples, planar, photometric;
    uint32_t rows_per_strip, subfile_type, resolution_unit; /* resolution_unit 0 when absent */
    int tiled;
    uint32_t strips, strip_count_entries; /* the two must agree */
    uint64_t *strip_offsets, *strip_counts;
    char *description;             /* NULL when absent */
    double x_resolution, y_resolution; /* pixels per unit; 0 when absent */
    uint64_t next;                 /* offset of the next IFD, 0 at the end */
} tiff_ifd;

/* Reads n bytes at offset; MUMLOC_ERR_FORMAT ("truncated") when they lie past the end, what says
 * which part of the file was wanted. */
mumloc_status tiff_read_at(const tiff_source *src, uint64_t offset, void *buf, size_t n,
                           const char *what);

/* Parses the IFD at offset (index counts from 0 for messages). Free with tiff_ifd_free. */
mumloc_status tiff_ifd_parse(const tiff_source *src, uint64_t offset, int64_t index, tiff_ifd *ifd);
void tiff_ifd_free(tiff_ifd *ifd);

#endif
