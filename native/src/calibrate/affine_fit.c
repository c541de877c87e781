/* Affine transforms between bead positions: weighted least squares and a robust refit that drops
 * mismatched beads (a neighbour taken for the bead, a bead seen in one camera only). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "calibrate/calibrate_internal.h"

void cal_affine_apply(const double a[6], double x, double y, double *u, double *v) {
    *u = a[0] * x + a[1] * y + a[2];
    *v = a[3] * x + a[4] * y + a[5];
}

int cal_affine_invert(const double a[6], double r[6]) {
    double det = a[0] * a[4] - a[1] * a[3];
    if (!(fabs(det) > 1e-12)) return 0;
    r[0] = a[4] / det;
    r[1] = -a[1] / det;
    r[3] = -a[3] / det;
    r[4] = a[0] / det;
    r[2] = -(r[0] * a[2] + r[1] * a[5]);
    r[5] = -(r[3] * a[2] + r[4] * a[5]);
    return 1;
}

/* Solves the 3×3 system m x = b by Cramer's rule on centred coordinates (well conditioned). */
static int solve3(const double m[9], const double b[3], double x[3]) {
    double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
                 m[2] * (m[3] * m[7] - m[4] * m[6]);
    double scale = fabs(m[0] * m[4] * m[8]) + 1e-300;
    if (!(fabs(det) > 1e-12 * scale)) return 0;
    for (int c = 0; c < 3; c++) {
        double t[9];
        memcpy(t, m, sizeof t);
        for (int r = 0; r < 3; r++) t[3 * r + c] = b[r];
        x[c] = (t[0] * (t[4] * t[8] - t[5] * t[7]) - t[1] * (t[3] * t[8] - t[5] * t[6]) +
                t[2] * (t[3] * t[7] - t[4] * t[6])) / det;
    }
    return 1;
}

int cal_affine_lsq(const double *x, const double *y, const double *u, const double *v,
                   const double *w, int n, double a[6]) {
    if (n < 3) return 0;
    double sw = 0, mx = 0, my = 0;
    for (int i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0;
        sw += wi;
        mx += wi * x[i];
        my += wi * y[i];
    }
    if (!(sw > 0)) return 0;
    mx /= sw;
    my /= sw;
    double m[9] = {0}, bu[3] = {0}, bv[3] = {0};
    for (int i = 0; i < n; i++) {
        double wi = w ? w[i] : 1.0, p[3] = {x[i] - mx, y[i] - my, 1.0};
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) m[3 * r + c] += wi * p[r] * p[c];
            bu[r] += wi * p[r] * u[i];
            bv[r] += wi * p[r] * v[i];
        }
    }
    double cu[3], cv[3];
    if (!solve3(m, bu, cu) || !solve3(m, bv, cv)) return 0;
    a[0] = cu[0];
    a[1] = cu[1];
    a[2] = cu[2] - cu[0] * mx - cu[1] * my;
    a[3] = cv[0];
    a[4] = cv[1];
    a[5] = cv[2] - cv[0] * mx - cv[1] * my;
    return 1;
}

static int compare_double(const void *pa, const void *pb) {
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

int cal_affine_robust(const double *x, const double *y, const double *u, const double *v, int n,
                      double floor_px, double a[6], int *inlier, double *rms) {
    double *w = malloc((size_t)(n > 0 ? n : 1) * 3 * sizeof *w);
    if (!w) return 0;
    double *res = w + n, *sorted = res + n;
    for (int i = 0; i < n; i++) w[i] = 1.0;
    int kept = n, ok = 0;
    for (int round = 0; round < 20; round++) {
        if (!cal_affine_lsq(x, y, u, v, w, n, a)) break;
        ok = 1;
        for (int i = 0; i < n; i++) {
            double pu, pv;
            cal_affine_apply(a, x[i], y[i], &pu, &pv);
            res[i] = hypot(pu - u[i], pv - v[i]);
        }
        /* The spread from the inliers' median residual (a 2D residual's median is ≈ 1.18 σ). */
        int m = 0;
        for (int i = 0; i < n; i++)
            if (w[i] > 0) sorted[m++] = res[i];
        qsort(sorted, (size_t)m, sizeof *sorted, compare_double);
        double sigma = sorted[m / 2] / 1.1774;
        double limit = fmax(3.5 * sigma, floor_px); /* Rayleigh tail beyond 3.5σ: 0.2 % */
        int now = 0, changed = 0;
        for (int i = 0; i < n; i++) {
            double wi = res[i] <= limit ? 1.0 : 0.0;
            changed |= wi != w[i];
            w[i] = wi;
            now += wi > 0;
        }
        kept = now;
        if (!changed || kept < 3) break;
    }
    if (ok && kept >= 3) cal_affine_lsq(x, y, u, v, w, n, a);
    double sum = 0;
    int count = 0;
    for (int i = 0; i < n && ok; i++) {
        double pu, pv;
        cal_affine_apply(a, x[i], y[i], &pu, &pv);
        if (inlier) inlier[i] = w[i] > 0;
        if (w[i] > 0) {
            sum += (pu - u[i]) * (pu - u[i]) + (pv - v[i]) * (pv - v[i]);
            count++;
        }
    }
    if (rms) *rms = count ? sqrt(sum / count) : NAN;
    free(w);
    return ok && kept >= 3 ? kept : 0;
}
