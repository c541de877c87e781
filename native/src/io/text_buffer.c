/* Growable text buffer (see text_buffer.h). */
#include "io/text_buffer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static int reserve(text_buffer *t, size_t extra) {
    if (t->failed) return 0;
    if (t->len + extra + 1 <= t->cap) return 1;
    size_t cap = t->cap ? t->cap : 256;
    while (cap < t->len + extra + 1) cap *= 2;
    char *data = realloc(t->data, cap);
    if (!data) {
        t->failed = 1;
        return 0;
    }
    t->data = data;
    t->cap = cap;
    return 1;
}

void text_append(text_buffer *t, const char *bytes, size_t n) {
    if (!reserve(t, n)) return;
    memcpy(t->data + t->len, bytes, n);
    t->len += n;
    t->data[t->len] = '\0';
}

void text_puts(text_buffer *t, const char *s) { text_append(t, s, strlen(s)); }

void text_printf(text_buffer *t, const char *fmt, ...) {
    va_list args;
    va_start(args, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, args);
    va_end(args);
    if (n < 0) {
        t->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        text_append(t, small, (size_t)n);
        return;
    }
    if (!reserve(t, (size_t)n)) return;
    va_start(args, fmt);
    vsnprintf(t->data + t->len, (size_t)n + 1, fmt, args);
    va_end(args);
    t->len += (size_t)n;
}

mumloc_status text_status(const text_buffer *t) {
    return t->failed ? error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory building text")
                     : MUMLOC_OK;
}

void text_free(text_buffer *t) {
    free(t->data);
    t->data = NULL;
    t->len = t->cap = 0;
    t->failed = 0;
}
