/* Colour bar layout and drawing (see colorbar.h). */
#include "render/colorbar.h"

#include <math.h>
#include <string.h>

#include "render/colormap.h"
#include "render/font.h"
#include "render/ticks.h"

static const char title[] = "z [nm]";
static const unsigned char white[3] = {255, 255, 255};

void colorbar_layout_compute(int image_width, int image_height, double z_min, double z_max,
                             colorbar_layout *l) {
    memset(l, 0, sizeof *l);
    int s = 1 + image_height / 400;
    if (s > 6) s = 6;
    l->scale = s;
    double range = z_max - z_min, step = ticks_round_step(range, 5.0);
    size_t longest = sizeof title - 1;
    for (double k = ceil(z_min / step - 1e-9); l->ticks < COLORBAR_MAX_TICKS; k++) {
        double z = k * step;
        if (z > z_max + 1e-9 * range) break;
        if (fabs(z) < 1e-9 * step) z = 0.0; /* no "-0" */
        l->tick_z[l->ticks] = z;
        mumloc_format_number(z, l->tick_text[l->ticks], sizeof l->tick_text[l->ticks]);
        size_t len = strlen(l->tick_text[l->ticks]);
        if (len > longest) longest = len;
        l->ticks++;
    }
    l->bar_x0 = image_width + 6 * s;
    l->bar_x1 = l->bar_x0 + 14 * s;
    l->label_x = l->bar_x1 + 6 * s;
    l->canvas_width = l->label_x + (int)longest * FONT_ADVANCE * s + 6 * s;
    int min_height = 19 * s + 60 * s + 8 * s;
    l->canvas_height = image_height > min_height ? image_height : min_height;
    l->bar_y0 = 19 * s;
    l->bar_y1 = l->canvas_height - 8 * s - 1;
}

int colorbar_row_of(const colorbar_layout *l, double z, double z_min, double z_max) {
    double t = (z - z_min) / (z_max - z_min);
    return (int)lround(l->bar_y1 - t * (l->bar_y1 - l->bar_y0));
}

void colorbar_draw_row(const colorbar_layout *l, mumloc_colormap map, double z_min, double z_max,
                       int y, unsigned char *rgb) {
    int s = l->scale;
    font_draw_text_row(title, l->bar_x0, 4 * s, s, y, rgb, l->canvas_width, white);
    if (y >= l->bar_y0 && y <= l->bar_y1) {
        float colour[3];
        render_colormap_eval(map, (double)(l->bar_y1 - y) / (l->bar_y1 - l->bar_y0), colour);
        for (int x = l->bar_x0; x < l->bar_x1; x++)
            for (int c = 0; c < 3; c++) rgb[3 * x + c] = (unsigned char)lrintf(colour[c]);
    }
    for (int i = 0; i < l->ticks; i++) {
        int row = colorbar_row_of(l, l->tick_z[i], z_min, z_max);
        if (y >= row - (s - 1) / 2 && y <= row + s / 2) /* a tick s pixels thick */
            for (int x = l->bar_x1; x < l->bar_x1 + 4 * s; x++) memcpy(rgb + 3 * x, white, 3);
        font_draw_text_row(l->tick_text[i], l->label_x, row - 3 * s, s, y, rgb, l->canvas_width,
                           white);
    }
}
