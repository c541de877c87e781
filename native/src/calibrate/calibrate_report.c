/* The calibration report: one PNG a person can judge at a glance. One panel per plane (each bead's
 * measured width against its depth, the fitted defocus curve over them), one with the registration
 * residual vectors of every camera over the field (magnified), one with the scan's lateral drift. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate_report.h"
#include "core/error.h"
#include "io/atomic_file.h"
#include "io/png_write.h"
#include "optics/psf.h"
#include "render/plot_png.h"

#define PANEL_W 560
#define PANEL_H 380
#define COLUMNS 3

static const unsigned char CAMERA_RGB[MUMLOC_MAX_PLANES][3] = {
    {0, 0, 0},     {214, 39, 40}, {31, 119, 180}, {44, 160, 44},
    {148, 103, 189}, {255, 127, 14}, {140, 86, 75}, {23, 190, 207}};

typedef struct canvas {
    unsigned char *rgb;
    int width, height;
} canvas;

static void paste(canvas *c, const unsigned char *rgb, int w, int h, int x0, int y0) {
    for (int y = 0; y < h && y0 + y < c->height; y++)
        memcpy(c->rgb + ((size_t)(y0 + y) * c->width + x0) * 3, rgb + (size_t)y * w * 3,
               (size_t)w * 3);
}

static mumloc_status draw(canvas *c, int panel, const plot_spec *spec) {
    unsigned char *rgb;
    int w, h;
    ERROR_TRY(plot_render_rgb(spec, &rgb, &w, &h));
    paste(c, rgb, w, h, (panel % COLUMNS) * PANEL_W, (panel / COLUMNS) * PANEL_H);
    free(rgb);
    return MUMLOC_OK;
}

/* Appends a small cross at (x, y) (half sizes hx, hy) to a polyline broken by NaN. */
static void cross(double *px, double *py, int64_t *n, double x, double y, double hx, double hy) {
    double pts[6][2] = {{x - hx, y}, {x + hx, y}, {NAN, NAN}, {x, y - hy}, {x, y + hy}, {NAN, NAN}};
    for (int k = 0; k < 6; k++) {
        px[*n] = pts[k][0];
        py[*n] = pts[k][1];
        (*n)++;
    }
}

static double nice_number(double v) {
    double e = pow(10.0, floor(log10(v))), m = v / e;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * e;
}

static mumloc_status plane_panel(canvas *c, int panel, const cal_result *r, const cal_input *in,
                                 int d) {
    const cal_psf_fit *f = &r->psf;
    size_t n_pts = (size_t)r->beads * r->steps;
    double *px = malloc((n_pts * 6 + 1) * sizeof *px), *py = malloc((n_pts * 6 + 1) * sizeof *py);
    double cx[201], cy[201];
    if (!px || !py) {
        free(px);
        free(py);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the calibration report");
    }
    double z_lo = INFINITY, z_hi = -INFINITY;
    for (int b = 0; b < r->beads; b++) {
        if (!isfinite(f->bead_z_nm[b])) continue;
        double z0 = f->bead_z_nm[b], z1 = z0 + (r->steps - 1) * in->z_step_nm;
        z_lo = fmin(z_lo, fmin(z0, z1));
        z_hi = fmax(z_hi, fmax(z0, z1));
    }
    if (!isfinite(z_lo)) {
        z_lo = 0;
        z_hi = 1;
    }
    double y_hi = 4.0 * f->w0_nm[d];
    for (int k = 0; k <= 200; k++) {
        cx[k] = z_lo + (z_hi - z_lo) * k / 200.0;
        double w = psf_width(f->w0_nm[d], f->d_nm[d], f->A[d], f->B[d],
                                    f->depth_nm[d] - cx[k]);
        cy[k] = w <= y_hi ? w : NAN;
    }
    int64_t n = 0;
    double hx = 0.006 * (z_hi - z_lo), hy = 0.012 * y_hi;
    for (int b = 0; b < r->beads; b++)
        for (int i = 0; r->present[d][b] && isfinite(f->bead_z_nm[b]) && i < r->steps; i++) {
            const cal_spot *s = &r->spots[d][(size_t)b * r->steps + i];
            double w = s->w * r->nm_per_pixel[d];
            if (s->valid && w <= y_hi)
                cross(px, py, &n, f->bead_z_nm[b] + i * in->z_step_nm, w, hx, hy);
        }
    char title[160], measured[64];
    snprintf(title, sizeof title, "plane %d: focus %.0f nm, w0 %.1f nm, d %.0f nm, T %.3f", d + 1,
             f->depth_nm[d], f->w0_nm[d], f->d_nm[d], f->transmission[d]);
    snprintf(measured, sizeof measured, "beads (%d)", f->beads[d]);
    plot_series series[2] = {{px, py, n, {150, 150, 150}, 0, measured},
                             {cx, cy, 201, {CAMERA_RGB[d][0], CAMERA_RGB[d][1], CAMERA_RGB[d][2]},
                              0, "fit"}};
    if (d == 0) series[1].rgb[0] = series[1].rgb[1] = series[1].rgb[2] = 0;
    plot_spec spec;
    plot_spec_default(&spec);
    spec.title = title;
    spec.x_label = "bead depth z (nm)";
    spec.y_label = "PSF width (nm)";
    spec.width = PANEL_W;
    spec.height = PANEL_H;
    spec.x_min = z_lo;
    spec.x_max = z_hi;
    spec.y_min = 0;
    spec.y_max = y_hi;
    spec.series = series;
    spec.series_count = 2;
    mumloc_status st = draw(c, panel, &spec);
    free(px);
    free(py);
    return st;
}

