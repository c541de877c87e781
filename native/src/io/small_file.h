/* Reading a small text document (JSON settings such as rig files) whole, with a size cap so that a
 * wrong file (a movie given as a rig) fails at once with a clear message. */
#ifndef IO_SMALL_FILE_H
#define IO_SMALL_FILE_H

#include <stddef.h>

#include "mumloc.h"

/* *text (caller frees) gets the file's bytes plus a NUL, *len their count. what names the file's
 * role in messages ("rig file"); files over max_bytes fail with MUMLOC_ERR_FORMAT. */
mumloc_status read_small_file(const char *path, const char *what, size_t max_bytes,
                                     char **text, size_t *len);

#endif
