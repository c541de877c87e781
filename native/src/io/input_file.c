/* Regular-file-only opening of inputs (see input_file.h). */
#include "io/input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

static mumloc_status cannot_open(const char *path, const char *what, int err) {
    return error_fail(MUMLOC_ERR_IO, "cannot open %s%s'%s': %s", what ? what : "", what ? " " : "",
                       path, strerror(err));
}

const char *file_kind(mode_t mode) {
    if (S_ISREG(mode)) return NULL;
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

mumloc_status input_open(const char *path, const char *what, int *fd, uint64_t *size) {
    *fd = -1;
    if (!path || !*path) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "an input path is required");
    /* O_NONBLOCK: opening a FIFO without a writer would otherwise wait here, before any check */
    int f = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (f < 0 || fstat(f, &st) != 0) {
        int err = errno;
        if (f >= 0) close(f);
        return cannot_open(path, what, err);
    }
    const char *kind = file_kind(st.st_mode);
    if (kind) {
        close(f);
        return error_fail(MUMLOC_ERR_IO, "'%s' is %s, not a regular file: give a file to read",
                           path, kind);
    }
    int flags = fcntl(f, F_GETFL);
    if (flags >= 0) (void)fcntl(f, F_SETFL, flags & ~O_NONBLOCK);
    *fd = f;
    if (size) *size = (uint64_t)st.st_size;
    return MUMLOC_OK;
}

mumloc_status input_fopen(const char *path, const char *what, FILE **file) {
    *file = NULL;
    int fd;
    ERROR_TRY(input_open(path, what, &fd, NULL));
    *file = fdopen(fd, "rb");
    if (!*file) {
        int err = errno;
        close(fd);
        return cannot_open(path, what, err);
    }
    return MUMLOC_OK;
}

mumloc_status input_read_at(int fd, void *buf, size_t n, uint64_t offset, const char *path,
                                   const char *what) {
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t got = pread(fd, p, n, (off_t)offset);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0)
            return error_fail(MUMLOC_ERR_IO, "cannot read %s '%s': %s", what, path,
                               got < 0 ? strerror(errno) : "the file ended early (is it being written?)");
        p += got;
        n -= (size_t)got;
        offset += (uint64_t)got;
    }
    return MUMLOC_OK;
}
