/* Which file a path names, and the checks of a command's inputs and outputs before any work (see
 * mumloc_files_same and mumloc_check_files in mumloc.h). Paths are compared by what they name, not
 * by their text: "mv.tif", "./mv.tif", a symbolic link and a hard link to it are all the movie. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/error.h"
#include "io/input_file.h"
#include "mumloc.h"

/* An existing file by device and inode (links followed); a file still to be made by its folder's
 * device and inode and its own name, which is what writing it will replace. */
typedef struct file_id {
    int exists, folder_found;
    dev_t dev;
    ino_t ino;
    mode_t mode;
    const char *name; /* inside the path: its last component (files still to be made) */
} file_id;

static mumloc_status identify(const char *path, file_id *id) {
    memset(id, 0, sizeof *id);
    struct stat st;
    if (stat(path, &st) == 0) {
        id->exists = 1;
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        id->mode = st.st_mode;
        return MUMLOC_OK;
    }
    const char *slash = strrchr(path, '/');
    id->name = slash ? slash + 1 : path;
    size_t folder_len = slash ? (slash == path ? 1 : (size_t)(slash - path)) : 1;
    char *folder = malloc(folder_len + 1);
    if (!folder) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory checking '%s'", path);
    memcpy(folder, slash ? path : ".", folder_len);
    folder[folder_len] = '\0';
    if (stat(folder, &st) == 0) {
        id->folder_found = 1;
        id->dev = st.st_dev;
        id->ino = st.st_ino;
    }
    free(folder);
    return MUMLOC_OK;
}

static int same_id(const file_id *a, const char *a_path, const file_id *b, const char *b_path) {
    if (a->exists || b->exists) return a->exists && b->exists && a->dev == b->dev && a->ino == b->ino;
    if (a->folder_found && b->folder_found)
        return a->dev == b->dev && a->ino == b->ino && strcmp(a->name, b->name) == 0;
    return strcmp(a_path, b_path) == 0; /* nothing to look at: only the text is left */
}

int mumloc_files_same(const char *a, const char *b) {
    file_id x, y;
    if (!a || !b || identify(a, &x) != MUMLOC_OK || identify(b, &y) != MUMLOC_OK) return 0;
    return same_id(&x, a, &y, b);
}

static const char *label_of(const mumloc_file_role *f) { return f->label ? f->label : "file"; }

/* The first problem of file i alone, or with a file before it. */
static mumloc_status check_one(const mumloc_file_role *files, const file_id *ids, int i) {
    const mumloc_file_role *f = &files[i];
    const char *kind = ids[i].exists ? file_kind(ids[i].mode) : NULL;
    if (!f->output && kind)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%s '%s' is %s, not a regular file: give a file to read", label_of(f),
                           f->path, kind);
    if (f->output && kind) /* writing replaces it: a device, say, must not become a plain file */
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%s '%s' is %s: give the name of a regular file to write", label_of(f),
                           f->path, kind);
    for (int j = 0; j < i; j++) {
        const mumloc_file_role *g = &files[j];
        if (!g->path || (!f->output && !g->output) || !same_id(&ids[i], f->path, &ids[j], g->path))
            continue;
        if (f->output && g->output)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "%s '%s' and %s '%s' name the same file: give each output its own file",
                               label_of(g), g->path, label_of(f), f->path);
        const mumloc_file_role *out = f->output ? f : g, *in = f->output ? g : f;
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%s '%s' is the same file as %s '%s': writing it would destroy the input; "
                           "choose another output file",
                           label_of(out), out->path, label_of(in), in->path);
    }
    return MUMLOC_OK;
}

mumloc_status mumloc_check_files(const mumloc_file_role *files, int count) {
    if (count < 0 || (count > 0 && !files))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "mumloc_check_files needs count files");
    file_id *ids = calloc(count > 0 ? (size_t)count : 1, sizeof *ids);
    if (!ids) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory checking files");
    mumloc_status st = MUMLOC_OK;
    for (int i = 0; st == MUMLOC_OK && i < count; i++) {
        if (!files[i].path) continue;
        st = identify(files[i].path, &ids[i]);
        if (st == MUMLOC_OK) st = check_one(files, ids, i);
    }
    free(ids);
    return st;
}
