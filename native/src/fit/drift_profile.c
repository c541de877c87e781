/* drift_share_of: a molecule's share of the profiled drift information (drift_profile.h). */
#include <math.h>

#include "fit/drift_profile.h"

int drift_share_of(mle_problem *p, const double *theta, int P,
                          drift_share *out) {
    const int n = p->n, M = n + P;
    double g[MLE_MAX_EXTENDED], F[MLE_MAX_EXTENDED * MLE_MAX_EXTENDED];
    out->nll = mle_problem_extended(p, theta, g, F);
    if (!isfinite(out->nll)) return 0;
    double A[MLE_MAX_PARAMS * MLE_MAX_PARAMS], col[MLE_MAX_PARAMS];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) A[i * n + j] = F[i * M + j];
    if (!solve_spd(A, g, n, out->Ainv_g)) return 0;
    for (int q = 0; q < P; q++) {
        for (int i = 0; i < n; i++) col[i] = F[i * M + n + q];
        if (!solve_spd(A, col, n, out->Ainv_B[q])) return 0;
    }
    for (int q = 0; q < P; q++) {
        double rq = g[n + q];
        for (int i = 0; i < n; i++) rq -= F[i * M + n + q] * out->Ainv_g[i];
        out->r[q] = rq;
        for (int t = 0; t < P; t++) {
            double v = F[(n + q) * M + n + t];
            for (int i = 0; i < n; i++) v -= F[i * M + n + q] * out->Ainv_B[t][i];
            out->S[q * P + t] = v;
        }
    }
    return 1;
}

double drift_share_score(const drift_share *share, int P) {
    double Sa[DRIFT_MAX_VALUES * DRIFT_MAX_VALUES], x[DRIFT_MAX_VALUES];
    double ridge = 0, stat = 0;
    for (int i = 0; i < P * P; i++) Sa[i] = share->S[i];
    for (int i = 0; i < P; i++) ridge = Sa[i * P + i] > ridge ? Sa[i * P + i] : ridge;
    for (int i = 0; i < P; i++) Sa[i * P + i] += 1e-6 * ridge + 1e-300;
    if (!solve_spd(Sa, share->r, P, x)) return 0.0;
    for (int i = 0; i < P; i++) stat += share->r[i] * x[i];
    return stat;
}

double drift_chi2_999(int dof) {
    const double a = 2.0 / (9.0 * dof), c = 1.0 - a + 3.09 * sqrt(a);
    return dof * c * c * c;
}

mumloc_drift_outcome drift_mark_estimated(mumloc_frame_drift *out, int planes) {
    int estimated = 0;
    for (int d = 1; d < planes; d++) {
        out->estimated[d] = out->sigma_nm[2 * d] <= DRIFT_MAX_SIGMA_NM &&
                            out->sigma_nm[2 * d + 1] <= DRIFT_MAX_SIGMA_NM;
        estimated += out->estimated[d];
    }
    return estimated == planes - 1 ? MUMLOC_DRIFT_ESTIMATED
           : estimated > 0         ? MUMLOC_DRIFT_PARTIAL
                                   : MUMLOC_DRIFT_TOO_LITTLE_INFORMATION;
}
