/* The in-memory localization table: columns, rows, lookups (see mumloc.h, "Localization tables"). */
#include "table/table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/csv_heading.h"

/* Rows are capped so that every size computation stays far from overflow. */
#define MAX_ROWS ((int64_t)1 << 40)

static char *copy_string(const char *text) {
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    if (copy) memcpy(copy, text, len + 1);
    return copy;
}

mumloc_status mumloc_table_create(mumloc_table **out) {
    if (!out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "table_create: out is NULL");
    *out = NULL;
    mumloc_table *t = calloc(1, sizeof *t);
    if (!t || !(t->label = copy_string(""))) {
        free(t);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory creating a table");
    }
    *out = t;
    return MUMLOC_OK;
}

void mumloc_table_destroy(mumloc_table *t) {
    if (!t) return;
    for (int c = 0; c < t->columns; c++) {
        free(t->names[c]);
        free(t->units[c]);
        free(t->data[c]);
    }
    free(t->names);
    free(t->units);
    free(t->data);
    free(t->label);
    free(t);
}

mumloc_status table_set_label(mumloc_table *t, const char *label) {
    char *copy = copy_string(label ? label : "");
    if (!copy) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory naming a table");
    free(t->label);
    t->label = copy;
    return MUMLOC_OK;
}

mumloc_status table_reserve(mumloc_table *t, int64_t rows) {
    if (rows > MAX_ROWS)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "a table holds at most %lld rows, not %lld",
                           (long long)MAX_ROWS, (long long)rows);
    if (rows <= t->row_cap) return MUMLOC_OK;
    int64_t cap = t->row_cap ? t->row_cap : 64;
    while (cap < rows) cap *= 2;
    for (int c = 0; c < t->columns; c++) {
        double *grown = realloc(t->data[c], (size_t)cap * sizeof *grown);
        if (!grown)
            return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory growing a table to %lld rows",
                               (long long)rows);
        t->data[c] = grown;
    }
    t->row_cap = cap;
    return MUMLOC_OK;
}

static int bad_text(const char *text) { return strpbrk(text, "\",\r\n") != NULL; }

mumloc_status table_check_column_text(const char *name, const char *unit) {
    if (!*name || bad_text(name) || bad_text(unit))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "column \"%s\" [%s]: a column needs a name, and neither name nor unit may "
                           "hold '\"', ',' or a line break",
                           name, unit);
    if (!csv_unit_writable(unit))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "column \"%s\": its unit \"%s\" may not hold '[' or ']'", name, unit);
    return MUMLOC_OK;
}

mumloc_status mumloc_table_add_column(mumloc_table *t, const char *name, const char *unit,
                                      int *index) {
    if (!t || !name) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "table_add_column: table and name are required");
    if (mumloc_table_find_column(t, name, NULL) >= 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the table already has a column \"%s\"; column names must be unique", name);
    return table_add_new_column(t, name, unit, index);
}

mumloc_status table_add_new_column(mumloc_table *t, const char *name, const char *unit,
                                          int *index) {
    if (!unit) unit = "";
    ERROR_TRY(table_check_column_text(name, unit));
    if (t->columns == t->column_cap) {
        int cap = t->column_cap ? 2 * t->column_cap : 8;
        char **names = realloc(t->names, (size_t)cap * sizeof *names);
        if (names) t->names = names;
        char **units = realloc(t->units, (size_t)cap * sizeof *units);
        if (units) t->units = units;
        double **data = realloc(t->data, (size_t)cap * sizeof *data);
        if (data) t->data = data;
        if (!names || !units || !data)
            return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory adding a table column");
        t->column_cap = cap;
    }
    char *name_copy = copy_string(name), *unit_copy = copy_string(unit);
    double *values = malloc((size_t)(t->row_cap > 0 ? t->row_cap : 1) * sizeof *values);
    if (!name_copy || !unit_copy || !values) {
        free(name_copy);
        free(unit_copy);
        free(values);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory adding a table column");
    }
    for (int64_t r = 0; r < t->rows; r++) values[r] = NAN;
    t->names[t->columns] = name_copy;
    t->units[t->columns] = unit_copy;
    t->data[t->columns] = values;
    if (index) *index = t->columns;
    t->columns++;
    return MUMLOC_OK;
}

