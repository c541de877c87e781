/* The colour bar: round tick depths (hand-picked expectations), labels drawable with the built-in
 * font, the gradient's ends, and the bar drawn where the layout says. */
#include <string.h>

#include "check.h"
#include "mumloc.h"
#include "render/colorbar.h"
#include "render/font.h"

static void check_ticks(double z_min, double z_max, int count, const char *const *texts) {
    colorbar_layout l;
    colorbar_layout_compute(100, 500, z_min, z_max, &l);
    CHECK(l.ticks == count);
    for (int i = 0; i < count && i < l.ticks; i++)
        if (strcmp(l.tick_text[i], texts[i]) != 0) {
            fprintf(stderr, "tick %d of [%g, %g]: '%s', expected '%s'\n", i, z_min, z_max,
                    l.tick_text[i], texts[i]);
            check_failures++;
        }
}

static void test_ticks(void) {
    const char *slab[] = {"0", "500", "1000", "1500"};
    check_ticks(0, 1600, 4, slab);
    check_ticks(-100, 1500, 4, slab);
    const char *unit[] = {"0", "0.2", "0.4", "0.6", "0.8", "1"};
    check_ticks(0, 1, 6, unit);
    /* the step is the smallest 1, 2 or 5 x 10^k >= range / 5: 1400 / 5 = 280 -> 500 */
    const char *negative[] = {"-500", "0", "500"};
    check_ticks(-700, 700, 3, negative);
}

static void test_glyphs(void) {
    const char *needed = "0123456789-.nmz[]";
    for (const char *c = needed; *c; c++) {
        unsigned any = 0;
        for (int row = 0; row < FONT_GLYPH_HEIGHT; row++) any |= font_glyph_row(*c, row);
        if (!any) {
            fprintf(stderr, "no glyph for '%c'\n", *c);
            check_failures++;
        }
    }
    for (int row = 0; row < FONT_GLYPH_HEIGHT; row++) CHECK(font_glyph_row(' ', row) == 0);
    /* two different digits never share a bitmap */
    for (char a = '0'; a <= '9'; a++)
        for (char b = (char)(a + 1); b <= '9'; b++) {
            int same = 1;
            for (int row = 0; row < FONT_GLYPH_HEIGHT; row++)
                same &= font_glyph_row(a, row) == font_glyph_row(b, row);
            CHECK(!same);
        }
}

static void test_drawing(void) {
    colorbar_layout l;
    colorbar_layout_compute(50, 300, 0, 1600, &l);
    CHECK(l.bar_x0 > 50 && l.bar_x1 > l.bar_x0 && l.canvas_width > l.bar_x1);
    CHECK(l.canvas_height == 300);
    CHECK(colorbar_row_of(&l, 0, 0, 1600) == l.bar_y1);
    CHECK(colorbar_row_of(&l, 1600, 0, 1600) == l.bar_y0);
    unsigned char *row = calloc((size_t)l.canvas_width * 3, 1);
    unsigned char first[3], last[3];
    CHECK_OK(mumloc_colormap_color(MUMLOC_COLORMAP_VIRIDIS, 0, first));
    CHECK_OK(mumloc_colormap_color(MUMLOC_COLORMAP_VIRIDIS, 1, last));
    colorbar_draw_row(&l, MUMLOC_COLORMAP_VIRIDIS, 0, 1600, l.bar_y0, row);
    CHECK(memcmp(row + 3 * l.bar_x0, last, 3) == 0);
    memset(row, 0, (size_t)l.canvas_width * 3);
    colorbar_draw_row(&l, MUMLOC_COLORMAP_VIRIDIS, 0, 1600, l.bar_y1, row);
    CHECK(memcmp(row + 3 * (l.bar_x1 - 1), first, 3) == 0);
    /* the tick at 0 and its label "0" put white pixels right of the bar on that row's band */
    int white = 0;
    for (int y = l.bar_y1 - 3 * l.scale; y <= l.bar_y1 + 3 * l.scale; y++) {
        memset(row, 0, (size_t)l.canvas_width * 3);
        colorbar_draw_row(&l, MUMLOC_COLORMAP_VIRIDIS, 0, 1600, y, row);
        for (int x = l.label_x; x < l.canvas_width; x++) white += row[3 * x] == 255;
    }
    CHECK(white > 0);
    /* nothing is drawn over the image's columns */
    for (int y = 0; y < l.canvas_height; y++) {
        memset(row, 0, (size_t)l.canvas_width * 3);
        colorbar_draw_row(&l, MUMLOC_COLORMAP_VIRIDIS, 0, 1600, y, row);
        for (int x = 0; x < 50 * 3; x++) CHECK(row[x] == 0);
    }
    free(row);
}

int main(void) {
    test_ticks();
    test_glyphs();
    test_drawing();
    return CHECK_DONE("test_render_colorbar");
}
