/* Internal view of mumloc_table (the public functions are in mumloc.h): column-major storage, one
 * array of doubles per column, all with the same capacity. */
#ifndef MUMLOC_TABLE_TABLE_H
#define MUMLOC_TABLE_TABLE_H

#include <stdint.h>

#include "mumloc.h"

struct mumloc_table {
    int columns, column_cap;
    char **names;
    char **units;
    double **data;
    int64_t rows, row_cap;
    char *label; /* where the table came from (file path), for messages; "" when built in memory */
};

/* Sets the label messages use for this table (copied). */
mumloc_status mumloc_table_set_label(mumloc_table *table, const char *label);

/* Makes room for at least rows rows in every column (contents of new rows undefined). */
mumloc_status mumloc_table_reserve(mumloc_table *table, int64_t rows);

/* A new table with t's columns (names, units, label) and `count` rows: row i is t's row rows[i]. */
mumloc_status mumloc_table_select_rows(const mumloc_table *t, const int64_t *rows, int64_t count,
                                       mumloc_table **out);

/* A new table with t's columns (names, units, label) and `rows` rows of NaN. */
mumloc_status mumloc_table_same_columns(const mumloc_table *t, int64_t rows, mumloc_table **out);

#endif
