/* Streaming CSV table reader (see csv_read.h). */
#include "io/csv_read.h"
#include "io/input_file.h" /* beside its own header: readers open their files through it */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "core/error.h"
#include "core/hash_index.h"
#include "io/c_number.h"
#include "io/csv_heading.h"

struct csv_reader {
    FILE *file;
    char *path;
    char *line;      /* getline buffer */
    size_t line_cap;
    int64_t line_number;
    int64_t bytes_read; /* of the file, line ends included */
    int64_t file_size;  /* 0 when unknown (not a regular file) */
    int columns, column_cap;
    char **names;
    char **units;
    hash_index by_name; /* names → column, so header checks and lookups stay linear */
};

/* Reads the next line without its line end; returns 0 at end of file, -1 on a read error. */
/* 1: a line; 0: end of file; -1: read error (errno); -2: a NUL byte (a binary file, e.g. a TIFF,
 * which would otherwise read as a table cut at its first NUL). */
static int read_line(csv_reader *r) {
    errno = 0;
    ssize_t len = getline(&r->line, &r->line_cap, r->file);
    if (len < 0) return ferror(r->file) ? -1 : 0;
    r->line_number++;
    r->bytes_read += len;
    if ((ssize_t)strlen(r->line) != len) return -2;
    while (len > 0 && (r->line[len - 1] == '\n' || r->line[len - 1] == '\r')) r->line[--len] = '\0';
    return 1;
}

static mumloc_status binary_file(const csv_reader *r) {
    return error_fail(MUMLOC_ERR_FORMAT,
                       "'%s' line %lld holds a NUL byte: not a text file, so not a CSV table (is it "
                       "an image or a model?)", r->path, (long long)r->line_number);
}

static int is_blank(const char *text) {
    for (; *text; text++)
        if (*text != ' ' && *text != '\t') return 0;
    return 1;
}

/* Cuts the next comma-separated field out of *cursor in place (quotes removed, "" → ", spaces
 * around trimmed). Returns NULL when the line has no more fields; sets *bad_quote on an unclosed
 * quote. */
static char *next_field(char **cursor, int *bad_quote) {
    char *p = *cursor;
    if (!p) return NULL;
    while (*p == ' ' || *p == '\t') p++;
    char *field = p, *out = p;
    if (*p == '"') {
        p++;
        for (;;) {
            if (*p == '\0') { *bad_quote = 1; return NULL; }
            if (*p == '"') {
                if (p[1] == '"') { *out++ = '"'; p += 2; continue; }
                p++;
                break;
            }
            *out++ = *p++;
        }
        while (*p == ' ' || *p == '\t') p++;
        if (*p != ',' && *p != '\0') { *bad_quote = 1; return NULL; }
    } else {
        while (*p != ',' && *p != '\0') *out++ = *p++;
        while (out > field && (out[-1] == ' ' || out[-1] == '\t')) out--;
    }
    *cursor = (*p == ',') ? p + 1 : NULL;
    *out = '\0';
    return field;
}

static char *copy_text(const char *text, size_t len) {
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, text, len);
        copy[len] = '\0';
    }
    return copy;
}

typedef struct name_probe {
    const csv_reader *reader;
    const char *name;
} name_probe;

static int same_name(const void *probe, uint64_t stored) {
    const name_probe *p = probe;
    return strcmp(p->reader->names[stored], p->name) == 0;
}

static mumloc_status grow_columns(csv_reader *r) {
    if (r->columns < r->column_cap) return MUMLOC_OK;
    int cap = r->column_cap ? 2 * r->column_cap : 16;
    char **names = realloc(r->names, (size_t)cap * sizeof *names);
    if (names) r->names = names;
    char **units = realloc(r->units, (size_t)cap * sizeof *units);
    if (units) r->units = units;
    if (!names || !units) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading a CSV header");
    r->column_cap = cap;
    return MUMLOC_OK;
}

/* Splits "name [unit]" into its parts by the rule of csv_heading.h. */
static mumloc_status add_column(csv_reader *r, const char *field) {
    if (r->columns == CSV_MAX_COLUMNS)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' line 1: the header has more than %d columns, more than mumloc reads "
                           "(is this a localization table?)",
                           r->path, CSV_MAX_COLUMNS);
    csv_heading h = csv_heading_split(field);
    if (h.name_len == 0)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' line 1: column %d of the header has no name",
                           r->path, r->columns + 1);
    ERROR_TRY(grow_columns(r));
    char *name = copy_text(field, h.name_len);
    char *unit = h.unit ? copy_text(h.unit, h.unit_len) : copy_text("", 0);
    if (!name || !unit) {
        free(name);
        free(unit);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading a CSV header");
    }
    r->names[r->columns] = name;
    r->units[r->columns] = unit;
    r->columns++;
    if (csv_reader_find(r, name) >= 0)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' line 1: column \"%s\" appears twice in the header",
                           r->path, name);
    return hash_index_add(&r->by_name, hash_string(name), (uint64_t)(r->columns - 1));
}

