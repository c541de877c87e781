/* Reader of uncompressed grayscale TIFF stacks: mumloc's own movies (both layouts of tiff_write.h)
 * and ordinary ImageJ-saved 8/16/32-bit files (little or big endian, any strip arrangement), each
 * file read as tiff_file.h says. An OME-TIFF whose first IFD's OME-XML spreads the movie over
 * several files (Micro-Manager's name_MMStack_Pos0.ome.tif, name_MMStack_Pos0_1.ome.tif, …) is read
 * as one movie when given the first file (tiff_series.h). */
#ifndef IO_TIFF_READ_H
#define IO_TIFF_READ_H

#include <stdint.h>

#include "io/tiff_file.h"
#include "mumloc.h"

typedef struct tiff_reader tiff_reader;

mumloc_status tiff_reader_open(const char *path, tiff_reader **out);
void tiff_reader_close(tiff_reader *reader);

const tiff_info *tiff_reader_info(const tiff_reader *reader);
/* The first IFD's ImageDescription ("" when none). */
const char *tiff_reader_description(const tiff_reader *reader);

/* Reads image `index` (0-based) as width · height floats. Safe to call from several threads at
 * once (positioned reads). */
mumloc_status tiff_reader_read(const tiff_reader *reader, int64_t index, float *out);

#endif
