/* Output files that appear whole or not at all. The data goes to "<path>.tmp-<pid>-<n>" in the same
 * folder (so the final rename stays on one file system); commit renames it over path, abort deletes
 * it. A failed or cancelled run therefore never leaves a partial output behind. There is no fsync:
 * the guarantee is against our own failures, not against power loss. */
#ifndef IO_ATOMIC_FILE_H
#define IO_ATOMIC_FILE_H

#include <stdio.h>

#include "mumloc.h"

typedef struct atomic_file {
    FILE *file;       /* open for binary writing while the atomic file is pending */
    char *path;       /* final path */
    char *temp_path;  /* where the data is written until commit */
} atomic_file;

/* Creates the temporary file. On failure (MUMLOC_ERR_IO naming the folder) nothing exists. */
mumloc_status atomic_open(atomic_file *af, const char *path);
/* Flushes, closes and renames over the final path. On failure the temporary file is removed. */
mumloc_status atomic_commit(atomic_file *af);
/* Closes and removes the temporary file. Safe on a zeroed, failed or already finished struct. */
void atomic_abort(atomic_file *af);

#endif
