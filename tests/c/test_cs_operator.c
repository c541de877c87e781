/* The CS operator against a dense reference built from the PSF model's own expected images
 * (psf_model_image, an independent erf path), the adjoint identity ⟨Hx, y⟩ = ⟨x, Hᵀy⟩, and
 * the Lasso solvers against a problem whose optimum is known in closed form. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cs/cs_grid.h"
#include "cs/cs_lasso.h"
#include "optics/psf_model.h"

static double rnd(unsigned *s) {
    *s = *s * 1103515245u + 12345u;
    return ((*s >> 8) & 0xffff) / 65536.0;
}

/* Column v of H (planes × height × width) from the PSF model: one photon at the voxel's centre. */
static void dense_column(const mumloc_optics *o, const cs_grid *g, size_t v, double *col) {
    const size_t plane = (size_t)g->rows * g->cols;
    const int l = (int)(v / plane), j = (int)(v % plane / g->cols), i = (int)(v % g->cols);
    double dx_dy[2 * MUMLOC_MAX_PLANES] = {0};
    for (int d = 0; d < g->planes; d++) {
        dx_dy[2 * d] = g->shift[d][0] * g->voxel_nm;
        dx_dy[2 * d + 1] = g->shift[d][1] * g->voxel_nm;
    }
    CHECK_OK(psf_model_image(o, (i + 0.5) * g->voxel_nm, (j + 0.5) * g->voxel_nm,
                                    g->z0_nm + (l + 0.5) * g->slice_nm, 1.0, NULL, dx_dy, NULL, g->width,
                                    g->height, col, NULL, NULL, NULL, NULL));
}

static void operator_matches_dense(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    cs_grid g;
    CHECK_OK(cs_grid_init(&g, &o, 3, 2, 2, 400.0, 2));
    g.shift[1][0] = 1, g.shift[1][1] = -2, g.shift[3][0] = -1; /* a drift in some planes */
    const size_t nv = cs_grid_voxels(&g), np = cs_grid_pixels(&g);
    CHECK(nv == 4 * 4 * 6 && np == 4 * 2 * 3);
    double *h = malloc(sizeof *h * nv * np), *col = malloc(sizeof *col * np);
    float *x = calloc(nv, sizeof *x), *y = malloc(sizeof *y * np), *hx = malloc(sizeof *hx * np);
    float *hty = malloc(sizeof *hty * nv), *scratch = malloc(sizeof *scratch * cs_grid_scratch(&g));
    for (size_t v = 0; v < nv; v++) {
        dense_column(&o, &g, v, col);
        for (size_t p = 0; p < np; p++) h[p * nv + v] = col[p];
    }
    /* each unit voxel's image is its dense column */
    double worst = 0.0;
    for (size_t v = 0; v < nv; v++) {
        memset(x, 0, sizeof *x * nv);
        x[v] = 1.0f;
        cs_forward(&g, x, hx, scratch);
        for (size_t p = 0; p < np; p++) {
            double e = fabs(hx[p] - h[p * nv + v]);
            if (e > worst) worst = e;
        }
    }
    CHECK(worst < 2e-6); /* float tables, and the 5w cut-off the reference lacks */
    /* a random x and y: H x, Hᵀ y against the dense products, and the adjoint identity */
    unsigned s = 7;
    for (size_t v = 0; v < nv; v++) x[v] = (float)(rnd(&s) < 0.3 ? 100.0 * rnd(&s) : 0.0);
    for (size_t p = 0; p < np; p++) y[p] = (float)(rnd(&s) - 0.5);
    cs_forward(&g, x, hx, scratch);
    cs_adjoint(&g, y, hty, scratch);
    double hx_y = 0, x_hty = 0, err_f = 0, err_a = 0;
    for (size_t p = 0; p < np; p++) {
        double ref = 0;
        for (size_t v = 0; v < nv; v++) ref += h[p * nv + v] * x[v];
        err_f = fmax(err_f, fabs(ref - hx[p]));
        hx_y += (double)hx[p] * y[p];
    }
    for (size_t v = 0; v < nv; v++) {
        double ref = 0;
        for (size_t p = 0; p < np; p++) ref += h[p * nv + v] * y[p];
        err_a = fmax(err_a, fabs(ref - hty[v]));
        x_hty += (double)x[v] * hty[v];
    }
    CHECK(err_f < 1e-4 * 100);
    CHECK(err_a < 1e-5);
    CHECK_NEAR(hx_y, x_hty, 1e-5 * fabs(hx_y) + 1e-6);
    free(h), free(col), free(x), free(y), free(hx), free(hty), free(scratch);
    cs_grid_free(&g);
}

