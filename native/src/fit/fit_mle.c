/* Levenberg–Marquardt maximum-likelihood fit of one molecule (see fit_mle.h).
 *
 * With μ' = μ + r² and y' = y + r², the negative log-likelihood is Σ μ' − y' log μ' (+ const); its
 * gradient is Σ (1 − y'/μ') ∂μ and its expected Hessian the Fisher matrix Σ ∂μ ∂μᵀ / μ', which the
 * step uses (Fisher scoring with Marquardt's damping of the diagonal: scale-free across nm and
 * photons). */
#include "fit/fit_mle.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "fit/photon_fit.h"
#include "optics/psf_model.h"

#define MAX_PARAMS MLE_MAX_PARAMS
#define MAX_ITERATIONS 50
#define MIN_PHOTONS 1e-3
#define MIN_BACKGROUND 1e-6
/* Converged when a step moves less than this: far below any bound (nm, and relative photons). */
#define STEP_NM 0.01
#define STEP_PHOTONS 1e-4

typedef mle_problem problem;

/* Sums over one plane's window pixels of the gradient and Fisher terms of the 5 parameters a plane
 * informs (x, y, z, photons, its background; the Fisher matrix as its upper triangle). */
typedef struct plane_sums {
    double g[5], f[15]; /* f: (r, c), r <= c, row by row */
} plane_sums;

/* Index of (r, c), r <= c < 5, in plane_sums.f. */
static int upper(int r, int c) { return r * 5 - r * (r - 1) / 2 + (c - r); }

/* A mapped plane's sums along its camera's axes → along the reference's (plane_map.h). */
static void sums_to_reference(const double *jacobian, plane_sums *s) {
    double f[25];
    for (int r = 0; r < 5; r++)
        for (int c = 0; c < 5; c++) f[r * 5 + c] = s->f[r <= c ? upper(r, c) : upper(c, r)];
    plane_map_to_reference(jacobian, 5, s->g, f);
    for (int r = 0; r < 5; r++)
        for (int c = r; c < 5; c++) s->f[upper(r, c)] = f[r * 5 + c];
}

/* plane_terms for a measured PSF (dense values and derivatives over the window), the same sums.
 * Not inlined: plane_terms' Gaussian loop keeps its accumulators in registers. */
__attribute__((noinline)) static double plane_terms_dense(const problem *p, int d,
                                                           const double *theta, double nll,
                                                           plane_sums *sums) {
    const psf_plane *pl = &p->pl[d];
    const int k = p->o->planes;
    const double per_plane = theta[3] / k * pl->gain, bg = theta[4 + d], r2 = p->read_variance;
    const float *image = p->frame + (size_t)d * p->width * p->height;
    plane_sums s = sums ? *sums : (plane_sums){{0}, {0}};
    double g0 = s.g[0], g1 = s.g[1], g2 = s.g[2], g3 = s.g[3], g4 = s.g[4];
    double f00 = s.f[0], f01 = s.f[1], f02 = s.f[2], f03 = s.f[3], f04 = s.f[4], f11 = s.f[5];
    double f12 = s.f[6], f13 = s.f[7], f14 = s.f[8], f22 = s.f[9], f23 = s.f[10], f24 = s.f[11];
    double f33 = s.f[12], f34 = s.f[13], f44 = s.f[14];
    const double photon_share = pl->gain / k;
    for (int b = 0; b < pl->ny; b++) {
        const float *row = image + (size_t)(pl->j0 + b) * p->width + pl->i0;
        const double *other_row = p->others[d] + (size_t)b * pl->nx;
        const size_t at = (size_t)b * pl->stride;
        const double *G = pl->g + at, *GX = pl->gx + at, *GY = pl->gy + at, *GZ = pl->gz + at;
        for (int a = 0; a < pl->nx; a++) {
            const double g = G[a];
            double m = per_plane * g + bg + r2 + other_row[a], data = row[a] + r2;
            if (data < 0) data = 0;
            if (!(m > 0)) return INFINITY;
            nll += m - (data > 0 ? data * log(m) : 0.0);
            if (!sums) continue;
            const double d0 = per_plane * GX[a], d1 = per_plane * GY[a], d2 = per_plane * GZ[a];
            const double d3 = g * photon_share;
            const double residual = 1.0 - data / m, inv = 1.0 / m;
            g0 += residual * d0, g1 += residual * d1, g2 += residual * d2, g3 += residual * d3;
            g4 += residual;
            const double i0 = d0 * inv, i1 = d1 * inv, i2 = d2 * inv, i3 = d3 * inv;
            f00 += d0 * i0, f01 += d1 * i0, f02 += d2 * i0, f03 += d3 * i0, f04 += i0;
            f11 += d1 * i1, f12 += d2 * i1, f13 += d3 * i1, f14 += i1;
            f22 += d2 * i2, f23 += d3 * i2, f24 += i2;
            f33 += d3 * i3, f34 += i3, f44 += inv;
        }
    }
    if (sums) {
        const plane_sums out = {{g0, g1, g2, g3, g4},
                                {f00, f01, f02, f03, f04, f11, f12, f13, f14, f22, f23, f24, f33,
                                 f34, f44}};
        *sums = out;
    }
    return nll;
}

