/* Histogram rendering of hand-made tables: counts per pixel, pixel borders, the field edge, the colour
 * of known depths (the colour map's own control points), the weighted mean colour, brightness, and
 * independence of the thread count. */
#include <string.h>

#include "check.h"
#include "mumloc.h"

static mumloc_render_params small_params(double width_nm, double height_nm) {
    mumloc_render_params p;
    mumloc_render_params_default(&p);
    p.pixel_nm = 10.0;
    p.field_width_nm = width_nm;
    p.field_height_nm = height_nm;
    p.colorbar = 0;
    return p;
}

static void test_counts_and_borders(void) {
    mumloc_render_params p = small_params(100.0, 50.0); /* 10 x 5 pixels */
    /* pixel (col,row) expected for each; -1 = outside the field */
    const double x[] = {15, 20, 0, 99.999, 55, 55.5, 59.99, 100, -0.001, 30, 42};
    const double y[] = {15, 5, 0, 49.999, 25, 20, 29.99, 10, 10, 50, 40};
    const int col[] = {1, 2, 0, 9, 5, 5, 5, -1, -1, -1, 4};
    const int row[] = {1, 0, 0, 4, 2, 2, 2, -1, -1, -1, 4};
    const int n = (int)(sizeof x / sizeof x[0]);
    double z[sizeof x / sizeof x[0]];
    for (int i = 0; i < n; i++) z[i] = 800.0;
    mumloc_renderer *r = NULL;
    CHECK_OK(mumloc_renderer_create(&p, &r));
    if (!r) return;
    CHECK_OK(mumloc_renderer_add(r, n, x, y, z, NULL));
    mumloc_render_info info;
    CHECK_OK(mumloc_renderer_info(r, &info));
    CHECK(info.width == 10 && info.height == 5);
    CHECK(info.canvas_width == 10 && info.canvas_height == 5);
    CHECK(info.rendered == 8 && info.outside == 3);
    float density[50];
    CHECK_OK(mumloc_renderer_density(r, density));
    float expected[50] = {0};
    for (int i = 0; i < n; i++)
        if (col[i] >= 0) expected[row[i] * 10 + col[i]] += 1.0f;
    double sum = 0;
    for (int i = 0; i < 50; i++) {
        CHECK(density[i] == expected[i]);
        sum += density[i];
    }
    CHECK(sum == 8.0);
    CHECK(expected[2 * 10 + 5] == 3.0f); /* three in one pixel */
    /* Adding after an output was read is refused. */
    CHECK_STATUS(mumloc_renderer_add(r, 1, x, y, z, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_renderer_destroy(r);
}

/* RGB of the single pixel holding one localization at depth z. */
static void colour_of_depth(mumloc_colormap map, double z, unsigned char rgb[3]) {
    mumloc_render_params p = small_params(30.0, 30.0);
    p.colormap = map;
    p.z_min_nm = -100.0;
    p.z_max_nm = 1500.0;
    const double x = 15.0, y = 15.0;
    mumloc_renderer *r = NULL;
    unsigned char image[9 * 3];
    memset(rgb, 0, 3);
    CHECK_OK(mumloc_renderer_create(&p, &r));
    if (!r) return;
    CHECK_OK(mumloc_renderer_add(r, 1, &x, &y, &z, NULL));
    CHECK_OK(mumloc_renderer_rgb(r, image));
    memcpy(rgb, image + 3 * 4, 3);
    for (int i = 0; i < 9; i++)
        if (i != 4) CHECK(image[3 * i] == 0 && image[3 * i + 1] == 0 && image[3 * i + 2] == 0);
    mumloc_renderer_destroy(r);
}

static void check_rgb(const unsigned char *got, int r, int g, int b) {
    if (got[0] != r || got[1] != g || got[2] != b) {
        fprintf(stderr, "colour %d,%d,%d, expected %d,%d,%d\n", got[0], got[1], got[2], r, g, b);
        check_failures++;
    }
}

static void test_colour_of_depth(void) {
    unsigned char rgb[3];
    /* viridis' published end points and middle (#440154, #21918c, #fde725) */
    colour_of_depth(MUMLOC_COLORMAP_VIRIDIS, -100.0, rgb);
    check_rgb(rgb, 0x44, 0x01, 0x54);
    colour_of_depth(MUMLOC_COLORMAP_VIRIDIS, 1500.0, rgb);
    check_rgb(rgb, 0xfd, 0xe7, 0x25);
    colour_of_depth(MUMLOC_COLORMAP_VIRIDIS, 700.0, rgb);
    check_rgb(rgb, 0x21, 0x91, 0x8c);
    /* beyond the range: clamped to the end colours */
    colour_of_depth(MUMLOC_COLORMAP_VIRIDIS, -5000.0, rgb);
    check_rgb(rgb, 0x44, 0x01, 0x54);
    colour_of_depth(MUMLOC_COLORMAP_VIRIDIS, 1e6, rgb);
    check_rgb(rgb, 0xfd, 0xe7, 0x25);
    /* turbo's ends (#30123b, #7a0403) */
    colour_of_depth(MUMLOC_COLORMAP_TURBO, -100.0, rgb);
    check_rgb(rgb, 0x30, 0x12, 0x3b);
    colour_of_depth(MUMLOC_COLORMAP_TURBO, 1500.0, rgb);
    check_rgb(rgb, 0x7a, 0x04, 0x03);
    /* and the public map lookup agrees with what the image shows */
    unsigned char direct[3];
    CHECK_OK(mumloc_colormap_color(MUMLOC_COLORMAP_TURBO, 0.5, direct));
    colour_of_depth(MUMLOC_COLORMAP_TURBO, 700.0, rgb);
    check_rgb(rgb, direct[0], direct[1], direct[2]);
    CHECK_STATUS(mumloc_colormap_color(MUMLOC_COLORMAP_TURBO, NAN, direct),
                 MUMLOC_ERR_INVALID_ARGUMENT);
    mumloc_colormap map;
    CHECK_OK(mumloc_colormap_from_name("turbo", &map));
    CHECK(map == MUMLOC_COLORMAP_TURBO);
    CHECK_STATUS(mumloc_colormap_from_name("jet", &map), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "viridis") != NULL);
    CHECK(mumloc_colormap_name(MUMLOC_COLORMAP_COUNT) == NULL);
}

/* Two localizations in one pixel at the two ends: the pixel shows the mean of the end colours. One
 * alone in another pixel, with a fixed saturation of 2: half as bright as its colour. */
static void test_mean_colour_and_brightness(void) {
    mumloc_render_params p = small_params(20.0, 10.0);
    p.saturation_density = 2.0;
    const double x[] = {5, 5, 15}, y[] = {5, 5, 5}, z[] = {0, 1600, 1600};
    mumloc_renderer *r = NULL;
    CHECK_OK(mumloc_renderer_create(&p, &r));
    if (!r) return;
    CHECK_OK(mumloc_renderer_add(r, 3, x, y, z, NULL));
    unsigned char rgb[6];
    CHECK_OK(mumloc_renderer_rgb(r, rgb));
    const int first[3] = {0x44, 0x01, 0x54}, last[3] = {0xfd, 0xe7, 0x25};
    for (int c = 0; c < 3; c++) {
        CHECK_NEAR(rgb[c], (first[c] + last[c]) / 2.0, 0.51);
        CHECK_NEAR(rgb[3 + c], last[c] / 2.0, 0.51);
    }
    mumloc_renderer_destroy(r);
}

/* The saturation percentile: nearest rank over non-empty pixels. Densities 1, 2, ..., 10 in ten
 * pixels; the 50th percentile is 5, so the pixel of density 10 and the one of 5 are full brightness
 * and the one of 1 has a fifth of it. */
static void test_percentile(void) {
    mumloc_render_params p = small_params(100.0, 10.0);
    p.saturation_percentile = 50.0;
    double x[55], y[55], z[55];
    int k = 0;
    for (int col = 0; col < 10; col++)
        for (int i = 0; i <= col; i++, k++) {
            x[k] = col * 10 + 5;
            y[k] = 5;
            z[k] = 1600;
        }
    mumloc_renderer *r = NULL;
    CHECK_OK(mumloc_renderer_create(&p, &r));
    if (!r) return;
    CHECK_OK(mumloc_renderer_add(r, k, x, y, z, NULL));
    mumloc_render_info info;
    CHECK_OK(mumloc_renderer_info(r, &info));
    CHECK_NEAR(info.saturation_density, 5.0, 0);
    unsigned char rgb[30];
    CHECK_OK(mumloc_renderer_rgb(r, rgb));
    CHECK(rgb[3 * 9] == 0xfd && rgb[3 * 4] == 0xfd);
    CHECK_NEAR(rgb[0], 0xfd / 5.0, 0.51);
    mumloc_renderer_destroy(r);
}

/* Many pixels with pseudo-random counts: S is the nearest-rank percentile of the counts, computed here
 * by sorting. */
static int compare_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_percentile_many(void) {
    enum { COLS = 50, ROWS = 40 };
    static double x[COLS * ROWS * 30], y[COLS * ROWS * 30], z[COLS * ROWS * 30];
    static double counts[COLS * ROWS];
    uint64_t state = 99;
    int n = 0, nonempty = 0;
    for (int pixel = 0; pixel < COLS * ROWS; pixel++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        int c = (int)((state >> 33) % 30); /* 0..29, some pixels empty */
        for (int i = 0; i < c; i++, n++) {
            x[n] = (pixel % COLS) * 10 + 5;
            y[n] = (pixel / COLS) * 10 + 5;
            z[n] = 0;
        }
        if (c > 0) counts[nonempty++] = c;
    }
    qsort(counts, (size_t)nonempty, sizeof counts[0], compare_double);
    const double percentiles[] = {0.01, 10, 50, 90, 99.5, 100};
    for (int k = 0; k < 6; k++) {
        mumloc_render_params p = small_params(COLS * 10, ROWS * 10);
        p.saturation_percentile = percentiles[k];
        mumloc_renderer *r = NULL;
        CHECK_OK(mumloc_renderer_create(&p, &r));
        if (!r) return;
        CHECK_OK(mumloc_renderer_add(r, n, x, y, z, NULL));
        mumloc_render_info info;
        CHECK_OK(mumloc_renderer_info(r, &info));
        int rank = (int)ceil(percentiles[k] / 100.0 * nonempty);
        if (rank < 1) rank = 1;
        CHECK_NEAR(info.saturation_density, counts[rank - 1], 0);
        mumloc_renderer_destroy(r);
    }
}

/* The same localizations give bit-identical images with 1 and 2 threads (row bands). */
static void test_thread_independence(void) {
    enum { N = 20000 };
    static double x[N], y[N], z[N], s[N];
    uint64_t state = 12345;
    for (int i = 0; i < N; i++) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        x[i] = (double)(state >> 11) / 9007199254740992.0 * 2000.0;
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        y[i] = (double)(state >> 11) / 9007199254740992.0 * 1500.0;
        z[i] = (double)(i % 1600);
        s[i] = 5.0 + (i % 30);
    }
    for (int method = 0; method < 3; method++) {
        float *images[2];
        for (int t = 0; t < 2; t++) {
            CHECK_OK(mumloc_set_threads(t + 1));
            mumloc_render_params p = small_params(2000.0, 1500.0);
            p.method = (mumloc_render_method)method;
            mumloc_renderer *r = NULL;
            images[t] = malloc(sizeof(float) * 200 * 150);
            CHECK_OK(mumloc_renderer_create(&p, &r));
            CHECK_OK(mumloc_renderer_add(r, N, x, y, z, s));
            CHECK_OK(mumloc_renderer_density(r, images[t]));
            mumloc_renderer_destroy(r);
        }
        CHECK(memcmp(images[0], images[1], sizeof(float) * 200 * 150) == 0);
        free(images[0]);
        free(images[1]);
    }
    CHECK_OK(mumloc_set_threads(0));
}

