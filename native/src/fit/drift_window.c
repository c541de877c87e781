/* drift_window_estimate: the plane drift as a smooth function of time from every molecule of
 * a movie (drift_window.h).
 *
 * Why passes over the movie rather than one frame's joint step (drift_fit.c): the drift couples all
 * frames of a span, so a joint step would hold every molecule's fit at once; instead each pass
 * refits every molecule at the current drift (warm, its neighbours' light modelled, as the
 * per-frame fit does), sums the frames' profiled shares into the coefficients' normal equations and
 * steps. With the molecules refitted the profiled likelihood's Fisher scoring converges in a few
 * passes; a pass whose likelihood rose halves the step instead. The windows stay where the decoded
 * positions put them at zero drift, so the likelihoods of successive passes compare over the same
 * pixels. Which molecules count is decided at the first pass (a fit that converges within the trust
 * region with photons > 1, as the per-frame fit), then molecules that disagree with the converged
 * drift (the score test of drift_profile.h, p = 1e-3: blends, false detections) are dropped and the
 * estimate resumed, twice at most. Each coefficient has the per-frame fit's N(0, 48²) prior (a
 * residual of the cameras' registration), which keeps the equations positive definite where a span
 * holds no molecule. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "fit/drift_window.h"
#include "fit/fit_mle.h"

#define MAX_PASSES 30
#define STOP_NM 0.1          /* converged when no coefficient moves more than this */
#define REJECT_NM 1.0        /* the score test is made once the steps are this small */
#define PRIOR_NM 48.0
#define MAX_STEP_PIXELS 0.5  /* per pass: the Fisher model is local */
#define CLAMP_PIXELS 2.0     /* far beyond any registration residual: a sign of nonsense */
#define DAMPED_AFTER 8       /* passes after which steps are halved (an oscillation settles) */
#define MAX_REJECTION_ROUNDS 4
#define MIN_PHOTONS 1.0
#define MIN_MOLECULES 2
#define CROWD_PIXELS 16       /* more than one record per this many pixels: a crowd */
#define CHUNK_FLOATS ((int64_t)1 << 23) /* frames read per parallel chunk: 32 MiB */
#define MAXP MLE_MAX_PARAMS
#define MAXV DRIFT_MAX_VALUES

typedef struct slot_share {
    double S[MAXV * MAXV], r[MAXV];
    double nll;
    int molecules;
    int lost; /* usable molecules whose likelihood became undefined (then dropped) */
} slot_share;

typedef struct state {
    const drift_window_input *in;
    int k, P;
    double *theta;          /* per record: its parameters (NaN: no start) */
    unsigned char *usable;  /* per record, decided at the first pass */
    unsigned char *trusted; /* per record: its last fit is trusted (its light is modelled) */
    double *stat;           /* per record: its score test at the last pass */
    slot_share *share;      /* per slot, at the last pass */
} state;

static const double ZERO[2 * MUMLOC_MAX_PLANES];

/* One frame's pass at drift: every record refitted (warm), its neighbours' light modelled, the
 * usable ones' shares summed into *out. */
