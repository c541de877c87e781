/* mumloc_render_file: a ThunderSTORM CSV streamed row by row into a renderer (bounded memory), then
 * written. When the field or the z range comes from the data, a first pass over the table finds the
 * extent while it keeps the parsed coordinates in an anonymous temporary file (32 bytes a row, on
 * disk, not in memory); the second pass reads them back, which costs a fraction of parsing the text
 * again. If no temporary file can be made or written, the table itself is read twice. Outputs are
 * written only after the whole table was read, so a bad row or a cancellation leaves no file. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/csv_read.h"
#include "render/render_files.h"
#include "render/render_internal.h"

enum { BATCH_ROWS = 1 << 16 };

typedef struct table_columns {
    int x, y, z, sigma;           /* column indices; sigma -1 when not read */
    double xyz_scale, sigma_scale; /* to nm */
} table_columns;

typedef struct batch {
    double *x, *y, *z, *sigma;
    double *row;                  /* one CSV row */
    int count;
} batch;

/* nm per unit of a length column; 0 for a unit we cannot convert. */
static double nm_per_unit(const char *unit) {
    if (!*unit || strcmp(unit, "nm") == 0) return 1.0;
    if (strcmp(unit, "um") == 0 || strcmp(unit, "\xc2\xb5m") == 0 || strcmp(unit, "micron") == 0)
        return 1000.0;
    return 0.0;
}

static mumloc_status length_column(csv_reader *reader, const char *path, const char *name,
                                   const char *why, int *index, double *scale) {
    *index = csv_reader_find(reader, name);
    if (*index < 0)
        return error_fail(MUMLOC_ERR_FORMAT, "render: '%s' has no column \"%s\"%s", path, name, why);
    const char *unit = csv_reader_unit(reader, *index);
    *scale = nm_per_unit(unit);
    if (*scale == 0.0)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "render: '%s' column \"%s\" is in [%s]; rendering needs nm or um (convert "
                           "pixel units to nm first)",
                           path, name, unit);
    return MUMLOC_OK;
}

static mumloc_status find_columns(csv_reader *reader, const char *path, int needs_sigma,
                                  table_columns *c) {
    double scale_x, scale_y, scale_z;
    ERROR_TRY(length_column(reader, path, "x", " (x [nm] is required)", &c->x, &scale_x));
    ERROR_TRY(length_column(reader, path, "y", " (y [nm] is required)", &c->y, &scale_y));
    ERROR_TRY(length_column(reader, path, "z",
                             " (z [nm] is required: depth is encoded by colour)", &c->z, &scale_z));
    if (scale_x != scale_y || scale_x != scale_z)
        return error_fail(MUMLOC_ERR_FORMAT, "render: '%s' columns x, y and z must share one unit",
                           path);
    c->xyz_scale = scale_x;
    c->sigma = -1;
    c->sigma_scale = 1.0;
    if (needs_sigma) {
        const char *name = csv_reader_find(reader, "uncertainty_xy") >= 0 ? "uncertainty_xy"
                                                                                 : "uncertainty";
        ERROR_TRY(length_column(reader, path, name,
                                 " (nor \"uncertainty_xy\"): the Gaussian method needs each "
                                 "localization's uncertainty, or a fixed sigma",
                                 &c->sigma, &c->sigma_scale));
    }
    return MUMLOC_OK;
}

