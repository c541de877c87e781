/* Reader of uncompressed grayscale TIFF stacks: mumloc's own movies (both layouts of tiff_write.h)
 * and ordinary ImageJ-saved 8/16/32-bit files (little or big endian, any strip arrangement), each
 * file read as tiff_file.h says. An OME-TIFF whose first IFD's OME-XML spreads the movie over
 * several files (Micro-Manager's name_MMStack_Pos0.ome.tif, name_MMStack_Pos0_1.ome.tif, …) is read
 * as one movie when given the first file (tiff_series.h). */
#ifndef MUMLOC_IO_TIFF_READ_H
#define MUMLOC_IO_TIFF_READ_H

#include <stdint.h>

#include "io/tiff_file.h"
#include "mumloc.h"

typedef struct mumloc_tiff_reader mumloc_tiff_reader;

mumloc_status mumloc_tiff_reader_open(const char *path, mumloc_tiff_reader **out);
void mumloc_tiff_reader_close(mumloc_tiff_reader *reader);

const mumloc_tiff_info *mumloc_tiff_reader_info(const mumloc_tiff_reader *reader);
/* The first IFD's ImageDescription ("" when none). */
const char *mumloc_tiff_reader_description(const mumloc_tiff_reader *reader);

/* Reads image `index` (0-based) as width · height floats. Safe to call from several threads at
 * once (positioned reads). */
mumloc_status mumloc_tiff_reader_read(const mumloc_tiff_reader *reader, int64_t index, float *out);

#endif
