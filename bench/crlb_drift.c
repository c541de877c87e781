/* The Cramér–Rao bound of each true molecule of a movie whose planes 2..k drift by an unknown amount
 * in every frame (the 2021 Table 3 protocol: one molecule per frame, a fresh drift per frame), beside
 * the bound at a known drift that `mumloc evaluate` prints. make paper puts it beside the errors.
 *
 *   usage: crlb_drift TRUTH.csv BACKGROUND_PHOTONS [READ_NOISE_E (3)] [BIN_NM (200)] [PRIOR_NM (34)]
 *
 * Why: plane d's image depends on x − δx_d, so ∂μ_d/∂δx_d = −∂μ_d/∂x. With δ unknown, a lone
 * molecule's lateral position is measured by plane 1 (the reference) alone, and its bound grows as
 * the molecule leaves plane 1's focus; its depth keeps most of its information (the planes' widths
 * and shares do not move with δ). The joint Fisher matrix of (x, y, z, photons, b_1..b_k,
 * δ_2..δ_k) is assembled from each plane's own Fisher block (the library's, with the other planes'
 * light switched off) and inverted by Cholesky. Without more, far from plane 1 that bound is
 * hundreds of nm; but the drift is known to be small (the simulator draws each value from
 * {−48, −24, 0, 24, 48} nm: RMS 34 nm), and an estimator that searches only that range (CS's ±2
 * steps) uses it. So a third bound adds a Gaussian prior of that RMS on each drift value (the
 * Bayesian information J + 1/σp², van Trees): the floor for such estimators. Per depth bin it prints
 * the RMS bounds (the RMSE an efficient estimator reaches on those molecules) as `mumloc evaluate`
 * measures errors: lateral sqrt(σx² + σy²) (radial), axial σz. Default optics. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mumloc.h"
#include "optics/crlb.h"
#include "optics/psf_model.h"

#define MAXN (CRLB_BACKGROUND + MUMLOC_MAX_PLANES + 2 * MUMLOC_MAX_PLANES)

/* Diagonal of the inverse of a symmetric positive definite n × n matrix; 0 when it is not. */
static int inverse_diagonal(const double *a, int n, double *diag) {
    double l[MAXN * MAXN];
    memcpy(l, a, sizeof(double) * (size_t)n * n);
    for (int j = 0; j < n; j++) {
        for (int k = 0; k < j; k++) l[j * n + j] -= l[j * n + k] * l[j * n + k];
        if (!(l[j * n + j] > 0.0)) return 0;
        l[j * n + j] = sqrt(l[j * n + j]);
        for (int i = j + 1; i < n; i++) {
            for (int k = 0; k < j; k++) l[i * n + j] -= l[i * n + k] * l[j * n + k];
            l[i * n + j] /= l[j * n + j];
        }
    }
    /* (A⁻¹)_ii = Σ_k (L⁻¹)_ki²: solve L x = e_i for each i */
    for (int i = 0; i < n; i++) {
        double x[MAXN] = {0};
        x[i] = 1.0 / l[i * n + i];
        double s = x[i] * x[i];
        for (int r = i + 1; r < n; r++) {
            double v = 0.0;
            for (int k = i; k < r; k++) v -= l[r * n + k] * x[k];
            x[r] = v / l[r * n + r];
            s += x[r] * x[r];
        }
        diag[i] = s;
    }
    return 1;
}

