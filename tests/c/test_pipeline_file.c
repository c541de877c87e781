/* mumloc_localize_file end to end on small simulated movies with a random-weight model: the
 * ThunderSTORM header, the same table for planes as channels, as slices and as a plain stack, raw
 * 16-bit camera values converted by offset and gain, the frame range, and the input errors (plane
 * count, other optics, NaN, past the end, cancellation) leaving no file behind. */
#include <stdint.h>

#include "check.h"
#include "io/tiff_write.h"
#include "mumloc.h"
#include "test_files.h"
#include "test_io_dir.h"

enum { W = 24, H = 20, K = 4, FRAMES = 5 };

static int exists(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f) fclose(f);
    return f != NULL;
}

/* A float TIFF of count images with these hyperstack dimensions. */
static void write_float_tiff(const char *path, const float *images, int c, int z, int t) {
    FILE *f = fopen(path, "wb");
    tiff_write_options o = {W, H, c, z, t, 0.192, NULL, TIFF_LAYOUT_AUTO,
                                   TIFF_FORMAT_AUTO, 32};
    tiff_writer *w = NULL;
    CHECK_OK(tiff_writer_open(f, path, &o, &w));
    CHECK_OK(tiff_writer_append(w, images, (int64_t)c * z * t));
    CHECK_OK(tiff_writer_finish(w));
    tiff_writer_free(w);
    fclose(f);
}

static void put16(FILE *f, unsigned v) { fputc((int)(v & 255), f), fputc((int)(v >> 8), f); }
static void put32(FILE *f, uint32_t v) { put16(f, v & 0xffff), put16(f, v >> 16); }
static void entry(FILE *f, unsigned tag, unsigned type, uint32_t count, uint32_t value) {
    put16(f, tag), put16(f, type), put32(f, count);
    if (type == 3 && count == 1) put16(f, value), put16(f, 0);
    else put32(f, value);
}

/* A little-endian 16-bit ImageJ hyperstack written by hand (one IFD, images back to back, as
 * ImageJ saves stacks), so the reader's integer path is exercised independently of our writer. */
static void write_u16_tiff(const char *path, const uint16_t *images, int c, int t) {
    char desc[256];
    int n = snprintf(desc, sizeof desc,
                     "ImageJ=1.53t\nimages=%d\nchannels=%d\nframes=%d\nhyperstack=true\n", c * t,
                     c, t) + 1;
    FILE *f = fopen(path, "wb");
    const uint32_t data = 8, bytes = (uint32_t)(W * H * 2), total = bytes * (uint32_t)(c * t);
    const uint32_t desc_at = data + total, ifd = desc_at + (uint32_t)n + ((uint32_t)n & 1);
    fputs("II", f), put16(f, 42), put32(f, ifd);
    for (int i = 0; i < W * H * c * t; i++) put16(f, images[i]);
    fwrite(desc, 1, (size_t)n, f);
    if (n & 1) fputc(0, f);
    put16(f, 10);
    entry(f, 256, 3, 1, W), entry(f, 257, 3, 1, H), entry(f, 258, 3, 1, 16);
    entry(f, 259, 3, 1, 1), entry(f, 262, 3, 1, 1), entry(f, 270, 2, (uint32_t)n, desc_at);
    entry(f, 273, 4, 1, data), entry(f, 277, 3, 1, 1), entry(f, 278, 3, 1, H);
    entry(f, 279, 4, 1, bytes);
    put32(f, 0);
    fclose(f);
}

static int cancel_second(void *user, int64_t done, int64_t total) {
    (void)done, (void)total;
    return ++*(int *)user >= 2;
}

static const char *header =
    "\"id\",\"frame\",\"x [nm]\",\"y [nm]\",\"z [nm]\",\"intensity [photon]\",\"offset [photon]\","
    "\"bkgstd [photon]\",\"uncertainty_xy [nm]\",\"uncertainty_z [nm]\",\"probability\",\"unresolved\"\n";

