/* Fiducial drift (see mumloc.h): beads are found in the first frames as grid cells visited in most
 * of them, tracked through the movie by nearest neighbour, kept if seen in enough frames and if they
 * hold still between frames (a track hopping along a dense structure is no bead), and averaged with
 * per-bead origins (alternating least squares, so beads missing in some frames do not bias the
 * mean). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "postprocess/drift_internal.h"

/* Beads are looked for in the first max(MIN_WINDOW, span / WINDOW_DIVISOR) frames. */
#define MIN_WINDOW 20
#define WINDOW_DIVISOR 20
#define MAX_BEADS 200
#define MAX_CANDIDATES 100000
/* A neighbourhood with more than this many localizations per frame is a structure, not a bead. */
#define DENSE_SHARE 3.0
/* A bead's median step between frames is below this share of the tracking radius. */
#define STILL_SHARE 0.25
#define ROUNDS 5
#define REJECT_SCATTER 3.0

typedef struct bead_tracks {
    int count;
    double *pos; /* count × frames × 3 (NaN where unseen) */
} bead_tracks;

/* A row and its x, for the rows of a frame sorted by x. */
typedef struct sorted_row {
    double x;
    int64_t row;
} sorted_row;

static int by_x(const void *a, const void *b) {
    const sorted_row *p = a, *q = b;
    if (p->x != q->x) return p->x < q->x ? -1 : 1;
    return p->row < q->row ? -1 : p->row > q->row;
}

/* Rows grouped by frame, each frame's sorted by x (so that tracking searches only the rows within
 * its radius in x): rows of frame first + k are order[start[k] .. start[k + 1]). */
static mumloc_status by_frame(const drift_points *p, int64_t frames, int64_t **start,
                              sorted_row **order) {
    *start = calloc((size_t)frames + 1, sizeof **start);
    *order = malloc((size_t)p->n * sizeof **order);
    int64_t *fill = malloc((size_t)frames * sizeof *fill);
    if (!*start || !*order || !fill) {
        free(fill);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory");
    }
    for (int64_t r = 0; r < p->n; r++) (*start)[(int64_t)p->frame[r] - p->first_frame + 1]++;
    for (int64_t k = 0; k < frames; k++) (*start)[k + 1] += (*start)[k];
    memcpy(fill, *start, (size_t)frames * sizeof *fill);
    for (int64_t r = 0; r < p->n; r++)
        (*order)[fill[(int64_t)p->frame[r] - p->first_frame]++] = (sorted_row){p->x[r], r};
    free(fill);
    for (int64_t k = 0; k < frames; k++)
        qsort(*order + (*start)[k], (size_t)((*start)[k + 1] - (*start)[k]), sizeof **order, by_x);
    return MUMLOC_OK;
}

/* Candidate positions: cells (of the tracking radius) whose 3×3 neighbourhood holds between
 * presence × window and DENSE_SHARE × window localizations, local maxima of the cell count, one per
 * neighbourhood; those nearest one localization per frame first. */
typedef struct candidate {
    double x, y;
    int64_t unlikeness; /* |localizations − window frames|: 0 for a bead seen in every frame */
} candidate;

static int bead_likeness(const void *a, const void *b) {
    const candidate *p = a, *q = b;
    if (p->unlikeness != q->unlikeness) return p->unlikeness < q->unlikeness ? -1 : 1;
    return p->y != q->y ? (p->y < q->y ? -1 : 1) : (p->x < q->x ? -1 : p->x > q->x);
}

/* Candidates, most bead-like first. */
static int find_candidates(const drift_points *p, const int64_t *start, const sorted_row *order,
                           int64_t window, double cell, double presence, candidate *cand) {
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int64_t k = 0; k < start[window]; k++) {
        int64_t r = order[k].row;
        x0 = fmin(x0, p->x[r]);
        x1 = fmax(x1, p->x[r]);
        y0 = fmin(y0, p->y[r]);
        y1 = fmax(y1, p->y[r]);
    }
    int nx = (int)((x1 - x0) / cell) + 1, ny = (int)((y1 - y0) / cell) + 1;
    if ((double)nx * ny > 1e8) return -1;
    int *count = calloc((size_t)nx * ny, sizeof *count);
    int *sum = calloc((size_t)nx * ny, sizeof *sum);
    if (!count || !sum) {
        free(count);
        free(sum);
        return -1;
    }
    for (int64_t k = 0; k < start[window]; k++) {
        int64_t r = order[k].row;
        count[(int)((p->y[r] - y0) / cell) * nx + (int)((p->x[r] - x0) / cell)]++;
    }
    for (int iy = 0; iy < ny; iy++)
        for (int ix = 0; ix < nx; ix++) {
            int s = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int jx = ix + dx, jy = iy + dy;
                    if (jx >= 0 && jy >= 0 && jx < nx && jy < ny) s += count[jy * nx + jx];
                }
            sum[iy * nx + ix] = s;
        }
    int found = 0;
    for (int iy = 0; iy < ny && found < MAX_CANDIDATES; iy++)
        for (int ix = 0; ix < nx && found < MAX_CANDIDATES; ix++) {
            int s = sum[iy * nx + ix], c = count[iy * nx + ix];
            /* A bead adds one localization per frame; far more is a dense structure. */
            if (c == 0 || s < presence * (double)window || s > DENSE_SHARE * (double)window) continue;
            int peak = 1;
            for (int dy = -1; dy <= 1 && peak; dy++)
                for (int dx = -1; dx <= 1; dx++) {
                    int jx = ix + dx, jy = iy + dy;
                    if ((dx || dy) && jx >= 0 && jy >= 0 && jx < nx && jy < ny) {
                        int other = count[jy * nx + jx];
                        /* Ties go to the first cell in scan order. */
                        if (other > c || (other == c && (dy < 0 || (dy == 0 && dx < 0)))) {
                            peak = 0;
                            break;
                        }
                    }
                }
            if (!peak) continue;
            cand[found].x = x0 + (ix + 0.5) * cell;
            cand[found].y = y0 + (iy + 0.5) * cell;
            cand[found].unlikeness = llabs((int64_t)s - window);
            found++;
        }
    free(count);
    free(sum);
    qsort(cand, (size_t)found, sizeof *cand, bead_likeness);
    return found;
}

