/* JSON writers (see json.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/c_number.h"
#include "io/json.h"

void json_write_string(text_buffer *out, const char *s) {
    text_append(out, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': text_puts(out, "\\\""); break;
        case '\\': text_puts(out, "\\\\"); break;
        case '\n': text_puts(out, "\\n"); break;
        case '\r': text_puts(out, "\\r"); break;
        case '\t': text_puts(out, "\\t"); break;
        default:
            if (*p < 0x20) text_printf(out, "\\u%04x", *p);
            else text_append(out, (const char *)p, 1);
        }
    }
    text_append(out, "\"", 1);
}

/* printf's %g text with the locale's decimal separator (whatever it is) replaced by '.'. */
static void format_g(double v, int digits, char *out, size_t cap) {
    char raw[64];
    snprintf(raw, sizeof raw, "%.*g", digits, v);
    size_t o = 0;
    for (const char *p = raw; *p && o + 1 < cap;) {
        if ((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == 'e') {
            out[o++] = *p++;
        } else {
            out[o++] = '.';
            while (*p && !((*p >= '0' && *p <= '9') || *p == '-' || *p == '+' || *p == 'e')) p++;
        }
    }
    out[o] = '\0';
}

void json_write_number(text_buffer *out, double v) {
    if (!isfinite(v)) {
        text_puts(out, "null");
        return;
    }
    char text[64];
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(text, sizeof text, "%.0f", v == 0 ? 0.0 : v);
    } else {
        for (int digits = 15; digits <= 17; digits++) {
            format_g(v, digits, text, sizeof text);
            if (strtod_c(text, NULL) == v) break;
        }
    }
    text_puts(out, text);
}

void json_write(text_buffer *out, const json_value *v) {
    switch (v->type) {
    case JSON_NULL: text_puts(out, "null"); break;
    case JSON_BOOL: text_puts(out, v->boolean ? "true" : "false"); break;
    case JSON_NUMBER: json_write_number(out, v->number); break;
    case JSON_STRING: json_write_string(out, v->string); break;
    case JSON_ARRAY:
    case JSON_OBJECT:
        text_puts(out, v->type == JSON_ARRAY ? "[" : "{");
        for (size_t i = 0; i < v->count; i++) {
            if (i) text_puts(out, ",");
            if (v->type == JSON_OBJECT) {
                json_write_string(out, v->keys[i]);
                text_puts(out, ":");
            }
            json_write(out, &v->items[i]);
        }
        text_puts(out, v->type == JSON_ARRAY ? "]" : "}");
        break;
    }
}
