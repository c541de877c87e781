/* Fuzzes TIFF movies (tiff_reader: every movie mumloc_localize_file and `mumloc localize` read,
 * mumloc's own and foreign, in either layout) and the optics they record.
 * Round trips, for movies of at most MAX_IMAGES images:
 *   - the images written by mumloc's TIFF writer read back with the same pixels (bit for bit) and the
 *     same hyperstack shape, in both layouts;
 *   - read → write → read → write gives the same bytes. */
#include <math.h>

#include "fuzz_common.h"
#include "io/tiff_read.h"
#include "io/tiff_write.h"

enum { MAX_IMAGES = 64 };

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    fuzz_init_library();
    return 0;
}

typedef struct movie {
    tiff_info info;
    char *record_line; /* "mumloc=<record>" when the description has one the writer can carry */
    float *pixels;     /* every image, or NULL when the movie is too long for the round trip */
} movie;

static void movie_free(movie *m) {
    free(m->record_line);
    free(m->pixels);
}

/* Reads info and pixels; the reader may refuse (0). Every image it announces must then read. */
static int read_movie(const char *path, movie *m, int must_open) {
    memset(m, 0, sizeof *m);
    tiff_reader *r = NULL;
    mumloc_status s = tiff_reader_open(path, &r);
    FUZZ_ASSERT(s == MUMLOC_OK || !must_open, "mumloc's own TIFF does not open");
    if (s != MUMLOC_OK) return 0;
    m->info = *tiff_reader_info(r);
    const char *description = tiff_reader_description(r);
    int found = 0;
    mumloc_optics optics;
    FUZZ_ASSERT(mumloc_optics_from_description(description, &found, &optics) == MUMLOC_OK,
                "reading the recorded optics failed");
    size_t cap = strlen(description) + 8;
    m->record_line = malloc(cap);
    FUZZ_ASSERT(m->record_line, "out of memory");
    memcpy(m->record_line, "mumloc=", 7);
    if (!tiff_description_value(description, "mumloc", m->record_line + 7, cap - 7) ||
        strchr(m->record_line, '\\')) {
        free(m->record_line);
        m->record_line = NULL;
    }
    const tiff_info *in = &m->info;
    FUZZ_ASSERT(in->width > 0 && in->height > 0 && in->images > 0, "%d x %d x %lld images", in->width,
                in->height, (long long)in->images);
    FUZZ_ASSERT((int64_t)in->channels * in->slices * in->frames == in->images,
                "channels %d x slices %d x frames %d is not the %lld images", in->channels,
                in->slices, in->frames, (long long)in->images);
    size_t pixels = (size_t)in->width * (size_t)in->height;
    int64_t images = in->images;
    float *image = malloc(pixels * sizeof(float));
    if (images <= MAX_IMAGES) m->pixels = malloc((size_t)images * pixels * sizeof(float));
    FUZZ_ASSERT(image, "out of memory for one %d x %d image", in->width, in->height);
    /* long movies: the first and last few images (a read anywhere must work) */
    for (int64_t i = 0; i < images; i = (i == 3 && images > 8) ? images - 4 : i + 1) {
        FUZZ_ASSERT(tiff_reader_read(r, i, image) == MUMLOC_OK, "image %lld of %lld unreadable",
                    (long long)i, (long long)images);
        if (m->pixels) memcpy(m->pixels + (size_t)i * pixels, image, pixels * sizeof(float));
    }
    free(image);
    tiff_reader_close(r);
    return 1;
}

/* Writes m with mumloc's writer; 0 when the writer refuses its shape or calibration. */
static int write_movie(const movie *m, const char *path, tiff_layout layout,
                       tiff_format format) {
    tiff_write_options o = {0};
    o.width = m->info.width;
    o.height = m->info.height;
    o.channels = m->info.channels;
    o.slices = m->info.slices;
    o.frames = m->info.frames;
    o.pixel_um = isfinite(m->info.pixel_um) && m->info.pixel_um > 0 ? m->info.pixel_um : 0;
    o.extra_description = m->record_line;
    o.layout = layout;
    o.format = format;
    FILE *f = fopen(path, "wb");
    FUZZ_ASSERT(f, "cannot create %s", path);
    tiff_writer *w = NULL;
    mumloc_status s = tiff_writer_open(f, path, &o, &w);
    if (s == MUMLOC_OK) s = tiff_writer_append(w, m->pixels, m->info.images);
    if (s == MUMLOC_OK) s = tiff_writer_finish(w);
    tiff_writer_free(w);
    FUZZ_ASSERT(fclose(f) == 0, "cannot write %s", path);
    return s == MUMLOC_OK;
}

static void same_movie(const movie *a, const movie *b, const char *what) {
    const tiff_info *x = &a->info, *y = &b->info;
    FUZZ_ASSERT(x->width == y->width && x->height == y->height && x->images == y->images &&
                    x->channels == y->channels && x->slices == y->slices && x->frames == y->frames,
                "%s: %dx%d, %lld images (%d c, %d z, %d t) came back as %dx%d, %lld (%d, %d, %d)",
                what, x->width, x->height, (long long)x->images, x->channels, x->slices, x->frames,
                y->width, y->height, (long long)y->images, y->channels, y->slices, y->frames);
    size_t n = (size_t)x->width * (size_t)x->height * (size_t)x->images;
    FUZZ_ASSERT(memcmp(a->pixels, b->pixels, n * sizeof(float)) == 0, "%s: the pixels changed", what);
}

static void round_trip(const movie *input) {
    const char *first = fuzz_path(1, "first.tif"), *second = fuzz_path(2, "second.tif"),
               *single = fuzz_path(3, "single.tif");
    if (!write_movie(input, first, TIFF_LAYOUT_MULTI_IFD, TIFF_FORMAT_AUTO)) return;
    movie a, c;
    read_movie(first, &a, 1);
    same_movie(input, &a, "read -> write -> read");
    FUZZ_ASSERT(write_movie(&a, second, TIFF_LAYOUT_MULTI_IFD, TIFF_FORMAT_AUTO),
                "a re-read movie cannot be written");
    fuzz_assert_same_files(first, second, "TIFF write -> read -> write");
    FUZZ_ASSERT(write_movie(&a, single, TIFF_LAYOUT_SINGLE_IFD, TIFF_FORMAT_AUTO),
                "cannot write the single-IFD form");
    read_movie(single, &c, 1);
    same_movie(&a, &c, "single-IFD write -> read");
    movie_free(&c);
    FUZZ_ASSERT(write_movie(&a, single, TIFF_LAYOUT_MULTI_IFD, TIFF_FORMAT_BIG),
                "cannot write the BigTIFF form");
    read_movie(single, &c, 1);
    same_movie(&a, &c, "BigTIFF write -> read");
    movie_free(&a);
    movie_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *in = fuzz_path(0, "in.tif");
    fuzz_write_file(in, data, size);
    movie input;
    if (!read_movie(in, &input, 0)) return 0;
    if (input.pixels) round_trip(&input);
    movie_free(&input);
    return 0;
}