/* Follows a bead from (x, y) through frames [0, frames); returns the frames it was seen in and
 * *still the median step between consecutive sightings (steps: scratch of frames values). */
static int64_t track(const drift_points *p, const int64_t *start, const sorted_row *order,
                     int64_t frames, double radius, double x, double y, double *pos, double *steps,
                     double *still) {
    int64_t seen = 0, moves = 0;
    for (int64_t k = 0; k < frames; k++) {
        double best = radius * radius;
        int64_t pick = -1;
        /* The first row with x ≥ x − radius, then the rows up to x + radius. */
        int64_t lo = start[k], hi = start[k + 1];
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (order[mid].x < x - radius) lo = mid + 1;
            else hi = mid;
        }
        for (int64_t i = lo; i < start[k + 1] && order[i].x <= x + radius; i++) {
            int64_t r = order[i].row;
            double ex = p->x[r] - x, ey = p->y[r] - y, e = ex * ex + ey * ey;
            if (e <= best) {
                best = e;
                pick = r;
            }
        }
        double *q = pos + 3 * k;
        if (pick < 0) {
            q[0] = q[1] = q[2] = NAN;
            continue;
        }
        if (seen > 0) steps[moves++] = sqrt(best);
        x = q[0] = p->x[pick];
        y = q[1] = p->y[pick];
        q[2] = p->z ? p->z[pick] : 0.0;
        seen++;
    }
    qsort(steps, (size_t)moves, sizeof *steps, drift_compare_double);
    *still = moves ? steps[moves / 2] : INFINITY;
    return seen;
}

/* Drift per frame and axis from the tracks of the beads in use: d(t) = mean_b (P_b(t) − m_b),
 * m_b = mean_t (P_b(t) − d(t)), alternated; frames without beads interpolated linearly (constant
 * beyond the ends). mean: 3 × beads scratch (the bead origins). */
static void average_tracks(const bead_tracks *b, const unsigned char *use, int64_t frames,
                           double *mean, drift_curve *out) {
    double *d[3] = {out->dx, out->dy, out->dz};
    for (int a = 0; a < 3; a++) {
        double *m = mean + a * MAX_BEADS;
        for (int64_t k = 0; k < frames; k++) d[a][k] = 0.0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < b->count; i++) {
                double sum = 0.0;
                int64_t n = 0;
                for (int64_t k = 0; use[i] && k < frames; k++) {
                    double v = b->pos[((size_t)i * frames + k) * 3 + a];
                    if (!isnan(v)) {
                        sum += v - d[a][k];
                        n++;
                    }
                }
                m[i] = n ? sum / (double)n : 0.0;
            }
            for (int64_t k = 0; k < frames; k++) {
                double sum = 0.0;
                int n = 0;
                for (int i = 0; i < b->count; i++) {
                    double v = b->pos[((size_t)i * frames + k) * 3 + a];
                    if (use[i] && !isnan(v)) {
                        sum += v - m[i];
                        n++;
                    }
                }
                d[a][k] = n ? sum / n : NAN;
            }
        }
        int64_t last = -1;
        for (int64_t k = 0; k < frames; k++) {
            if (isnan(d[a][k])) continue;
            for (int64_t j = last + 1; j < k; j++)
                d[a][j] = last < 0 ? d[a][k]
                                   : d[a][last] + (d[a][k] - d[a][last]) * (double)(j - last) /
                                                      (double)(k - last);
            last = k;
        }
        for (int64_t j = last + 1; j < frames; j++) d[a][j] = d[a][last];
    }
}

