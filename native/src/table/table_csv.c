/* mumloc_table to and from ThunderSTORM CSV, through the library's one CSV reader and writer. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/csv_heading.h"
#include "io/csv_read.h"
#include "io/csv_write.h"
#include "io/text_buffer.h"
#include "table/table.h"

enum { MAX_REQUIRED = 32 };

/* Splits "frame, x,y" into trimmed names in buffer (modified in place). */
static mumloc_status split_required(char *buffer, char **names, int *count) {
    *count = 0;
    for (char *p = buffer; p;) {
        char *comma = strchr(p, ',');
        if (comma) *comma = '\0';
        while (*p == ' ') p++;
        size_t len = strlen(p);
        while (len > 0 && p[len - 1] == ' ') p[--len] = '\0';
        if (len > 0) {
            if (*count == MAX_REQUIRED)
                return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                   "table_read_csv: at most %d required columns", MAX_REQUIRED);
            names[(*count)++] = p;
        }
        p = comma ? comma + 1 : NULL;
    }
    return MUMLOC_OK;
}

static mumloc_status missing_column(const char *path, const csv_reader *reader,
                                    const char *name, const char *required) {
    text_buffer present = {0};
    for (int c = 0; c < csv_reader_columns(reader); c++) {
        const char *column = csv_reader_name(reader, c), *unit = csv_reader_unit(reader, c);
        const char *open, *close; /* as the header field would be written */
        csv_heading_brackets(column, unit, &open, &close);
        text_printf(&present, "%s\"%s%s%s%s\"", c ? ", " : "", column, open, unit, close);
    }
    mumloc_status s = error_fail(MUMLOC_ERR_FORMAT,
                                  "'%s' has no column \"%s\" (required: %s); its columns are: %s",
                                  path, name, required, present.data ? present.data : "(none)");
    text_free(&present);
    return s;
}

enum { PROGRESS_ROWS = 65536 };

typedef struct read_progress {
    mumloc_progress_fn fn;
    void *user;
} read_progress;

/* Reads every row into t, checking the required columns hold finite numbers. */
static mumloc_status read_rows(csv_reader *reader, const char *path, mumloc_table *t,
                               const int *required, int required_count, read_progress progress) {
    double *values = malloc((size_t)t->columns * sizeof *values);
    if (!values) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading '%s'", path);
    mumloc_status s = MUMLOC_OK;
    for (;;) {
        int has_row = 0;
        if ((s = csv_reader_next(reader, values, &has_row)) != MUMLOC_OK || !has_row) break;
        for (int i = 0; i < required_count && s == MUMLOC_OK; i++) {
            double v = values[required[i]];
            if (isfinite(v)) continue;
            char text[64];
            mumloc_format_number(v, text, sizeof text);
            const char *name = t->names[required[i]];
            s = error_fail(MUMLOC_ERR_FORMAT, "'%s' line %lld: \"%s\" is %s; every row needs a finite %s",
                            path, (long long)csv_reader_line(reader), name, text, name);
        }
        if (s == MUMLOC_OK) s = mumloc_table_append_rows(t, values, 1);
        if (s != MUMLOC_OK) break;
        if (progress.fn && t->rows % PROGRESS_ROWS == 0 &&
            progress.fn(progress.user, csv_reader_bytes_read(reader),
                        csv_reader_file_size(reader))) {
            s = error_fail(MUMLOC_ERR_CANCELLED, "reading '%s' was cancelled", path);
            break;
        }
    }
    free(values);
    return s;
}

static mumloc_status read_into(csv_reader *reader, const char *path, const char *required,
                               mumloc_table *t, read_progress progress) {
    for (int c = 0; c < csv_reader_columns(reader); c++) /* names are unique: the reader checked */
        if (table_add_new_column(t, csv_reader_name(reader, c),
                                        csv_reader_unit(reader, c), NULL) != MUMLOC_OK)
            return error_fail(MUMLOC_ERR_FORMAT, "'%s' line 1, column %d: %s", path, c + 1,
                               mumloc_last_error());
    int required_index[MAX_REQUIRED], required_count = 0;
    if (required && *required) {
        char *buffer = malloc(strlen(required) + 1);
        if (!buffer) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading '%s'", path);
        strcpy(buffer, required);
        char *names[MAX_REQUIRED];
        mumloc_status s = split_required(buffer, names, &required_count);
        for (int i = 0; i < required_count && s == MUMLOC_OK; i++) {
            required_index[i] = csv_reader_find(reader, names[i]);
            if (required_index[i] < 0) s = missing_column(path, reader, names[i], required);
        }
        free(buffer);
        ERROR_TRY(s);
    }
    return read_rows(reader, path, t, required_index, required_count, progress);
}