static mumloc_status parse_header(csv_reader *r) {
    int got;
    do {
        got = read_line(r);
        if (got == -2) return binary_file(r);
        if (got < 0)
            return error_fail(MUMLOC_ERR_IO, "cannot read '%s': %s", r->path, strerror(errno));
        if (got == 0)
            return error_fail(MUMLOC_ERR_FORMAT, "'%s' is empty: a CSV table starts with a header line",
                               r->path);
    } while (is_blank(r->line));
    char *cursor = r->line;
    if ((unsigned char)cursor[0] == 0xEF && (unsigned char)cursor[1] == 0xBB &&
        (unsigned char)cursor[2] == 0xBF)
        cursor += 3; /* UTF-8 byte-order mark */
    int bad_quote = 0;
    char *field;
    while ((field = next_field(&cursor, &bad_quote)) != NULL) ERROR_TRY(add_column(r, field));
    if (bad_quote)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' line %lld: unbalanced '\"' in the header",
                           r->path, (long long)r->line_number);
    return MUMLOC_OK;
}

mumloc_status csv_reader_open(const char *path, csv_reader **out) {
    if (!path || !out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "CSV path and output are required");
    *out = NULL;
    csv_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = copy_text(path, strlen(path)))) {
        free(r);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory opening a CSV table");
    }
    mumloc_status opened = input_fopen(path, NULL, &r->file);
    if (opened != MUMLOC_OK) {
        csv_reader_close(r);
        return opened;
    }
    struct stat st;
    if (fstat(fileno(r->file), &st) == 0 && S_ISREG(st.st_mode)) r->file_size = (int64_t)st.st_size;
    mumloc_status s = parse_header(r);
    if (s != MUMLOC_OK) {
        csv_reader_close(r);
        return s;
    }
    *out = r;
    return MUMLOC_OK;
}

void csv_reader_close(csv_reader *r) {
    if (!r) return;
    if (r->file) fclose(r->file);
    for (int i = 0; i < r->columns; i++) {
        free(r->names[i]);
        free(r->units[i]);
    }
    free(r->names);
    free(r->units);
    hash_index_free(&r->by_name);
    free(r->line);
    free(r->path);
    free(r);
}

int csv_reader_columns(const csv_reader *r) { return r->columns; }
const char *csv_reader_name(const csv_reader *r, int c) { return r->names[c]; }
const char *csv_reader_unit(const csv_reader *r, int c) { return r->units[c]; }
int64_t csv_reader_line(const csv_reader *r) { return r->line_number; }
int64_t csv_reader_bytes_read(const csv_reader *r) { return r->bytes_read; }
int64_t csv_reader_file_size(const csv_reader *r) { return r->file_size; }

int csv_reader_find(const csv_reader *r, const char *name) {
    name_probe probe = {r, name};
    uint64_t column;
    return hash_index_find(&r->by_name, hash_string(name), same_name, &probe, &column)
               ? (int)column
               : -1;
}

mumloc_status csv_reader_next(csv_reader *r, double *values, int *has_row) {
    *has_row = 0;
    int got;
    do {
        got = read_line(r);
        if (got == -2) return binary_file(r);
        if (got < 0) return error_fail(MUMLOC_ERR_IO, "cannot read '%s': %s", r->path, strerror(errno));
        if (got == 0) return MUMLOC_OK;
    } while (is_blank(r->line));

    char *cursor = r->line;
    int bad_quote = 0, count = 0;
    char *field;
    while ((field = next_field(&cursor, &bad_quote)) != NULL) {
        if (count == r->columns) {
            count++;
            while (next_field(&cursor, &bad_quote)) count++;
            break;
        }
        double v = 0;
        number_check check = parse_table_number(field, &v);
        if (check != NUMBER_OK)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %lld, column %d (\"%s\"): '%s' %s", r->path,
                               (long long)r->line_number, count + 1, r->names[count], field,
                               check == NUMBER_TOO_LARGE
                                   ? "is beyond the range of a double"
                                   : "is not a number (write plain decimals such as -12.5 or "
                                     "1e-9, or NaN, Infinity, -Infinity)");
        values[count++] = v;
    }
    if (bad_quote)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' line %lld: unbalanced '\"'", r->path,
                           (long long)r->line_number);
    if (count != r->columns)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' line %lld has %d fields, the header has %d",
                           r->path, (long long)r->line_number, count, r->columns);
    *has_row = 1;
    return MUMLOC_OK;
}
