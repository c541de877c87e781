/* TIFF: write → read round trips in both layouts (checked also by an independent walk of the file's
 * structure), the ImageJ description keys, the automatic switch to BigTIFF past 4 GiB,
 * reading hand-built 8/16-bit little/big-endian files, and precise errors for bad files. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "test_io_dir.h"
#include "io/tiff_read.h"
#include "io/tiff_write.h"
#include "mumloc.h"

static unsigned char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc(*len + 1);
    if (fread(b, 1, *len, f) != *len) *len = 0;
    fclose(f);
    return b;
}

static void spill(const char *path, const void *bytes, size_t len) {
    FILE *f = fopen(path, "wb");
    fwrite(bytes, 1, len, f);
    fclose(f);
}

static uint32_t le16(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return le16(p) | le16(p + 2) << 16; }

/* The value of tag in the little-endian IFD at offset (0 when absent). */
static uint32_t ifd_tag(const unsigned char *file, uint32_t offset, uint32_t tag) {
    uint32_t n = le16(file + offset);
    for (uint32_t i = 0; i < n; i++) {
        const unsigned char *e = file + offset + 2 + 12 * i;
        if (le16(e) == tag) return le16(e + 2) == 3 ? le16(e + 8) : le32(e + 8);
    }
    return 0;
}

/* --- mumloc's writer ------------------------------------------------------------------------ */

enum { W = 5, H = 3, C = 2, T = 3, N = C * T };

static float pixel_value(int image, int p) {
    if (image == 1 && p == 4) return -1.5e-30f;
    return (float)image * 100.0f + (float)p * 0.25f - 7.0f;
}

static void write_movie(const char *path, tiff_layout layout, tiff_layout *used) {
    float pixels[N * W * H];
    for (int i = 0; i < N; i++)
        for (int p = 0; p < W * H; p++) pixels[i * W * H + p] = pixel_value(i, p);
    tiff_write_options o = {W, H, C, 1, T, 0.192, "mumloc={\"seed\":7,\"noise\":\"none\"}", layout,
                                   TIFF_FORMAT_AUTO, 32};
    FILE *f = fopen(path, "wb");
    tiff_writer *w = NULL;
    CHECK_OK(tiff_writer_open(f, path, &o, &w));
    if (!w) return;
    CHECK_OK(tiff_writer_append(w, pixels, 2));                 /* streaming: two batches */
    CHECK_STATUS(tiff_writer_finish(w), MUMLOC_ERR_INVALID_ARGUMENT); /* 2 of 6 so far */
    CHECK_OK(tiff_writer_append(w, pixels + 2 * W * H, N - 2));
    CHECK_STATUS(tiff_writer_append(w, pixels, 1), MUMLOC_ERR_INVALID_ARGUMENT); /* 7th */
    CHECK_OK(tiff_writer_finish(w));
    *used = tiff_writer_layout(w);
    tiff_writer_free(w);
    fclose(f);
}

static void check_description_and_pixels(const char *path) {
    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path, &r));
    if (!r) return;
    const tiff_info *in = tiff_reader_info(r);
    CHECK(in->width == W && in->height == H && in->images == N);
    CHECK(in->bits_per_sample == 32 && in->sample_format == 3 && !in->big_endian);
    CHECK(in->imagej && in->hyperstack && in->contiguous);
    CHECK(in->channels == C && in->slices == 1 && in->frames == T);
    CHECK(strcmp(in->unit, "micron") == 0);
    CHECK_NEAR(in->pixel_width, 0.192, 1e-12);
    CHECK_NEAR(in->pixel_um, 0.192, 1e-12);

    const char *d = tiff_reader_description(r);
    CHECK(strncmp(d, "ImageJ=1.53t\n", 13) == 0);
    const char *keys[][2] = {{"images", "6"}, {"channels", "2"}, {"slices", "1"}, {"frames", "3"},
                             {"hyperstack", "true"}, {"mode", "grayscale"}, {"unit", "micron"},
                             {"loop", "false"}, {"mumloc", "{\"seed\":7,\"noise\":\"none\"}"}};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        char value[128];
        int found = tiff_description_value(d, keys[k][0], value, sizeof value);
        if (!found || strcmp(value, keys[k][1]) != 0) {
            fprintf(stderr, "%s: description %s=%s, expected %s\n", path, keys[k][0],
                    found ? value : "(absent)", keys[k][1]);
            check_failures++;
        }
    }
    CHECK(d[strlen(d) - 1] == '\n');
    float image[W * H];
    for (int i = N - 1; i >= 0; i--) { /* any order */
        CHECK_OK(tiff_reader_read(r, i, image));
        for (int p = 0; p < W * H; p++) CHECK(image[p] == pixel_value(i, p));
    }
    CHECK_STATUS(tiff_reader_read(r, N, image), MUMLOC_ERR_INVALID_ARGUMENT);
    tiff_reader_close(r);
}

