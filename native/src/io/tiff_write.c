/* Streaming ImageJ hyperstack writer (see tiff_write.h for the two layouts). */
#define _FILE_OFFSET_BITS 64
#include "io/tiff_write.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "core/error.h"
#include "io/tiff_tags.h"

#define TIFF_OFFSET_LIMIT 0xFFFFFFFFull
enum { MAX_ENTRIES = 16 };

struct tiff_writer {
    FILE *file;
    char *label;
    tiff_write_options options;
    tiff_layout layout;
    int bigtiff;               /* 8-byte offsets and counts, 20-byte IFD entries */
    int bits;                  /* 32 (float) or 16 (unsigned) */
    int64_t images, written;
    uint32_t image_bytes;
    uint64_t data_offset;      /* first image's strip */
    char *description;         /* NUL-terminated; its NUL is part of the TIFF ASCII value */
    uint32_t description_bytes; /* including the NUL */
    uint32_t x_num, x_den;      /* XResolution = YResolution = x_num / x_den pixels per µm */
};

typedef struct ifd_builder {
    unsigned char bytes[8 + MAX_ENTRIES * 20 + 8];
    int entries, big; /* big: BigTIFF's 8-byte entry count, 20-byte entries, 8-byte next offset */
} ifd_builder;

static unsigned header_bytes(int big) { return big ? 16 : 8; }

/* value_bytes of value, left-justified in the entry's value field (4 bytes, 8 in BigTIFF). */
static void ifd_add(ifd_builder *b, uint32_t tag, uint32_t type, uint64_t count, uint64_t value,
                    int value_bytes) {
    unsigned char *e = b->bytes + (b->big ? 8 + b->entries * 20 : 2 + b->entries * 12);
    tiff_put16le(e, tag);
    tiff_put16le(e + 2, type);
    unsigned char *field = e + (b->big ? 12 : 8);
    if (b->big) tiff_put64le(e + 4, count);
    else tiff_put32le(e + 4, (uint32_t)count);
    memset(field, 0, b->big ? 8 : 4);
    if (value_bytes == 2) tiff_put16le(field, (uint32_t)value);
    else if (value_bytes == 4) tiff_put32le(field, (uint32_t)value);
    else tiff_put64le(field, value);
    b->entries++;
}

/* One image's IFD, tags in ascending order as TIFF requires. */
static uint32_t build_ifd(const tiff_writer *w, ifd_builder *b, uint64_t strip_offset,
                          uint64_t description_offset, uint64_t resolution_offset,
                          uint64_t next_ifd, int with_description) {
    b->entries = 0;
    b->big = w->bigtiff;
    const int offset_bytes = b->big ? 8 : 4;
    ifd_add(b, TIFF_TAG_NEW_SUBFILE_TYPE, TIFF_LONG, 1, 0, 4);
    ifd_add(b, TIFF_TAG_IMAGE_WIDTH, TIFF_LONG, 1, (uint32_t)w->options.width, 4);
    ifd_add(b, TIFF_TAG_IMAGE_LENGTH, TIFF_LONG, 1, (uint32_t)w->options.height, 4);
    ifd_add(b, TIFF_TAG_BITS_PER_SAMPLE, TIFF_SHORT, 1, (uint32_t)w->bits, 2);
    ifd_add(b, TIFF_TAG_COMPRESSION, TIFF_SHORT, 1, 1, 2);
    ifd_add(b, TIFF_TAG_PHOTOMETRIC, TIFF_SHORT, 1, 1, 2); /* BlackIsZero */
    if (with_description)
        ifd_add(b, TIFF_TAG_IMAGE_DESCRIPTION, TIFF_ASCII, w->description_bytes,
                description_offset, offset_bytes);
    ifd_add(b, TIFF_TAG_STRIP_OFFSETS, b->big ? TIFF_LONG8 : TIFF_LONG, 1, strip_offset, offset_bytes);
    ifd_add(b, TIFF_TAG_SAMPLES_PER_PIXEL, TIFF_SHORT, 1, 1, 2);
    ifd_add(b, TIFF_TAG_ROWS_PER_STRIP, TIFF_LONG, 1, (uint32_t)w->options.height, 4);
    ifd_add(b, TIFF_TAG_STRIP_BYTE_COUNTS, TIFF_LONG, 1, w->image_bytes, 4);
    if (w->options.pixel_um > 0) {
        /* a rational fits BigTIFF's 8-byte value field, where it must then lie */
        uint64_t resolution = b->big ? (uint64_t)w->x_den << 32 | w->x_num : resolution_offset;
        ifd_add(b, TIFF_TAG_X_RESOLUTION, TIFF_RATIONAL, 1, resolution, offset_bytes);
        ifd_add(b, TIFF_TAG_Y_RESOLUTION, TIFF_RATIONAL, 1, resolution, offset_bytes);
        ifd_add(b, TIFF_TAG_RESOLUTION_UNIT, TIFF_SHORT, 1, 1, 2); /* none: ImageJ takes µm from unit= */
    }
    ifd_add(b, TIFF_TAG_SAMPLE_FORMAT, TIFF_SHORT, 1, w->bits == 16 ? TIFF_SAMPLE_UINT : TIFF_SAMPLE_FLOAT,
            2);
    if (b->big) {
        tiff_put64le(b->bytes, (uint64_t)b->entries);
        tiff_put64le(b->bytes + 8 + b->entries * 20, next_ifd);
        return (uint32_t)(8 + b->entries * 20 + 8);
    }
    tiff_put16le(b->bytes, (uint32_t)b->entries);
    tiff_put32le(b->bytes + 2 + b->entries * 12, (uint32_t)next_ifd);
    return (uint32_t)(2 + b->entries * 12 + 4);
}

