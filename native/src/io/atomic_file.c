/* Temporary-then-rename output files (see atomic_file.h). */
#include "io/atomic_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "io/input_file.h"

static void release(atomic_file *af) {
    free(af->path);
    free(af->temp_path);
    af->path = af->temp_path = NULL;
    af->file = NULL;
}

mumloc_status atomic_open(atomic_file *af, const char *path) {
    static unsigned long counter = 0; /* distinguishes files of the same process */
    af->file = NULL;
    af->path = af->temp_path = NULL;
    if (!path || !*path) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "an output path is required");
    /* the final rename would fail on a directory, and replace a device or FIFO: refuse before the work */
    struct stat st;
    if (stat(path, &st) == 0 && file_kind(st.st_mode))
        return error_fail(MUMLOC_ERR_IO, "'%s' is %s: give the name of a regular file to write", path,
                           file_kind(st.st_mode));
    unsigned long n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
    size_t cap = strlen(path) + 64;
    af->path = strdup(path);
    af->temp_path = malloc(cap);
    if (!af->path || !af->temp_path) {
        release(af);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory opening '%s'", path);
    }
    snprintf(af->temp_path, cap, "%s.tmp-%ld-%lu", path, (long)getpid(), n);
    af->file = fopen(af->temp_path, "wbx"); /* x: never clobber a file that happens to exist */
    if (!af->file) {
        int err = errno;
        mumloc_status s = error_fail(MUMLOC_ERR_IO,
                                      "cannot create '%s' (needed to write '%s'): %s; check that the "
                                      "folder exists and is writable",
                                      af->temp_path, path, strerror(err));
        release(af);
        return s;
    }
    return MUMLOC_OK;
}

mumloc_status atomic_commit(atomic_file *af) {
    if (!af->file)
        return error_fail(MUMLOC_ERR_INTERNAL, "atomic file committed twice or never opened");
    int failed = ferror(af->file) != 0;
    int err = failed ? EIO : 0;
    if (fclose(af->file) != 0 && !failed) {
        failed = 1;
        err = errno;
    }
    af->file = NULL;
    if (failed) {
        mumloc_status s = error_fail(MUMLOC_ERR_IO, "cannot write '%s': %s (is the disk full?)",
                                      af->path, strerror(err));
        unlink(af->temp_path);
        release(af);
        return s;
    }
    if (rename(af->temp_path, af->path) != 0) {
        mumloc_status s = error_fail(MUMLOC_ERR_IO, "cannot rename '%s' to '%s': %s", af->temp_path,
                                      af->path, strerror(errno));
        unlink(af->temp_path);
        release(af);
        return s;
    }
    release(af);
    return MUMLOC_OK;
}

void atomic_abort(atomic_file *af) {
    if (!af) return;
    if (af->file) fclose(af->file);
    if (af->temp_path) unlink(af->temp_path);
    release(af);
}
