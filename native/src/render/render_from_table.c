/* mumloc_render_table: a renderer filled from an in-memory localization table (what the Fiji plugin
 * holds after converting a ResultsTable), using only the table's public accessors. */
#include <string.h>

#include "core/error.h"
#include "render/render_internal.h"

static mumloc_status nm_column(const mumloc_table *table, const char *name, const char *why,
                               const double **data) {
    int column = mumloc_table_find_column(table, name, NULL);
    if (column < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: the table has no column \"%s\"%s",
                           name, why);
    const char *unit = mumloc_table_column_unit(table, column);
    if (unit && *unit && strcmp(unit, "nm") != 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: the table's column \"%s\" is in [%s]; convert it to nm first "
                           "(mumloc_table_convert_to_nm)",
                           name, unit);
    *data = mumloc_table_column_data(table, column);
    return MUMLOC_OK;
}

mumloc_status mumloc_render_table(const mumloc_render_params *params, const mumloc_table *table,
                                  mumloc_renderer **out) {
    if (!out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: output pointer is NULL");
    *out = NULL;
    if (!table) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: the table is NULL");
    ERROR_TRY(mumloc_render_params_validate(params));
    const double *x = NULL, *y = NULL, *z = NULL, *sigma = NULL;
    ERROR_TRY(nm_column(table, "x", " (x [nm] is required)", &x));
    ERROR_TRY(nm_column(table, "y", " (y [nm] is required)", &y));
    ERROR_TRY(nm_column(table, "z", " (z [nm] is required: depth is encoded by colour)", &z));
    if (params->method == MUMLOC_RENDER_GAUSSIAN && params->sigma_nm == 0.0) {
        const char *name = mumloc_table_find_column(table, "uncertainty_xy", NULL) >= 0
                               ? "uncertainty_xy"
                               : "uncertainty";
        ERROR_TRY(nm_column(table, name,
                             " (nor \"uncertainty_xy\"): the Gaussian method needs each "
                             "localization's uncertainty, or a fixed sigma",
                             &sigma));
    }
    int64_t rows = mumloc_table_rows(table);
    mumloc_render_params p = *params;
    ERROR_TRY(mumloc_render_params_fit(&p, rows, x, y, z));
    mumloc_renderer *r = NULL;
    ERROR_TRY(mumloc_renderer_create(&p, &r));
    mumloc_status s = mumloc_renderer_add(r, rows, x, y, z, sigma);
    if (s != MUMLOC_OK) {
        mumloc_renderer_destroy(r);
        return s;
    }
    *out = r;
    return MUMLOC_OK;
}
