/* Rendering from CSV tables to files: the z-stack's slices, a PNG read back with libpng (size,
 * pixels, the colour bar's ends), the float TIFF read back, the field taken from the data, unit
 * conversion, and bad inputs that fail with precise messages and leave no file behind. */
#include <png.h>
#include <string.h>

#include "check.h"
#include "io/tiff_read.h"
#include "mumloc.h"
#include "test_io_dir.h"

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f) {
        CHECK(f != NULL);
        return;
    }
    fputs(text, f);
    fclose(f);
}

static int exists(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f) fclose(f);
    return f != NULL;
}

/* Only these names may be in the test folder. */
static int folder_holds_only(const char *a, const char *b) {
    DIR *d = opendir(test_dir);
    struct dirent *e;
    int ok = 1;
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if ((a && strcmp(e->d_name, a) == 0) || (b && strcmp(e->d_name, b) == 0)) continue;
        fprintf(stderr, "unexpected file left: %s\n", e->d_name);
        ok = 0;
    }
    if (d) closedir(d);
    return ok;
}

static mumloc_render_params base_params(void) {
    mumloc_render_params p;
    mumloc_render_params_default(&p);
    return p;
}

/* Reads an RGB PNG whole; returns NULL on failure. */
static unsigned char *read_png(const char *path, int *width, int *height, double *ppm) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    unsigned char *pixels = NULL;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        fclose(f);
        free(pixels);
        return NULL;
    }
    png_init_io(png, f);
    png_read_info(png, info);
    *width = (int)png_get_image_width(png, info);
    *height = (int)png_get_image_height(png, info);
    CHECK(png_get_color_type(png, info) == PNG_COLOR_TYPE_RGB);
    CHECK(png_get_bit_depth(png, info) == 8);
    png_uint_32 rx = 0, ry = 0;
    int unit = 0;
    *ppm = png_get_pHYs(png, info, &rx, &ry, &unit) && unit == PNG_RESOLUTION_METER ? rx : 0;
    pixels = malloc((size_t)*width * (size_t)*height * 3);
    for (int y = 0; y < *height; y++) png_read_row(png, pixels + (size_t)y * *width * 3, NULL);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    fclose(f);
    return pixels;
}

static const char header[] = "\"id\",\"frame\",\"x [nm]\",\"y [nm]\",\"z [nm]\"\n";

static void test_png(void) {
    const char *table = path_of("png.csv"), *image = path_of("png.png");
    char text[512];
    /* one localization at z_min in pixel (2, 1), one at z_max in pixel (7, 3); field 100 x 60 nm */
    snprintf(text, sizeof text, "%s1,1,25,15,0\n2,1,75,35,1600\n", header);
    write_text(table, text);
    mumloc_render_params p = base_params();
    p.field_width_nm = 100;
    p.field_height_nm = 60;
    mumloc_render_info info;
    CHECK_OK(mumloc_render_file(&p, table, image, NULL, &info, NULL, NULL));
    CHECK(info.width == 10 && info.height == 6 && info.rendered == 2 && info.outside == 0);
    CHECK(info.canvas_width > info.width && info.canvas_height >= info.height);
    int w = 0, h = 0;
    double ppm = 0;
    unsigned char *px = read_png(image, &w, &h, &ppm);
    CHECK(px != NULL);
    if (!px) return;
    CHECK(w == info.canvas_width && h == info.canvas_height);
    CHECK_NEAR(ppm, 1e8, 0.5); /* 10 nm pixels = 10^8 per metre */
    const unsigned char *a = px + (1 * w + 2) * 3, *b = px + (3 * w + 7) * 3, *empty = px;
    CHECK(a[0] == 0x44 && a[1] == 0x01 && a[2] == 0x54);
    CHECK(b[0] == 0xfd && b[1] == 0xe7 && b[2] == 0x25);
    CHECK(empty[0] == 0 && empty[1] == 0 && empty[2] == 0);
    /* The bar: find a column right of the image whose top coloured pixel is the last colour and
     * bottom one the first colour. */
    int found = 0;
    for (int x = info.width; x < w && !found; x++) {
        int top = -1, bottom = -1;
        for (int y = 0; y < h; y++) {
            const unsigned char *q = px + (y * w + x) * 3;
            int white = q[0] == 255 && q[1] == 255 && q[2] == 255, black = !q[0] && !q[1] && !q[2];
            if (!white && !black) {
                if (top < 0) top = y;
                bottom = y;
            }
        }
        if (top < 0) continue;
        const unsigned char *t = px + (top * w + x) * 3, *u = px + (bottom * w + x) * 3;
        found = t[0] == 0xfd && t[1] == 0xe7 && t[2] == 0x25 && u[0] == 0x44 && u[1] == 0x01 &&
                u[2] == 0x54;
    }
    CHECK(found);
    free(px);
    /* Without the bar the PNG is the image itself. */
    p.colorbar = 0;
    CHECK_OK(mumloc_render_file(&p, table, image, NULL, &info, NULL, NULL));
    px = read_png(image, &w, &h, &ppm);
    CHECK(px && w == 10 && h == 6);
    free(px);
    remove(table);
    remove(image);
}

