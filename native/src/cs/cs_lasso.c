/* Non-negative Lasso solvers (see cs_lasso.h). */
#include "cs/cs_lasso.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* Largest working set (its Gram matrix is ws² doubles: 8 MiB at 1024). */
#define WS_MAX 1024
/* Working-set rounds at most (each adds voxels; a handful are usual). */
#define ROUNDS_MAX 40

void cs_sparse_free(cs_sparse *c) {
    free(c->idx);
    free(c->val);
    memset(c, 0, sizeof *c);
}

int cs_sparse_reserve(cs_sparse *c, int n) {
    if (n <= c->cap) return 1;
    int cap = n + n / 2 + 16;
    size_t *idx = realloc(c->idx, sizeof *idx * (size_t)cap);
    if (!idx) return 0;
    c->idx = idx;
    float *val = realloc(c->val, sizeof *val * (size_t)cap);
    if (!val) return 0;
    c->val = val;
    c->cap = cap;
    return 1;
}

void cs_work_free(cs_work *w) {
    free(w->grad);
    free(w->scratch);
    free(w->resid);
    free(w->fx);
    free(w->fy);
    free(w->gram);
    free(w->q);
    free(w->x);
    free(w->z);
    free(w->gz);
    free(w->x_old);
    free(w->ws);
    free(w->sums);
    memset(w, 0, sizeof *w);
}

mumloc_status cs_work_init(cs_work *w, const cs_grid *g) {
    memset(w, 0, sizeof *w);
    const size_t k = (size_t)g->planes;
    w->ws_cap = WS_MAX;
    w->grad = malloc(sizeof(float) * cs_grid_voxels(g));
    w->scratch = malloc(sizeof(float) * cs_grid_scratch(g));
    w->resid = malloc(sizeof(float) * cs_grid_pixels(g));
    w->fx = malloc(sizeof(float) * WS_MAX * k * g->width);
    w->fy = malloc(sizeof(float) * WS_MAX * k * g->height);
    w->gram = malloc(sizeof(double) * WS_MAX * WS_MAX);
    w->q = malloc(sizeof(double) * WS_MAX);
    w->x = malloc(sizeof(double) * WS_MAX);
    w->z = malloc(sizeof(double) * WS_MAX);
    w->gz = malloc(sizeof(double) * WS_MAX);
    w->x_old = malloc(sizeof(double) * WS_MAX);
    w->ws = malloc(sizeof(size_t) * WS_MAX);
    w->sums = malloc(sizeof(double) * 2 * WS_MAX * MUMLOC_MAX_PLANES);
    if (!w->sums || !w->grad || !w->scratch || !w->resid || !w->fx || !w->fy || !w->gram || !w->q || !w->x ||
        !w->z || !w->gz || !w->x_old || !w->ws) {
        cs_work_free(w);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY,
                           "no memory for the CS solver of a %dx%d region (%zu voxels)", g->width,
                           g->height, cs_grid_voxels(g));
    }
    return MUMLOC_OK;
}

void cs_residual(const cs_grid *g, const float *y, const cs_sparse *c, float *r, cs_work *w) {
    const int W = g->width, H = g->height;
    memcpy(r, y, sizeof(float) * cs_grid_pixels(g));
    float *mx = w->scratch, *my = w->scratch + W; /* scratch holds at least width + height */
    for (int n = 0; n < c->n; n++)
        for (int d = 0; d < g->planes; d++) {
            cs_voxel_factors(g, c->idx[n], d, mx, my);
            const float f = (float)g->share[d] * c->val[n];
            float *rd = r + (size_t)d * H * W;
            for (int pj = 0; pj < H; pj++) {
                if (my[pj] == 0.0f) continue;
                const float a = f * my[pj];
                for (int pi = 0; pi < W; pi++) rd[(size_t)pj * W + pi] -= a * mx[pi];
            }
        }
    cs_center_planes(g, r);
}

double cs_objective(const cs_grid *g, const float *y, const cs_sparse *c, double lambda,
                    cs_work *w) {
    cs_residual(g, y, c, w->resid, w);
    double rr = 0.0, l1 = 0.0;
    for (size_t i = 0; i < cs_grid_pixels(g); i++) rr += (double)w->resid[i] * w->resid[i];
    for (int n = 0; n < c->n; n++) l1 += c->val[n];
    return 0.5 * rr + lambda * l1;
}

