/* Device strings: "auto" | "cpu" | "cuda" | "cuda:N" (the CLI's --device, the Fiji "Device" field). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "mumloc.h"

/* Case-insensitive prefix match; returns the rest of s, or NULL. */
static const char *skip_word(const char *s, const char *word) {
    for (; *word; s++, word++)
        if (tolower((unsigned char)*s) != *word) return NULL;
    return s;
}

mumloc_status mumloc_device_parse(const char *text, mumloc_device *out) {
    if (!text || !out)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "device parse: text and out are required");
    const char *s = text;
    while (isspace((unsigned char)*s)) s++;
    size_t len = strlen(s);
    while (len > 0 && isspace((unsigned char)s[len - 1])) len--;
    char buf[32];
    if (len == 0 || len >= sizeof buf)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "device \"%.40s\" not understood: use auto, cpu, cuda or cuda:N", text);
    memcpy(buf, s, len);
    buf[len] = '\0';
    const char *rest;
    mumloc_device d = {MUMLOC_DEVICE_AUTO, 0};
    if ((rest = skip_word(buf, "auto")) && !*rest) d.kind = MUMLOC_DEVICE_AUTO;
    else if ((rest = skip_word(buf, "cpu")) && !*rest) d.kind = MUMLOC_DEVICE_CPU;
    else if ((rest = skip_word(buf, "cuda")) && (!*rest || *rest == ':')) {
        d.kind = MUMLOC_DEVICE_CUDA;
        if (*rest == ':') {
            rest++;
            long v = 0;
            int digits = 0;
            for (; isdigit((unsigned char)*rest) && v < 100000; rest++, digits++)
                v = v * 10 + (*rest - '0');
            if (!digits || *rest || v > 4096)
                return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                   "device \"%s\": the CUDA device number must be 0 to 4096", buf);
            d.index = (int)v;
        }
    } else
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "device \"%s\" not understood: use auto, cpu, cuda or cuda:N", buf);
    *out = d;
    return MUMLOC_OK;
}

mumloc_status mumloc_device_format(mumloc_device device, char *buf, size_t cap) {
    if (!buf || cap < 16)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "device format needs a 16-byte buffer");
    switch (device.kind) {
    case MUMLOC_DEVICE_AUTO: snprintf(buf, cap, "auto"); return MUMLOC_OK;
    case MUMLOC_DEVICE_CPU: snprintf(buf, cap, "cpu"); return MUMLOC_OK;
    case MUMLOC_DEVICE_CUDA:
        if (device.index < 0) break;
        snprintf(buf, cap, "cuda:%d", device.index);
        return MUMLOC_OK;
    }
    buf[0] = '\0';
    return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "device format: unknown device kind %d",
                       (int)device.kind);
}