/* nll plus one plane's terms; INFINITY where the model is not positive. With sums, also adds the
 * plane's gradient/Fisher terms to *sums (which the caller zeroes or carries over): every sum adds
 * in pixel order, as one loop over all planes would. Per row, the model and the logarithms come
 * first; the sums then run in a loop without calls, so their 20 accumulators can stay in
 * registers (a call, log's, would force them all to memory on every pixel). */
static double plane_terms(const problem *p, int d, const double *theta, double nll,
                          plane_sums *sums) {
    enum { MAX_ROW = 2 * PSF_FIT_MAX_HALF + 1 };
    const psf_plane *pl = &p->pl[d];
    if (pl->spline) return plane_terms_dense(p, d, theta, nll, sums);
    const int k = p->o->planes;
    /* the plane's share of the photons (× gain 1.0 exactly for the papers' optics) */
    const double per_plane = theta[3] / k * pl->gain, bg = theta[4 + d], r2 = p->read_variance;
    const float *image = p->frame + (size_t)d * p->width * p->height;
    double mu[MAX_ROW], y[MAX_ROW];
    double g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0;
    double f00 = 0, f01 = 0, f02 = 0, f03 = 0, f04 = 0, f11 = 0, f12 = 0, f13 = 0, f14 = 0;
    double f22 = 0, f23 = 0, f24 = 0, f33 = 0, f34 = 0, f44 = 0;
    if (sums) {
        g0 = sums->g[0], g1 = sums->g[1], g2 = sums->g[2], g3 = sums->g[3], g4 = sums->g[4];
        f00 = sums->f[0], f01 = sums->f[1], f02 = sums->f[2], f03 = sums->f[3], f04 = sums->f[4];
        f11 = sums->f[5], f12 = sums->f[6], f13 = sums->f[7], f14 = sums->f[8];
        f22 = sums->f[9], f23 = sums->f[10], f24 = sums->f[11];
        f33 = sums->f[12], f34 = sums->f[13], f44 = sums->f[14];
    }
    for (int b = 0; b < pl->ny; b++) {
        const float *row = image + (size_t)(pl->j0 + b) * p->width + pl->i0;
        const double *other_row = p->others[d] + (size_t)b * pl->nx;
        const double my = pl->my[b];
        for (int a = 0; a < pl->nx; a++) {
            const double g = pl->mx[a] * my;
            double m = per_plane * g + bg + r2 + other_row[a], data = row[a] + r2;
            if (data < 0) data = 0; /* read noise can push a pixel below −r²: it saw no photon */
            if (!(m > 0)) return INFINITY;
            nll += m - (data > 0 ? data * log(m) : 0.0);
            mu[a] = m;
            y[a] = data;
        }
        if (!sums) continue;
        const double dmy = pl->dmy[b], wmy = pl->wmy[b];
        for (int a = 0; a < pl->nx; a++) {
            const double mx = pl->mx[a], g = mx * my;
            const double gz = (pl->wmx[a] * my + mx * wmy) * pl->width_dz;
            const double d0 = per_plane * (pl->dmx[a] * my), d1 = per_plane * (mx * dmy);
            const double d2 = per_plane * gz, d3 = g * pl->gain / k, d4 = 1.0;
            const double residual = 1.0 - y[a] / mu[a], inv = 1.0 / mu[a];
            g0 += residual * d0, g1 += residual * d1, g2 += residual * d2;
            g3 += residual * d3, g4 += residual * d4;
            f00 += d0 * d0 * inv, f01 += d0 * d1 * inv, f02 += d0 * d2 * inv;
            f03 += d0 * d3 * inv, f04 += d0 * d4 * inv;
            f11 += d1 * d1 * inv, f12 += d1 * d2 * inv, f13 += d1 * d3 * inv;
            f14 += d1 * d4 * inv;
            f22 += d2 * d2 * inv, f23 += d2 * d3 * inv, f24 += d2 * d4 * inv;
            f33 += d3 * d3 * inv, f34 += d3 * d4 * inv, f44 += d4 * d4 * inv;
        }
    }
    if (sums) {
        const plane_sums out = {{g0, g1, g2, g3, g4},
                                {f00, f01, f02, f03, f04, f11, f12, f13, f14, f22, f23, f24, f33,
                                 f34, f44}};
        *sums = out;
    }
    return nll;
}