mumloc_status mumloc_table_append_rows(mumloc_table *t, const double *values, int64_t rows) {
    if (!t || (!values && rows > 0) || rows < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "table_append_rows: needs a table, values and rows >= 0");
    if (rows > 0 && t->columns == 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "table_append_rows: add columns first");
    ERROR_TRY(table_reserve(t, t->rows + rows));
    for (int64_t r = 0; r < rows; r++)
        for (int c = 0; c < t->columns; c++) t->data[c][t->rows + r] = values[r * t->columns + c];
    t->rows += rows;
    return MUMLOC_OK;
}

mumloc_status mumloc_table_set_rows(mumloc_table *t, int64_t rows) {
    if (!t || rows < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "table_set_rows: needs a table and rows >= 0");
    ERROR_TRY(table_reserve(t, rows));
    for (int c = 0; c < t->columns; c++)
        for (int64_t r = t->rows; r < rows; r++) t->data[c][r] = NAN;
    t->rows = rows;
    return MUMLOC_OK;
}

mumloc_status mumloc_table_set_column(mumloc_table *t, int column, int64_t first_row,
                                      const double *values, int64_t count) {
    if (!t || column < 0 || column >= t->columns)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "table_set_column: column %d does not exist (the table has %d)",
                           column, t ? t->columns : 0);
    if (first_row < 0 || count < 0 || first_row > t->rows || count > t->rows - first_row ||
        (!values && count > 0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "table_set_column: rows [%lld, %lld) are outside the table's %lld rows",
                           (long long)first_row, (long long)(first_row + count), (long long)t->rows);
    if (count > 0) memcpy(t->data[column] + first_row, values, (size_t)count * sizeof *values);
    return MUMLOC_OK;
}

int64_t mumloc_table_rows(const mumloc_table *t) { return t ? t->rows : 0; }
int mumloc_table_columns(const mumloc_table *t) { return t ? t->columns : 0; }

const char *mumloc_table_column_name(const mumloc_table *t, int c) {
    return (t && c >= 0 && c < t->columns) ? t->names[c] : NULL;
}

const char *mumloc_table_column_unit(const mumloc_table *t, int c) {
    return (t && c >= 0 && c < t->columns) ? t->units[c] : NULL;
}

const double *mumloc_table_column_data(const mumloc_table *t, int c) {
    return (t && c >= 0 && c < t->columns) ? t->data[c] : NULL;
}

int mumloc_table_find_column(const mumloc_table *t, const char *name, const char *unit) {
    if (!t || !name) return -1;
    for (int c = 0; c < t->columns; c++)
        if (strcmp(t->names[c], name) == 0) return (!unit || strcmp(t->units[c], unit) == 0) ? c : -1;
    return -1;
}

/* First column in px, or -1 (checked before converting anything, so a failure changes nothing). */
static int first_px_column(const mumloc_table *t) {
    for (int c = 0; c < t->columns; c++)
        if (strcmp(t->units[c], "px") == 0) return c;
    return -1;
}

mumloc_status mumloc_table_convert_to_nm(mumloc_table *t, double pixel_nm) {
    if (!t) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "table_convert_to_nm: table is NULL");
    int has_px = first_px_column(t);
    if (has_px >= 0 && !(pixel_nm > 0 && isfinite(pixel_nm)))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "column \"%s\" is in px: give the camera pixel size in nm (a positive "
                           "number) to convert it to nm",
                           t->names[has_px]);
    for (int c = 0; c < t->columns; c++) {
        const char *unit = t->units[c];
        double scale;
        if (strcmp(unit, "um") == 0 || strcmp(unit, "\xC2\xB5m") == 0) scale = 1000.0;
        else if (strcmp(unit, "px") == 0) scale = pixel_nm;
        else continue;
        char *nm = copy_string("nm");
        if (!nm) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory converting units");
        for (int64_t r = 0; r < t->rows; r++) t->data[c][r] *= scale;
        free(t->units[c]);
        t->units[c] = nm;
    }
    return MUMLOC_OK;
}
