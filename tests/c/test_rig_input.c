/* A rig's raw movie in each layout (mumloc_rig_movie_*) reads back what was written: one
 * hyperstack (cameras as channels, or as slices), one file per camera with frame offsets, and one
 * chip of tiles (2×2, 1×4, 4×1); shapes that do not fit the layout are refused with a message; each
 * camera is converted to photons with its own offset and gains (mumloc_rig_to_photons). */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "io/tiff_write.h"
#include "mumloc.h"
#include "test_io_dir.h"

#define W 6
#define H 5
#define K 4
#define T 5

static void rig_by_hand(mumloc_rig *rig, mumloc_rig_layout layout) {
    mumloc_rig_default(rig, K, W, H);
    rig->layout = layout;
}

/* What camera d recorded at its own frame f, pixel (i, j): unique per camera, frame and pixel. */
static float value(int d, int f, int i, int j) { return (float)(1000 * d + 100 * f + 10 * j + i); }

static void write_tiff(const char *path, int width, int height, int c, int z, int t,
                       const float *pixels) {
    FILE *f = fopen(path, "wb");
    tiff_write_options o = {.width = width, .height = height, .channels = c,
                                   .slices = z, .frames = t};
    tiff_writer *w = NULL;
    CHECK_OK(tiff_writer_open(f, path, &o, &w));
    CHECK_OK(tiff_writer_append(w, pixels, (int64_t)c * z * t));
    CHECK_OK(tiff_writer_finish(w));
    tiff_writer_free(w);
    fclose(f);
}

/* Every frame of the movie holds value(d, frame − offset_d, i, j) in camera d's image. */
static int reads_back(const mumloc_rig *rig, const char *const *paths, int count,
                      mumloc_plane_axis axis, int64_t want_first, int64_t want_frames) {
    mumloc_rig_movie *m = NULL;
    CHECK_OK(mumloc_rig_movie_open(rig, paths, count, axis, &m));
    if (!m) return 0;
    int64_t first = -1, frames = -1;
    mumloc_rig_movie_frames(m, &first, &frames);
    CHECK(first == want_first && frames == want_frames);
    static float out[K * W * H];
    int same = 1;
    for (int64_t r = first; r < first + frames; r++) {
        CHECK_OK(mumloc_rig_movie_read(m, r, out));
        for (int d = 0; d < K; d++)
            for (int j = 0; j < H; j++)
                for (int i = 0; i < W; i++)
                    same &= out[(d * H + j) * W + i] ==
                            value(d, (int)r - rig->camera[d].frame_offset, i, j);
    }
    CHECK_STATUS(mumloc_rig_movie_read(m, first + frames, out), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_rig_movie_close(m);
    CHECK(same);
    return same;
}

static void test_hyperstack(void) {
    mumloc_rig rig;
    rig_by_hand(&rig, MUMLOC_RIG_HYPERSTACK);
    static float px[T * K * W * H];
    for (int f = 0; f < T; f++) /* channel fastest: image f·K + d */
        for (int d = 0; d < K; d++)
            for (int j = 0; j < H; j++)
                for (int i = 0; i < W; i++) px[((f * K + d) * H + j) * W + i] = value(d, f, i, j);
    const char *as_channels = path_of("channels.tif"), *as_slices = path_of("slices.tif");
    write_tiff(as_channels, W, H, K, 1, T, px);
    write_tiff(as_slices, W, H, 1, K, T, px);
    reads_back(&rig, &as_channels, 1, MUMLOC_PLANES_AUTO, 0, T);
    reads_back(&rig, &as_slices, 1, MUMLOC_PLANES_AUTO, 0, T);
    /* a hyperstack is one file, and its frames must be the rig's */
    const char *two[2] = {as_channels, as_slices};
    mumloc_rig_movie *m = NULL;
    CHECK_STATUS(mumloc_rig_movie_open(&rig, two, 2, MUMLOC_PLANES_AUTO, &m), MUMLOC_ERR_INVALID_ARGUMENT);
    rig.width = W + 1;
    CHECK_STATUS(mumloc_rig_movie_open(&rig, &as_channels, 1, MUMLOC_PLANES_AUTO, &m),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "6x5") && strstr(mumloc_last_error(), "7x5"));
    CHECK(m == NULL);
}

