/* One molecule's share of a profiled drift problem, shared by the per-frame drift fit (drift_fit.c)
 * and the windowed one (drift_window.c). With the joint Fisher blocks A (its own parameters),
 * B (own × drift), D (drift) and the gradient g at the current parameters, its share of the drift's
 * information with its own parameters re-optimised is S = D − Bᵀ A⁻¹ B, of the profiled gradient
 * r = g_d − Bᵀ A⁻¹ g; A⁻¹ g and A⁻¹ B give its part of a joint Gauss–Newton step and, after the
 * fit, how its position follows a change of the drift (−A⁻¹ B). */
#ifndef FIT_DRIFT_PROFILE_H
#define FIT_DRIFT_PROFILE_H

#include "fit/fit_mle.h"

#define DRIFT_MAX_VALUES (2 * (MUMLOC_MAX_PLANES - 1)) /* dx, dy of planes 2..k */

typedef struct drift_share {
    double nll; /* the molecule's likelihood at theta and the problem's drift (INFINITY: none) */
    double S[DRIFT_MAX_VALUES * DRIFT_MAX_VALUES], r[DRIFT_MAX_VALUES];
    double Ainv_g[MLE_MAX_PARAMS];
    double Ainv_B[DRIFT_MAX_VALUES][MLE_MAX_PARAMS];
} drift_share;

/* The share of molecule p at theta and p's drift (P = 2(k − 1) drift values); 1 when computed,
 * 0 when degenerate (no finite likelihood, or A singular: out->nll is still set). */
int drift_share_of(mle_problem *p, const double *theta, int P,
                          drift_share *out);

/* The score test of a molecule against the drift it was profiled at: rᵀ S⁻¹ r (S with a tiny ridge),
 * χ² with P degrees of freedom when the molecule agrees with that drift; 0 when S is singular. A
 * blend of two molecules fitted as one, or a false detection on a neighbour's tail, disagrees. */
double drift_share_score(const drift_share *share, int P);

/* Chi-square quantile at p = 1e-3 for dof degrees of freedom (Wilson–Hilferty). */
double drift_chi2_999(int dof);

/* A plane whose drift bound (posterior, prior included) exceeds this on an axis leans on the prior
 * rather than on the molecules: reported as not estimated (it is fitted either way). */
#define DRIFT_MAX_SIGMA_NM 15.0

/* Sets out->estimated[d] for planes 2..planes from out->sigma_nm (both axes within
 * DRIFT_MAX_SIGMA_NM) and returns the outcome they make: ESTIMATED (every plane), PARTIAL (some) or
 * TOO_LITTLE_INFORMATION (none). Shared by the per-frame fit and the windowed estimate's report. */
mumloc_drift_outcome drift_mark_estimated(mumloc_frame_drift *out, int planes);

#endif
