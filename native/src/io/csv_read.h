/* Reader for ThunderSTORM-style CSV tables (the format csv_write.h writes, and ThunderSTORM's own
 * exports): a header of column names, quoted or not, each "name" or "name [unit]" (split by the
 * rule of csv_heading.h), at most CSV_MAX_COLUMNS of them; then rows of numbers separated by
 * commas: plain decimals and "NaN", "Infinity", "-Infinity" (parse_table_number; fields may
 * be quoted). Reading takes time linear in the file's length.
 * Blank lines are skipped; '\r\n' line ends and a UTF-8 byte-order mark are accepted. Rows are read
 * one at a time, so a table of any length needs memory for one line only. */
#ifndef IO_CSV_READ_H
#define IO_CSV_READ_H

#include <stdint.h>

#include "mumloc.h"

/* Tables have tens of columns; the cap bounds the work and memory a hostile header can cause. */
#define CSV_MAX_COLUMNS 4096

typedef struct csv_reader csv_reader;

/* Opens path and parses its header. Fails with MUMLOC_ERR_IO (cannot open) or MUMLOC_ERR_FORMAT
 * (empty file, empty or duplicate column name). */
mumloc_status csv_reader_open(const char *path, csv_reader **out);
void csv_reader_close(csv_reader *reader);

int csv_reader_columns(const csv_reader *reader);
/* Column name without its unit, and the unit ("" when none). column is 0-based. */
const char *csv_reader_name(const csv_reader *reader, int column);
const char *csv_reader_unit(const csv_reader *reader, int column);
/* Index of the column with this name (units ignored), or -1. */
int csv_reader_find(const csv_reader *reader, const char *name);

/* Reads the next row into values (one per column). *has_row is 0 at the end of the table. A
 * malformed row fails with MUMLOC_ERR_FORMAT naming the file, line, column and text. */
mumloc_status csv_reader_next(csv_reader *reader, double *values, int *has_row);

/* 1-based line number of the last line read (the header is line 1). */
int64_t csv_reader_line(const csv_reader *reader);
/* Bytes of the file read so far, and its size (0 when unknown: not a regular file), for progress. */
int64_t csv_reader_bytes_read(const csv_reader *reader);
int64_t csv_reader_file_size(const csv_reader *reader);

#endif
