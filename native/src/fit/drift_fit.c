/* mumloc_localizations_refine_with_drift: one frame's molecules and its per-plane drift by maximum
 * likelihood (contract in mumloc.h).
 *
 * Why the profiled step: a molecule's x is informed by every plane, a plane's drift by every
 * molecule in that plane, so the two are coupled; plain alternation (drift step with the molecules
 * frozen) shrinks the error only by the share of a plane in each molecule's information per round.
 * The Schur complement S = Σ_m (D_m − B_mᵀ A_m⁻¹ B_m) of the joint Fisher matrix is the information
 * on the drift with the molecules' parameters re-optimised, so S⁻¹ times the profiled gradient is
 * the joint Gauss–Newton step for the drift, and S⁻¹ its Cramér–Rao bound. Each molecule's part of
 * that joint step follows by back-substitution (θ − A_m⁻¹ g_m − A_m⁻¹ B_m Δ), so trying a step costs
 * one likelihood evaluation per molecule rather than a refit of every molecule (LOCALIZE.md).
 * The objective is the likelihood plus a Gaussian prior on the drift (PRIOR_NM): S and r carry its
 * information and gradient, every likelihood compared carries its term. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/runtime.h"
#include "fit/drift_profile.h"
#include "fit/fit_mle.h"
#include "fit/mapped_fits.h"

#define MAX_UPDATES 20
#define STOP_NM 0.1          /* converged when no drift value moves more than this */
/* One molecule suffices: plane 1 anchors its position, its other planes' images their drifts, the
 * prior the weakly seen ones (the 2021 Table 3 frames hold one molecule each: 29.4 → 23.1 nm lateral
 * RMSE for CS on its first 100 frames, against a 22 nm bound for drift unknown within its RMS).
 * Outlier rejection keeps at least two: one molecule left cannot disagree with anything. */
#define MIN_MOLECULES 1
#define MIN_KEPT 2
/* Prior on each drift value: N(0, PRIOR_NM²). The drift is a sub-pixel residual of the cameras'
 * registration (science.md §1–2: training draws up to ±48 nm, RMS 34 nm). Without it a plane the
 * molecules hardly inform had to be fixed at 0, which biased the others by its true drift whenever
 * the reference plane was weak too (molecules far from plane 1); with it every plane is estimated,
 * a weak one shrunk towards 0, a well-informed one (bound ~8 nm) by ~3 %. */
#define PRIOR_NM 48.0
#define CLAMP_PIXELS 2.0     /* far beyond any registration residual: a sign of nonsense */
#define MAX_STEP_PIXELS 0.5  /* per update: the Fisher model is local */
#define MAX_HALVINGS 4
#define MIN_PHOTONS 1.0      /* a fit with fewer photons says nothing about the drift */
#define MAX_REJECTION_ROUNDS 2

typedef struct molecule {
    mle_problem problem;
    double theta[MLE_MAX_PARAMS], saved[MLE_MAX_PARAMS];
    mle_result fit;
    int usable;
    /* Its share of the profiled problem at the current state (profile_all): with the joint Fisher
     * blocks A (own), B (own × drift), D (drift) and gradient g, S = D − Bᵀ A⁻¹ B and
     * r = g_d − Bᵀ A⁻¹ g; A⁻¹ g and A⁻¹ B give its part of the joint step. */
    int profiled; /* 0: degenerate (no finite likelihood or A singular): no share */
    double nll, trial_nll;
    drift_share share; /* its share of the profiled problem at the current state
                                 (profile_all; drift_profile.h) */
} molecule;

typedef struct frame_fit {
    const mumloc_optics *o;
    molecule *mol;
    int count, k, n, P; /* P = 2(k − 1) drift values, plane 2's dx first */
    double drift[2 * MUMLOC_MAX_PLANES];
    const mumloc_localization *locs;   /* the decoded positions (trust regions) */
    double *signal;                    /* k × H × W: every trusted molecule's expected signal */
    size_t signal_size;
} frame_fit;

