/* A small line-plot renderer for the library's diagnostic plots (FRC curve, drift vs frame, ...):
 * one or more series of (x, y) points drawn as lines on white, with axes, round ticks, axis labels,
 * a title and a legend, written as an RGB PNG. Deliberately plain: enough to read a curve. */
#ifndef RENDER_PLOT_PNG_H
#define RENDER_PLOT_PNG_H

#include <stdint.h>

#include "mumloc.h"

typedef struct plot_series {
    const double *x, *y;      /* count points; a point with a NaN coordinate breaks the line */
    int64_t count;
    unsigned char rgb[3];     /* line colour */
    int dashed;               /* 1 = dashed (reference lines such as a threshold) */
    const char *label;        /* legend text, or NULL for none */
} plot_series;

typedef struct plot_spec {
    const char *title;        /* drawn above the plot; NULL = none */
    const char *x_label, *y_label;
    int width, height;        /* canvas pixels; 0 = 800 × 500 */
    double x_min, x_max;      /* axis ranges; NaN = from the data (finite points of every series) */
    double y_min, y_max;
    const plot_series *series;
    int series_count;
} plot_spec;

/* Fills spec's defaults (no series, ranges from the data, 800 × 500). */
void plot_spec_default(plot_spec *spec);

/* Draws the plot into a new canvas: *rgb (malloc'ed, width × height × 3 bytes, row-major; free it)
 * and its size. Text uses the 5×7 font of render/font.h (ASCII letters, digits, punctuation). */
mumloc_status plot_render_rgb(const plot_spec *spec, unsigned char **rgb, int *width, int *height);

/* Draws the plot and writes it as an RGB PNG at path, atomically (no file on failure). */
mumloc_status plot_write_png(const plot_spec *spec, const char *path);

#endif