/* σ (x, y, z) at a known drift (0) and with the drift of planes 2..k unknown. */
static int bounds(const mumloc_optics *o, const pixel_noise *noise, double x, double y,
                  double z, double photons, const double *bg, double prior_nm, double known[3],
                  double unknown[3], double with_prior[3]) {
    const int k = o->planes, n0 = CRLB_BACKGROUND + k, n = n0 + 2 * (k - 1);
    psf_plane pl[MUMLOC_MAX_PLANES], one[MUMLOC_MAX_PLANES];
    double *buffer = psf_planes_unclipped(o, x, y, z, NULL, NULL, pl);
    if (!buffer) return 0;
    double full[MAXN * MAXN] = {0}, fd[MAXN * MAXN];
    for (int d = 0; d < k; d++) {
        for (int e = 0; e < k; e++) {
            one[e] = pl[e];
            if (e != d) one[e].gain = 0.0; /* only plane d's light: its own Fisher block */
        }
        crlb_fisher_planes(o, noise, one, photons, bg, fd);
        /* its rows: x, y, z, photons and its own background (the others' background rows hold
         * their planes' pixels again, already counted in their own blocks) */
        const int own = CRLB_BACKGROUND + d;
        for (int r = 0; r < n0; r++)
            for (int c = 0; c < n0; c++)
                if ((r < CRLB_BACKGROUND || r == own) && (c < CRLB_BACKGROUND || c == own))
                    full[r * n + c] += fd[r * n0 + c];
        if (d == 0) continue;
        /* δ of plane d: its derivative is minus plane d's x (y) derivative */
        const int dx = n0 + 2 * (d - 1);
        for (int a = 0; a < 2; a++) {
            for (int r = 0; r < n0; r++) {
                full[(dx + a) * n + r] = full[r * n + dx + a] = -fd[r * n0 + a];
            }
            for (int b = 0; b < 2; b++) full[(dx + a) * n + dx + b] = fd[a * n0 + b];
        }
    }
    free(buffer);
    double diag[MAXN], block[MAXN * MAXN];
    for (int r = 0; r < n0; r++)
        for (int c = 0; c < n0; c++) block[r * n0 + c] = full[r * n + c];
    if (!inverse_diagonal(block, n0, diag)) return 0;
    for (int i = 0; i < 3; i++) known[i] = sqrt(diag[i]);
    /* no prior: far from plane 1 nearly singular (then reported as infinite) */
    if (inverse_diagonal(full, n, diag))
        for (int i = 0; i < 3; i++) unknown[i] = sqrt(diag[i]);
    else
        for (int i = 0; i < 3; i++) unknown[i] = INFINITY;
    for (int i = n0; i < n; i++) full[i * n + i] += 1.0 / (prior_nm * prior_nm);
    if (!inverse_diagonal(full, n, diag)) return 0;
    for (int i = 0; i < 3; i++) with_prior[i] = sqrt(diag[i]);
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: crlb_drift TRUTH.csv BACKGROUND_PHOTONS [READ_NOISE_E] [BIN_NM] [PRIOR_NM]\n");
        return 2;
    }
    const double background = atof(argv[2]), read_noise = argc > 3 ? atof(argv[3]) : 3.0;
    const double bin = argc > 4 ? atof(argv[4]) : 200.0;
    const double prior = argc > 5 ? atof(argv[5]) : 34.0;
    mumloc_table *t = NULL;
    if (mumloc_table_read_csv(argv[1], "x,y,z,intensity", &t) != MUMLOC_OK) {
        fprintf(stderr, "crlb_drift: %s\n", mumloc_last_error());
        return 1;
    }
    mumloc_optics o;
    mumloc_optics_default(&o);
    mumloc_camera cam;
    mumloc_camera_default(&cam);
    cam.read_noise_e = read_noise;
    const pixel_noise noise = pixel_noise_of(&cam);
    double bg[MUMLOC_MAX_PLANES];
    for (int d = 0; d < o.planes; d++) bg[d] = background;
    const double *x = mumloc_table_column_data(t, mumloc_table_find_column(t, "x", NULL));
    const double *y = mumloc_table_column_data(t, mumloc_table_find_column(t, "y", NULL));
    const double *z = mumloc_table_column_data(t, mumloc_table_find_column(t, "z", NULL));
    const double *ph = mumloc_table_column_data(t, mumloc_table_find_column(t, "intensity", NULL));
    const int64_t rows = mumloc_table_rows(t);
    enum { BINS = 64 };
    double sum[BINS + 1][6] = {{0}};
    int count[BINS + 1] = {0};
    for (int64_t r = 0; r < rows; r++) {
        double kn[3], un[3], pr[3];
        if (!bounds(&o, &noise, x[r], y[r], z[r], ph[r], bg, prior, kn, un, pr)) continue;
        int b = (int)floor(z[r] / bin);
        b = b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
        const double v[6] = {kn[0] * kn[0] + kn[1] * kn[1], kn[2] * kn[2],
                             un[0] * un[0] + un[1] * un[1], un[2] * un[2],
                             pr[0] * pr[0] + pr[1] * pr[1], pr[2] * pr[2]};
        for (int i = 0; i < 6; i++) sum[b][i] += v[i], sum[BINS][i] += v[i];
        count[b]++;
        count[BINS]++;
    }
    printf("RMS Cramér–Rao bounds (nm; lateral radial, as mumloc evaluate's RMSE) with the drift of "
           "planes 2..k known, unknown, and unknown within a prior of RMS %g nm\n", prior);
    printf("   z from      z to    n   xy known  z known  xy unknown  z unknown  xy prior  z prior\n");
    for (int b = 0; b <= BINS; b++) {
        if (!count[b]) continue;
        if (b == BINS) printf("      all          ");
        else printf("%9.0f %9.0f", b * bin, (b + 1) * bin);
        printf(" %4d", count[b]);
        const int width[6] = {10, 8, 11, 10, 9, 8};
        for (int i = 0; i < 6; i++) printf(" %*.2f", width[i], sqrt(sum[b][i] / count[b]));
        printf("\n");
    }
    mumloc_table_destroy(t);
    return 0;
}