/* Places plane d's view of the molecule at theta (and the problem's drift) and sets its factors:
 * recomputed only when centre or width changed, since a drift fit evaluates the same parameters
 * several times over (neighbour model, profile, trial) and the erf/exp calls are a fifth of it. */
static void plane_at(problem *p, int d, const double *theta) {
    psf_plane *pl = &p->pl[d];
    const psf_plane before = *pl;
    psf_plane_place(p->o, d, theta[0], theta[1], theta[2], p->dx_dy, p->map, pl);
    if (p->evaluated[d] && pl->cx == before.cx && pl->cy == before.cy &&
        pl->width_nm == before.width_nm && (!pl->spline || pl->z_nm == before.z_nm)) {
        /* same centre and width (and depth), same factors: the buffer still holds them */
        pl->mx = before.mx, pl->dmx = before.dmx, pl->wmx = before.wmx;
        pl->my = before.my, pl->dmy = before.dmy, pl->wmy = before.wmy;
        pl->g = before.g, pl->gx = before.gx, pl->gy = before.gy, pl->gz = before.gz;
        pl->stride = before.stride;
        return;
    }
    psf_plane_eval(p->o, pl, p->buffer[d]);
    p->evaluated[d] = 1;
}

/* Negative log-likelihood at theta and, when grad is not NULL, its gradient and the Fisher matrix
 * over m parameters: the molecule's n, and with extended the drift of planes 2..k after them.
 * The drift of plane d moves its image by −(dx, dy), so ∂μ/∂dx = −∂μ/∂x over that plane's pixels:
 * its rows are the plane's own x, y sums negated (exactly, in floating point). */
static double evaluate(problem *p, const double *theta, double *grad, double *fisher,
                       int extended) {
    const int k = p->o->planes, n = p->n, m = extended ? n + 2 * (k - 1) : n;
    /* x, y, z, photons: summed over all planes in pixel order (entries (r, c) with r, c < 4) */
    plane_sums shared;
    memset(&shared, 0, sizeof shared);
    double nll = 0;
    if (grad) {
        memset(grad, 0, (size_t)m * sizeof *grad);
        memset(fisher, 0, (size_t)m * m * sizeof *fisher);
    }
    for (int d = 0; d < k; d++) {
        if (!p->inside[d]) {
            /* A plane off the image says nothing of its background: keep it fixed (unit
             * curvature, zero gradient) so the step stays solvable. */
            if (grad) fisher[(4 + d) * m + 4 + d] = 1.0;
            continue;
        }
        plane_at(p, d, theta);
        if (!grad) {
            nll = plane_terms(p, d, theta, nll, NULL);
            if (nll == INFINITY) return INFINITY;
            continue;
        }
        /* extended, or a mapped plane: this plane's sums alone (its drift rows need them, the map
         * turns them), added to shared after; else the shared entries carry over from the
         * previous planes */
        const double *jacobian = p->pl[d].jacobian;
        const int alone = extended || jacobian;
        plane_sums own;
        if (alone) {
            memset(&own, 0, sizeof own);
        } else {
            own = shared;
            for (int r = 0; r < 5; r++) own.f[upper(r, 4)] = 0.0;
            own.g[4] = 0.0;
        }
        nll = plane_terms(p, d, theta, nll, &own);
        if (nll == INFINITY) return INFINITY;
        if (jacobian) sums_to_reference(jacobian, &own);
        const int index[5] = {0, 1, 2, 3, 4 + d};
        grad[4 + d] = own.g[4]; /* the background's entries: this plane's alone */
        for (int r = 0; r < 5; r++)
            fisher[index[r] * m + 4 + d] = fisher[(4 + d) * m + index[r]] = own.f[upper(r, 4)];
        if (alone) {
            for (int r = 0; r < 4; r++) {
                shared.g[r] += own.g[r];
                for (int c = r; c < 4; c++) shared.f[upper(r, c)] += own.f[upper(r, c)];
            }
        } else {
            shared = own;
        }
        if (extended && d > 0) {
            const int dx = n + 2 * (d - 1);
            for (int t = 0; t < 2; t++) { /* t = 0: dx (x's sums), 1: dy (y's sums) */
                grad[dx + t] = -own.g[t];
                for (int c = 0; c < 5; c++) {
                    const double v = -own.f[t <= c ? upper(t, c) : upper(c, t)];
                    fisher[(dx + t) * m + index[c]] = fisher[index[c] * m + dx + t] = v;
                }
                for (int u = 0; u < 2; u++) /* (−a)(−b) = ab: the plane's own x, y sums */
                    fisher[(dx + t) * m + dx + u] = own.f[t <= u ? upper(t, u) : upper(u, t)];
            }
        }
    }
    if (grad)
        for (int r = 0; r < 4; r++) {
            grad[r] = shared.g[r];
            for (int c = r; c < 4; c++)
                fisher[r * m + c] = fisher[c * m + r] = shared.f[upper(r, c)];
        }
    return nll;
}