/* Reads the next row into the batch; *more is 0 at the end of the table. */
static mumloc_status read_row(csv_reader *reader, const char *path, const table_columns *c,
                              batch *b, int *more) {
    ERROR_TRY(csv_reader_next(reader, b->row, more));
    if (!*more) return MUMLOC_OK;
    double x = b->row[c->x] * c->xyz_scale, y = b->row[c->y] * c->xyz_scale,
           z = b->row[c->z] * c->xyz_scale;
    if (!isfinite(x) || !isfinite(y) || !isfinite(z))
        return error_fail(MUMLOC_ERR_FORMAT,
                           "render: '%s' line %lld: x, y and z must be finite numbers, got %g, %g, "
                           "%g; remove such rows",
                           path, (long long)csv_reader_line(reader), x, y, z);
    double sigma = 0.0;
    if (c->sigma >= 0) {
        sigma = b->row[c->sigma] * c->sigma_scale;
        if (isnan(sigma))
            return error_fail(MUMLOC_ERR_FORMAT,
                               "render: '%s' line %lld: the uncertainty is NaN; remove such rows or "
                               "give a fixed sigma",
                               path, (long long)csv_reader_line(reader));
    }
    b->x[b->count] = x;
    b->y[b->count] = y;
    b->z[b->count] = z;
    b->sigma[b->count] = sigma;
    b->count++;
    return MUMLOC_OK;
}

static mumloc_status cancelled(int64_t rows) {
    return error_fail(MUMLOC_ERR_CANCELLED,
                       "render cancelled after %lld rows; no file was written", (long long)rows);
}

/* Appends the batch to the spill file; on failure closes it and sets *spill to NULL (the caller then
 * reads the table again instead). */
static void spill_batch(FILE **spill, const batch *b) {
    if (!*spill || b->count == 0) return;
    int32_t n = b->count;
    size_t k = (size_t)n;
    if (fwrite(&n, sizeof n, 1, *spill) != 1 || fwrite(b->x, sizeof *b->x, k, *spill) != k ||
        fwrite(b->y, sizeof *b->y, k, *spill) != k || fwrite(b->z, sizeof *b->z, k, *spill) != k ||
        fwrite(b->sigma, sizeof *b->sigma, k, *spill) != k) {
        fclose(*spill);
        *spill = NULL;
    }
}

/* The second pass from the spill file. */
static mumloc_status replay(FILE *spill, batch *b, mumloc_renderer *renderer, int64_t total,
                            mumloc_progress_fn progress, void *user) {
    if (fflush(spill) != 0 || fseek(spill, 0, SEEK_SET) != 0)
        return error_fail(MUMLOC_ERR_IO, "render: cannot read back the temporary file");
    int64_t rows = 0;
    int32_t n;
    while (fread(&n, sizeof n, 1, spill) == 1) {
        size_t k = (size_t)n;
        if (n <= 0 || n > BATCH_ROWS || fread(b->x, sizeof *b->x, k, spill) != k ||
            fread(b->y, sizeof *b->y, k, spill) != k || fread(b->z, sizeof *b->z, k, spill) != k ||
            fread(b->sigma, sizeof *b->sigma, k, spill) != k)
            return error_fail(MUMLOC_ERR_IO, "render: the temporary file was cut short");
        ERROR_TRY(mumloc_renderer_add(renderer, n, b->x, b->y, b->z, b->sigma));
        rows += n;
        if (progress && progress(user, rows, total)) return cancelled(rows);
    }
    if (rows != total)
        return error_fail(MUMLOC_ERR_IO, "render: the temporary file holds %lld of %lld rows",
                           (long long)rows, (long long)total);
    return MUMLOC_OK;
}

/* One pass over the table: into the extent (renderer NULL; each batch also to *spill when that is
 * not NULL) or into the renderer. */
static mumloc_status pass(const char *path, int needs_sigma, batch *b, render_extent *extent,
                          FILE **spill, mumloc_renderer *renderer, int64_t total, int64_t *rows,
                          mumloc_progress_fn progress, void *user) {
    csv_reader *reader = NULL;
    ERROR_TRY(csv_reader_open(path, &reader));
    table_columns c;
    mumloc_status s = find_columns(reader, path, needs_sigma, &c);
    if (s == MUMLOC_OK) {
        b->row = malloc(sizeof *b->row * (size_t)csv_reader_columns(reader));
        if (!b->row) s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "render: out of memory");
    }
    *rows = 0;
    int more = 1;
    while (s == MUMLOC_OK && more) {
        b->count = 0;
        while (s == MUMLOC_OK && b->count < BATCH_ROWS && more)
            s = read_row(reader, path, &c, b, &more);
        if (s != MUMLOC_OK) break;
        if (renderer) {
            s = mumloc_renderer_add(renderer, b->count, b->x, b->y, b->z, b->sigma);
        } else {
            for (int i = 0; i < b->count; i++) render_extent_add(extent, b->x[i], b->y[i], b->z[i]);
            spill_batch(spill, b);
        }
        *rows += b->count;
        if (s == MUMLOC_OK && progress && progress(user, *rows, total)) s = cancelled(*rows);
    }
    free(b->row);
    b->row = NULL;
    csv_reader_close(reader);
    return s;
}