static void test_bad_arrays(void) {
    mumloc_render_params p = small_params(100.0, 100.0);
    mumloc_renderer *r = NULL;
    CHECK_OK(mumloc_renderer_create(&p, &r));
    if (!r) return;
    const double x[] = {10, NAN}, y[] = {10, 10}, z[] = {0, 0};
    CHECK_STATUS(mumloc_renderer_add(r, 2, x, y, z, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "localization 1") != NULL);
    float density[100];
    CHECK_OK(mumloc_renderer_density(r, density));
    double sum = 0;
    for (int i = 0; i < 100; i++) sum += density[i];
    CHECK(sum == 0.0); /* nothing of the bad batch was added */
    mumloc_renderer_destroy(r);

    p.method = MUMLOC_RENDER_GAUSSIAN; /* sigma from the data, but none given */
    CHECK_OK(mumloc_renderer_create(&p, &r));
    CHECK_STATUS(mumloc_renderer_add(r, 1, x, y, z, NULL), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(mumloc_last_error(), "sigma") != NULL);
    mumloc_renderer_destroy(r);
}

int main(void) {
    test_counts_and_borders();
    test_colour_of_depth();
    test_mean_colour_and_brightness();
    test_percentile();
    test_percentile_many();
    test_thread_independence();
    test_bad_arrays();
    return CHECK_DONE("test_render_histogram");
}