static void test_multi_ifd(void) {
    const char *path = path_of("multi.tif");
    tiff_layout used = TIFF_LAYOUT_AUTO;
    write_movie(path, TIFF_LAYOUT_AUTO, &used);
    CHECK(used == TIFF_LAYOUT_MULTI_IFD); /* small files: one IFD per image */
    check_description_and_pixels(path);

    /* independent walk: II*, data from byte 8, N linked IFDs after the data, each pointing at its
     * image, the description only in the first */
    size_t len = 0;
    unsigned char *f = slurp(path, &len);
    CHECK(f && len > 8 && memcmp(f, "II*\0", 4) == 0);
    uint32_t offset = le32(f + 4);
    CHECK(offset >= 8 + N * W * H * 4);
    int count = 0;
    while (offset != 0 && offset + 2 < len && count < 100) {
        CHECK(offset % 2 == 0);
        CHECK(ifd_tag(f, offset, 256) == W && ifd_tag(f, offset, 257) == H);
        CHECK(ifd_tag(f, offset, 258) == 32 && ifd_tag(f, offset, 339) == 3);
        CHECK(ifd_tag(f, offset, 259) == 1 && ifd_tag(f, offset, 278) == H);
        CHECK(ifd_tag(f, offset, 273) == 8 + (uint32_t)count * W * H * 4);
        CHECK(ifd_tag(f, offset, 279) == W * H * 4);
        CHECK(ifd_tag(f, offset, 296) == 1);
        uint32_t res = ifd_tag(f, offset, 282);
        CHECK(res && fabs((double)le32(f + res + 4) / le32(f + res) - 0.192) < 1e-12);
        CHECK((ifd_tag(f, offset, 270) != 0) == (count == 0));
        uint32_t n = le16(f + offset);
        offset = le32(f + offset + 2 + 12 * n);
        count++;
    }
    CHECK(count == N);
    free(f);
}

static void test_single_ifd(void) {
    const char *path = path_of("single.tif");
    tiff_layout used = TIFF_LAYOUT_AUTO;
    write_movie(path, TIFF_LAYOUT_SINGLE_IFD, &used);
    CHECK(used == TIFF_LAYOUT_SINGLE_IFD);
    check_description_and_pixels(path);

    /* independent walk: one IFD at byte 8 with no successor, the data contiguous to the end */
    size_t len = 0;
    unsigned char *f = slurp(path, &len);
    CHECK(f && le32(f + 4) == 8);
    uint32_t n = le16(f + 8);
    CHECK(le32(f + 8 + 2 + 12 * n) == 0);
    uint32_t data = ifd_tag(f, 8, 273);
    CHECK(data > 8 && data + (size_t)N * W * H * 4 == len);
    float first;
    memcpy(&first, f + data + (size_t)(N - 1) * W * H * 4, 4);
    CHECK(first == pixel_value(N - 1, 0));
    uint32_t desc = ifd_tag(f, 8, 270);
    CHECK(desc && strncmp((const char *)f + desc, "ImageJ=1.53t\nimages=6\n", 22) == 0);
    free(f);

    /* truncated by one byte: refused with the sizes */
    spill(path_of("single-cut.tif"), "", 0);
    f = slurp(path, &len);
    spill(path_of("single-cut.tif"), f, len - 1);
    free(f);
    tiff_reader *r = NULL;
    CHECK_STATUS(tiff_reader_open(path_of("single-cut.tif"), &r), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "truncated") && strstr(mumloc_last_error(), "6 images"));
}

