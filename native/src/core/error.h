/* Internal error reporting: every failing call records a thread-local message and returns a status. */
#ifndef CORE_ERROR_H
#define CORE_ERROR_H

#include "mumloc.h"

/* Records the printf-style message for mumloc_last_error() on this thread and returns status.
 * Bytes that are not printable (controls, invalid UTF-8) are written as \xNN (core/text_escape.h). */
mumloc_status error_fail(mumloc_status status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Clears the calling thread's message (call at the start of nothing: messages persist by design). */
void clear_error(void);

/* Propagates a failing status: `ERROR_TRY(call);` returns from the enclosing function on error. */
#define ERROR_TRY(expr)                                                                           \
    do {                                                                                           \
        mumloc_status try_status_ = (expr);                                                 \
        if (try_status_ != MUMLOC_OK) return try_status_;                            \
    } while (0)

#endif