/* Bytes of the IFD build_ifd writes, with or without the description entry. */
static uint32_t ifd_bytes(const tiff_writer *w, int with_description) {
    ifd_builder b;
    return build_ifd(w, &b, 0, 0, 0, 0, with_description);
}

static mumloc_status write_failed(const tiff_writer *w) {
    return error_fail(MUMLOC_ERR_IO, "cannot write '%s': %s (is the disk full?)", w->label,
                       strerror(errno ? errno : EIO));
}

static mumloc_status write_bytes(tiff_writer *w, const void *bytes, size_t n) {
    errno = 0;
    if (n && fwrite(bytes, 1, n, w->file) != n) return write_failed(w);
    return MUMLOC_OK;
}

static mumloc_status seek_to(tiff_writer *w, uint64_t offset) {
    errno = 0;
    if (fseeko(w->file, (off_t)offset, SEEK_SET) != 0) return write_failed(w);
    return MUMLOC_OK;
}

static uint64_t gcd(uint64_t a, uint64_t b) {
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Resolution as a rational with 32-bit parts: pixels per µm = num / den = 10^e / m, where m · 10^-e µm
 * is the pixel size rounded to 9 significant digits (to 1e-9 µm below 0.01 µm), reduced: 0.192 µm →
 * 125/24. A reader's pixel size, 1 / (num / den), rounds back to the same m and e, so a movie read and
 * written again keeps the same bytes. */
static void resolution_rational(double pixel_um, uint32_t *num, uint32_t *den) {
    int e = 8 - (int)floor(log10(pixel_um));
    if (e > 9) e = 9;
    if (e < 0) e = 0;
    uint64_t power = 1;
    for (int i = 0; i < e; i++) power *= 10;
    double m = nearbyint(pixel_um * (double)power);
    uint64_t n = power, d = m < 1 ? 1 : m > 4294967295.0 ? 4294967295u : (uint64_t)m, g = gcd(n, d);
    *num = (uint32_t)(n / g);
    *den = (uint32_t)(d / g);
}

static mumloc_status check_options(const tiff_write_options *o) {
    if (o->width < 1 || o->height < 1 || (uint64_t)o->width * (uint64_t)o->height * 4 > TIFF_OFFSET_LIMIT)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "TIFF image size %d x %d is out of range: each side at least 1 and the "
                           "image below 4 GiB",
                           o->width, o->height);
    if (o->channels < 1 || o->slices < 1 || o->frames < 1)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "TIFF channels, slices and frames must be at least 1 (got %d, %d, %d)",
                           o->channels, o->slices, o->frames);
    if ((int64_t)o->channels * o->slices * o->frames > INT32_MAX)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "a TIFF hyperstack holds at most 2147483647 images (ImageJ's limit)");
    if (!(o->pixel_um >= 0) || o->pixel_um > 1e9)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "TIFF pixel size must be 0 (uncalibrated) or a positive number of µm");
    if (o->extra_description && strchr(o->extra_description, '\\'))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "the TIFF description must not contain backslashes (ImageJ reads it as "
                           "Java properties)");
    if (o->layout != TIFF_LAYOUT_AUTO && o->layout != TIFF_LAYOUT_MULTI_IFD &&
        o->layout != TIFF_LAYOUT_SINGLE_IFD)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "unknown TIFF layout %d", (int)o->layout);
    if (o->bits != 0 && o->bits != 16 && o->bits != 32)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "TIFF bits per sample must be 16 (unsigned) or 32 (float), not %d", o->bits);
    if (o->format != TIFF_FORMAT_AUTO && o->format != TIFF_FORMAT_CLASSIC &&
        o->format != TIFF_FORMAT_BIG)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "unknown TIFF format %d", (int)o->format);
    return MUMLOC_OK;
}