mumloc_status mumloc_table_read_csv(const char *path, const char *required, mumloc_table **out) {
    return mumloc_table_read_csv_progress(path, required, out, NULL, NULL);
}

mumloc_status mumloc_table_read_csv_progress(const char *path, const char *required,
                                             mumloc_table **out, mumloc_progress_fn progress,
                                             void *user) {
    if (!path || !out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "table_read_csv: path and out are required");
    *out = NULL;
    csv_reader *reader = NULL;
    ERROR_TRY(csv_reader_open(path, &reader));
    mumloc_table *t = NULL;
    mumloc_status s = mumloc_table_create(&t);
    if (s == MUMLOC_OK) s = table_set_label(t, path);
    if (s == MUMLOC_OK) s = read_into(reader, path, required, t, (read_progress){progress, user});
    csv_reader_close(reader);
    if (s != MUMLOC_OK) {
        mumloc_table_destroy(t);
        return s;
    }
    *out = t;
    return MUMLOC_OK;
}

mumloc_status table_write_csv_to(const mumloc_table *t, atomic_file *af, const char *path) {
    csv_column *columns = malloc((size_t)t->columns * sizeof *columns);
    double *row = malloc((size_t)t->columns * sizeof *row);
    mumloc_status s = MUMLOC_OK;
    if (!columns || !row) s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory writing '%s'", path);
    csv_writer writer;
    if (s == MUMLOC_OK) {
        for (int c = 0; c < t->columns; c++) columns[c] = (csv_column){t->names[c], t->units[c]};
        s = csv_writer_begin(&writer, af->file, path, columns, t->columns);
    }
    for (int64_t r = 0; r < t->rows && s == MUMLOC_OK; r++) {
        for (int c = 0; c < t->columns; c++) row[c] = t->data[c][r];
        s = csv_writer_row(&writer, row);
    }
    free(columns);
    free(row);
    return s;
}

mumloc_status mumloc_table_write_csv(const mumloc_table *t, const char *path) {
    if (!t || !path) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "table_write_csv: table and path are required");
    if (t->columns == 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "cannot write '%s': the table has no columns (a CSV needs a header)", path);
    atomic_file af = {0};
    ERROR_TRY(atomic_open(&af, path));
    mumloc_status s = table_write_csv_to(t, &af, path);
    if (s == MUMLOC_OK) return atomic_commit(&af);
    atomic_abort(&af);
    return s;
}

mumloc_status mumloc_table_heading(const char *name, const char *unit, char *out, size_t cap) {
    if (!name || !out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "table_heading: name and out are required");
    if (!unit) unit = "";
    ERROR_TRY(table_check_column_text(name, unit));
    const char *open, *close;
    csv_heading_brackets(name, unit, &open, &close);
    int n = snprintf(out, cap, "%s%s%s%s", name, open, unit, close);
    if (n < 0 || (size_t)n >= cap)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "table_heading: %d bytes do not fit in %zu",
                           n + 1, cap);
    return MUMLOC_OK;
}

static mumloc_status copy_part(const char *text, size_t len, char *out, size_t cap) {
    if (!out || len >= cap)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "table_split_heading: a part of %zu bytes does not fit in %zu", len + 1, cap);
    memcpy(out, text, len);
    out[len] = '\0';
    return MUMLOC_OK;
}

mumloc_status mumloc_table_split_heading(const char *heading, char *name, size_t name_cap,
                                         char *unit, size_t unit_cap) {
    if (!heading) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "table_split_heading: heading is NULL");
    csv_heading h = csv_heading_split(heading);
    ERROR_TRY(copy_part(heading, h.name_len, name, name_cap));
    return copy_part(h.unit ? h.unit : "", h.unit_len, unit, unit_cap);
}
