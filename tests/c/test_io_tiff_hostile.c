/* Hostile TIFFs: an IFD chain that loops (at once a format error naming the offset), IFDs that share
 * one huge strip table (refused: more strips than the file can hold), and an ImageJ description
 * whose channels·slices·frames overflows to the image count (read as a plain stack, not trusted). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_io_dir.h"
#include "io/tiff_read.h"
#include "mumloc.h"

typedef struct builder {
    unsigned char *b;
    size_t len, cap;
} builder;

static void put32(builder *t, size_t at, uint32_t v) {
    for (int i = 0; i < 4; i++) t->b[at + (size_t)i] = (unsigned char)(v >> (8 * i));
}
static void append(builder *t, uint32_t v, int bytes) {
    if (t->len + 8 > t->cap) {
        t->cap = 2 * t->cap + 64;
        t->b = realloc(t->b, t->cap);
    }
    for (int i = 0; i < bytes; i++) t->b[t->len++] = (unsigned char)(v >> (8 * i));
}
static void entry(builder *t, uint32_t tag, uint32_t type, uint32_t count, uint32_t value) {
    append(t, tag, 2);
    append(t, type, 2);
    append(t, count, 4);
    append(t, value, 4); /* SHORT values inline are the low half, little endian */
}

/* Starts a little-endian TIFF with two 8-bit pixels, 7 at byte 8 and 9 at byte 9; returns 8. */
static uint32_t begin(builder *t) {
    *t = (builder){NULL, 0, 0};
    append(t, 'I' | 'I' << 8, 2);
    append(t, 42, 2);
    append(t, 0, 4); /* first IFD, set later */
    append(t, 7, 1);
    append(t, 9, 1);
    return 8;
}

/* Appends strip tables of n entries (every strip: the one pixel); *offsets / *counts get where. */
static void strip_tables(builder *t, uint32_t n, uint32_t pixel, uint32_t *offsets, uint32_t *counts) {
    *offsets = (uint32_t)t->len;
    for (uint32_t i = 0; i < n; i++) append(t, pixel, 4);
    *counts = (uint32_t)t->len;
    for (uint32_t i = 0; i < n; i++) append(t, 1, 4);
}

/* Appends a 1 x 1 8-bit IFD listing n strips; returns the offset of its next-IFD field. */
static size_t ifd(builder *t, uint32_t n, uint32_t offsets, uint32_t counts, const char *description,
                  uint32_t description_at) {
    append(t, description ? 7 : 6, 2);
    entry(t, 256, 3, 1, 1);
    entry(t, 257, 3, 1, 1);
    entry(t, 258, 3, 1, 8);
    if (description) entry(t, 270, 2, (uint32_t)strlen(description) + 1, description_at);
    entry(t, 273, 4, n, n == 1 ? 8 : offsets);
    entry(t, 277, 3, 1, 1);
    entry(t, 279, 4, n, n == 1 ? 1 : counts);
    size_t next = t->len;
    append(t, 0, 4);
    return next;
}

static void save(builder *t, const char *name) {
    FILE *f = fopen(path_of(name), "wb");
    fwrite(t->b, 1, t->len, f);
    fclose(f);
    free(t->b);
}

static void expect_format_error(const char *name, const char *fragment) {
    tiff_reader *r = NULL;
    mumloc_status s = tiff_reader_open(path_of(name), &r);
    if (s != MUMLOC_ERR_FORMAT || r || !strstr(mumloc_last_error(), fragment)) {
        fprintf(stderr, "%s: %s \"%s\", expected a format error with \"%s\"\n", name,
                mumloc_status_string(s), mumloc_last_error(), fragment);
        check_failures++;
    }
    tiff_reader_close(r);
}

static void expect_loop(const char *name, uint32_t offset) {
    char expected[64];
    snprintf(expected, sizeof expected, "IFD loop at offset %u", offset);
    expect_format_error(name, expected);
}