double mle_problem_extended(mle_problem *p, const double *theta, double *grad,
                                   double *fisher) {
    return evaluate(p, theta, grad, fisher, 1);
}

int solve_spd(const double *A, const double *b, int n, double *x) {
    double L[MLE_MAX_EXTENDED][MLE_MAX_EXTENDED];
    for (int i = 0; i < n; i++)
        for (int j = 0; j <= i; j++) {
            double s = A[i * n + j];
            for (int t = 0; t < j; t++) s -= L[i][t] * L[j][t];
            if (i == j) {
                if (!(s > 0)) return 0;
                L[i][i] = sqrt(s);
            } else {
                L[i][j] = s / L[j][j];
            }
        }
    double z[MLE_MAX_EXTENDED];
    for (int i = 0; i < n; i++) {
        double s = b[i];
        for (int t = 0; t < i; t++) s -= L[i][t] * z[t];
        z[i] = s / L[i][i];
    }
    for (int i = n - 1; i >= 0; i--) {
        double s = z[i];
        for (int t = i + 1; t < n; t++) s -= L[t][i] * x[t];
        x[i] = s / L[i][i];
    }
    return 1;
}

/* Keeps photons and backgrounds where the likelihood is defined. */
static void project(problem *p, double *theta) {
    if (!(theta[3] > MIN_PHOTONS)) theta[3] = MIN_PHOTONS;
    for (int d = 0; d < p->o->planes; d++)
        if (!(theta[4 + d] > MIN_BACKGROUND)) theta[4 + d] = MIN_BACKGROUND;
}

void mle_problem_project(mle_problem *p, double *theta) { project(p, theta); }

/* The state of a fit between steps: theta's likelihood and, when have_fisher, its gradient and
 * Fisher matrix (the first trial of a step computes them: usually it is taken, and then the next
 * step needs no evaluation of its own). */
typedef struct lm_state {
    double nll, lambda;
    double grad[MAX_PARAMS], fisher[MAX_PARAMS * MAX_PARAMS];
    int have_fisher;
} lm_state;

/* Damped steps until one lowers the likelihood or the damping gives up. Returns 1 when a step was
 * taken (delta holds it), 0 at a minimum. last: no step follows this one, so its trial needs no
 * gradient and Fisher matrix (the likelihood alone decides it). */