static mumloc_status slot_pass(state *s, int64_t slot, const float *pixels, const double *drift,
                               int first_pass, slot_share *out) {
    const drift_window_input *in = s->in;
    const mumloc_optics *o = in->optics;
    const int64_t r0 = in->first[slot];
    const int n = (int)(in->first[slot + 1] - r0), P = s->P;
    memset(out, 0, sizeof *out);
    if (n == 0) return MUMLOC_OK;
    mle_problem *pr = calloc((size_t)n, sizeof *pr);
    mle_result *fit = calloc((size_t)n, sizeof *fit);
    const size_t planes_px = (size_t)o->planes * in->width * in->height;
    double *signal = n > 1 ? malloc(planes_px * sizeof *signal) : NULL;
    mumloc_status st = MUMLOC_OK;
    if (!pr || !fit || (n > 1 && !signal))
        st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a frame's %d fits", n);
    int ready = 0;
    for (int m = 0; m < n && st == MUMLOC_OK; m++, ready++) {
        const mumloc_localization *l = &in->locs[r0 + m];
        double *theta = s->theta + (r0 + m) * MAXP;
        st = mle_problem_init(&pr[m], o, in->noise, pixels, in->width, in->height, l->x_nm,
                                     l->y_nm, l->z_nm, ZERO, in->map);
        if (st != MUMLOC_OK) break;
        pr[m].dx_dy = drift;
        if (first_pass &&
            mle_problem_start(&pr[m], l->x_nm, l->y_nm, l->z_nm, theta) != MUMLOC_OK)
            theta[0] = NAN; /* no photometry there: neither fitted nor counted */
    }
    /* each fit with its neighbours' light held (the trusted ones'), modelled from the last pass's
     * fits (the first pass: from independent fits), then again from this pass's; a crowd no fit
     * separates (an untrained network's detections) keeps independent fits, as the multi-emitter
     * refinement does */
    const int crowd = (int64_t)n * CROWD_PIXELS > (int64_t)in->width * in->height;
    const int first_round = first_pass || crowd ? 0 : 1, last_round = crowd ? 0 : 2;
    for (int round = first_round; round <= last_round && st == MUMLOC_OK; round++) {
        if (round > 0 && n > 1) {
            for (int m = 0; m < n; m++) mle_problem_clear_signal(&pr[m], signal);
            for (int m = 0; m < n; m++)
                if (s->trusted[r0 + m])
                    mle_problem_add_signal(&pr[m], s->theta + (r0 + m) * MAXP, 1.0, signal);
            for (int m = 0; m < n; m++)
                if (!isnan(s->theta[(r0 + m) * MAXP]))
                    mle_problem_set_others(&pr[m], s->theta + (r0 + m) * MAXP, signal);
        }
        for (int m = 0; m < n; m++) {
            const mumloc_localization *l = &in->locs[r0 + m];
            double *theta = s->theta + (r0 + m) * MAXP;
            s->trusted[r0 + m] = 0;
            if (isnan(theta[0])) continue;
            mle_problem_fit(&pr[m], theta, &fit[m]);
            s->trusted[r0 + m] = mle_trusted(o, &fit[m], l->x_nm, l->y_nm, l->z_nm) &&
                                 fit[m].photons > MIN_PHOTONS && isfinite(fit[m].nll);
        }
        if (n < 2) break;
    }
    for (int m = 0; m < n && st == MUMLOC_OK; m++) {
        const int64_t rec = r0 + m;
        if (first_pass) s->usable[rec] = s->trusted[rec];
        s->stat[rec] = 0.0;
        if (!s->usable[rec]) continue;
        drift_share sh;
        const int ok = drift_share_of(&pr[m], s->theta + rec * MAXP, P, &sh);
        if (!isfinite(sh.nll)) {
            s->usable[rec] = 0;
            out->lost++;
            continue;
        }
        out->nll += sh.nll;
        out->molecules++;
        if (!ok) continue;
        s->stat[rec] = drift_share_score(&sh, P);
        for (int q = 0; q < P; q++) {
            out->r[q] += sh.r[q];
            for (int t = 0; t < P; t++) out->S[q * P + t] += sh.S[q * P + t];
        }
    }
    for (int m = 0; m < ready; m++) mle_problem_free(&pr[m]);
    free(pr);
    free(fit);
    free(signal);
    return st;
}

/* The drift at frame t from coefficients c (2k layout). */
static void drift_at(const drift_basis *b, int P, const double *c, double t, double *dx_dy) {
    double phi[DRIFT_PATH_ORDER];
    int count;
    const int j0 = drift_basis_eval(b, t, phi, &count);
    memset(dx_dy, 0, sizeof(double) * 2 * MUMLOC_MAX_PLANES);
    for (int a = 0; a < count; a++)
        for (int q = 0; q < P; q++) dx_dy[2 + q] += phi[a] * c[(j0 + a) * P + q];
}

/* Every slot refitted at the drift coefficients c: shares into s->share; returns the summed
 * likelihood in *nll and the molecules whose likelihood became undefined in *lost. */
static mumloc_status pass_all(state *s, const drift_basis *b, const double *c, int first,
                              float *buffer, int64_t chunk, double *nll, int64_t *lost) {
    const drift_window_input *in = s->in;
    const int64_t frame_floats = (int64_t)s->k * in->width * in->height;
    *nll = 0.0;
    *lost = 0;
    for (int64_t s0 = 0; s0 < in->slots; s0 += chunk) {
        const int64_t count = in->slots - s0 < chunk ? in->slots - s0 : chunk;
        for (int64_t i = 0; i < count; i++)
            ERROR_TRY(in->read(in->user, s0 + i, buffer + i * frame_floats));
        mumloc_status st = MUMLOC_OK;
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t i = 0; i < count; i++) {
            double drift[2 * MUMLOC_MAX_PLANES];
            drift_at(b, s->P, c, (double)in->frame[s0 + i], drift);
            mumloc_status r = slot_pass(s, s0 + i, buffer + i * frame_floats, drift, first,
                                        &s->share[s0 + i]);
            if (r != MUMLOC_OK) {
#pragma omp critical(drift_window_error)
                st = r;
            }
        }
        ERROR_TRY(st);
        for (int64_t i = 0; i < count; i++) { /* in slot order: the same sum on any thread count */
            *nll += s->share[s0 + i].nll;
            *lost += s->share[s0 + i].lost;
        }
    }
    return MUMLOC_OK;
}

