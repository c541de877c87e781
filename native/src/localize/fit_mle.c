/* Levenberg–Marquardt maximum-likelihood fit of one molecule (see fit_mle.h).
 *
 * With μ' = μ + r² and y' = y + r², the negative log-likelihood is Σ μ' − y' log μ' (+ const); its
 * gradient is Σ (1 − y'/μ') ∂μ and its expected Hessian the Fisher matrix Σ ∂μ ∂μᵀ / μ', which the
 * step uses (Fisher scoring with Marquardt's damping of the diagonal: scale-free across nm and
 * photons). */
#include "localize/fit_mle.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "localize/photon_fit.h"
#include "optics/psf_model.h"

#define MAX_PARAMS (4 + MUMLOC_MAX_PLANES)
#define MAX_ITERATIONS 50
#define MIN_PHOTONS 1e-3
#define MIN_BACKGROUND 1e-6
/* Converged when a step moves less than this: far below any bound (nm, and relative photons). */
#define STEP_NM 0.01
#define STEP_PHOTONS 1e-4

typedef struct problem {
    const mumloc_optics *o;
    const float *frame;
    int width, height, n;
    const double *dx_dy;
    double read_variance;
    int inside[MUMLOC_MAX_PLANES];
    mumloc_psf_plane pl[MUMLOC_MAX_PLANES];
    double *buffer[MUMLOC_MAX_PLANES];
} problem;

/* Negative log-likelihood at theta and, when grad is not NULL, its gradient and the Fisher matrix. */
static double evaluate(problem *p, const double *theta, double *grad, double *fisher) {
    const int k = p->o->planes, n = p->n;
    const size_t area = (size_t)p->width * p->height;
    const double per_plane = theta[3] / k, r2 = p->read_variance;
    double nll = 0;
    if (grad) {
        memset(grad, 0, (size_t)n * sizeof *grad);
        memset(fisher, 0, (size_t)n * n * sizeof *fisher);
    }
    for (int d = 0; d < k; d++) {
        if (!p->inside[d]) {
            /* A plane off the image says nothing of its background: keep it fixed (unit
             * curvature, zero gradient) so the step stays solvable. */
            if (grad) fisher[(4 + d) * n + 4 + d] = 1.0;
            continue;
        }
        mumloc_psf_plane *pl = &p->pl[d];
        mumloc_psf_plane_place(p->o, d, theta[0], theta[1], theta[2], p->dx_dy, pl);
        mumloc_psf_plane_eval(p->o, pl, p->buffer[d]);
        const float *image = p->frame + d * area;
        const int bd = 4 + d;
        for (int b = 0; b < pl->ny; b++)
            for (int a = 0; a < pl->nx; a++) {
                double g, gx, gy, gz;
                mumloc_psf_plane_pixel(pl, a, b, &g, &gx, &gy, &gz);
                double mu = per_plane * g + theta[bd] + r2;
                double y = image[(size_t)(pl->j0 + b) * p->width + pl->i0 + a] + r2;
                if (y < 0) y = 0; /* read noise can push a pixel below −r²: it saw no photon */
                if (!(mu > 0)) return INFINITY;
                nll += mu - (y > 0 ? y * log(mu) : 0.0);
                if (!grad) continue;
                double dmu[5] = {per_plane * gx, per_plane * gy, per_plane * gz, g / k, 1.0};
                int index[5] = {0, 1, 2, 3, bd};
                double residual = 1.0 - y / mu, inv = 1.0 / mu;
                for (int r = 0; r < 5; r++) {
                    grad[index[r]] += residual * dmu[r];
                    for (int c = 0; c < 5; c++)
                        fisher[index[r] * n + index[c]] += dmu[r] * dmu[c] * inv;
                }
            }
    }
    return nll;
}