/* An IFD whose next IFD is itself, listing 4000 strips: the first revisit is refused. */
static void test_self_loop(void) {
    builder t;
    uint32_t pixel = begin(&t), offsets, counts;
    strip_tables(&t, 4000, pixel, &offsets, &counts);
    uint32_t at = (uint32_t)t.len;
    put32(&t, 4, at);
    put32(&t, ifd(&t, 4000, offsets, counts, NULL, 0), at);
    save(&t, "self-loop.tif");
    expect_loop("self-loop.tif", at);
}

/* Three IFDs, the last pointing back to the second. */
static void test_longer_loop(void) {
    builder t;
    begin(&t);
    put32(&t, 4, (uint32_t)t.len);
    size_t next1 = ifd(&t, 1, 0, 0, NULL, 0);
    uint32_t second = (uint32_t)t.len;
    put32(&t, next1, second);
    size_t next2 = ifd(&t, 1, 0, 0, NULL, 0);
    put32(&t, next2, (uint32_t)t.len);
    put32(&t, ifd(&t, 1, 0, 0, NULL, 0), second);
    save(&t, "loop3.tif");
    expect_loop("loop3.tif", second);
}

/* 200 distinct IFDs sharing one strip table of 2000 entries: 400,000 strips from a ~30 KB file
 * (the reader used to copy all of them); only overlapping tables can list that many. */
static void test_shared_strip_tables(void) {
    builder t;
    uint32_t pixel = begin(&t), offsets, counts;
    strip_tables(&t, 2000, pixel, &offsets, &counts);
    put32(&t, 4, (uint32_t)t.len);
    for (int i = 0; i < 200; i++) {
        size_t next = ifd(&t, 2000, offsets, counts, NULL, 0);
        if (i < 199) put32(&t, next, (uint32_t)t.len);
    }
    save(&t, "shared-strips.tif");
    expect_format_error("shared-strips.tif", "more strips than a file of");

    /* the same chain with one strip each is an ordinary 200-image stack */
    begin(&t);
    put32(&t, 4, (uint32_t)t.len);
    for (int i = 0; i < 200; i++) {
        size_t next = ifd(&t, 1, 0, 0, NULL, 0);
        if (i < 199) put32(&t, next, (uint32_t)t.len);
    }
    save(&t, "stack200.tif");
    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path_of("stack200.tif"), &r));
    if (r) {
        CHECK(tiff_reader_info(r)->images == 200);
        float v = 0;
        CHECK_OK(tiff_reader_read(r, 199, &v));
        CHECK(v == 7.0f);
    }
    tiff_reader_close(r);
}

/* channels=3, slices=3⁻¹ mod 2⁶³, frames=2: the product wraps to 2 in 64 bits, the image count. */
static void test_overflowing_hyperstack(void) {
    const char *description = "ImageJ=1.53t\nimages=2\nchannels=3\nslices=3074457345618258603\n"
                              "frames=2\nhyperstack=true\n";
    builder t;
    begin(&t); /* the two images' pixels lie back to back from byte 8 */
    uint32_t description_at = (uint32_t)t.len;
    for (const char *c = description; *c; c++) append(&t, (unsigned char)*c, 1);
    append(&t, 0, 2);
    put32(&t, 4, (uint32_t)t.len);
    ifd(&t, 1, 0, 0, description, description_at);
    save(&t, "overflow-hyperstack.tif");
    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path_of("overflow-hyperstack.tif"), &r));
    if (!r) return;
    const tiff_info *in = tiff_reader_info(r);
    CHECK(in->images == 2);
    CHECK(in->channels == 1 && in->slices == 2 && in->frames == 1); /* a plain stack */
    float v = 0;
    CHECK_OK(tiff_reader_read(r, 1, &v));
    CHECK(v == 9.0f);
    tiff_reader_close(r);
}

int main(void) {
    test_dir_create("io_tiff_hostile");
    test_self_loop();
    test_longer_loop();
    test_shared_strip_tables();
    test_overflowing_hyperstack();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_io_tiff_hostile");
}