static void test_tiff_and_zstack(void) {
    const char *table = path_of("stack.csv"), *image = path_of("stack_image.tif"),
               *stack = path_of("stack.tif");
    char text[1024];
    /* z: 50 → slice 0, 150 → 1, 1599 → 15, 1600 → 15 (the last slice holds z_max), 2000 and -1 in
     * none. Each in its own pixel along row 0: pixel i holds localization i. */
    const double z[] = {50, 150, 1599, 1600, 2000, -1};
    const int slice[] = {0, 1, 15, 15, -1, -1};
    int used = snprintf(text, sizeof text, "%s", header);
    for (int i = 0; i < 6; i++)
        used += snprintf(text + used, sizeof text - (size_t)used, "%d,1,%d,5,%g\n", i + 1,
                         i * 10 + 5, z[i]);
    write_text(table, text);
    mumloc_render_params p = base_params();
    p.field_width_nm = 60;
    p.field_height_nm = 20;
    p.zstack = 1;
    p.z_bin_nm = 100;
    mumloc_render_info info;
    CHECK_OK(mumloc_render_file(&p, table, image, stack, &info, NULL, NULL));
    CHECK(info.slices == 16);

    tiff_reader *reader = NULL;
    CHECK_OK(tiff_reader_open(stack, &reader));
    if (reader) {
        const tiff_info *ti = tiff_reader_info(reader);
        CHECK(ti->width == 6 && ti->height == 2 && ti->slices == 16 && ti->channels == 1);
        CHECK_NEAR(ti->pixel_um, 0.01, 1e-9);
        char spacing[32];
        CHECK(tiff_description_value(tiff_reader_description(reader), "spacing",
                                            spacing, sizeof spacing));
        CHECK(strcmp(spacing, "0.1") == 0);
        float plane[12];
        for (int s = 0; s < 16; s++) {
            CHECK_OK(tiff_reader_read(reader, s, plane));
            for (int i = 0; i < 6; i++) CHECK(plane[i] == (slice[i] == s ? 1.0f : 0.0f));
            for (int i = 6; i < 12; i++) CHECK(plane[i] == 0.0f);
        }
        tiff_reader_close(reader);
    }
    /* The image TIFF: density and R, G, B channels. */
    CHECK_OK(tiff_reader_open(image, &reader));
    if (reader) {
        const tiff_info *ti = tiff_reader_info(reader);
        CHECK(ti->width == 6 && ti->height == 2 && ti->channels == 4);
        float d[12], red[12];
        CHECK_OK(tiff_reader_read(reader, 0, d));
        CHECK_OK(tiff_reader_read(reader, 1, red));
        for (int i = 0; i < 6; i++) CHECK(d[i] == 1.0f);
        CHECK(red[0] > 60.0f && red[0] < 75.0f); /* z = 50: close to viridis' first red, 68 */
        CHECK(red[3] == 0xfd);                   /* z = z_max */
        tiff_reader_close(reader);
    }
    remove(table);
    remove(image);
    remove(stack);
}

