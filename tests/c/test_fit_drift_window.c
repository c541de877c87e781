/* Windowed plane drift (fit/drift_window.h): the time basis (a partition of unity, clamped at the
 * ends), the banded algebra against dense references, and the estimate against the simulator's own
 * drift — exact on noise-free movies (constant, and a slow creep the spline holds), within its
 * stated bound on noisy ones (the normalised errors have unit spread over independent movies) —
 * with its uncertainty share widening the positions' bounds. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fit/drift_window.h"
#include "mumloc.h"
#include "optics/crlb.h"

#define SIDE 64
#define PLANES 4
#define MOLECULES 8

typedef struct movie {
    int frames;
    float *pixels;                 /* frames × k × SIDE² */
    int64_t *frame, *first;
    mumloc_localization *locs;
    double (*drift)[2 * MUMLOC_MAX_PLANES];
    mumloc_sim_params sp;
} movie;

static mumloc_status read_frame(void *user, int64_t slot, float *px) {
    const movie *m = user;
    const size_t n = (size_t)PLANES * SIDE * SIDE;
    memcpy(px, m->pixels + (size_t)slot * n, n * sizeof *px);
    return MUMLOC_OK;
}

/* A movie with slow camera drift (time scale `frames_scale`: the path runs over that many frames)
 * and records at the truth shifted by 20 nm (a start the fits must come back from). */
static int make_movie(movie *m, int frames, int molecules, mumloc_noise noise, uint64_t seed,
                      double scale) {
    memset(m, 0, sizeof *m);
    mumloc_sim_params_default(&m->sp);
    m->sp.width = m->sp.height = SIDE;
    m->sp.molecules = molecules;
    m->sp.noise = noise;
    m->sp.seed = seed;
    m->sp.drift_max_nm = 0.0;
    m->sp.camera_drift_nm = 40.0;
    m->sp.frames = (int64_t)scale;
    m->frames = frames;
    mumloc_simulator *sim = NULL;
    CHECK_OK(mumloc_simulator_create(&m->sp, &sim));
    if (!sim) return 0;
    m->pixels = malloc(sizeof *m->pixels * (size_t)frames * PLANES * SIDE * SIDE);
    m->frame = calloc((size_t)frames, sizeof *m->frame);
    m->first = calloc((size_t)frames + 1, sizeof *m->first);
    m->locs = calloc((size_t)frames * MOLECULES, sizeof *m->locs);
    m->drift = calloc((size_t)frames, sizeof *m->drift);
    CHECK_OK(mumloc_simulate_frames(sim, 0, frames, m->pixels));
    int64_t count = 0;
    for (int f = 0; f < frames; f++) {
        mumloc_emitter truth[MOLECULES];
        int n = 0;
        CHECK_OK(mumloc_simulate_truth(sim, f, truth, MOLECULES, &n));
        CHECK_OK(mumloc_simulate_drift(sim, f, m->drift[f]));
        m->frame[f] = f;
        for (int i = 0; i < n; i++) {
            mumloc_localization *l = &m->locs[count++];
            l->frame = f;
            l->x_nm = truth[i].x_nm + 20;
            l->y_nm = truth[i].y_nm - 20;
            l->z_nm = truth[i].z_nm + 20;
        }
        m->first[f + 1] = count;
    }
    mumloc_simulator_destroy(sim);
    return 1;
}

static void free_movie(movie *m) {
    free(m->pixels);
    free(m->frame);
    free(m->first);
    free(m->locs);
    free(m->drift);
}

static mumloc_status estimate(movie *m, int window, const pixel_noise *noise,
                              drift_window_result *r) {
    const drift_window_input in = {&m->sp.optics, noise, NULL, SIDE, SIDE, window,
                                          m->frames, m->frame, m->first, m->locs, read_frame, m};
    return drift_window_estimate(&in, r);
}

