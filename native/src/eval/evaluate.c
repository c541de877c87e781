/* mumloc_evaluate: checks the tables, matches each frame optimally (match.h), then scores. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "eval/evaluation.h"
#include "eval/match.h"
#include "table/table.h"

/* Bins beyond this are refused: the report would be unreadable and the width is surely a slip. */
#define MAX_BINS 10000

void mumloc_eval_options_default(mumloc_eval_options *o) {
    if (!o) return;
    o->tolerance_nm = 150;
    o->tolerance_xy_nm = 0;
    o->tolerance_z_nm = 0;
    o->bin_nm = 200;
}

mumloc_status mumloc_eval_options_validate(const mumloc_eval_options *o) {
    if (!o) return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "evaluation options are NULL");
    int separate = o->tolerance_xy_nm != 0 || o->tolerance_z_nm != 0;
    if (!separate && !(o->tolerance_nm > 0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "tolerance_nm must be > 0 (nm; +Infinity allowed)");
    if (separate && !(o->tolerance_xy_nm > 0 && o->tolerance_z_nm > 0))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "tolerance_xy_nm and tolerance_z_nm must both be > 0 (nm; +Infinity "
                           "allowed), or both 0 to use the 3D tolerance_nm");
    if (!(o->bin_nm > 0) || !isfinite(o->bin_nm))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "bin_nm must be a finite number > 0 (nm)");
    return MUMLOC_OK;
}

/* "the truth table ('truth.csv')" */
static void describe(const mumloc_table *t, const char *role, char *out, size_t cap) {
    if (t->label && *t->label) snprintf(out, cap, "the %s table ('%s')", role, t->label);
    else snprintf(out, cap, "the %s table", role);
}

static mumloc_status length_column(const mumloc_table *t, const char *what, const char *name,
                                   int required, const double **out) {
    *out = NULL;
    int c = mumloc_table_find_column(t, name, NULL);
    if (c < 0) {
        if (!required) return MUMLOC_OK;
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%s has no column \"%s\"; evaluation needs frame, x, y and z (nm)", what, name);
    }
    const char *unit = t->units[c];
    if (*unit && strcmp(unit, "nm") != 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%s: column \"%s\" is in %s, evaluation needs nm; convert it first (the "
                           "camera pixel size converts px)",
                           what, name, unit);
    *out = t->data[c];
    return MUMLOC_OK;
}

static mumloc_status read_columns(const mumloc_table *t, const char *role, int localizations,
                                  eval_columns *cols) {
    char what[600];
    describe(t, role, what, sizeof what);
    int frame = mumloc_table_find_column(t, "frame", NULL);
    if (frame < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "%s has no column \"frame\"; evaluation needs frame, x, y and z (nm)", what);
    cols->frame = t->data[frame];
    ERROR_TRY(length_column(t, what, "x", 1, &cols->x));
    ERROR_TRY(length_column(t, what, "y", 1, &cols->y));
    ERROR_TRY(length_column(t, what, "z", 1, &cols->z));
    cols->crlb_xy = cols->crlb_z = NULL;
    if (localizations) {
        ERROR_TRY(length_column(t, what, "uncertainty_xy", 0, &cols->crlb_xy));
        if (!cols->crlb_xy) ERROR_TRY(length_column(t, what, "uncertainty", 0, &cols->crlb_xy));
        ERROR_TRY(length_column(t, what, "uncertainty_z", 0, &cols->crlb_z));
    }
    const char *names[4] = {"frame", "x", "y", "z"};
    const double *data[4] = {cols->frame, cols->x, cols->y, cols->z};
    for (int64_t r = 0; r < t->rows; r++)
        for (int k = 0; k < 4; k++)
            if (!isfinite(data[k][r])) {
                char text[64];
                mumloc_format_number(data[k][r], text, sizeof text);
                return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                   "%s, row %lld: %s is %s; every row needs a finite frame, x, y and z",
                                   what, (long long)r + 1, names[k], text);
            }
    return MUMLOC_OK;
}

typedef struct frame_row {
    double frame;
    int64_t row;
} frame_row;