/* Largest eigenvalue of the symmetric PSD n × n matrix a (power iteration, a little high). */
static double largest_eigenvalue(const double *a, int n, double *v, double *av) {
    for (int i = 0; i < n; i++) v[i] = 1.0 + 0.01 * i;
    double est = 0.0;
    for (int it = 0; it < 60; it++) {
        double norm = 0.0;
        for (int i = 0; i < n; i++) {
            double s = 0.0;
            for (int j = 0; j < n; j++) s += a[(size_t)i * n + j] * v[j];
            av[i] = s;
            norm += s * s;
        }
        norm = sqrt(norm);
        if (!(norm > 0.0)) return 1.0;
        double next = 0.0, vv = 0.0;
        for (int i = 0; i < n; i++) {
            next += v[i] * av[i];
            vv += v[i] * v[i];
        }
        next /= vv;
        for (int i = 0; i < n; i++) v[i] = av[i] / norm;
        if (it > 5 && fabs(next - est) <= 1e-6 * next) {
            est = next;
            break;
        }
        est = next;
    }
    return 1.02 * est; /* the Rayleigh quotient approaches from below */
}

/* Largest KKT violation of ½xᵀGx − qᵀx + λΣx at x ≥ 0 (gradient into gz). */
static double restricted_violation(const double *gram, const double *q, const double *x, int n,
                                   double lambda, double *gz) {
    double worst = 0.0;
    for (int a = 0; a < n; a++) {
        double s = -q[a] + lambda;
        const double *row = gram + (size_t)a * n;
        for (int b = 0; b < n; b++) s += row[b] * x[b];
        gz[a] = s;
        double v = x[a] > 0.0 ? fabs(s) : (s < 0.0 ? -s : 0.0);
        if (v > worst) worst = v;
    }
    return worst;
}

/* FISTA with gradient-based adaptive restart (O'Donoghue & Candès) on the restricted problem. */
static int restricted_fista(const double *gram, const double *q, double *x, int n, double lambda,
                            double tolerance, int max_iterations, cs_work *w) {
    const double L = largest_eigenvalue(gram, n, w->z, w->gz);
    double *z = w->z, *gz = w->gz, *x_old = w->x_old;
    memcpy(z, x, sizeof *x * (size_t)n);
    double t = 1.0;
    int it = 0;
    for (; it < max_iterations; it++) {
        if (it % 10 == 0 && restricted_violation(gram, q, x, n, lambda, gz) <= tolerance * lambda)
            break;
        for (int a = 0; a < n; a++) {
            double s = -q[a];
            const double *row = gram + (size_t)a * n;
            for (int b = 0; b < n; b++) s += row[b] * z[b];
            gz[a] = s;
        }
        memcpy(x_old, x, sizeof *x * (size_t)n);
        double restart = 0.0;
        for (int a = 0; a < n; a++) {
            double v = z[a] - (gz[a] + lambda) / L;
            x[a] = v > 0.0 ? v : 0.0;
            restart += (z[a] - x[a]) * (x[a] - x_old[a]);
        }
        if (restart > 0.0) t = 1.0;
        const double t_next = 0.5 * (1.0 + sqrt(1.0 + 4.0 * t * t));
        const double beta = (t - 1.0) / t_next;
        for (int a = 0; a < n; a++) z[a] = x[a] + beta * (x[a] - x_old[a]);
        t = t_next;
    }
    return it;
}

/* Gram matrix and correlations of the working set (columns centred per plane). */
static void build_restricted(const cs_grid *g, const float *y, int n, cs_work *w) {
    const int W = g->width, H = g->height, k = g->planes;
    const double npx = (double)W * H;
    double *sx = w->sums, *sy = w->sums + (size_t)WS_MAX * MUMLOC_MAX_PLANES;
    for (int a = 0; a < n; a++) {
        double qa = 0.0;
        for (int d = 0; d < k; d++) {
            float *mx = w->fx + ((size_t)a * k + d) * W, *my = w->fy + ((size_t)a * k + d) * H;
            cs_voxel_factors(g, w->ws[a], d, mx, my);
            double s1 = 0.0, s2 = 0.0, c = 0.0;
            for (int pi = 0; pi < W; pi++) s1 += mx[pi];
            const float *yd = y + (size_t)d * H * W;
            for (int pj = 0; pj < H; pj++) {
                s2 += my[pj];
                if (my[pj] == 0.0f) continue;
                double row = 0.0;
                for (int pi = 0; pi < W; pi++) row += (double)yd[(size_t)pj * W + pi] * mx[pi];
                c += my[pj] * row;
            }
            sx[a * k + d] = s1;
            sy[a * k + d] = s2;
            qa += g->share[d] * c;
        }
        w->q[a] = qa;
    }
    for (int a = 0; a < n; a++)
        for (int b = a; b < n; b++) {
            double s = 0.0;
            for (int d = 0; d < k; d++) {
                const float *xa = w->fx + ((size_t)a * k + d) * W, *xb = w->fx + ((size_t)b * k + d) * W;
                const float *ya = w->fy + ((size_t)a * k + d) * H, *yb = w->fy + ((size_t)b * k + d) * H;
                double dx = 0.0, dy = 0.0;
                for (int pi = 0; pi < W; pi++) dx += (double)xa[pi] * xb[pi];
                for (int pj = 0; pj < H; pj++) dy += (double)ya[pj] * yb[pj];
                const double sh = g->share[d] * g->share[d];
                s += sh * (dx * dy - sx[a * k + d] * sy[a * k + d] * sx[b * k + d] * sy[b * k + d] / npx);
            }
            w->gram[(size_t)a * n + b] = w->gram[(size_t)b * n + a] = s;
        }
}

