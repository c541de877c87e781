/* Per-plane defocus curves from the beads' widths through z: one joint weighted least-squares fit
 * over all planes and beads of
 *     w_{d,b,i} = w0_d · sqrt(1 + t² + A_d t³ + B_d t⁴),  t = (D_d − z_b − i·step) / d_d,
 * with each plane's focal depth D_d (plane 1's fixed: the z origin), shape (w0_d, d_d, A_d, B_d) and
 * each bead's own depth z_b at slice 0 (beads need not lie at one depth: a tilted coverslip, beads in
 * gel). The widths come from per-slice maximum-likelihood fits of the pixel-integrated model
 * (bead_track.c), weighted by their Cramér–Rao bounds. Levenberg–Marquardt on the dense normal
 * equations (5 per plane + 1 per bead: a few hundred unknowns at most). Transmissions: the median
 * over beads of each plane's share of a bead's photons near focus. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate_internal.h"
#include "core/error.h"

#define WIDTH_FLOOR 0.005    /* relative model-error floor added to each width's precision */
#define WIDTH_RANGE 3.0      /* widths used: up to this many times the bead's in-focus width */

typedef struct point {
    int plane, bead, slice;
    double w, sigma;         /* nm */
    int used;
} point;

typedef struct problem {
    int planes, beads, steps, params;
    double step, first_depth;
    point *pts;
    int count;
} problem;

/* Parameters: plane d at 5d: D, w0, d, A, B; bead b at 5·planes + b: z_b. */
static double model(const problem *pr, const double *q, const point *p, double jac[6]) {
    const double *pl = q + 5 * p->plane;
    double dd = pl[2], t = (pl[0] - q[5 * pr->planes + p->bead] - p->slice * pr->step) / dd;
    double t2 = t * t, P = 1.0 + t2 + pl[3] * t2 * t + pl[4] * t2 * t2;
    if (P < 1e-6) P = 1e-6;
    double root = sqrt(P), w = pl[1] * root;
    if (jac) {
        double wt = pl[1] * (2.0 * t + 3.0 * pl[3] * t2 + 4.0 * pl[4] * t2 * t) / (2.0 * root);
        jac[0] = wt / dd;                          /* D */
        jac[1] = root;                             /* w0 */
        jac[2] = -wt * t / dd;                     /* d */
        jac[3] = pl[1] * t2 * t / (2.0 * root);    /* A */
        jac[4] = pl[1] * t2 * t2 / (2.0 * root);   /* B */
        jac[5] = -wt / dd;                         /* z_b */
    }
    return w;
}

static double chi2(const problem *pr, const double *q) {
    double sum = 0;
    for (int n = 0; n < pr->count; n++) {
        if (!pr->pts[n].used) continue;
        double r = (pr->pts[n].w - model(pr, q, &pr->pts[n], NULL)) / pr->pts[n].sigma;
        sum += r * r;
    }
    return sum;
}

/* Cholesky solve of the damped normal equations; 0 when not positive definite. */
static int cholesky_solve(double *a, double *b, int n) {
    for (int j = 0; j < n; j++) {
        double s = a[(size_t)j * n + j];
        for (int k = 0; k < j; k++) s -= a[(size_t)j * n + k] * a[(size_t)j * n + k];
        if (!(s > 0)) return 0;
        double l = sqrt(s);
        a[(size_t)j * n + j] = l;
        for (int i = j + 1; i < n; i++) {
            double t = a[(size_t)i * n + j];
            for (int k = 0; k < j; k++) t -= a[(size_t)i * n + k] * a[(size_t)j * n + k];
            a[(size_t)i * n + j] = t / l;
        }
    }
    for (int i = 0; i < n; i++) {
        double t = b[i];
        for (int k = 0; k < i; k++) t -= a[(size_t)i * n + k] * b[k];
        b[i] = t / a[(size_t)i * n + i];
    }
    for (int i = n - 1; i >= 0; i--) {
        double t = b[i];
        for (int k = i + 1; k < n; k++) t -= a[(size_t)k * n + i] * b[k];
        b[i] = t / a[(size_t)i * n + i];
    }
    return 1;
}

