/* The colour bar drawn in a margin right of the image: a vertical gradient of the colour map (z_max at
 * the top), ticks at round depths labelled in nm, and the title "z [nm]" above. Drawn row by row so
 * that an image can be written without holding its RGB canvas in memory. */
#ifndef RENDER_COLORBAR_H
#define RENDER_COLORBAR_H

#include "mumloc.h"

enum { COLORBAR_MAX_TICKS = 12 };

typedef struct colorbar_layout {
    int scale;                   /* font and margin scale: 1 + image height / 400, at most 6 */
    int canvas_width, canvas_height;
    int bar_x0, bar_x1;          /* bar columns [x0, x1) */
    int bar_y0, bar_y1;          /* bar rows [y0, y1]: y0 shows z_max, y1 z_min */
    int label_x;                 /* left of the labels */
    int ticks;
    double tick_z[COLORBAR_MAX_TICKS];
    char tick_text[COLORBAR_MAX_TICKS][64]; /* mumloc_format_number needs 64 */
} colorbar_layout;

void colorbar_layout_compute(int image_width, int image_height, double z_min, double z_max,
                             colorbar_layout *layout);
/* Row of the bar where depth z is drawn (ticks sit there). */
int colorbar_row_of(const colorbar_layout *layout, double z, double z_min, double z_max);
/* Draws the margin's part of canvas row y into rgb (the whole canvas row, canvas_width pixels). */
void colorbar_draw_row(const colorbar_layout *layout, mumloc_colormap map, double z_min,
                       double z_max, int y, unsigned char *rgb);

#endif
