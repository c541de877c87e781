/* Escaping of untrusted text for messages (see text_escape.h). */
#include "core/text_escape.h"

#include <stdint.h>

/* Length of the valid UTF-8 sequence starting at s (2 to 4), or 0 when s does not start one. */
static size_t utf8_length(const unsigned char *s, uint32_t *code) {
    size_t n;
    uint32_t c, min;
    if (s[0] >= 0xC2 && s[0] <= 0xDF) { n = 2; c = s[0] & 0x1Fu; min = 0x80; }
    else if (s[0] >= 0xE0 && s[0] <= 0xEF) { n = 3; c = s[0] & 0x0Fu; min = 0x800; }
    else if (s[0] >= 0xF0 && s[0] <= 0xF4) { n = 4; c = s[0] & 0x07u; min = 0x10000; }
    else return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0; /* also stops at the terminating NUL */
        c = c << 6 | (s[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *code = c;
    return n;
}

/* Code points that are valid but would still act on a terminal or reorder the text shown. */
static int is_invisible_control(uint32_t c) {
    return (c >= 0x80 && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

size_t escape_text(const char *text, char *out, size_t cap) {
    static const char hex[] = "0123456789ABCDEF";
    if (cap == 0) return 0;
    size_t used = 0;
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    while (*s) {
        uint32_t code = 0;
        size_t n = (*s >= 0x20 && *s < 0x7F) ? 1 : *s >= 0x80 ? utf8_length(s, &code) : 0;
        int escape = n == 0 || (n > 1 && is_invisible_control(code));
        size_t take = n ? n : 1; /* bytes of the input handled together */
        if (used + (escape ? 4 * take : take) + 1 > cap) break;
        for (size_t i = 0; i < take; i++) {
            if (escape) {
                out[used++] = '\\';
                out[used++] = 'x';
                out[used++] = hex[s[i] >> 4];
                out[used++] = hex[s[i] & 15];
            } else {
                out[used++] = (char)s[i];
            }
        }
        s += take;
    }
    out[used] = '\0';
    return used;
}