static mumloc_status check_inputs(const mumloc_optics *o, const mumloc_camera *camera,
                                  const float *frame, int width, int height,
                                  const mumloc_localization *locs, int count,
                                  const mumloc_frame_drift *drift) {
    ERROR_TRY(mumloc_optics_validate(o));
    ERROR_TRY(mumloc_camera_validate(camera));
    if (!frame || !drift || (count > 0 && !locs))
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "drift refinement needs a frame, the localizations and a drift result");
    if (width < 1 || height < 1 || count < 0)
        return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                           "frame size must be at least 1x1 and count >= 0 (got %dx%d, %d)", width,
                           height, count);
    const size_t plane_px = (size_t)width * height;
    for (int d = 0; d < o->planes; d++) {
        int bad = 0;
        for (size_t i = 0; i < plane_px; i++) bad |= !isfinite(frame[d * plane_px + i]);
        if (bad)
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "plane %d of the frame holds NaN or infinite pixels; drift "
                               "refinement needs finite photons", d + 1);
    }
    for (int m = 0; m < count; m++)
        if (!isfinite(locs[m].x_nm) || !isfinite(locs[m].y_nm) || !isfinite(locs[m].z_nm))
            return error_fail(MUMLOC_ERR_INVALID_ARGUMENT,
                               "localization %d has a non-finite position", m + 1);
    return MUMLOC_OK;
}

/* Refits every usable molecule (or, with all, every one) at drift, warm from its theta. */
static void fit_all(frame_fit *f, const double *drift, int all) {
#pragma omp parallel for schedule(dynamic, 1)
    for (int m = 0; m < f->count; m++) {
        molecule *mol = &f->mol[m];
        if (!all && !mol->usable) continue;
        mol->problem.dx_dy = drift;
        mle_problem_fit(&mol->problem, mol->theta, &mol->fit);
    }
}

/* Molecules see each other: each fit models its neighbours' light (at their current parameters
 * and the current drift) as known signal, so overlapping windows do not pull fits — and through
 * them the drift — towards a neighbour. A molecule counts once its fit is trusted. With profile,
 * each usable molecule's share is computed (profile_one) in the same parallel pass. */
static void profile_one(const frame_fit *f, molecule *mol);

static void model_neighbours_then(frame_fit *f, const double *drift, int profile) {
    /* only the windows are ever read: clearing them costs what the molecules cost, not the frame */
    for (int m = 0; m < f->count; m++)
        mle_problem_clear_signal(&f->mol[m].problem, f->signal);
    for (int m = 0; m < f->count; m++) {
        molecule *mol = &f->mol[m];
        mol->problem.dx_dy = drift;
        if (mle_trusted(f->o, &mol->fit, f->locs[m].x_nm, f->locs[m].y_nm,
                               f->locs[m].z_nm) && mol->fit.photons > MIN_PHOTONS)
            mle_problem_add_signal(&mol->problem, mol->theta, 1.0, f->signal);
    }
#pragma omp parallel for schedule(dynamic, 4)
    for (int m = 0; m < f->count; m++) {
        mle_problem_set_others(&f->mol[m].problem, f->mol[m].theta, f->signal);
        if (profile && f->mol[m].usable) profile_one(f, &f->mol[m]);
    }
}

static void model_neighbours(frame_fit *f, const double *drift) {
    model_neighbours_then(f, drift, 0);
}

/* The prior's share of the objective at drift (2k layout, planes 2..k used). */
static double prior_nll(const frame_fit *f, const double *drift) {
    double sum = 0;
    for (int q = 0; q < f->P; q++) sum += drift[2 + q] * drift[2 + q];
    return 0.5 * sum / (PRIOR_NM * PRIOR_NM);
}

static double total_nll(const frame_fit *f) {
    double sum = 0;
    for (int m = 0; m < f->count; m++)
        if (f->mol[m].usable) sum += f->mol[m].fit.nll;
    return sum;
}

/* One molecule's share of the profiled information and gradient at the current drift, and its
 * likelihood there (molecule.profiled = 0 and no share when degenerate). */
static void profile_one(const frame_fit *f, molecule *mol) {
    mol->problem.dx_dy = f->drift;
    mol->profiled = drift_share_of(&mol->problem, mol->theta, f->P, &mol->share);
    mol->nll = mol->share.nll;
}

/* Every usable molecule's share at the current state (in parallel: each is independent). */
static void profile_all(frame_fit *f) {
#pragma omp parallel for schedule(dynamic, 4)
    for (int m = 0; m < f->count; m++)
        if (f->mol[m].usable) profile_one(f, &f->mol[m]);
}