/* Partition of unity, clamped ends, values in [0, 1], continuity across span borders. */
static void basis(void) {
    drift_basis b;
    CHECK_OK(drift_basis_init(&b, 10, 609, 100)); /* 600 frames: 6 spans */
    CHECK(b.spans == 6 && b.functions == 9);
    for (double t = 10; t <= 609; t += 0.7) {
        double phi[4];
        int count;
        int j0 = drift_basis_eval(&b, t, phi, &count);
        double sum = 0;
        for (int a = 0; a < count; a++) {
            sum += phi[a];
            CHECK(phi[a] >= -1e-12 && phi[a] <= 1 + 1e-12);
        }
        CHECK_NEAR(sum, 1.0, 1e-12);
        CHECK(j0 >= 0 && j0 + count <= b.functions);
    }
    double phi[4], left[4], right[4];
    int count;
    CHECK(drift_basis_eval(&b, 10, phi, &count) == 0);
    CHECK_NEAR(phi[0], 1.0, 1e-12);
    CHECK(drift_basis_eval(&b, 609, phi, &count) == b.functions - 4);
    CHECK_NEAR(phi[3], 1.0, 1e-12);
    /* continuity at the border of spans 2 and 3 (t = 210): both sides give the same functions */
    int jl = drift_basis_eval(&b, 210 - 1e-9, left, &count);
    int jr = drift_basis_eval(&b, 210 + 1e-9, right, &count);
    for (int j = 0; j < b.functions; j++) {
        double vl = j >= jl && j < jl + 4 ? left[j - jl] : 0, vr = j >= jr && j < jr + 4 ? right[j - jr] : 0;
        CHECK_NEAR(vl, vr, 1e-7);
    }
    drift_basis_free(&b);
    CHECK_OK(drift_basis_init(&b, 0, 99, 200)); /* fewer frames than a window: constant */
    CHECK(b.functions == 1);
    drift_basis_free(&b);
}

/* Band Cholesky, solve and the band of the inverse against a dense Gauss–Jordan inverse. */
static void band(void) {
    enum { N = 23, BW = 5 };
    band_matrix m, z;
    CHECK_OK(band_init(&m, N, BW));
    CHECK_OK(band_init(&z, N, BW));
    double dense[N][2 * N];
    memset(dense, 0, sizeof dense);
    for (int i = 0; i < N; i++)
        for (int j = i > BW ? i - BW : 0; j <= i; j++) {
            double v = i == j ? 10.0 + i % 3 : 1.0 / (1 + i + 2 * j) - 0.05 * ((i * 7 + j) % 5);
            band_add(&m, i, j, v);
            dense[i][j] = dense[j][i] = v;
        }
    for (int i = 0; i < N; i++) dense[i][N + i] = 1.0;
    for (int c = 0; c < N; c++) { /* Gauss–Jordan (diagonally dominant: no pivoting needed) */
        double p = dense[c][c];
        for (int j = 0; j < 2 * N; j++) dense[c][j] /= p;
        for (int r = 0; r < N; r++)
            if (r != c) {
                double f = dense[r][c];
                for (int j = 0; j < 2 * N; j++) dense[r][j] -= f * dense[c][j];
            }
    }
    CHECK(band_cholesky(&m));
    double b[N], x[N];
    for (int i = 0; i < N; i++) b[i] = sin(i + 1.0);
    band_solve(&m, b, x);
    for (int i = 0; i < N; i++) {
        double v = 0;
        for (int j = 0; j < N; j++) v += dense[i][N + j] * b[j];
        CHECK_NEAR(x[i], v, 1e-12);
    }
    band_inverse(&m, &z);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            if (abs(i - j) <= BW) CHECK_NEAR(band_get(&z, i, j), dense[i][N + j], 1e-12);
    band_free(&m);
    band_free(&z);
}

/* Noise-free: the likelihood peaks at the truth, so the estimate is the truth up to the prior's
 * pull (bounded by σ² |d| / 48², σ the bound: far below 0.05 nm here), the 0.1 nm stop rule and,
 * for a creep, how well the spline holds the path. */
static void noise_free(double scale, int frames, int molecules, int window, double tol) {
    movie m;
    if (!make_movie(&m, frames, molecules, MUMLOC_NOISE_NONE, 21, scale)) return;
    const pixel_noise noise = pixel_noise_of(&m.sp.camera);
    drift_window_result r;
    CHECK_OK(estimate(&m, window, &noise, &r));
    CHECK(r.converged);
    double worst = 0;
    for (int f = 0; f < frames; f++) {
        double d[2 * MUMLOC_MAX_PLANES];
        drift_window_at(&r, PLANES, f, d, NULL);
        CHECK(d[0] == 0 && d[1] == 0);
        for (int q = 2; q < 2 * PLANES; q++) worst = fmax(worst, fabs(d[q] - m.drift[f][q]));
    }
    printf("noise-free, path over %.0f frames, %d frames, window %d: %d passes, worst error "
           "%.3f nm\n", scale, frames, window, r.passes, worst);
    CHECK(worst <= tol);
    drift_window_free(&r);
    free_movie(&m);
}

/* Noisy, constant drift: over independent movies the errors divided by the stated bound have unit
 * spread and no bias; the bound falls with the frames (about one frame's bound / sqrt(frames)). */
