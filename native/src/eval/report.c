/* The evaluation report as text and JSON, built once by the library so that the CLI and Fiji print
 * the same thing. Numbers never depend on the process locale (mumloc_format_number and the JSON
 * writer do the formatting). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "eval/evaluation.h"
#include "io/atomic_file.h"
#include "io/json.h"
#include "io/text_buffer.h"

/* v rounded to `decimals` decimals, or "n/a" when not finite (and "inf" for a tolerance). */
static const char *fixed(double v, int decimals, char *buf) {
    if (isnan(v)) return "n/a";
    if (isinf(v)) return v > 0 ? "inf" : "-inf";
    double scale = pow(10, decimals);
    double rounded = round(v * scale) / scale + 0.0; /* + 0.0 turns -0 into 0 */
    if (mumloc_format_number(rounded, buf, 64) != MUMLOC_OK) return "?";
    return buf;
}

static void text_overall(text_buffer *t, const mumloc_evaluation *e) {
    const mumloc_eval_metrics *m = &e->overall;
    const mumloc_eval_options *o = &e->options;
    char a[64], b[64], c[64], d[64];
    text_printf(t, "Ground truth: %lld molecules; localizations: %lld\n", (long long)m->truths,
                       (long long)m->localizations);
    if (o->tolerance_xy_nm != 0)
        text_printf(t, "Matching: one-to-one per frame, within %s nm laterally and %s nm axially\n",
                           fixed(o->tolerance_xy_nm, 3, a), fixed(o->tolerance_z_nm, 3, b));
    else
        text_printf(t, "Matching: one-to-one per frame, within %s nm in 3D\n",
                           fixed(o->tolerance_nm, 3, a));
    text_printf(t, "TP %lld, FP %lld, FN %lld\n", (long long)m->tp, (long long)m->fp,
                       (long long)m->fn);
    text_printf(t, "Jaccard %s, recall %s, precision %s\n", fixed(m->jaccard, 4, a),
                       fixed(m->recall, 4, b), fixed(m->precision, 4, c));
    text_printf(t, "RMSE lateral %s nm, axial %s nm", fixed(m->rmse_xy_nm, 2, a),
                       fixed(m->rmse_z_nm, 2, b));
    if (isnan(m->crlb_xy_median_nm) && isnan(m->crlb_z_median_nm))
        text_puts(t, " (no CRLB: the localizations have no uncertainty columns)\n");
    else
        text_printf(t, " (median CRLB lateral %s nm, axial %s nm)\n",
                           fixed(m->crlb_xy_median_nm, 2, a), fixed(m->crlb_z_median_nm, 2, b));
    if (!isnan(m->crlb_rmse_xy_nm) || !isnan(m->crlb_rmse_z_nm))
        text_printf(t, "CRLB-limited RMSE on these pairs: lateral %s nm, axial %s nm "
                              "(RMSE / bound: lateral %s, axial %s)\n",
                           fixed(m->crlb_rmse_xy_nm, 2, a), fixed(m->crlb_rmse_z_nm, 2, b),
                           fixed(m->rmse_xy_nm / m->crlb_rmse_xy_nm, 2, c),
                           fixed(m->rmse_z_nm / m->crlb_rmse_z_nm, 2, d));
    text_printf(t, "Bias (localization - truth): x %s nm, y %s nm, z %s nm\n",
                       fixed(m->bias_x_nm, 2, a), fixed(m->bias_y_nm, 2, b), fixed(m->bias_z_nm, 2, c));
}

static void text_bins(text_buffer *t, const mumloc_evaluation *e) {
    if (e->bin_count == 0) return;
    char buf[11][64];
    text_printf(t, "\nPer depth bin (true z, %s nm bins; FP by the localization's own z):\n",
                       fixed(e->options.bin_nm, 3, buf[0]));
    text_printf(t, "%9s %9s %7s %7s %7s %8s %8s %8s %8s %8s %8s\n", "z from", "z to", "TP", "FP",
                       "FN", "Jaccard", "RMSE xy", "RMSE z", "bias z", "CRLB xy", "CRLB z");
    for (int i = 0; i < e->bin_count; i++) {
        const mumloc_eval_bin *bin = &e->bins[i];
        const mumloc_eval_metrics *m = &bin->metrics;
        text_printf(t, "%9s %9s %7lld %7lld %7lld %8s %8s %8s %8s %8s %8s\n",
                           fixed(bin->z_min_nm, 1, buf[0]), fixed(bin->z_max_nm, 1, buf[1]),
                           (long long)m->tp, (long long)m->fp, (long long)m->fn,
                           fixed(m->jaccard, 4, buf[2]), fixed(m->rmse_xy_nm, 2, buf[3]),
                           fixed(m->rmse_z_nm, 2, buf[4]), fixed(m->bias_z_nm, 2, buf[5]),
                           fixed(m->crlb_xy_median_nm, 2, buf[6]), fixed(m->crlb_z_median_nm, 2, buf[7]));
    }
}

