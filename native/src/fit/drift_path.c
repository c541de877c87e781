/* The drift's time basis and its banded normal equations (drift_path.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "fit/drift_path.h"

#define DEGREE (DRIFT_PATH_ORDER - 1)

mumloc_status drift_basis_init(drift_basis *b, double t0, double t1, int window) {
    memset(b, 0, sizeof *b);
    b->t0 = t0;
    b->t1 = t1 > t0 ? t1 : t0;
    const double frames = b->t1 - b->t0 + 1.0;
    double w = floor(frames / (window > 0 ? window : 1) + 0.5);
    b->spans = w < 1 ? 1 : w > 1e6 ? 1000000 : (int)w;
    if (b->spans == 1 || b->t1 == b->t0) {
        b->spans = 1;
        b->functions = 1;
        return MUMLOC_OK;
    }
    b->functions = b->spans + DEGREE;
    b->knots = malloc(sizeof *b->knots * (size_t)(b->functions + DRIFT_PATH_ORDER));
    if (!b->knots) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d drift knots",
                                      b->spans);
    for (int i = 0; i < b->functions + DRIFT_PATH_ORDER; i++) {
        int s = i - DEGREE; /* interior knot index: clamped at both ends */
        s = s < 0 ? 0 : s > b->spans ? b->spans : s;
        b->knots[i] = b->t0 + (b->t1 - b->t0) * s / b->spans;
    }
    return MUMLOC_OK;
}

void drift_basis_free(drift_basis *b) {
    free(b->knots);
    b->knots = NULL;
}

int drift_basis_eval(const drift_basis *b, double t, double *phi, int *count) {
    for (int i = 0; i < DRIFT_PATH_ORDER; i++) phi[i] = 0.0;
    if (b->functions == 1) {
        phi[0] = 1.0;
        *count = 1;
        return 0;
    }
    t = t < b->t0 ? b->t0 : t > b->t1 ? b->t1 : t;
    int span = (int)floor((t - b->t0) / (b->t1 - b->t0) * b->spans);
    if (span >= b->spans) span = b->spans - 1;
    if (span < 0) span = 0;
    /* Cox–de Boor over the knots of span (knot index i = span + DEGREE) */
    const double *U = b->knots;
    const int i = span + DEGREE;
    double left[DRIFT_PATH_ORDER], right[DRIFT_PATH_ORDER];
    phi[0] = 1.0;
    for (int j = 1; j <= DEGREE; j++) {
        left[j] = t - U[i + 1 - j];
        right[j] = U[i + j] - t;
        double saved = 0.0;
        for (int r = 0; r < j; r++) {
            const double temp = phi[r] / (right[r + 1] + left[j - r]);
            phi[r] = saved + right[r + 1] * temp;
            saved = left[j - r] * temp;
        }
        phi[j] = saved;
    }
    *count = DRIFT_PATH_ORDER;
    return span;
}

mumloc_status band_init(band_matrix *m, int n, int bw) {
    m->n = n;
    m->bw = bw;
    m->band = calloc((size_t)n * (size_t)(bw + 1), sizeof *m->band);
    if (!m->band) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d drift unknowns", n);
    return MUMLOC_OK;
}

void band_free(band_matrix *m) {
    free(m->band);
    m->band = NULL;
}

void band_zero(band_matrix *m) {
    memset(m->band, 0, sizeof *m->band * (size_t)m->n * (size_t)(m->bw + 1));
}

static double *at(const band_matrix *m, int i, int j) { /* i ≥ j, i − j ≤ bw */
    return &m->band[(size_t)i * (size_t)(m->bw + 1) + (size_t)(i - j)];
}

void band_add(band_matrix *m, int i, int j, double v) {
    if (i < j) {
        int t = i;
        i = j;
        j = t;
    }
    *at(m, i, j) += v;
}

double band_get(const band_matrix *m, int i, int j) {
    if (i < j) {
        int t = i;
        i = j;
        j = t;
    }
    return i - j <= m->bw ? *at(m, i, j) : 0.0;
}

int band_cholesky(band_matrix *m) {
    for (int i = 0; i < m->n; i++) {
        const int lo = i - m->bw > 0 ? i - m->bw : 0;
        for (int j = lo; j <= i; j++) {
            double sum = *at(m, i, j);
            const int klo = j - m->bw > lo ? j - m->bw : lo;
            for (int k = klo; k < j; k++) sum -= *at(m, i, k) * *at(m, j, k);
            if (j == i) {
                if (!(sum > 0.0)) return 0;
                *at(m, i, i) = sqrt(sum);
            } else {
                *at(m, i, j) = sum / *at(m, j, j);
            }
        }
    }
    return 1;
}

void band_solve(const band_matrix *L, const double *b, double *x) {
    const int n = L->n, bw = L->bw;
    if (x != b) memcpy(x, b, sizeof *x * (size_t)n);
    for (int i = 0; i < n; i++) { /* L y = b */
        double sum = x[i];
        for (int k = i - bw > 0 ? i - bw : 0; k < i; k++) sum -= *at(L, i, k) * x[k];
        x[i] = sum / *at(L, i, i);
    }
    for (int i = n - 1; i >= 0; i--) { /* Lᵀ x = y */
        double sum = x[i];
        for (int k = i + 1; k <= i + bw && k < n; k++) sum -= *at(L, k, i) * x[k];
        x[i] = sum / *at(L, i, i);
    }
}

/* Takahashi: with A = L Lᵀ and Z = A⁻¹, Lᵀ Z = L⁻¹ is lower triangular with diagonal 1/L_ii, so
 * for j ≥ i, Z_ij = (δ_ij / L_ii − Σ_{k = i+1}^{i+bw} L_ki Z_kj) / L_ii; the Z_kj needed lie within
 * the band of rows already done (k, j in (i, i + bw]), taken from the bottom row up. */
void band_inverse(const band_matrix *L, band_matrix *Z) {
    const int n = L->n, bw = L->bw;
    band_zero(Z);
    for (int i = n - 1; i >= 0; i--) {
        const int hi = i + bw < n - 1 ? i + bw : n - 1;
        const double lii = *at(L, i, i);
        for (int j = hi; j >= i; j--) {
            double sum = j == i ? 1.0 / lii : 0.0;
            for (int k = i + 1; k <= hi; k++) sum -= *at(L, k, i) * band_get(Z, k, j);
            *at(Z, j, i) = sum / lii;
        }
    }
}
