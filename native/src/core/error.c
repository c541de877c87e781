/* Thread-local last-error messages and status names: errors are values, the library never aborts. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/text_escape.h"

static _Thread_local char last_error[1024];

/* Messages quote file content (names, fields, descriptions): every message is escaped once here,
 * so no caller can forget to, and a message that quotes another needs no second pass (the escapes
 * themselves are printable). */
mumloc_status error_fail(mumloc_status status, const char *fmt, ...) {
    char raw[sizeof last_error];
    va_list args;
    va_start(args, fmt);
    vsnprintf(raw, sizeof raw, fmt, args);
    va_end(args);
    escape_text(raw, last_error, sizeof last_error);
    return status;
}

void clear_error(void) { last_error[0] = '\0'; }

const char *mumloc_last_error(void) { return last_error; }

const char *mumloc_status_string(mumloc_status status) {
    switch (status) {
    case MUMLOC_OK: return "ok";
    case MUMLOC_ERR_INVALID_ARGUMENT: return "invalid argument";
    case MUMLOC_ERR_OUT_OF_MEMORY: return "out of memory";
    case MUMLOC_ERR_IO: return "i/o error";
    case MUMLOC_ERR_FORMAT: return "bad file format";
    case MUMLOC_ERR_CANCELLED: return "cancelled";
    case MUMLOC_ERR_UNSUPPORTED: return "unsupported";
    case MUMLOC_ERR_INTERNAL: return "internal error";
    }
    return "unknown status";
}
