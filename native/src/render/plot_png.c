/* Line plots as PNG (see plot_png.h): the canvas is drawn whole in memory (plots are small), then
 * handed to the row-by-row PNG writer. */
#include "render/plot_png.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/atomic_file.h"
#include "io/png_write.h"
#include "render/font.h"
#include "render/ticks.h"

enum { PLOT_MAX_TICKS = 16 };

static const unsigned char black[3] = {0, 0, 0};
static const unsigned char grid_grey[3] = {225, 225, 225};

typedef struct canvas {
    unsigned char *rgb;
    int width, height;
} canvas;

static void put(canvas *c, int x, int y, const unsigned char rgb[3]) {
    if (x >= 0 && x < c->width && y >= 0 && y < c->height) memcpy(c->rgb + 3 * ((size_t)y * c->width + x), rgb, 3);
}

static void fill_rect(canvas *c, int x0, int y0, int x1, int y1, const unsigned char rgb[3]) {
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++) put(c, x, y, rgb);
}

static void text(canvas *c, const char *s, int x, int top, int scale, const unsigned char rgb[3]) {
    for (int y = top; y < top + FONT_GLYPH_HEIGHT * scale; y++)
        if (y >= 0 && y < c->height)
            font_draw_text_row(s, x, top, scale, y, c->rgb + 3 * (size_t)y * c->width, c->width, rgb);
}

/* Text turned 90° anticlockwise (read bottom to top), its left edge at x, its last glyph at top. */
static void text_vertical(canvas *c, const char *s, int x, int bottom, int scale,
                          const unsigned char rgb[3]) {
    for (size_t k = 0; s[k]; k++)
        for (int row = 0; row < FONT_GLYPH_HEIGHT; row++) {
            unsigned bits = font_glyph_row(s[k], row);
            for (int col = 0; col < FONT_GLYPH_WIDTH; col++) {
                if (!(bits & (1u << (FONT_GLYPH_WIDTH - 1 - col)))) continue;
                /* glyph column → canvas row upwards; glyph row → canvas column rightwards */
                int cy = bottom - ((int)k * FONT_ADVANCE + col) * scale;
                int cx = x + row * scale;
                fill_rect(c, cx, cy - scale + 1, cx + scale - 1, cy, rgb);
            }
        }
}

static int text_width(const char *s, int scale) { return (int)strlen(s) * FONT_ADVANCE * scale; }

/* Line of thickness `thick` from (x0, y0) to (x1, y1); dashed lines skip every other 8 pixels. */
static void line(canvas *c, double x0, double y0, double x1, double y1, int thick, int dashed,
                 const unsigned char rgb[3]) {
    double steps = fmax(fabs(x1 - x0), fabs(y1 - y0));
    int n = (int)ceil(steps);
    if (n < 1) n = 1;
    for (int i = 0; i <= n; i++) {
        if (dashed && (i / 8) % 2) continue;
        double t = (double)i / n;
        int x = (int)lround(x0 + t * (x1 - x0)), y = (int)lround(y0 + t * (y1 - y0));
        fill_rect(c, x - thick / 2, y - thick / 2, x - thick / 2 + thick - 1, y - thick / 2 + thick - 1, rgb);
    }
}


typedef struct axis {
    double lo, hi;
    int ticks;
    double tick[PLOT_MAX_TICKS];
    char label[PLOT_MAX_TICKS][64];
} axis;

static void axis_ticks(axis *a) {
    double step = ticks_round_step(a->hi - a->lo, 6.0);
    a->ticks = 0;
    for (double k = ceil(a->lo / step - 1e-9); a->ticks < PLOT_MAX_TICKS; k++) {
        double v = k * step;
        if (v > a->hi + 1e-9 * (a->hi - a->lo)) break;
        if (fabs(v) < 1e-9 * step) v = 0.0;
        a->tick[a->ticks] = v;
        snprintf(a->label[a->ticks], sizeof a->label[a->ticks], "%.6g", v);
        a->ticks++;
    }
}

/* The range of the data along one coordinate where the spec gives NaN; widened when empty or flat. */
static void axis_range(const plot_spec *s, int along_y, double given_lo, double given_hi, axis *a) {
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < s->series_count; i++)
        for (int64_t k = 0; k < s->series[i].count; k++) {
            double v = along_y ? s->series[i].y[k] : s->series[i].x[k];
            if (isfinite(v)) {
                lo = fmin(lo, v);
                hi = fmax(hi, v);
            }
        }
    if (!isnan(given_lo)) lo = given_lo;
    if (!isnan(given_hi)) hi = given_hi;
    if (!isfinite(lo) || !isfinite(hi)) lo = 0, hi = 1;
    if (hi <= lo) {
        double pad = lo != 0 ? fabs(lo) * 0.5 : 1.0;
        lo -= pad;
        hi += pad;
    }
    a->lo = lo;
    a->hi = hi;
    axis_ticks(a);
}

void plot_spec_default(plot_spec *s) {
    memset(s, 0, sizeof *s);
    s->x_min = s->x_max = s->y_min = s->y_max = NAN;
}

