/* mumloc_localizations_to_table: localization records → the ThunderSTORM columns of a mumloc_table
 * (contract in mumloc.h), through the table's public API only. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"

enum { COL_ID, COL_FRAME, COL_X, COL_Y, COL_Z, COL_INTENSITY, COL_OFFSET, COL_BKGSTD, COL_UXY,
       COL_UZ, COL_PROBABILITY, COL_UNRESOLVED, COLUMN_COUNT };
/* Columns a table filled before they existed may lack: added to it (NaN in its earlier rows). */
#define FIRST_OPTIONAL COL_UNRESOLVED

static const char *const NAMES[COLUMN_COUNT] = {
    "id", "frame", "x", "y", "z", "intensity", "offset", "bkgstd", "uncertainty_xy",
    "uncertainty_z", "probability", "unresolved"};
static const char *const UNITS[COLUMN_COUNT] = {"", "", "nm", "nm", "nm", "photon", "photon",
                                                "photon", "nm", "nm", "", ""};

static double value(const mumloc_localization *l, int column, int64_t id) {
    switch (column) {
    case COL_ID: return (double)id;
    case COL_FRAME: return (double)(l->frame + 1);
    case COL_X: return l->x_nm;
    case COL_Y: return l->y_nm;
    case COL_Z: return l->z_nm;
    case COL_INTENSITY: return l->photons;
    case COL_OFFSET: return l->offset;
    case COL_BKGSTD: return l->bkgstd;
    case COL_UXY: return l->uncertainty_xy_nm;
    case COL_UZ: return l->uncertainty_z_nm;
    case COL_UNRESOLVED: return l->unresolved < 0 ? NAN : (double)l->unresolved;
    default: return l->probability;
    }
}

/* Table column of each of ours: added when the table has no columns, else found by name and unit. */
static mumloc_status map_columns(mumloc_table *table, int *index) {
    int fresh = mumloc_table_columns(table) == 0;
    for (int c = 0; c < COLUMN_COUNT; c++) {
        if (fresh) {
            MUMLOC_TRY(mumloc_table_add_column(table, NAMES[c], UNITS[c], &index[c]));
            continue;
        }
        index[c] = mumloc_table_find_column(table, NAMES[c], UNITS[c]);
        if (index[c] < 0 && c >= FIRST_OPTIONAL) {
            MUMLOC_TRY(mumloc_table_add_column(table, NAMES[c], UNITS[c], &index[c]));
            continue;
        }
        if (index[c] < 0)
            return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "the table has no column \"%s%s%s%s\": pass an empty table or one "
                               "filled by mumloc_localizations_to_table",
                               NAMES[c], UNITS[c][0] ? " [" : "", UNITS[c], UNITS[c][0] ? "]" : "");
    }
    return MUMLOC_OK;
}

mumloc_status mumloc_localizations_to_table(const mumloc_localization *locs, int64_t count,
                                            mumloc_table *table) {
    if (!table || count < 0 || (count > 0 && !locs))
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "localizations_to_table needs a table, records and count >= 0");
    int index[COLUMN_COUNT];
    MUMLOC_TRY(map_columns(table, index));
    if (count == 0) return MUMLOC_OK;
    const int64_t first = mumloc_table_rows(table);
    double *column = malloc((size_t)count * sizeof *column);
    if (!column) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for %lld rows",
                                    (long long)count);
    /* New rows start as NaN in every column, extra columns of the table included. */
    mumloc_status status = mumloc_table_set_rows(table, first + count);
    for (int c = 0; c < COLUMN_COUNT && status == MUMLOC_OK; c++) {
        for (int64_t r = 0; r < count; r++) column[r] = value(&locs[r], c, first + r + 1);
        status = mumloc_table_set_column(table, index[c], first, column, count);
    }
    free(column);
    if (status != MUMLOC_OK) mumloc_table_set_rows(table, first); /* leave the table as it was */
    return status;
}
