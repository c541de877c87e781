#include "io/small_file.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/error.h"
#include "io/input_file.h"

mumloc_status read_small_file(const char *path, const char *what, size_t max_bytes,
                                     char **text, size_t *len) {
    FILE *f = NULL;
    ERROR_TRY(input_fopen(path, what, &f));
    char *buf = malloc(max_bytes + 1);
    if (!buf) {
        fclose(f);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading %s '%s'", what, path);
    }
    size_t n = fread(buf, 1, max_bytes + 1, f);
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return error_fail(MUMLOC_ERR_IO, "cannot read %s '%s'", what, path);
    }
    if (n > max_bytes) {
        free(buf);
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' is over %zu KiB, far larger than any %s: "
                           "is it the right file?", path, max_bytes >> 10, what);
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return MUMLOC_OK;
}
