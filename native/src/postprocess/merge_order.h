/* Row order by frame for the merging of blinks: the table's rows sorted by (frame, row). */
#ifndef POSTPROCESS_MERGE_ORDER_H
#define POSTPROCESS_MERGE_ORDER_H

#include <stdint.h>

#include "mumloc.h"

/* *order (malloc'ed, rows entries; free it) lists the rows by increasing frame, table order within a
 * frame. Frames must be finite whole numbers (checked; the error names the row). A table already in
 * frame order costs one pass; otherwise a counting sort over the frame range, or a radix sort when
 * the range is much larger than the row count. */
mumloc_status merge_frame_order(const double *frame, int64_t rows, int64_t **order);

#endif
