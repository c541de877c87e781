/* Streaming ThunderSTORM CSV writer (see csv_write.h). */
#include "io/csv_write.h"

#include <errno.h>
#include <string.h>

#include "core/error.h"
#include "io/csv_heading.h"

static int has_forbidden_char(const char *text) {
    return text && strpbrk(text, "\",\r\n") != NULL;
}

static mumloc_status write_failed(const csv_writer *writer) {
    return error_fail(MUMLOC_ERR_IO, "cannot write to '%s': %s (is the disk full?)", writer->label,
                       strerror(errno));
}

mumloc_status csv_writer_begin(csv_writer *writer, FILE *file, const char *label,
                                      const csv_column *columns, int count) {
    if (!writer || !file || !columns || count < 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "a CSV table needs an open file and at least one column");
    writer->file = file;
    writer->label = label ? label : "(table)";
    writer->columns = count;
    for (int i = 0; i < count; i++) {
        const char *name = columns[i].name, *unit = columns[i].unit;
        if (!name || !*name || has_forbidden_char(name) || has_forbidden_char(unit))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "CSV column %d has an empty name or a '\"', ',' or line break in its "
                               "name or unit",
                               i + 1);
        if (!csv_unit_writable(unit))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "CSV column %d (\"%s\"): its unit \"%s\" holds '[' or ']', which a "
                               "header cannot hold",
                               i + 1, name, unit);
    }
    for (int i = 0; i < count; i++) {
        const char *name = columns[i].name, *unit = columns[i].unit, *open, *close;
        csv_heading_brackets(name, unit, &open, &close);
        int ok = fprintf(file, "%s\"%s%s%s%s\"", i ? "," : "", name, open, unit ? unit : "", close);
        if (ok < 0) return write_failed(writer);
    }
    if (fputc('\n', file) == EOF) return write_failed(writer);
    return MUMLOC_OK;
}

mumloc_status csv_writer_row(csv_writer *writer, const double *values) {
    char line[4096];
    size_t used = 0;
    for (int i = 0; i < writer->columns; i++) {
        char number[64];
        ERROR_TRY(mumloc_format_number(values[i], number, sizeof number));
        size_t len = strlen(number);
        if (used + len + 2 > sizeof line) { /* flush a long row in pieces */
            if (fwrite(line, 1, used, writer->file) != used) return write_failed(writer);
            used = 0;
        }
        if (i) line[used++] = ',';
        memcpy(line + used, number, len);
        used += len;
    }
    line[used++] = '\n';
    if (fwrite(line, 1, used, writer->file) != used) return write_failed(writer);
    return MUMLOC_OK;
}
