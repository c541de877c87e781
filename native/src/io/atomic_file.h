/* Output files that appear whole or not at all. The data goes to "<path>.tmp-<pid>-<n>" in the same
 * folder (so the final rename stays on one file system); commit renames it over path, abort deletes
 * it. A failed or cancelled run therefore never leaves a partial output behind. There is no fsync:
 * the guarantee is against our own failures, not against power loss. */
#ifndef MUMLOC_IO_ATOMIC_FILE_H
#define MUMLOC_IO_ATOMIC_FILE_H

#include <stdio.h>

#include "mumloc.h"

typedef struct mumloc_atomic_file {
    FILE *file;       /* open for binary writing while the atomic file is pending */
    char *path;       /* final path */
    char *temp_path;  /* where the data is written until commit */
} mumloc_atomic_file;

/* Creates the temporary file. On failure (MUMLOC_ERR_IO naming the folder) nothing exists. */
mumloc_status mumloc_atomic_open(mumloc_atomic_file *af, const char *path);
/* Flushes, closes and renames over the final path. On failure the temporary file is removed. */
mumloc_status mumloc_atomic_commit(mumloc_atomic_file *af);
/* Closes and removes the temporary file. Safe on a zeroed, failed or already finished struct. */
void mumloc_atomic_abort(mumloc_atomic_file *af);

#endif