/* Levenberg–Marquardt; frozen[k] parameters stay. */
static mumloc_status solve_lm(const problem *pr, double *q, const int *frozen) {
    int n = pr->params;
    double *jtj = malloc((size_t)n * n * 2 * sizeof *jtj), *g = malloc((size_t)n * 3 * sizeof *g);
    if (!jtj || !g) {
        free(jtj);
        free(g);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the PSF fit");
    }
    double *a = jtj + (size_t)n * n, *step = g + n, *trial = step + n;
    double lambda = 1e-3, current = chi2(pr, q);
    for (int it = 0; it < 200; it++) {
        memset(jtj, 0, (size_t)n * n * sizeof *jtj);
        memset(g, 0, (size_t)n * sizeof *g);
        for (int k = 0; k < pr->count; k++) {
            const point *p = &pr->pts[k];
            if (!p->used) continue;
            double jac[6];
            double r = (p->w - model(pr, q, p, jac)) / p->sigma;
            int idx[6] = {5 * p->plane, 5 * p->plane + 1, 5 * p->plane + 2, 5 * p->plane + 3,
                          5 * p->plane + 4, 5 * pr->planes + p->bead};
            for (int u = 0; u < 6; u++) {
                double ju = jac[u] / p->sigma;
                g[idx[u]] += ju * r;
                for (int v = 0; v < 6; v++) jtj[(size_t)idx[u] * n + idx[v]] += ju * jac[v] / p->sigma;
            }
        }
        int accepted = 0;
        while (!accepted && lambda < 1e12) {
            memcpy(a, jtj, (size_t)n * n * sizeof *a);
            for (int k = 0; k < n; k++) {
                step[k] = frozen[k] ? 0 : g[k];
                if (frozen[k]) {
                    for (int m = 0; m < n; m++) a[(size_t)k * n + m] = a[(size_t)m * n + k] = 0;
                    a[(size_t)k * n + k] = 1;
                } else {
                    a[(size_t)k * n + k] += lambda * (jtj[(size_t)k * n + k] + 1e-12);
                }
            }
            if (!cholesky_solve(a, step, n)) {
                lambda *= 10;
                continue;
            }
            for (int k = 0; k < n; k++) trial[k] = q[k] + step[k];
            for (int d = 0; d < pr->planes; d++) { /* keep w0, d positive */
                trial[5 * d + 1] = fmax(trial[5 * d + 1], 0.2 * q[5 * d + 1]);
                trial[5 * d + 2] = fmax(trial[5 * d + 2], 0.2 * q[5 * d + 2]);
                /* and (A, B) where the optics are valid: B in [0, 100], |A| <= 2 sqrt(B), which
                 * keeps w >= w0 at every defocus (an aberrated PSF fitted freely can leave it) */
                double B = fmin(fmax(trial[5 * d + 4], 0.0), 100.0), a_max = 2.0 * sqrt(B);
                trial[5 * d + 4] = B;
                trial[5 * d + 3] = fmin(fmax(trial[5 * d + 3], -a_max), a_max);
            }
            double next = chi2(pr, trial);
            if (isfinite(next) && next <= current) {
                double rel = (current - next) / (current + 1e-300);
                memcpy(q, trial, (size_t)n * sizeof *q);
                current = next;
                lambda = fmax(lambda * 0.3, 1e-9);
                accepted = 1;
                if (rel < 1e-10) it = 1 << 20;
            } else {
                lambda *= 10;
            }
        }
        if (!accepted) break;
    }
    free(jtj);
    free(g);
    return MUMLOC_OK;
}