static void noisy(void) {
    enum { MOVIES = 5, FRAMES = 40 };
    double z2 = 0, zsum = 0, sigma_sum = 0;
    int n = 0;
    for (int s = 0; s < MOVIES; s++) {
        movie m;
        if (!make_movie(&m, FRAMES, MOLECULES, MUMLOC_NOISE_PHYSICAL, 100 + s, 1e9)) return;
        const pixel_noise noise = pixel_noise_of(&m.sp.camera);
        drift_window_result r;
        CHECK_OK(estimate(&m, 1000, &noise, &r));
        CHECK(r.basis.functions == 1);
        double d[2 * MUMLOC_MAX_PLANES], cov[36];
        drift_window_at(&r, PLANES, FRAMES / 2, d, cov);
        for (int q = 0; q < 2 * (PLANES - 1); q++) {
            const double sigma = sqrt(cov[q * 6 + q]), e = d[2 + q] - m.drift[FRAMES / 2][2 + q];
            z2 += (e / sigma) * (e / sigma);
            zsum += e / sigma;
            sigma_sum += sigma;
            n++;
        }
        drift_window_free(&r);
        free_movie(&m);
    }
    const double zrms = sqrt(z2 / n), zmean = zsum / n;
    printf("noisy, %d movies of %d frames: bound %.2f nm, error / bound RMS %.2f, mean %.2f\n",
           MOVIES, FRAMES, sigma_sum / n, zrms, zmean);
    /* 30 normalised errors: RMS within [0.6, 1.5] and mean within 3/sqrt(30) of 0 */
    CHECK(zrms > 0.6 && zrms < 1.5);
    CHECK(fabs(zmean) < 3.0 / sqrt(n));
    CHECK(sigma_sum / n < 4.0); /* one frame's ~11 nm over 40 frames */
}

/* The drift's share widens the bound by (A⁻¹B) C (A⁻¹B)ᵀ: nothing for C = 0, more for a larger C,
 * and at most the bound of a molecule whose position moved with the full drift error. */
static void uncertainty_share(void) {
    movie m;
    if (!make_movie(&m, 1, MOLECULES, MUMLOC_NOISE_NONE, 5, 1e9)) return;
    const pixel_noise noise = pixel_noise_of(&m.sp.camera);
    const int n = (int)m.first[1];
    mumloc_localization base[MOLECULES];
    memcpy(base, m.locs, sizeof base[0] * (size_t)n);
    CHECK_OK(mumloc_localizations_measure(&m.sp.optics, &m.sp.camera, m.pixels, SIDE, SIDE,
                                          m.drift[0], base, n));
    double zero[36] = {0}, cov[36] = {0};
    for (int q = 0; q < 6; q++) cov[q * 6 + q] = 25.0; /* 5 nm per value */
    mumloc_localization a[MOLECULES], b[MOLECULES];
    memcpy(a, base, sizeof a);
    memcpy(b, base, sizeof b);
    CHECK_OK(drift_add_uncertainty(&m.sp.optics, &noise, NULL, m.pixels, SIDE, SIDE,
                                          m.drift[0], zero, a, n));
    CHECK_OK(drift_add_uncertainty(&m.sp.optics, &noise, NULL, m.pixels, SIDE, SIDE,
                                          m.drift[0], cov, b, n));
    for (int i = 0; i < n; i++) {
        CHECK_NEAR(a[i].uncertainty_xy_nm, base[i].uncertainty_xy_nm, 1e-9);
        CHECK(b[i].uncertainty_xy_nm > base[i].uncertainty_xy_nm);
        /* planes 2..4 drifting 5 nm each move x by at most 5 nm: the share is below 5 nm */
        const double extra = sqrt(b[i].uncertainty_xy_nm * b[i].uncertainty_xy_nm -
                                  base[i].uncertainty_xy_nm * base[i].uncertainty_xy_nm);
        CHECK(extra > 0.5 && extra < 5.0);
    }
    free_movie(&m);
}

int main(void) {
    basis();
    band();
    noise_free(1e9, 12, MOLECULES, 1000, 0.2); /* constant drift, one window */
    /* a creep over 90 frames held by a 3-span spline; sparser, as close pairs the fits cannot
     * separate bias it by ~1 nm at 8 molecules a frame (the noisy bench measures that case) */
    noise_free(400, 90, 5, 30, 0.5);
    noisy();
    uncertainty_share();
    return CHECK_DONE("test_fit_drift_window");
}