int main(void) {
    mumloc_set_threads(1);
    test_dir_create("test_pipeline_file");
    mumloc_sim_params p;
    mumloc_sim_params_default(&p);
    p.width = W, p.height = H, p.frames = FRAMES, p.molecules = 4, p.seed = 5;
    char movie[1024], a[1024]; /* path_of's results are recycled */
    snprintf(movie, sizeof movie, "%s", path_of("movie.tif"));
    snprintf(a, sizeof a, "%s", path_of("a.csv"));
    CHECK_OK(mumloc_simulate_to_files(&p, movie, NULL, NULL, NULL, NULL));
    mumloc_model *model = NULL;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &p.optics, NULL, 1.0, 3, &model));
    mumloc_localize_options o;
    mumloc_localize_options_default(&o);
    o.batch_frames = 2; /* several batches */

    /* channels (auto): summary and table agree, header is ThunderSTORM's */
    mumloc_localize_summary sum;
    CHECK_OK(mumloc_localize_file(model, movie, a, &o, &sum, NULL, NULL));
    CHECK(sum.frames == FRAMES && sum.planes_from == MUMLOC_PLANES_CHANNELS);
    CHECK(sum.width == W && sum.height == H && sum.planes == K);
    CHECK(sum.seconds >= sum.network_seconds && sum.network_seconds > 0);
    char *text = slurp(a, NULL);
    CHECK(text && strncmp(text, header, strlen(header)) == 0);
    free(text);
    mumloc_table *t = NULL;
    CHECK_OK(mumloc_table_read_csv(a, "id,frame,x,y,z", &t));
    CHECK(t && mumloc_table_rows(t) == sum.localizations && sum.localizations > 0);
    if (t) {
        /* ids run 1..n; frames 1..5 in order; positions inside the field */
        const double *id = mumloc_table_column_data(t, mumloc_table_find_column(t, "id", NULL));
        const double *fr = mumloc_table_column_data(t, mumloc_table_find_column(t, "frame", NULL));
        const double *x = mumloc_table_column_data(t, mumloc_table_find_column(t, "x", "nm"));
        for (int64_t i = 0; i < mumloc_table_rows(t); i++) {
            CHECK(id[i] == (double)(i + 1));
            CHECK(fr[i] >= 1 && fr[i] <= FRAMES && (i == 0 || fr[i] >= fr[i - 1]));
            CHECK(x[i] >= 0 && x[i] <= W * p.optics.pixel_nm);
        }
    }
    mumloc_table_destroy(t);

    /* the same frames as slices, and as a plain interleaved stack: byte-identical tables */
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&p, &sim));
    float *frames = malloc(sizeof *frames * FRAMES * K * W * H);
    CHECK_OK(mumloc_simulate_frames(sim, 0, FRAMES, frames));
    mumloc_simulator_destroy(sim);
    /* the streaming localizer, fed 3 + 2 frames and emptied 7 records at a time, gives the
     * file's rows in the file's order */
    mumloc_table *ta = NULL;
    CHECK_OK(mumloc_table_read_csv(a, "frame,x,y,z", &ta));
    mumloc_localizer *sl = NULL;
    CHECK_OK(mumloc_localizer_create(model, NULL, W, H, &sl));
    CHECK(mumloc_localizer_last_output(sl) == NULL);
    CHECK_OK(mumloc_localizer_push(sl, frames, 3, 0));
    CHECK_OK(mumloc_localizer_push(sl, frames + 3 * K * W * H, 2, 3));
    int64_t row = 0, got = 0;
    mumloc_localization seven[7];
    const int64_t rows_a = ta ? mumloc_table_rows(ta) : 0;
    CHECK(mumloc_localizer_pending(sl) == rows_a);
    do {
        CHECK_OK(mumloc_localizer_take(sl, seven, 7, &got));
        for (int64_t i = 0; ta && i < got && row < rows_a; i++, row++) {
            CHECK(mumloc_table_column_data(ta, mumloc_table_find_column(ta, "frame", NULL))[row] ==
                  (double)(seven[i].frame + 1));
            CHECK_NEAR(mumloc_table_column_data(ta, mumloc_table_find_column(ta, "x", NULL))[row],
                       seven[i].x_nm, 1e-6 * seven[i].x_nm + 1e-6); /* 9 digits in the CSV */
        }
    } while (got > 0);
    CHECK(row == rows_a && mumloc_localizer_pending(sl) == 0);
    mumloc_localizer_destroy(sl);
    mumloc_table_destroy(ta);

    write_float_tiff(path_of("slices.tif"), frames, 1, K, FRAMES);
    write_float_tiff(path_of("plain.tif"), frames, 1, K * FRAMES, 1);
    CHECK_OK(mumloc_localize_file(model, path_of("slices.tif"), path_of("b.csv"), &o, &sum, NULL,
                                  NULL));
    CHECK(sum.planes_from == MUMLOC_PLANES_SLICES);
    CHECK(same_file(a, path_of("b.csv")));
    CHECK_STATUS(mumloc_localize_file(model, path_of("plain.tif"), path_of("c.csv"), &o, NULL,
                                      NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "Z=20") && strstr(mumloc_last_error(), "planes=slices"));
    CHECK(!exists(path_of("c.csv")));
    o.planes = MUMLOC_PLANES_SLICES;
    CHECK_OK(mumloc_localize_file(model, path_of("plain.tif"), path_of("c.csv"), &o, NULL, NULL,
                                  NULL));
    CHECK(same_file(a, path_of("c.csv")));
    o.planes = MUMLOC_PLANES_CHANNELS;
    CHECK_STATUS(mumloc_localize_file(model, path_of("slices.tif"), path_of("d.csv"), &o, NULL,
                                      NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "1 channel(s) but the model needs 4 planes") != NULL);
    o.planes = MUMLOC_PLANES_AUTO;

    /* 16-bit camera values, offset 100 ADU and 2 ADU per electron: the same table as the float
     * movie of (raw − 100) / 2 photons (integers, so the conversion is exact either way) */
    uint16_t *raw = malloc(sizeof *raw * FRAMES * K * W * H);
    float *photons = malloc(sizeof *photons * FRAMES * K * W * H);
    for (int i = 0; i < FRAMES * K * W * H; i++) {
        double v = floor(frames[i] + 0.5);
        if (v < 0) v = 0;
        raw[i] = (uint16_t)(100 + 2 * v);
        photons[i] = (float)v;
    }
    write_u16_tiff(path_of("raw16.tif"), raw, K, FRAMES);
    write_float_tiff(path_of("photons.tif"), photons, K, 1, FRAMES);
    CHECK_OK(mumloc_localize_file(model, path_of("photons.tif"), path_of("e.csv"), &o, NULL, NULL,
                                  NULL));
    o.camera.offset_adu = 100, o.camera.adu_per_electron = 2;
    CHECK_OK(mumloc_localize_file(model, path_of("raw16.tif"), path_of("f.csv"), &o, NULL, NULL,
                                  NULL));
    CHECK(same_file(path_of("e.csv"), path_of("f.csv")));
    /* without the conversion the network sees other numbers: another table */
    mumloc_localize_options_default(&o);
    CHECK_OK(mumloc_localize_file(model, path_of("raw16.tif"), path_of("g.csv"), &o, NULL, NULL,
                                  NULL));
    CHECK(!same_file(path_of("e.csv"), path_of("g.csv")));

    /* frame range: frames 3..4 only, numbered as in the movie */
    o.first_frame = 2, o.frame_count = 2;
    CHECK_OK(mumloc_localize_file(model, movie, path_of("h.csv"), &o, &sum, NULL, NULL));
    CHECK(sum.frames == 2);
    CHECK_OK(mumloc_table_read_csv(path_of("h.csv"), "frame", &t));
    for (int64_t i = 0; t && i < mumloc_table_rows(t); i++) {
        double f = mumloc_table_column_data(t, mumloc_table_find_column(t, "frame", NULL))[i];
        CHECK(f == 3 || f == 4);
    }
    mumloc_table_destroy(t);
    o.first_frame = FRAMES, o.frame_count = 0;
    CHECK_STATUS(mumloc_localize_file(model, movie, path_of("i.csv"), &o, NULL, NULL, NULL),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "frames 1..5") != NULL);
    CHECK(!exists(path_of("i.csv")));
    mumloc_localize_options_default(&o);

    /* a NaN in frame 3, plane 2 fails naming them; no table */
    frames[((2 * K + 1) * H + 7) * W + 5] = NAN;
    write_float_tiff(path_of("nan.tif"), frames, K, 1, FRAMES);
    CHECK_STATUS(mumloc_localize_file(model, path_of("nan.tif"), path_of("j.csv"), &o, NULL, NULL,
                                      NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "frame 3, plane 2") != NULL);
    CHECK(!exists(path_of("j.csv")));

    /* cancelled after the first batch: CANCELLED and no table */
    int calls = 0;
    o.batch_frames = 1;
    CHECK_STATUS(mumloc_localize_file(model, movie, path_of("k.csv"), &o, NULL, cancel_second,
                                      &calls), MUMLOC_ERR_CANCELLED);
    CHECK(calls == 2 && !exists(path_of("k.csv")));
    mumloc_localize_options_default(&o);

    /* a movie recorded with other optics, and a model for another plane count */
    mumloc_sim_params q = p;
    q.optics.pixel_nm = 160;
    CHECK_OK(mumloc_simulate_to_files(&q, path_of("other.tif"), NULL, NULL, NULL, NULL));
    CHECK_STATUS(mumloc_localize_file(model, path_of("other.tif"), path_of("l.csv"), &o, NULL,
                                      NULL, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "other optics") && strstr(mumloc_last_error(), "pixel_nm"));
    CHECK(!exists(path_of("l.csv")));
    mumloc_model *three = NULL;
    mumloc_optics o3 = p.optics;
    o3.planes = 3;
    CHECK_OK(mumloc_model_create(MUMLOC_ARCH_REGRESSION, &o3, NULL, 1.0, 3, &three));
    CHECK_STATUS(mumloc_localize_file(three, movie, path_of("m.csv"), &o, NULL, NULL, NULL),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "C=4") && strstr(mumloc_last_error(), "3 planes"));
    CHECK(!exists(path_of("m.csv")));
    mumloc_model_destroy(three);

    /* streaming: a NaN batch is refused whole, naming frame and plane */
    mumloc_localizer *l = NULL;
    CHECK_OK(mumloc_localizer_create(model, NULL, W, H, &l));
    CHECK_STATUS(mumloc_localizer_push(l, frames, FRAMES, 10), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "frame 13, plane 2") != NULL);
    CHECK(mumloc_localizer_pending(l) == 0);
    mumloc_localizer_destroy(l);
    CHECK_STATUS(mumloc_localizer_create(model, NULL, 0, H, &l), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(mumloc_localizer_create(model, NULL, 70000, H, &l), MUMLOC_ERR_INVALID_ARGUMENT);

    free(frames);
    free(raw);
    free(photons);
    mumloc_model_destroy(model);
    int failed = check_failures;
    test_dir_remove(failed);
    return CHECK_DONE("test_pipeline_file");
}
