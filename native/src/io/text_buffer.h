/* A growable text buffer for building files in memory (JSON, headers). Appends never fail on the
 * spot: an allocation failure sets `failed`, further appends are ignored, and the caller checks
 * once at the end (text_status). */
#ifndef IO_TEXT_BUFFER_H
#define IO_TEXT_BUFFER_H

#include <stddef.h>

#include "mumloc.h"

typedef struct text_buffer {
    char *data;  /* NUL-terminated once anything was appended; NULL before */
    size_t len, cap;
    int failed;
} text_buffer;

void text_append(text_buffer *t, const char *bytes, size_t n);
void text_puts(text_buffer *t, const char *s);
void text_printf(text_buffer *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* MUMLOC_OK, or MUMLOC_ERR_OUT_OF_MEMORY with a message if an append failed. */
mumloc_status text_status(const text_buffer *t);
void text_free(text_buffer *t);

#endif