static void json_field(text_buffer *t, const char *name, double v, int first) {
    if (!first) text_puts(t, ",");
    json_write_string(t, name);
    text_puts(t, ":");
    json_write_number(t, v);
}

static void json_metrics(text_buffer *t, const mumloc_eval_metrics *m, int first) {
    json_field(t, "truths", (double)m->truths, first);
    json_field(t, "localizations", (double)m->localizations, 0);
    json_field(t, "tp", (double)m->tp, 0);
    json_field(t, "fp", (double)m->fp, 0);
    json_field(t, "fn", (double)m->fn, 0);
    json_field(t, "jaccard", m->jaccard, 0);
    json_field(t, "recall", m->recall, 0);
    json_field(t, "precision", m->precision, 0);
    json_field(t, "rmse_xy_nm", m->rmse_xy_nm, 0);
    json_field(t, "rmse_z_nm", m->rmse_z_nm, 0);
    json_field(t, "bias_x_nm", m->bias_x_nm, 0);
    json_field(t, "bias_y_nm", m->bias_y_nm, 0);
    json_field(t, "bias_z_nm", m->bias_z_nm, 0);
    json_field(t, "crlb_xy_median_nm", m->crlb_xy_median_nm, 0);
    json_field(t, "crlb_z_median_nm", m->crlb_z_median_nm, 0);
    json_field(t, "crlb_rmse_xy_nm", m->crlb_rmse_xy_nm, 0);
    json_field(t, "crlb_rmse_z_nm", m->crlb_rmse_z_nm, 0);
    text_puts(t, "}");
}

static void json_report(text_buffer *t, const mumloc_evaluation *e) {
    const mumloc_eval_options *o = &e->options;
    text_puts(t, "{\"tolerance\":{\"mode\":");
    if (o->tolerance_xy_nm != 0) {
        json_write_string(t, "lateral_axial");
        json_field(t, "xy_nm", o->tolerance_xy_nm, 0);
        json_field(t, "z_nm", o->tolerance_z_nm, 0);
    } else {
        json_write_string(t, "3d");
        json_field(t, "nm", o->tolerance_nm, 0);
    }
    text_puts(t, "}");
    json_field(t, "bin_nm", o->bin_nm, 0);
    text_puts(t, ",\"overall\":{");
    json_metrics(t, &e->overall, 1);
    text_puts(t, ",\"bins\":[");
    for (int i = 0; i < e->bin_count; i++) {
        text_puts(t, i ? ",{" : "{");
        json_field(t, "z_min_nm", e->bins[i].z_min_nm, 1);
        json_field(t, "z_max_nm", e->bins[i].z_max_nm, 0);
        json_metrics(t, &e->bins[i].metrics, 0);
    }
    text_puts(t, "]}");
}

mumloc_status eval_build_reports(mumloc_evaluation *e) {
    text_buffer text = {0}, json = {0};
    text_overall(&text, e);
    text_bins(&text, e);
    json_report(&json, e);
    mumloc_status s = text_status(&text);
    if (s == MUMLOC_OK) s = text_status(&json);
    if (s != MUMLOC_OK) {
        text_free(&text);
        text_free(&json);
        return s;
    }
    e->text = text.data;
    e->json = json.data;
    return MUMLOC_OK;
}

mumloc_status mumloc_evaluation_save_json(const mumloc_evaluation *e, const char *path) {
    if (!e || !path)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "evaluation_save_json: evaluation and path are required");
    atomic_file af = {0};
    ERROR_TRY(atomic_open(&af, path));
    if (fputs(e->json, af.file) == EOF || fputc('\n', af.file) == EOF) {
        mumloc_status s = error_fail(MUMLOC_ERR_IO, "cannot write '%s': %s", path, strerror(errno));
        atomic_abort(&af);
        return s;
    }
    return atomic_commit(&af);
}