static void test_layout_switch(void) {
    /* 68 images of 4096 x 4096 floats = 4.25 GiB: AUTO keeps one IFD per image in a BigTIFF (only
     * the header is written here); one IFD per image in a classic TIFF is refused */
    tiff_write_options o = {4096, 4096, 4, 1, 17, 0.1, NULL, TIFF_LAYOUT_AUTO,
                                   TIFF_FORMAT_AUTO, 32};
    FILE *f = fopen(path_of("huge.tif"), "wb");
    tiff_writer *w = NULL;
    CHECK_OK(tiff_writer_open(f, "huge.tif", &o, &w));
    CHECK(w && tiff_writer_layout(w) == TIFF_LAYOUT_MULTI_IFD);
    CHECK(w && tiff_writer_is_bigtiff(w));
    CHECK(w && tiff_writer_finish(w) == MUMLOC_ERR_INVALID_ARGUMENT); /* nothing appended */
    tiff_writer_free(w);
    o.layout = TIFF_LAYOUT_SINGLE_IFD; /* ImageJ's form stays classic */
    CHECK_OK(tiff_writer_open(f, "huge.tif", &o, &w));
    CHECK(w && !tiff_writer_is_bigtiff(w));
    tiff_writer_free(w);
    o.layout = TIFF_LAYOUT_MULTI_IFD;
    o.format = TIFF_FORMAT_CLASSIC;
    w = NULL;
    CHECK_STATUS(tiff_writer_open(f, "huge.tif", &o, &w), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "4 GiB") != NULL && w == NULL);
    /* 64 images = 4 GiB of data: the trailing IFDs would pass the limit too */
    o.frames = 16;
    o.layout = TIFF_LAYOUT_AUTO;
    o.format = TIFF_FORMAT_AUTO;
    CHECK_OK(tiff_writer_open(f, "huge.tif", &o, &w));
    CHECK(w && tiff_writer_is_bigtiff(w));
    tiff_writer_free(w);
    o.frames = 15; /* 3.75 GiB: still a classic TIFF */
    CHECK_OK(tiff_writer_open(f, "huge.tif", &o, &w));
    CHECK(w && tiff_writer_layout(w) == TIFF_LAYOUT_MULTI_IFD);
    CHECK(w && !tiff_writer_is_bigtiff(w));
    tiff_writer_free(w);
    fclose(f);
    unlink(path_of("huge.tif"));

    o.width = 0;
    CHECK_STATUS(tiff_writer_open(stdout, "x", &o, &w), MUMLOC_ERR_INVALID_ARGUMENT);
    o.width = 8;
    o.extra_description = "a=b\\c";
    CHECK_STATUS(tiff_writer_open(stdout, "x", &o, &w), MUMLOC_ERR_INVALID_ARGUMENT);
}

/* A single-IFD movie past 4 GiB, made sparse (the prelude written, the file extended with
 * ftruncate, one marker pixel written past 4 GiB), read back with 64-bit offsets. */
