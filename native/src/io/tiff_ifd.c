/* One TIFF image file directory (TIFF 6.0, section 2): classic (12-byte entries, 32-bit offsets) or
 * BigTIFF (20-byte entries, 64-bit counts and offsets). */
#define _FILE_OFFSET_BITS 64
#include "io/tiff_ifd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "io/ome_xml.h"
#include "io/tiff_tags.h"

mumloc_status tiff_read_at(const tiff_source *src, uint64_t offset, void *buf, size_t n,
                           const char *what) {
    if (offset > src->size || n > src->size - offset)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is truncated: %s needs bytes %llu to %llu but the file has %llu "
                           "bytes (was it copied or written completely?)",
                           src->path, what, (unsigned long long)offset,
                           (unsigned long long)(offset + n), (unsigned long long)src->size);
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t got = pread(src->fd, p, n, (off_t)offset);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0)
            return error_fail(MUMLOC_ERR_IO, "cannot read '%s' at byte %llu: %s", src->path,
                               (unsigned long long)offset, got < 0 ? strerror(errno) : "end of file");
        p += got;
        offset += (uint64_t)got;
        n -= (size_t)got;
    }
    return MUMLOC_OK;
}

static unsigned type_size(uint32_t type) {
    switch (type) {
    case TIFF_BYTE: case TIFF_ASCII: case TIFF_SBYTE: case TIFF_UNDEFINED: return 1;
    case TIFF_SHORT: case TIFF_SSHORT: return 2;
    case TIFF_LONG: case TIFF_SLONG: case TIFF_FLOAT: case TIFF_IFD: return 4;
    case TIFF_RATIONAL: case TIFF_SRATIONAL: case TIFF_DOUBLE: return 8;
    case TIFF_LONG8: case TIFF_SLONG8: case TIFF_IFD8: return 8;
    default: return 0;
    }
}

typedef struct entry {
    uint32_t tag, type;
    uint64_t count;
    unsigned char inline_value[8]; /* classic TIFF uses the first 4 */
    const tiff_source *src;
    int64_t ifd_index;
} entry;

/* The entry's values as bytes (inline or at their offset); *data is malloc'ed. */
static mumloc_status entry_bytes(const entry *e, unsigned char **data, size_t *len) {
    size_t size = type_size(e->type);
    size_t inline_bytes = e->src->bigtiff ? 8 : 4;
    *data = NULL;
    /* compared by division: a BigTIFF count is 64 bits and the product may overflow */
    if (size == 0 || e->count > (e->src->size + inline_bytes) / size)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s': tag %u of IFD %lld has type %u and count %llu, "
                           "which is not valid TIFF",
                           e->src->path, e->tag, (long long)e->ifd_index, e->type,
                           (unsigned long long)e->count);
    *len = (size_t)e->count * size;
    *data = malloc(*len ? *len : 1);
    if (!*data) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading a TIFF tag");
    if (*len <= inline_bytes) {
        memcpy(*data, e->inline_value, *len);
        return MUMLOC_OK;
    }
    char what[64];
    snprintf(what, sizeof what, "tag %u of IFD %lld", e->tag, (long long)e->ifd_index);
    uint64_t at = e->src->bigtiff ? tiff_get64(e->inline_value, e->src->big_endian)
                                  : tiff_get32(e->inline_value, e->src->big_endian);
    mumloc_status s = tiff_read_at(e->src, at, *data, *len, what);
    if (s != MUMLOC_OK) {
        free(*data);
        *data = NULL;
    }
    return s;
}

/* Element i of an integer-valued entry. */
static uint64_t element(const entry *e, const unsigned char *data, uint32_t i) {
    int be = e->src->big_endian;
    switch (e->type) {
    case TIFF_BYTE: case TIFF_SBYTE: case TIFF_UNDEFINED: return data[i];
    case TIFF_SHORT: case TIFF_SSHORT: return tiff_get16(data + 2 * i, be);
    case TIFF_LONG8: case TIFF_SLONG8: case TIFF_IFD8: return tiff_get64(data + 8 * (size_t)i, be);
    default: return tiff_get32(data + 4 * i, be);
    }
}

static int is_integer_type(uint32_t type) {
    return type == TIFF_BYTE || type == TIFF_SHORT || type == TIFF_LONG || type == TIFF_SBYTE ||
           type == TIFF_SSHORT || type == TIFF_SLONG || type == TIFF_UNDEFINED || type == TIFF_IFD ||
           type == TIFF_LONG8 || type == TIFF_SLONG8 || type == TIFF_IFD8;
}

