/* OME-XML facts for OME-TIFF series (see ome_xml.h). */
#include "io/ome_xml.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

enum { MAX_FILES = 4096 }; /* distinct files of one series: bounds the name search */

typedef struct span {
    const char *at;
    size_t len;
} span;

static int span_is(span s, const char *word) {
    return s.len == strlen(word) && strncmp(s.at, word, s.len) == 0;
}

int ome_xml_is(const char *text) {
    return text && (strncmp(text, "<?xml", 5) == 0 || strncmp(text, "<OME", 4) == 0);
}

/* Reads one attribute name="value" (or '...') at p; returns the text after it, or NULL at the end
 * of the tag (then *closed says whether it ended with "/>"). */
static const char *next_attribute(const char *p, span *name, span *value, int *closed) {
    while (*p && isspace((unsigned char)*p)) p++;
    if (*p == '\0' || *p == '>' || (p[0] == '/' && p[1] == '>')) {
        *closed = *p == '/';
        return NULL;
    }
    name->at = p;
    while (*p && *p != '=' && *p != '>' && !isspace((unsigned char)*p)) p++;
    name->len = (size_t)(p - name->at);
    while (*p && isspace((unsigned char)*p)) p++;
    if (*p != '=') { /* a bare word: not XML, skipped */
        value->at = p, value->len = 0;
        return *p && *p != '>' ? p + 1 : p;
    }
    p++;
    while (*p && isspace((unsigned char)*p)) p++;
    char quote = *p;
    if (quote != '"' && quote != '\'') {
        value->at = p, value->len = 0;
        return p;
    }
    value->at = ++p;
    const char *end = strchr(p, quote);
    if (!end) end = p + strlen(p);
    value->len = (size_t)(end - p);
    return *end ? end + 1 : end;
}

/* The element's name without a namespace prefix; p is just after '<'. */
static const char *element_name(const char *p, span *name) {
    const char *start = p;
    while (*p && !isspace((unsigned char)*p) && *p != '>' && *p != '/') p++;
    const char *colon = memchr(start, ':', (size_t)(p - start));
    name->at = colon ? colon + 1 : start;
    name->len = (size_t)(p - name->at);
    return p;
}

static mumloc_status count_value(span v, const char *attribute, int64_t *out) {
    int64_t n = 0;
    size_t i = 0;
    for (; i < v.len && isdigit((unsigned char)v.at[i]) && n <= (INT64_MAX - 9) / 10; i++)
        n = 10 * n + (v.at[i] - '0');
    if (v.len == 0 || i != v.len)
        return error_fail(MUMLOC_ERR_FORMAT, "the OME-XML's %s=\"%.*s\" is not a count", attribute,
                           (int)(v.len > 40 ? 40 : v.len), v.at);
    *out = n;
    return MUMLOC_OK;
}

/* The value with XML's five predefined entities decoded; malloc'ed. */
static char *decoded(span v) {
    static const char *const entities[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
                                              {"&quot;", "\""}, {"&apos;", "'"}};
    char *out = malloc(v.len + 1), *o = out;
    for (size_t i = 0; out && i < v.len;) {
        size_t k = 0;
        for (; k < 5; k++) {
            size_t n = strlen(entities[k][0]);
            if (i + n <= v.len && strncmp(v.at + i, entities[k][0], n) == 0) break;
        }
        if (k < 5) {
            *o++ = entities[k][1][0];
            i += strlen(entities[k][0]);
        } else {
            *o++ = v.at[i++];
        }
    }
    if (out) *o = '\0';
    return out;
}

static mumloc_status pixels_attributes(const char *p, ome_pixels *px) {
    span name, value;
    int closed = 0, have[6] = {0};
    const char *keys[5] = {"SizeX", "SizeY", "SizeC", "SizeZ", "SizeT"};
    int64_t *sizes[5] = {&px->size_x, &px->size_y, &px->size_c, &px->size_z, &px->size_t};
    while ((p = next_attribute(p, &name, &value, &closed)) != NULL) {
        for (int k = 0; k < 5; k++)
            if (span_is(name, keys[k])) {
                ERROR_TRY(count_value(value, keys[k], sizes[k]));
                have[k] = *sizes[k] > 0;
            }
        if (span_is(name, "DimensionOrder") && value.len == 5 && strncmp(value.at, "XY", 2) == 0) {
            memcpy(px->order, value.at + 2, 3);
            px->order[3] = '\0';
            have[5] = strchr(px->order, 'C') && strchr(px->order, 'Z') && strchr(px->order, 'T');
        }
    }
    for (int k = 0; k < 6; k++)
        if (!have[k])
            return error_fail(MUMLOC_ERR_FORMAT,
                               "the OME-XML's Pixels element lacks a valid %s", k < 5 ? keys[k]
                                                                                  : "DimensionOrder");
    return MUMLOC_OK;
}