static void test_past_4_gib(void) {
    const char *path = path_of("sparse.tif");
    tiff_write_options o = {4096, 4096, 4, 1, 17, 0.1, NULL, TIFF_LAYOUT_SINGLE_IFD,
                                   TIFF_FORMAT_AUTO, 32};
    FILE *f = fopen(path, "wb");
    tiff_writer *w = NULL;
    CHECK_OK(tiff_writer_open(f, path, &o, &w));
    tiff_writer_free(w);
    fclose(f);
    size_t len = 0;
    unsigned char *head = slurp(path, &len);
    uint64_t image_bytes = 4096ull * 4096 * 4, data = head ? ifd_tag(head, 8, 273) : 0;
    free(head);
    uint64_t last = data + 67 * image_bytes; /* image 68 starts past 4 GiB */
    CHECK(last > 0xFFFFFFFFull);
    if (truncate(path, (off_t)(data + 68 * image_bytes)) != 0) {
        fprintf(stderr, "skipping the 4 GiB read: cannot extend a sparse file here\n");
        return;
    }
    FILE *g = fopen(path, "r+b");
    const unsigned char marker[4] = {0x00, 0x00, 0x28, 0x42}; /* 42.0f little-endian */
    if (g && fseeko(g, (off_t)(last + 4 * 4097), SEEK_SET) == 0) fwrite(marker, 1, 4, g);
    if (g) fclose(g);
    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path, &r));
    if (r) {
        const tiff_info *in = tiff_reader_info(r);
        CHECK(in->images == 68 && in->contiguous && in->channels == 4 && in->frames == 17);
        float *image = malloc(image_bytes);
        CHECK_OK(tiff_reader_read(r, 67, image));
        CHECK(image && image[4097] == 42.0f && image[0] == 0.0f && image[4096] == 0.0f);
        free(image);
        tiff_reader_close(r);
    }
    /* one byte short: truncated */
    CHECK(truncate(path, (off_t)(data + 68 * image_bytes - 1)) == 0);
    CHECK_STATUS(tiff_reader_open(path, &r), MUMLOC_ERR_FORMAT);
    unlink(path);
}

/* --- hand-built files as other software writes them --------------------------------------- */

typedef struct builder {
    unsigned char b[8192];
    size_t len;
    int be;
} builder;

static void put(builder *t, size_t at, uint32_t v, int bytes) {
    for (int i = 0; i < bytes; i++)
        t->b[at + (size_t)i] = (unsigned char)(v >> (8 * (t->be ? bytes - 1 - i : i)));
}
static void append(builder *t, uint32_t v, int bytes) {
    put(t, t->len, v, bytes);
    t->len += (size_t)bytes;
}
static void entry(builder *t, uint32_t tag, uint32_t type, uint32_t count, uint32_t value) {
    append(t, tag, 2);
    append(t, type, 2);
    append(t, count, 4);
    if (type == 3 && count == 1) {
        append(t, value, 2);
        append(t, 0, 2);
    } else {
        append(t, value, 4);
    }
}

/* images of w x h samples, each stored as one strip per row, IFDs after the data; sample value
 * of image i, pixel p is value(i, p). */
static void build(const char *path, int be, int bits, int format, int compression, int w, int h,
                  int images, const char *description, long (*value)(int, int)) {
    builder t = {{0}, 0, be};
    t.b[0] = t.b[1] = be ? 'M' : 'I';
    t.len = 2;
    append(&t, 42, 2);
    append(&t, 0, 4);
    uint32_t desc_at = 0;
    if (description) {
        desc_at = (uint32_t)t.len;
        memcpy(t.b + t.len, description, strlen(description) + 1);
        t.len += strlen(description) + 1;
        t.len += t.len & 1;
    }
    uint32_t data_at[8];
    for (int i = 0; i < images; i++) {
        data_at[i] = (uint32_t)t.len;
        for (int p = 0; p < w * h; p++) append(&t, (uint32_t)value(i, p), bits / 8);
        t.len += t.len & 1;
    }
    size_t previous_next = 4;
    for (int i = 0; i < images; i++) {
        uint32_t offsets_at = (uint32_t)t.len, counts_at = offsets_at + 4 * (uint32_t)h;
        for (int row = 0; row < h; row++) append(&t, data_at[i] + (uint32_t)(row * w * bits / 8), 4);
        for (int row = 0; row < h; row++) append(&t, (uint32_t)(w * bits / 8), 4);
        put(&t, previous_next, (uint32_t)t.len, 4);
        int entries = 10 + (description && i == 0);
        append(&t, (uint32_t)entries, 2);
        entry(&t, 256, 3, 1, (uint32_t)w);
        entry(&t, 257, 3, 1, (uint32_t)h);
        entry(&t, 258, 3, 1, (uint32_t)bits);
        entry(&t, 259, 3, 1, (uint32_t)compression);
        entry(&t, 262, 3, 1, 1);
        if (description && i == 0) entry(&t, 270, 2, (uint32_t)strlen(description) + 1, desc_at);
        entry(&t, 273, 4, (uint32_t)h, offsets_at);
        entry(&t, 277, 3, 1, 1);
        entry(&t, 278, 3, 1, 1);
        entry(&t, 279, 4, (uint32_t)h, counts_at);
        entry(&t, 339, 3, 1, (uint32_t)format);
        previous_next = t.len;
        append(&t, 0, 4);
    }
    spill(path, t.b, t.len);
}