/* The profiled information S and gradient r of all usable molecules, summed in molecule order from
 * their stored shares (profile_all), with the prior's; returns their summed likelihood plus the
 * prior's term (the objective). */
static double profiled(const frame_fit *f, double *S, double *r) {
    const int P = f->P;
    double nll = 0;
    memset(S, 0, sizeof(double) * (size_t)P * P);
    memset(r, 0, sizeof(double) * (size_t)P);
    for (int m = 0; m < f->count; m++) {
        const molecule *mol = &f->mol[m];
        if (!mol->usable) continue;
        nll += mol->nll;
        if (!mol->profiled) continue;
        for (int q = 0; q < P; q++) {
            r[q] += mol->share.r[q];
            for (int t = 0; t < P; t++) S[q * P + t] += mol->share.S[q * P + t];
        }
    }
    for (int q = 0; q < P; q++) { /* the prior's information and gradient */
        S[q * P + q] += 1.0 / (PRIOR_NM * PRIOR_NM);
        r[q] += f->drift[2 + q] / (PRIOR_NM * PRIOR_NM);
    }
    return nll + prior_nll(f, f->drift);
}

/* Bounds of the drift values (Infinity when S is singular). */
static void bounds(const frame_fit *f, const double *S, double *sigma) {
    double e[2 * MUMLOC_MAX_PLANES], x[2 * MUMLOC_MAX_PLANES];
    for (int q = 0; q < f->P; q++) {
        sigma[q] = INFINITY;
        memset(e, 0, sizeof e);
        e[q] = 1.0;
        if (solve_spd(S, e, f->P, x) && x[q] > 0) sigma[q] = sqrt(x[q]);
    }
}

static double clamp(double v, double limit) { return v > limit ? limit : v < -limit ? -limit : v; }

/* The likelihood of the usable molecules at drift trial after the joint Fisher-scoring step that
 * changes the drift by delta (P values): each molecule takes the fraction s of its own step and
 * follows the drift, θ − s A⁻¹g − A⁻¹B delta (projected). No refit: one evaluation per molecule. */
static double joint_trial(frame_fit *f, const double *trial, const double *delta, double s) {
    const int n = f->n, P = f->P;
#pragma omp parallel for schedule(dynamic, 4)
    for (int m = 0; m < f->count; m++) {
        molecule *mol = &f->mol[m];
        if (!mol->usable) continue;
        memcpy(mol->theta, mol->saved, sizeof mol->theta);
        if (mol->profiled) {
            for (int i = 0; i < n; i++) {
                double v = s * mol->share.Ainv_g[i];
                for (int q = 0; q < P; q++) v += mol->share.Ainv_B[q][i] * delta[q];
                mol->theta[i] -= v;
            }
            mle_problem_project(&mol->problem, mol->theta);
        }
        mol->problem.dx_dy = trial;
        mol->trial_nll = mle_problem_extended(&mol->problem, mol->theta, NULL, NULL);
        mol->problem.dx_dy = f->drift;
    }
    double sum = 0;
    for (int m = 0; m < f->count; m++)
        if (f->mol[m].usable) sum += f->mol[m].trial_nll;
    return sum;
}

/* The fit results follow an accepted joint step (positions for the trust test of the neighbour
 * model; the convergence flag stays that of the last refit). */
static void take_joint_step(frame_fit *f) {
    for (int m = 0; m < f->count; m++) {
        molecule *mol = &f->mol[m];
        if (!mol->usable) continue;
        mol->fit.x_nm = mol->theta[0];
        mol->fit.y_nm = mol->theta[1];
        mol->fit.z_nm = mol->theta[2];
        mol->fit.photons = mol->theta[3];
        for (int d = 0; d < f->k; d++)
            if (mol->problem.inside[d]) mol->fit.background[d] = mol->theta[4 + d];
        mol->fit.nll = mol->trial_nll;
    }
}

/* The drift value of one halving: drift + step · scale, clamped (hit: a value was). trial and the
 * returned largest change are over all P values. */
