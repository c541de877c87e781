/* BigTIFF: mumloc's writer asked for BigTIFF (as it writes past 4 GiB) round trips in both layouts
 * (same pixels, description and calibration as the classic file; the header checked byte by byte);
 * a hand-built big-endian BigTIFF with 16-bit pixels, LONG8 strip offsets and one IFD per image is
 * read; hostile BigTIFFs (IFD loop, absurd entry and value counts, a bad header) are refused with
 * a format error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "test_io_dir.h"
#include "io/tiff_read.h"
#include "io/tiff_write.h"
#include "mumloc.h"

enum { W = 5, H = 3, C = 2, T = 3, N = C * T };

static float pixel_value(int image, int p) { return (float)(image * 100 + p) * 0.5f - 7.25f; }

static void write_movie(const char *path, tiff_layout layout, tiff_format format) {
    float pixels[N * W * H];
    for (int i = 0; i < N; i++)
        for (int p = 0; p < W * H; p++) pixels[i * W * H + p] = pixel_value(i, p);
    tiff_write_options o = {W, H, C, 1, T, 0.192, "mumloc={\"seed\":3}", layout, format, 32};
    FILE *f = fopen(path, "wb");
    tiff_writer *w = NULL;
    CHECK_OK(tiff_writer_open(f, path, &o, &w));
    CHECK(w && tiff_writer_is_bigtiff(w) == (format == TIFF_FORMAT_BIG));
    if (w) CHECK_OK(tiff_writer_append(w, pixels, N));
    if (w) CHECK_OK(tiff_writer_finish(w));
    tiff_writer_free(w);
    if (f) fclose(f);
}

static uint64_t le64(const unsigned char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* The BigTIFF header: "II", 43, 8-byte offsets, 0, then a first IFD inside the file. */
static void check_header(const char *path) {
    unsigned char b[16] = {0};
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(b, 1, sizeof b, f) : 0;
    long len = f && fseek(f, 0, SEEK_END) == 0 ? ftell(f) : 0;
    if (f) fclose(f);
    CHECK(got == sizeof b);
    CHECK(b[0] == 'I' && b[1] == 'I' && b[2] == 43 && b[3] == 0 && b[4] == 8 && b[5] == 0 &&
          b[6] == 0 && b[7] == 0);
    uint64_t first = le64(b + 8);
    CHECK(first >= 16 && first + 8 < (uint64_t)len);
}

static void check_same_movie(const char *big_path, const char *classic_path) {
    tiff_reader *big = NULL, *classic = NULL;
    CHECK_OK(tiff_reader_open(big_path, &big));
    CHECK_OK(tiff_reader_open(classic_path, &classic));
    if (!big || !classic) {
        tiff_reader_close(big);
        tiff_reader_close(classic);
        return;
    }
    const tiff_info *in = tiff_reader_info(big);
    CHECK(in->width == W && in->height == H && in->images == N);
    CHECK(in->channels == C && in->slices == 1 && in->frames == T);
    CHECK(in->bits_per_sample == 32 && in->sample_format == 3 && in->imagej);
    CHECK_NEAR(in->pixel_um, 0.192, 1e-12);
    CHECK(strcmp(tiff_reader_description(big), tiff_reader_description(classic)) == 0);
    char value[64];
    CHECK(tiff_description_value(tiff_reader_description(big), "mumloc", value,
                                        sizeof value) &&
          strcmp(value, "{\"seed\":3}") == 0);
    float image[W * H];
    for (int i = 0; i < N; i++) {
        CHECK_OK(tiff_reader_read(big, i, image));
        for (int p = 0; p < W * H; p++) CHECK(image[p] == pixel_value(i, p));
    }
    tiff_reader_close(big);
    tiff_reader_close(classic);
}

static void test_round_trip(void) {
    const tiff_layout layouts[] = {TIFF_LAYOUT_MULTI_IFD, TIFF_LAYOUT_SINGLE_IFD};
    for (int l = 0; l < 2; l++) {
        const char *big = path_of(l ? "single-big.tif" : "multi-big.tif");
        const char *classic = path_of(l ? "single-classic.tif" : "multi-classic.tif");
        write_movie(big, layouts[l], TIFF_FORMAT_BIG);
        write_movie(classic, layouts[l], TIFF_FORMAT_CLASSIC);
        check_header(big);
        check_same_movie(big, classic);
    }
}

/* A growing byte buffer for hand-built files, in either byte order. */
typedef struct builder {
    unsigned char b[4096];
    size_t len;
    int big_endian;
} builder;

static void put(builder *t, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; i++) {
        int shift = t->big_endian ? 8 * (bytes - 1 - i) : 8 * i;
        t->b[t->len++] = shift < 64 ? (unsigned char)(v >> shift) : 0; /* put(t, 0, 16): zero padding */
    }
}
static void patch64(builder *t, size_t at, uint64_t v) {
    size_t len = t->len;
    t->len = at;
    put(t, v, 8);
    t->len = len;
}
static void entry(builder *t, uint32_t tag, uint32_t type, uint64_t count, uint64_t value,
                  int value_bytes) {
    put(t, tag, 2);
    put(t, type, 2);
    put(t, count, 8);
    put(t, value, value_bytes); /* left-justified in the 8-byte field */
    put(t, 0, 8 - value_bytes);
}
static void begin(builder *t, int big_endian) {
    t->len = 0;
    t->big_endian = big_endian;
    put(t, big_endian ? 'M' << 8 | 'M' : 'I' | 'I' << 8, 2);
    put(t, 43, 2);
    put(t, 8, 2);
    put(t, 0, 2);
    put(t, 0, 8); /* first IFD: patched */
}
static void spill(const char *path, const builder *t) {
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(t->b, 1, t->len, f);
        fclose(f);
    }
}