static mumloc_status entry_array(const entry *e, uint64_t **out, uint32_t *count) {
    if (!is_integer_type(e->type))
        return error_fail(MUMLOC_ERR_FORMAT, "'%s': tag %u of IFD %lld should hold integers",
                           e->src->path, e->tag, (long long)e->ifd_index);
    unsigned char *data;
    size_t len;
    ERROR_TRY(entry_bytes(e, &data, &len)); /* first: the count must fit the file */
    if (e->count > UINT32_MAX) {
        free(data);
        return error_fail(MUMLOC_ERR_FORMAT, "'%s': tag %u of IFD %lld has count %llu, more "
                           "values than mumloc indexes (is the file damaged?)",
                           e->src->path, e->tag, (long long)e->ifd_index,
                           (unsigned long long)e->count);
    }
    uint64_t *values = malloc((e->count ? e->count : 1) * sizeof *values);
    if (!values) {
        free(data);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading TIFF strips");
    }
    for (uint32_t i = 0; i < e->count; i++) values[i] = element(e, data, i);
    free(data);
    *out = values;
    *count = (uint32_t)e->count;
    return MUMLOC_OK;
}

static mumloc_status entry_scalar(const entry *e, uint32_t *value) {
    if (!is_integer_type(e->type) || e->count < 1)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s': tag %u of IFD %lld should hold an integer",
                           e->src->path, e->tag, (long long)e->ifd_index);
    unsigned char *data;
    size_t len;
    ERROR_TRY(entry_bytes(e, &data, &len));
    *value = (uint32_t)element(e, data, 0);
    free(data);
    return MUMLOC_OK;
}

static mumloc_status entry_rational(const entry *e, double *value) {
    if (e->type != TIFF_RATIONAL || e->count < 1) {
        *value = 0; /* a malformed resolution only loses the calibration */
        return MUMLOC_OK;
    }
    unsigned char *data;
    size_t len;
    ERROR_TRY(entry_bytes(e, &data, &len));
    uint32_t num = tiff_get32(data, e->src->big_endian), den = tiff_get32(data + 4, e->src->big_endian);
    free(data);
    *value = den ? (double)num / den : 0;
    return MUMLOC_OK;
}

static mumloc_status entry_text(const entry *e, char **text) {
    unsigned char *data;
    size_t len;
    ERROR_TRY(entry_bytes(e, &data, &len));
    char *s = realloc(data, len + 1); /* in place: an OME-XML description may be megabytes */
    if (!s) {
        free(data);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading a TIFF description");
    }
    s[len] = '\0';
    free(*text);
    *text = s;
    return MUMLOC_OK;
}

/* Micro-Manager writes two descriptions into the first IFD, OME-XML and ImageJ's: the OME-XML is
 * kept, as it alone describes the whole series; otherwise the last one counts. */
static mumloc_status entry_description(const entry *e, tiff_ifd *ifd) {
    char *text = NULL;
    ERROR_TRY(entry_text(e, &text));
    if (ome_xml_is(ifd->description) && !ome_xml_is(text)) {
        free(text);
    } else {
        free(ifd->description);
        ifd->description = text;
    }
    return MUMLOC_OK;
}

