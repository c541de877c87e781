/* The line-plot renderer: a horizontal series lands on one band of rows, a rising series rises on the
 * canvas, the ranges given are honoured (a series at y = 0.5 of [0, 1] sits halfway between the
 * y-ticks 0 and 1), every label character has a glyph, and the PNG file appears whole. */
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "render/font.h"
#include "render/plot_png.h"
#include "test_io_dir.h"

static int is(const unsigned char *p, int r, int g, int b) { return p[0] == r && p[1] == g && p[2] == b; }

static void test_lines(void) {
    double x[2] = {0, 1}, flat[2] = {0.5, 0.5}, rising[2] = {0, 1};
    plot_series series[2] = {{x, flat, 2, {255, 0, 0}, 0, "flat"}, {x, rising, 2, {0, 0, 255}, 0, "rising"}};
    plot_spec s;
    plot_spec_default(&s);
    s.title = "A test plot";
    s.x_label = "spatial frequency (1/nm)";
    s.y_label = "FRC";
    s.series = series;
    s.series_count = 2;
    s.y_min = 0;
    s.y_max = 1;
    unsigned char *rgb = NULL;
    int w = 0, h = 0;
    CHECK_OK(plot_render_rgb(&s, &rgb, &w, &h));
    CHECK(w == 800 && h == 500);
    if (!rgb) return;
    /* red rows below the legend's sample lines (top right, rows < 110) */
    int red_lo = h, red_hi = -1, blue_first_y = -1, blue_last_y = -1, blue_first_x = w, blue_last_x = -1;
    for (int y = 0; y < h; y++)
        for (int xx = 0; xx < w; xx++) {
            const unsigned char *p = rgb + 3 * ((size_t)y * w + xx);
            if (y >= 110 && is(p, 255, 0, 0)) {
                if (y < red_lo) red_lo = y;
                if (y > red_hi) red_hi = y;
            }
            if (is(p, 0, 0, 255)) {
                if (xx < blue_first_x) blue_first_x = xx, blue_first_y = y;
                if (xx > blue_last_x) blue_last_x = xx, blue_last_y = y;
            }
        }
    CHECK(red_hi >= red_lo && red_hi - red_lo <= 4);         /* one line, 4 px thick at scale 2 */
    CHECK(blue_last_x > blue_first_x + 250);                   /* spans the plot */
    CHECK(blue_first_y > blue_last_y + 120);                   /* and rises (rows grow downwards) */
    /* y = 0.5 halfway between y = 0 (blue's start) and y = 1 (blue's end) */
    CHECK_NEAR(0.5 * (red_lo + red_hi), 0.5 * (blue_first_y + blue_last_y), 3);
    int dark_top = 0;
    for (int y = 0; y < 24; y++)
        for (int xx = 0; xx < w; xx++) dark_top += is(rgb + 3 * ((size_t)y * w + xx), 0, 0, 0);
    CHECK(dark_top > 50); /* the title is drawn */
    free(rgb);
}

static void test_glyphs(void) {
    const char *needed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789()/:,+%=_-.[]<>^";
    for (const char *c = needed; *c; c++) {
        unsigned any = 0;
        for (int row = 0; row < FONT_GLYPH_HEIGHT; row++) any |= font_glyph_row(*c, row);
        if (!any) {
            fprintf(stderr, "no glyph for '%c'\n", *c);
            check_failures++;
        }
    }
}

static void test_png_and_errors(void) {
    double x[3] = {1, 2, 3}, y[3] = {3, NAN, 1};
    plot_series series = {x, y, 3, {0, 128, 0}, 1, NULL};
    plot_spec s;
    plot_spec_default(&s);
    s.series = &series;
    s.series_count = 1;
    s.width = 300;
    s.height = 200;
    CHECK_OK(plot_write_png(&s, path_of("plot.png")));
    FILE *f = fopen(path_of("plot.png"), "rb");
    unsigned char magic[8] = {0};
    CHECK(f && fread(magic, 1, 8, f) == 8 && memcmp(magic, "\x89PNG\r\n\x1a\n", 8) == 0);
    if (f) fclose(f);
    s.width = 50;
    CHECK_STATUS(plot_write_png(&s, path_of("small.png")), MUMLOC_ERR_INVALID_ARGUMENT);
    CHECK(fopen(path_of("small.png"), "rb") == NULL);
}

int main(void) {
    test_dir_create("render_plot");
    test_lines();
    test_glyphs();
    test_png_and_errors();
    test_dir_remove(check_failures);
    return check_failures ? 1 : 0;
}