static int compare_frame_row(const void *a, const void *b) {
    const frame_row *x = a, *y = b;
    if (x->frame != y->frame) return x->frame < y->frame ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* Rows sorted by (frame, row). */
static frame_row *sorted_rows(const double *frame, int64_t rows) {
    frame_row *out = malloc((size_t)(rows > 0 ? rows : 1) * sizeof *out);
    if (!out) return NULL;
    for (int64_t r = 0; r < rows; r++) out[r] = (frame_row){frame[r], r};
    qsort(out, (size_t)rows, sizeof *out, compare_frame_row);
    return out;
}

typedef struct frame_scratch {
    point3 *truths, *locs;
    int64_t *truth_match, *loc_match;
} frame_scratch;

static mumloc_status match_one_frame(const match_tolerance *tol, const eval_columns *tc,
                                     const frame_row *t_rows, int64_t nt,
                                     const eval_columns *lc, const frame_row *l_rows,
                                     int64_t nl, frame_scratch *s, mumloc_evaluation *e) {
    for (int64_t i = 0; i < nt; i++) {
        int64_t r = t_rows[i].row;
        s->truths[i] = (point3){tc->x[r], tc->y[r], tc->z[r]};
    }
    for (int64_t j = 0; j < nl; j++) {
        int64_t r = l_rows[j].row;
        s->locs[j] = (point3){lc->x[r], lc->y[r], lc->z[r]};
    }
    ERROR_TRY(match_frame(tol, s->truths, nt, s->locs, nl, s->truth_match, s->loc_match,
                                  MATCH_AUTO));
    for (int64_t i = 0; i < nt; i++)
        e->truth_match[t_rows[i].row] = s->truth_match[i] < 0 ? -1 : l_rows[s->truth_match[i]].row;
    for (int64_t j = 0; j < nl; j++)
        e->loc_match[l_rows[j].row] = s->loc_match[j] < 0 ? -1 : t_rows[s->loc_match[j]].row;
    return MUMLOC_OK;
}

/* Progress of the matching: rows done of both tables, reported every PROGRESS_ROWS rows. */
#define PROGRESS_ROWS 65536

typedef struct eval_progress {
    mumloc_progress_fn fn;
    void *user;
    int64_t next; /* report once this many rows are done */
} eval_progress;

static mumloc_status report(eval_progress *p, int64_t done, int64_t total) {
    if (!p->fn || done < p->next) return MUMLOC_OK;
    p->next = done + PROGRESS_ROWS;
    if (p->fn(p->user, done, total))
        return error_fail(MUMLOC_ERR_CANCELLED, "evaluate: cancelled after %lld of %lld rows",
                           (long long)done, (long long)total);
    return MUMLOC_OK;
}

/* Walks both tables frame by frame (merge of the two sorted row lists). */
static mumloc_status match_all(mumloc_evaluation *e, const eval_columns *tc,
                               const eval_columns *lc, eval_progress *progress) {
    const mumloc_eval_options *o = &e->options;
    match_tolerance tol = {o->tolerance_xy_nm != 0, o->tolerance_nm, o->tolerance_xy_nm,
                                  o->tolerance_z_nm};
    int64_t nt = e->truth_rows, nl = e->loc_rows, most = nt > nl ? nt : nl;
    frame_row *t_rows = sorted_rows(tc->frame, nt), *l_rows = sorted_rows(lc->frame, nl);
    frame_scratch s = {malloc((size_t)(nt + 1) * sizeof *s.truths), malloc((size_t)(nl + 1) * sizeof *s.locs),
                       malloc((size_t)(most + 1) * sizeof *s.truth_match),
                       malloc((size_t)(most + 1) * sizeof *s.loc_match)};
    mumloc_status status = MUMLOC_OK;
    if (!t_rows || !l_rows || !s.truths || !s.locs || !s.truth_match || !s.loc_match)
        status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory evaluating %lld + %lld rows",
                             (long long)nt, (long long)nl);
    for (int64_t i = 0, j = 0; status == MUMLOC_OK && (i < nt || j < nl);) {
        double frame = i < nt && (j >= nl || t_rows[i].frame <= l_rows[j].frame) ? t_rows[i].frame
                                                                                 : l_rows[j].frame;
        int64_t i_end = i, j_end = j;
        while (i_end < nt && t_rows[i_end].frame == frame) i_end++;
        while (j_end < nl && l_rows[j_end].frame == frame) j_end++;
        status = match_one_frame(&tol, tc, t_rows + i, i_end - i, lc, l_rows + j, j_end - j, &s, e);
        i = i_end;
        j = j_end;
        if (status == MUMLOC_OK) status = report(progress, i + j, nt + nl);
    }
    free(t_rows);
    free(l_rows);
    free(s.truths);
    free(s.locs);
    free(s.truth_match);
    free(s.loc_match);
    return status;
}

