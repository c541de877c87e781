/* Internal view of mumloc_table (the public functions are in mumloc.h): column-major storage, one
 * array of doubles per column, all with the same capacity. */
#ifndef TABLE_TABLE_H
#define TABLE_TABLE_H

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
mumloc_status table_set_label(mumloc_table *table, const char *label);

/* MUMLOC_OK when a column may have this name and unit (not NULL): a non-empty name, neither holding
 * '"', ',' or a line break, the unit no '[' or ']'. */
mumloc_status table_check_column_text(const char *name, const char *unit);

/* mumloc_table_add_column for a caller that knows the name is new (the CSV reader checked it by
 * hashing; checking again here would cost time quadratic in the number of columns). */
mumloc_status table_add_new_column(mumloc_table *table, const char *name, const char *unit,
                                          int *index);

/* Makes room for at least rows rows in every column (contents of new rows undefined). */
mumloc_status table_reserve(mumloc_table *table, int64_t rows);

struct atomic_file;
/* Writes the table as CSV into a pending atomic file (the caller commits: merge pairs it with a
 * sidecar); path names it in messages. */
mumloc_status table_write_csv_to(const mumloc_table *table, struct atomic_file *af,
                                        const char *path);

/* A new table with t's columns (names, units, label) and `count` rows: row i is t's row rows[i]. */
mumloc_status table_select_rows(const mumloc_table *t, const int64_t *rows, int64_t count,
                                       mumloc_table **out);

/* A new table with t's columns (names, units, label) and `rows` rows of NaN. */
mumloc_status table_same_columns(const mumloc_table *t, int64_t rows, mumloc_table **out);

#endif