static int step(problem *p, double *theta, lm_state *s, double *delta, int last) {
    const int n = p->n;
    double A[MAX_PARAMS * MAX_PARAMS], minus_grad[MAX_PARAMS], trial[MAX_PARAMS];
    double trial_grad[MAX_PARAMS], trial_fisher[MAX_PARAMS * MAX_PARAMS];
    if (!s->have_fisher) evaluate(p, theta, s->grad, s->fisher, 0);
    for (int i = 0; i < n; i++) minus_grad[i] = -s->grad[i];
    const int fixed = p->fixed_position ? 3 : 0; /* x, y, z held: their rows and columns out */
    for (int i = 0; i < fixed; i++) minus_grad[i] = 0.0;
    for (int tries = 0; s->lambda < 1e12; tries++) {
        memcpy(A, s->fisher, (size_t)n * n * sizeof *A);
        for (int i = 0; i < fixed; i++)
            for (int j = 0; j < n; j++) A[i * n + j] = A[j * n + i] = i == j ? 1.0 : 0.0;
        for (int i = 0; i < n; i++) A[i * n + i] *= 1.0 + s->lambda;
        if (solve_spd(A, minus_grad, n, delta)) {
            for (int i = 0; i < n; i++) trial[i] = theta[i] + delta[i];
            project(p, trial);
            const int first = tries == 0 && !last;
            double value = evaluate(p, trial, first ? trial_grad : NULL,
                                    first ? trial_fisher : NULL, 0);
            if (value < s->nll) {
                for (int i = 0; i < n; i++) delta[i] = trial[i] - theta[i];
                memcpy(theta, trial, (size_t)n * sizeof *theta);
                s->nll = value;
                s->have_fisher = first;
                if (first) {
                    memcpy(s->grad, trial_grad, sizeof trial_grad);
                    memcpy(s->fisher, trial_fisher, sizeof trial_fisher);
                }
                s->lambda = s->lambda * 0.1 > 1e-9 ? s->lambda * 0.1 : 1e-9;
                return 1;
            }
        }
        s->lambda *= 10.0;
    }
    return 0;
}

mumloc_status mle_problem_init(mle_problem *p, const mumloc_optics *o,
                                      const pixel_noise *noise, const float *frame,
                                      int width, int height, double x, double y, double z,
                                      const double *dx_dy, const plane_map *map) {
    memset(p, 0, sizeof *p);
    p->o = o;
    p->frame = frame;
    p->width = width;
    p->height = height;
    p->n = 4 + o->planes;
    p->dx_dy = dx_dy;
    p->map = map;
    p->read_variance = noise->read_variance;
    size_t need = 0;
    for (int d = 0; d < o->planes; d++) {
        p->inside[d] = psf_plane_window(o, d, x, y, z, dx_dy, map, width, height, &p->pl[d]);
        if (p->inside[d])
            need += psf_plane_buffer_size(&p->pl[d]) + (size_t)p->pl[d].nx * p->pl[d].ny;
    }
    double *next = p->storage = calloc(need ? need : 1, sizeof *p->storage);
    if (!p->storage) return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a PSF fit");
    for (int d = 0; d < o->planes; d++)
        if (p->inside[d]) {
            p->buffer[d] = next;
            next += psf_plane_buffer_size(&p->pl[d]);
            p->others[d] = next;
            next += (size_t)p->pl[d].nx * p->pl[d].ny;
        }
    return MUMLOC_OK;
}

/* Runs body for every window pixel of every plane, with pixel (its index in the frame), local (its
 * index in the window) and own (the molecule's signal there at theta). */
#define FOR_WINDOW_PIXELS(p, theta, body)                                                          \
    do {                                                                                           \
        const int k_ = (p)->o->planes;                                                             \
        const size_t area_ = (size_t)(p)->width * (p)->height;                                     \
        for (int d = 0; d < k_; d++) {                                                             \
            if (!(p)->inside[d]) continue;                                                         \
            plane_at((p), d, (theta));                                                             \
            const psf_plane *pl = &(p)->pl[d];                                              \
            for (int b = 0; b < pl->ny; b++)                                                       \
                for (int a = 0; a < pl->nx; a++) {                                                 \
                    const size_t pixel = d * area_ + (size_t)(pl->j0 + b) * (p)->width + pl->i0 + a; \
                    const size_t local = (size_t)b * pl->nx + a;                                   \
                    const double own = psf_plane_scaled(pl, a, b, (theta)[3] / k_ * pl->gain); \
                    body;                                                                          \
                }                                                                                  \
        }                                                                                          \
    } while (0)

