/* Builds small classic TIFFs in memory the way other software lays them out (either byte order,
 * 8/16/32/64-bit samples, several strips per image, a description, a resolution), for the fuzzers'
 * seed corpora and for the description fuzzer's wrapper movie. */
#ifndef TESTS_FUZZ_TIFF_BUILD_H
#define TESTS_FUZZ_TIFF_BUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct tiff_spec {
    int big_endian;
    int width, height;
    int bits, sample_format;   /* 8/16/32/64; 1 unsigned, 2 signed, 3 float */
    int images;                /* images of pixel data, back to back */
    int one_ifd;               /* 1: one IFD for the first image only (ImageJ's form, images=N in the
                                  description); 0: one IFD per image, chained */
    int rows_per_strip;        /* 0: one strip per image */
    const char *description;   /* first IFD's ImageDescription, or NULL */
    uint32_t resolution;       /* X/YResolution in pixels per unit (as resolution/1), 0 = none */
} tiff_spec;

typedef struct tiff_bytes {
    unsigned char *data;
    size_t len, cap;
    int big_endian;
} tiff_bytes;

static void tiff_bytes_room(tiff_bytes *t, size_t more) {
    if (t->len + more <= t->cap) return;
    while (t->len + more > t->cap) t->cap = t->cap ? 2 * t->cap : 1024;
    t->data = realloc(t->data, t->cap);
    if (!t->data) abort();
}

/* Writes v as `bytes` bytes in the file's byte order at `at` (which must already exist). */
static void tiff_bytes_set(tiff_bytes *t, size_t at, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++)
        t->data[at + (size_t)i] = (unsigned char)(v >> (8 * (t->big_endian ? bytes - 1 - i : i)));
}

static size_t tiff_bytes_add(tiff_bytes *t, uint64_t v, int bytes) {
    tiff_bytes_room(t, (size_t)bytes);
    size_t at = t->len;
    t->len += (size_t)bytes;
    tiff_bytes_set(t, at, v, bytes);
    return at;
}

/* Appends raw bytes, then a pad byte to keep offsets even (TIFF's word alignment). */
static size_t tiff_bytes_raw(tiff_bytes *t, const void *p, size_t n) {
    tiff_bytes_room(t, n + 1);
    size_t at = t->len;
    memcpy(t->data + at, p, n);
    t->len += n;
    if (t->len & 1) t->data[t->len++] = 0;
    return at;
}

/* One IFD entry: `value` is the number itself when it fits in 4 bytes (SHORT or LONG, count 1),
 * else the offset of the data. */
static void tiff_entry(tiff_bytes *t, uint32_t tag, uint32_t type, uint32_t count, uint32_t value) {
    tiff_bytes_add(t, tag, 2);
    tiff_bytes_add(t, type, 2);
    tiff_bytes_add(t, count, 4);
    if (type == 3 && count == 1) {
        tiff_bytes_add(t, value, 2);
        tiff_bytes_add(t, 0, 2);
    } else {
        tiff_bytes_add(t, value, 4);
    }
}

/* A sample of image i, pixel p: a pattern that varies in every byte. */
static uint64_t tiff_sample(const tiff_spec *s, int i, int p) {
    if (s->sample_format == 3) {
        if (s->bits == 32) {
            float f = (float)(i * 3.5 - p * 0.25);
            uint32_t u;
            memcpy(&u, &f, 4);
            return u;
        }
        double d = i * 3.5 - p * 0.25;
        uint64_t u;
        memcpy(&u, &d, 8);
        return u;
    }
    return (uint64_t)(1000003u * (unsigned)i + 7919u * (unsigned)p + 13u);
}

/* The whole file (malloc'ed; free t->data). */
static tiff_bytes tiff_build(const tiff_spec *s) {
    tiff_bytes t = {NULL, 0, 0, s->big_endian};
    tiff_bytes_raw(&t, s->big_endian ? "MM" : "II", 2);
    tiff_bytes_add(&t, 42, 2);
    size_t next_at = tiff_bytes_add(&t, 0, 4);
    uint32_t desc_at = 0, desc_count = 0;
    if (s->description) {
        desc_count = (uint32_t)strlen(s->description) + 1;
        desc_at = (uint32_t)tiff_bytes_raw(&t, s->description, desc_count);
    }
    const int sample_bytes = s->bits / 8, row_bytes = s->width * sample_bytes;
    const int rows = s->rows_per_strip > 0 && s->rows_per_strip < s->height ? s->rows_per_strip
                                                                           : s->height;
    const int strips = (s->height + rows - 1) / rows;
    size_t first_pixel = t.len;
    for (int i = 0; i < s->images; i++)
        for (int p = 0; p < s->width * s->height; p++) tiff_bytes_add(&t, tiff_sample(s, i, p), sample_bytes);
    if (t.len & 1) tiff_bytes_add(&t, 0, 1);
    const int ifds = s->one_ifd ? 1 : s->images;
    for (int i = 0; i < ifds; i++) {
        size_t image_at = first_pixel + (size_t)i * (size_t)(row_bytes * s->height);
        uint32_t offsets_at = (uint32_t)t.len;
        for (int k = 0; k < strips; k++) tiff_bytes_add(&t, image_at + (size_t)(k * rows * row_bytes), 4);
        uint32_t counts_at = (uint32_t)t.len;
        for (int k = 0; k < strips; k++) {
            int n = k == strips - 1 ? s->height - k * rows : rows;
            tiff_bytes_add(&t, (uint64_t)n * (uint64_t)row_bytes, 4);
        }
        uint32_t resolution_at = (uint32_t)t.len;
        if (s->resolution) {
            tiff_bytes_add(&t, s->resolution, 4);
            tiff_bytes_add(&t, 1, 4);
        }
        tiff_bytes_set(&t, next_at, t.len, 4);
        const int with_desc = s->description && i == 0;
        tiff_bytes_add(&t, 10u + (unsigned)with_desc + (s->resolution ? 3u : 0u), 2);
        tiff_entry(&t, 256, 4, 1, (uint32_t)s->width);
        tiff_entry(&t, 257, 4, 1, (uint32_t)s->height);
        tiff_entry(&t, 258, 3, 1, (uint32_t)s->bits);
        tiff_entry(&t, 259, 3, 1, 1);
        tiff_entry(&t, 262, 3, 1, 1);
        if (with_desc && desc_count <= 4) { /* short text sits in the entry itself */
            tiff_entry(&t, 270, 2, desc_count, 0);
            memcpy(t.data + t.len - 4, s->description, desc_count);
        } else if (with_desc) {
            tiff_entry(&t, 270, 2, desc_count, desc_at);
        }
        tiff_entry(&t, 273, 4, (uint32_t)strips, strips == 1 ? (uint32_t)image_at : offsets_at);
        tiff_entry(&t, 277, 3, 1, 1);
        tiff_entry(&t, 278, 4, 1, (uint32_t)rows);
        tiff_entry(&t, 279, 4, (uint32_t)strips,
                   strips == 1 ? (uint32_t)(row_bytes * s->height) : counts_at);
        if (s->resolution) {
            tiff_entry(&t, 282, 5, 1, resolution_at);
            tiff_entry(&t, 283, 5, 1, resolution_at);
            tiff_entry(&t, 296, 3, 1, 3); /* centimetre */
        }
        tiff_entry(&t, 339, 3, 1, (uint32_t)s->sample_format);
        next_at = tiff_bytes_add(&t, 0, 4);
    }
    return t;
}

#endif
