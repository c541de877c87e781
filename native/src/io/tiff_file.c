/* One TIFF file's images (see tiff_file.h). */
#define _FILE_OFFSET_BITS 64
#include "io/tiff_file.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.h"
#include "core/hash_index.h"
#include "io/tiff_ifd.h"
#include "io/tiff_tags.h"
#include "io/input_file.h"

struct tiff_file {
    tiff_source src;
    char *path;
    char *description;
    tiff_info info;
    size_t image_bytes;
    uint64_t first_offset;   /* contiguous layout: image i at first_offset + i · image_bytes */
    int64_t *strip_begin;    /* other layouts: image i's strips are [strip_begin[i], strip_begin[i+1]) */
    uint64_t *strip_offsets, *strip_counts;
    int64_t strips_used, strips_cap, images_cap;
};

int tiff_description_value(const char *description, const char *key, char *value, size_t cap) {
    size_t key_len = strlen(key);
    for (const char *line = description; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len > key_len && strncmp(line, key, key_len) == 0 && line[key_len] == '=') {
            size_t n = len - key_len - 1;
            if (n > 0 && line[key_len + n] == '\r') n--;
            if (cap > 0) {
                if (n > cap - 1) n = cap - 1;
                memcpy(value, line + key_len + 1, n);
                value[n] = '\0';
            }
            return 1;
        }
        line = end ? end + 1 : NULL;
    }
    return 0;
}

static long long description_integer(const char *description, const char *key, long long fallback) {
    char text[64];
    if (!tiff_description_value(description, key, text, sizeof text)) return fallback;
    char *end;
    long long v = strtoll(text, &end, 10);
    return end == text ? fallback : v;
}

static const char *compression_name(uint32_t c) {
    switch (c) {
    case 2: case 3: case 4: return "CCITT fax";
    case 5: return "LZW";
    case 6: case 7: return "JPEG";
    case 8: case 32946: return "Deflate/ZIP";
    case 32773: return "PackBits";
    case 34925: return "LZMA";
    case 50000: return "Zstandard";
    default: return "unknown";
    }
}

/* Refuses what this reader cannot turn into floats, naming the reason. */
static mumloc_status check_supported(const tiff_file *r, const tiff_ifd *ifd, int64_t index) {
    const char *p = r->path;
    if (ifd->compression != 1)
        return error_fail(MUMLOC_ERR_UNSUPPORTED,
                           "'%s' is compressed (%s, TIFF compression %u); mumloc reads uncompressed "
                           "TIFFs only: re-save it uncompressed, e.g. with ImageJ's File > Save As > Tiff",
                           p, compression_name(ifd->compression), ifd->compression);
    if (ifd->tiled)
        return error_fail(MUMLOC_ERR_UNSUPPORTED,
                           "'%s' stores its pixels in tiles; mumloc reads strip TIFFs only: re-save "
                           "it with ImageJ's File > Save As > Tiff",
                           p);
    if (ifd->samples != 1)
        return error_fail(MUMLOC_ERR_UNSUPPORTED,
                           "'%s' has %u samples per pixel (RGB or similar); mumloc needs grayscale "
                           "images (one sample per pixel)",
                           p, ifd->samples);
    int fmt = (int)ifd->sample_format;
    int ok = (ifd->bits == 8 || ifd->bits == 16) ? (fmt == TIFF_SAMPLE_UINT || fmt == TIFF_SAMPLE_INT)
             : ifd->bits == 32 ? (fmt >= TIFF_SAMPLE_UINT && fmt <= TIFF_SAMPLE_FLOAT)
             : ifd->bits == 64 ? fmt == TIFF_SAMPLE_FLOAT
                               : 0;
    if (!ok)
        return error_fail(MUMLOC_ERR_UNSUPPORTED,
                           "'%s' has %u-bit samples of format %d; mumloc reads 8/16/32-bit integer "
                           "and 32/64-bit float grayscale images",
                           p, ifd->bits, fmt);
    if ((uint64_t)ifd->width * ifd->height > r->src.size || ifd->width > INT32_MAX ||
        ifd->height > INT32_MAX)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s': IFD %lld says the image is %u x %u pixels, more than the file's "
                           "%llu bytes can hold (is the file damaged?)",
                           p, (long long)index, ifd->width, ifd->height,
                           (unsigned long long)r->src.size);
    if (ifd->width == 0 || ifd->height == 0 || !ifd->strip_offsets || ifd->strips == 0)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s': IFD %lld has no image (width %u, height %u, %u strips)", p,
                           (long long)index, ifd->width, ifd->height, ifd->strips);
    return MUMLOC_OK;
}

