/* What an FRC result gives out: the one-line text, the JSON, the curve as CSV (through a table, so the
 * library's one CSV writer formats it) and the plot. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "io/json.h"
#include "postprocess/frc_internal.h"
#include "render/plot_png.h"

static const char *split_name(const mumloc_frc *f) {
    return f->options.split == MUMLOC_FRC_SPLIT_RANDOM ? "random" : "frame_blocks";
}

mumloc_status frc_build_reports(mumloc_frc *f) {
    const mumloc_frc_summary *s = &f->summary;
    char split[96];
    if (f->options.split == MUMLOC_FRC_SPLIT_RANDOM)
        snprintf(split, sizeof split, "at random (seed %llu)", (unsigned long long)f->options.seed);
    else snprintf(split, sizeof split, "by alternate blocks of %d frames", f->options.block_frames);
    text_buffer text = {0};
    if (isfinite(s->resolution_nm))
        text_printf(&text, "FRC resolution: %.1f nm", s->resolution_nm);
    else
        text_printf(&text, "FRC resolution: not found: the curve stays above the threshold up to "
                                  "the Nyquist frequency 1/(2 x %g nm), so use a smaller pixel, or the "
                                  "halves share blinks (merge blinks first, or use larger blocks)",
                           s->pixel_nm);
    text_printf(&text, " (threshold %.4g; halves of %lld and %lld localizations split %s; %g nm "
                              "pixels, %d x %d image, smoothed over +-%d rings)",
                       s->threshold, (long long)s->rows_half1, (long long)s->rows_half2, split,
                       s->pixel_nm, s->image_size, s->image_size, s->smooth_rings);
    text_buffer json = {0};
    text_puts(&json, "{\"resolution_nm\":");
    json_write_number(&json, s->resolution_nm);
    text_puts(&json, ",\"threshold\":");
    json_write_number(&json, s->threshold);
    text_puts(&json, ",\"pixel_nm\":");
    json_write_number(&json, s->pixel_nm);
    text_printf(&json, ",\"image_size\":%d,\"smooth_rings\":%d,\"rows_half1\":%lld,"
                              "\"rows_half2\":%lld,\"split\":\"%s\"}",
                       s->image_size, s->smooth_rings, (long long)s->rows_half1,
                       (long long)s->rows_half2, split_name(f));
    mumloc_status st = text_status(&text);
    if (st == MUMLOC_OK) st = text_status(&json);
    if (st != MUMLOC_OK) {
        text_free(&text);
        text_free(&json);
        return st;
    }
    f->text = text.data;
    f->json = json.data;
    return MUMLOC_OK;
}

mumloc_status mumloc_frc_write_curve(const mumloc_frc *f, const char *path) {
    if (!f || !path || !*path) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "frc: result and curve path are required");
    mumloc_table *t = NULL;
    ERROR_TRY(mumloc_table_create(&t));
    const char *names[3] = {"frequency", "frc", "frc_smoothed"}, *units[3] = {"1/nm", "", ""};
    const double *columns[3] = {f->frequency, f->curve, f->smoothed};
    mumloc_status s = MUMLOC_OK;
    for (int c = 0; c < 3 && s == MUMLOC_OK; c++) s = mumloc_table_add_column(t, names[c], units[c], NULL);
    if (s == MUMLOC_OK) s = mumloc_table_set_rows(t, f->summary.rings);
    for (int c = 0; c < 3 && s == MUMLOC_OK; c++) s = mumloc_table_set_column(t, c, 0, columns[c], f->summary.rings);
    if (s == MUMLOC_OK) s = mumloc_table_write_csv(t, path);
    mumloc_table_destroy(t);
    return s;
}

mumloc_status mumloc_frc_write_plot(const mumloc_frc *f, const char *path) {
    if (!f || !path || !*path) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "frc: result and plot path are required");
    const mumloc_frc_summary *s = &f->summary;
    double q_max = f->frequency[s->rings - 1];
    double tx[2] = {0, q_max}, ty[2] = {s->threshold, s->threshold};
    char threshold[48], title[128];
    snprintf(threshold, sizeof threshold, "threshold %.4g", s->threshold);
    if (isfinite(s->resolution_nm))
        snprintf(title, sizeof title, "Fourier ring correlation: resolution %.1f nm", s->resolution_nm);
    else snprintf(title, sizeof title, "Fourier ring correlation: no crossing of the threshold");
    plot_series series[3] = {
        {f->frequency, f->curve, s->rings, {170, 190, 230}, 0, "FRC"},
        {f->frequency, f->smoothed, s->rings, {0, 90, 181}, 0, "FRC smoothed"},
        {tx, ty, 2, {220, 50, 32}, 1, threshold},
    };
    plot_spec spec;
    plot_spec_default(&spec);
    spec.title = title;
    spec.x_label = "spatial frequency (1/nm)";
    spec.y_label = "FRC";
    spec.series = series;
    spec.series_count = 3;
    spec.x_min = 0;
    spec.x_max = q_max;
    spec.y_min = -0.2;
    spec.y_max = 1.05;
    return plot_write_png(&spec, path);
}