/* No field given: floor(max / p) + 1 pixels; um columns are converted; z range from the data. */
static void test_from_data(void) {
    const char *table = path_of("um.csv"), *image = path_of("um.tif");
    write_text(table, "x [um],y [um],z [um],other\n0.0123,0.0456,0.2,7\n1.0,0.5,0.6,7\n");
    mumloc_render_params p = base_params();
    p.z_from_data = 1;
    mumloc_render_info info;
    CHECK_OK(mumloc_render_file(&p, table, image, NULL, &info, NULL, NULL));
    CHECK(info.width == 101 && info.height == 51); /* 1000 nm / 10 = 100, + 1 */
    CHECK_NEAR(info.z_min_nm, 200.0, 1e-9);
    CHECK_NEAR(info.z_max_nm, 600.0, 1e-9);
    CHECK(info.rendered == 2);
    remove(table);
    remove(image);
}

static int cancel_at_once(void *user, int64_t done, int64_t total) {
    (void)user;
    (void)done;
    (void)total;
    return 1;
}

static void expect_failure(const mumloc_render_params *p, const char *csv, const char *image,
                           mumloc_status status, const char *fragment) {
    const char *table = path_of("bad.csv");
    write_text(table, csv);
    CHECK_STATUS(mumloc_render_file(p, table, image, NULL, NULL, NULL, NULL), status);
    if (!strstr(mumloc_last_error(), fragment)) {
        fprintf(stderr, "message '%s' lacks '%s'\n", mumloc_last_error(), fragment);
        check_failures++;
    }
    CHECK(folder_holds_only("bad.csv", NULL));
    remove(table);
}

static void test_bad_inputs(void) {
    char image[1024]; /* path_of's buffers are reused */
    snprintf(image, sizeof image, "%s", path_of("bad.png"));
    mumloc_render_params p = base_params();
    char ok_table[256];
    snprintf(ok_table, sizeof ok_table, "%s1,1,25,15,0\n", header);
    expect_failure(&p, "\"x [nm]\",\"y [nm]\"\n1,2\n", image, MUMLOC_ERR_FORMAT,
                   "no column \"z\"");
    expect_failure(&p, "\"x [px]\",\"y [px]\",\"z [nm]\"\n1,2,3\n", image, MUMLOC_ERR_FORMAT,
                   "[px]");
    char nan_table[256];
    snprintf(nan_table, sizeof nan_table, "%s1,1,25,15,0\n2,1,NaN,15,0\n", header);
    expect_failure(&p, nan_table, image, MUMLOC_ERR_FORMAT, "line 3");
    mumloc_render_params g = p;
    g.method = MUMLOC_RENDER_GAUSSIAN;
    expect_failure(&g, ok_table, image, MUMLOC_ERR_FORMAT, "uncertainty");
    mumloc_render_params zero = p;
    zero.pixel_nm = 0;
    expect_failure(&zero, ok_table, image, MUMLOC_ERR_INVALID_ARGUMENT, "pixel_nm");
    mumloc_render_params huge = p;
    huge.field_width_nm = huge.field_height_nm = 1e7; /* 10^6 x 10^6 pixels */
    expect_failure(&huge, ok_table, image, MUMLOC_ERR_INVALID_ARGUMENT, "larger pixel size");
    mumloc_render_params stack = p;
    stack.zstack = 1;
    stack.z_bin_nm = 0.001;
    stack.field_width_nm = stack.field_height_nm = 10000;
    expect_failure(&stack, ok_table, image, MUMLOC_ERR_INVALID_ARGUMENT, "thicker z bin");
    expect_failure(&p, ok_table, path_of("bad.jpg"), MUMLOC_ERR_INVALID_ARGUMENT, ".png");
    expect_failure(&p, "", image, MUMLOC_ERR_FORMAT, "empty");
    /* Cancelled: no file. */
    const char *table = path_of("bad.csv");
    write_text(table, ok_table);
    CHECK_STATUS(mumloc_render_file(&p, table, image, NULL, NULL, cancel_at_once, NULL),
                 MUMLOC_ERR_CANCELLED);
    CHECK(!exists(image));
    CHECK_STATUS(mumloc_render_file(&p, path_of("missing.csv"), image, NULL, NULL, NULL, NULL),
                 MUMLOC_ERR_IO);
    CHECK(folder_holds_only("bad.csv", NULL));
    remove(table);
}

int main(void) {
    test_dir_create("test_render_files");
    test_png();
    test_tiff_and_zstack();
    test_from_data();
    test_bad_inputs();
    test_dir_remove(check_failures != 0);
    return CHECK_DONE("test_render_files");
}