static mumloc_status add_image_strips(tiff_file *r, const tiff_ifd *ifd, int64_t index) {
    uint64_t total = 0;
    for (uint32_t s = 0; s < ifd->strips; s++) {
        uint64_t end = ifd->strip_offsets[s] + ifd->strip_counts[s];
        if (end > r->src.size)
            return error_fail(MUMLOC_ERR_FORMAT,
                               "'%s' is truncated: image %lld needs bytes up to %llu but the file "
                               "has %llu bytes (was it copied or written completely?)",
                               r->path, (long long)index + 1, (unsigned long long)end,
                               (unsigned long long)r->src.size);
        total += ifd->strip_counts[s];
    }
    if (total < r->image_bytes)
        return error_fail(MUMLOC_ERR_FORMAT, "'%s': image %lld has %llu bytes of strips, needs %zu",
                           r->path, (long long)index + 1, (unsigned long long)total, r->image_bytes);
    /* A strip's offset and count take at least 2 bytes each in the file, or share a 12-byte IFD
     * entry when inline: only arrays that overlap (a crafted file) list more strips than this. */
    if ((uint64_t)r->strips_used + ifd->strips > r->src.size / 2)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s': its IFDs list more strips than a file of %llu bytes can hold (the "
                           "strip tables overlap; is the file damaged?)",
                           r->path, (unsigned long long)r->src.size);
    if (r->strips_used + ifd->strips > r->strips_cap) {
        int64_t cap = (r->strips_cap + ifd->strips) * 2;
        uint64_t *o = realloc(r->strip_offsets, (size_t)cap * sizeof *o);
        if (o) r->strip_offsets = o;
        uint64_t *c = realloc(r->strip_counts, (size_t)cap * sizeof *c);
        if (c) r->strip_counts = c;
        if (!o || !c) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory indexing '%s'", r->path);
        r->strips_cap = cap;
    }
    if (index + 2 > r->images_cap) {
        int64_t cap = 2 * (index + 2);
        int64_t *grown = realloc(r->strip_begin, (size_t)cap * sizeof *grown);
        if (!grown) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory indexing '%s'", r->path);
        r->strip_begin = grown;
        r->images_cap = cap;
    }
    int64_t *b = r->strip_begin;
    b[index] = r->strips_used;
    memcpy(r->strip_offsets + r->strips_used, ifd->strip_offsets, ifd->strips * sizeof(uint64_t));
    memcpy(r->strip_counts + r->strips_used, ifd->strip_counts, ifd->strips * sizeof(uint64_t));
    r->strips_used += ifd->strips;
    b[index + 1] = r->strips_used;
    return MUMLOC_OK;
}

/* Remembers an IFD's offset; a second visit is a loop, refused at once (a loop that lists many
 * strips would otherwise be indexed again and again). */
static mumloc_status visit_ifd(const tiff_file *r, hash_index *seen, uint64_t offset) {
    uint64_t hash = hash_u64(offset);
    if (hash_index_find(seen, hash, NULL, &offset, NULL))
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s': IFD loop at offset %llu (the chain of images comes back to an "
                           "IFD it has read; is the file damaged?)",
                           r->path, (unsigned long long)offset);
    return hash_index_add(seen, hash, offset);
}