static mumloc_status residual_panel(canvas *c, int panel, const cal_result *r, const cal_input *in) {
    int k = in->cameras;
    size_t per = (size_t)r->beads * 6 + 1;
    double *px = malloc(per * k * sizeof *px), *py = malloc(per * k * sizeof *py);
    if (!px || !py) {
        free(px);
        free(py);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the calibration report");
    }
    const double p = in->pixel_nm, field = fmax(in->width, in->height) * p;
    double largest = 0;
    for (int d = 1; d < k; d++)
        for (int b = 0; b < r->beads; b++)
            if (isfinite(r->res_x[d][b]))
                largest = fmax(largest, hypot(r->res_x[d][b], r->res_y[d][b]) * p);
    double gain = largest > 0 ? nice_number(0.08 * field / largest) : 1;
    plot_series series[MUMLOC_MAX_PLANES];
    char labels[MUMLOC_MAX_PLANES][64];
    int count = 0;
    for (int d = 1; d < k; d++) {
        double *sx = px + per * (d - 1), *sy = py + per * (d - 1);
        int64_t n = 0;
        for (int b = 0; b < r->beads; b++) {
            if (!isfinite(r->res_x[d][b])) continue;
            double x = r->ref_x[b] * p, y = r->ref_y[b] * p;
            double pts[3][2] = {{x, y},
                                {x + gain * r->res_x[d][b] * p, y + gain * r->res_y[d][b] * p},
                                {NAN, NAN}};
            for (int q = 0; q < 3; q++) {
                sx[n] = pts[q][0];
                sy[n] = pts[q][1];
                n++;
            }
        }
        snprintf(labels[count], sizeof labels[count], "camera %d: %.1f nm RMS", d + 1,
                 r->residual_nm[d]);
        series[count] = (plot_series){sx, sy, n, {CAMERA_RGB[d][0], CAMERA_RGB[d][1],
                                                  CAMERA_RGB[d][2]}, 0, labels[count]};
        count++;
    }
    /* Where the reference's beads are (also with one camera, where there is nothing to register). */
    double *bx = px + per * (k - 1), *by = py + per * (k - 1);
    int64_t nb = 0;
    for (int b = 0; b < r->beads; b++)
        if (isfinite(r->ref_x[b]))
            cross(bx, by, &nb, r->ref_x[b] * p, r->ref_y[b] * p, 0.006 * field, 0.006 * field);
    series[count++] = (plot_series){bx, by, nb, {0, 0, 0}, 0, "beads"};
    char title[128];
    snprintf(title, sizeof title, "registration residuals (arrows x%g) over camera 1's field", gain);
    plot_spec spec;
    plot_spec_default(&spec);
    spec.title = title;
    spec.x_label = "x (nm)";
    spec.y_label = "y (nm, image rows)";
    spec.width = PANEL_W;
    spec.height = PANEL_H;
    spec.x_min = 0;
    spec.x_max = in->width * p;
    spec.y_min = 0;
    spec.y_max = in->height * p;
    spec.series = series;
    spec.series_count = count;
    mumloc_status st = draw(c, panel, &spec);
    free(px);
    free(py);
    return st;
}

static mumloc_status drift_panel(canvas *c, int panel, const cal_result *r, const cal_input *in) {
    double *z = malloc((size_t)r->steps * 3 * sizeof *z);
    if (!z) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the calibration report");
    double *x = z + r->steps, *y = x + r->steps;
    for (int i = 0; i < r->steps; i++) {
        z[i] = i * in->z_step_nm;
        x[i] = r->drift[2 * i] * in->pixel_nm;
        y[i] = r->drift[2 * i + 1] * in->pixel_nm;
    }
    plot_series series[2] = {{z, x, r->steps, {214, 39, 40}, 0, "x"},
                             {z, y, r->steps, {31, 119, 180}, 0, "y"}};
    plot_spec spec;
    plot_spec_default(&spec);
    spec.title = "lateral drift of the beads during the scan (removed)";
    spec.x_label = "stage position (nm from the first step)";
    spec.y_label = "drift (nm)";
    spec.width = PANEL_W;
    spec.height = PANEL_H;
    spec.series = series;
    spec.series_count = 2;
    mumloc_status st = draw(c, panel, &spec);
    free(z);
    return st;
}

typedef struct rows {
    const canvas *c;
} rows;

static void row_fn(void *user, int y, unsigned char *rgb) {
    const canvas *c = ((rows *)user)->c;
    memcpy(rgb, c->rgb + (size_t)y * c->width * 3, (size_t)c->width * 3);
}

mumloc_status cal_report_png(const cal_result *r, const cal_input *in, const char *path) {
    int panels = in->cameras + 2, lines = (panels + COLUMNS - 1) / COLUMNS;
    canvas c = {NULL, COLUMNS * PANEL_W, lines * PANEL_H};
    c.rgb = malloc((size_t)c.width * c.height * 3);
    if (!c.rgb) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the calibration report");
    memset(c.rgb, 255, (size_t)c.width * c.height * 3);
    mumloc_status st = MUMLOC_OK;
    for (int d = 0; d < in->cameras && st == MUMLOC_OK; d++) st = plane_panel(&c, d, r, in, d);
    if (st == MUMLOC_OK) st = residual_panel(&c, in->cameras, r, in);
    if (st == MUMLOC_OK) st = drift_panel(&c, in->cameras + 1, r, in);
    if (st == MUMLOC_OK) {
        atomic_file af = {0};
        st = atomic_open(&af, path);
        if (st == MUMLOC_OK) {
            rows src = {&c};
            st = png_write_rgb(af.file, path, c.width, c.height, 0.0, row_fn, &src);
            if (st == MUMLOC_OK) st = atomic_commit(&af);
            else atomic_abort(&af);
        }
    }
    free(c.rgb);
    return st;
}
