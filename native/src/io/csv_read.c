/* Streaming CSV table reader (see csv_read.h). */
#include "io/csv_read.h"
#include "io/input_file.h" /* beside its own header: readers open their files through it */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/c_number.h"

struct mumloc_csv_reader {
    FILE *file;
    char *path;
    char *line;      /* getline buffer */
    size_t line_cap;
    int64_t line_number;
    int columns;
    char **names;
    char **units;
};

/* Reads the next line without its line end; returns 0 at end of file, -1 on a read error. */
static int read_line(mumloc_csv_reader *r) {
    errno = 0;
    ssize_t len = getline(&r->line, &r->line_cap, r->file);
    if (len < 0) return ferror(r->file) ? -1 : 0;
    r->line_number++;
    while (len > 0 && (r->line[len - 1] == '\n' || r->line[len - 1] == '\r')) r->line[--len] = '\0';
    return 1;
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

/* Splits "name [unit]" into its parts (unit "" when the field has no trailing [..]). */
static mumloc_status add_column(mumloc_csv_reader *r, const char *field) {
    size_t len = strlen(field);
    const char *open = NULL;
    if (len >= 2 && field[len - 1] == ']') open = strrchr(field, '[');
    size_t name_len = open ? (size_t)(open - field) : len;
    while (name_len > 0 && field[name_len - 1] == ' ') name_len--;
    if (name_len == 0)
        return mumloc_fail(MUMLOC_ERR_FORMAT, "'%s' line 1: column %d of the header has no name",
                           r->path, r->columns + 1);
    char **names = realloc(r->names, (size_t)(r->columns + 1) * sizeof *names);
    if (names) r->names = names;
    char **units = realloc(r->units, (size_t)(r->columns + 1) * sizeof *units);
    if (units) r->units = units;
    if (!names || !units) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading a CSV header");
    char *name = copy_text(field, name_len);
    char *unit = open ? copy_text(open + 1, len - (size_t)(open - field) - 2) : copy_text("", 0);
    if (!name || !unit) {
        free(name);
        free(unit);
        return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading a CSV header");
    }
    r->names[r->columns] = name;
    r->units[r->columns] = unit;
    r->columns++;
    if (mumloc_csv_reader_find(r, name) != r->columns - 1)
        return mumloc_fail(MUMLOC_ERR_FORMAT, "'%s' line 1: column \"%s\" appears twice in the header",
                           r->path, name);
    return MUMLOC_OK;
}

static mumloc_status parse_header(mumloc_csv_reader *r) {
    int got;
    do {
        got = read_line(r);
        if (got < 0)
            return mumloc_fail(MUMLOC_ERR_IO, "cannot read '%s': %s", r->path, strerror(errno));
        if (got == 0)
            return mumloc_fail(MUMLOC_ERR_FORMAT, "'%s' is empty: a CSV table starts with a header line",
                               r->path);
    } while (is_blank(r->line));
    char *cursor = r->line;
    if ((unsigned char)cursor[0] == 0xEF && (unsigned char)cursor[1] == 0xBB &&
        (unsigned char)cursor[2] == 0xBF)
        cursor += 3; /* UTF-8 byte-order mark */
    int bad_quote = 0;
    char *field;
    while ((field = next_field(&cursor, &bad_quote)) != NULL) MUMLOC_TRY(add_column(r, field));
    if (bad_quote)
        return mumloc_fail(MUMLOC_ERR_FORMAT, "'%s' line %lld: unbalanced '\"' in the header",
                           r->path, (long long)r->line_number);
    return MUMLOC_OK;
}

mumloc_status mumloc_csv_reader_open(const char *path, mumloc_csv_reader **out) {
    if (!path || !out) return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT, "CSV path and output are required");
    *out = NULL;
    mumloc_csv_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = copy_text(path, strlen(path)))) {
        free(r);
        return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory opening a CSV table");
    }
    mumloc_status opened = mumloc_input_fopen(path, NULL, &r->file);
    if (opened != MUMLOC_OK) {
        mumloc_csv_reader_close(r);
        return opened;
    }
    mumloc_status s = parse_header(r);
    if (s != MUMLOC_OK) {
        mumloc_csv_reader_close(r);
        return s;
    }
    *out = r;
    return MUMLOC_OK;
}

void mumloc_csv_reader_close(mumloc_csv_reader *r) {
    if (!r) return;
    if (r->file) fclose(r->file);
    for (int i = 0; i < r->columns; i++) {
        free(r->names[i]);
        free(r->units[i]);
    }
    free(r->names);
    free(r->units);
    free(r->line);
    free(r->path);
    free(r);
}

int mumloc_csv_reader_columns(const mumloc_csv_reader *r) { return r->columns; }
const char *mumloc_csv_reader_name(const mumloc_csv_reader *r, int c) { return r->names[c]; }
const char *mumloc_csv_reader_unit(const mumloc_csv_reader *r, int c) { return r->units[c]; }
int64_t mumloc_csv_reader_line(const mumloc_csv_reader *r) { return r->line_number; }

int mumloc_csv_reader_find(const mumloc_csv_reader *r, const char *name) {
    for (int i = 0; i < r->columns; i++)
        if (strcmp(r->names[i], name) == 0) return i;
    return -1;
}

mumloc_status mumloc_csv_reader_next(mumloc_csv_reader *r, double *values, int *has_row) {
    *has_row = 0;
    int got;
    do {
        got = read_line(r);
        if (got < 0) return mumloc_fail(MUMLOC_ERR_IO, "cannot read '%s': %s", r->path, strerror(errno));
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
        char *end;
        double v = mumloc_strtod_c(field, &end);
        if (*field == '\0' || *end != '\0')
            return mumloc_fail(MUMLOC_ERR_FORMAT,
                               "'%s' line %lld, column %d (\"%s\"): '%s' is not a number",
                               r->path, (long long)r->line_number, count + 1, r->names[count], field);
        values[count++] = v;
    }
    if (bad_quote)
        return mumloc_fail(MUMLOC_ERR_FORMAT, "'%s' line %lld: unbalanced '\"'", r->path,
                           (long long)r->line_number);
    if (count != r->columns)
        return mumloc_fail(MUMLOC_ERR_FORMAT, "'%s' line %lld has %d fields, the header has %d",
                           r->path, (long long)r->line_number, count, r->columns);
    *has_row = 1;
    return MUMLOC_OK;
}