/* Every further IFD of the chain is one more image of the same kind. */
static mumloc_status walk_ifd_chain(tiff_file *r, const tiff_ifd *first,
                                    uint64_t first_offset, hash_index *seen) {
    ERROR_TRY(visit_ifd(r, seen, first_offset));
    ERROR_TRY(add_image_strips(r, first, 0));
    int64_t images = 1, visited = 1;
    uint64_t next = first->next;
    while (next != 0) {
        ERROR_TRY(visit_ifd(r, seen, next));
        visited++;
        tiff_ifd ifd;
        ERROR_TRY(tiff_ifd_parse(&r->src, next, visited - 1, &ifd));
        mumloc_status s = MUMLOC_OK;
        if (!(ifd.subfile_type & 1)) { /* bit 0: a reduced-resolution copy (thumbnail) */
            s = check_supported(r, &ifd, visited - 1);
            if (s == MUMLOC_OK && (ifd.width != first->width || ifd.height != first->height ||
                                   ifd.bits != first->bits || ifd.sample_format != first->sample_format))
                s = error_fail(MUMLOC_ERR_UNSUPPORTED,
                                "'%s': image %lld is %ux%u with %u-bit samples but image 1 is %ux%u "
                                "with %u-bit samples; mumloc reads stacks of equal images only",
                                r->path, (long long)images + 1, ifd.width, ifd.height, ifd.bits,
                                first->width, first->height, first->bits);
            if (s == MUMLOC_OK) s = add_image_strips(r, &ifd, images++);
        }
        next = ifd.next;
        tiff_ifd_free(&ifd);
        ERROR_TRY(s);
    }
    r->info.images = images;
    return MUMLOC_OK;
}

static mumloc_status index_ifd_chain(tiff_file *r, const tiff_ifd *first,
                                     uint64_t first_offset) {
    hash_index seen = {0};
    mumloc_status s = walk_ifd_chain(r, first, first_offset, &seen);
    hash_index_free(&seen);
    return s;
}

static double unit_in_um(const char *unit) {
    if (!strcmp(unit, "micron") || !strcmp(unit, "microns") || !strcmp(unit, "um") ||
        !strcmp(unit, "\xC2\xB5m") || !strcmp(unit, "\xB5m") || !strcmp(unit, "\\u00B5m"))
        return 1;
    if (!strcmp(unit, "nm")) return 1e-3;
    if (!strcmp(unit, "mm")) return 1e3;
    if (!strcmp(unit, "cm")) return 1e4;
    if (!strcmp(unit, "inch")) return 25400;
    return 0;
}

static void fill_info(tiff_file *r, const tiff_ifd *ifd) {
    tiff_info *in = &r->info;
    const char *d = r->description;
    in->width = (int)ifd->width;
    in->height = (int)ifd->height;
    in->bits_per_sample = (int)ifd->bits;
    in->sample_format = (int)ifd->sample_format;
    in->big_endian = r->src.big_endian;
    in->pixel_width = ifd->x_resolution > 0 ? 1.0 / ifd->x_resolution : 0;
    in->pixel_height = ifd->y_resolution > 0 ? 1.0 / ifd->y_resolution : in->pixel_width;
    in->unit[0] = '\0';
    if (ifd->resolution_unit == 2) strcpy(in->unit, "inch");
    if (ifd->resolution_unit == 3) strcpy(in->unit, "cm");
    in->channels = 1;
    in->slices = in->images > INT32_MAX ? INT32_MAX : (int)in->images;
    in->frames = 1;
    if (in->imagej) {
        tiff_description_value(d, "unit", in->unit, sizeof in->unit);
        long long c = description_integer(d, "channels", 1), z = description_integer(d, "slices", 1),
                  t = description_integer(d, "frames", 1);
        /* c, z and t come from the file: compared by division, as their product may overflow */
        if (c >= 1 && z >= 1 && t >= 1 && c <= in->images && z <= in->images / c &&
            t == in->images / (c * z) && c * z * t == in->images) {
            in->channels = (int)c;
            in->slices = (int)z;
            in->frames = (int)t;
        }
        char flag[16];
        in->hyperstack = tiff_description_value(d, "hyperstack", flag, sizeof flag) &&
                         strcmp(flag, "true") == 0;
    }
    in->pixel_um = in->pixel_width * unit_in_um(in->unit);
}