static mumloc_status add_block(const char *p, ome_pixels *px) {
    if (px->block_count % 256 == 0) {
        ome_tiff_block *grown = realloc(px->blocks, (size_t)(px->block_count + 256) * sizeof *grown);
        if (!grown) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading OME-XML");
        px->blocks = grown;
    }
    ome_tiff_block *b = &px->blocks[px->block_count++];
    *b = (ome_tiff_block){0, 0, 0, 0, -1, -1};
    span name, value;
    int closed = 0, has_ifd = 0;
    while ((p = next_attribute(p, &name, &value, &closed)) != NULL) {
        if (span_is(name, "IFD")) {
            ERROR_TRY(count_value(value, "IFD", &b->ifd));
            has_ifd = 1;
        }
        if (span_is(name, "FirstC")) ERROR_TRY(count_value(value, "FirstC", &b->first_c));
        if (span_is(name, "FirstZ")) ERROR_TRY(count_value(value, "FirstZ", &b->first_z));
        if (span_is(name, "FirstT")) ERROR_TRY(count_value(value, "FirstT", &b->first_t));
        if (span_is(name, "PlaneCount")) ERROR_TRY(count_value(value, "PlaneCount", &b->planes));
    }
    if (b->planes < 0 && has_ifd) b->planes = 1; /* the schema's default when IFD is given */
    return MUMLOC_OK;
}

/* A UUID inside a TiffData names the file of the latest block. */
static mumloc_status uuid_file(const char *p, ome_pixels *px) {
    span name, value;
    int closed = 0;
    while ((p = next_attribute(p, &name, &value, &closed)) != NULL) {
        if (!span_is(name, "FileName") || px->block_count == 0) continue;
        for (size_t i = value.len; i-- > 0;) /* the name after the last folder */
            if (value.at[i] == '/') {
                value.at += i + 1;
                value.len -= i + 1;
                break;
            }
        if (value.len == 0) continue; /* no file named: the block stays in this file */
        char *file = decoded(value);
        if (!file) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading OME-XML");
        int k = 0;
        while (k < px->file_count && strcmp(px->files[k], file) != 0) k++;
        if (k < px->file_count) {
            free(file);
        } else {
            char **grown = px->file_count < MAX_FILES
                               ? realloc(px->files, (size_t)(px->file_count + 1) * sizeof *grown)
                               : NULL;
            if (!grown) {
                free(file);
                return error_fail(MUMLOC_ERR_FORMAT, "the OME-XML names more than %d files",
                                   MAX_FILES);
            }
            px->files = grown;
            px->files[px->file_count++] = file;
        }
        px->blocks[px->block_count - 1].file = k;
    }
    return MUMLOC_OK;
}

mumloc_status ome_pixels_parse(const char *xml, ome_pixels *px) {
    memset(px, 0, sizeof *px);
    int in_pixels = 0, in_tiff_data = 0;
    for (const char *p = strchr(xml, '<'); p; p = strchr(p, '<')) {
        p++;
        if (strncmp(p, "!--", 3) == 0) { /* comments may hold anything */
            const char *end = strstr(p, "-->");
            p = end ? end + 3 : p + strlen(p);
            continue;
        }
        int closing = *p == '/';
        span name;
        p = element_name(p + closing, &name);
        if (closing) {
            if (span_is(name, "Pixels") && in_pixels) break; /* only the first Image */
            if (span_is(name, "TiffData")) in_tiff_data = 0;
            continue;
        }
        if (span_is(name, "Pixels")) {
            if (in_pixels) break;
            in_pixels = 1;
            ERROR_TRY(pixels_attributes(p, px));
        } else if (in_pixels && span_is(name, "TiffData")) {
            ERROR_TRY(add_block(p, px));
            span a, v;
            int closed = 0;
            for (const char *q = p; (q = next_attribute(q, &a, &v, &closed)) != NULL;) {}
            in_tiff_data = !closed;
        } else if (in_tiff_data && span_is(name, "UUID")) {
            ERROR_TRY(uuid_file(p, px));
        }
    }
    if (!in_pixels) return error_fail(MUMLOC_ERR_FORMAT, "the OME-XML has no Pixels element");
    return MUMLOC_OK;
}

void ome_pixels_free(ome_pixels *px) {
    for (int k = 0; k < px->file_count; k++) free(px->files[k]);
    free(px->files);
    free(px->blocks);
    memset(px, 0, sizeof *px);
}
