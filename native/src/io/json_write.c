/* JSON writers (see json.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "io/c_number.h"
#include "io/json.h"

void mumloc_json_write_string(mumloc_text *out, const char *s) {
    mumloc_text_append(out, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': mumloc_text_puts(out, "\\\""); break;
        case '\\': mumloc_text_puts(out, "\\\\"); break;
        case '\n': mumloc_text_puts(out, "\\n"); break;
        case '\r': mumloc_text_puts(out, "\\r"); break;
        case '\t': mumloc_text_puts(out, "\\t"); break;
        default:
            if (*p < 0x20) mumloc_text_printf(out, "\\u%04x", *p);
            else mumloc_text_append(out, (const char *)p, 1);
        }
    }
    mumloc_text_append(out, "\"", 1);
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

void mumloc_json_write_number(mumloc_text *out, double v) {
    if (!isfinite(v)) {
        mumloc_text_puts(out, "null");
        return;
    }
    char text[64];
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(text, sizeof text, "%.0f", v == 0 ? 0.0 : v);
    } else {
        for (int digits = 15; digits <= 17; digits++) {
            format_g(v, digits, text, sizeof text);
            if (mumloc_strtod_c(text, NULL) == v) break;
        }
    }
    mumloc_text_puts(out, text);
}

void mumloc_json_write(mumloc_text *out, const mumloc_json *v) {
    switch (v->type) {
    case MUMLOC_JSON_NULL: mumloc_text_puts(out, "null"); break;
    case MUMLOC_JSON_BOOL: mumloc_text_puts(out, v->boolean ? "true" : "false"); break;
    case MUMLOC_JSON_NUMBER: mumloc_json_write_number(out, v->number); break;
    case MUMLOC_JSON_STRING: mumloc_json_write_string(out, v->string); break;
    case MUMLOC_JSON_ARRAY:
    case MUMLOC_JSON_OBJECT:
        mumloc_text_puts(out, v->type == MUMLOC_JSON_ARRAY ? "[" : "{");
        for (size_t i = 0; i < v->count; i++) {
            if (i) mumloc_text_puts(out, ",");
            if (v->type == MUMLOC_JSON_OBJECT) {
                mumloc_json_write_string(out, v->keys[i]);
                mumloc_text_puts(out, ":");
            }
            mumloc_json_write(out, &v->items[i]);
        }
        mumloc_text_puts(out, v->type == MUMLOC_JSON_ARRAY ? "]" : "}");
        break;
    }
}
