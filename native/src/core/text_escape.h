/* Escaping of untrusted text for messages: file content echoed in an error must not drive the
 * user's terminal (escape sequences), break a log line, or hand invalid UTF-8 to Java. */
#ifndef CORE_TEXT_ESCAPE_H
#define CORE_TEXT_ESCAPE_H

#include <stddef.h>

/* Copies text to out (cap bytes, always NUL-terminated when cap > 0) with every byte that is not
 * printable written as \xNN: ASCII controls (tab and line breaks included) and DEL, bytes that are
 * not part of valid UTF-8, and the UTF-8 encodings of the C1 controls (U+0080..U+009F) and of the
 * bidirectional overrides (U+202A..U+202E, U+2066..U+2069). Printable ASCII and other valid UTF-8
 * pass unchanged, so "µm" stays readable; backslashes are not doubled. Output that does not fit is
 * cut before a whole character or escape. Returns the length written. */
size_t escape_text(const char *text, char *out, size_t cap);

#endif