static mumloc_status read_header(tiff_file *r, uint64_t *first_ifd) {
    unsigned char h[16] = {0};
    size_t n = r->src.size < 16 ? (size_t)r->src.size : 16;
    ERROR_TRY(tiff_read_at(&r->src, 0, h, n, "the header"));
    int little = h[0] == 'I' && h[1] == 'I', big = h[0] == 'M' && h[1] == 'M';
    if (n < 8 || (!little && !big))
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is not a TIFF file (it starts with bytes %02X %02X %02X %02X, a TIFF "
                           "starts with \"II\" or \"MM\")",
                           r->path, h[0], h[1], h[2], h[3]);
    r->src.big_endian = big;
    uint32_t version = tiff_get16(h + 2, big);
    if (version != TIFF_CLASSIC_VERSION && version != TIFF_BIG_VERSION)
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is not a TIFF file (version %u, expected 42, or 43 for BigTIFF)",
                           r->path, version);
    r->src.bigtiff = version == TIFF_BIG_VERSION;
    if (r->src.bigtiff && (n < 16 || tiff_get16(h + 4, big) != 8 || tiff_get16(h + 6, big) != 0))
        return error_fail(MUMLOC_ERR_FORMAT,
                           "'%s' is not a valid BigTIFF: its header must give 8-byte offsets and "
                           "hold the first IFD's offset in 16 bytes",
                           r->path);
    *first_ifd = r->src.bigtiff ? tiff_get64(h + 8, big) : tiff_get32(h + 4, big);
    if (*first_ifd < (r->src.bigtiff ? 16u : 8u))
        return error_fail(MUMLOC_ERR_FORMAT, "'%s' is not a valid TIFF: its first IFD offset is %llu",
                           r->path, (unsigned long long)*first_ifd);
    return MUMLOC_OK;
}

/* ImageJ's rule (images back to back) holds unless a second IFD puts its image elsewhere, as
 * writers do that store each image after its IFD (BigTIFF converters, Micro-Manager). */
static int second_image_follows(const tiff_file *r, const tiff_ifd *first) {
    if (first->next == 0) return 1;
    tiff_ifd second;
    if (tiff_ifd_parse(&r->src, first->next, 1, &second) != MUMLOC_OK) return 1; /* ImageJ ignores it */
    int follows = !second.strip_offsets || second.strips == 0 ||
                  second.strip_offsets[0] == first->strip_offsets[0] + r->image_bytes;
    tiff_ifd_free(&second);
    return follows;
}

/* part: a file of an OME-TIFF series, whose TiffData count IFDs: ImageJ's rule does not apply. */
static mumloc_status index_file(tiff_file *r, int part) {
    uint64_t offset = 0;
    ERROR_TRY(read_header(r, &offset));
    tiff_ifd first;
    ERROR_TRY(tiff_ifd_parse(&r->src, offset, 0, &first));
    mumloc_status s = check_supported(r, &first, 0);
    if (s == MUMLOC_OK) {
        r->description = first.description ? first.description : strdup("");
        first.description = NULL;
        if (!r->description) s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory");
    }
    if (s == MUMLOC_OK) {
        r->image_bytes = (size_t)first.width * first.height * (first.bits / 8);
        r->info.imagej = strncmp(r->description, "ImageJ", 6) == 0;
        long long n = r->info.imagej && !part ? description_integer(r->description, "images", 1) : 1;
        if (n > 1 && !second_image_follows(r, &first)) n = 1;
        if (n > 1) { /* ImageJ's rule: N images back to back from the first strip */
            r->info.contiguous = 1;
            r->info.images = n;
            r->first_offset = first.strip_offsets[0];
            uint64_t room = r->first_offset < r->src.size ? r->src.size - r->first_offset : 0;
            if ((uint64_t)n > room / r->image_bytes)
                s = error_fail(MUMLOC_ERR_FORMAT,
                                "'%s' is truncated: its description says %lld images of %zu bytes "
                                "from byte %llu, which needs %.0f bytes, but the file has %llu",
                                r->path, n, r->image_bytes, (unsigned long long)r->first_offset,
                                (double)r->first_offset + (double)n * (double)r->image_bytes,
                                (unsigned long long)r->src.size);
        } else {
            s = index_ifd_chain(r, &first, offset);
        }
    }
    if (s == MUMLOC_OK) fill_info(r, &first);
    tiff_ifd_free(&first);
    return s;
}