/* The normal equations at the last pass: H (band) and gradient g over the coefficients c. */
static void assemble(const state *s, const drift_basis *b, const double *c, band_matrix *H,
                     double *g) {
    const int P = s->P, n = b->functions * P;
    band_zero(H);
    memset(g, 0, sizeof *g * (size_t)n);
    for (int64_t slot = 0; slot < s->in->slots; slot++) {
        const slot_share *sh = &s->share[slot];
        if (sh->molecules == 0) continue;
        double phi[DRIFT_PATH_ORDER];
        int count;
        const int j0 = drift_basis_eval(b, (double)s->in->frame[slot], phi, &count);
        for (int a = 0; a < count; a++)
            for (int q = 0; q < P; q++) {
                const int row = (j0 + a) * P + q;
                g[row] += phi[a] * sh->r[q];
                for (int bb = 0; bb < count; bb++)
                    for (int t = 0; t < P; t++) {
                        const int col = (j0 + bb) * P + t;
                        if (col <= row) band_add(H, row, col, phi[a] * phi[bb] * sh->S[q * P + t]);
                    }
            }
    }
    for (int i = 0; i < n; i++) {
        band_add(H, i, i, 1.0 / (PRIOR_NM * PRIOR_NM));
        g[i] += c[i] / (PRIOR_NM * PRIOR_NM);
    }
}

/* Marks the usable records whose score exceeds p = 1e-3 unusable; returns how many. */
static int64_t reject(state *s) {
    const double limit = drift_chi2_999(s->P);
    const int64_t records = s->in->first[s->in->slots];
    int64_t usable = 0, rejected = 0;
    for (int64_t i = 0; i < records; i++) usable += s->usable[i];
    for (int64_t i = 0; i < records && usable - rejected > MIN_MOLECULES; i++)
        if (s->usable[i] && s->stat[i] > limit) {
            s->usable[i] = 0;
            rejected++;
        }
    return rejected;
}

static mumloc_status estimate(state *s, drift_window_result *out, float *buffer,
                              int64_t chunk) {
    const drift_basis *b = &out->basis;
    const int P = s->P, n = b->functions * P;
    const double limit = CLAMP_PIXELS * s->in->optics->pixel_nm;
    const double max_step = MAX_STEP_PIXELS * s->in->optics->pixel_nm;
    double *c = out->coefficient;
    double *step = calloc((size_t)n, sizeof *step), *g = calloc((size_t)n, sizeof *g);
    band_matrix H = {0};
    mumloc_status st = step && g ? band_init(&H, n, DRIFT_PATH_ORDER * P - 1)
                                 : error_fail(MUMLOC_ERR_OUT_OF_MEMORY,
                                               "no memory for the drift's equations");
    int rounds = 0, factored = 0, since = 0;
    for (int pass = 0; pass < MAX_PASSES && st == MUMLOC_OK; pass++) {
        double nll;
        int64_t lost;
        st = pass_all(s, b, c, pass == 0, buffer, chunk, &nll, &lost);
        if (st != MUMLOC_OK) break;
        out->passes = pass + 1;
        if (pass == 0) {
            out->used = 0;
            for (int64_t i = 0; i < s->in->first[s->in->slots]; i++) out->used += s->usable[i];
            if (out->used < MIN_MOLECULES) break;
        }
        assemble(s, b, c, &H, g);
        factored = band_cholesky(&H);
        if (!factored) break;
        band_solve(&H, g, step);
        double longest = 0;
        for (int i = 0; i < n; i++) {
            step[i] = -step[i];
            if (fabs(step[i]) > longest) longest = fabs(step[i]);
        }
        /* near the optimum: drop the molecules that disagree with it (then go on without them) */
        if (longest < REJECT_NM && rounds < MAX_REJECTION_ROUNDS) {
            rounds++;
            if (reject(s) > 0) {
                since = 0;
                continue; /* the same drift, refitted and summed without them */
            }
        }
        out->converged = longest < STOP_NM;
        if (out->converged) break;
        /* late passes damped: the likelihood's curvature is not the Fisher model's everywhere */
        double scale = longest > max_step ? max_step / longest : 1.0;
        if (++since > DAMPED_AFTER) scale *= 0.5;
        for (int i = 0; i < n; i++) {
            const double v = c[i] + step[i] * scale;
            c[i] = v > limit ? limit : v < -limit ? -limit : v;
            out->clamped |= c[i] != v;
        }
    }
    if (st == MUMLOC_OK && factored) {
        st = band_init(&out->covariance, n, H.bw);
        if (st == MUMLOC_OK) band_inverse(&H, &out->covariance);
    }
    if (st == MUMLOC_OK && !factored) memset(c, 0, sizeof *c * (size_t)n);
    band_free(&H);
    free(step);
    free(g);
    return st;
}