mumloc_status plot_render_rgb(const plot_spec *s, unsigned char **rgb, int *width, int *height) {
    if (!s || !rgb || !width || !height || s->series_count < 0 || (s->series_count > 0 && !s->series))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "plot: needs a spec and outputs");
    *rgb = NULL;
    int w = s->width > 0 ? s->width : 800, h = s->height > 0 ? s->height : 500;
    if (w < 200 || h < 150 || w > 8000 || h > 8000)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "plot: %d x %d pixels is outside 200 x 150 .. 8000 x 8000", w, h);
    canvas c = {malloc((size_t)w * h * 3), w, h};
    if (!c.rgb) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "plot: out of memory");
    memset(c.rgb, 255, (size_t)w * h * 3);
    int sc = 1 + (w >= 600 && h >= 360), glyph_h = FONT_GLYPH_HEIGHT * sc;

    axis ax, ay;
    axis_range(s, 0, s->x_min, s->x_max, &ax);
    axis_range(s, 1, s->y_min, s->y_max, &ay);
    int widest = 0;
    for (int i = 0; i < ay.ticks; i++) {
        int tw = text_width(ay.label[i], sc);
        if (tw > widest) widest = tw;
    }
    int left = 6 * sc + (s->y_label ? glyph_h + 8 * sc : 0) + widest + 6 * sc;
    int last_x_label = ax.ticks > 0 ? text_width(ax.label[ax.ticks - 1], sc) / 2 + 4 * sc : 0;
    int right = w - (last_x_label > 12 * sc ? last_x_label : 12 * sc); /* room for the last x label */
    int top = (s->title ? glyph_h + 10 * sc : 0) + 8 * sc;
    int bottom = h - (6 * sc + glyph_h + 6 * sc + (s->x_label ? glyph_h + 6 * sc : 0));
    if (right - left < 40 || bottom - top < 40) {
        free(c.rgb);
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "plot: %d x %d pixels leave no room to plot", w, h);
    }
#define PX(v) (left + ((v) - ax.lo) / (ax.hi - ax.lo) * (right - left))
#define PY(v) (bottom - ((v) - ay.lo) / (ay.hi - ay.lo) * (bottom - top))
    /* grid and ticks */
    for (int i = 0; i < ax.ticks; i++) {
        int x = (int)lround(PX(ax.tick[i]));
        line(&c, x, top, x, bottom, 1, 0, grid_grey);
        line(&c, x, bottom, x, bottom + 4 * sc, sc, 0, black);
        text(&c, ax.label[i], x - text_width(ax.label[i], sc) / 2, bottom + 6 * sc, sc, black);
    }
    for (int i = 0; i < ay.ticks; i++) {
        int y = (int)lround(PY(ay.tick[i]));
        line(&c, left, y, right, y, 1, 0, grid_grey);
        line(&c, left - 4 * sc, y, left, y, sc, 0, black);
        text(&c, ay.label[i], left - 6 * sc - text_width(ay.label[i], sc), y - glyph_h / 2, sc, black);
    }
    /* series, clipped to the plot area by skipping segments with an end outside it */
    for (int i = 0; i < s->series_count; i++) {
        const plot_series *p = &s->series[i];
        for (int64_t k = 1; k < p->count; k++) {
            double x0 = p->x[k - 1], y0 = p->y[k - 1], x1 = p->x[k], y1 = p->y[k];
            if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1)) continue;
            double px0 = PX(x0), py0 = PY(y0), px1 = PX(x1), py1 = PY(y1);
            if (fmin(px0, px1) < left - 1 || fmax(px0, px1) > right + 1 || fmin(py0, py1) < top - 1 ||
                fmax(py0, py1) > bottom + 1)
                continue;
            line(&c, px0, py0, px1, py1, 2 * sc, p->dashed, p->rgb);
        }
    }
#undef PX
#undef PY
    /* frame, labels, title, legend */
    line(&c, left, top, right, top, 1, 0, black);
    line(&c, left, bottom, right, bottom, sc, 0, black);
    line(&c, left, top, left, bottom, sc, 0, black);
    line(&c, right, top, right, bottom, 1, 0, black);
    if (s->x_label)
        text(&c, s->x_label, (left + right) / 2 - text_width(s->x_label, sc) / 2, h - 6 * sc - glyph_h, sc, black);
    if (s->y_label)
        text_vertical(&c, s->y_label, 6 * sc, (top + bottom) / 2 + text_width(s->y_label, sc) / 2, sc, black);
    if (s->title) text(&c, s->title, w / 2 - text_width(s->title, sc) / 2, 6 * sc, sc, black);
    int legend_y = top + 6 * sc;
    for (int i = 0; i < s->series_count; i++) {
        const plot_series *p = &s->series[i];
        if (!p->label) continue;
        int x = right - 8 * sc - text_width(p->label, sc);
        line(&c, x - 26 * sc, legend_y + glyph_h / 2, x - 6 * sc, legend_y + glyph_h / 2, 2 * sc, p->dashed, p->rgb);
        text(&c, p->label, x, legend_y, sc, black);
        legend_y += glyph_h + 5 * sc;
    }
    *rgb = c.rgb;
    *width = w;
    *height = h;
    return MUMLOC_OK;
}

typedef struct png_source {
    const unsigned char *rgb;
    int width;
} png_source;

static void png_row(void *user, int y, unsigned char *out) {
    const png_source *src = user;
    memcpy(out, src->rgb + 3 * (size_t)y * src->width, 3 * (size_t)src->width);
}

mumloc_status plot_write_png(const plot_spec *s, const char *path) {
    if (!path || !*path) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "plot: a PNG path is required");
    unsigned char *rgb;
    int w, h;
    ERROR_TRY(plot_render_rgb(s, &rgb, &w, &h));
    atomic_file af = {0};
    mumloc_status st = atomic_open(&af, path);
    if (st == MUMLOC_OK) {
        png_source src = {rgb, w};
        st = png_write_rgb(af.file, path, w, h, 0.0, png_row, &src);
        if (st == MUMLOC_OK) st = atomic_commit(&af);
        else atomic_abort(&af);
    }
    free(rgb);
    return st;
}