mumloc_status tiff_file_open(const char *path, int part, tiff_file **out) {
    if (!path || !out) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "TIFF path and output are required");
    *out = NULL;
    tiff_file *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory opening '%s'", path);
    }
    r->src.path = r->path;
    r->src.skip_descriptions = part; /* a part's (Micro-Manager repeats megabytes of OME-XML) */
    mumloc_status s = input_open(path, NULL, &r->src.fd, &r->src.size);
    if (s == MUMLOC_OK) s = index_file(r, part);
    if (s != MUMLOC_OK) {
        tiff_file_close(r);
        return s;
    }
    *out = r;
    return MUMLOC_OK;
}

void tiff_file_close(tiff_file *r) {
    if (!r) return;
    if (r->src.fd >= 0 && r->path) close(r->src.fd);
    free(r->strip_begin);
    free(r->strip_offsets);
    free(r->strip_counts);
    free(r->description);
    free(r->path);
    free(r);
}

const tiff_info *tiff_file_info(const tiff_file *r) { return &r->info; }
const char *tiff_file_description(const tiff_file *r) { return r->description; }

/* Converts n samples held in bytes (file order) to floats in place; bytes and out may alias as long
 * as each sample is at most 4 bytes (the loop runs backwards so no unread sample is overwritten). */
static void to_float(const unsigned char *bytes, float *out, size_t n, int bits, int format, int big) {
    for (size_t k = n; k-- > 0;) {
        const unsigned char *p = bytes + k * (size_t)(bits / 8);
        float v;
        if (bits == 8) {
            v = format == TIFF_SAMPLE_INT ? (float)(signed char)p[0] : (float)p[0];
        } else if (bits == 16) {
            uint32_t u = tiff_get16(p, big);
            v = format == TIFF_SAMPLE_INT ? (float)(int16_t)u : (float)u;
        } else if (bits == 32) {
            uint32_t u = tiff_get32(p, big);
            if (format == TIFF_SAMPLE_FLOAT) memcpy(&v, &u, 4);
            else v = format == TIFF_SAMPLE_INT ? (float)(int32_t)u : (float)u;
        } else {
            uint64_t hi = tiff_get32(p + (big ? 0 : 4), big), lo = tiff_get32(p + (big ? 4 : 0), big);
            uint64_t u = hi << 32 | lo;
            double d;
            memcpy(&d, &u, 8);
            v = (float)d;
        }
        out[k] = v;
    }
}

mumloc_status tiff_file_read(const tiff_file *r, int64_t index, float *out) {
    if (index < 0 || index >= r->info.images)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "'%s' has images 0..%lld, not %lld", r->path,
                           (long long)r->info.images - 1, (long long)index);
    int bits = r->info.bits_per_sample;
    unsigned char *bytes = bits <= 32 ? (unsigned char *)out : malloc(r->image_bytes);
    if (!bytes) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory reading '%s'", r->path);
    char what[64];
    snprintf(what, sizeof what, "image %lld", (long long)index + 1);
    mumloc_status s = MUMLOC_OK;
    if (r->info.contiguous) {
        s = tiff_read_at(&r->src, r->first_offset + (uint64_t)index * r->image_bytes, bytes,
                         r->image_bytes, what);
    } else {
        size_t done = 0;
        for (int64_t k = r->strip_begin[index]; s == MUMLOC_OK && k < r->strip_begin[index + 1] &&
                                                done < r->image_bytes; k++) {
            size_t n = r->strip_counts[k] < r->image_bytes - done ? (size_t)r->strip_counts[k]
                                                                   : r->image_bytes - done;
            s = tiff_read_at(&r->src, r->strip_offsets[k], bytes + done, n, what);
            done += n;
        }
    }
    if (s == MUMLOC_OK)
        to_float(bytes, out, (size_t)r->info.width * r->info.height, bits, r->info.sample_format,
                 r->info.big_endian);
    if (bytes != (unsigned char *)out) free(bytes);
    return s;
}