/* A voxel and its violation, for choosing the worst. */
typedef struct violator {
    float v;
    size_t idx;
} violator;

static int by_index(const void *pa, const void *pb) {
    const violator *a = pa, *b = pb;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

mumloc_status cs_lasso_solve(const cs_grid *g, const float *y, const cs_lasso_params *p,
                             cs_sparse *c, cs_work *w, int *iterations) {
    const double lambda = p->lambda, limit = lambda * (1.0 + p->tolerance);
    const size_t voxels = cs_grid_voxels(g);
    int total = 0;
    violator *top = NULL;
    int top_cap = 0;
    mumloc_status st = MUMLOC_OK;
    for (int round = 0; round < ROUNDS_MAX; round++) {
        cs_residual(g, y, c, w->resid, w);
        cs_adjoint(g, w->resid, w->grad, w->scratch);
        /* voxels outside the support whose correlation beats λ: −gradient = Hᵀr − λ > 0 */
        for (int n = 0; n < c->n; n++) w->grad[c->idx[n]] = 0.0f; /* already in */
        int want = c->n > 32 ? c->n : 32;
        if (c->n + want > WS_MAX) want = WS_MAX - c->n;
        if (want <= 0) break;
        if (top_cap < want) {
            violator *grown = realloc(top, sizeof *grown * (size_t)want);
            if (!grown) {
                st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for the working set");
                break;
            }
            top = grown;
            top_cap = want;
        }
        /* the `want` largest violations: a min-heap of them, its root the smallest kept */
        int found = 0;
        for (size_t v = 0; v < voxels; v++) {
            const float gv = w->grad[v];
            if (!(gv > limit)) continue;
            if (found < want) {
                int at = found++;
                while (at > 0 && top[(at - 1) / 2].v > gv) {
                    top[at] = top[(at - 1) / 2];
                    at = (at - 1) / 2;
                }
                top[at] = (violator){gv, v};
            } else if (gv > top[0].v) {
                int at = 0;
                for (;;) {
                    int child = 2 * at + 1;
                    if (child >= found) break;
                    if (child + 1 < found && top[child + 1].v < top[child].v) child++;
                    if (top[child].v >= gv) break;
                    top[at] = top[child];
                    at = child;
                }
                top[at] = (violator){gv, v};
            }
        }
        if (found == 0) break;
        /* the working set: support (values kept) then the worst violators (from 0) */
        int n = 0;
        for (int a = 0; a < c->n; a++) {
            w->ws[n] = c->idx[a];
            w->x[n++] = c->val[a];
        }
        for (int a = 0; a < found; a++) {
            w->ws[n] = top[a].idx;
            w->x[n++] = 0.0;
        }
        build_restricted(g, y, n, w);
        total += restricted_fista(w->gram, w->q, w->x, n, lambda, p->tolerance, p->max_iterations,
                                  w);
        if (!cs_sparse_reserve(c, n)) {
            st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a CS solution");
            break;
        }
        c->n = 0;
        for (int a = 0; a < n; a++)
            if (w->x[a] > 0.0) {
                c->idx[c->n] = w->ws[a];
                c->val[c->n++] = (float)w->x[a];
            }
    }
    /* a canonical order (by voxel), so that the decoder's ties do not depend on the rounds */
    if (st == MUMLOC_OK && c->n > 1) {
        if (top_cap < c->n) {
            violator *grown = realloc(top, sizeof *grown * (size_t)c->n);
            if (grown) top = grown, top_cap = c->n;
        }
        if (top_cap >= c->n) {
            for (int a = 0; a < c->n; a++) top[a] = (violator){c->val[a], c->idx[a]};
            qsort(top, (size_t)c->n, sizeof *top, by_index);
            for (int a = 0; a < c->n; a++) c->idx[a] = top[a].idx, c->val[a] = top[a].v;
        }
    }
    free(top);
    if (iterations) *iterations = total;
    return st;
}

double cs_support_refit(const cs_grid *g, const float *y, const cs_sparse *c,
                        const cs_lasso_params *p, cs_work *w) {
    double yy = 0.0;
    for (size_t i = 0; i < cs_grid_pixels(g); i++) yy += (double)y[i] * y[i];
    const int n = c->n < WS_MAX ? c->n : WS_MAX;
    if (n == 0) return 0.5 * yy;
    for (int a = 0; a < n; a++) {
        w->ws[a] = c->idx[a];
        w->x[a] = c->val[a];
    }
    build_restricted(g, y, n, w);
    restricted_fista(w->gram, w->q, w->x, n, p->lambda, p->tolerance, p->max_iterations, w);
    /* ½‖y − Hx‖² + λΣx = ½yᵀy + ½xᵀGx − qᵀx + λΣx */
    double f = 0.5 * yy;
    for (int a = 0; a < n; a++) {
        double gx = 0.0;
        for (int b = 0; b < n; b++) gx += w->gram[(size_t)a * n + b] * w->x[b];
        f += w->x[a] * (0.5 * gx - w->q[a] + p->lambda);
    }
    return f;
}

mumloc_status cs_lasso_full(const cs_grid *g, const float *y, const cs_lasso_params *p,
                            cs_sparse *c, cs_work *w, int *iterations) {
    const size_t voxels = cs_grid_voxels(g), pixels = cs_grid_pixels(g);
    float *x = calloc(voxels, sizeof *x), *z = calloc(voxels, sizeof *z);
    float *x_old = malloc(sizeof *x_old * voxels), *hz = malloc(sizeof *hz * pixels);
    if (!x || !z || !x_old || !hz) {
        free(x), free(z), free(x_old), free(hz);
        return error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for full-grid FISTA");
    }
    /* L = ‖P H‖² by power iteration on HᵀPH */
    for (size_t v = 0; v < voxels; v++) z[v] = 1.0f;
    double L = 1.0;
    for (int it = 0; it < 40; it++) {
        cs_forward(g, z, hz, w->scratch);
        cs_center_planes(g, hz);
        cs_adjoint(g, hz, w->grad, w->scratch);
        double num = 0.0, den = 0.0, norm = 0.0;
        for (size_t v = 0; v < voxels; v++) {
            num += (double)z[v] * w->grad[v];
            den += (double)z[v] * z[v];
            norm += (double)w->grad[v] * w->grad[v];
        }
        L = num / den;
        norm = sqrt(norm);
        for (size_t v = 0; v < voxels; v++) z[v] = (float)(w->grad[v] / norm);
    }
    L *= 1.02;
    memset(z, 0, sizeof *z * voxels);
    double t = 1.0;
    int it = 0;
    for (; it < p->max_iterations; it++) {
        /* gradient at z: −HᵀP(y − Hz) */
        cs_forward(g, z, hz, w->scratch);
        for (size_t i = 0; i < pixels; i++) hz[i] = y[i] - hz[i];
        cs_center_planes(g, hz);
        cs_adjoint(g, hz, w->grad, w->scratch);
        memcpy(x_old, x, sizeof *x * voxels);
        double restart = 0.0;
        for (size_t v = 0; v < voxels; v++) {
            float u = z[v] + (float)((w->grad[v] - p->lambda) / L);
            x[v] = u > 0.0f ? u : 0.0f;
            restart += (double)(z[v] - x[v]) * (x[v] - x_old[v]);
        }
        if (restart > 0.0) t = 1.0;
        const double t_next = 0.5 * (1.0 + sqrt(1.0 + 4.0 * t * t));
        const float beta = (float)((t - 1.0) / t_next);
        for (size_t v = 0; v < voxels; v++) z[v] = x[v] + beta * (x[v] - x_old[v]);
        t = t_next;
        if (it % 10 == 9) { /* KKT at x */
            cs_forward(g, x, hz, w->scratch);
            for (size_t i = 0; i < pixels; i++) hz[i] = y[i] - hz[i];
            cs_center_planes(g, hz);
            cs_adjoint(g, hz, w->grad, w->scratch);
            double worst = 0.0;
            for (size_t v = 0; v < voxels; v++) {
                double gv = p->lambda - w->grad[v];
                double viol = x[v] > 0.0f ? fabs(gv) : (gv < 0.0 ? -gv : 0.0);
                if (viol > worst) worst = viol;
            }
            if (worst <= p->tolerance * p->lambda) {
                it++;
                break;
            }
        }
    }
    int n = 0;
    for (size_t v = 0; v < voxels; v++) n += x[v] > 0.0f;
    mumloc_status st = MUMLOC_OK;
    if (!cs_sparse_reserve(c, n)) st = error_fail(MUMLOC_ERR_OUT_OF_MEMORY, "no memory for a CS solution");
    else {
        c->n = 0;
        for (size_t v = 0; v < voxels; v++)
            if (x[v] > 0.0f) {
                c->idx[c->n] = v;
                c->val[c->n++] = x[v];
            }
    }
    free(x), free(z), free(x_old), free(hz);
    if (iterations) *iterations = it;
    return st;
}