/* Lateral RMS of each bead's track about its origin plus the common drift. */
static void bead_scatter(const bead_tracks *b, int64_t frames, const double *mean,
                         const drift_curve *c, double *rms) {
    for (int i = 0; i < b->count; i++) {
        double sum = 0.0;
        int64_t n = 0;
        for (int64_t k = 0; k < frames; k++) {
            const double *q = b->pos + ((size_t)i * frames + k) * 3;
            if (isnan(q[0])) continue;
            double ex = q[0] - mean[i] - c->dx[k], ey = q[1] - mean[MAX_BEADS + i] - c->dy[k];
            sum += ex * ex + ey * ey;
            n++;
        }
        rms[i] = sqrt(sum / (double)n);
    }
}

/* Averages the tracks; beads that do not follow the common drift (RMS above REJECT_SCATTER times
 * the median bead's, and above 10 nm) are dropped and the average taken again. Returns the beads
 * kept. */
static int robust_average(const bead_tracks *b, int64_t frames, drift_curve *out) {
    double mean[3 * MAX_BEADS], rms[MAX_BEADS], sorted[MAX_BEADS];
    unsigned char use[MAX_BEADS];
    memset(use, 1, sizeof use);
    average_tracks(b, use, frames, mean, out);
    if (b->count < 3) return b->count;
    bead_scatter(b, frames, mean, out, rms);
    memcpy(sorted, rms, (size_t)b->count * sizeof *rms);
    qsort(sorted, (size_t)b->count, sizeof *sorted, drift_compare_double);
    double limit = fmax(REJECT_SCATTER * sorted[b->count / 2], 10.0);
    int kept = 0, dropped = 0;
    for (int i = 0; i < b->count; i++) {
        use[i] = rms[i] <= limit;
        kept += use[i];
        dropped += !use[i];
    }
    if (dropped) average_tracks(b, use, frames, mean, out);
    return kept;
}

mumloc_status drift_fiducial(const drift_points *p, const mumloc_drift_options *o,
                             drift_progress *progress, mumloc_drift_info *info, drift_curve *out) {
    int64_t frames = out->frames;
    int64_t *start = NULL;
    sorted_row *order = NULL;
    double *steps = malloc((size_t)frames * sizeof *steps);
    candidate *cand = malloc(MAX_CANDIDATES * sizeof *cand);
    bead_tracks beads = {0};
    mumloc_status s = steps && cand ? by_frame(p, frames, &start, &order)
                                    : error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory");
    if (s != MUMLOC_OK) goto done;
    int64_t window = frames / WINDOW_DIVISOR;
    if (window < MIN_WINDOW) window = MIN_WINDOW;
    if (window > frames) window = frames;
    int found = find_candidates(p, start, order, window, o->fiducial_radius_nm, o->fiducial_presence,
                                cand);
    if (found < 0) {
        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory for the bead "
                        "search; use a larger --fiducial-radius");
        goto done;
    }
    progress->total = found + 1;
    if ((s = drift_progress_step(progress, 1)) != MUMLOC_OK) goto done;
    beads.pos = malloc((size_t)MAX_BEADS * frames * 3 * sizeof *beads.pos);
    if (!beads.pos) {
        s = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory for %d beads",
                        found);
        goto done;
    }
    double still_limit = STILL_SHARE * o->fiducial_radius_nm;
    for (int c = 0; c < found && beads.count < MAX_BEADS; c++) {
        double *pos = beads.pos + (size_t)beads.count * frames * 3, still;
        /* The first frames first: most candidates on a dense structure fail there, cheaply. */
        int64_t seen = track(p, start, order, window, o->fiducial_radius_nm, cand[c].x, cand[c].y,
                             pos, steps, &still);
        if ((double)seen >= o->fiducial_presence * (double)window && still <= still_limit)
            seen = track(p, start, order, frames, o->fiducial_radius_nm, cand[c].x, cand[c].y, pos,
                         steps, &still);
        else
            seen = 0;
        /* A second candidate on the same bead follows the same localizations: keep one. */
        int duplicate = 0;
        for (int b = 0; b < beads.count && !duplicate; b++) {
            const double *other = beads.pos + (size_t)b * frames * 3;
            int64_t same = 0;
            for (int64_t k = 0; k < frames; k++)
                same += !isnan(pos[3 * k]) && pos[3 * k] == other[3 * k] && pos[3 * k + 1] == other[3 * k + 1];
            duplicate = same * 2 > seen;
        }
        if (!duplicate && still <= still_limit &&
            (double)seen >= o->fiducial_presence * (double)frames)
            beads.count++;
        if ((s = drift_progress_step(progress, 1)) != MUMLOC_OK) goto done;
    }
    if (beads.count == 0) {
        s = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                        "drift correction: no bead is seen in at least %g%% of the %lld frames "
                        "(within %g nm of its last position, holding still); lower "
                        "--fiducial-presence, raise --fiducial-radius, or use --method rcc",
                        100.0 * o->fiducial_presence, (long long)frames, o->fiducial_radius_nm);
        goto done;
    }
    info->beads = robust_average(&beads, frames, out);
done:
    free(start);
    free(order);
    free(beads.pos);
    free(steps);
    free(cand);
    return s;
}