static mumloc_status evaluate(mumloc_evaluation *e, const mumloc_table *truth,
                              const mumloc_table *locs, eval_progress *progress) {
    eval_columns tc, lc;
    ERROR_TRY(read_columns(truth, "truth", 0, &tc));
    ERROR_TRY(read_columns(locs, "localization", 1, &lc));
    e->truth_rows = truth->rows;
    e->loc_rows = locs->rows;
    e->truth_match = malloc((size_t)(truth->rows + 1) * sizeof *e->truth_match);
    e->loc_match = malloc((size_t)(locs->rows + 1) * sizeof *e->loc_match);
    if (!e->truth_match || !e->loc_match)
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory evaluating");
    ERROR_TRY(match_all(e, &tc, &lc, progress));
    if (truth->rows > 0) {
        double lo = INFINITY, hi = -INFINITY;
        for (int64_t r = 0; r < truth->rows; r++) {
            lo = fmin(lo, tc.z[r]);
            hi = fmax(hi, tc.z[r]);
        }
        double bins = floor(hi / e->options.bin_nm) - floor(lo / e->options.bin_nm) + 1;
        if (!(bins <= MAX_BINS)) {
            char span[64], width[64];
            mumloc_format_number(round(hi - lo), span, sizeof span);
            mumloc_format_number(e->options.bin_nm, width, sizeof width);
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "the true z spans %s nm: bins of %s nm would make more than %d depth "
                               "bins; use wider bins",
                               span, width, MAX_BINS);
        }
        e->bin_count = (int)bins;
        e->bins = calloc((size_t)e->bin_count, sizeof *e->bins);
        if (!e->bins) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory evaluating");
        double first = floor(lo / e->options.bin_nm);
        e->first_bin = first;
        for (int b = 0; b < e->bin_count; b++) {
            e->bins[b].z_min_nm = (first + b) * e->options.bin_nm;
            e->bins[b].z_max_nm = (first + b + 1) * e->options.bin_nm;
        }
    }
    ERROR_TRY(eval_compute_metrics(e, &tc, &lc));
    return eval_build_reports(e);
}

mumloc_status mumloc_evaluate(const mumloc_table *truth, const mumloc_table *localizations,
                              const mumloc_eval_options *options, mumloc_evaluation **out) {
    return mumloc_evaluate_progress(truth, localizations, options, out, NULL, NULL);
}

mumloc_status mumloc_evaluate_progress(const mumloc_table *truth, const mumloc_table *localizations,
                                       const mumloc_eval_options *options, mumloc_evaluation **out,
                                       mumloc_progress_fn progress_fn, void *user) {
    if (!truth || !localizations || !out)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "evaluate: the truth table, the localization table and out are required");
    *out = NULL;
    mumloc_eval_options defaults;
    mumloc_eval_options_default(&defaults);
    if (!options) options = &defaults;
    ERROR_TRY(mumloc_eval_options_validate(options));
    mumloc_evaluation *e = calloc(1, sizeof *e);
    if (!e) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory evaluating");
    e->options = *options;
    eval_progress progress = {progress_fn, user, PROGRESS_ROWS};
    mumloc_status s = evaluate(e, truth, localizations, &progress);
    if (s != MUMLOC_OK) {
        mumloc_evaluation_destroy(e);
        return s;
    }
    *out = e;
    return MUMLOC_OK;
}

void mumloc_evaluation_destroy(mumloc_evaluation *e) {
    if (!e) return;
    free(e->bins);
    free(e->truth_match);
    free(e->loc_match);
    free(e->text);
    free(e->json);
    free(e);
}

const mumloc_eval_metrics *mumloc_evaluation_overall(const mumloc_evaluation *e) {
    return e ? &e->overall : NULL;
}
int mumloc_evaluation_bin_count(const mumloc_evaluation *e) { return e ? e->bin_count : 0; }
const mumloc_eval_bin *mumloc_evaluation_bin(const mumloc_evaluation *e, int i) {
    return (e && i >= 0 && i < e->bin_count) ? &e->bins[i] : NULL;
}
const int64_t *mumloc_evaluation_localization_matches(const mumloc_evaluation *e) {
    return e ? e->loc_match : NULL;
}
const int64_t *mumloc_evaluation_truth_matches(const mumloc_evaluation *e) {
    return e ? e->truth_match : NULL;
}
const char *mumloc_evaluation_text(const mumloc_evaluation *e) { return e ? e->text : NULL; }
const char *mumloc_evaluation_json(const mumloc_evaluation *e) { return e ? e->json : NULL; }