static double trial_drift(const frame_fit *f, const double *step, double scale, double *trial,
                          int *hit) {
    const double limit = CLAMP_PIXELS * f->o->pixel_nm;
    double moved = 0;
    memset(trial, 0, sizeof(double) * 2 * MUMLOC_MAX_PLANES);
    *hit = 0;
    for (int q = 0; q < f->P; q++) {
        double v = f->drift[2 + q] + step[q] * scale;
        trial[2 + q] = clamp(v, limit);
        *hit |= trial[2 + q] != v;
        if (fabs(trial[2 + q] - f->drift[2 + q]) > moved)
            moved = fabs(trial[2 + q] - f->drift[2 + q]);
    }
    return moved;
}

/* One profiled Fisher-scoring update: the joint step of drift and molecules (profile_all's shares),
 * halved until the likelihood does not rise; should no joint step help (the likelihood far from
 * quadratic), the drift step with every molecule refitted, halved likewise. Returns the largest
 * change made (0 when no step helps). */
static double update(frame_fit *f, const double *S, const double *r, double *nll, int *clamped) {
    double minus_r[2 * MUMLOC_MAX_PLANES], step[2 * MUMLOC_MAX_PLANES];
    for (int q = 0; q < f->P; q++) minus_r[q] = -r[q];
    if (!solve_spd(S, minus_r, f->P, step)) return 0.0;
    double longest = 0;
    for (int q = 0; q < f->P; q++)
        if (fabs(step[q]) > longest) longest = fabs(step[q]);
    const double max_step = MAX_STEP_PIXELS * f->o->pixel_nm;
    const double scale0 = longest > max_step ? max_step / longest : 1.0;
    for (int m = 0; m < f->count; m++)
        memcpy(f->mol[m].saved, f->mol[m].theta, sizeof f->mol[m].saved);
    for (int refit = 0; refit <= 1; refit++)
        for (int h = 0; h <= MAX_HALVINGS; h++) {
            double trial[2 * MUMLOC_MAX_PLANES], delta[2 * MUMLOC_MAX_PLANES];
            int hit;
            const double scale = scale0 / (double)(1 << h);
            const double moved = trial_drift(f, step, scale, trial, &hit);
            for (int q = 0; q < f->P; q++) delta[q] = trial[2 + q] - f->drift[2 + q];
            double value;
            if (!refit) {
                value = joint_trial(f, trial, delta, scale);
            } else {
                fit_all(f, trial, 0);
                value = total_nll(f);
            }
            value += prior_nll(f, trial);
            if (value <= *nll + 1e-9 * fabs(*nll)) {
                if (!refit) take_joint_step(f);
                memcpy(f->drift, trial, sizeof trial);
                for (int m = 0; m < f->count; m++) f->mol[m].problem.dx_dy = f->drift;
                *nll = value;
                *clamped |= hit;
                return moved;
            }
            for (int m = 0; m < f->count; m++)
                memcpy(f->mol[m].theta, f->mol[m].saved, sizeof f->mol[m].theta);
        }
    fit_all(f, f->drift, 0); /* back to the fits at the kept drift */
    return 0.0;
}

/* Windows at the decoded positions without drift, then a zero-drift fit of every molecule. */
static mumloc_status start(frame_fit *f, const pixel_noise *noise,
                           const plane_map *map, const float *frame, int width,
                           int height, const mumloc_localization *locs) {
    static const double zero[2 * MUMLOC_MAX_PLANES] = {0};
    for (int m = 0; m < f->count; m++) {
        molecule *mol = &f->mol[m];
        const mumloc_localization *l = &locs[m];
        ERROR_TRY(mle_problem_init(&mol->problem, f->o, noise, frame, width, height,
                                           l->x_nm, l->y_nm, l->z_nm, zero, map));
        mumloc_status st = mle_problem_start(&mol->problem, l->x_nm, l->y_nm, l->z_nm,
                                                    mol->theta);
        if (st != MUMLOC_OK) {
            char why[512];
            snprintf(why, sizeof why, "%s", mumloc_last_error());
            return error_fail(st, "localization %d: %s", m + 1, why);
        }
    }
    fit_all(f, zero, 1);
    model_neighbours(f, zero);
    fit_all(f, zero, 1);
    for (int m = 0; m < f->count; m++) {
        molecule *mol = &f->mol[m];
        mol->usable = mle_trusted(f->o, &mol->fit, locs[m].x_nm, locs[m].y_nm,
                                         locs[m].z_nm) &&
                      mol->fit.photons > MIN_PHOTONS && isfinite(mol->fit.nll);
    }
    return MUMLOC_OK;
}