static mumloc_status check_paths(const mumloc_render_params *p, const char *table,
                                 const char *image, const char *zstack) {
    if (!table || !*table) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "render: a table path is required");
    render_format format;
    ERROR_TRY(render_image_format(image, &format));
    if (zstack && !p->zstack)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "render: a z-stack path was given but params.zstack is 0");
    const char *paths[3] = {table, image, zstack};
    for (int a = 0; a < 3; a++)
        for (int b = a + 1; b < 3; b++)
            if (mumloc_files_same(paths[a], paths[b]))
                return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                   "render: the table, image and z-stack paths must name "
                                   "different files ('%s' and '%s' are one file)",
                                   paths[a], paths[b]);
    return MUMLOC_OK;
}

static mumloc_status render_with(mumloc_render_params *p, const char *table, const char *image,
                                 const char *zstack, mumloc_render_info *info, batch *b,
                                 mumloc_progress_fn progress, void *user) {
    int needs_sigma = p->method == MUMLOC_RENDER_GAUSSIAN && p->sigma_nm == 0.0;
    int64_t rows = 0, total = 0;
    FILE *spill = NULL;
    mumloc_status s = MUMLOC_OK;
    if (p->field_width_nm == 0.0 || p->field_height_nm == 0.0 || p->z_from_data) {
        render_extent extent;
        render_extent_init(&extent);
        spill = tmpfile(); /* NULL is fine: the table is then read twice */
        s = pass(table, needs_sigma, b, &extent, &spill, NULL, 0, &rows, progress, user);
        if (s == MUMLOC_OK) s = render_extent_apply(&extent, p);
        total = rows;
    }
    mumloc_renderer *r = NULL;
    if (s == MUMLOC_OK) s = mumloc_renderer_create(p, &r);
    if (s == MUMLOC_OK)
        s = spill ? replay(spill, b, r, total, progress, user)
                  : pass(table, needs_sigma, b, NULL, NULL, r, total, &rows, progress, user);
    if (spill) fclose(spill);
    if (s == MUMLOC_OK) s = mumloc_renderer_write_image(r, image);
    if (s == MUMLOC_OK && zstack) {
        s = mumloc_renderer_write_zstack(r, zstack);
        if (s != MUMLOC_OK) remove(image); /* all outputs or none */
    }
    if (s == MUMLOC_OK && info) s = mumloc_renderer_info(r, info);
    mumloc_renderer_destroy(r);
    return s;
}

mumloc_status mumloc_render_file(const mumloc_render_params *params, const char *table_path,
                                 const char *image_path, const char *zstack_path,
                                 mumloc_render_info *info, mumloc_progress_fn progress, void *user) {
    ERROR_TRY(mumloc_render_params_validate(params));
    ERROR_TRY(check_paths(params, table_path, image_path, zstack_path));
    mumloc_render_params p = *params;
    batch b = {0};
    b.x = malloc(sizeof *b.x * BATCH_ROWS);
    b.y = malloc(sizeof *b.y * BATCH_ROWS);
    b.z = malloc(sizeof *b.z * BATCH_ROWS);
    b.sigma = malloc(sizeof *b.sigma * BATCH_ROWS);
    mumloc_status s;
    if (!b.x || !b.y || !b.z || !b.sigma)
        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "render: out of memory");
    else
        s = render_with(&p, table_path, image_path, zstack_path, info, &b, progress, user);
    free(b.x);
    free(b.y);
    free(b.z);
    free(b.sigma);
    return s;
}