/* Solves A x = b for symmetric positive-definite A (n × n) by Cholesky; 0 if A is not. */
static int solve(const double *A, const double *b, int n, double *x) {
    double L[MAX_PARAMS][MAX_PARAMS];
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
    double z[MAX_PARAMS];
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

/* Damped steps until one lowers the likelihood or the damping gives up. Returns 1 when a step was
 * taken (delta holds it), 0 at a minimum. */
static int step(problem *p, double *theta, double *nll, double *lambda, double *delta) {
    const int n = p->n;
    double grad[MAX_PARAMS], fisher[MAX_PARAMS * MAX_PARAMS], A[MAX_PARAMS * MAX_PARAMS];
    double minus_grad[MAX_PARAMS], trial[MAX_PARAMS];
    evaluate(p, theta, grad, fisher);
    for (int i = 0; i < n; i++) minus_grad[i] = -grad[i];
    while (*lambda < 1e12) {
        memcpy(A, fisher, (size_t)n * n * sizeof *A);
        for (int i = 0; i < n; i++) A[i * n + i] *= 1.0 + *lambda;
        if (solve(A, minus_grad, n, delta)) {
            for (int i = 0; i < n; i++) trial[i] = theta[i] + delta[i];
            project(p, trial);
            double value = evaluate(p, trial, NULL, NULL);
            if (value < *nll) {
                for (int i = 0; i < n; i++) delta[i] = trial[i] - theta[i];
                memcpy(theta, trial, (size_t)n * sizeof *theta);
                *nll = value;
                *lambda = *lambda * 0.1 > 1e-9 ? *lambda * 0.1 : 1e-9;
                return 1;
            }
        }
        *lambda *= 10.0;
    }
    return 0;
}

mumloc_status mumloc_fit_mle(const mumloc_optics *o, const mumloc_pixel_noise *noise,
                             const float *frame, int width, int height, double x, double y,
                             double z, const double *dx_dy, mumloc_mle_result *out) {
    mumloc_photon_fit start;
    MUMLOC_TRY(mumloc_fit_photons(o, frame, width, height, x, y, z, dx_dy, &start));
    problem p;
    memset(&p, 0, sizeof p);
    p.o = o;
    p.frame = frame;
    p.width = width;
    p.height = height;
    p.n = 4 + o->planes;
    p.dx_dy = dx_dy;
    p.read_variance = noise->read_variance;
    size_t need = 0;
    for (int d = 0; d < o->planes; d++) {
        p.inside[d] = mumloc_psf_plane_window(o, d, x, y, z, dx_dy, width, height, &p.pl[d]);
        if (p.inside[d]) need += mumloc_psf_plane_buffer_size(&p.pl[d]);
    }
    double *buffer = malloc((need ? need : 1) * sizeof *buffer), *next = buffer;
    if (!buffer) return mumloc_fail(MUMLOC_ERR_OUT_OF_MEMORY, "out of memory for a PSF fit");
    for (int d = 0; d < o->planes; d++)
        if (p.inside[d]) {
            p.buffer[d] = next;
            next += mumloc_psf_plane_buffer_size(&p.pl[d]);
        }
    double theta[MAX_PARAMS] = {x, y, z, start.photons};
    for (int d = 0; d < o->planes; d++)
        theta[4 + d] = p.inside[d] ? start.background[d] : MIN_BACKGROUND;
    project(&p, theta);
    double nll = evaluate(&p, theta, NULL, NULL), lambda = 1e-3, delta[MAX_PARAMS];
    out->converged = 0;
    out->iterations = 0;
    while (out->iterations < MAX_ITERATIONS) {
        out->iterations++;
        if (!step(&p, theta, &nll, &lambda, delta)) {
            out->converged = 1; /* no damped step lowers the likelihood: a minimum */
            break;
        }
        if (fabs(delta[0]) < STEP_NM && fabs(delta[1]) < STEP_NM && fabs(delta[2]) < STEP_NM &&
            fabs(delta[3]) < STEP_PHOTONS * theta[3]) {
            out->converged = 1;
            break;
        }
    }
    out->x_nm = theta[0];
    out->y_nm = theta[1];
    out->z_nm = theta[2];
    out->photons = theta[3];
    for (int d = 0; d < MUMLOC_MAX_PLANES; d++)
        out->background[d] = d < o->planes && p.inside[d] ? theta[4 + d] : NAN;
    free(buffer);
    return MUMLOC_OK;
}
