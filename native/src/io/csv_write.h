/* ThunderSTORM-style CSV tables, written row by row:
 *   "id","frame","x [nm]",…      header: every field double-quoted, "name [unit]" when it has a unit
 *                                 ("name []" for a name that ends like a unit, see csv_heading.h)
 *   1,1,123.4,…                   rows: numbers from mumloc_format_number, ',' separators, '\n' ends
 * The writer streams: the header first, then each row as it comes; nothing is held in memory. */
#ifndef IO_CSV_WRITE_H
#define IO_CSV_WRITE_H

#include <stdio.h>

#include "mumloc.h"

typedef struct csv_column {
    const char *name; /* e.g. "x" */
    const char *unit; /* e.g. "nm", or NULL / "" for none */
} csv_column;

typedef struct csv_writer {
    FILE *file;        /* not owned: the caller opens and closes it */
    const char *label; /* names the file in error messages (usually its path); not copied */
    int columns;
} csv_writer;

/* Writes the header line to file. Names and units must not contain '"', ',' or line breaks, units
 * not '[' or ']'; names and units are written so that the reader gives them back exactly
 * (csv_heading.h). */
mumloc_status csv_writer_begin(csv_writer *writer, FILE *file, const char *label,
                                      const csv_column *columns, int count);

/* Appends one row of writer->columns values. */
mumloc_status csv_writer_row(csv_writer *writer, const double *values);

#endif