/* Centred dense columns P h_v of the grid. */
static double *centred_columns(const cs_grid *g) {
    const size_t nv = cs_grid_voxels(g), np = cs_grid_pixels(g);
    double *h = malloc(sizeof *h * nv * np);
    float *x = calloc(nv, sizeof *x), *hx = malloc(sizeof *hx * np);
    float *scratch = malloc(sizeof *scratch * cs_grid_scratch(g));
    for (size_t v = 0; v < nv; v++) {
        x[v] = 1.0f;
        cs_forward(g, x, hx, scratch);
        cs_center_planes(g, hx);
        for (size_t p = 0; p < np; p++) h[v * np + p] = hx[p];
        x[v] = 0.0f;
    }
    free(x), free(hx), free(scratch);
    return h;
}

static double dot(const double *a, const double *b, size_t n) {
    double s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

/* y = P H c* + r with r = λ H̃_S (H̃_Sᵀ H̃_S)⁻¹ 1: then H̃_Sᵀ r = λ on the support and, where
 * |H̃_jᵀ r| < λ off it (checked), c* is the unique non-negative Lasso optimum. */
static void lasso_known_optimum(void) {
    mumloc_optics o;
    mumloc_optics_default(&o);
    cs_grid g;
    CHECK_OK(cs_grid_init(&g, &o, 8, 8, 2, 400.0, 0));
    const size_t nv = cs_grid_voxels(&g), np = cs_grid_pixels(&g);
    double *h = centred_columns(&g);
    const size_t plane = (size_t)g.rows * g.cols;
    const size_t s1 = 1 * plane + 4 * g.cols + 4, s2 = 2 * plane + 11 * g.cols + 12;
    const double c1 = 600.0, c2 = 900.0, lambda = 2.0;
    const double *h1 = h + s1 * np, *h2 = h + s2 * np;
    const double a = dot(h1, h1, np), b = dot(h1, h2, np), d = dot(h2, h2, np), det = a * d - b * b;
    const double u1 = (d - b) / det, u2 = (a - b) / det; /* (H̃_SᵀH̃_S)⁻¹ 1 */
    float *y = malloc(sizeof *y * np);
    double *r = malloc(sizeof *r * np);
    for (size_t p = 0; p < np; p++) {
        r[p] = lambda * (u1 * h1[p] + u2 * h2[p]);
        y[p] = (float)(c1 * h1[p] + c2 * h2[p] + r[p]);
    }
    CHECK_NEAR(dot(h1, r, np), lambda, 1e-9);
    double off = 0.0;
    for (size_t v = 0; v < nv; v++)
        if (v != s1 && v != s2) off = fmax(off, dot(h + v * np, r, np));
    CHECK(off < 0.95 * lambda); /* the certificate holds: the optimum is c* */
    const double f_star = 0.5 * dot(r, r, np) + lambda * (c1 + c2);

    cs_work w;
    CHECK_OK(cs_work_init(&w, &g));
    const cs_lasso_params p = {lambda, 1e-5, 100000};
    cs_sparse ws = {0};
    int its = 0;
    CHECK_OK(cs_lasso_solve(&g, y, &p, &ws, &w, &its));
    double v1 = 0, v2 = 0, rest = 0;
    for (int n = 0; n < ws.n; n++) {
        if (ws.idx[n] == s1) v1 = ws.val[n];
        else if (ws.idx[n] == s2) v2 = ws.val[n];
        else rest += ws.val[n];
    }
    CHECK_NEAR(v1, c1, 0.5);
    CHECK_NEAR(v2, c2, 0.5);
    CHECK(rest < 0.5);
    const double f_ws = cs_objective(&g, y, &ws, lambda, &w);
    CHECK_NEAR(f_ws, f_star, 1e-4 * f_star);

    /* plain FISTA: the objective falls with the iterations and reaches the same optimum */
    double previous = INFINITY;
    const int budgets[] = {5, 50, 500, 5000};
    for (int k = 0; k < 4; k++) {
        cs_sparse full = {0};
        cs_lasso_params q = p;
        q.max_iterations = budgets[k];
        CHECK_OK(cs_lasso_full(&g, y, &q, &full, &w, &its));
        const double f = cs_objective(&g, y, &full, lambda, &w);
        CHECK(f <= previous * (1 + 1e-6));
        CHECK(f >= f_star * (1 - 1e-5));
        previous = f;
        if (k == 3) CHECK_NEAR(f, f_star, 1e-4 * f_star);
        cs_sparse_free(&full);
    }
    cs_sparse_free(&ws);
    cs_work_free(&w);
    free(h), free(y), free(r);
    cs_grid_free(&g);
}

int main(void) {
    operator_matches_dense();
    lasso_known_optimum();
    return CHECK_DONE("test_cs_operator");
}
