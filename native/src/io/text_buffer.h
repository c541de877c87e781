/* A growable text buffer for building files in memory (JSON, headers). Appends never fail on the
 * spot: an allocation failure sets `failed`, further appends are ignored, and the caller checks
 * once at the end (mumloc_text_status). */
#ifndef MUMLOC_IO_TEXT_BUFFER_H
#define MUMLOC_IO_TEXT_BUFFER_H

#include <stddef.h>

#include "mumloc.h"

typedef struct mumloc_text {
    char *data;  /* NUL-terminated once anything was appended; NULL before */
    size_t len, cap;
    int failed;
} mumloc_text;

void mumloc_text_append(mumloc_text *t, const char *bytes, size_t n);
void mumloc_text_puts(mumloc_text *t, const char *s);
void mumloc_text_printf(mumloc_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* MUMLOC_OK, or MUMLOC_ERR_OUT_OF_MEMORY with a message if an append failed. */
mumloc_status mumloc_text_status(const mumloc_text *t);
void mumloc_text_free(mumloc_text *t);

#endif