static mumloc_status build_description(tiff_writer *w, const char *extra) {
    const tiff_write_options *o = &w->options;
    if (!extra) extra = "";
    size_t extra_len = strlen(extra);
    size_t cap = 256 + extra_len;
    w->description = malloc(cap);
    if (!w->description) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a TIFF description");
    int n = snprintf(w->description, cap,
                     "ImageJ=1.53t\nimages=%lld\nchannels=%d\nslices=%d\nframes=%d\n"
                     "hyperstack=true\nmode=grayscale\n%sloop=false\n%s%s",
                     (long long)w->images, o->channels, o->slices, o->frames,
                     o->pixel_um > 0 ? "unit=micron\n" : "", extra,
                     (extra_len && extra[extra_len - 1] != '\n') ? "\n" : "");
    if (n < 0 || (size_t)n >= cap) return error_fail(MUMLOC_ERR_INTERNAL, "TIFF description overflow");
    w->description_bytes = (uint32_t)n + 1;
    return MUMLOC_OK;
}

/* The header; first_ifd 0 is set at finish (multi-IFD layout). */
static mumloc_status write_header(tiff_writer *w, uint64_t first_ifd) {
    unsigned char header[16] = {'I', 'I', TIFF_CLASSIC_VERSION, 0};
    if (w->bigtiff) {
        header[2] = TIFF_BIG_VERSION;
        header[4] = 8; /* bytes per offset; then 2 zero bytes */
        tiff_put64le(header + 8, first_ifd);
    } else {
        tiff_put32le(header + 4, (uint32_t)first_ifd);
    }
    return write_bytes(w, header, header_bytes(w->bigtiff));
}

/* Single-IFD layout: everything but the pixels goes first, so no offset ever passes 4 GiB. */
static mumloc_status write_single_ifd_prelude(tiff_writer *w) {
    uint64_t ifd_offset = header_bytes(w->bigtiff);
    uint64_t description_offset = ifd_offset + ifd_bytes(w, 1);
    uint64_t resolution_offset = description_offset + w->description_bytes + (w->description_bytes & 1);
    w->data_offset = (resolution_offset + 8 + 15) / 16 * 16;

    ifd_builder b;
    uint32_t n = build_ifd(w, &b, w->data_offset, description_offset, resolution_offset, 0, 1);
    unsigned char resolution[8];
    tiff_put32le(resolution, w->x_num);
    tiff_put32le(resolution + 4, w->x_den);
    unsigned char zeros[16] = {0};
    ERROR_TRY(write_header(w, ifd_offset));
    ERROR_TRY(write_bytes(w, b.bytes, n));
    ERROR_TRY(write_bytes(w, w->description, w->description_bytes));
    ERROR_TRY(write_bytes(w, zeros, w->description_bytes & 1));
    ERROR_TRY(write_bytes(w, resolution, sizeof resolution));
    return write_bytes(w, zeros, (size_t)(w->data_offset - resolution_offset - 8));
}

mumloc_status tiff_writer_open(FILE *file, const char *label,
                                      const tiff_write_options *options,
                                      tiff_writer **out) {
    if (!file || !options || !out)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "TIFF writer needs a file, options and output");
    *out = NULL;
    ERROR_TRY(check_options(options));
    tiff_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->label = strdup(label ? label : "(TIFF)"))) {
        free(w);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory opening a TIFF writer");
    }
    w->file = file;
    w->options = *options;
    w->options.extra_description = NULL; /* not kept: it lives on in w->description */
    w->images = (int64_t)options->channels * options->slices * options->frames;
    w->bits = options->bits == 16 ? 16 : 32;
    w->image_bytes = (uint32_t)((uint64_t)options->width * (uint64_t)options->height * (w->bits / 8));
    if (options->pixel_um > 0) resolution_rational(options->pixel_um, &w->x_num, &w->x_den);
    mumloc_status s = build_description(w, options->extra_description);
    if (s != MUMLOC_OK) {
        tiff_writer_free(w);
        return s;
    }

    /* classic multi-IFD end of file: data, description, resolution, then every IFD */
    uint64_t multi_end = header_bytes(0) + (uint64_t)w->images * w->image_bytes +
                         w->description_bytes + 1 + 8 + ifd_bytes(w, 1) +
                         (uint64_t)(w->images - 1) * ifd_bytes(w, 0);
    w->layout = options->layout == TIFF_LAYOUT_AUTO ? TIFF_LAYOUT_MULTI_IFD
                                                           : options->layout;
    int beyond_classic = w->layout == TIFF_LAYOUT_MULTI_IFD && multi_end > TIFF_OFFSET_LIMIT;
    if (beyond_classic && options->format == TIFF_FORMAT_CLASSIC) {
        tiff_writer_free(w);
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "'%s' would be %llu bytes: a classic TIFF with one IFD per image must "
                           "stay below 4 GiB; write BigTIFF or the single-IFD layout",
                           label, (unsigned long long)multi_end);
    }
    w->bigtiff = options->format == TIFF_FORMAT_BIG || beyond_classic;
    if (w->layout == TIFF_LAYOUT_SINGLE_IFD) {
        s = write_single_ifd_prelude(w);
    } else {
        w->data_offset = header_bytes(w->bigtiff);
        s = write_header(w, 0);
    }
    if (s != MUMLOC_OK) {
        tiff_writer_free(w);
        return s;
    }
    *out = w;
    return MUMLOC_OK;
}