static long u16_value(int i, int p) { return 1000L * i + 7L * p + 40000L * (p == 3); }
static long s16_value(int i, int p) { return (long)(uint16_t)(int16_t)(-100 * i - p); }
static long u8_value(int i, int p) { return (37L * i + 3L * p) % 251; }

static void check_read(const char *path, int images, int w, int h, double (*expected)(int, int)) {
    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path, &r));
    if (!r) return;
    const tiff_info *in = tiff_reader_info(r);
    CHECK(in->images == images && in->width == w && in->height == h);
    float image[64];
    for (int i = 0; i < images; i++) {
        CHECK_OK(tiff_reader_read(r, i, image));
        for (int p = 0; p < w * h; p++) CHECK(image[p] == (float)expected(i, p));
    }
    tiff_reader_close(r);
}

static double u16_expected(int i, int p) { return (double)u16_value(i, p); }
static double s16_expected(int i, int p) { return -100.0 * i - p; }
static double u8_expected(int i, int p) { return (double)u8_value(i, p); }

static void test_foreign_files(void) {
    /* big-endian unsigned 16-bit, 3 images in strips of one row, no description: a plain stack */
    build(path_of("be16.tif"), 1, 16, 1, 1, 4, 3, 3, NULL, u16_value);
    check_read(path_of("be16.tif"), 3, 4, 3, u16_expected);
    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path_of("be16.tif"), &r));
    if (r) {
        const tiff_info *in = tiff_reader_info(r);
        CHECK(in->big_endian && !in->imagej && !in->contiguous && in->bits_per_sample == 16);
        CHECK(in->channels == 1 && in->slices == 3 && in->frames == 1 && in->pixel_um == 0);
        tiff_reader_close(r);
    }
    /* little-endian signed 16-bit and 8-bit */
    build(path_of("le16s.tif"), 0, 16, 2, 1, 3, 2, 2, NULL, s16_value);
    check_read(path_of("le16s.tif"), 2, 3, 2, s16_expected);
    build(path_of("le8.tif"), 0, 8, 1, 1, 5, 4, 1, NULL, u8_value);
    check_read(path_of("le8.tif"), 1, 5, 4, u8_expected);
    /* an ImageJ hyperstack description with IFDs for every image: dimensions from the description */
    build(path_of("ij16.tif"), 1, 16, 1, 1, 4, 3, 4,
          "ImageJ=1.52i\nimages=4\nchannels=2\nframes=2\nhyperstack=true\n", u16_value);
    check_read(path_of("ij16.tif"), 4, 4, 3, u16_expected);
    CHECK_OK(tiff_reader_open(path_of("ij16.tif"), &r));
    if (r) {
        const tiff_info *in = tiff_reader_info(r);
        CHECK(in->imagej && in->contiguous && in->hyperstack);
        CHECK(in->channels == 2 && in->slices == 1 && in->frames == 2);
        tiff_reader_close(r);
    }
    /* dimensions that do not multiply to the image count fall back to a plain stack, as in ImageJ */
    build(path_of("ij-odd.tif"), 0, 8, 1, 1, 2, 2, 3, "ImageJ=1.52i\nimages=3\nchannels=2\n", u8_value);
    CHECK_OK(tiff_reader_open(path_of("ij-odd.tif"), &r));
    if (r) {
        const tiff_info *in = tiff_reader_info(r);
        CHECK(in->channels == 1 && in->slices == 3 && in->frames == 1);
        tiff_reader_close(r);
    }
}

