/* New tables shaped like an existing one: a selection of its rows, empty rows to fill, a copy. */
#include "table/table.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

mumloc_status table_same_columns(const mumloc_table *t, int64_t rows, mumloc_table **out) {
    *out = NULL;
    mumloc_table *copy = NULL;
    ERROR_TRY(mumloc_table_create(&copy));
    mumloc_status s = table_set_label(copy, t->label);
    for (int c = 0; c < t->columns && s == MUMLOC_OK; c++)
        s = mumloc_table_add_column(copy, t->names[c], t->units[c], NULL);
    if (s == MUMLOC_OK) s = mumloc_table_set_rows(copy, rows);
    if (s != MUMLOC_OK) {
        mumloc_table_destroy(copy);
        return s;
    }
    *out = copy;
    return MUMLOC_OK;
}

mumloc_status table_select_rows(const mumloc_table *t, const int64_t *rows, int64_t count,
                                       mumloc_table **out) {
    ERROR_TRY(table_same_columns(t, count, out));
    mumloc_table *copy = *out;
#pragma omp parallel for schedule(static)
    for (int c = 0; c < t->columns; c++) {
        const double *from = t->data[c];
        double *to = copy->data[c];
        for (int64_t i = 0; i < count; i++) to[i] = from[rows[i]];
    }
    return MUMLOC_OK;
}

mumloc_status mumloc_table_copy(const mumloc_table *t, mumloc_table **out) {
    if (!t || !out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "table_copy needs a table and out");
    ERROR_TRY(table_same_columns(t, t->rows, out));
    for (int c = 0; c < t->columns; c++)
        if (t->rows > 0) memcpy((*out)->data[c], t->data[c], (size_t)t->rows * sizeof(double));
    return MUMLOC_OK;
}
