/* The drift plot: drift in nm against frame, one line per axis, drawn by the library's plot renderer
 * (render/plot_png.h) and written as PNG, so the CLI and Fiji headless write the same file. */
#include "core/error.h"
#include "render/plot_png.h"

mumloc_status mumloc_drift_plot_write(const mumloc_table *drift, int width, int height,
                                      const char *path) {
    if (!drift || !path)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "drift plot: table and path must not be NULL");
    if (width == 0 && height == 0) {
        width = 800;
        height = 450;
    }
    if (width < 320 || width > 8000 || height < 200 || height > 8000)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "drift plot: size must be between 320x200 and 8000x8000 pixels (got %dx%d)",
                           width, height);
    const char *names[4] = {"frame", "dx", "dy", "dz"};
    const double *col[4];
    for (int a = 0; a < 4; a++) {
        int c = mumloc_table_find_column(drift, names[a], NULL);
        if (c < 0)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "drift plot: the drift table has no \"%s\" column (it needs frame, "
                               "dx, dy, dz)", names[a]);
        col[a] = mumloc_table_column_data(drift, c);
    }
    int64_t n = mumloc_table_rows(drift);
    if (n < 1) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "drift plot: the drift table has no rows");
    plot_series series[3] = {
        {col[0], col[1], n, {214, 39, 40}, 0, "dx"},
        {col[0], col[2], n, {44, 160, 44}, 0, "dy"},
        {col[0], col[3], n, {31, 119, 180}, 0, "dz"},
    };
    plot_spec spec;
    plot_spec_default(&spec);
    spec.title = "Sample drift";
    spec.x_label = "frame";
    spec.y_label = "drift (nm)";
    spec.width = width;
    spec.height = height;
    spec.series = series;
    spec.series_count = 3;
    return plot_write_png(&spec, path);
}