static int compare_double(const void *pa, const void *pb) {
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

static double median(double *v, int n) {
    if (n <= 0) return NAN;
    qsort(v, (size_t)n, sizeof *v, compare_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void cal_psf_fit_free(cal_psf_fit *fit) {
    free(fit->bead_z_nm);
    fit->bead_z_nm = NULL;
}

mumloc_status cal_psf_curves(cal_spot *const *spots, const int *const *present, int cameras,
                             int beads, int steps, double z_step_nm, const double *nm_per_pixel,
                             double first_depth_nm, const mumloc_optics *start, cal_psf_fit *fit) {
    memset(fit, 0, sizeof *fit);
    problem pr = {cameras, beads, steps, 5 * cameras + beads, z_step_nm, first_depth_nm, NULL, 0};
    size_t cells = (size_t)cameras * beads;
    pr.pts = malloc(cells * steps * sizeof *pr.pts + 1);
    int *focus = malloc(cells * sizeof *focus), *frozen = calloc((size_t)pr.params, sizeof *frozen);
    double *q = calloc((size_t)pr.params, sizeof *q), *tmp = malloc((cells + (size_t)steps + 1) * sizeof *tmp);
    double *focus_w = malloc(cells * sizeof *focus_w);
    fit->bead_z_nm = malloc((size_t)(beads > 0 ? beads : 1) * sizeof *fit->bead_z_nm);
    mumloc_status status = MUMLOC_OK;
    if (!pr.pts || !focus || !frozen || !q || !tmp || !focus_w || !fit->bead_z_nm) {
        status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the PSF fit");
        goto done;
    }
    /* The data points and each bead's sharpest slice in each plane. */
    for (int d = 0; d < cameras; d++)
        for (int b = 0; b < beads; b++) {
            focus[d * beads + b] = -1;
            focus_w[d * beads + b] = INFINITY;
            for (int i = 0; present[d][b] && i < steps; i++) {
                const cal_spot *s = &spots[d][(size_t)b * steps + i];
                if (!s->valid || !s->width_ok) continue;
                double w = s->w * nm_per_pixel[d], sw = s->sw * nm_per_pixel[d];
                pr.pts[pr.count++] = (point){d, b, i, w, sqrt(sw * sw + WIDTH_FLOOR * w * WIDTH_FLOOR * w), 1};
                if (w < focus_w[d * beads + b]) {
                    focus_w[d * beads + b] = w;
                    focus[d * beads + b] = i;
                }
            }
        }
    /* Widths beyond 3 × the bead's sharpest carry little of the curve's information and most of
     * the neighbours' light (defocused beads overlap first): left out. */
    for (int n = 0; n < pr.count; n++) {
        point *p = &pr.pts[n];
        if (p->w > WIDTH_RANGE * focus_w[p->plane * beads + p->bead]) p->used = 0;
    }
    /* A plane whose beads are sharpest at an end of the scan was not scanned through its focus. */
    for (int d = 0; d < cameras; d++) {
        int seen = 0, low = 0, high = 0;
        for (int b = 0; b < beads; b++) {
            int f = focus[d * beads + b];
            if (f < 0) continue;
            seen++;
            low += f == 0;
            high += f == steps - 1;
        }
        if (seen == 0) {
            status = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                 "plane %d: no bead could be measured in any slice; check the "
                                 "camera's offset and gain, and that the scan passes its focus",
                                 d + 1);
            goto done;
        }
        if (2 * low > seen || 2 * high > seen) {
            int at_start = 2 * low > seen;
            double first = 0, last = (steps - 1) * z_step_nm;
            status = error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                                 "the z range misses plane %d's focus: its beads are sharpest at the "
                                 "%s of the scan (stage %.0f to %.0f nm in %d steps); extend the scan "
                                 "by at least %.0f nm at its %s so that every plane's focus lies well "
                                 "inside it",
                                 d + 1, at_start ? "start" : "end", first, last, steps,
                                 4.0 * fabs(z_step_nm) + 400.0, at_start ? "start" : "end");
            goto done;
        }
    }
    /* Starting values: each plane's focus from its beads' sharpest slices, relative to plane 1. */
    for (int b = 0; b < beads; b++) {
        int f = focus[b];
        q[5 * cameras + b] = f >= 0 ? first_depth_nm - f * z_step_nm : NAN;
    }
    for (int d = 0; d < cameras; d++) {
        int n = 0;
        for (int b = 0; b < beads; b++)
            if (focus[d * beads + b] >= 0 && isfinite(q[5 * cameras + b]))
                tmp[n++] = q[5 * cameras + b] + focus[d * beads + b] * z_step_nm;
        q[5 * d] = d == 0 ? first_depth_nm : n ? median(tmp, n) : first_depth_nm + 400.0 * d;
        n = 0;
        for (int b = 0; b < beads; b++)
            if (focus[d * beads + b] >= 0) tmp[n++] = focus_w[d * beads + b];
        q[5 * d + 1] = median(tmp, n);
        q[5 * d + 2] = start->psf_d_nm;
        q[5 * d + 3] = start->psf_A;
        q[5 * d + 4] = start->psf_B;
    }
    for (int b = 0; b < beads; b++) {
        if (isfinite(q[5 * cameras + b])) continue;
        int n = 0;
        for (int d = 0; d < cameras; d++)
            if (focus[d * beads + b] >= 0) tmp[n++] = q[5 * d] - focus[d * beads + b] * z_step_nm;
        q[5 * cameras + b] = n ? median(tmp, n) : 0;
        if (!n) frozen[5 * cameras + b] = 1; /* a bead without data */
    }
    frozen[0] = 1; /* plane 1's focus is the z origin */
    /* Fit, drop widths the curve cannot explain (a neighbour, a dust spot), refit. */
    for (int round = 0; round < 3; round++) {
        status = solve_lm(&pr, q, frozen);
        if (status != MUMLOC_OK) goto done;
        int dropped = 0;
        double spread = fmax(1.0, sqrt(chi2(&pr, q) / fmax(1.0, pr.count - pr.params)));
        for (int k = 0; k < pr.count; k++) {
            point *p = &pr.pts[k];
            if (!p->used) continue;
            double r = (p->w - model(&pr, q, p, NULL)) / p->sigma;
            if (fabs(r) > 5.0 * spread) {
                p->used = 0;
                dropped++;
            }
        }
        if (!dropped) break;
    }
    for (int d = 0; d < cameras; d++) {
        fit->depth_nm[d] = q[5 * d];
        fit->w0_nm[d] = q[5 * d + 1];
        fit->d_nm[d] = q[5 * d + 2];
        fit->A[d] = q[5 * d + 3];
        fit->B[d] = q[5 * d + 4];
        double sum = 0, sum_r = 0;
        int n = 0, with_bead = 0;
        for (int k = 0; k < pr.count; k++) {
            const point *p = &pr.pts[k];
            if (!p->used || p->plane != d) continue;
            double e = p->w - model(&pr, q, p, NULL);
            sum += e * e;
            sum_r += e * e / (p->sigma * p->sigma);
            n++;
        }
        for (int b = 0; b < beads; b++) with_bead += focus[d * beads + b] >= 0;
        fit->points[d] = n;
        fit->beads[d] = with_bead;
        fit->width_rms_nm[d] = n ? sqrt(sum / n) : NAN;
        fit->chi2_dof[d] = n > 5 ? sum_r / (n - 5) : NAN;
    }
    for (int b = 0; b < beads; b++)
        fit->bead_z_nm[b] = frozen[5 * cameras + b] ? NAN : q[5 * cameras + b];
    /* Transmissions: per bead, each plane's median photons over the slices within d of its focus,
     * relative to the bead's mean over planes; the median over beads seen in every plane. */
    {
        double share[MUMLOC_MAX_PLANES] = {0};
        double *per = malloc(cells * sizeof *per);
        if (!per) {
            status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for the PSF fit");
            goto done;
        }
        int complete = 0;
        for (int b = 0; b < beads; b++) {
            double level[MUMLOC_MAX_PLANES], mean = 0;
            int ok = 1;
            for (int d = 0; d < cameras && ok; d++) {
                int n = 0;
                for (int i = 0; present[d][b] && i < steps; i++) {
                    const cal_spot *s = &spots[d][(size_t)b * steps + i];
                    if (!s->valid) continue;
                    double dz = q[5 * d] - q[5 * cameras + b] - i * z_step_nm;
                    if (fabs(dz) <= q[5 * d + 2]) tmp[n++] = s->photons;
                }
                level[d] = median(tmp, n);
                ok = n > 0 && level[d] > 0;
                mean += ok ? level[d] / cameras : 0;
            }
            if (!ok) continue;
            for (int d = 0; d < cameras; d++) per[(size_t)d * beads + complete] = level[d] / mean;
            complete++;
        }
        double total = 0;
        for (int d = 0; d < cameras; d++) {
            share[d] = complete ? median(per + (size_t)d * beads, complete) : 1.0;
            total += share[d];
        }
        for (int d = 0; d < cameras; d++) fit->transmission[d] = share[d] * cameras / total;
        free(per);
    }
done:
    free(pr.pts);
    free(focus);
    free(frozen);
    free(q);
    free(tmp);
    free(focus_w);
    if (status != MUMLOC_OK) cal_psf_fit_free(fit);
    return status;
}