/* The summed likelihood of the usable molecules as they are (in parallel, summed in order). */
static double current_nll(frame_fit *f) {
#pragma omp parallel for schedule(dynamic, 4)
    for (int m = 0; m < f->count; m++) {
        molecule *mol = &f->mol[m];
        if (!mol->usable) continue;
        mol->problem.dx_dy = f->drift;
        mol->nll = mle_problem_extended(&mol->problem, mol->theta, NULL, NULL);
    }
    double sum = 0;
    for (int m = 0; m < f->count; m++)
        if (f->mol[m].usable) sum += f->mol[m].nll;
    return sum + prior_nll(f, f->drift);
}

/* Profiled Fisher-scoring updates from the current drift until it settles. S, r and the molecules'
 * shares come in for the current state (the first step uses them as they are, the neighbours
 * re-modelled only for the likelihood it must lower) and leave for the final one (reject_outliers
 * uses the shares). */
static void converge(frame_fit *f, mumloc_frame_drift *out, double *S, double *r) {
    for (int updates = 0; updates < MAX_UPDATES; updates++) {
        /* the neighbours at the current fits; the likelihood compared against is theirs */
        double nll;
        if (updates > 0) {
            model_neighbours_then(f, f->drift, 1);
            nll = profiled(f, S, r);
        } else { /* the step from the shares estimate computed, the likelihood at the neighbours */
            model_neighbours(f, f->drift);
            nll = current_nll(f);
        }
        double moved = update(f, S, r, &nll, &out->clamped);
        out->converged = moved < STOP_NM; /* 0: no step lowers the likelihood, a minimum */
        if (moved == 0.0) break;
        out->iterations++;
        if (out->converged) break;
    }
    profile_all(f);
    profiled(f, S, r);
}

/* Molecules that disagree with the frame's drift: a blend of two molecules fitted as one, a false
 * detection on a neighbour's tail. Score test per molecule: its profiled gradient r_m at the
 * estimate against its own information S_m, r_mᵀ S_m⁻¹ r_m ~ χ² with one degree per drift value
 * when it agrees. Marks those beyond p = 1e-3 unusable (keeping at least MIN_KEPT);
 * returns how many. */
static int reject_outliers(frame_fit *f) {
    const int P = f->P;
    int usable = 0, rejected = 0;
    for (int m = 0; m < f->count; m++) usable += f->mol[m].usable;
    const double limit = drift_chi2_999(P);
    double stat[f->count > 0 ? f->count : 1];
    for (int m = 0; m < f->count; m++)
        stat[m] = f->mol[m].usable && f->mol[m].profiled
                      ? drift_share_score(&f->mol[m].share, P)
                      : 0.0;
    for (;;) { /* the worst first, while enough molecules remain */
        int worst = -1;
        for (int m = 0; m < f->count; m++)
            if (f->mol[m].usable && stat[m] > limit && (worst < 0 || stat[m] > stat[worst]))
                worst = m;
        if (worst < 0 || usable - rejected <= MIN_KEPT) break;
        f->mol[worst].usable = 0;
        rejected++;
    }
    return rejected;
}

/* The drift over the usable molecules (at least MIN_MOLECULES), dropping those that disagree. Every
 * plane is fitted (the prior keeps S positive definite); the outcome says which ones the molecules
 * pin down to DRIFT_MAX_SIGMA_NM. */
