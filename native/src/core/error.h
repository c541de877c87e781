/* Internal error reporting: every failing call records a thread-local message and returns a status. */
#ifndef MUMLOC_CORE_ERROR_H
#define MUMLOC_CORE_ERROR_H

#include "mumloc.h"

/* Records the printf-style message for mumloc_last_error() on this thread and returns status.
 * Bytes that are not printable (controls, invalid UTF-8) are written as \xNN (core/text_escape.h). */
mumloc_status mumloc_fail(mumloc_status status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Clears the calling thread's message (call at the start of nothing: messages persist by design). */
void mumloc_clear_error(void);

/* Propagates a failing status: `MUMLOC_TRY(call);` returns from the enclosing function on error. */
#define MUMLOC_TRY(expr)                                                                           \
    do {                                                                                           \
        mumloc_status mumloc_try_status_ = (expr);                                                 \
        if (mumloc_try_status_ != MUMLOC_OK) return mumloc_try_status_;                            \
    } while (0)

#endif
