/* RCC's over-determined system: every active pair (i, j) measures d_j − d_i. Least squares with
 * d_0 = 0 is the graph Laplacian system L d = b (rows and columns of segment 0 removed), solved by
 * Gaussian elimination (segments are few). Outliers are dropped by their residuals and the system
 * solved again, as long as every segment stays linked to segment 0. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "postprocess/drift_internal.h"

#define MAX_ROUNDS 10
#define REJECT_SIGMAS 3.0

static int find_root(int *parent, int a) {
    while (parent[a] != a) a = parent[a] = parent[parent[a]];
    return a;
}

/* First segment not linked to segment 0 by active pairs, or -1. */
static int first_unlinked(const drift_pair *pairs, int count, int segments, int *parent) {
    for (int s = 0; s < segments; s++) parent[s] = s;
    for (int p = 0; p < count; p++)
        if (pairs[p].active) parent[find_root(parent, pairs[p].i)] = find_root(parent, pairs[p].j);
    int root = find_root(parent, 0);
    for (int s = 1; s < segments; s++)
        if (find_root(parent, s) != root) return s;
    return -1;
}

/* Solves the (segments − 1)² Laplacian system for each axis; m is scratch of that size. */
static void solve(const drift_pair *pairs, int count, int segments, int axes, double *m,
                  double *rhs, double *d) {
    int n = segments - 1;
    for (int a = 0; a < axes; a++) {
        memset(m, 0, (size_t)n * n * sizeof *m);
        memset(rhs, 0, (size_t)n * sizeof *rhs);
        for (int p = 0; p < count; p++) {
            if (!pairs[p].active) continue;
            int i = pairs[p].i - 1, j = pairs[p].j - 1; /* −1: segment 0, fixed */
            double r = pairs[p].r[a];
            if (i >= 0) {
                m[i * n + i] += 1.0;
                rhs[i] -= r;
            }
            if (j >= 0) {
                m[j * n + j] += 1.0;
                rhs[j] += r;
            }
            if (i >= 0 && j >= 0) {
                m[i * n + j] -= 1.0;
                m[j * n + i] -= 1.0;
            }
        }
        /* Symmetric positive definite when linked: elimination without pivoting is stable. */
        for (int k = 0; k < n; k++) {
            for (int r = k + 1; r < n; r++) {
                double f = m[r * n + k] / m[k * n + k];
                if (f == 0.0) continue;
                for (int c = k; c < n; c++) m[r * n + c] -= f * m[k * n + c];
                rhs[r] -= f * rhs[k];
            }
        }
        for (int k = n - 1; k >= 0; k--) {
            double v = rhs[k];
            for (int c = k + 1; c < n; c++) v -= m[k * n + c] * d[(c + 1) * axes + a];
            d[(k + 1) * axes + a] = v / m[k * n + k];
        }
        d[a] = 0.0;
    }
}

int drift_compare_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double residual(const drift_pair *p, int axes, const double *d) {
    double sum = 0.0;
    for (int a = 0; a < axes; a++) {
        double e = d[p->j * axes + a] - d[p->i * axes + a] - p->r[a];
        sum += e * e;
    }
    return sqrt(sum);
}

mumloc_status drift_solve_pairs(drift_pair *pairs, int pair_count, int segments, int axes,
                                double floor_nm, double *d, int *unlinked) {
    int n = segments > 1 ? segments - 1 : 1;
    double *m = malloc((size_t)n * n * sizeof *m);
    double *rhs = malloc((size_t)n * sizeof *rhs);
    double *res = malloc((size_t)(pair_count > 0 ? pair_count : 1) * sizeof *res);
    int *parent = malloc((size_t)segments * sizeof *parent);
    char *was = malloc((size_t)(pair_count > 0 ? pair_count : 1));
    mumloc_status status = MUMLOC_OK;
    *unlinked = -1;
    if (!m || !rhs || !res || !parent || !was) {
        status = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "drift correction: out of memory");
        goto done;
    }
    *unlinked = first_unlinked(pairs, pair_count, segments, parent);
    if (*unlinked >= 0) {
        status = error_fail(MUMLOC_ERR_INVALID_ARGUMENT, "segment %d is not linked", *unlinked + 1);
        goto done;
    }
    for (int round = 0; round < MAX_ROUNDS; round++) {
        solve(pairs, pair_count, segments, axes, m, rhs, d);
        int active = 0;
        for (int p = 0; p < pair_count; p++)
            if (pairs[p].active) res[active++] = residual(&pairs[p], axes, d);
        if (active == 0) break;
        qsort(res, (size_t)active, sizeof *res, drift_compare_double);
        double sigma = 1.4826 * res[active / 2];
        double limit = fmax(REJECT_SIGMAS * sigma, floor_nm);
        int dropped = 0;
        for (int p = 0; p < pair_count; p++) {
            was[p] = (char)pairs[p].active;
            if (pairs[p].active && residual(&pairs[p], axes, d) > limit) {
                pairs[p].active = 0;
                dropped++;
            }
        }
        if (dropped == 0) break;
        if (first_unlinked(pairs, pair_count, segments, parent) >= 0) {
            /* Dropping them would leave a segment unmeasured: keep the last solution. */
            for (int p = 0; p < pair_count; p++) pairs[p].active = was[p];
            break;
        }
    }
    solve(pairs, pair_count, segments, axes, m, rhs, d);
done:
    free(m);
    free(rhs);
    free(res);
    free(parent);
    free(was);
    return status;
}