mumloc_status tiff_writer_append(tiff_writer *w, const float *pixels, int64_t count) {
    if (count < 0 || count > w->images - w->written)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "'%s': appending %lld images to %lld of %lld would pass the declared count",
                           w->label, (long long)count, (long long)w->written, (long long)w->images);
    size_t values = (size_t)count * (w->image_bytes / (w->bits / 8));
    if (w->bits == 16) {
        /* camera counts: rounded to the nearest integer and clipped to 0..65535 as a 16-bit camera
         * saturates (NaN as 0) */
        unsigned char chunk[4096];
        for (size_t i = 0; i < values;) {
            size_t n = 0;
            for (; n < sizeof chunk / 2 && i < values; n++, i++) {
                float v = pixels[i];
                uint32_t count16 = !(v > 0.0f) ? 0u : v >= 65535.0f ? 65535u : (uint32_t)lrintf(v);
                tiff_put16le(chunk + 2 * n, count16);
            }
            ERROR_TRY(write_bytes(w, chunk, n * 2));
        }
    } else if (!tiff_host_is_big_endian()) {
        ERROR_TRY(write_bytes(w, pixels, values * 4));
    } else {
        unsigned char chunk[4096];
        for (size_t i = 0; i < values;) {
            size_t n = 0;
            for (; n < sizeof chunk / 4 && i < values; n++, i++) {
                uint32_t bits;
                memcpy(&bits, &pixels[i], 4);
                tiff_put32le(chunk + 4 * n, bits);
            }
            ERROR_TRY(write_bytes(w, chunk, n * 4));
        }
    }
    w->written += count;
    return MUMLOC_OK;
}

static mumloc_status write_multi_ifd_trailer(tiff_writer *w) {
    uint64_t description_offset = w->data_offset + (uint64_t)w->images * w->image_bytes;
    uint64_t resolution_offset = description_offset + w->description_bytes + (w->description_bytes & 1);
    uint64_t ifd_offset = resolution_offset + 8;
    unsigned char resolution[8], zero = 0;
    tiff_put32le(resolution, w->x_num);
    tiff_put32le(resolution + 4, w->x_den);
    ERROR_TRY(write_bytes(w, w->description, w->description_bytes));
    ERROR_TRY(write_bytes(w, &zero, w->description_bytes & 1));
    ERROR_TRY(write_bytes(w, resolution, sizeof resolution));
    uint64_t offset = ifd_offset;
    for (int64_t i = 0; i < w->images; i++) {
        int first = i == 0;
        uint64_t next = offset + ifd_bytes(w, first);
        ifd_builder b;
        uint32_t n = build_ifd(w, &b, w->data_offset + (uint64_t)i * w->image_bytes, description_offset,
                               resolution_offset, i + 1 < w->images ? next : 0, first);
        ERROR_TRY(write_bytes(w, b.bytes, n));
        offset = next;
    }
    ERROR_TRY(seek_to(w, 0));
    ERROR_TRY(write_header(w, ifd_offset));
    return seek_to(w, offset);
}

mumloc_status tiff_writer_finish(tiff_writer *w) {
    if (w->written != w->images)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "'%s': only %lld of the %lld declared images were written", w->label,
                           (long long)w->written, (long long)w->images);
    if (w->layout == TIFF_LAYOUT_MULTI_IFD) ERROR_TRY(write_multi_ifd_trailer(w));
    errno = 0;
    if (fflush(w->file) != 0) return write_failed(w);
    return MUMLOC_OK;
}

tiff_layout tiff_writer_layout(const tiff_writer *w) { return w->layout; }
int tiff_writer_is_bigtiff(const tiff_writer *w) { return w->bigtiff; }

void tiff_writer_free(tiff_writer *w) {
    if (!w) return;
    free(w->description);
    free(w->label);
    free(w);
}