static void estimate(frame_fit *f, mumloc_frame_drift *out) {
    const int P = f->P;
    double S[4 * MUMLOC_MAX_PLANES * MUMLOC_MAX_PLANES], r[2 * MUMLOC_MAX_PLANES];
    for (int round = 0;; round++) {
        if (round == 0) profile_all(f); /* later rounds: the shares converge left */
        profiled(f, S, r);
        converge(f, out, S, r);
        if (round == MAX_REJECTION_ROUNDS || reject_outliers(f) == 0) break;
    }
    double sigma[2 * MUMLOC_MAX_PLANES];
    bounds(f, S, sigma);
    for (int q = 0; q < P; q++) {
        out->dx_dy[2 + q] = f->drift[2 + q];
        out->sigma_nm[2 + q] = sigma[q];
        double e[2 * MUMLOC_MAX_PLANES] = {0}, x[2 * MUMLOC_MAX_PLANES];
        e[q] = 1.0;
        const int ok = solve_spd(S, e, P, x);
        for (int t = 0; t < P; t++) out->covariance[q * P + t] = ok ? x[t] : (q == t ? INFINITY : 0);
    }
    out->outcome = drift_mark_estimated(out, f->k); /* from the bounds just stored */
}

mumloc_status mumloc_localizations_refine_with_drift(const mumloc_optics *o,
                                                     const mumloc_camera *camera,
                                                     const float *frame, int width, int height,
                                                     mumloc_localization *locs, int count,
                                                     mumloc_frame_drift *out) {
    return localizations_refine_with_drift_mapped(o, camera, NULL, frame, width, height,
                                                         locs, count, out);
}

mumloc_status localizations_refine_with_drift_mapped(const mumloc_optics *o,
                                                            const mumloc_camera *camera,
                                                            const plane_map *map,
                                                            const float *frame, int width,
                                                            int height, mumloc_localization *locs,
                                                            int count, mumloc_frame_drift *out) {
    ERROR_TRY(check_inputs(o, camera, frame, width, height, locs, count, out));
    memset(out, 0, sizeof *out);
    for (int d = 1; d < MUMLOC_MAX_PLANES; d++)
        out->sigma_nm[2 * d] = out->sigma_nm[2 * d + 1] = INFINITY;
    out->outcome = MUMLOC_DRIFT_TOO_FEW_MOLECULES;
    if (count == 0) return MUMLOC_OK;
    threads_apply();
    const pixel_noise noise = pixel_noise_of(camera);
    frame_fit f;
    memset(&f, 0, sizeof f);
    f.o = o;
    f.count = count;
    f.k = o->planes;
    f.n = 4 + o->planes;
    f.P = 2 * (o->planes - 1);
    f.locs = locs;
    f.signal_size = (size_t)o->planes * width * height;
    f.mol = calloc((size_t)count, sizeof *f.mol);
    f.signal = malloc(f.signal_size * sizeof *f.signal);
    if (!f.mol || !f.signal) {
        free(f.mol);
        free(f.signal);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for %d fits", count);
    }
    mumloc_status st = start(&f, &noise, map, frame, width, height, locs);
    if (st == MUMLOC_OK) {
        for (int m = 0; m < count; m++) out->molecules += f.mol[m].usable;
        if (f.k == 1) {
            out->outcome = MUMLOC_DRIFT_ESTIMATED; /* one plane: nothing drifts */
        } else if (out->molecules >= MIN_MOLECULES) {
            estimate(&f, out);
            out->molecules = 0;
            for (int m = 0; m < count; m++) out->molecules += f.mol[m].usable;
        }
        /* every record at the final drift: the usable ones warm (they are fitted there already
         * but for a last rejected step), the others afresh from their decoded position */
        for (int m = 0; m < count && st == MUMLOC_OK; m++)
            if (!f.mol[m].usable) {
                f.mol[m].problem.dx_dy = out->dx_dy;
                st = mle_problem_start(&f.mol[m].problem, locs[m].x_nm, locs[m].y_nm,
                                              locs[m].z_nm, f.mol[m].theta);
            }
        if (st == MUMLOC_OK) {
            model_neighbours(&f, out->dx_dy);
            fit_all(&f, out->dx_dy, 1);
        }
    }
    if (st == MUMLOC_OK) {
        for (int m = 0; m < count; m++) {
            const mle_result *r = &f.mol[m].fit;
            if (mle_trusted(o, r, locs[m].x_nm, locs[m].y_nm, locs[m].z_nm)) {
                locs[m].x_nm = r->x_nm;
                locs[m].y_nm = r->y_nm;
                locs[m].z_nm = r->z_nm;
            }
        }
    }
    for (int m = 0; m < count; m++) mle_problem_free(&f.mol[m].problem);
    free(f.mol);
    free(f.signal);
    return st;
}