void mle_problem_add_signal(mle_problem *p, const double *theta, double scale,
                                   double *image) {
    FOR_WINDOW_PIXELS(p, theta, (void)local; image[pixel] += scale * own);
}

void mle_problem_clear_signal(const mle_problem *p, double *image) {
    const size_t area = (size_t)p->width * p->height;
    for (int d = 0; d < p->o->planes; d++) {
        if (!p->inside[d]) continue;
        const psf_plane *pl = &p->pl[d];
        for (int b = 0; b < pl->ny; b++)
            memset(image + d * area + (size_t)(pl->j0 + b) * p->width + pl->i0, 0,
                   (size_t)pl->nx * sizeof *image);
    }
}

void mle_problem_set_others(mle_problem *p, const double *theta,
                                   const double *image) {
    FOR_WINDOW_PIXELS(p, theta, {
        double v = image[pixel] - own;
        p->others[d][local] = v > 0 ? v : 0; /* rounding can leave −1e-12 */
    });
}

void mle_problem_free(mle_problem *p) {
    if (!p) return;
    free(p->storage);
    p->storage = NULL;
}

mumloc_status mle_problem_start(mle_problem *p, double x, double y, double z,
                                       double *theta) {
    photon_fit start;
    ERROR_TRY(fit_photons(p->o, p->frame, p->width, p->height, x, y, z, p->dx_dy, p->map,
                                  &start));
    theta[0] = x;
    theta[1] = y;
    theta[2] = z;
    theta[3] = start.photons;
    for (int d = 0; d < p->o->planes; d++)
        theta[4 + d] = p->inside[d] ? start.background[d] : MIN_BACKGROUND;
    project(p, theta);
    return MUMLOC_OK;
}

void mle_problem_fit(mle_problem *p, double *theta, mle_result *out) {
    const mumloc_optics *o = p->o;
    project(p, theta);
    lm_state s;
    s.nll = evaluate(p, theta, s.grad, s.fisher, 0);
    s.have_fisher = 1;
    s.lambda = 1e-3;
    double delta[MAX_PARAMS];
    out->converged = 0;
    out->iterations = 0;
    const int cap = p->max_iterations > 0 ? p->max_iterations : MAX_ITERATIONS;
    while (out->iterations < cap) {
        out->iterations++;
        if (!step(p, theta, &s, delta, out->iterations == cap)) {
            out->converged = 1; /* no damped step lowers the likelihood: a minimum */
            break;
        }
        if (fabs(delta[0]) < STEP_NM && fabs(delta[1]) < STEP_NM && fabs(delta[2]) < STEP_NM &&
            fabs(delta[3]) < STEP_PHOTONS * theta[3]) {
            out->converged = 1;
            break;
        }
    }
    out->nll = s.nll;
    out->x_nm = theta[0];
    out->y_nm = theta[1];
    out->z_nm = theta[2];
    out->photons = theta[3];
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++)
        out->background[d] = d < o->planes && p->inside[d] ? theta[4 + d] : NAN;
}

mumloc_status fit_mle(const mumloc_optics *o, const pixel_noise *noise,
                             const float *frame, int width, int height, double x, double y,
                             double z, const double *dx_dy, const plane_map *map,
                             mle_result *out) {
    mle_problem p;
    ERROR_TRY(mle_problem_init(&p, o, noise, frame, width, height, x, y, z, dx_dy, map));
    double theta[MAX_PARAMS];
    mumloc_status st = mle_problem_start(&p, x, y, z, theta);
    if (st == MUMLOC_OK) mle_problem_fit(&p, theta, out);
    mle_problem_free(&p);
    return st;
}

/* How far a fit may move a position and still be trusted: one camera pixel laterally, half the
 * plane spacing axially. Farther means the fit went to a neighbour or to noise. */
int mle_trusted(const mumloc_optics *o, const mle_result *r, double x_nm,
                       double y_nm, double z_nm) {
    const double lateral = o->pixel_nm;
    const double axial =
        o->planes > 1 ? 0.5 * (o->plane_depth_nm[o->planes - 1] - o->plane_depth_nm[0]) /
                            (o->planes - 1)
                      : mumloc_optics_plane_psf(o, 0).d_nm;
    return r->converged && fabs(r->x_nm - x_nm) <= lateral && fabs(r->y_nm - y_nm) <= lateral &&
           fabs(r->z_nm - z_nm) <= axial;
}
