/* The column table of localizations and plane drifts (columns.h). */
#include "table/columns.h"

#include <math.h>

#include "core/error.h"

const csv_column table_localization_columns[TABLE_LOCALIZATION_COLUMNS] = {
    {"id", ""},          {"frame", ""},           {"x", "nm"},
    {"y", "nm"},         {"z", "nm"},             {"intensity", "photon"},
    {"offset", "photon"}, {"bkgstd", "photon"},   {"uncertainty_xy", "nm"},
    {"uncertainty_z", "nm"}, {"probability", ""},    {"unresolved", ""},
};

void table_localization_row(const mumloc_localization *l, int64_t id, double *row) {
    row[0] = (double)id;
    row[1] = (double)(l->frame + 1);
    row[2] = l->x_nm;
    row[3] = l->y_nm;
    row[4] = l->z_nm;
    row[5] = l->photons;
    row[6] = l->offset;
    row[7] = l->bkgstd;
    row[8] = l->uncertainty_xy_nm;
    row[9] = l->uncertainty_z_nm;
    row[10] = l->probability;
    row[11] = l->unresolved < 0 ? NAN : (double)l->unresolved; /* −1: not assessed */
}

const csv_column table_plane_drift_columns[TABLE_PLANE_DRIFT_COLUMNS] = {
    {"frame", ""}, {"plane", ""}, {"dx", "nm"}, {"dy", "nm"},
    {"uncertainty_dx", "nm"}, {"uncertainty_dy", "nm"}, {"molecules", ""},
};

void table_plane_drift_row(int64_t frame, int plane, const mumloc_frame_drift *drift, double *row) {
    row[0] = (double)(frame + 1);
    row[1] = (double)(plane + 1);
    row[2] = drift->dx_dy[2 * plane];
    row[3] = drift->dx_dy[2 * plane + 1];
    row[4] = drift->sigma_nm[2 * plane];
    row[5] = drift->sigma_nm[2 * plane + 1];
    row[6] = (double)drift->molecules;
}

mumloc_status table_columns_map(mumloc_table *table, const csv_column *columns, int count,
                                int required, const char *filler, int *index) {
    int fresh = mumloc_table_columns(table) == 0;
    for (int c = 0; c < count; c++) {
        const char *unit = columns[c].unit ? columns[c].unit : "";
        if (fresh) {
            ERROR_TRY(mumloc_table_add_column(table, columns[c].name, unit, &index[c]));
            continue;
        }
        index[c] = mumloc_table_find_column(table, columns[c].name, unit);
        if (index[c] < 0 && c >= required) { /* a column newer than the table: NaN before */
            ERROR_TRY(mumloc_table_add_column(table, columns[c].name, unit, &index[c]));
            continue;
        }
        if (index[c] < 0)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "the table has no column \"%s%s%s%s\": pass an empty table or one "
                               "filled by %s",
                               columns[c].name, unit[0] ? " [" : "", unit, unit[0] ? "]" : "",
                               filler);
    }
    return MUMLOC_OK;
}