mumloc_status drift_window_estimate(const drift_window_input *in,
                                           drift_window_result *out) {
    memset(out, 0, sizeof *out);
    const int k = in->optics->planes;
    out->P = 2 * (k - 1);
    int64_t t0 = 0, t1 = 0;
    for (int64_t i = 0; i < in->slots; i++) {
        if (i == 0 || in->frame[i] < t0) t0 = in->frame[i];
        if (i == 0 || in->frame[i] > t1) t1 = in->frame[i];
    }
    ERROR_TRY(drift_basis_init(&out->basis, (double)t0, (double)t1, in->window));
    const int64_t records = in->slots > 0 ? in->first[in->slots] : 0;
    const int64_t frame_floats = (int64_t)k * in->width * in->height;
    const int64_t chunk = drift_window_chunk(frame_floats, in->slots);
    state s = {in, k, out->P, NULL, NULL, NULL, NULL, NULL};
    out->coefficient = calloc((size_t)out->basis.functions * (size_t)(out->P > 0 ? out->P : 1),
                              sizeof *out->coefficient);
    out->molecules = calloc((size_t)(in->slots > 0 ? in->slots : 1), sizeof *out->molecules);
    s.theta = malloc(sizeof *s.theta * (size_t)(records > 0 ? records : 1) * MAXP);
    s.usable = calloc((size_t)(records > 0 ? records : 1), 1);
    s.trusted = calloc((size_t)(records > 0 ? records : 1), 1);
    s.stat = calloc((size_t)(records > 0 ? records : 1), sizeof *s.stat);
    s.share = calloc((size_t)(in->slots > 0 ? in->slots : 1), sizeof *s.share);
    float *buffer = malloc(sizeof *buffer * (size_t)(chunk * frame_floats));
    mumloc_status st = MUMLOC_OK;
    if (!out->coefficient || !out->molecules || !s.theta || !s.usable || !s.trusted || !s.stat ||
        !s.share ||
        !buffer)
        st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory to estimate the drift of %lld frames",
                         (long long)in->slots);
    if (st == MUMLOC_OK && k > 1 && records > 0) st = estimate(&s, out, buffer, chunk);
    if (st == MUMLOC_OK) {
        out->used = 0;
        for (int64_t slot = 0; slot < in->slots; slot++) {
            out->molecules[slot] = s.share[slot].molecules;
            out->used += out->molecules[slot];
        }
        if (k == 1) out->converged = 1;
    }
    free(s.theta);
    free(s.usable);
    free(s.trusted);
    free(s.stat);
    free(s.share);
    free(buffer);
    if (st != MUMLOC_OK) drift_window_free(out);
    return st;
}

int64_t drift_window_chunk(int64_t frame_floats, int64_t slots) {
    int64_t chunk = CHUNK_FLOATS / (frame_floats > 0 ? frame_floats : 1);
    if (chunk < 1) chunk = 1;
    if (chunk > slots) chunk = slots > 0 ? slots : 1;
    return chunk;
}

void drift_window_free(drift_window_result *r) {
    drift_basis_free(&r->basis);
    band_free(&r->covariance);
    free(r->coefficient);
    free(r->molecules);
    r->coefficient = NULL;
    r->molecules = NULL;
}

void drift_window_at(const drift_window_result *r, int planes, double t,
                            double *dx_dy, double *cov) {
    const int P = r->P;
    (void)planes;
    drift_at(&r->basis, P, r->coefficient, t, dx_dy);
    if (!cov) return;
    if (!r->covariance.band) { /* nothing informed the drift */
        for (int q = 0; q < P * P; q++) cov[q] = q % (P + 1) == 0 ? INFINITY : 0.0;
        return;
    }
    double phi[DRIFT_PATH_ORDER];
    int count;
    const int j0 = drift_basis_eval(&r->basis, t, phi, &count);
    for (int q = 0; q < P; q++)
        for (int u = 0; u < P; u++) {
            double v = 0;
            for (int a = 0; a < count; a++)
                for (int b = 0; b < count; b++)
                    v += phi[a] * phi[b] *
                         band_get(&r->covariance, (j0 + a) * P + q, (j0 + b) * P + u);
            cov[q * P + u] = v;
        }
}
