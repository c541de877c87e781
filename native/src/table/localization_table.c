/* mumloc_localizations_to_table and mumloc_plane_drift_to_table: records → the columns of
 * columns.h in a mumloc_table (contracts in mumloc.h), through the table's public API only. */
#include <stdlib.h>

#include "core/error.h"
#include "table/columns.h"

/* Appends count rows, row r's values by row(r, values), to the columns index[0..n) of table (other
 * columns get NaN); on failure the table is left as it was. */
static mumloc_status append(mumloc_table *table, const int *index, int n, int64_t count,
                            void (*row)(const void *ctx, int64_t r, double *values),
                            const void *ctx) {
    const int64_t first = mumloc_table_rows(table);
    double *columns = malloc((size_t)count * (size_t)n * sizeof *columns);
    if (!columns) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for %lld rows",
                                     (long long)count);
    double values[TABLE_LOCALIZATION_COLUMNS + TABLE_PLANE_DRIFT_COLUMNS];
    for (int64_t r = 0; r < count; r++) {
        row(ctx, r, values);
        for (int c = 0; c < n; c++) columns[(size_t)c * (size_t)count + (size_t)r] = values[c];
    }
    /* New rows start as NaN in every column, extra columns of the table included. */
    mumloc_status status = mumloc_table_set_rows(table, first + count);
    for (int c = 0; c < n && status == MUMLOC_OK; c++)
        status = mumloc_table_set_column(table, index[c], first, columns + (size_t)c * (size_t)count,
                                         count);
    free(columns);
    if (status != MUMLOC_OK) mumloc_table_set_rows(table, first);
    return status;
}

typedef struct localizations {
    const mumloc_localization *locs;
    int64_t first_id;
} localizations;

static void localization_row(const void *ctx, int64_t r, double *values) {
    const localizations *l = ctx;
    table_localization_row(&l->locs[r], l->first_id + r, values);
}

mumloc_status mumloc_localizations_to_table(const mumloc_localization *locs, int64_t count,
                                            mumloc_table *table) {
    if (!table || count < 0 || (count > 0 && !locs))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "localizations_to_table needs a table, records and count >= 0");
    int index[TABLE_LOCALIZATION_COLUMNS];
    ERROR_TRY(table_columns_map(table, table_localization_columns, TABLE_LOCALIZATION_COLUMNS,
                                 TABLE_LOCALIZATION_REQUIRED, "mumloc_localizations_to_table",
                                 index));
    if (count == 0) return MUMLOC_OK;
    const localizations ctx = {locs, mumloc_table_rows(table) + 1};
    return append(table, index, TABLE_LOCALIZATION_COLUMNS, count, localization_row, &ctx);
}

typedef struct plane_drift {
    int64_t frame;
    const mumloc_frame_drift *drift;
} plane_drift;

static void plane_drift_row(const void *ctx, int64_t r, double *values) {
    const plane_drift *p = ctx;
    table_plane_drift_row(p->frame, (int)r, p->drift, values);
}

mumloc_status mumloc_plane_drift_to_table(int64_t frame, int planes,
                                          const mumloc_frame_drift *drift, int uncertainties,
                                          mumloc_table *table) {
    if (!table || !drift || frame < 0 || planes < 1 || planes > MUMLOC_MAX_PLANES)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "plane_drift_to_table needs a table, a drift, frame >= 0 and 1 to %d "
                           "planes (got frame %lld, %d planes)",
                           MUMLOC_MAX_PLANES, (long long)frame, planes);
    int n = uncertainties ? TABLE_PLANE_DRIFT_COLUMNS : TABLE_PLANE_DRIFT_BASIC;
    int index[TABLE_PLANE_DRIFT_COLUMNS];
    ERROR_TRY(table_columns_map(table, table_plane_drift_columns, n, n,
                                 "mumloc_plane_drift_to_table", index));
    const plane_drift ctx = {frame, drift};
    return append(table, index, n, planes, plane_drift_row, &ctx);
}