static void test_files_with_offsets(void) {
    mumloc_rig rig;
    rig_by_hand(&rig, MUMLOC_RIG_FILES);
    /* camera 2 started one frame late (its frame f shows reference frame f + 1); camera 4 recorded
     * two frames fewer */
    rig.camera[1].frame_offset = 1;
    const int frames[K] = {T, T, T, T - 2};
    const char *paths[K];
    static float px[T * W * H];
    for (int d = 0; d < K; d++) {
        char name[32];
        snprintf(name, sizeof name, "camera%d.tif", d + 1);
        paths[d] = path_of(name);
        for (int f = 0; f < frames[d]; f++)
            for (int j = 0; j < H; j++)
                for (int i = 0; i < W; i++) px[(f * H + j) * W + i] = value(d, f, i, j);
        write_tiff(paths[d], W, H, 1, 1, frames[d], px);
    }
    /* reference frames 1 .. T − 3 (0-based): camera 2 lacks frame 0, camera 4 ends at T − 2 */
    reads_back(&rig, paths, K, MUMLOC_PLANES_AUTO, 1, T - 3);
    mumloc_rig_movie *m = NULL;
    CHECK_STATUS(mumloc_rig_movie_open(&rig, paths, K - 1, MUMLOC_PLANES_AUTO, &m),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "one per camera") != NULL);
    /* offsets that leave no common frame */
    rig.camera[1].frame_offset = T + 3;
    CHECK_STATUS(mumloc_rig_movie_open(&rig, paths, K, MUMLOC_PLANES_AUTO, &m),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "frame offsets") != NULL);
}

/* One chip per frame, columns × rows tiles, camera d at tile (d % columns, d / columns). */
static void test_tiles(mumloc_rig_layout layout, int columns, int rows, const char *name) {
    mumloc_rig rig;
    rig_by_hand(&rig, layout);
    rig.camera[2].frame_offset = -1; /* camera 3's frame f shows reference frame f − 1 */
    const int cw = columns * W, ch = rows * H;
    static float px[T * 4 * W * H];
    for (int f = 0; f < T; f++)
        for (int d = 0; d < K; d++)
            for (int j = 0; j < H; j++)
                for (int i = 0; i < W; i++)
                    px[(size_t)f * cw * ch + (size_t)((d / columns) * H + j) * cw +
                       (d % columns) * W + i] = value(d, f, i, j);
    const char *path = path_of(name);
    write_tiff(path, cw, ch, 1, 1, T, px);
    reads_back(&rig, &path, 1, MUMLOC_PLANES_AUTO, 0, T - 1);
    /* the chip of another layout is refused, naming the sizes */
    rig.layout = layout == MUMLOC_RIG_TILES2X2 ? MUMLOC_RIG_TILES1X4 : MUMLOC_RIG_TILES2X2;
    mumloc_rig_movie *m = NULL;
    CHECK_STATUS(mumloc_rig_movie_open(&rig, &path, 1, MUMLOC_PLANES_AUTO, &m),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    /* tiles need four cameras */
    rig.layout = layout;
    rig.optics.planes = 3;
    CHECK_STATUS(mumloc_rig_movie_open(&rig, &path, 1, MUMLOC_PLANES_AUTO, &m),
                 MUMLOC_ERR_INVALID_ARGUMENT);
}

static void test_photons_per_camera(void) {
    mumloc_rig rig;
    rig_by_hand(&rig, MUMLOC_RIG_HYPERSTACK);
    static float frame[K * W * H];
    for (int d = 0; d < K; d++) {
        rig.camera[d].offset_adu = 100.0 + 10 * d;
        rig.camera[d].adu_per_electron = 0.5 + 0.25 * d;
        rig.camera[d].em_gain = d == 3 ? 50.0 : 1.0;
        const double scale = rig.camera[d].adu_per_electron * rig.camera[d].em_gain;
        for (int p = 0; p < W * H; p++) frame[d * W * H + p] = (float)(rig.camera[d].offset_adu + scale * (p + d));
    }
    mumloc_rig_to_photons(&rig, frame);
    int right = 1;
    for (int d = 0; d < K; d++)
        for (int p = 0; p < W * H; p++) right &= fabs(frame[d * W * H + p] - (p + d)) < 1e-3;
    CHECK(right);
}

int main(void) {
    test_dir_create("test_rig_input");
    test_hyperstack();
    test_files_with_offsets();
    test_tiles(MUMLOC_RIG_TILES2X2, 2, 2, "chip2x2.tif");
    test_tiles(MUMLOC_RIG_TILES1X4, 4, 1, "chip1x4.tif");
    test_tiles(MUMLOC_RIG_TILES4X1, 1, 4, "chip4x1.tif");
    test_photons_per_camera();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_rig_input");
}