static mumloc_status apply_entry(const entry *e, tiff_ifd *ifd) {
    switch (e->tag) {
    case TIFF_TAG_NEW_SUBFILE_TYPE: return entry_scalar(e, &ifd->subfile_type);
    case TIFF_TAG_IMAGE_WIDTH: return entry_scalar(e, &ifd->width);
    case TIFF_TAG_IMAGE_LENGTH: return entry_scalar(e, &ifd->height);
    case TIFF_TAG_BITS_PER_SAMPLE: return entry_scalar(e, &ifd->bits);
    case TIFF_TAG_COMPRESSION: return entry_scalar(e, &ifd->compression);
    case TIFF_TAG_PHOTOMETRIC: return entry_scalar(e, &ifd->photometric);
    case TIFF_TAG_IMAGE_DESCRIPTION:
        return e->src->skip_descriptions ? MUMLOC_OK : entry_description(e, ifd);
    case TIFF_TAG_SAMPLES_PER_PIXEL: return entry_scalar(e, &ifd->samples);
    case TIFF_TAG_ROWS_PER_STRIP: return entry_scalar(e, &ifd->rows_per_strip);
    case TIFF_TAG_PLANAR_CONFIGURATION: return entry_scalar(e, &ifd->planar);
    case TIFF_TAG_RESOLUTION_UNIT: return entry_scalar(e, &ifd->resolution_unit);
    case TIFF_TAG_SAMPLE_FORMAT: return entry_scalar(e, &ifd->sample_format);
    case TIFF_TAG_X_RESOLUTION: return entry_rational(e, &ifd->x_resolution);
    case TIFF_TAG_Y_RESOLUTION: return entry_rational(e, &ifd->y_resolution);
    case TIFF_TAG_TILE_WIDTH: ifd->tiled = 1; return MUMLOC_OK;
    case TIFF_TAG_STRIP_OFFSETS:
        free(ifd->strip_offsets);
        ifd->strip_offsets = NULL;
        return entry_array(e, &ifd->strip_offsets, &ifd->strips);
    case TIFF_TAG_STRIP_BYTE_COUNTS:
        free(ifd->strip_counts);
        ifd->strip_counts = NULL;
        return entry_array(e, &ifd->strip_counts, &ifd->strip_count_entries);
    default: return MUMLOC_OK; /* tags that do not change how pixels are read */
    }
}

mumloc_status tiff_ifd_parse(const tiff_source *src, uint64_t offset, int64_t index, tiff_ifd *ifd) {
    memset(ifd, 0, sizeof *ifd);
    ifd->bits = 1;
    ifd->compression = 1;
    ifd->samples = 1;
    ifd->planar = 1;
    ifd->sample_format = TIFF_SAMPLE_UINT;
    ifd->rows_per_strip = UINT32_MAX;
    char what[64];
    snprintf(what, sizeof what, "IFD %lld", (long long)index);
    const int big = src->big_endian, wide = src->bigtiff;
    const size_t count_size = wide ? 8 : 2, entry_size = wide ? 20 : 12, next_size = wide ? 8 : 4;
    unsigned char count_bytes[8];
    ERROR_TRY(tiff_read_at(src, offset, count_bytes, count_size, what));
    uint64_t entries = wide ? tiff_get64(count_bytes, big) : tiff_get16(count_bytes, big);
    uint64_t room = src->size - offset - count_size; /* tiff_read_at checked offset + count_size */
    if (entries > room / entry_size || entries * entry_size + next_size > room)
        /* refused before allocating what the file cannot hold */
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is truncated: %s lists %llu entries, more than the %llu bytes after "
                           "it can hold (was it copied or written completely?)",
                           src->path, what, (unsigned long long)entries, (unsigned long long)room);
    size_t len = (size_t)entries * entry_size + next_size;
    unsigned char *table = malloc(len);
    if (!table) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading a TIFF IFD");
    mumloc_status s = tiff_read_at(src, offset + count_size, table, len, what);
    for (uint64_t i = 0; s == MUMLOC_OK && i < entries; i++) {
        const unsigned char *p = table + entry_size * i;
        entry e = {tiff_get16(p, big), tiff_get16(p + 2, big), 0, {0}, src, index};
        e.count = wide ? tiff_get64(p + 4, big) : tiff_get32(p + 4, big);
        memcpy(e.inline_value, p + (wide ? 12 : 8), wide ? 8 : 4);
        s = apply_entry(&e, ifd);
    }
    if (s == MUMLOC_OK)
        ifd->next = wide ? tiff_get64(table + len - 8, big) : tiff_get32(table + len - 4, big);
    free(table);
    if (s == MUMLOC_OK && ifd->strip_offsets && !ifd->strip_counts)
        s = error_fail(MUMLOC_ERR_FORMAT, "'%s': IFD %lld has strip offsets but no strip byte counts",
                        src->path, (long long)index);
    if (s == MUMLOC_OK && ifd->strip_counts && ifd->strip_count_entries != ifd->strips)
        s = error_fail(MUMLOC_ERR_FORMAT,
                        "'%s': IFD %lld has %u strip offsets but %u strip byte counts", src->path,
                        (long long)index, ifd->strips, ifd->strip_count_entries);
    if (s != MUMLOC_OK) tiff_ifd_free(ifd);
    return s;
}

void tiff_ifd_free(tiff_ifd *ifd) {
    free(ifd->strip_offsets);
    free(ifd->strip_counts);
    free(ifd->description);
    ifd->strip_offsets = ifd->strip_counts = NULL;
    ifd->description = NULL;
}
