/* The drift plot: drift in nm against frame, one line per axis, drawn into an RGB canvas with the
 * render module's bitmap font and written as PNG, so the CLI and Fiji headless write the same file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/png_write.h"
#include "render/font.h"

enum { LEFT = 78, RIGHT = 24, TOP = 40, BOTTOM = 52, SCALE = 2, TICKS = 6 };

typedef struct canvas {
    int w, h;
    unsigned char *rgb;
} canvas;

static const unsigned char BLACK[3] = {0, 0, 0}, GRID[3] = {225, 225, 225};
static const unsigned char AXIS_COLOUR[3][3] = {{214, 39, 40}, {44, 160, 44}, {31, 119, 180}};

static void dot(canvas *c, int x, int y, const unsigned char *colour) {
    if (x >= 0 && y >= 0 && x < c->w && y < c->h) memcpy(c->rgb + 3 * ((size_t)y * c->w + x), colour, 3);
}

/* Bresenham with a 2×2 brush when thick. */
static void line(canvas *c, int x0, int y0, int x1, int y1, const unsigned char *colour, int thick) {
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (;;) {
        dot(c, x0, y0, colour);
        if (thick) {
            dot(c, x0 + 1, y0, colour);
            dot(c, x0, y0 + 1, colour);
            dot(c, x0 + 1, y0 + 1, colour);
        }
        if (x0 == x1 && y0 == y1) break;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

static void text(canvas *c, const char *s, int x, int top, const unsigned char *colour) {
    for (int y = top; y < top + FONT_GLYPH_HEIGHT * SCALE; y++)
        if (y >= 0 && y < c->h)
            font_draw_text_row(s, x, top, SCALE, y, c->rgb + 3 * (size_t)y * c->w, c->w, colour);
}

static int text_width(const char *s) { return (int)strlen(s) * FONT_ADVANCE * SCALE; }

/* A step of 1, 2 or 5 × 10^k giving about TICKS intervals over span. */
static double nice_step(double span) {
    double raw = span / TICKS, p = pow(10.0, floor(log10(raw))), f = raw / p;
    return (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * p;
}

static void draw(canvas *c, int64_t n, const double *frame, const double *const d[3]) {
    memset(c->rgb, 255, (size_t)c->w * c->h * 3);
    double f0 = frame[0], f1 = frame[n - 1] > f0 ? frame[n - 1] : f0 + 1.0;
    double lo = INFINITY, hi = -INFINITY;
    for (int a = 0; a < 3; a++)
        for (int64_t k = 0; k < n; k++)
            if (isfinite(d[a][k])) {
                lo = fmin(lo, d[a][k]);
                hi = fmax(hi, d[a][k]);
            }
    if (!(hi - lo >= 2.0)) {
        double mid = isfinite(lo) ? 0.5 * (lo + hi) : 0.0;
        lo = mid - 1.0;
        hi = mid + 1.0;
    }
    double pad = 0.05 * (hi - lo);
    lo -= pad;
    hi += pad;
    int x0 = LEFT, x1 = c->w - RIGHT, y0 = TOP, y1 = c->h - BOTTOM;
#define PX(f) (x0 + (int)lround(((f) - f0) / (f1 - f0) * (x1 - x0)))
#define PY(v) (y1 - (int)lround(((v) - lo) / (hi - lo) * (y1 - y0)))
    char label[32];
    double ys = nice_step(hi - lo);
    for (double v = ceil(lo / ys) * ys; v <= hi; v += ys) {
        int y = PY(v);
        line(c, x0, y, x1, y, GRID, 0);
        snprintf(label, sizeof label, "%g", fabs(v) < 1e-9 * ys ? 0.0 : v);
        text(c, label, x0 - 8 - text_width(label), y - FONT_GLYPH_HEIGHT * SCALE / 2, BLACK);
    }
    double xs = nice_step(f1 - f0);
    if (xs < 1.0) xs = 1.0;
    for (double f = ceil(f0 / xs) * xs; f <= f1; f += xs) {
        int x = PX(f);
        line(c, x, y0, x, y1, GRID, 0);
        snprintf(label, sizeof label, "%.0f", f);
        text(c, label, x - text_width(label) / 2, y1 + 8, BLACK);
    }
    line(c, x0, y0, x0, y1, BLACK, 0);
    line(c, x0, y1, x1, y1, BLACK, 0);
    text(c, "frame", (x0 + x1 - text_width("frame")) / 2, c->h - 2 - FONT_GLYPH_HEIGHT * SCALE, BLACK);
    text(c, "drift [nm]", 8, 10, BLACK);
    const char *names[3] = {"dx", "dy", "dz"};
    for (int a = 0; a < 3; a++) {
        int lx = x1 - (3 - a) * 80;
        line(c, lx, 17, lx + 24, 17, AXIS_COLOUR[a], 1);
        text(c, names[a], lx + 30, 10, BLACK);
        int px = 0, py = 0, have = 0;
        for (int64_t k = 0; k < n; k++) {
            if (!isfinite(d[a][k])) {
                have = 0;
                continue;
            }
            int x = PX(frame[k]), y = PY(d[a][k]);
            if (have) line(c, px, py, x, y, AXIS_COLOUR[a], 1);
            else dot(c, x, y, AXIS_COLOUR[a]);
            px = x;
            py = y;
            have = 1;
        }
    }
#undef PX
#undef PY
}

static void canvas_row(void *user, int y, unsigned char *rgb) {
    const canvas *c = user;
    memcpy(rgb, c->rgb + 3 * (size_t)y * c->w, 3 * (size_t)c->w);
}

mumloc_status mumloc_drift_plot_write(const mumloc_table *drift, int width, int height,
                                      const char *path) {
    if (!drift || !path)
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT, "drift plot: table and path must not be NULL");
    if (width == 0 && height == 0) {
        width = 800;
        height = 450;
    }
    if (width < 320 || width > 8000 || height < 200 || height > 8000)
        return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "drift plot: size must be between 320x200 and 8000x8000 pixels (got %dx%d)",
                           width, height);
    const char *names[4] = {"frame", "dx", "dy", "dz"};
    const double *col[4];
    for (int a = 0; a < 4; a++) {
        int c = mumloc_table_find_column(drift, names[a], NULL);
        if (c < 0)
            return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "drift plot: the drift table has no \"%s\" column (it needs frame, "
                               "dx, dy, dz)", names[a]);
        col[a] = mumloc_table_column_data(drift, c);
    }
    int64_t n = mumloc_table_rows(drift);
    if (n < 1) return mumloc_fail(MUMLOC_ERR_INVALID_ARGUMENT, "drift plot: the drift table has no rows");
    canvas c = {width, height, malloc((size_t)width * height * 3)};
    if (!c.rgb) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift plot: out of memory");
    const double *d[3] = {col[1], col[2], col[3]};
    draw(&c, n, col[0], d);
    mumloc_atomic_file af = {0};
    mumloc_status s = mumloc_atomic_open(&af, path);
    if (s == MUMLOC_OK) s = mumloc_png_write_rgb(af.file, path, width, height, 0.0, canvas_row, &c);
    if (s == MUMLOC_OK) s = mumloc_atomic_commit(&af);
    else mumloc_atomic_abort(&af);
    free(c.rgb);
    return s;
}