static void expect_open_error(const char *name, mumloc_status status, const char *f1, const char *f2) {
    tiff_reader *r = NULL;
    mumloc_status s = tiff_reader_open(path_of(name), &r);
    const char *msg = mumloc_last_error();
    if (s != status || r != NULL || !strstr(msg, f1) || !strstr(msg, f2) || !strstr(msg, name)) {
        fprintf(stderr, "open %s: %s \"%s\", expected %s with \"%s\" and \"%s\"\n", name,
                mumloc_status_string(s), msg, mumloc_status_string(status), f1, f2);
        check_failures++;
    }
    tiff_reader_close(r);
}

static void test_bad_files(void) {
    /* truncated: the multi-IFD movie cut in its IFDs, and cut in its pixel data */
    size_t len = 0;
    unsigned char *f = slurp(path_of("multi.tif"), &len);
    if (f) {
        spill(path_of("cut-ifds.tif"), f, 600); /* inside the first IFD */
        spill(path_of("cut-data.tif"), f, 200);
        spill(path_of("cut-header.tif"), f, 5);
    }
    free(f);
    expect_open_error("cut-ifds.tif", MUMLOC_ERR_FORMAT, "is truncated", "IFD");
    expect_open_error("cut-data.tif", MUMLOC_ERR_FORMAT, "is truncated", "bytes");
    expect_open_error("cut-header.tif", MUMLOC_ERR_FORMAT, "not a TIFF file", "49 49 2A 00");
    build(path_of("strip-cut.tif"), 0, 16, 1, 1, 4, 3, 2, NULL, u16_value);
    f = slurp(path_of("strip-cut.tif"), &len);
    if (f) {
        /* point the second image's last strip past the end of the file */
        uint32_t ifd2 = le32(f + le32(f + 4) + 2 + 12 * le16(f + le32(f + 4)));
        uint32_t offsets = ifd_tag(f, ifd2, 273);
        f[offsets + 8] = 0xFF;
        f[offsets + 9] = 0xFF;
        spill(path_of("strip-cut.tif"), f, len);
    }
    free(f);
    expect_open_error("strip-cut.tif", MUMLOC_ERR_FORMAT, "is truncated", "image 2");

    spill(path_of("png.tif"), "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    expect_open_error("png.tif", MUMLOC_ERR_FORMAT, "not a TIFF file", "89 50 4E 47");
    spill(path_of("empty.tif"), "", 0);
    expect_open_error("empty.tif", MUMLOC_ERR_FORMAT, "not a TIFF file", "00 00 00 00");
    spill(path_of("v41.tif"), "II\x29\0\x08\0\0\0", 8);
    expect_open_error("v41.tif", MUMLOC_ERR_FORMAT, "not a TIFF file", "version 41");
    spill(path_of("big.tif"), "II\x2b\0\x08\0\0\0\x10\0\0\0\0\0\0\0", 16);
    /* a BigTIFF header whose first IFD lies at the end of the file (BigTIFF is read: see
     * test_io_bigtiff.c) */
    expect_open_error("big.tif", MUMLOC_ERR_FORMAT, "is truncated", "IFD 0");
    build(path_of("lzw.tif"), 0, 16, 1, 5, 4, 3, 1, NULL, u16_value);
    expect_open_error("lzw.tif", MUMLOC_ERR_UNSUPPORTED, "is compressed (LZW", "uncompressed");
    build(path_of("zip.tif"), 1, 8, 1, 8, 4, 3, 1, NULL, u8_value);
    expect_open_error("zip.tif", MUMLOC_ERR_UNSUPPORTED, "is compressed (Deflate", "compression 8");
    build(path_of("s8float.tif"), 0, 8, 3, 1, 4, 3, 1, NULL, u8_value);
    expect_open_error("s8float.tif", MUMLOC_ERR_UNSUPPORTED, "8-bit samples of format 3", "grayscale");
    expect_open_error("no-such-file.tif", MUMLOC_ERR_IO, "cannot open", "No such file");
}

int main(void) {
    test_dir_create("io_tiff");
    test_multi_ifd();
    test_single_ifd();
    test_layout_switch();
    test_past_4_gib();
    test_foreign_files();
    test_bad_files();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_io_tiff");
}