/* A 2 x 1, 16-bit image's IFD: strip offset as LONG8, the description (when given) at an offset;
 * returns where its next-IFD field is. */
static size_t image_ifd(builder *t, uint64_t strip, uint64_t description_at, uint64_t description_len,
                        uint64_t entries_claimed) {
    put(t, entries_claimed ? entries_claimed : (description_at ? 9 : 8), 8);
    entry(t, 256, 3, 1, 2, 2);
    entry(t, 257, 3, 1, 1, 2);
    entry(t, 258, 3, 1, 16, 2);
    entry(t, 259, 3, 1, 1, 2);
    if (description_at) entry(t, 270, 2, description_len, description_at, 8);
    entry(t, 273, 16, 1, strip, 8);
    entry(t, 277, 3, 1, 1, 2);
    entry(t, 278, 4, 1, 1, 4);
    entry(t, 279, 16, 1, 4, 8);
    size_t next = t->len;
    put(t, 0, 8);
    return next;
}

static void test_hand_built_big_endian(void) {
    builder t;
    begin(&t, 1);
    size_t pixels = t.len;
    put(&t, 1000, 2), put(&t, 65535, 2); /* image 1 */
    put(&t, 7, 2), put(&t, 8, 2);        /* image 2 */
    const char text[] = "a description past 8 bytes";
    size_t description = t.len;
    memcpy(t.b + t.len, text, sizeof text);
    t.len += sizeof text;
    size_t first = t.len;
    patch64(&t, 8, first);
    size_t link = image_ifd(&t, pixels, description, sizeof text, 0);
    size_t second = t.len;
    patch64(&t, link, second);
    image_ifd(&t, pixels + 4, 0, 0, 0);
    spill(path_of("be.tif"), &t);

    tiff_reader *r = NULL;
    CHECK_OK(tiff_reader_open(path_of("be.tif"), &r));
    if (!r) return;
    const tiff_info *in = tiff_reader_info(r);
    CHECK(in->width == 2 && in->height == 1 && in->images == 2 && in->big_endian && !in->contiguous);
    CHECK(strcmp(tiff_reader_description(r), text) == 0);
    float image[2];
    CHECK_OK(tiff_reader_read(r, 0, image));
    CHECK(image[0] == 1000.0f && image[1] == 65535.0f);
    CHECK_OK(tiff_reader_read(r, 1, image));
    CHECK(image[0] == 7.0f && image[1] == 8.0f);
    tiff_reader_close(r);

    /* the second IFD links back to the first: a loop */
    patch64(&t, t.len - 8, first);
    spill(path_of("loop.tif"), &t);
    CHECK_STATUS(tiff_reader_open(path_of("loop.tif"), &r), MUMLOC_ERR_FORMAT);
    CHECK(strstr(mumloc_last_error(), "IFD loop") != NULL);
}

static void expect_refused(builder *t, const char *name, const char *words) {
    tiff_reader *r = NULL;
    spill(path_of(name), t);
    CHECK_STATUS(tiff_reader_open(path_of(name), &r), MUMLOC_ERR_FORMAT);
    if (!strstr(mumloc_last_error(), words)) {
        fprintf(stderr, "%s: message '%s' lacks '%s'\n", name, mumloc_last_error(), words);
        check_failures++;
    }
    CHECK(r == NULL);
}

static void test_hostile(void) {
    builder t;
    /* an IFD claiming 2^60 entries */
    begin(&t, 0);
    patch64(&t, 8, t.len);
    image_ifd(&t, 0, 0, 0, 1ull << 60);
    expect_refused(&t, "entries.tif", "entries");

    /* a strip offset table of 2^40 LONG8 values, and one whose byte size overflows 64 bits */
    const uint64_t counts[] = {1ull << 40, (1ull << 61) + 1};
    for (int k = 0; k < 2; k++) {
        begin(&t, 0);
        put(&t, 0, 4);
        patch64(&t, 8, t.len);
        put(&t, 2, 8);
        entry(&t, 256, 3, 1, 1, 2);
        entry(&t, 273, 16, counts[k], 16, 8);
        put(&t, 0, 8);
        expect_refused(&t, k ? "overflow.tif" : "strips.tif", "count");
    }

    /* a header that gives 4-byte offsets, and one whose first IFD is inside the header */
    begin(&t, 0);
    t.b[4] = 4;
    put(&t, 0, 16);
    expect_refused(&t, "bytesize.tif", "8-byte offsets");
    begin(&t, 0);
    patch64(&t, 8, 4);
    put(&t, 0, 16);
    expect_refused(&t, "inside.tif", "first IFD offset");
}

int main(void) {
    test_dir_create("io_bigtiff");
    test_round_trip();
    test_hand_built_big_endian();
    test_hostile();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_io_bigtiff");
}
